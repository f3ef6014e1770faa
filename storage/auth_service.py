"""Signing in and staying signed in: passwords, throttling and login sessions.

Who signs in: admins and managers (`storage.models.User`); staff answering a survey never do.

- `sign_in` checks a username and password and stores a login (OWASP ASVS 4.0 level 1,
  sections 2.2 and 3). The Argon2 check runs **outside any database transaction**: a short
  write counts the attempt and reads the stored hash, the check follows with no lock held, and
  a second short write records the outcome. So a flood of sign-ins never keeps a survey from
  saving, and at most `storage.passwords.MAX_CONCURRENT_HASHES` checks run at once.
- It costs the same and answers the same (`REFUSED_MESSAGE`) for an unknown username, a wrong
  password, a disabled account and an attempt that must wait: nothing tells whether a username
  exists. An unknown name is checked against a dummy Argon2 hash; a name no account could have
  (`storage.user_repo.normalize_username`) is refused at once without touching the database.
- Guessing is slowed by growing delays per account and place, per address and per account
  (`storage.signin_limits`); nothing locks an account, so a stranger cannot keep its owner out
  of their usual place, and an admin can lift an account's delay (`lift_delays`).
- `create_login_session` stores a login for a browser: the browser keeps a random token (in an
  HttpOnly cookie), the database only the token's SHA-256, so a copy of the database cannot be
  used to sign in. A login ends after `SESSION_LIFETIME`, or after `idle_timeout()` without a
  page being opened (``TISA_IDLE_MINUTES``, default 30). `user_for_token` turns the token back
  into a `SignedInUser` on every page run, so a disabled user or a revoked login is out at the
  next click; `revoke` ends one; `purge_logins` deletes the ended ones (at every sign-in and
  at start-up).
- `change_password` (the user, knowing the current password) and `reset_password` (an admin,
  or IT with ``tisa users reset-password``) check the new password against the policy, hash it
  outside the transaction, end the user's other logins and record it in the audit log.

Functions that take a session never commit: the caller runs them in one
`storage.engine.transaction`. `sign_in`, `change_password` and `reset_password` take the
session factory instead, because they must hash between two transactions of their own.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from storage import signin_limits
from storage.audit_repo import record_audit
from storage.engine import transaction
from storage.errors import Conflict, InvalidInput, NotFound, SignInRefused
from storage.models import LoginSession, Role, Unit, User, UserUnitScope, utc_now
from storage.passwords import (
    check_password_policy,
    hash_password,
    hash_unchecked,
    needs_rehash,
    verify_password,
)
from storage.signin_limits import Place
from storage.user_repo import normalize_username

SESSION_LIFETIME = timedelta(hours=12)
IDLE_MINUTES_VARIABLE = "TISA_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30
SEEN_EVERY = timedelta(minutes=1)  # how often a login's last_seen_at is written
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 random bits, 43 characters
MAX_TOKEN_LENGTH = 128  # anything longer is no token of ours and is not even hashed

# Checked against when the username is unknown or disabled, so that answering costs what checking
# a real account costs. Made once per process with today's parameters; no password matches it
# in practice (its own password is random and forgotten at once).
_DUMMY_HASH = hash_unchecked(secrets.token_urlsafe(32))

REFUSED_MESSAGE = (
    "the username or the password is not right, or there were too many attempts; check both "
    "and try again in a minute"
)
WRONG_CURRENT_PASSWORD = (
    "the current password is not right, or there were too many attempts; type it again in a "
    "minute (your password has not changed)"
)


def idle_timeout() -> timedelta:
    """How long a login lasts without a page being opened: ``TISA_IDLE_MINUTES`` (default 30,
    at least 1, at most the whole `SESSION_LIFETIME`)."""
    configured = os.environ.get(IDLE_MINUTES_VARIABLE, "").strip()
    try:
        minutes = int(configured) if configured else DEFAULT_IDLE_MINUTES
    except ValueError:
        raise InvalidInput(
            f"{IDLE_MINUTES_VARIABLE}={configured!r} is not a whole number of minutes; set it "
            f"to e.g. {DEFAULT_IDLE_MINUTES}"
        ) from None
    return min(timedelta(minutes=max(1, minutes)), SESSION_LIFETIME)


@dataclass(frozen=True)
class SignedInUser:
    """Who is signed in, as plain data resolved from a login token on each page run.

    `scope_unit_ids` are the units whose reports the user may read: for a manager the units of
    their scope and every unit below them, for an admin every unit of the organization.
    """

    id: int
    username: str
    display_name: str
    role: str
    organization_id: int
    scope_unit_ids: frozenset[int]
    # When the login was last seen (`touch_login` renews it); not part of who the user is.
    seen_at: datetime | None = field(default=None, compare=False, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value


@dataclass(frozen=True)
class SignIn:
    """A sign-in that succeeded: the login token for the session cookie, and the device token
    that marks this browser as a usual place of the account (the ``tisa_device`` cookie)."""

    token: str
    device_token: str
    username: str


def device_place(address: str, device_token: str | None) -> Place:
    """The place of an attempt: the client's address, and the browser's device token (hashed)
    when it sent one of a plausible length."""
    usable = device_token if device_token and len(device_token) <= MAX_TOKEN_LENGTH else None
    return Place(address=address, device=token_hash(usable) if usable else None)


def sign_in(
    factory: sessionmaker[Session],
    username: str,
    password: str,
    place: Place,
    *,
    device_token: str | None = None,
    previous_token: str | None = None,
    now: datetime | None = None,
) -> SignIn:
    """Check `password` for `username` from `place` and store a new login (see the module
    docstring for the order of the steps). The login this browser held before
    (`previous_token`) is ended.

    Raises `SignInRefused` with `REFUSED_MESSAGE` for an unknown username, a wrong password, a
    disabled account, and an attempt that must wait; `now` is for tests.
    """
    now = now if now is not None else utc_now()
    try:
        name = normalize_username(username)
    except InvalidInput:
        # No account can have this name (the rules are public): refused at once, with nothing
        # to count and nothing stored.
        raise SignInRefused(REFUSED_MESSAGE) from None
    with transaction(factory, write=True) as session:
        attempt = signin_limits.begin(session, name, place, now)
        stored = None
        if attempt is not None:
            stored = session.execute(
                sa.select(User.id, User.password_hash, User.active).where(User.username == name)
            ).first()
    if attempt is None:
        raise SignInRefused(REFUSED_MESSAGE)  # no check at all: waiting costs nothing

    known = stored is not None and stored.active
    right = verify_password(stored.password_hash if known else _DUMMY_HASH, password)
    right = right and known
    renewed = None
    if right and needs_rehash(stored.password_hash):
        renewed = hash_unchecked(password)
    new_device = device_token if place.device is not None else secrets.token_urlsafe(TOKEN_BYTES)

    with transaction(factory, write=True) as session:
        user = session.get(User, stored.id, with_for_update=True) if stored is not None else None
        if right and user is not None and user.active and user.password_hash == stored[1]:
            device_key = signin_limits.key_for("pair", name, "device", token_hash(new_device))
            trusted = signin_limits.Attempt(
                counted=attempt.counted, pair_keys=(*attempt.pair_keys, device_key)
            )
            signin_limits.succeeded(session, trusted, now)
            user.failed_attempts = 0
            if renewed is not None:
                user.password_hash = renewed
            record_audit(session, user.organization, "user.signin", user=user, target=name)
            if previous_token:
                revoke(session, previous_token, now=now)
            purge_logins(session, now=now)
            token = create_login_session(session, user, now=now)
            return SignIn(token=token, device_token=new_device, username=name)
        if user is not None and user.active:
            user.failed_attempts += 1
            record_audit(
                session,
                user.organization,
                "user.signin_failed",
                user=user,
                target=name,
                detail={"failed_attempts": user.failed_attempts},
            )
    raise SignInRefused(REFUSED_MESSAGE)


def lift_delays(session: Session, username: str) -> None:
    """Lift the sign-in delay of `username` for every place (an admin's unlock; see
    `storage.signin_limits.lift_for_account`)."""
    signin_limits.lift_for_account(session, username)


def change_password(
    factory: sessionmaker[Session],
    user_id: int,
    current: str,
    new: str,
    place: Place,
    *,
    keep_token: str | None = None,
    now: datetime | None = None,
) -> None:
    """The signed-in user `user_id` replaces their password, giving the current one.

    The current password is checked like a sign-in (counted and slowed the same way), the new
    one against the policy. Every other login of the user ends; the login `keep_token` (the
    browser making the change) stays. Raises `SignInRefused` (`WRONG_CURRENT_PASSWORD`) for a
    wrong current password, `InvalidInput` for a new password outside the policy or equal to
    the current one, `NotFound` for a user who no longer exists or is disabled.
    """
    now = now if now is not None else utc_now()
    with transaction(factory) as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound("this account no longer exists or is disabled; sign in again")
        username, stored_hash = user.username, user.password_hash
    check_password_policy(new, username=username)
    if new == current:
        raise InvalidInput("the new password is the same as the current one; choose a new one")
    with transaction(factory, write=True) as session:
        attempt = signin_limits.begin(session, username, place, now)
    if attempt is None or not verify_password(stored_hash, current):
        raise SignInRefused(WRONG_CURRENT_PASSWORD)
    new_hash = hash_unchecked(new)
    with transaction(factory, write=True) as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None or not user.active or user.password_hash != stored_hash:
            raise Conflict("the password was changed meanwhile; sign in again and retry")
        signin_limits.succeeded(session, attempt, now)
        _set_password(session, user, new_hash, keep_token=keep_token, now=now)
        record_audit(session, user.organization, "user.password_changed", user=user,
                     target=user.username)


def reset_password(
    factory: sessionmaker[Session],
    username: str,
    new: str,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> str:
    """An admin (`actor_id`; None: IT at the command line) sets a new password for `username`.

    The password is checked against the policy and hashed before the write; every login of the
    user ends and the account's sign-in delay is lifted; the audit log records who did it.
    Returns the username as stored. Raises `NotFound`, `InvalidInput`.
    """
    now = now if now is not None else utc_now()
    name = username.strip().lower()
    with transaction(factory) as session:
        if session.scalar(sa.select(User.id).where(User.username == name)) is None:
            raise NotFound(f"no user {username.strip()!r}; check the spelling or add the user")
    new_hash = hash_password(new, username=name)
    with transaction(factory, write=True) as session:
        user = session.scalar(sa.select(User).where(User.username == name).with_for_update())
        if user is None:
            raise NotFound(f"no user {username.strip()!r}; check the spelling or add the user")
        actor = session.get(User, actor_id) if actor_id is not None else None
        if actor is not None and actor.organization_id != user.organization_id:
            raise NotFound(f"no user {username.strip()!r}; check the spelling or add the user")
        _set_password(session, user, new_hash, keep_token=None, now=now)
        lift_delays(session, name)
        record_audit(session, user.organization, "user.password_reset", user=actor,
                     target=user.username)
        return user.username


def _set_password(
    session: Session, user: User, new_hash: str, *, keep_token: str | None, now: datetime
) -> None:
    user.password_hash = new_hash
    user.failed_attempts = 0
    ended = sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    if keep_token:
        ended = ended.where(LoginSession.token_hash != token_hash(keep_token))
    session.execute(ended.values(revoked_at=now))
    session.flush()


def create_login_session(session: Session, user: User, *, now: datetime | None = None) -> str:
    """Store a new login of `user` and return its token (only its SHA-256 is stored).

    The login lasts `SESSION_LIFETIME`. Raises `Conflict` for a disabled user.
    """
    if not user.active:
        raise Conflict(f"{user.username!r} is disabled and cannot sign in; enable the user first")
    now = now if now is not None else utc_now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        LoginSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def user_for_token(
    session: Session, token: str | None, *, now: datetime | None = None
) -> SignedInUser | None:
    """Who `token` signs in: None unless its login is unrevoked, younger than
    `SESSION_LIFETIME`, seen within `idle_timeout()`, and its user still active. Reads only."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now if now is not None else utc_now()
    row = session.execute(
        sa.select(User, LoginSession.expires_at, LoginSession.created_at, LoginSession.last_seen_at)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_hash == token_hash(token),
            LoginSession.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user, expires_at, created_at, last_seen_at = row
    seen_at = last_seen_at or created_at
    if expires_at <= now or seen_at + idle_timeout() <= now:
        return None
    return SignedInUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        organization_id=user.organization_id,
        scope_unit_ids=_scope_unit_ids(session, user),
        seen_at=seen_at,
    )


