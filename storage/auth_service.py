"""Signing in and staying signed in: passwords, lockout and login sessions.

Who signs in: admins and managers (`storage.models.User`); staff answering a survey never do.

- `authenticate` checks a username and password. It costs the same whether or not the username
  exists (an unknown name is checked against a dummy Argon2 hash), and its refusal says the same
  thing in both cases. After `MAX_FAILED_ATTEMPTS` wrong passwords in a row the account is
  locked for `LOCKOUT`; a locked account says so and for how long, even to the right password.
- `create_login_session` stores a login for a browser: the browser keeps a random token (in an
  HttpOnly cookie), the database only the token's SHA-256, so a copy of the database cannot be
  used to sign in. `user_for_token` turns the token back into a `SignedInUser` on every page
  run, so a disabled user or a revoked session is out at the next click; `revoke` ends one.

Every function takes the caller's session and never commits: the caller runs each sign-in,
sign-out or lookup in one `storage.engine.transaction`. A refused sign-in raises
`SignInRefused` (or `AccountLocked`) *after* counting the failed attempt in that session, so
catch it inside the transaction, or the count is rolled back with it::

    with transaction(factory, write=True) as session:
        try:
            user = authenticate(session, username, password)
        except SignInRefused as refused:
            ...  # the failed attempt is committed when the block ends
        else:
            token = create_login_session(session, user)
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.audit_repo import record_audit
from storage.errors import AccountLocked, Conflict, InvalidInput, SignInRefused
from storage.models import LoginSession, Role, Unit, User, UserUnitScope, utc_now
from storage.passwords import hash_password, needs_rehash, verify_password

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 random bits, 43 characters
MAX_TOKEN_LENGTH = 128  # anything longer is no token of ours and is not even hashed

# Checked against when the username is unknown or disabled, so that answering costs what checking
# a real account costs. Made once per process with today's parameters; no password matches it
# in practice (its own password is random and forgotten at once).
_DUMMY_HASH = hash_password(secrets.token_urlsafe(32))

REFUSED_MESSAGE = "the username or the password is not right; check both and try again"


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

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> User:
    """The active user with this username and password, with its failed attempts reset.

    Raises `SignInRefused` for an unknown username, a wrong password or a disabled account
    (one message for all three), and `AccountLocked` while the account is locked. A wrong
    password of an existing account counts towards the lockout; the count and the lock are
    written to `session` before the error is raised (see the module docstring). A hash made
    with older Argon2 parameters is renewed on success. `now` is for tests.
    """
    now = now if now is not None else utc_now()
    user = session.scalar(
        sa.select(User).where(User.username == username.strip().lower()).with_for_update()
    )
    if user is None or not user.active:
        # The same work as for an active account, and the same answer.
        verify_password(user.password_hash if user is not None else _DUMMY_HASH, password)
        raise SignInRefused(REFUSED_MESSAGE)

    if user.locked_until is not None and user.locked_until > now:
        verify_password(user.password_hash, password)  # the same work; the result is not used
        raise _locked(user, now)
    if user.locked_until is not None:  # the lock has run out: a fresh start
        user.locked_until = None
        user.failed_attempts = 0

    if not verify_password(user.password_hash, password):
        user.failed_attempts += 1
        locks = user.failed_attempts >= MAX_FAILED_ATTEMPTS
        if locks:
            user.locked_until = now + LOCKOUT
        record_audit(
            session,
            user.organization,
            "user.locked" if locks else "user.signin_failed",
            user=user,
            target=user.username,
            detail={"failed_attempts": user.failed_attempts},
        )
        session.flush()
        if locks:
            raise _locked(user, now)
        raise SignInRefused(REFUSED_MESSAGE)

    user.failed_attempts = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        try:
            user.password_hash = hash_password(password)
        except InvalidInput:
            pass  # a password from before today's policy: its working hash is kept as it is
    record_audit(session, user.organization, "user.signin", user=user, target=user.username)
    session.flush()
    return user


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
    """Who `token` signs in: None unless its login is unexpired and unrevoked and the user is
    still active. Reads only."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now if now is not None else utc_now()
    row = session.execute(
        sa.select(User, LoginSession.expires_at)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_hash == token_hash(token),
            LoginSession.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user, expires_at = row
    if expires_at <= now:
        return None
    return SignedInUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        organization_id=user.organization_id,
        scope_unit_ids=_scope_unit_ids(session, user),
    )


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


def _locked(user: User, now: datetime) -> AccountLocked:
    until = user.locked_until if user.locked_until is not None else now
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return AccountLocked(
        f"this account is locked after {MAX_FAILED_ATTEMPTS} failed sign-ins; try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}, or ask an admin to unlock it",
        locked_until=until,
        minutes_left=minutes,
    )


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
