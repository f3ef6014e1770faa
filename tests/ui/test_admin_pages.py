"""The leadership (admin) pages under AppTest, against a real SQLite database per test.

Each test initializes a fresh database (migrations, the bundled library, the admin ``ana``),
signs in by storing a real login session and handing its token to the app, and drives the
pages through their widgets. What the pages did is checked in the database through the same
services, and the words expected on the page come from ``ui.i18n``, never typed in here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit import config
from streamlit.testing.v1 import AppTest

from reports.code_slips import PER_PAGE, SlipRound, codes_csv, slips_pdf
from storage.access_codes import new_code, normalize_code
from storage.audit_repo import list_audit_events
from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.instrument_repo import list_instrument_versions
from storage.models import CodeState, RoundStatus
from storage.organization_repo import add_unit, list_units, resolve_organization
from storage.paper_import import import_paper_responses, template_header
from storage.round_service import (
    UnitInvitation,
    code_counts,
    create_round,
    get_round,
    list_rounds,
    open_round,
    response_total,
)
from storage.user_repo import add_user, get_user, list_users
from ui.i18n import t
from ui.markdown_text import unescape
from ui.navigation import ADMIN, specs_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
ADMIN_SCRIPTS = [spec.script for spec in specs_for(ADMIN) if spec.roles == frozenset({ADMIN})]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """A fresh database with the organization River County and its admin ``ana``."""
    url = f"sqlite:///{tmp_path / 'tisa.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    initialize(url, admin_user="ana", admin_password=PASSWORD, organization_name="River County")
    return url


def work(url: str, *, write: bool = False):
    return transaction(shared_factory(url), write=write)


def add_manager(url: str, username: str = "mo") -> None:
    with work(url, write=True) as session:
        add_user(session, resolve_organization(session), username, PASSWORD, role="manager")


def add_units(url: str, *specs: tuple[str, str, str | None]) -> None:
    """Store units given as (name, code, parent code)."""
    with work(url, write=True) as session:
        organization = resolve_organization(session)
        stored = {unit.code: unit for unit in list_units(session, organization)}
        for name, code, parent in specs:
            stored[code] = add_unit(
                session, organization, name, code=code, parent=stored.get(parent)
            )


def stored_unit_codes(url: str) -> list[str]:
    with work(url) as session:
        return [unit.code for unit in list_units(session, resolve_organization(session))]


def open_round_with(url: str, invited: dict[str, int], name: str = "Spring 2027") -> int:
    """A round of the newest ti-staff, opened, with `invited` people per unit code."""
    with work(url, write=True) as session:
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        version = [
            v for v in list_instrument_versions(session, "ti-staff", status="published")
        ][-1]
        round_ = create_round(
            session,
            organization,
            name=name,
            instrument_version=version,
            invitations=[UnitInvitation(units[code], n) for code, n in invited.items()],
        )
        open_round(session, round_)
        return round_.id


def audit_actions(url: str) -> list[str]:
    with work(url) as session:
        events = list_audit_events(session, resolve_organization(session))
        return [event.action for event in reversed(events)]


def open_app(url: str, page: str | None, username: str | None = "ana", lang: str = "en"):
    """The app as `username` (None: not signed in), switched to ``ui/<page>``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if username is not None:
        with work(url, write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, username)
            )
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"ui/{page}").run()
        assert not at.exception, at.exception
    return at


def rerun_ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> str:
    return "\n".join(unescape(error.value) for error in at.error)


def successes(at: AppTest) -> str:
    return "\n".join(unescape(success.value) for success in at.success)


def button(at: AppTest, key: str):
    [found] = [b for b in at.button if b.key == key]
    return found


def table(at: AppTest, column_key: str):
    """The one dataframe shown with the column named by the i18n key `column_key`."""
    column = t(column_key, "en")
    [found] = [frame.value for frame in at.dataframe if column in frame.value.columns]
    return found


# -- who may open the pages ------------------------------------------------------------------


