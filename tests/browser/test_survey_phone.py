"""The survey on a 390×844 phone whose browser speaks Spanish, opened from a code without
``?lang=``: Spanish throughout with none of Streamlit's own English hints, nothing but the
survey on the screen, a reload in the middle of a section that loses nothing, and Submit within
reach after skipping every statement."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from storage.engine import shared_factory, transaction
from storage.models import Draft
from tests.browser.streamlit_page import press, settled
from tests.browser.test_survey_browser import (
    FIRST_RUN_MS,
    SurveyRound,
    open_round_with_codes,
    submissions,
)
from ui.i18n import t, tn
from ui.survey_flow import option_labels

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Streamlit's own words that must not reach a Spanish respondent.
STREAMLIT_ENGLISH = re.compile(
    r"Press (Ctrl\+|⌘\+)?Enter to apply|View \d+ more|Running|Something went wrong|"
    r"Skip to main content"
)
SAVED_WITHIN_SECONDS = 30  # how long to wait for the draft to show a comment (not a limit)


@pytest.fixture(scope="module")
def phone_round(server_database_url: str) -> SurveyRound:
    return open_round_with_codes(server_database_url, "Phone Survey Agency", "Oficina Sur", 2)


@pytest.fixture
def phone(browser):
    """A new session on a phone-sized screen whose browser asks for Spanish from Spain."""
    context = browser.new_context(viewport=PHONE, locale="es-ES", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def _drafts(url: str, round_id: int) -> list[Draft]:
    with transaction(shared_factory(url)) as session:
        return list(session.scalars(sa.select(Draft).where(Draft.round_id == round_id)))


def _no_streamlit_english(page) -> None:
    settled(page)
    shown = page.locator("body").inner_text()
    assert not STREAMLIT_ENGLISH.search(shown), STREAMLIT_ENGLISH.search(shown)


def _only_the_survey(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stExpandSidebarButton"]')).to_be_hidden()


def test_a_spanish_phone_answers_in_spanish_and_a_reload_mid_section_loses_nothing(
    server, server_database_url, phone_round, phone
):
    from playwright.sync_api import expect

    round_id, codes, instrument = (
        phone_round.round_id, phone_round.codes, phone_round.instrument
    )
    page = phone
    domain = instrument.domains[0]
    first, second = domain.items[:2]

    def group(item):
        return page.get_by_role("radiogroup", name=item.text["es"], exact=True)

    def radio(item, point):
        label = option_labels(instrument, item, "es")[point]
        return group(item).get_by_role("radio", name=label, exact=True)

    comment_box = page.get_by_role("textbox", name=t("survey.comment.label", "es"), exact=True)

    page.goto(f"{server}/survey?code={codes[0]}")  # no ?lang=: the browser's language counts
    welcome = page.get_by_role("heading", name=t("survey.welcome.heading", "es"))
    expect(welcome).to_be_visible(timeout=FIRST_RUN_MS)
    expect(page).to_have_url(re.compile(r"lang=es"))
    switch = page.get_by_role("radiogroup", name=t("survey.welcome.language", "es"))
    expect(switch).to_be_visible()
    title = page.get_by_role("heading", name=t("survey.title", "es"))
    assert switch.bounding_box()["y"] < title.bounding_box()["y"], "the switch is on top"
    _only_the_survey(page)
    _no_streamlit_english(page)

    press(page, t("survey.welcome.start", "es"))
    expect(page.get_by_role("heading", name=domain.title["es"])).to_be_visible()
    # what a screen reader hears around the questions is Spanish, pronounced as Spanish
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator('a[href="#stMain"]')).to_have_text(t("survey.skip_to_content", "es"))
    expect(page.get_by_role("progressbar", name=t("survey.progress_name", "es"))).to_be_attached()
    group(first).get_by_text(option_labels(instrument, first, "es")[4], exact=True).click()
    expect(radio(first, 4)).to_be_checked()
    settled(page)
    group(second).get_by_text(instrument.not_applicable["es"], exact=True).click()
    expect(radio(second, "NA")).to_be_checked()
    comment_box.fill("Necesitamos más supervisión.")
    # while the box still has the focus and unsent text, Streamlit's English hint is not shown
    expect(page.locator('[data-testid="InputInstructions"]')).to_be_hidden()
    _no_streamlit_english(page)
    # the comment reaches the draft without leaving the box or the section
    deadline = time.monotonic() + SAVED_WITHIN_SECONDS
    while not any(d.comments for d in _drafts(server_database_url, round_id)):
        assert time.monotonic() < deadline, "the typed comment never reached the draft"
        page.wait_for_timeout(200)
    [draft] = _drafts(server_database_url, round_id)
    assert draft.answers == {first.id: 4, second.id: "NA"}
    assert draft.comments == {domain.id: "Necesitamos más supervisión."}

    page.reload()  # a new browser session, as after a dropped connection or a closed tab
    expect(page.get_by_role("heading", name=domain.title["es"])).to_be_visible(
        timeout=FIRST_RUN_MS
    )
    expect(radio(first, 4)).to_be_checked()
    expect(radio(second, "NA")).to_be_checked()
    expect(comment_box).to_have_value("Necesitamos más supervisión.")
    _only_the_survey(page)
    _no_streamlit_english(page)


def test_skipping_everything_submit_is_within_reach_on_a_phone_and_works(
    server, server_database_url, phone_round, phone
):
    from playwright.sync_api import expect

    round_id, codes, instrument = (
        phone_round.round_id, phone_round.codes, phone_round.instrument
    )
    page = phone
    page.goto(f"{server}/survey?code={codes[1]}")
    expect(page.get_by_role("heading", name=t("survey.welcome.heading", "es"))).to_be_visible(
        timeout=FIRST_RUN_MS
    )
    press(page, t("survey.welcome.start", "es"))
    for domain in instrument.domains:
        expect(page.get_by_role("heading", name=domain.title["es"])).to_be_visible()
        press(page, t("survey.next", "es"))
    expect(page.get_by_role("heading", name=t("survey.role.heading", "es"))).to_be_visible()
    press(page, t("survey.next", "es"))
    expect(page.get_by_role("heading", name=t("survey.review.heading", "es"))).to_be_visible()
    total = sum(len(d.items) for d in instrument.domains)
    expect(page.get_by_text(tn("survey.review.missing", total, "es"))).to_be_visible()
    _no_streamlit_english(page)

    page.evaluate(
        "document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0); "
        "window.scrollTo(0, 0)"
    )
    submit = page.get_by_role("button", name=t("survey.submit", "es"), exact=True)
    box = submit.bounding_box()
    assert box is not None and box["y"] < 2 * PHONE["height"], box
    press(page, t("survey.submit", "es"))
    expect(page.get_by_role("heading", name=t("survey.thanks.heading", "es"))).to_be_visible()
    assert submissions(server_database_url, round_id) == 1
    _only_the_survey(page)
    _no_streamlit_english(page)
    # the link to the results wraps on the phone instead of being cut off
    link = page.locator('[data-testid="stPageLink"] a')
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert link.evaluate("a => a.scrollWidth <= a.clientWidth + 1"), "the label is cut off"
