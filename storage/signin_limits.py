"""Sign-in throttling: slow down password guessing without letting a stranger lock anyone out.

OWASP ASVS 4.0 2.2.1 asks for anti-automation that stops guessing *and* account lockout
attacks; this module uses growing delays (never a lock the right password cannot pass) on three
counts, each kept as a row of `SignInThrottle` so that every replica sees the same numbers:

- **one account from one place** (`PAIR`): after `PAIR.free` failures in a row the next attempt
  waits 1 s, then 2 s, 4 s … up to `PAIR.cap`. A place is the client's address or, better, a
  browser that already signed in to that account (its ``tisa_device`` cookie, see OWASP's
  "Slow Down Online Guessing Attacks with Device Cookies");
- **one address, every account** (`ADDRESS`): the same with a larger allowance, against
  one address trying many usernames;
- **one account from every unknown place** (`ACCOUNT`): against guessing from many addresses.

A place from which the account's right password came before is *known* (for `TRUST_FOR`): it
counts only its own failures, so a stranger's flood from elsewhere never delays the owner at
their usual desk or browser. A stranger can at worst delay the account for places it was never
used from, and an admin can lift every delay of an account (`lift_for_account`).

Every key is counted the same whether or not the username exists, and only the SHA-256 of a
key is stored (no username or address in clear). An attempt is counted *before* the password is
checked (`begin`), so simultaneous attempts cannot slip past the allowance; the right password
takes its count back (`succeeded`). Failures are forgotten after `FORGET_AFTER` without one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import SignInThrottle

FORGET_AFTER = timedelta(hours=24)
TRUST_FOR = timedelta(days=90)


@dataclass(frozen=True)
class Allowance:
    """`free` failures in a row, then a wait of `first_wait` doubling with every further one up
    to `cap`."""

    free: int
    first_wait: timedelta = timedelta(seconds=1)
    cap: timedelta = timedelta(minutes=15)

    def wait_after(self, failures: int) -> timedelta | None:
        """The wait before the next attempt after `failures` failures in a row (None: none)."""
        if failures < self.free:
            return None
        doublings = min(failures - self.free, 30)
        return min(self.first_wait * (2**doublings), self.cap)


PAIR = Allowance(free=5)
ADDRESS = Allowance(free=20)
ACCOUNT = Allowance(free=20)


@dataclass(frozen=True)
class Place:
    """Where an attempt comes from: the client's address and, when the browser holds one, the
    hash of its device token."""

    address: str
    device: str | None = None


@dataclass(frozen=True)
class Attempt:
    """An attempt let through by `begin`: which keys it was counted on."""

    counted: tuple[tuple[str, Allowance], ...]
    pair_keys: tuple[str, ...]  # the (account, place) keys to trust when the password is right


def key_for(kind: str, *parts: str) -> str:
    """The stored key of a count: SHA-256 of its kind and parts (usernames and addresses are
    never stored in clear)."""
    text = "\x1f".join((kind, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def begin(session: Session, username: str, place: Place, now: datetime) -> Attempt | None:
    """Count an attempt to sign in to `username` from `place`, or refuse it (None) while one of
    its counts asks it to wait. A refused attempt is not counted and costs no password check.
    """
    account = username.strip().lower()
    address_pair = key_for("pair", account, "address", place.address)
    device_pair = key_for("pair", account, "device", place.device) if place.device else None
    address = key_for("address", place.address)
    account_key = key_for("account", account)
    rows = _locked_rows(session, [address_pair, device_pair, address, account_key], now)
    if device_pair is not None and _trusted(rows[device_pair], now):
        applicable = [(device_pair, PAIR)]
    elif _trusted(rows[address_pair], now):
        applicable = [(address_pair, PAIR)]
    else:
        applicable = [(address_pair, PAIR), (address, ADDRESS), (account_key, ACCOUNT)]
    for key, _ in applicable:
        blocked_until = rows[key].blocked_until
        if blocked_until is not None and blocked_until > now:
            return None
    for key, allowance in applicable:
        row = rows[key]
        row.failures += 1
        wait = allowance.wait_after(row.failures)
        row.blocked_until = now + wait if wait is not None else None
        row.updated_at = now
    session.flush()
    pair_keys = tuple(key for key in (address_pair, device_pair) if key is not None)
    return Attempt(counted=tuple(applicable), pair_keys=pair_keys)


def succeeded(session: Session, attempt: Attempt, now: datetime) -> None:
    """The right password: the attempt's count is taken back, the place's own count starts
    afresh, and the place becomes known for the account (for `TRUST_FOR`)."""
    rows = _locked_rows(
        session, [key for key, _ in attempt.counted] + list(attempt.pair_keys), now
    )
    for key, allowance in attempt.counted:
        row = rows[key]
        row.failures = max(0, row.failures - 1)
        if allowance.wait_after(row.failures) is None:
            row.blocked_until = None
        row.updated_at = now
    for key in attempt.pair_keys:
        row = rows[key]
        row.failures = 0
        row.blocked_until = None
        row.trusted_until = now + TRUST_FOR
        row.updated_at = now
    session.flush()


def lift_for_account(session: Session, username: str) -> None:
    """Lift the account-wide delay of `username` (an admin's unlock). The delays of single
    places stay: they hold back whoever guesses there, not the owner."""
    session.execute(
        sa.update(SignInThrottle)
        .where(SignInThrottle.key == key_for("account", username.strip().lower()))
        .values(failures=0, blocked_until=None)
    )


def forget_stale(session: Session, now: datetime) -> int:
    """Delete counts with no failure for `FORGET_AFTER` and no trust left; how many."""
    result = session.execute(
        sa.delete(SignInThrottle).where(
            SignInThrottle.updated_at < now - FORGET_AFTER,
            sa.or_(SignInThrottle.trusted_until.is_(None), SignInThrottle.trusted_until < now),
        )
    )
    return int(result.rowcount or 0)


def _locked_rows(
    session: Session, keys: Iterable[str | None], now: datetime
) -> dict[str, SignInThrottle]:
    """The rows of `keys`, made when missing and locked for this transaction (in key order, so
    two attempts never wait for each other crosswise); counts quiet for `FORGET_AFTER` are
    forgotten."""
    wanted = sorted({key for key in keys if key is not None})
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(SignInThrottle)
        .values([{"key": key, "failures": 0, "updated_at": now} for key in wanted])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    rows = {}
    for row in session.scalars(
        sa.select(SignInThrottle)
        .where(SignInThrottle.key.in_(wanted))
        .order_by(SignInThrottle.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ):
        if row.failures and row.updated_at < now - FORGET_AFTER:
            row.failures = 0
            row.blocked_until = None
        rows[row.key] = row
    return rows


def _trusted(row: SignInThrottle | None, now: datetime) -> bool:
    return row is not None and row.trusted_until is not None and row.trusted_until > now
