"""Signing in: passwords, the lockout, login tokens and the scope of a signed-in user.

Runs on SQLite and PostgreSQL (the `session_factory` fixture). Time is passed as `now`, never
waited for.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from storage.audit_repo import list_audit_events
from storage.auth_service import (
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    REFUSED_MESSAGE,
    SESSION_LIFETIME,
    SignedInUser,
    authenticate,
    create_login_session,
    revoke,
    token_hash,
    user_for_token,
)
from storage.engine import transaction
from storage.errors import AccountLocked, Conflict, SignInRefused
from storage.models import LoginSession, User, utc_now
from storage.organization_repo import add_unit, create_organization, get_organization
from storage.passwords import needs_rehash, verify_password
from storage.user_repo import add_user, disable_user, get_user, set_unit_scope

PASSWORD = "correct horse battery staple"
WRONG = "incorrect horse battery staple"


@pytest.fixture
def factory(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """A database with one organization, an admin `zoe` and a manager `ana`."""
    with transaction(session_factory, write=True) as session:
        organization = create_organization(session, "River County")
        add_user(session, organization, "zoe", PASSWORD, role="admin", display_name="Zoe Park")
        add_user(session, organization, "ana", PASSWORD, role="manager")
    return session_factory


def attempt(factory: sessionmaker[Session], username: str, password: str, now=None):
    """Sign in the way the web app does; the refusal, or None on success."""
    with transaction(factory, write=True) as session:
        try:
            authenticate(session, username, password, now=now)
        except SignInRefused as refused:
            return refused
    return None


def stored_user(factory: sessionmaker[Session], username: str) -> User:
    with transaction(factory) as session:
        return get_user(session, username)


def audit_actions(factory: sessionmaker[Session]) -> list[str]:
    with transaction(factory) as session:
        events = list_audit_events(session, get_organization(session, "river-county"))
        return [event.action for event in reversed(events)]


def sign_in(factory: sessionmaker[Session], username: str = "zoe", now=None) -> str:
    with transaction(factory, write=True) as session:
        user = authenticate(session, username, PASSWORD, now=now)
        return create_login_session(session, user, now=now)


# -- passwords -------------------------------------------------------------------------------


def test_the_right_password_signs_in_whatever_the_case_of_the_username(factory) -> None:
    with transaction(factory, write=True) as session:
        user = authenticate(session, "  ZOE ", PASSWORD)
        assert (user.username, user.role) == ("zoe", "admin")
    assert audit_actions(factory) == ["user.signin"]


def test_a_wrong_password_is_refused_and_counted(factory) -> None:
    refused = attempt(factory, "zoe", WRONG)
    assert type(refused) is SignInRefused
    assert str(refused) == REFUSED_MESSAGE
    assert stored_user(factory, "zoe").failed_attempts == 1
    assert audit_actions(factory) == ["user.signin_failed"]


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(factory) -> None:
    unknown = attempt(factory, "nobody", PASSWORD)
    malformed = attempt(factory, "no body!", PASSWORD)
    wrong = attempt(factory, "zoe", WRONG)
    assert type(unknown) is type(malformed) is type(wrong) is SignInRefused
    assert str(unknown) == str(malformed) == str(wrong)


def test_a_disabled_user_cannot_sign_in_and_is_told_nothing_more(factory) -> None:
    with transaction(factory, write=True) as session:
        disable_user(session, "ana")
    refused = attempt(factory, "ana", PASSWORD)
    assert type(refused) is SignInRefused
    assert str(refused) == REFUSED_MESSAGE
    assert stored_user(factory, "ana").failed_attempts == 0


def test_success_resets_the_count_of_failed_attempts(factory) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        attempt(factory, "zoe", WRONG)
    assert stored_user(factory, "zoe").failed_attempts == MAX_FAILED_ATTEMPTS - 1
    assert attempt(factory, "zoe", PASSWORD) is None
    user = stored_user(factory, "zoe")
    assert (user.failed_attempts, user.locked_until) == (0, None)


def test_an_old_hash_is_renewed_with_todays_parameters(factory) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with transaction(factory, write=True) as session:
        get_user(session, "zoe").password_hash = weak
    assert needs_rehash(weak)
    assert attempt(factory, "zoe", PASSWORD) is None
    renewed = stored_user(factory, "zoe").password_hash
    assert renewed != weak
    assert not needs_rehash(renewed)
    assert verify_password(renewed, PASSWORD)


# -- lockout ---------------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_fifteen_minutes(factory) -> None:
    start = utc_now()
    for n in range(1, MAX_FAILED_ATTEMPTS):
        refused = attempt(factory, "zoe", WRONG, now=start + timedelta(seconds=n))
        assert type(refused) is SignInRefused, f"attempt {n} should not lock yet"

    fifth = start + timedelta(seconds=MAX_FAILED_ATTEMPTS)
    locked = attempt(factory, "zoe", WRONG, now=fifth)
    assert isinstance(locked, AccountLocked)
    assert locked.locked_until == fifth + LOCKOUT
    assert locked.minutes_left == 15
    assert "locked" in str(locked) and "15 minutes" in str(locked)
    assert stored_user(factory, "zoe").locked_until == fifth + LOCKOUT
    assert audit_actions(factory)[-1] == "user.locked"

    # While locked even the right password is refused, and the message says how long is left.
    later = attempt(factory, "zoe", PASSWORD, now=fifth + timedelta(minutes=10, seconds=30))
    assert isinstance(later, AccountLocked)
    assert later.minutes_left == 5
    assert "5 minutes" in str(later)
    last_minute = attempt(factory, "zoe", PASSWORD, now=fifth + LOCKOUT - timedelta(seconds=20))
    assert isinstance(last_minute, AccountLocked) and last_minute.minutes_left == 1
    assert "1 minute," in str(last_minute)


def test_the_lock_runs_out_and_the_count_starts_afresh(factory) -> None:
    start = utc_now()
    for _ in range(MAX_FAILED_ATTEMPTS):
        attempt(factory, "ana", WRONG, now=start)
    unlocked = start + LOCKOUT

    # After the period a wrong password is the first of a new series, not the sixth.
    assert type(attempt(factory, "ana", WRONG, now=unlocked)) is SignInRefused
    user = stored_user(factory, "ana")
    assert (user.failed_attempts, user.locked_until) == (1, None)

    assert attempt(factory, "ana", PASSWORD, now=unlocked + timedelta(seconds=1)) is None
    user = stored_user(factory, "ana")
    assert (user.failed_attempts, user.locked_until) == (0, None)


def test_the_lock_of_one_account_leaves_the_others_alone(factory) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        attempt(factory, "ana", WRONG)
    assert isinstance(attempt(factory, "ana", PASSWORD), AccountLocked)
    assert attempt(factory, "zoe", PASSWORD) is None


def test_unknown_usernames_leave_no_trace(factory) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS + 1):
        assert type(attempt(factory, "nobody", WRONG)) is SignInRefused
    with transaction(factory) as session:
        assert session.scalar(sa.select(sa.func.sum(User.failed_attempts))) == 0
    assert audit_actions(factory) == []


# -- login sessions --------------------------------------------------------------------------


def test_a_token_signs_in_and_only_its_hash_is_stored(factory) -> None:
    now = utc_now()
    token = sign_in(factory, now=now)
    assert len(token) >= 43
    with transaction(factory) as session:
        login = session.scalars(sa.select(LoginSession)).one()
        assert login.token_hash == token_hash(token) != token
        assert login.expires_at == now + SESSION_LIFETIME
        assert login.revoked_at is None
        user = user_for_token(session, token, now=now + timedelta(minutes=1))
    assert user == SignedInUser(
        id=login.user_id,
        username="zoe",
        display_name="Zoe Park",
        role="admin",
        organization_id=user.organization_id,
        scope_unit_ids=frozenset(),
    )
    assert user.is_admin


def test_every_sign_in_gets_its_own_token(factory) -> None:
    assert sign_in(factory) != sign_in(factory)


@pytest.mark.parametrize("token", [None, "", "not-a-token", "x" * 5000])
def test_a_token_that_was_never_issued_signs_nobody_in(factory, token) -> None:
    sign_in(factory)
    with transaction(factory) as session:
        assert user_for_token(session, token) is None


def test_a_login_expires_after_twelve_hours(factory) -> None:
    now = utc_now()
    token = sign_in(factory, now=now)
    with transaction(factory) as session:
        assert user_for_token(session, token, now=now + SESSION_LIFETIME - timedelta(seconds=1))
        assert user_for_token(session, token, now=now + SESSION_LIFETIME) is None


def test_a_revoked_login_signs_nobody_in(factory) -> None:
    token = sign_in(factory)
    other = sign_in(factory)
    with transaction(factory, write=True) as session:
        assert revoke(session, token) is True
    with transaction(factory, write=True) as session:
        assert revoke(session, token) is False  # signing out twice is fine
        assert revoke(session, "never-issued") is False
    with transaction(factory) as session:
        assert user_for_token(session, token) is None
        assert user_for_token(session, other) is not None  # other logins stay
        revoked = session.scalar(
            sa.select(LoginSession).where(LoginSession.token_hash == token_hash(token))
        )
        assert revoked.revoked_at is not None


def test_disabling_a_user_signs_them_out_at_once(factory) -> None:
    token = sign_in(factory, "ana")
    with transaction(factory, write=True) as session:
        disable_user(session, "ana")
    with transaction(factory) as session:
        assert user_for_token(session, token) is None


def test_a_user_who_is_disabled_gets_no_login(factory) -> None:
    with transaction(factory, write=True) as session:
        disable_user(session, "ana")
        user = get_user(session, "ana")
        with pytest.raises(Conflict, match="disabled"):
            create_login_session(session, user)


# -- scope -----------------------------------------------------------------------------------


def test_a_managers_scope_includes_every_unit_below_their_units(factory) -> None:
    with transaction(factory, write=True) as session:
        organization = get_organization(session, "river-county")
        north = add_unit(session, organization, "North")
        north_a = add_unit(session, organization, "North A", parent=north)
        north_a1 = add_unit(session, organization, "North A1", parent=north_a)
        north_b = add_unit(session, organization, "North B", parent=north)
        south = add_unit(session, organization, "South")
        south_a = add_unit(session, organization, "South A", parent=south)
        east = add_unit(session, organization, "East")
        other = create_organization(session, "Lake County")
        add_unit(session, other, "Shore")
        set_unit_scope(session, get_user(session, "ana"), [north, south_a])
        expected = {north.id, north_a.id, north_a1.id, north_b.id, south_a.id}
        everything = {north.id, north_a.id, north_a1.id, north_b.id, south.id, south_a.id, east.id}
    manager_token = sign_in(factory, "ana")
    admin_token = sign_in(factory, "zoe")
    with transaction(factory) as session:
        manager = user_for_token(session, manager_token)
        admin = user_for_token(session, admin_token)
    assert manager is not None and admin is not None
    assert manager.scope_unit_ids == frozenset(expected)
    assert not manager.is_admin
    # An admin sees every unit of their own organization, and none of another's.
    assert admin.scope_unit_ids == frozenset(everything)


def test_a_manager_without_units_sees_no_unit(factory) -> None:
    with transaction(factory, write=True) as session:
        add_unit(session, get_organization(session, "river-county"), "North")
    token = sign_in(factory, "ana")
    with transaction(factory) as session:
        user = user_for_token(session, token)
    assert user is not None and user.scope_unit_ids == frozenset()