def test_the_admin_pages_are_all_registered_for_admins_only():
    assert set(ADMIN_SCRIPTS) == {
        "units_page.py", "users_page.py", "rounds_page.py", "access_page.py",
        "paper_page.py", "audit_page.py", "leadership_home_page.py",
    }


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("script", ADMIN_SCRIPTS)
def test_every_admin_page_runs_for_an_admin(db, script, lang):
    at = open_app(db, script, lang=lang)
    assert at.title, "every page starts with a title"
    assert not at.error, errors(at)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("script", ADMIN_SCRIPTS)
def test_every_admin_page_runs_with_a_round_open(db, script, lang):
    add_units(db, ("North office", "north", None))
    open_round_with(db, {"north": 8})
    at = open_app(db, script, lang=lang)
    assert at.title
    assert not at.error, errors(at)


@pytest.mark.parametrize("script", ADMIN_SCRIPTS)
def test_managers_and_visitors_have_no_admin_page_in_their_menu(db, script):
    add_manager(db)
    for username in ("mo", None):
        at = open_app(db, None, username=username)
        with pytest.raises(ValueError):
            at.switch_page(f"ui/{script}")


@pytest.mark.parametrize("script", ADMIN_SCRIPTS)
def test_each_page_stops_a_manager_and_a_visitor_itself(db, script):
    """Defence in depth: run the page script directly, bypassing the menu."""
    add_manager(db)
    with work(db, write=True) as session:
        token = create_login_session(session, get_user(session, "mo"))
    at = AppTest.from_file(str(ROOT / "ui" / script), default_timeout=60)
    at.session_state["login_token"] = token
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("access.denied", "en", role=t("role.manager", "en"))]
    assert not at.title and not at.button and not at.dataframe

    at = AppTest.from_file(str(ROOT / "ui" / script), default_timeout=60)
    at.run()
    assert [e.value for e in at.error] == [t("access.signin_needed", "en")]
    assert not at.title


# -- units -----------------------------------------------------------------------------------


def test_add_rename_and_move_units(db):
    at = open_app(db, "units_page.py")
    assert t("admin.units.empty", "en") in [info.value for info in at.info]

    at.text_input(key="units.add.name").input("North region")
    at.text_input(key="units.add.code").input("north")
    rerun_ok(at.button(key="units.add.submit").click().run())
    assert "North region" in successes(at)
    at.text_input(key="units.add.name").input("Intake team")
    at.selectbox(key="units.add.parent").set_value("north")
    rerun_ok(at.button(key="units.add.submit").click().run())
    at.text_input(key="units.add.name").input("South region")
    rerun_ok(at.button(key="units.add.submit").click().run())
    assert stored_unit_codes(db) == ["north", "intake-team", "south-region"]
    tree = "\n".join(m.value for m in at.markdown)
    assert "  - **Intake team** · `intake-team`" in tree

    # a code that is taken is refused with the service's words, and nothing is added
    at.text_input(key="units.add.name").input("Another north")
    at.text_input(key="units.add.code").input("north")
    rerun_ok(at.button(key="units.add.submit").click().run())
    assert "already has a unit with the code 'north'" in errors(at)
    assert len(stored_unit_codes(db)) == 3

    at.selectbox(key="units.rename.unit").set_value("south-region")
    at.text_input(key="units.rename.name").input("Southern region")
    rerun_ok(at.button(key="units.rename.submit").click().run())
    assert "Southern region" in successes(at)

    at.selectbox(key="units.move.unit").set_value("intake-team")
    at.selectbox(key="units.move.parent").set_value("south-region")
    rerun_ok(at.button(key="units.move.submit").click().run())
    with work(db) as session:
        units = {u.code: u for u in list_units(session, resolve_organization(session))}
        assert units["intake-team"].parent_id == units["south-region"].id
        assert units["south-region"].name == "Southern region"

    # a unit cannot move under its own sub-unit
    at.selectbox(key="units.move.unit").set_value("south-region")
    at.selectbox(key="units.move.parent").set_value("intake-team")
    rerun_ok(at.button(key="units.move.submit").click().run())
    assert "one of its own sub-units" in errors(at)
    assert audit_actions(db)[-4:] == ["unit.add", "unit.add", "unit.rename", "unit.move"]


