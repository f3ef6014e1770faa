"""Access codes and unit-link tokens: how they are made, typed, normalized and hashed.

A code is 15 characters from a 27-character alphabet without look-alikes (no 0/O, 1/I/L, U/V,
5/S; see `ALPHABET`), shown in three groups of five, ``K7QXM-2RB9T-WHN46``: 15 × log2(27) ≈
71.3 bits, far beyond guessing (DESIGN.md section 5 asks for at least 60). People may type
it in any case, with or without the dashes and spaces.

Only the SHA-256 of the normalized code is stored: with 71 bits of randomness a hash cannot be
reversed by trying codes, and the database alone never yields a usable code.
"""

from __future__ import annotations

import hashlib
import math
import secrets

# Capitals and digits without 0 O 1 I L U V 5 S (pairs people confuse when copying by hand).
ALPHABET = "ABCDEFGHJKMNPQRTWXYZ2346789"
CODE_LENGTH = 15
GROUP = 5
CODE_BITS = CODE_LENGTH * math.log2(len(ALPHABET))

_TRANSLATE = {ord(c): None for c in " -_.\t"}


def new_code() -> str:
    """A fresh random access code, grouped for reading: ``K7QXM-2RB9T-WHN46``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalize_code(typed: str) -> str | None:
    """The code as stored-before-hashing: upper-case, separators dropped; None when what was
    typed cannot be a code (wrong length or a character outside the alphabet)."""
    if not isinstance(typed, str) or len(typed) > 4 * CODE_LENGTH:
        return None  # nothing that long is a code, whatever it holds
    cleaned = typed.translate(_TRANSLATE).upper()
    if len(cleaned) != CODE_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def hash_code(normalized: str) -> str:
    """SHA-256 (hex) of a normalized code, the only form in which codes are stored."""
    return hashlib.sha256(normalized.encode("ascii")).hexdigest()


def new_link_token() -> str:
    """A token for an open unit link (URL-safe, 256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # "replace": a lone surrogate from a hostile address hashes to no stored token, no error
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
