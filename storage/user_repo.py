"""Users who sign in (admins and managers): add, find, list, disable, scope to units.

Usernames are case-insensitive (stored lower-case) and unique across the deployment, so a
sign-in needs no organization. Passwords are stored as Argon2id hashes (`storage.passwords`).

A change made by a signed-in admin passes that admin as `actor` and is then recorded in the
audit log (``user.add``, ``user.disable``, ``user.enable``, ``user.scope``). Changing and
resetting passwords is in `storage.auth_service` (it hashes outside the transaction).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments.text import NAME_MAX
from storage.audit_repo import record_audit
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import LoginSession, Organization, Role, Unit, User, utc_now
from storage.passwords import hash_password
from storage.signin_limits import lift_for_account
from storage.text_fields import checked_text, lookup_key, shown

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


def add_user(
    session: Session,
    organization: Organization,
    username: str,
    password: str,
    *,
    role: Role | str,
    display_name: str | None = None,
    actor: User | None = None,
) -> User:
    """Store a new user with the Argon2id hash of `password`.

    Raises `InvalidInput` for a malformed username, an unknown role or a password outside the
    policy, and `Conflict` when the username is taken.
    """
    username = normalize_username(username)
    role = _role(role)
    display = checked_text(display_name or "", field="display name", max_length=NAME_MAX)
    display = display or username
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"the username {username!r} is taken; choose another")
    user = User(
        organization_id=organization.id,
        username=username,
        display_name=display,
        role=role.value,
        password_hash=hash_password(password, username=username),
    )
    session.add(user)
    session.flush()
    _audit(session, actor, "user.add", user, {"role": user.role})
    return user


def get_user(session: Session, username: str) -> User:
    key = lookup_key(username)
    user = (
        session.scalar(sa.select(User).where(User.username == key.lower()))
        if key is not None
        else None
    )
    if user is None:
        raise NotFound(f"no user {shown(username.strip())}; check the spelling or add the user")
    return user


def list_users(
    session: Session, organization: Organization, *, include_disabled: bool = True
) -> list[User]:
    """The organization's users by username."""
    query = sa.select(User).where(User.organization_id == organization.id)
    if not include_disabled:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query.order_by(User.username)))


def disable_user(session: Session, username: str, *, actor: User | None = None) -> User:
    """Stop a user from signing in and end their open sessions; their history stays.

    The last active admin of an organization cannot be disabled (nobody could manage it).
    """
    user = get_user(session, username)
    if user.role == Role.ADMIN.value and user.active:
        other_admins = session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.organization_id == user.organization_id,
                User.role == Role.ADMIN.value,
                User.active.is_(True),
                User.id != user.id,
            )
        )
        if not other_admins:
            raise Conflict(
                f"{user.username!r} is the last active admin of the organization; add or "
                "enable another admin first"
            )
    user.active = False
    now = utc_now()
    session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.flush()
    _audit(session, actor, "user.disable", user)
    return user


def enable_user(session: Session, username: str, *, actor: User | None = None) -> User:
    """Let a disabled user sign in again, with a clean slate of failed attempts and the
    account's sign-in delay lifted (`storage.signin_limits.lift_for_account`)."""
    user = get_user(session, username)
    user.active = True
    user.failed_attempts = 0
    lift_for_account(session, user.username)
    session.flush()
    _audit(session, actor, "user.enable", user)
    return user


def set_unit_scope(
    session: Session, user: User, units: Iterable[Unit], *, actor: User | None = None
) -> None:
    """Set the units a manager may read reports for (each with the units below it)."""
    chosen = list(units)
    if user.role != Role.MANAGER.value:
        raise InvalidInput(
            f"{user.username!r} is an {user.role}; only managers are scoped to units (admins "
            "see every unit)"
        )
    foreign = [unit.code for unit in chosen if unit.organization_id != user.organization_id]
    if foreign:
        raise InvalidInput(
            f"units {', '.join(foreign)} belong to another organization than {user.username!r}"
        )
    user.scope_units = chosen
    session.flush()
    _audit(session, actor, "user.scope", user, {"units": [unit.code for unit in chosen]})


def normalize_username(username: str) -> str:
    """Lower-case and check a username; `InvalidInput` says what a username may contain."""
    cleaned = username.strip().lower()
    if not _USERNAME.match(cleaned):
        raise InvalidInput(
            f"the username {shown(username)} is not usable: use 2 to 64 lower-case letters, digits "
            "or . _ @ -, starting with a letter or digit"
        )
    return cleaned


def _role(role: Role | str) -> Role:
    try:
        return Role(str(role))
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role {role!r}; a user is one of: {allowed}") from None


def _audit(
    session: Session,
    actor: User | None,
    action: str,
    user: User,
    detail: dict[str, object] | None = None,
) -> None:
    if actor is not None:
        record_audit(
            session, user.organization, action, user=actor, target=user.username, detail=detail
        )
