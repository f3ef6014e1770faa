"""Signing in: passwords, throttling without lockout, login tokens and the scope of a
signed-in user; changing and resetting passwords.

Runs on SQLite and PostgreSQL (the `session_factory` fixture). Time is passed as `now`, never
waited for. A "place" is a client address, or a browser holding a device token.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from storage.audit_repo import list_audit_events
from storage.auth_service import (
    REFUSED_MESSAGE,
    SESSION_LIFETIME,
    SignedInUser,
    change_password,
    create_login_session,
    device_place,
    idle_timeout,
    lift_delays,
    purge_logins,
    reset_password,
    revoke,
    sign_in,
    token_hash,
    touch_login,
    user_for_token,
)
from storage.engine import transaction
from storage.errors import Conflict, InvalidInput, SignInRefused
from storage.models import LoginSession, SignInThrottle, User, utc_now
from storage.organization_repo import add_unit, create_organization, get_organization
from storage.passwords import needs_rehash, verify_password
from storage.signin_limits import ACCOUNT, ADDRESS, PAIR, Place
from storage.user_repo import add_user, disable_user, enable_user, get_user, set_unit_scope

PASSWORD = "correct horse battery staple"
WRONG = "incorrect horse battery staple"
DESK = Place("10.0.0.7")  # the owner's usual place
STRANGER = Place("203.0.113.9")


@pytest.fixture
def factory(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """A database with one organization, an admin `zoe` and a manager `ana`."""
    with transaction(session_factory, write=True) as session:
        organization = create_organization(session, "River County")
        add_user(session, organization, "zoe", PASSWORD, role="admin", display_name="Zoe Park")
        add_user(session, organization, "ana", PASSWORD, role="manager")
    return session_factory


def attempt(factory, username: str, password: str, place: Place = DESK, now=None, device=None):
    """Sign in the way the web app does; the refusal, or the SignIn on success."""
    try:
        return sign_in(factory, username, password, place, device_token=device, now=now)
    except SignInRefused as refused:
        return refused


def refused(result) -> bool:
    return isinstance(result, SignInRefused)


def stored_user(factory: sessionmaker[Session], username: str) -> User:
    with transaction(factory) as session:
        return get_user(session, username)


def audit_actions(factory: sessionmaker[Session]) -> list[str]:
    with transaction(factory) as session:
        events = list_audit_events(session, get_organization(session, "river-county"))
        return [event.action for event in reversed(events)]


def new_login(factory: sessionmaker[Session], username: str = "zoe", now=None) -> str:
    return sign_in(factory, username, PASSWORD, DESK, now=now).token


def flood(factory, username: str, place: Place, n: int, start, *, step=timedelta(minutes=16)):
    """`n` wrong passwords from `place`, each after the longest wait (so none is turned away
    unchecked); the time after the last one."""
    now = start
    for _ in range(n):
        assert refused(attempt(factory, username, WRONG, place, now=now))
        now += step
    return now


# -- passwords -------------------------------------------------------------------------------


def test_the_right_password_signs_in_whatever_the_case_of_the_username(factory) -> None:
    done = attempt(factory, "  ZOE ", PASSWORD)
    assert not refused(done) and done.username == "zoe"
    with transaction(factory) as session:
        assert user_for_token(session, done.token).role == "admin"
    assert audit_actions(factory) == ["user.signin"]


def test_a_wrong_password_is_refused_and_counted(factory) -> None:
    result = attempt(factory, "zoe", WRONG)
    assert type(result) is SignInRefused and str(result) == REFUSED_MESSAGE
    assert stored_user(factory, "zoe").failed_attempts == 1
    assert audit_actions(factory) == ["user.signin_failed"]


def test_unknown_wrong_disabled_and_waiting_all_get_one_answer(factory) -> None:
    with transaction(factory, write=True) as session:
        disable_user(session, "ana")
    start = utc_now()
    answers = [
        attempt(factory, "nobody", PASSWORD, now=start),
        attempt(factory, "no body!", PASSWORD, now=start),
        attempt(factory, "zoe", WRONG, now=start),
        attempt(factory, "ana", PASSWORD, now=start),
    ]
    for _ in range(PAIR.free):
        attempt(factory, "zoe", WRONG, STRANGER, now=start)
    answers.append(attempt(factory, "zoe", PASSWORD, STRANGER, now=start))  # must wait
    assert {type(answer) for answer in answers} == {SignInRefused}
    assert {str(answer) for answer in answers} == {REFUSED_MESSAGE}
    assert stored_user(factory, "ana").failed_attempts == 0


def test_made_up_usernames_wait_exactly_like_real_ones(factory) -> None:
    """Whether a name exists cannot be told from when attempts start to wait."""
    start = utc_now()
    for name, place in (("zoe", Place("198.51.100.1")), ("nobody", Place("198.51.100.2"))):
        for _ in range(PAIR.free):
            assert refused(attempt(factory, name, WRONG, place, now=start))
        waiting = attempt(factory, name, PASSWORD, place, now=start)
        assert refused(waiting) and str(waiting) == REFUSED_MESSAGE
    with transaction(factory) as session:
        counts = sorted(row.failures for row in session.scalars(sa.select(SignInThrottle)))
    # Both names got the same rows and counts (pair and account), plus one per address.
    assert counts == [PAIR.free] * 6


def test_an_old_hash_is_renewed_with_todays_parameters(factory) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with transaction(factory, write=True) as session:
        get_user(session, "zoe").password_hash = weak
    assert needs_rehash(weak)
    assert not refused(attempt(factory, "zoe", PASSWORD))
    renewed = stored_user(factory, "zoe").password_hash
    assert renewed != weak and not needs_rehash(renewed)
    assert verify_password(renewed, PASSWORD)


# -- throttling, never lockout ---------------------------------------------------------------


def test_guesses_from_one_place_wait_longer_and_longer_but_the_right_password_gets_in(
    factory,
) -> None:
    start = utc_now()
    for _ in range(PAIR.free):
        assert refused(attempt(factory, "zoe", WRONG, STRANGER, now=start))
    # The next attempt from there must wait a second: even the right password is turned away
    # unchecked (and not counted) until then.
    assert refused(attempt(factory, "zoe", PASSWORD, STRANGER, now=start))
    assert stored_user(factory, "zoe").failed_attempts == PAIR.free
    later = start + PAIR.first_wait
    assert refused(attempt(factory, "zoe", WRONG, STRANGER, now=later))
    assert refused(attempt(factory, "zoe", PASSWORD, STRANGER, now=later + PAIR.first_wait))
    # The wait doubled: two seconds after the sixth failure it is over.
    assert not refused(
        attempt(factory, "zoe", PASSWORD, STRANGER, now=later + 2 * PAIR.first_wait)
    )


def test_a_strangers_flood_never_keeps_the_owner_out_of_their_usual_place(factory) -> None:
    start = utc_now()
    assert not refused(attempt(factory, "zoe", PASSWORD, DESK, now=start))  # her usual desk
    # A stranger guesses from many addresses at once.
    now = start + timedelta(minutes=1)
    for n in range(ACCOUNT.free // 2 + 1):
        flood(factory, "zoe", Place(f"203.0.113.{n}"), 2, now, step=timedelta(0))
    assert refused(attempt(factory, "zoe", PASSWORD, STRANGER, now=now))  # unknown places wait
    # The owner at her desk is not slowed at all, and neither is her browser elsewhere.
    assert not refused(attempt(factory, "zoe", PASSWORD, DESK, now=now))
    assert stored_user(factory, "zoe").active


def test_a_browser_that_signed_in_before_is_its_owners_place_even_behind_a_shared_address(
    factory,
) -> None:
    start = utc_now()
    shared = Place("192.0.2.50")  # an office NAT, the stranger behind it too
    first = attempt(factory, "zoe", PASSWORD, shared, now=start)
    device = first.device_token
    flood(factory, "zoe", shared, 2 * PAIR.free, start, step=timedelta(seconds=0))
    place = device_place("192.0.2.50", device)
    assert not refused(attempt(factory, "zoe", PASSWORD, place, now=start, device=device))


def test_a_device_token_of_another_account_opens_nothing(factory) -> None:
    start = utc_now()
    mine = attempt(factory, "ana", PASSWORD, STRANGER, now=start).device_token
    flood(factory, "zoe", STRANGER, PAIR.free, start, step=timedelta(seconds=0))
    place = device_place(STRANGER.address, mine)
    assert refused(attempt(factory, "zoe", PASSWORD, place, now=start, device=mine))


def test_one_address_trying_many_usernames_is_slowed(factory) -> None:
    start = utc_now()
    for n in range(ADDRESS.free):
        assert refused(attempt(factory, f"made.up{n}", WRONG, STRANGER, now=start))
    assert refused(attempt(factory, "ana", PASSWORD, STRANGER, now=start))
    assert not refused(attempt(factory, "ana", PASSWORD, DESK, now=start))


def test_guessing_from_many_addresses_slows_unknown_places_until_an_admin_lifts_it(
    factory,
) -> None:
    start = utc_now()
    for n in range(ACCOUNT.free):
        assert refused(attempt(factory, "ana", WRONG, Place(f"198.51.100.{n}"), now=start))
    fresh = Place("192.0.2.200")
    assert refused(attempt(factory, "ana", PASSWORD, fresh, now=start))
    with transaction(factory, write=True) as session:
        lift_delays(session, "ana")
    assert not refused(attempt(factory, "ana", PASSWORD, fresh, now=start))


def test_enabling_a_user_lifts_the_delay_too(factory) -> None:
    start = utc_now()
    for n in range(ACCOUNT.free):
        attempt(factory, "ana", WRONG, Place(f"198.51.100.{n}"), now=start)
    with transaction(factory, write=True) as session:
        enable_user(session, "ana")
    assert not refused(attempt(factory, "ana", PASSWORD, Place("192.0.2.1"), now=start))


def test_simultaneous_guesses_cannot_slip_past_the_allowance(factory) -> None:
    """Every attempt is counted before its password is checked: of 24 guesses sent at once,
    only the free ones are checked at all."""
    start = utc_now()
    barrier = threading.Barrier(24)
    results: list[object] = []

    def guess() -> None:
        barrier.wait()
        results.append(attempt(factory, "zoe", WRONG, STRANGER, now=start))

    threads = [threading.Thread(target=guess) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 24 and all(refused(result) for result in results)
    assert stored_user(factory, "zoe").failed_attempts == PAIR.free


def test_unknown_usernames_leave_no_trace_in_users_or_the_audit(factory) -> None:
    for _ in range(PAIR.free + 1):
        assert refused(attempt(factory, "nobody", WRONG))
    with transaction(factory) as session:
        assert session.scalar(sa.select(sa.func.sum(User.failed_attempts))) == 0
        keys = set(session.scalars(sa.select(SignInThrottle.key)))
    assert audit_actions(factory) == []
    assert all(len(key) == 64 and "nobody" not in key for key in keys)


# -- login sessions --------------------------------------------------------------------------


def test_a_token_signs_in_and_only_its_hash_is_stored(factory) -> None:
    now = utc_now()
    token = new_login(factory, now=now)
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
    assert new_login(factory) != new_login(factory)


@pytest.mark.parametrize("token", [None, "", "not-a-token", "x" * 5000])
def test_a_token_that_was_never_issued_signs_nobody_in(factory, token) -> None:
    new_login(factory)
    with transaction(factory) as session:
        assert user_for_token(session, token) is None


def test_a_login_expires_after_twelve_hours(factory, monkeypatch) -> None:
    monkeypatch.setenv("TISA_IDLE_MINUTES", str(24 * 60))  # however busy, it ends at 12 h
    now = utc_now()
    token = new_login(factory, now=now)
    with transaction(factory) as session:
        assert user_for_token(session, token, now=now + SESSION_LIFETIME - timedelta(seconds=1))
        assert user_for_token(session, token, now=now + SESSION_LIFETIME) is None


def test_a_login_ends_after_its_idle_time_unless_a_page_is_opened(factory) -> None:
    now = utc_now()
    token = new_login(factory, now=now)
    idle = idle_timeout()
    assert idle == timedelta(minutes=30)
    with transaction(factory) as session:
        assert user_for_token(session, token, now=now + idle - timedelta(seconds=1))
        assert user_for_token(session, token, now=now + idle) is None
    # Opening a page renews it, up to the absolute lifetime.
    seen = now + idle - timedelta(minutes=1)
    with transaction(factory, write=True) as session:
        touch_login(session, token, now=seen)
    with transaction(factory) as session:
        assert user_for_token(session, token, now=now + idle + timedelta(minutes=5))
        assert user_for_token(session, token, now=seen + idle) is None


def test_the_idle_time_is_a_setting(factory, monkeypatch) -> None:
    monkeypatch.setenv("TISA_IDLE_MINUTES", "5")
    now = utc_now()
    token = new_login(factory, now=now)
    with transaction(factory) as session:
        assert user_for_token(session, token, now=now + timedelta(minutes=5)) is None
    monkeypatch.setenv("TISA_IDLE_MINUTES", "soon")
    with pytest.raises(InvalidInput, match="TISA_IDLE_MINUTES"):
        idle_timeout()


def test_ended_logins_are_purged_and_open_ones_kept(factory) -> None:
    now = utc_now()
    with transaction(factory, write=True) as session:  # stored directly: no sign-in purges
        zoe = get_user(session, "zoe")
        expired = create_login_session(session, zoe, now=now - SESSION_LIFETIME)
        idle = create_login_session(session, zoe, now=now - idle_timeout())
        revoked = create_login_session(session, zoe, now=now)
        kept = create_login_session(session, zoe, now=now)
    with transaction(factory, write=True) as session:
        revoke(session, revoked, now=now)
        assert purge_logins(session, now=now) == 3
    with transaction(factory) as session:
        hashes = set(session.scalars(sa.select(LoginSession.token_hash)))
    assert hashes == {token_hash(kept)}
    assert all(token_hash(t) not in hashes for t in (expired, idle, revoked))


def test_signing_in_purges_ended_logins(factory) -> None:
    now = utc_now()
    new_login(factory, now=now - SESSION_LIFETIME - timedelta(hours=1))
    fresh = new_login(factory, now=now)
    with transaction(factory) as session:
        assert list(session.scalars(sa.select(LoginSession.token_hash))) == [token_hash(fresh)]


# -- changing and resetting passwords -----------------------------------------------------------

NEW = "seven purple kites over the lake"


def zoe_id(factory) -> int:
    return stored_user(factory, "zoe").id


def test_changing_your_password_ends_your_other_logins_and_keeps_this_one(factory) -> None:
    here, elsewhere = new_login(factory), new_login(factory)
    change_password(factory, zoe_id(factory), PASSWORD, NEW, DESK, keep_token=here)
    with transaction(factory) as session:
        assert user_for_token(session, here) is not None
        assert user_for_token(session, elsewhere) is None
    assert refused(attempt(factory, "zoe", PASSWORD))
    assert not refused(attempt(factory, "zoe", NEW))
    assert "user.password_changed" in audit_actions(factory)


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_guess(factory) -> None:
    before = stored_user(factory, "zoe").password_hash
    with pytest.raises(SignInRefused, match="current password"):
        change_password(factory, zoe_id(factory), WRONG, NEW, DESK)
    assert stored_user(factory, "zoe").password_hash == before
    start = utc_now()
    for _ in range(PAIR.free):
        with pytest.raises(SignInRefused):
            change_password(factory, zoe_id(factory), WRONG, NEW, STRANGER, now=start)
    # Guessing the current password is slowed like signing in: now even the right one waits.
    with pytest.raises(SignInRefused):
        change_password(factory, zoe_id(factory), PASSWORD, NEW, STRANGER, now=start)


@pytest.mark.parametrize("new", ["short pass", "aaaaaaaaaaaa", "zoe is my name!", PASSWORD])
def test_a_new_password_outside_the_policy_changes_nothing(factory, new) -> None:
    before = stored_user(factory, "zoe").password_hash
    with pytest.raises(InvalidInput):
        change_password(factory, zoe_id(factory), PASSWORD, new, DESK)
    assert stored_user(factory, "zoe").password_hash == before


def test_an_admin_resets_a_password_signs_the_user_out_and_is_audited(factory) -> None:
    token = new_login(factory, "ana")
    start = utc_now()
    for n in range(ACCOUNT.free):
        attempt(factory, "ana", WRONG, Place(f"198.51.100.{n}"), now=start)
    name = reset_password(factory, "ANA", NEW, actor_id=zoe_id(factory))
    assert name == "ana"
    with transaction(factory) as session:
        assert user_for_token(session, token) is None
        events = list_audit_events(session, get_organization(session, "river-county"))
        reset = next(event for event in events if event.action == "user.password_reset")
        assert reset.target == "ana" and reset.user_id == zoe_id(factory)
    assert not refused(attempt(factory, "ana", NEW, Place("192.0.2.9"), now=start))


def test_a_reset_refuses_an_unknown_user_or_a_weak_password(factory) -> None:
    from storage.errors import NotFound

    with pytest.raises(NotFound, match="nobody"):
        reset_password(factory, "nobody", NEW)
    with pytest.raises(InvalidInput, match="common"):
        reset_password(factory, "ana", "password1234")
    assert not refused(attempt(factory, "ana", PASSWORD))


def test_a_revoked_login_signs_nobody_in(factory) -> None:
    token = new_login(factory)
    other = new_login(factory)
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
    token = new_login(factory, "ana")
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
    manager_token = new_login(factory, "ana")
    admin_token = new_login(factory, "zoe")
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
    token = new_login(factory, "ana")
    with transaction(factory) as session:
        user = user_for_token(session, token)
    assert user is not None and user.scope_unit_ids == frozenset()


@pytest.mark.parametrize(
    "username", ["no body!", "x", "zoe\x00", "zoe\u202e", "a" * 65, "", "ZOE;DROP TABLE users"]
)
def test_a_name_no_account_could_have_is_refused_without_writing_anything(
    factory, username
) -> None:
    def counts() -> dict[str, int]:
        with transaction(factory) as session:
            return {
                table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in User.metadata.sorted_tables
            }

    before = counts()
    result = attempt(factory, username, PASSWORD)
    assert type(result) is SignInRefused and str(result) == REFUSED_MESSAGE
    assert counts() == before
