"""Every form of the app submitted with every optional field left empty (and, where it has
any, with its required fields empty too), under AppTest against a real SQLite database.

Each submission is answered: the page shows a success, or one short message saying what is
missing; never an exception or a traceback, and a refusal leaves the row count of every table
as it was. Then what an accepted empty field became is shown on the pages that read it (a round
with default dates, an action item with no owner, due date or indicator, a round stored without
dates by an older version).

`test_every_form_of_the_app_is_walked` reads ``ui/`` for ``st.form(...)``: a new form that is
not walked here fails it.

The world is the demo agency (`tisa init --demo`, built once and copied for each test) with an
open round "Spring 2027" (codes for north-intake) and a draft "Old draft" stored without dates.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from reports.frozen import freeze_closed_rounds
from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, make_engine, session_factory, transaction
from storage.instrument_repo import list_instrument_versions
from storage.models import ActionItem, Base, Round, RoundStatus, User
from storage.organization_repo import list_units, resolve_organization
from storage.round_service import (
    DEFAULT_ROUND_DAYS,
    UnitInvitation,
    create_round,
    get_round_unit,
    issue_codes,
    list_rounds,
    open_round,
)
from storage.user_repo import get_user
from ui.i18n import t
from ui.markdown_text import unescape

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "director"
MESSAGE_MAX = 1_000
FORM_NAMES = {  # every st.form of ui/ and the test below that walks it
    "rounds.create": "test_rounds_create",
    "rounds.dates": "test_round_dates_form",
    "units.add": "test_units_forms",
    "units.rename": "test_units_forms",
    "units.move": "test_units_forms",
    "users.add": "test_users_forms",
    "users.reset": "test_users_forms",
    "account.password": "test_account_password",
    "access.issue": "test_access_page",
    "report.action.new": "test_action_items",
    "report.action.edit": "test_action_items",
    "survey_code_form": "test_survey",
}


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict]:
    """The world of the module docstring in a SQLite file, and the open round's codes."""
    path = tmp_path_factory.mktemp("template") / "tisa.db"
    url = f"sqlite:///{path}"
    initialize(url, demo=True)
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    factory = session_factory(engine)
    with transaction(factory, write=True) as session:
        freeze_closed_rounds(session)  # as `tisa init --demo` does
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        version = list_instrument_versions(session, "ti-staff", status="published")[-1]
        spring = create_round(
            session, organization, name="Spring 2027", instrument_version=version,
            invitations=[UnitInvitation(units["north-intake"], 12)],
        )
        open_round(session, spring)
        codes = issue_codes(session, spring, get_round_unit(session, spring, "north-intake"), 3)
        old = create_round(
            session, organization, name="Old draft", instrument_version=version,
            invitations=[UnitInvitation(units["south-intake"], 9)],
        )
        old.opens_on = old.closes_on = None  # as versions before required dates stored it
        facts = {"codes": codes, "spring": spring.id, "old": old.id}
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path, facts