def test_import_units_is_all_or_nothing_and_names_the_row_and_column(db):
    add_units(db, ("North region", "north", None))
    at = open_app(db, "units_page.py")
    bad = "name,code,parent\nIntake,intake,north\nNight shift,night,nowhere\n,empty,\n"
    at.file_uploader(key="units.import.file.0").upload("units.csv", bad.encode(), "text/csv")
    rerun_ok(at.button(key="units.import.submit").click().run())
    shown = errors(at)
    assert "units.csv row 3, column parent: no unit 'nowhere'" in shown
    assert "units.csv row 4, column name: empty" in shown
    assert stored_unit_codes(db) == ["north"], "nothing of a refused file is added"
    assert unescape(t("admin.nothing_imported", "en")) in [unescape(m.value) for m in at.markdown]

    good = "name,code,parent\nIntake,intake,north\nNight shift,night,intake\n"
    at.file_uploader(key="units.import.file.0").upload("units.csv", good.encode(), "text/csv")
    rerun_ok(at.button(key="units.import.submit").click().run())
    assert t("admin.units.imported.other", "en", n=2, file="units.csv") in successes(at)
    assert stored_unit_codes(db) == ["north", "intake", "night"]
    assert audit_actions(db)[-1] == "units.import"
    # the uploader is a fresh one after an import: the same file is not imported twice
    assert [u.key for u in at.file_uploader] == ["units.import.file.1"]


def test_import_refuses_a_file_that_is_not_utf8(db):
    at = open_app(db, "units_page.py")
    at.file_uploader(key="units.import.file.0").upload(
        "units.csv", "name\nOficina de Peñas\n".encode("latin-1"), "text/csv"
    )
    rerun_ok(at.button(key="units.import.submit").click().run())
    assert "units.csv is not UTF-8" in errors(at)
    assert stored_unit_codes(db) == []


# -- users -----------------------------------------------------------------------------------


def test_add_a_manager_with_scope_then_change_it_and_disable_them(db):
    add_units(db, ("North region", "north", None), ("South region", "south", None))
    at = open_app(db, "users_page.py")
    assert list(table(at, "admin.users.col.scope")[t("admin.users.col.username", "en")]) == ["ana"]

    at.text_input(key="users.add.username").input("mo.diaz")
    at.text_input(key="users.add.name").input("Mo Díaz")
    at.selectbox(key="users.add.role").set_value("manager")
    at.text_input(key="users.add.password").input(PASSWORD)
    at.text_input(key="users.add.password2").input(PASSWORD + "!")
    at.multiselect(key="users.add.scope").set_value(["north"])
    rerun_ok(at.button(key="users.add.submit").click().run())
    assert t("admin.users.password_mismatch", "en") in errors(at)

    at.text_input(key="users.add.password2").input(PASSWORD)
    rerun_ok(at.button(key="users.add.submit").click().run())
    assert "mo.diaz" in successes(at)
    with work(db) as session:
        mo = get_user(session, "mo.diaz")
        assert (mo.role, mo.display_name) == ("manager", "Mo Díaz")
        assert [unit.code for unit in mo.scope_units] == ["north"]
    users = table(at, "admin.users.col.scope")
    row = users[users[t("admin.users.col.username", "en")] == "mo.diaz"].iloc[0]
    assert row[t("admin.users.col.scope", "en")] == "North region"
    assert row[t("admin.users.col.role", "en")] == t("role.manager", "en")

    at.selectbox(key="users.scope.user").set_value("mo.diaz")
    at.multiselect(key="users.scope.units.mo.diaz").set_value(["north", "south"])
    rerun_ok(at.button(key="users.scope.submit").click().run())
    with work(db) as session:
        assert [u.code for u in get_user(session, "mo.diaz").scope_units] == ["north", "south"]

    at.selectbox(key="users.access.user").set_value("mo.diaz")
    rerun_ok(at.button(key="users.access.disable").click().run())
    with work(db) as session:
        assert get_user(session, "mo.diaz").active is False
    rerun_ok(at.button(key="users.access.enable").click().run())
    with work(db) as session:
        assert get_user(session, "mo.diaz").active is True
    assert audit_actions(db)[-5:] == [
        "user.add", "user.scope", "user.scope", "user.disable", "user.enable",
    ]


