"""At 1366 px wide (a common laptop), the report's tables show every column and every domain
without a scroll bar of their own (a table in an inner scroll hides Hedges' g and the verdict
of the change page, or the last domains of the overview)."""

from __future__ import annotations

import pytest

from storage.demo import DEMO_SIGN_INS
from tests.browser.streamlit_page import settled
from ui.i18n import t

pytestmark = pytest.mark.browser

NORTH = next(s for s in DEMO_SIGN_INS if s.username == "north.manager")
LAPTOP = {"width": 1366, "height": 768}
INNER_SCROLL = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(frame => {
    const scroller = frame.querySelector('.dvn-scroller');
    return {
        wide: scroller.scrollWidth - scroller.clientWidth,
        tall: scroller.scrollHeight - scroller.clientHeight,
    };
})"""


@pytest.mark.parametrize(
    ("path", "title", "tables"),
    [("report-change", "report.page.change", 2), ("report", "report.page.overview", 1)],
)
def test_report_tables_fit_a_laptop_screen(demo_server, page, sign_in, path, title, tables):
    from playwright.sync_api import expect

    page.set_viewport_size(LAPTOP)
    sign_in(page, demo_server, NORTH.username, NORTH.password)
    page.goto(f"{demo_server}/{path}?round=3&unit=north-region")
    settled(page)  # the report draws its charts first
    expect(page.get_by_role("heading", name=t(title, "en"), exact=True)).to_be_visible()
    settled(page)
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').nth(tables - 1).wait_for()
    overflow = page.evaluate(INNER_SCROLL)
    assert len(overflow) == tables
    assert all(o["wide"] <= 1 and o["tall"] <= 1 for o in overflow), overflow
