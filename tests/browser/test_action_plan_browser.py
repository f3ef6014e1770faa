"""The action plan's tables on a 1366-pixel screen: every column, status included, is in view
(no column cut off behind a horizontal scroll), in English and in Spanish.

AppTest cannot see widths; a real chromium lays the page out.
"""

from __future__ import annotations

import pytest

from storage.demo import DEMO_SIGN_INS
from storage.engine import shared_factory, transaction
from storage.organization_repo import resolve_organization
from storage.round_service import chronological_key, list_rounds
from tests.browser.streamlit_page import settled
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
