"""Users: Argon2id password hashes, unique case-insensitive usernames, disabling, unit scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from storage.audit_repo import list_audit_events, record_audit
from storage.engine import transaction
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import LoginSession, Role, utc_now
from storage.organization_repo import add_unit, create_organization, get_organization
from storage.passwords import MIN_PASSWORD_LENGTH, needs_rehash, verify_password
from storage.user_repo import (
    add_user,
    disable_user,
    enable_user,
    get_user,
    list_users,
    set_unit_scope,
)

PASSWORD = "correct horse battery staple"


def test_a_user_is_stored_with_an_argon2id_hash_of_the_password(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "River County")
        add_user(session, organization, "  Ana.Lopez ", PASSWORD, role=Role.ADMIN)
    with transaction(session_factory) as session:
        user = get_user(session, "ANA.LOPEZ")
        assert (user.username, user.display_name, user.role) == ("ana.lopez", "ana.lopez", "admin")
        assert (user.active, user.failed_attempts) == (True, 0)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert verify_password(user.password_hash, PASSWORD)
        assert not verify_password(user.password_hash, PASSWORD.upper())
        assert not needs_rehash(user.password_hash)


def test_a_stored_hash_that_is_not_argon2_never_verifies() -> None:
    assert not verify_password("plain text", PASSWORD)


def test_usernames_are_unique_regardless_of_case(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "River County")
        add_user(session, organization, "ana", PASSWORD, role="admin")
        with pytest.raises(Conflict, match="taken"):
            add_user(session, organization, "ANA", PASSWORD, role="manager")


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("ana", PASSWORD, "owner", "unknown role"),
        ("ana", "x" * (MIN_PASSWORD_LENGTH - 1), "admin", f"at least {MIN_PASSWORD_LENGTH}"),
        ("ana lopez", PASSWORD, "admin", "not usable"),
        ("", PASSWORD, "admin", "not usable"),
    ],
    ids=["role", "short password", "space in username", "empty username"],
)
def test_a_user_outside_the_rules_is_refused(
    session_factory: sessionmaker[Session], username: str, password: str, role: str, message: str
) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "River County")
        with pytest.raises(InvalidInput, match=message):
            add_user(session, organization, username, password, role=role)


def test_list_users_of_one_organization(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        river = create_organization(session, "River County")
        lake = create_organization(session, "Lake County")
        add_user(session, river, "zoe", PASSWORD, role="admin", display_name="Zoe Park")
        add_user(session, river, "ana", PASSWORD, role="manager")
        add_user(session, lake, "bo", PASSWORD, role="admin")
        disable_user(session, "ana")
    with transaction(session_factory) as session:
        river = get_organization(session, "river-county")
        assert [u.username for u in list_users(session, river)] == ["ana", "zoe"]
        assert [u.username for u in list_users(session, river, include_disabled=False)] == ["zoe"]
        assert get_user(session, "zoe").display_name == "Zoe Park"
        with pytest.raises(NotFound, match="no user 'nobody'"):
            get_user(session, "nobody")


def test_disabling_a_user_ends_their_sessions_and_enabling_starts_afresh(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "River County")
        add_user(session, organization, "admin", PASSWORD, role="admin")
        manager = add_user(session, organization, "ana", PASSWORD, role="manager")
        manager.failed_attempts = 3
        session.add(
            LoginSession(
                token_hash="d" * 64, user_id=manager.id, expires_at=utc_now() + timedelta(hours=8)
            )
        )
    with transaction(session_factory) as session:
        assert not disable_user(session, "ana").active
    with transaction(session_factory) as session:
        login = session.scalars(sa.select(LoginSession)).one()
        assert login.revoked_at is not None
        user = enable_user(session, "ana")
        assert (user.active, user.failed_attempts) == (True, 0)


def test_the_last_active_admin_cannot_be_disabled(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "River County")
        add_user(session, organization, "first", PASSWORD, role="admin")
        with pytest.raises(Conflict, match="last active admin"):
            disable_user(session, "first")
        add_user(session, organization, "second", PASSWORD, role="admin")
        assert not disable_user(session, "first").active
        with pytest.raises(Conflict, match="last active admin"):
            disable_user(session, "second")


def test_a_manager_is_scoped_to_units_and_an_admin_is_not(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        river = create_organization(session, "River County")
        lake = create_organization(session, "Lake County")
        north = add_unit(session, river, "North")
        south = add_unit(session, river, "South")
        lake_unit = add_unit(session, lake, "Shore")
        manager = add_user(session, river, "ana", PASSWORD, role="manager")
        admin = add_user(session, river, "zoe", PASSWORD, role="admin")
        set_unit_scope(session, manager, [south, north])
        with pytest.raises(InvalidInput, match="only managers"):
            set_unit_scope(session, admin, [north])
        with pytest.raises(InvalidInput, match="another organization"):
            set_unit_scope(session, manager, [lake_unit])
    with transaction(session_factory) as session:
        assert [unit.code for unit in get_user(session, "ana").scope_units] == ["north", "south"]
        set_unit_scope(session, get_user(session, "ana"), [])
    with transaction(session_factory) as session:
        assert get_user(session, "ana").scope_units == []


def test_audit_events_are_listed_newest_first(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        organization = create_organization(session, "River County")
        admin = add_user(session, organization, "zoe", PASSWORD, role="admin")
        first = record_audit(session, organization, "user.add", user=admin, target="ana")
        first.at = utc_now() - timedelta(minutes=5)
        record_audit(session, organization, "round.open", target="Spring", detail={"units": 3})
    with transaction(session_factory) as session:
        events = list_audit_events(session, get_organization(session, "river-county"))
        assert [(e.action, e.target, e.detail) for e in events] == [
            ("round.open", "Spring", {"units": 3}),
            ("user.add", "ana", {}),
        ]
        assert events[1].user_id == get_user(session, "zoe").id