def test_a_short_password_and_a_scoped_admin_are_refused(db):
    add_units(db, ("North region", "north", None))
    at = open_app(db, "users_page.py")
    at.text_input(key="users.add.username").input("lee")
    at.text_input(key="users.add.password").input("short")
    at.text_input(key="users.add.password2").input("short")
    rerun_ok(at.button(key="users.add.submit").click().run())
    assert "use at least 12" in errors(at)

    at.selectbox(key="users.add.role").set_value("admin")
    at.text_input(key="users.add.password").input(PASSWORD)
    at.text_input(key="users.add.password2").input(PASSWORD)
    at.multiselect(key="users.add.scope").set_value(["north"])
    rerun_ok(at.button(key="users.add.submit").click().run())
    assert t("admin.users.admin_has_no_scope", "en") in errors(at)
    with work(db) as session:
        assert [u.username for u in list_users(session, resolve_organization(session))] == [
            "ana"
        ]


# -- a round from creation to publication ----------------------------------------------------


def test_a_round_from_creation_to_publication(db):
    add_units(
        db,
        ("Agency", "agency", None),
        ("North office", "north", "agency"),
        ("South office", "south", "agency"),
        ("Tiny team", "tiny", "agency"),
    )
    at = open_app(db, "rounds_page.py")
    assert t("admin.rounds.none", "en") in [info.value for info in at.info]
    assert t("admin.rounds.locked_at_launch", "en") in [info.value for info in at.info]
    [instrument] = [box for box in at.selectbox if box.key == "rounds.create.instrument"]
    with work(db) as session:
        newest = list_instrument_versions(session, "ti-staff", status="published")[-1].ref
    assert instrument.value == newest, "the default is the newest ti-staff"
    assert at.number_input(key="rounds.create.k").value == 5
    assert at.number_input(key="rounds.create.comment_k").value == 10

    # the editor lists the tree in order: agency, north, south, tiny
    editor = [frame for frame in at.data_editor if frame.key == "rounds.create.units"][0]
    assert list(editor.value["code"]) == ["agency", "north", "south", "tiny"]
    at.text_input(key="rounds.create.name").input("Spring 2027")
    at.session_state["rounds.create.units"] = {
        "edited_rows": {1: {"invited": 8}, 2: {"invited": 6}, 3: {"invited": 3}},
        "added_rows": [],
        "deleted_rows": [],
    }
    rerun_ok(at.button(key="rounds.create.submit").click().run())
    assert "Spring 2027" in successes(at), errors(at)
    with work(db) as session:
        [round_] = list_rounds(session, resolve_organization(session))
        round_id = round_.id
        assert round_.status == RoundStatus.DRAFT.value
        assert round_.instrument_version.ref == newest
        assert {u.code: u.invited for u in round_.units} == {
            "agency": 0, "north": 8, "south": 6, "tiny": 3
        }
        assert (round_.min_group_size, round_.min_comment_group_size) == (5, 10)

    # launching asks first; cancelling changes nothing
    rerun_ok(at.button(key="rounds.open").click().run())
    assert at.warning and "Spring 2027" in unescape(at.warning[0].value)
    rerun_ok(at.button(key="rounds.open.cancel").click().run())
    assert status_of(db, round_id) == RoundStatus.DRAFT.value
    rerun_ok(at.button(key="rounds.open").click().run())
    rerun_ok(at.button(key="rounds.open.yes").click().run())
    assert status_of(db, round_id) == RoundStatus.OPEN.value
    assert t("admin.rounds.moved", "en", name="Spring 2027", status="open") in successes(at)

    # access: codes for north, shown once with both downloads
    at.switch_page("ui/access_page.py").run()
    rerun_ok(at)
    at.selectbox(key="access.issue.unit").set_value("north")
    at.number_input(key="access.issue.count").set_value(3)
    rerun_ok(at.button(key="access.issue.submit").click().run())
    [held] = [area for area in at.text_area if area.key == "access.codes"]
    codes = held.value.splitlines()
    assert len(codes) == 3 and all(normalize_code(code) for code in codes)
    labels = {b.key: b.label for b in at.get("download_button")}
    assert labels == {
        "access.download.csv": t("admin.access.download_csv", "en"),
        "access.download.pdf": t("admin.access.download_pdf", "en"),
    }
    assert unescape(t("admin.access.shown_once", "en")) in [unescape(w.value) for w in at.warning]
    with work(db) as session:
        round_ = get_round(session, resolve_organization(session), round_id)
        [north] = [u for u in round_.units if u.code == "north"]
        assert code_counts(session, round_)[north.id][CodeState.ISSUED.value] == 3

    # two paper responses for north and one for tiny; the rates show north, withhold tiny and,
    # so that the agency minus north does not give tiny's count, south too
    paper(db, round_id, [("north", "4"), ("north", "5"), ("tiny", "3")])
    rerun_ok(at.run())
    rates = at.table[0].value
    by_unit = {name.replace("\u00a0", "").lstrip("└"): row for name, row in zip(
        rates[t("admin.access.col.unit", "en")], rates.to_dict("records"), strict=True
    )}
    north_row, tiny_row = by_unit["North office"], by_unit["Tiny team"]
    south_row = by_unit["South office"]
    assert south_row[t("admin.access.col.responses", "en")] != "0"
    assert south_row[t("admin.access.col.rate", "en")] == ""
    assert north_row[t("admin.access.col.responses", "en")] == "2"
    assert north_row[t("admin.access.col.rate", "en")] == "25%"
    assert north_row[t("admin.access.col.issued", "en")] == "3"
    assert tiny_row[t("admin.access.col.invited", "en")] == "3"
    assert tiny_row[t("admin.access.col.responses", "en")] == t("admin.access.not_shown", "en", k=5)
    assert tiny_row[t("admin.access.col.rate", "en")] == ""
    assert tiny_row[t("admin.access.col.issued", "en")] == ""
    assert by_unit["Agency"][t("admin.access.col.invited", "en")] == "17"
    assert by_unit["Agency"][t("admin.access.col.issued", "en")] == "3", "over its subtree"
    assert [m.value for m in at.metric][:2] == ["17", "3"]

    # an open link for tiny, with the full address
    at.selectbox(key="access.link.unit").set_value("tiny")
    rerun_ok(at.button(key="access.link.submit").click().run())
    [link] = [c.value for c in at.code if "/survey?link=" in c.value]
    assert re.fullmatch(r"http://localhost:8501/survey\?link=[A-Za-z0-9_-]{40,}", link)

    # the codes are forgotten once the page is left
    at.switch_page("ui/rounds_page.py").run()
    at.switch_page("ui/access_page.py").run()
    rerun_ok(at)
    assert "access.codes" not in [area.key for area in at.text_area]

    # close, then publish, each after a confirmation
    at.switch_page("ui/rounds_page.py").run()
    rerun_ok(at.button(key="rounds.close").click().run())
    rerun_ok(at.button(key="rounds.close.yes").click().run())
    assert status_of(db, round_id) == RoundStatus.CLOSED.value
    rerun_ok(at.button(key="rounds.publish").click().run())
    rerun_ok(at.button(key="rounds.publish.yes").click().run())
    assert status_of(db, round_id) == RoundStatus.PUBLISHED.value
    assert t("admin.rounds.all_done", "en") in successes(at)
    timeline = "\n".join(m.value for m in at.markdown)
    assert timeline.count("✅") == 4

    # a published round takes no new codes, and its final rates can still be read
    at.switch_page("ui/access_page.py").run()
    rerun_ok(at)
    closed = t("admin.access.closed_note", "en", status="published")
    assert [info.value for info in at.info].count(closed) == 2
    assert not [b for b in at.button if b.key in {"access.issue.submit", "access.link.submit"}]
    assert at.table[0].value[t("admin.access.col.responses", "en")].tolist()[1] == "2"

    # the audit log lists every step, newest first, with who did it
    at.switch_page("ui/audit_page.py").run()
    rerun_ok(at)
    log = table(at, "admin.audit.col.action")
    actions = list(log[t("admin.audit.col.action", "en")])
    expected = ["round.publish", "round.close", "link.create", "codes.issue", "round.open",
                "round.create"]
    assert [a for a in actions if a in {t(f"admin.audit.action.{e}", "en") for e in expected}] == [
        t(f"admin.audit.action.{e}", "en") for e in expected
    ]
    mine = log[log[t("admin.audit.col.action", "en")] == t("admin.audit.action.round.open", "en")]
    assert list(mine[t("admin.audit.col.user", "en")]) == ["ana"]
    assert list(mine[t("admin.audit.col.target", "en")]) == ["Spring 2027"]


