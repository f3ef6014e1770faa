"""The survey in a real browser: a staff member answers in Spanish, reloads halfway, finds the
answers again, submits, and cannot use the code a second time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from instruments import Instrument
from storage.bootstrap import initialize
from storage.engine import shared_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Response, SealedSubmission
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, create_round, issue_codes, open_round
from tests.browser.streamlit_page import press
from ui.i18n import t, tn
from ui.survey_flow import option_labels

pytestmark = pytest.mark.browser

# A new session's first run imports the app and opens the database: on a busy machine it takes
# longer than playwright's 5 s for an expectation, so the first page of a session gets more.
FIRST_RUN_MS = 30_000


@dataclass(frozen=True)
class SurveyRound:
    round_id: int
    codes: list[str]
    instrument: Instrument


def open_round_with_codes(url: str, agency: str, unit_name: str, n_codes: int) -> SurveyRound:
    """An open round of ti-staff 1.1.0 in English and Spanish in the server's database (as the
    server itself would store it), with `n_codes` codes to hand out."""
    initialize(url)
    with transaction(shared_factory(url), write=True) as session:
        organization = create_organization(session, agency)
        unit = add_unit(session, organization, unit_name)
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session,
            organization,
            name=f"{agency} round",
            instrument_version=version,
            invitations=[UnitInvitation(unit, 12)],
            languages=("en", "es"),
        )
        open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], n_codes)
        return SurveyRound(round_.id, codes, version.instrument())


@pytest.fixture(scope="module")
def survey_round(server_database_url: str) -> SurveyRound:
    return open_round_with_codes(server_database_url, "Survey Browser Agency", "Oficina Norte", 3)


def submissions(url: str, round_id: int) -> int:
    """Submissions stored: released responses and those still sealed (fewer than k so far)."""
    with transaction(shared_factory(url)) as session:
        return sum(
            session.scalar(
                sa.select(sa.func.count()).select_from(model).where(model.round_id == round_id)
            )
            for model in (Response, SealedSubmission)
        )


def test_answer_in_spanish_reload_halfway_resume_and_submit_once(
    server, server_database_url, survey_round, page
):
    from playwright.sync_api import expect

    instrument = survey_round.instrument
    domains = instrument.domains
    code = survey_round.codes[0]

    def group(item):
        return page.get_by_role("radiogroup", name=item.text["es"], exact=True)

    def choose(item, point):
        label = option_labels(instrument, item, "es")[point]
        group(item).get_by_text(label, exact=True).click()
        expect(group(item).get_by_role("radio", name=label, exact=True)).to_be_checked()

    def expect_chosen(item, point):
        label = option_labels(instrument, item, "es")[point]
        expect(group(item).get_by_role("radio", name=label, exact=True)).to_be_checked()

    def section(n):
        progress = t("survey.progress", "es", n=n, total=len(domains))
        expect(page.get_by_text(progress, exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name=domains[n - 1].title["es"])).to_be_visible()

    def next_page():
        press(page, t("survey.next", "es"))

    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/survey?code={code}")
    expect(page.get_by_role("heading", name=t("survey.welcome.heading", "en"))).to_be_visible(
        timeout=FIRST_RUN_MS
    )
    page.get_by_role("radiogroup", name=t("survey.welcome.language", "en")).get_by_text(
        "Español", exact=True
    ).click()
    expect(page.get_by_role("heading", name=t("survey.welcome.heading", "es"))).to_be_visible()
    expect(page.get_by_text(t("survey.welcome.privacy.groups", "es", k=5))).to_be_visible()
    expect(page).to_have_url(re.compile(r"lang=es"))
    press(page, t("survey.welcome.start", "es"))

    # the first three domains: every item of the first, some of the others
    given = {}
    for n in (1, 2, 3):
        section(n)
        items = domains[n - 1].items if n == 1 else domains[n - 1].items[:2]
        for k, item in enumerate(items):
            point = "NA" if (n, k) == (2, 1) else 1 + (n + k) % 5
            choose(item, point)
            given[item.id] = point
        if n == 2:
            page.get_by_role("textbox", name=t("survey.comment.label", "es"), exact=True).fill(
                "Necesitamos más apoyo."
            )
        next_page()
    section(4)
    choose(domains[3].items[0], 4)  # saved as it is given, without a page change
    given[domains[3].items[0].id] = 4

    page.reload()  # a new browser session; the code and the language are in the address
    expect(page.get_by_role("heading", name=domains[3].title["es"])).to_be_visible(
        timeout=FIRST_RUN_MS
    )
    section(4)
    expect_chosen(domains[3].items[0], 4)
    expect(page.get_by_text(code)).to_be_visible()
    for n in (3, 2, 1):
        press(page, t("survey.back", "es"))
        section(n)
        for item in domains[n - 1].items:
            if item.id in given:
                expect_chosen(item, given[item.id])
        if n == 2:
            expect(
                page.get_by_role("textbox", name=t("survey.comment.label", "es"), exact=True)
            ).to_have_value("Necesitamos más apoyo.")

    for n in range(1, len(domains) + 1):
        section(n)
        if n == 5:
            choose(domains[4].items[0], 5)
        next_page()
    expect(page.get_by_role("heading", name=t("survey.role.heading", "es"))).to_be_visible()
    page.get_by_role("radiogroup", name=t("survey.role.question", "es")).get_by_text(
        t("survey.role_frontline", "es"), exact=True
    ).click()
    next_page()
    expect(page.get_by_role("heading", name=t("survey.review.heading", "es"))).to_be_visible()
    # the unanswered statements are counted per section, in Spanish
    missing = len(domains[3].items) - 1
    expect(
        page.get_by_text(f"{domains[3].title['es']} · "
                         f"{tn('survey.review.section_missing', missing, 'es')}")
    ).to_be_visible()
    press(page, t("survey.submit", "es"))
    expect(page.get_by_role("heading", name=t("survey.thanks.heading", "es"))).to_be_visible()
    expect(page.get_by_text(t("survey.thanks.received", "es"))).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"code="))
    assert submissions(server_database_url, survey_round.round_id) == 1
    assert requested, "no request was recorded: the listener is not working"
    outside = [url for url in requested if urlparse(url).hostname not in {"127.0.0.1", None}]
    assert outside == [], "the survey must make no request off the machine"

    # the same code again, in a fresh page
    page.goto(f"{server}/survey?code={code}&lang=es")
    expect(page.get_by_text(t("survey.error.used", "es"))).to_be_visible(timeout=FIRST_RUN_MS)
    expect(page.get_by_role("textbox", name=t("survey.entry.label", "es"))).to_be_visible()
    assert submissions(server_database_url, survey_round.round_id) == 1
