"""Password hashing for users who sign in: Argon2id through argon2-cffi.

The parameters are argon2-cffi's defaults, RFC 9106's second recommended option (Argon2id,
64 MiB, 3 passes, 4 lanes); a hash made with older parameters is upgraded when its user next
signs in (`needs_rehash`). Only the hash is stored, never the password.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from storage.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()


def check_password_policy(password: str) -> None:
    """Refuse a password that is too short or too long, saying what is needed."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH} "
            "(a few unrelated words make a long password that is easy to remember)"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"the password is longer than {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """The Argon2id hash of `password` (checked against the policy first)."""
    check_password_policy(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`.

    A wrong password gives False, and so does a stored hash that is not an Argon2 hash at all
    (nobody can sign in with it until an admin sets a new password).
    """
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's and should be renewed."""
    return _hasher.check_needs_rehash(password_hash)