def test_issued_codes_are_forgotten_when_done_is_pressed(db):
    add_units(db, ("North office", "north", None), ("Tiny team", "tiny", None))
    open_round_with(db, {"north": 8})
    at = open_app(db, "access_page.py")
    assert at.selectbox(key="access.issue.unit").value == "north", "a unit with staff invited"
    rerun_ok(at.button(key="access.issue.submit").click().run())
    [held] = [area for area in at.text_area if area.key == "access.codes"]
    assert len(held.value.splitlines()) == 10
    rerun_ok(at.button(key="access.forget").click().run())
    assert not at.text_area and not at.get("download_button")
    assert "access.codes" not in at.session_state and "access.codes_new" not in at.session_state


def test_a_round_with_bad_settings_is_refused_with_the_reason(db):
    add_units(db, ("North office", "north", None))
    at = open_app(db, "rounds_page.py")
    at.text_input(key="rounds.create.name").input("Nobody invited")
    rerun_ok(at.button(key="rounds.create.submit").click().run())
    assert "choose at least one unit for the round" in errors(at)

    at.session_state["rounds.create.units"] = {
        "edited_rows": {0: {"invited": 6}}, "added_rows": [], "deleted_rows": [],
    }
    at.number_input(key="rounds.create.k").set_value(8)
    at.number_input(key="rounds.create.comment_k").set_value(6)
    rerun_ok(at.button(key="rounds.create.submit").click().run())
    assert "at least the minimum group size (8)" in errors(at)
    with work(db) as session:
        assert list_rounds(session, resolve_organization(session)) == []


