"""A slip's links in a real browser: the Spanish QR code of a slip, scanned by a phone whose
browser speaks English, opens the survey in Spanish with the code already in place, and the
English one in English."""

from __future__ import annotations

import pytest

from reports.code_slips import SlipRound, slip_links
from tests.browser.streamlit_page import settled
from tests.browser.test_survey_browser import open_round_with_codes
from ui.i18n import t

pytestmark = pytest.mark.browser


def test_each_language_of_a_slip_opens_the_survey_in_that_language(server, server_database_url,
                                                                    browser):
    from playwright.sync_api import expect

    survey = open_round_with_codes(server_database_url, "Slip Link Agency", "Oficina Este", 1)
    slip = SlipRound("Slip Link Agency", "Spring", "Oficina Este", None, ("en", "es"),
                     f"{server}/survey", 5)
    links = slip_links(slip, survey.codes[0])
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        for lang in ("es", "en"):
            page.goto(links[lang])
            settled(page)
            heading = t("survey.welcome.heading", lang)
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            expect(page.get_by_role("textbox", name=t("survey.entry.label", lang))).to_have_count(0)
    finally:
        context.close()
