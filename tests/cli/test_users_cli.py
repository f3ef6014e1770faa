"""`tisa users add|list|disable|enable` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from cli import USER_PASSWORD_VARIABLE, app
from storage.audit_repo import list_audit_events
from storage.auth_service import create_login_session, sign_in, user_for_token
from storage.engine import DATABASE_URL_VARIABLE, transaction
from storage.errors import SignInRefused
from storage.models import User, utc_now
from storage.organization_repo import add_unit, create_organization, get_organization
from storage.passwords import verify_password
from storage.signin_limits import ACCOUNT, Place
from storage.user_repo import add_user, get_user

PASSWORD = "correct horse battery staple"
runner = CliRunner()


@pytest.fixture
def factory(
    db_url: str, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> sessionmaker[Session]:
    """River County (units north, north-office under it, south) with the admin ``zoe``; the
    CLI is pointed at the same database."""
    monkeypatch.setenv(DATABASE_URL_VARIABLE, db_url)
    monkeypatch.delenv(USER_PASSWORD_VARIABLE, raising=False)
    with transaction(session_factory, write=True) as session:
        organization = create_organization(session, "River County")
        north = add_unit(session, organization, "North region", code="north")
        add_unit(session, organization, "North office", code="north-office", parent=north)
        add_unit(session, organization, "South region", code="south")
        add_user(session, organization, "zoe", PASSWORD, role="admin", display_name="Zoe Park")
    return session_factory


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def stored_usernames(factory: sessionmaker[Session]) -> list[str]:
    with transaction(factory) as session:
        return list(session.scalars(sa.select(User.username).order_by(User.username)))


def test_add_a_manager_with_units_and_a_name(factory) -> None:
    result = run(
        "users", "add", "Mo.Diaz", "--role", "manager", "--name", "Mo Díaz",
        "--unit", "north", "--unit", "south", "--password", PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "added manager 'mo.diaz' (Mo Díaz) to river-county; units: north, south"
    )
    with transaction(factory) as session:
        user = get_user(session, "mo.diaz")
        assert (user.role, user.display_name, user.active) == ("manager", "Mo Díaz", True)
        assert [unit.code for unit in user.scope_units] == ["north", "south"]
        assert verify_password(user.password_hash, PASSWORD)
        [event] = list_audit_events(session, get_organization(session, "river-county"))
        assert (event.action, event.target, event.user_id) == ("user.add", "mo.diaz", None)
        assert event.detail == {"role": "manager", "units": ["north", "south"]}


def test_the_password_can_come_from_the_environment(factory) -> None:
    result = run("users", "add", "ada", "--role", "admin", env={USER_PASSWORD_VARIABLE: PASSWORD})
    assert result.exit_code == 0, result.output
    with transaction(factory) as session:
        assert verify_password(get_user(session, "ada").password_hash, PASSWORD)


def test_without_a_password_and_without_a_terminal_nothing_is_added(factory) -> None:
    result = run("users", "add", "ada", "--role", "admin")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"no password for 'ada': pass --password, set {USER_PASSWORD_VARIABLE}, or run the "
        "command on a terminal to be asked"
    ]
    assert stored_usernames(factory) == ["zoe"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ana", "--role", "manager", "--unit", "west"], "'river-county' has no unit 'west'"),
        (["ana", "--role", "admin", "--unit", "north"], "only managers are scoped to units"),
        (["ZOE", "--role", "manager"], "the username 'zoe' is taken"),
        (["no body", "--role", "manager"], "is not usable"),
        (["ana", "--role", "manager", "--org", "lake"], "no organization 'lake'"),
    ],
    ids=["unknown unit", "admin with units", "taken", "bad username", "unknown org"],
)
def test_a_refused_user_is_one_clear_line_and_exit_2(factory, args, message) -> None:
    result = run("users", "add", *args, "--password", PASSWORD)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line
    assert stored_usernames(factory) == ["zoe"]  # one transaction: nothing half-added


def test_a_short_password_is_refused_with_what_is_needed(factory) -> None:
    result = run("users", "add", "ana", "--role", "manager", "--password", "short")
    assert result.exit_code == 2
    assert "use at least 12" in result.stderr


def test_an_unknown_role_is_a_usage_error(factory) -> None:
    result = run("users", "add", "ana", "--role", "owner", "--password", PASSWORD)
    assert result.exit_code == 2
    assert stored_usernames(factory) == ["zoe"]


def test_list_in_json_and_text(factory) -> None:
    assert run(
        "users", "add", "mo", "--role", "manager", "--unit", "north", "--password", PASSWORD
    ).exit_code == 0
    result = run("users", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["username"], r["role"], r["active"], r["units"]) for r in rows] == [
        ("mo", "manager", True, ["north"]),
        ("zoe", "admin", True, []),
    ]
    assert set(rows[0]) == {
        "username", "display_name", "role", "active", "units", "failed_attempts", "created_at"
    }
    assert rows[1]["display_name"] == "Zoe Park" and rows[1]["failed_attempts"] == 0

    text = run("users", "list")
    assert text.exit_code == 0, text.output
    lines = [line.split() for line in text.stdout.splitlines()]
    assert lines[0] == ["USERNAME", "ROLE", "STATUS", "NAME", "UNITS"]
    assert lines[1] == ["mo", "manager", "active", "mo", "north"]
    assert lines[2] == ["zoe", "admin", "active", "Zoe", "Park", "all"]


def test_disable_ends_the_users_logins_and_enable_lets_them_back(factory) -> None:
    assert run("users", "add", "mo", "--role", "manager", "--password", PASSWORD).exit_code == 0
    with transaction(factory, write=True) as session:
        token = create_login_session(session, get_user(session, "mo"))

    result = run("users", "disable", "MO")
    assert result.exit_code == 0, result.output
    assert "disabled 'mo'" in result.stdout
    with transaction(factory) as session:
        assert get_user(session, "mo").active is False
        assert user_for_token(session, token) is None
    listed = {row["username"]: row for row in json.loads(run("users", "list", "--format",
                                                             "json").stdout)}
    assert listed["mo"]["active"] is False
    assert "disabled" in run("users", "list").stdout

    assert run("users", "enable", "mo").exit_code == 0
    with transaction(factory) as session:
        assert get_user(session, "mo").active is True
        actions = [e.action for e in list_audit_events(session, get_organization(session,
                                                                               "river-county"))]
    assert actions == ["user.enable", "user.disable", "user.add"]


def test_enable_lifts_the_sign_in_delay_of_an_account(factory) -> None:
    start = utc_now()
    for n in range(ACCOUNT.free):
        with pytest.raises(SignInRefused):
            sign_in(factory, "zoe", "wrong password, surely", Place(f"198.51.100.{n}"), now=start)
    with pytest.raises(SignInRefused):
        sign_in(factory, "zoe", PASSWORD, Place("192.0.2.1"), now=start)
    assert run("users", "enable", "zoe").exit_code == 0
    assert sign_in(factory, "zoe", PASSWORD, Place("192.0.2.1"), now=start).token


NEW = "seven purple kites over the lake"


def test_reset_password_reads_standard_input_ends_logins_and_is_audited(factory) -> None:
    with transaction(factory, write=True) as session:
        token = create_login_session(session, get_user(session, "zoe"))
    result = runner.invoke(app, ["users", "reset-password", "ZOE"], input=NEW + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "new password set for 'zoe': they are signed out everywhere"
    with transaction(factory) as session:
        user = get_user(session, "zoe")
        assert verify_password(user.password_hash, NEW)
        assert user_for_token(session, token) is None
        events = list_audit_events(session, get_organization(session, "river-county"))
    assert events[0].action == "user.password_reset" and events[0].target == "zoe"


@pytest.mark.parametrize(
    ("given", "problem"),
    [("aaaaaaaaaaaa\n", "pattern"), ("password1234\n", "common"), ("short\n", "at least 12"),
     ("\n", "no password")],
)
def test_reset_password_refuses_a_weak_password_in_one_line(factory, given, problem) -> None:
    before = get_hash(factory)
    result = runner.invoke(app, ["users", "reset-password", "zoe"], input=given)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert problem in line
    assert get_hash(factory) == before


def test_reset_password_of_an_unknown_user_says_so(factory) -> None:
    result = runner.invoke(app, ["users", "reset-password", "nobody"], input=NEW + "\n")
    assert result.exit_code == 2
    assert "no user 'nobody'" in result.stderr


def get_hash(factory: sessionmaker[Session]) -> str:
    with transaction(factory) as session:
        return get_user(session, "zoe").password_hash


def test_the_last_admin_cannot_be_disabled(factory) -> None:
    result = run("users", "disable", "zoe")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "last active admin" in line
    with transaction(factory) as session:
        assert get_user(session, "zoe").active is True


def test_disabling_an_unknown_user_names_the_problem(factory) -> None:
    result = run("users", "disable", "nobody")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: no user 'nobody'; check the spelling or add the user"
    ]


@pytest.mark.parametrize(
    ("trusted", "expected"), [(None, ""), ("10.9.0.2,10.9.1.0/24", "10.9.0.2,10.9.1.0/24")]
)
def test_serve_lets_uvicorn_believe_forwarded_headers_only_from_trusted_proxies(
    monkeypatch, trusted, expected
) -> None:
    """Uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise; `tisa serve`
    tells it the proxies of TISA_TRUSTED_PROXIES (none by default). The server process itself
    is not started: os.execv is replaced by a recorder."""
    import os

    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")  # recorded, so the test leaves it as it was
    monkeypatch.delenv("FORWARDED_ALLOW_IPS")
    if trusted is None:
        monkeypatch.delenv("TISA_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("TISA_TRUSTED_PROXIES", trusted)
    started: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, args: started.append(args))
    monkeypatch.setattr(os, "chdir", lambda path: None)
    assert run("serve", "--port", "8600").exit_code == 0
    assert started and started[0][-4:] == ["--server.port", "8600", "--server.address",
                                          "localhost"]
    assert os.environ["FORWARDED_ALLOW_IPS"] == expected