def status_of(url: str, round_id: int) -> str:
    with work(url) as session:
        return get_round(session, resolve_organization(session), round_id).status


def paper(url: str, round_id: int, rows: list[tuple[str, str]]) -> None:
    """Store paper responses that answer the first item, as (unit code, answer)."""
    with work(url, write=True) as session:
        round_ = get_round(session, resolve_organization(session), round_id)
        first_item = template_header(round_)[3]
        text = f"unit,{first_item}\n" + "".join(f"{unit},{value}\n" for unit, value in rows)
        import_paper_responses(session, round_, text)


# -- paper responses -------------------------------------------------------------------------


def test_paper_page_without_an_open_round_says_so(db):
    at = open_app(db, "paper_page.py")
    assert t("admin.paper.no_round", "en") in [info.value for info in at.info]


def test_paper_import_refuses_a_bad_cell_then_imports_a_good_file(db):
    add_units(db, ("North office", "north", None))
    round_id = open_round_with(db, {"north": 8})
    with work(db) as session:
        round_ = get_round(session, resolve_organization(session), round_id)
        header = template_header(round_)
    items = header[3:]
    at = open_app(db, "paper_page.py")
    [template] = [b for b in at.get("download_button") if b.key == "paper.template"]
    assert template.label == t("admin.paper.template", "en")

    def csv(*lines: list[str]) -> bytes:
        return "\n".join(",".join(line) for line in [header, *lines]).encode("utf-8") + b"\n"

    blank = [""] * len(items)
    good_row = ["north", "frontline", "es", "4", "NA", *blank[2:]]
    bad_row = ["north", "", "", "7", *blank[1:]]
    at.file_uploader(key="paper.file.0").upload("forms.csv", csv(good_row, bad_row), "text/csv")
    rerun_ok(at.button(key="paper.import").click().run())
    assert f"forms.csv row 3, column {items[0]}: '7' is not a point of the scale" in errors(at)
    with work(db) as session:
        round_ = get_round(session, resolve_organization(session), round_id)
        assert response_total(session, round_) == (0, 8), "nothing of a refused file is stored"

    fixed = ["north", "", "", "2", *blank[1:]]
    at.file_uploader(key="paper.file.0").upload("forms.csv", csv(good_row, fixed), "text/csv")
    rerun_ok(at.button(key="paper.import").click().run())
    assert (
        t("admin.paper.imported.other", "en", n=2, file="forms.csv", units="north: 2")
        in successes(at)
    )
    with work(db) as session:
        round_ = get_round(session, resolve_organization(session), round_id)
        assert response_total(session, round_) == (2, 8)
    assert audit_actions(db)[-1] == "responses.import"


