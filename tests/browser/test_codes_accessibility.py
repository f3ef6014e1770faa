"""The access page with codes just issued for every invited unit, and the paper page with its
questionnaire downloads, scanned by axe-core as the other pages are (no serious or critical
violation)."""

from __future__ import annotations

import pytest

from storage.demo import DEMO_SIGN_INS
from storage.engine import shared_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.organization_repo import list_units, resolve_organization
from storage.round_service import UnitInvitation, create_round, list_rounds, open_round
from tests.browser.streamlit_page import press
from tests.browser.test_accessibility import (  # noqa: F401 (fixtures)
    assert_accessible,
    axe_source,
    scan_page,
)
from ui.i18n import t

pytestmark = pytest.mark.browser

DIRECTOR = next(s for s in DEMO_SIGN_INS if s.username == "director")


@pytest.fixture(scope="module")
def codes_round(demo_database_url: str) -> str:
    """An open round of the demo agency over two units, without codes."""
    name = "Codes scan round"
    with transaction(shared_factory(demo_database_url), write=True) as session:
        organization = resolve_organization(session)
        if not [r for r in list_rounds(session, organization) if r.name == name]:
            units = {unit.code: unit for unit in list_units(session, organization)}
            round_ = create_round(
                session, organization, name=name,
                instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
                invitations=[UnitInvitation(units["north-intake"], 3),
                             UnitInvitation(units["south-intake"], 2)],
                languages=("en", "es"),
            )
            open_round(session, round_)
    return name


def test_codes_for_every_unit_and_the_paper_page_have_no_serious_violations(
    axe_source, demo_server, scan_page, sign_in, codes_round  # noqa: F811
):
    from playwright.sync_api import expect

    page = scan_page
    sign_in(page, demo_server, DIRECTOR.username, DIRECTOR.password)
    page.goto(f"{demo_server}/access")
    round_box = page.get_by_role("combobox", name=t("admin.access.round", "en"))
    round_box.click()
    page.get_by_role("option", name=f"{codes_round} · {t('admin.round_status.open', 'en')}").click()
    press(page, t("admin.access.issue_all", "en"))
    expect(page.get_by_text(t("admin.access.mail_merge_note", "en"))).to_be_visible()
    assert_accessible(page, axe_source, "access codes for every invited unit")
    page.goto(f"{demo_server}/paper")
    expect(page.get_by_role("heading", name=t("admin.paper.forms_title", "en"))).to_be_visible()
    assert_accessible(page, axe_source, "paper page")
