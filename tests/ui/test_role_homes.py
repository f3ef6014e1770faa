"""Each role's home and the pages a visitor may not open, under AppTest against a real SQLite
database per test (the helpers of the admin page tests: a fresh database with the admin
``ana``; the demo agency where reports are needed).

A page address is opened as a browser would: AppTest is given the page's hash, which
Streamlit derives from the address (``/rounds`` → hash of "rounds")."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from reports.report_cache import cached_report
from scoring.disclosure import BELOW_K, WITHHELD
from storage.demo import load_demo
from storage.organization_repo import get_organization
from storage.round_service import list_rounds
from tests.ui import test_admin_pages as admin_pages
from tests.ui.test_admin_pages import ROOT, add_manager, add_units, open_app, open_round_with, work
from ui import manager_home_page
from ui.i18n import t
from ui.markdown_text import unescape

db = admin_pages.db  # the fixtures of the admin page tests
_in_repo_root = admin_pages._in_repo_root


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return unescape("\n".join(parts))


def links(at: AppTest) -> list[str]:
    return [link.label for link in at.get("page_link")]


def open_address(at: AppTest, url_path: str) -> AppTest:
    """Open ``/<url_path>`` in this session, as typing the address would."""
    at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def demo(db) -> str:
    with work(db, write=True) as session:
        load_demo(session)
    return db


# -- leadership ------------------------------------------------------------------------------


def test_leadership_without_a_round_is_shown_the_way_to_the_first(db):
    at = open_app(db, None)
    assert at.title[0].value == t("lhome.title", "en")
    assert t("lhome.none", "en") in texts(at)
    assert t("lhome.do.create", "en") in links(at)


def test_leadership_sees_an_open_rounds_progress_and_next_steps(db):
    add_units(db, ("North office", "north", None))
    open_round_with(db, {"north": 8})
    at = open_app(db, None)
    assert at.title[0].value == t("lhome.title", "en")
    assert "Spring 2027" in [s.value for s in at.subheader]
    [bar] = at.get("progress")
    assert t("lhome.progress", "en", responses=0, invited=8, pct="0%") in bar.proto.text
    assert t("lhome.do.close", "en") in links(at)
    assert t("lhome.do.rates", "en") in [b.label for b in at.button]


def test_a_round_with_fewer_than_k_invited_shows_no_count(db):
    add_units(db, ("North office", "north", None))
    open_round_with(db, {"north": 3})
    at = open_app(db, None)
    assert not at.get("progress")
    assert t("lhome.withheld", "en", invited=3, k=5) in texts(at)


def test_the_codes_button_opens_the_access_page_on_that_round(db):
    add_units(db, ("North office", "north", None))
    round_id = open_round_with(db, {"north": 8})
    at = open_app(db, None)
    [codes] = [b for b in at.button if b.label == t("lhome.do.rates", "en")]
    codes.click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("admin.access.title", "en")
    assert at.session_state["access.round"] == round_id


# -- managers --------------------------------------------------------------------------------


def test_a_manager_lands_on_their_units_latest_report_with_change_beside_each_score(demo):
    at = open_app(demo, None, username="north.manager")
    assert at.title[0].value == t("mhome.title", "en")
    [table] = [tb.value for tb in at.table]
    assert len(table) == 12  # every domain
    [change_column] = [c for c in table.columns if c.startswith("Change since")]
    wel = table[table[t("report.col.domain", "en")].str.startswith("WEL")]
    assert t("report.verdict.declined", "en") in wel[change_column].iloc[0]
    shown = texts(at)
    assert "North Region" in shown
    wel_title = wel[t("report.col.domain", "en")].iloc[0].split(" · ", 1)[1]
    assert f"▼ **{wel_title}**" in shown  # under "needs attention"
    assert t("mhome.attention", "en") in [s.value for s in at.subheader]
    assert t("mhome.to.change", "en") in links(at)


def test_a_manager_home_keeps_withheld_scores_and_changes_withheld(demo):
    with work(demo) as session:
        organization = get_organization(session, "riverbend-demo")
        newest = list_rounds(session, organization)[-1]
        report = cached_report(session, newest, None)
    held = dataclasses.replace(
        report,
        domains=(dataclasses.replace(report.domains[0], status=WITHHELD, reason=BELOW_K,
                                     mean=None), *report.domains[1:]),
        change=(dataclasses.replace(report.change[0], verdict=WITHHELD, reason=BELOW_K,
                                    diff=None), *report.change[1:]),
    )
    table = manager_home_page.scores_table(held, "en")
    first = table.iloc[0].tolist()
    assert all("🔒" in cell for cell in first[1:]), first
    assert t("report.reason.below_k", "en", k=report.min_group_size) in first[1]


# -- refused pages ---------------------------------------------------------------------------


def test_a_manager_opening_a_leadership_page_is_told_so(db):
    add_manager(db)
    at = open_address(open_app(db, None, username="mo"), "rounds")
    assert [w.value for w in at.warning] == [t("refused.leadership", "en")]
    assert t("refused.home", "en") in links(at)
    assert not at.button and not at.dataframe


def test_in_spanish_too(db):
    add_manager(db)
    at = open_address(open_app(db, None, username="mo", lang="es"), "users")
    assert [w.value for w in at.warning] == [t("refused.leadership", "es")]


def test_a_visitor_opening_a_report_is_asked_to_sign_in_and_brought_back(db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["round"] = "3"
    at.run()
    at = open_address(at, "report-change")
    assert [w.value for w in at.warning] == [t("refused.signin", "en")]
    [link] = at.get("html")
    assert 'href="/api/login?next=%2Freport-change%3Fround%3D3"' in link.proto.body


def test_a_signed_in_person_at_the_sign_in_page_is_told_they_are_signed_in(db):
    at = open_address(open_app(db, None), "signin")
    assert [w.value for w in at.warning] == [t("refused.signed_in", "en")]
