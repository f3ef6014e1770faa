"""An automated accessibility scan (axe-core, from the npm registry) of the survey and the
report pages in a real browser: no violation of impact "serious" or "critical" is allowed.

axe-core is pinned in ``tests/browser/package.json`` (and its lock file) and installed by
``.ci/run`` with ``npm ci --prefix tests/browser``; Playwright injects it into each page once
Streamlit has drawn it. Without ``tests/browser/node_modules`` (outside CI, before ``npm ci``)
the scan is skipped and says why.

The pages are scanned in a browser context that bypasses the app's Content-Security-Policy,
because injecting a script is exactly what that policy forbids; nothing else is changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from instruments import Instrument
from storage.demo import DEMO_SIGN_INS
from storage.engine import shared_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.organization_repo import list_units, resolve_organization
from storage.round_service import (
    UnitInvitation,
    create_round,
    issue_codes,
    list_rounds,
    open_round,
)
from tests.browser.streamlit_page import press, settled
from ui.i18n import t
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
NORTH = next(s for s in DEMO_SIGN_INS if s.username == "north.manager")
DIRECTOR = next(s for s in DEMO_SIGN_INS if s.username == "director")
REPORT_PAGES = [spec for spec in PAGES if spec.section == "report.section"]
# Pages scanned by the tests below with the state they need (a survey opened with a code, a
# report round, a home after sign-in, codes issued); every other page is scanned as it opens.
SCANNED_ELSEWHERE = {"survey", "results", "access", "paper", "report-actions",
                     *(spec.url_path for spec in REPORT_PAGES)}

# Violations inside Streamlit's own markup, which the app cannot change, are left out by rule
# and by the Streamlit element they sit in (a CSS selector matched with `closest`), each with
# the reason. Everything else counts.
STREAMLIT_MARKUP: list[tuple[str, str, str]] = [
    (
        "list",
        '[data-testid="stSidebarNavItems"]',
        "st.navigation with sections draws each section as a <div> (header and links) directly "
        "inside the menu's <ul>; the markup is Streamlit's (1.67), the links stay reachable "
        "and named",
    ),
    (
        "listitem",
        '[data-testid="stSidebarNavItems"]',
        "the same menu: its <li> items sit in those <div> sections rather than in the <ul>",
    ),
]

@dataclass(frozen=True)
class SurveyRound:
    codes: list[str]
    instrument: Instrument


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci --prefix tests/browser` (bash .ci/run does)")
    return AXE.read_text()


@pytest.fixture(scope="module")
def survey_round(demo_database_url: str) -> SurveyRound:
    """An open round of the demo agency with codes, so the survey can be opened."""
    with transaction(shared_factory(demo_database_url), write=True) as session:
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        rounds = [r for r in list_rounds(session, organization)
                  if r.name == "Accessibility round"]
        if rounds:
            round_ = rounds[0]
        else:
            round_ = create_round(
                session, organization, name="Accessibility round",
                instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
                invitations=[UnitInvitation(units["north-intake"], 14)],
                languages=("en", "es"),
            )
            open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], 2)
        return SurveyRound(codes, round_.instrument_version.instrument())


@pytest.fixture
def scan_page(browser):
    """A page whose context lets the test inject axe-core despite the app's CSP."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _inside(page, target: list[str], container: str) -> bool:
    """Whether the node axe names by `target` sits inside an element matching `container`."""
    if len(target) != 1:  # a node inside an iframe or a shadow root: not Streamlit's menu
        return False
    return page.evaluate(
        "([node, container]) => !!document.querySelector(node)?.closest(container)",
        [target[0], container],
    )


def blocking_violations(page, axe_source: str, *, streamlit: bool = True) -> list[dict]:
    """axe-core's serious and critical violations on the page (a Streamlit page once its run
    has ended; `streamlit=False` for the plain HTML sign-in form)."""
    if streamlit:
        settled(page)
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = [
            node for node in violation["nodes"]
            if not any(
                rule == violation["id"] and _inside(page, node["target"], container)
                for rule, container, _why in STREAMLIT_MARKUP
            )
        ]
        if nodes:
            found.append({
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [(n["target"], n["failureSummary"][:300]) for n in nodes[:5]],
            })
    return found


def assert_accessible(page, axe_source: str, what: str, *, streamlit: bool = True) -> None:
    found = blocking_violations(page, axe_source, streamlit=streamlit)
    assert found == [], f"{what}:\n{json.dumps(found, indent=1, ensure_ascii=False)}"