def needs_touch(user: SignedInUser, *, now: datetime | None = None) -> bool:
    """Whether the login's last-seen time is older than `SEEN_EVERY` and should be renewed."""
    now = now if now is not None else utc_now()
    return user.seen_at is None or user.seen_at + SEEN_EVERY <= now


def touch_login(session: Session, token: str, *, now: datetime | None = None) -> None:
    """Note that the browser of `token` opened a page now (for the idle timeout)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return
    now = now if now is not None else utc_now()
    session.execute(
        sa.update(LoginSession)
        .where(LoginSession.token_hash == token_hash(token), LoginSession.revoked_at.is_(None))
        .values(last_seen_at=now)
    )


def purge_logins(session: Session, *, now: datetime | None = None) -> int:
    """Delete every login that has ended (revoked, past its lifetime or idle too long) and the
    sign-in counts nobody needs any more; how many logins were deleted."""
    now = now if now is not None else utc_now()
    idle_since = now - idle_timeout()
    result = session.execute(
        sa.delete(LoginSession).where(
            sa.or_(
                LoginSession.revoked_at.is_not(None),
                LoginSession.expires_at <= now,
                sa.func.coalesce(LoginSession.last_seen_at, LoginSession.created_at)
                <= idle_since,
            )
        )
    )
    signin_limits.forget_stale(session, now)
    return int(result.rowcount or 0)


def revoke(session: Session, token: str | None, *, now: datetime | None = None) -> bool:
    """End the login of `token`; True when an open login was ended (False: unknown or already
    ended, which is fine for signing out twice)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    now = now if now is not None else utc_now()
    result = session.execute(
        sa.update(LoginSession)
        .where(LoginSession.token_hash == token_hash(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return bool(result.rowcount)


def assigned_units(session: Session, user: SignedInUser) -> list[Unit]:
    """The units a manager was given, by name (their scope is these and every unit below
    them); empty for an admin, who sees every unit."""
    if user.is_admin:
        return []
    units = session.scalars(
        sa.select(Unit)
        .join(UserUnitScope, UserUnitScope.unit_id == Unit.id)
        .where(UserUnitScope.user_id == user.id)
    )
    return sorted(units, key=lambda unit: (unit.name.casefold(), unit.code))


def token_hash(token: str) -> str:
    """What is stored of a login token: its SHA-256 in hex.

    A plain hash suffices (no salt, no Argon2): the token is 256 random bits, not something a
    person chose, so there is nothing to guess from the hash.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _scope_unit_ids(session: Session, user: User) -> frozenset[int]:
    units = session.execute(
        sa.select(Unit.id, Unit.parent_id).where(Unit.organization_id == user.organization_id)
    ).all()
    if user.role == Role.ADMIN.value:
        return frozenset(unit_id for unit_id, _ in units)
    roots = session.scalars(
        sa.select(UserUnitScope.unit_id).where(UserUnitScope.user_id == user.id)
    )
    return frozenset(_with_descendants(roots, units))


def _with_descendants(
    roots: Iterable[int], units: Iterable[tuple[int, int | None]]
) -> set[int]:
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in units:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    pending = list(roots)
    while pending:
        unit_id = pending.pop()
        if unit_id not in found:
            found.add(unit_id)
            pending.extend(children.get(unit_id, ()))
    return found