@pytest.fixture
def world(template, tmp_path, monkeypatch) -> tuple[str, dict]:
    """A copy of the template for this test: (database URL, facts)."""
    source, facts = template
    path = tmp_path / "tisa.db"
    shutil.copy(source, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return url, facts


def work(url: str, *, write: bool = False):
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    return transaction(session_factory(engine), write=write)


def row_counts(url: str) -> dict[str, int]:
    """Rows per table; sign-ins aside (each page the test opens signs in anew)."""
    with work(url) as session:
        return {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in Base.metadata.sorted_tables if table.name != "login_sessions"
        }


def open_page(url: str, page: str, username: str | None = ADMIN, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    for name, value in query.items():
        at.query_params[name] = value
    if username is not None:
        with work(url, write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, username))
    at.run()
    assert_no_exception(at, page)
    at.switch_page(f"ui/{page}").run()
    assert_no_exception(at, page)
    return at


def assert_no_exception(at: AppTest, where: str) -> None:
    assert not at.exception, f"{where}: {at.exception}"
    for element in (*at.error, *at.warning, *at.markdown, *at.code):
        value = str(element.value)
        assert "Traceback" not in value and "Error:" not in value.split("\n")[0][:40], (
            f"{where}: {value[:300]}")


def messages(at: AppTest) -> tuple[list[str], list[str]]:
    """(refusals, successes) shown on the page."""
    refusals = [unescape(str(e.value)) for e in (*at.error, *at.warning)]
    return refusals, [unescape(str(e.value)) for e in at.success]


def submit(at: AppTest, key: str, where: str) -> AppTest:
    at.button(key=key).click().run()
    assert_no_exception(at, where)
    return at


def assert_refused(url: str, at: AppTest, before: dict[str, int], where: str,
                   says: str | None = None) -> str:
    refusals, successes = messages(at)
    assert refusals and not successes, f"{where}: no clear message ({successes})"
    for message in refusals:
        assert len(message) < MESSAGE_MAX, where
    if says is not None:
        assert any(says in message for message in refusals), (where, refusals)
    assert row_counts(url) == before, f"{where}: a refused form changed stored rows"
    return refusals[0]


def assert_accepted(at: AppTest, where: str) -> str:
    refusals, successes = messages(at)
    assert successes and not at.error, f"{where}: {refusals}"
    return successes[0]


# -- the inventory -----------------------------------------------------------------------------


def test_every_form_of_the_app_is_walked():
    found = set()
    for path in (ROOT / "ui").glob("*.py"):
        for name in re.findall(r'st\.form\(\s*f?"([^"{]+)', path.read_text(encoding="utf-8")):
            found.add(name.rstrip("."))
    assert found == set(FORM_NAMES), f"forms without an empty-field walk: {found ^ set(FORM_NAMES)}"
    tests = {name for name in globals() if name.startswith("test_")}
    assert set(FORM_NAMES.values()) <= tests


# -- rounds ------------------------------------------------------------------------------------


def invite(at: AppTest, row: int, invited: int) -> None:
    at.session_state["rounds.create.units"] = {
        "edited_rows": {row: {"invited": invited}}, "added_rows": [], "deleted_rows": []}


def test_rounds_create(world):
    url, _ = world
    at = open_page(url, "rounds_page.py")
    today = date.today()
    opens = at.date_input(key="rounds.create.opens").value
    closes = at.date_input(key="rounds.create.closes").value
    assert closes - opens == timedelta(days=DEFAULT_ROUND_DAYS), "defaults shown in the form"
    assert abs((opens - today).days) <= 1
    before = row_counts(url)

    # everything left as it is: no name, nobody invited
    assert_refused(url, submit(at, "rounds.create.submit", "rounds.create"), before,
                   "rounds.create empty", "name")

    # a name and a unit, both dates emptied
    for key, label in (("rounds.create.opens", "admin.rounds.opens_on"),
                       ("rounds.create.closes", "admin.rounds.closes_on")):
        at = open_page(url, "rounds_page.py")
        at.text_input(key="rounds.create.name").input("Autumn 2027")
        invite(at, 1, 8)
        at.date_input(key=key).set_value(None)
        submit(at, "rounds.create.submit", key)
        assert_refused(url, at, before, key, t(label, "en"))

    # closing before opening
    at = open_page(url, "rounds_page.py")
    at.text_input(key="rounds.create.name").input("Autumn 2027")
    invite(at, 1, 8)
    at.date_input(key="rounds.create.opens").set_value(date(2027, 9, 30))
    at.date_input(key="rounds.create.closes").set_value(date(2027, 9, 1))
    submit(at, "rounds.create.submit", "dates out of order")
    assert_refused(url, at, before, "dates out of order", "closing date")

    # no language
    at = open_page(url, "rounds_page.py")
    at.text_input(key="rounds.create.name").input("Autumn 2027")
    invite(at, 1, 8)
    at.multiselect(key="rounds.create.languages").set_value([])
    submit(at, "rounds.create.submit", "no language")
    assert_refused(url, at, before, "no language", "language")

    # only what is required: a name and one invited unit; dates as the form proposes
    at = open_page(url, "rounds_page.py")
    at.text_input(key="rounds.create.name").input("Autumn 2027")
    invite(at, 1, 8)
    assert_accepted(submit(at, "rounds.create.submit", "rounds.create"), "rounds.create")
    with work(url) as session:
        created = next(r for r in list_rounds(session, resolve_organization(session))
                       if r.name == "Autumn 2027")
        assert (created.opens_on, created.closes_on) == (opens, closes)


def test_round_dates_form(world):
    url, facts = world
    at = open_page(url, "rounds_page.py")
    at.selectbox(key="rounds.selected").set_value(facts["old"]).run()
    assert_no_exception(at, "old draft")
    opens_key, closes_key = (f"rounds.dates.{facts['old']}.opens",
                             f"rounds.dates.{facts['old']}.closes")
    assert at.date_input(key=opens_key).value is not None, "an undated round shows defaults"
    before = row_counts(url)
    for key, label in ((opens_key, "admin.rounds.opens_on"),
                       (closes_key, "admin.rounds.closes_on")):
        at = open_page(url, "rounds_page.py")
        at.selectbox(key="rounds.selected").set_value(facts["old"]).run()
        at.date_input(key=key).set_value(None)
        submit(at, f"rounds.dates.{facts['old']}.save", key)
        assert_refused(url, at, before, key, t(label, "en"))
    at = open_page(url, "rounds_page.py")
    at.selectbox(key="rounds.selected").set_value(facts["old"]).run()
    at.date_input(key=opens_key).set_value(date(2027, 5, 2))
    at.date_input(key=closes_key).set_value(date(2027, 5, 1))
    submit(at, f"rounds.dates.{facts['old']}.save", "out of order")
    assert_refused(url, at, before, "out of order", "closing date 2027-05-01")

    # the open round's dates, saved as shown; then changed
    at = open_page(url, "rounds_page.py")
    at.selectbox(key="rounds.selected").set_value(facts["spring"]).run()
    at.date_input(key=f"rounds.dates.{facts['spring']}.closes").set_value(date(2027, 6, 30))
    assert_accepted(submit(at, f"rounds.dates.{facts['spring']}.save", "open round"),
                    "open round")
    with work(url) as session:
        assert session.get(Round, facts["spring"]).closes_on == date(2027, 6, 30)
        closed = next(r for r in list_rounds(session, resolve_organization(session))
                      if r.status == RoundStatus.PUBLISHED.value)
    at = open_page(url, "rounds_page.py")
    at.selectbox(key="rounds.selected").set_value(closed.id).run()
    assert_no_exception(at, "published round")
    assert not [d for d in at.date_input if d.key.startswith(f"rounds.dates.{closed.id}")]
    assert t("admin.rounds.dates_kept", "en") in " ".join(c.value for c in at.caption)


# -- units and users ---------------------------------------------------------------------------


def test_units_forms(world):
    url, _ = world
    before = row_counts(url)
    at = submit(open_page(url, "units_page.py"), "units.add.submit", "units.add")
    assert_refused(url, at, before, "units.add empty")
    at = submit(open_page(url, "units_page.py"), "units.rename.submit", "units.rename")
    assert_refused(url, at, before, "units.rename empty")
    at = submit(open_page(url, "units_page.py"), "units.move.submit", "units.move")
    refusals, successes = messages(at)
    assert refusals or successes, "units.move: no answer"

    at = open_page(url, "units_page.py")
    at.text_input(key="units.add.name").input("Night desk")  # no code, no parent
    assert_accepted(submit(at, "units.add.submit", "units.add"), "units.add name only")


def test_users_forms(world):
    url, _ = world
    before = row_counts(url)
    at = submit(open_page(url, "users_page.py"), "users.add.submit", "users.add")
    assert_refused(url, at, before, "users.add empty")
    at = submit(open_page(url, "users_page.py"), "users.reset.submit", "users.reset")
    assert_refused(url, at, before, "users.reset empty")

    at = open_page(url, "users_page.py")
    at.text_input(key="users.add.username").input("night.lead")  # no name, no units
    at.text_input(key="users.add.password").input("a long and unusual passphrase 42")
    at.text_input(key="users.add.password2").input("a long and unusual passphrase 42")
    submit(at, "users.add.submit", "users.add required only")
    refusals, successes = messages(at)
    assert successes or refusals, "users.add: no answer"
    with work(url) as session:
        added = session.scalar(sa.select(User).where(User.username == "night.lead"))
    assert (added is not None) == bool(successes)
    if added is not None:
        assert added.display_name  # an empty display name falls back to something shown
        at = open_page(url, "users_page.py")  # the list shows the new user without a name
        assert_no_exception(at, "users list")


def test_account_password(world):
    url, _ = world
    before = row_counts(url)
    at = submit(open_page(url, "account_page.py"), "account.password.submit", "account")
    assert_refused(url, at, before, "account.password empty")


# -- access codes, paper -----------------------------------------------------------------------


def test_access_page(world):
    url, facts = world
    at = open_page(url, "access_page.py")
    at.selectbox(key="access.round").set_value(facts["spring"]).run()
    assert_no_exception(at, "access")
    assert_accepted(submit(at, "access.issue.submit", "access.issue"), "access.issue defaults")
    at = open_page(url, "access_page.py")
    at.selectbox(key="access.round").set_value(facts["spring"]).run()
    submit(at, "access.link.submit", "access.link")


def test_paper_import_without_a_file(world):
    url, facts = world
    before = row_counts(url)
    at = open_page(url, "paper_page.py")
    at.selectbox(key="paper.round").set_value(facts["spring"]).run()
    assert_refused(url, submit(at, "paper.import", "paper.import"), before, "paper.import")


# -- action items, and the report pages that show them ------------------------------------------


def test_action_items(world):
    url, _ = world
    with work(url) as session:
        newest = list_rounds(session, resolve_organization(session))[2].id
    before = row_counts(url)
    at = open_page(url, "report_actions_page.py", round=str(newest))
    submit(at, "report.action.create", "report.action.new")
    assert_refused(url, at, before, "report.action.new empty")

    at = open_page(url, "report_actions_page.py", round=str(newest))
    at.text_input(key="report.action.title").input("Debrief after hard visits")
    assert_accepted(submit(at, "report.action.create", "title only"), "title only")
    with work(url) as session:
        action = session.scalar(sa.select(ActionItem).where(
            ActionItem.title == "Debrief after hard visits"))
        assert (action.owner, action.due_on, action.indicator) == ("", None, "")

    at = open_page(url, "report_actions_page.py", round=str(newest))
    at.selectbox(key="report.action.edit_pick").set_value(action.id)
    assert_accepted(submit(at, "report.action.save", "report.action.edit"), "edit")
    for script in ("report_actions_page.py", "report_overview_page.py",
                   "report_downloads_page.py"):
        open_page(url, script, round=str(newest))
    open_page(url, "results_page.py", None, round=str(newest))


# -- respondents ---------------------------------------------------------------------------------


def test_survey(world):
    url, facts = world
    before = row_counts(url)
    at = open_page(url, "survey_page.py", None)
    submit(at, "survey_code_submit", "survey code")
    assert_refused(url, at, before, "survey code empty")

    # a code, then every question, comment and the role left empty: submitted all the same
    at = open_page(url, "survey_page.py", None)
    at.text_input(key="survey_code_input").input(facts["codes"][0])
    submit(at, "survey_code_submit", "survey code")
    for _ in range(40):
        if any(b.key == "survey_submit" for b in at.button):
            break
        submit(at, "survey_next", "survey next")
    submit(at, "survey_submit", "survey submit")
    assert t("survey.thanks.heading", "en") in [h.value for h in at.header]
    with work(url) as session:
        assert json.dumps(session.get(Round, facts["spring"]).status) == '"open"'
