"""Each role's home, a report link through sign-in and a refused page, in a real browser on
the demo agency (`streamlit run asgi.py`: the sign-in form, the HttpOnly cookie)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from storage.demo import DEMO_SIGN_INS
from tests.browser.streamlit_page import settled
from ui.i18n import t

pytestmark = pytest.mark.browser

DIRECTOR = next(s for s in DEMO_SIGN_INS if s.username == "director")
NORTH = next(s for s in DEMO_SIGN_INS if s.username == "north.manager")
FOLDED_MENU = re.compile(r"^View \d+ more$")


def test_leadership_lands_on_the_rounds_with_every_page_one_click_away(
    demo_server, page, sign_in
):
    from playwright.sync_api import expect

    sign_in(page, demo_server, DIRECTOR.username, DIRECTOR.password)
    expect(page.get_by_role("heading", name=t("lhome.title", "en"))).to_be_visible()
    # Which next step each round shows depends on the rounds other tests of the session
    # opened; every round card names one, and the list of all rounds is one click away.
    expect(page.get_by_text(t("lhome.next", "en")).first).to_be_visible()
    expect(page.get_by_role("link", name=t("lhome.all_rounds", "en"))).to_be_visible()
    settled(page)
    expect(page.get_by_role("button", name=FOLDED_MENU)).to_have_count(0)
    for title in ("admin.page.audit", "report.page.downloads", "page.account"):
        expect(page.get_by_role("link", name=t(title, "en"), exact=True)).to_be_visible()


def test_a_report_link_opened_signed_out_leads_through_sign_in_to_the_report(
    demo_server, page
):
    from playwright.sync_api import expect

    page.goto(f"{demo_server}/report-change?round=3&unit=north-region")
    expect(page.get_by_label(t("login.username", "en"))).to_be_visible()
    assert urlsplit(page.url).path == "/api/login"
    page.get_by_label(t("login.username", "en")).fill(NORTH.username)
    page.get_by_label(t("login.password", "en")).fill(NORTH.password)
    page.get_by_role("button", name=t("login.submit", "en")).click()
    expect(page.get_by_role("heading", name=t("report.page.change", "en"), exact=True)) \
        .to_be_visible()
    where = urlsplit(page.url)
    assert where.path == "/report-change"
    assert parse_qs(where.query) == {"round": ["3"], "unit": ["north-region"]}


def test_a_manager_lands_on_their_units_and_is_told_a_leadership_page_is_not_theirs(
    demo_server, page, sign_in
):
    from playwright.sync_api import expect

    sign_in(page, demo_server, NORTH.username, NORTH.password)
    expect(page.get_by_role("heading", name=t("mhome.title", "en"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Change since "))).to_be_visible()
    expect(page.get_by_role("heading", name=t("mhome.attention", "en"))).to_be_visible()
    settled(page)
    expect(page.get_by_role("button", name=FOLDED_MENU)).to_have_count(0)
    expect(page.get_by_role("link", name=t("report.page.actions", "en"), exact=True)) \
        .to_be_visible()

    page.goto(f"{demo_server}/rounds")
    expect(page.get_by_text(t("refused.leadership", "en"))).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)  # not "page not found"
