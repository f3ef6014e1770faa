"""The action plan's tables on a 1366-pixel screen: every column, status included, is in view
(no column cut off behind a horizontal scroll), in English and in Spanish; and the page with
its suggested actions, and the staff summary with a unit chosen, have no serious or critical
accessibility violation (axe-core).

AppTest cannot see widths or accessibility; a real chromium lays the page out.
"""

from __future__ import annotations

import pytest

from storage.demo import DEMO_SIGN_INS
from storage.engine import shared_factory, transaction
from storage.organization_repo import resolve_organization
from storage.round_service import chronological_key, list_rounds
from tests.browser.streamlit_page import settled
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_accessibility import axe_source as axe_source  # noqa: F401 (fixture)
from tests.browser.test_accessibility import scan_page as scan_page  # noqa: F401 (fixture)
from ui.i18n import t

pytestmark = pytest.mark.browser

NORTH = next(s for s in DEMO_SIGN_INS if s.username == "north.manager")
LAPTOP = {"width": 1366, "height": 768}


def middle_round(url: str) -> int:
    """The demo's second round: its own actions and those planned after the first."""
    with transaction(shared_factory(url)) as session:
        rounds = sorted(list_rounds(session, resolve_organization(session)),
                        key=chronological_key)
        return rounds[1].id


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_column_of_the_action_tables_fits_a_laptop_screen(
    demo_server, demo_database_url, page, sign_in, lang
):
    from playwright.sync_api import expect

    page.set_viewport_size(LAPTOP)
    sign_in(page, demo_server, NORTH.username, NORTH.password)
    page.goto(f"{demo_server}/report-actions?round={middle_round(demo_database_url)}"
              f"&lang={lang}")
    settled(page)
    expect(page.get_by_role("heading", name=t("report.action.now", lang))).to_be_visible(
        timeout=30_000)
    settled(page)
    grids = page.locator('[data-testid="stDataFrame"]')
    expect(grids).to_have_count(2)  # last round's actions and this round's
    for index in range(2):
        grid = grids.nth(index)
        grid.scroll_into_view_if_needed()
        scroller = grid.locator(".dvn-scroller").first
        widths = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] <= widths[1] + 1, f"table {index} is cut off at 1366 px: {widths}"


def test_the_action_plan_and_a_units_summary_are_accessible(
    axe_source, demo_server, demo_database_url, scan_page, sign_in  # noqa: F811
):
    from playwright.sync_api import expect

    page = scan_page
    page.goto(f"{demo_server}/results?unit=north-ongoing")
    settled(page)
    expect(page.get_by_role("heading", name=t("results.unit_heard", "en",
                                              unit="North Ongoing Services"))).to_be_visible(
        timeout=30_000)
    assert_accessible(page, axe_source, "results of a unit")
    sign_in(page, demo_server, NORTH.username, NORTH.password)
    page.goto(f"{demo_server}/report-actions?round={middle_round(demo_database_url)}"
              "&unit=north-ongoing")
    settled(page)
    expect(page.get_by_role("button", name=t("report.action.use_suggestion", "en")).first) \
        .to_be_visible(timeout=30_000)
    assert_accessible(page, axe_source, "action plan with suggestions")
