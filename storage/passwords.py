"""Passwords of users who sign in: the policy a new password must meet, and Argon2id hashing.

Hashing uses argon2-cffi's defaults, RFC 9106's second recommended option (Argon2id, 64 MiB,
3 passes, 4 lanes); a hash made with older parameters is upgraded when its user next signs in
(`needs_rehash`). Only the hash is stored, never the password.

**Policy** (`check_password_policy`, OWASP ASVS 4.0 level 1, section 2.1): at least
`MIN_PASSWORD_LENGTH` characters and at most `MAX_PASSWORD_LENGTH`; not one of the 20,000 most
common passwords (the list in ``storage/data``, see its README for where it comes from), also
when digits or signs are added before or after it (``Sunshine2024!``); not made of a few
predictable runs (``aaaaaaaaaaaa``, ``abcdefghijkl``, ``qwerty123456``, ``abababababab``), nor a
common password said twice; and not
containing the username. Spaces and any other character are allowed, so a few unrelated words
make a good password. Each refusal says which rule was not met.

**Memory**: one Argon2 computation takes 64 MiB, so at most `MAX_CONCURRENT_HASHES` run at
once in a process (``TISA_PASSWORD_CHECKS``, default 2); the others wait their turn. Nothing
here touches the database: callers hash and verify outside any transaction.
"""

from __future__ import annotations

import functools
import gzip
import os
import threading
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from storage.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MAX_RUNS_OF_TRIVIAL = 3  # a password made of this many predictable runs or fewer is refused
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
CONCURRENCY_VARIABLE = "TISA_PASSWORD_CHECKS"

_hasher = PasswordHasher()

# Sequences a person types without thinking: a step along one of them (either way) or the same
# character again continues a run.
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "!@#$%^&*()",
)
_NEXT: frozenset[tuple[str, str]] = frozenset(
    pair
    for sequence in _SEQUENCES
    for a, b in zip(sequence, sequence[1:], strict=False)
    for pair in ((a, b), (b, a))
)


def _concurrency() -> int:
    configured = os.environ.get(CONCURRENCY_VARIABLE, "").strip()
    try:
        value = int(configured) if configured else 2
    except ValueError:
        raise InvalidInput(
            f"{CONCURRENCY_VARIABLE}={configured!r} is not a whole number; set how many "
            "passwords may be checked at once (each takes 64 MiB), e.g. 2"
        ) from None
    return max(1, value)


MAX_CONCURRENT_HASHES = _concurrency()
_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


def check_password_policy(password: str, *, username: str | None = None) -> None:
    """Refuse a password outside the policy (see the module docstring), saying what to change."""
    advice = "a few unrelated words make a long password that is easy to remember"
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH} "
            f"({advice})"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"the password is longer than {MAX_PASSWORD_LENGTH} characters")
    lowered = password.casefold()
    name = (username or "").strip().casefold()
    if len(name) >= 3 and name in lowered:
        raise InvalidInput(f"the password contains the username; choose another ({advice})")
    if predictable_runs(lowered) <= MAX_RUNS_OF_TRIVIAL:
        raise InvalidInput(
            "the password is a repeated or sequential pattern (like aaaa, abcd, 1234 or qwerty) "
            f"that is guessed at once; choose another ({advice})"
        )
    if is_common(lowered):
        raise InvalidInput(
            "the password is one of the most common passwords (or one with a few digits or "
            f"signs added) and is guessed at once; choose another ({advice})"
        )


def predictable_runs(text: str) -> int:
    """How many runs `text` is made of, a run continuing while each character repeats the one
    before or is its neighbour in the alphabet, the digits or a keyboard row."""
    if not text:
        return 0
    runs = 1
    for before, after in zip(text, text[1:], strict=False):
        if before != after and (before, after) not in _NEXT:
            runs += 1
    return runs


def is_common(lowered: str) -> bool:
    """Whether a lower-cased password is a common one, also with digits, signs or spaces added
    before or after it."""
    common = _common_passwords()
    candidates = {lowered, lowered.replace(" ", ""), _repeated_unit(lowered)}
    candidates |= {candidate.strip(_ADDED) for candidate in candidates}
    return any(candidate in common for candidate in candidates if candidate)


_ADDED = "0123456789 !@#$%^&*()-_=+.,;:?'\"~`[]{}<>/\\|"


def _repeated_unit(text: str) -> str:
    """The shortest piece that `text` repeats (``trustno1trustno1`` → ``trustno1``)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


@functools.cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def hash_password(password: str, *, username: str | None = None) -> str:
    """The Argon2id hash of `password` (checked against the policy first)."""
    check_password_policy(password, username=username)
    return hash_unchecked(password)


def hash_unchecked(password: str) -> str:
    """The Argon2id hash of a password without the policy: for renewing the hash of a password
    that already works, and for the dummy hash checked against unknown usernames."""
    with _slots:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`.

    A wrong password gives False, and so does a stored hash that is not an Argon2 hash at all
    (nobody can sign in with it until an admin sets a new password).
    """
    with _slots:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's and should be renewed."""
    return _hasher.check_needs_rehash(password_hash)
