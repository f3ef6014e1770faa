"""`tisa users add|list|disable|enable` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from cli import USER_PASSWORD_VARIABLE, app
from storage.audit_repo import list_audit_events
from storage.auth_service import create_login_session, user_for_token
from storage.engine import DATABASE_URL_VARIABLE, transaction
from storage.models import User, utc_now
from storage.organization_repo import add_unit, create_organization, get_organization
from storage.passwords import verify_password
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
        "username", "display_name", "role", "active", "units", "locked_until", "created_at"
    }
    assert rows[1]["display_name"] == "Zoe Park" and rows[1]["locked_until"] is None

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


def test_enable_unlocks_a_locked_account(factory) -> None:
    with transaction(factory, write=True) as session:
        user = get_user(session, "zoe")
        user.failed_attempts = 5
        user.locked_until = utc_now() + timedelta(minutes=15)
    assert "locked" in run("users", "list").stdout
    assert run("users", "enable", "zoe").exit_code == 0
    with transaction(factory) as session:
        user = get_user(session, "zoe")
        assert (user.failed_attempts, user.locked_until) == (0, None)


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
