"""The domain errors of the storage package.

Services and repositories raise these; the entry points (a Streamlit page, a CLI command) show
the message as it is, so every message says what went wrong and what to do about it.
"""

from __future__ import annotations


class StorageError(Exception):
    """A change to stored state was refused; the message says why and what to do."""


class NotFound(StorageError, LookupError):
    """The thing asked for is not stored."""


class Conflict(StorageError):
    """The change clashes with what is stored (a name already taken, a wrong state)."""


class ImmutableVersion(Conflict):
    """A published instrument version would change: published versions are immutable."""


class InvalidInput(StorageError, ValueError):
    """A value cannot be stored as given (an unknown role, a too-short password)."""


class MigrationError(StorageError):
    """The database schema could not be brought up to date."""


class SignInRefused(StorageError):
    """A sign-in was refused: an unknown username, a wrong password, a disabled account or too
    many attempts, all with one message that never says whether the username exists."""