def test_paper_import_lists_every_problem(db):
    add_units(db, ("North office", "north", None))
    round_id = open_round_with(db, {"north": 8})
    with work(db) as session:
        header = template_header(get_round(session, resolve_organization(session), round_id))
    item = header[3]
    text = f"unit,role,{item},bogus\nsouth,boss,9,\n"
    at = open_app(db, "paper_page.py")
    at.file_uploader(key="paper.file.0").upload("forms.csv", text.encode(), "text/csv")
    rerun_ok(at.button(key="paper.import").click().run())
    assert "forms.csv row 1, column 'bogus'" in errors(at)

    text = f"unit,role,{item}\nsouth,boss,9\n"
    at.file_uploader(key="paper.file.0").upload("forms.csv", text.encode(), "text/csv")
    rerun_ok(at.button(key="paper.import").click().run())
    shown = errors(at)
    assert "forms.csv row 2, column unit: 'south' is not a unit of the round" in shown
    assert "forms.csv row 2, column role: 'boss'" in shown
    assert f"forms.csv row 2, column {item}: '9'" in shown


# -- the audit log and the slips -------------------------------------------------------------


def test_audit_log_shows_unit_changes_newest_first(db):
    at = open_app(db, "units_page.py")
    at.text_input(key="units.add.name").input("North office")
    rerun_ok(at.button(key="units.add.submit").click().run())
    at.switch_page("ui/audit_page.py").run()
    rerun_ok(at)
    log = table(at, "admin.audit.col.action")
    assert list(log[t("admin.audit.col.action", "en")])[0] == t("admin.audit.action.unit.add", "en")
    assert list(log[t("admin.audit.col.target", "en")])[0] == "north-office"
    assert list(log[t("admin.audit.col.user", "en")])[0] == "ana"


def slip_round() -> SlipRound:
    return SlipRound(
        organization="River County",
        round_name="Spring 2027",
        unit_name="North office",
        closes_on=None,
        languages=("en", "es"),
        survey_url="https://tisa.example.org/survey",
        min_group_size=5,
    )


def test_slips_pdf_is_a_pdf_with_every_code_on_it():
    codes = [new_code() for _ in range(PER_PAGE + 2)]
    pdf = slips_pdf(slip_round(), codes)
    assert pdf.startswith(b"%PDF")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    text = "\n".join(pages)
    for code in codes:
        assert text.count(code) == 1, code
    assert "Spring 2027 · North office" in pages[0]
    assert len(pages) == 2, f"{PER_PAGE} slips per page"


def test_codes_csv_has_one_row_per_code():
    text = codes_csv(slip_round(), ["AAAAA-BBBBB-CCCCC", "DDDDD-EEEEE-FFFFF"]).decode("utf-8-sig")
    assert text.splitlines() == [
        "organization,round,unit,survey_url,code",
        "River County,Spring 2027,North office,"
        "https://tisa.example.org/survey?code=AAAAA-BBBBB-CCCCC,AAAAA-BBBBB-CCCCC",
        "River County,Spring 2027,North office,"
        "https://tisa.example.org/survey?code=DDDDD-EEEEE-FFFFF,DDDDD-EEEEE-FFFFF",
    ]