def test_the_survey_pages_have_no_serious_violations(
    axe_source, demo_server, survey_round, scan_page
):
    from playwright.sync_api import expect

    page = scan_page
    instrument = survey_round.instrument
    page.goto(f"{demo_server}/survey?code={survey_round.codes[0]}")
    expect(page.get_by_role("heading", name=t("survey.welcome.heading", "en"))).to_be_visible()
    assert_accessible(page, axe_source, "survey welcome")

    press(page, t("survey.welcome.start", "en"))
    first = instrument.domains[0]
    expect(page.get_by_role("radiogroup", name=first.items[0].text["en"], exact=True)) \
        .to_be_visible()
    assert_accessible(page, axe_source, f"survey domain {first.id}")

    for domain in instrument.domains[1:]:
        press(page, t("survey.next", "en"))
        expect(page.get_by_role("radiogroup", name=domain.items[0].text["en"], exact=True)) \
            .to_be_visible()
    press(page, t("survey.next", "en"))
    expect(page.get_by_role("heading", name=t("survey.role.heading", "en"))).to_be_visible()
    press(page, t("survey.next", "en"))
    expect(page.get_by_role("heading", name=t("survey.review.heading", "en"))).to_be_visible()
    assert_accessible(page, axe_source, "survey review")


def test_the_report_pages_have_no_serious_violations(
    axe_source, demo_server, scan_page, sign_in
):
    from playwright.sync_api import expect

    page = scan_page
    sign_in(page, demo_server, NORTH.username, NORTH.password)
    page.goto(f"{demo_server}/report")
    expect(page).to_have_url(re.compile(r"round=(\d+)"))
    round_id = re.search(r"round=(\d+)", page.url).group(1)
    for spec in REPORT_PAGES:
        page.goto(f"{demo_server}/{spec.url_path}?round={round_id}&unit=north-region")
        expect(page.get_by_role("heading", name=t(spec.title, "en"), exact=True)).to_be_visible()
        assert_accessible(page, axe_source, spec.url_path)


def test_the_staff_summary_has_no_serious_violations(axe_source, demo_server, scan_page):
    from playwright.sync_api import expect

    page = scan_page
    page.goto(f"{demo_server}/results")
    expect(page.get_by_role("heading", name=t("results.title", "en"))).to_be_visible()
    assert_accessible(page, axe_source, "results")


@pytest.mark.parametrize(
    ("username", "heading"),
    [("director", "lhome.title"), ("north.manager", "mhome.title")],
)
def test_the_home_pages_have_no_serious_violations(
    axe_source, demo_server, scan_page, sign_in, username, heading
):
    from playwright.sync_api import expect

    page = scan_page
    who = next(s for s in DEMO_SIGN_INS if s.username == username)
    sign_in(page, demo_server, who.username, who.password)
    expect(page.get_by_role("heading", name=t(heading, "en"))).to_be_visible()
    assert_accessible(page, axe_source, f"home of {username}")
    if username == NORTH.username:  # a page this role may not open says so
        page.goto(f"{demo_server}/rounds")
        expect(page.get_by_text(t("refused.leadership", "en"))).to_be_visible()
        assert_accessible(page, axe_source, "a leadership page refused to a manager")


def test_every_other_page_has_no_serious_violations(axe_source, demo_server, scan_page, sign_in):
    """Each page not scanned above, as a visitor who is not signed in and as leadership (who
    may open every page), and the sign-in form itself."""
    from playwright.sync_api import expect

    page = scan_page
    page.goto(f"{demo_server}/api/login")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, axe_source, "the sign-in form", streamlit=False)
    for who in (None, DIRECTOR):
        if who is not None:
            sign_in(page, demo_server, who.username, who.password)
        role = None if who is None else who.role
        for spec in PAGES:
            if spec.url_path in SCANNED_ELSEWHERE or not spec.visible_to(role) or spec.default:
                continue
            page.goto(f"{demo_server}/{spec.url_path}")
            expect(page.locator("h1").first).to_be_visible()
            assert_accessible(page, axe_source, f"{spec.url_path} ({role or 'signed out'})")
        page.goto(demo_server)
        expect(page.locator("h1").first).to_be_visible()
        assert_accessible(page, axe_source, f"the home page ({role or 'signed out'})")
