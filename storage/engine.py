"""Where the database is, how to connect to it, and the unit of work services run in.

SQLite is the embedded default, a file under ``data/``; PostgreSQL is selected by setting
``TISA_DATABASE_URL`` (``postgresql://user:password@host/dbname``; psycopg 3 is used).

The session's lifecycle is separate from the code that uses it (SQLAlchemy's
``orm/session_basics``; the unit of work of "Architecture Patterns with Python"): a service
opens one `transaction`, repositories take the session and never commit::

    factory = session_factory(make_engine())
    with transaction(factory, write=True) as session:
        add_user(session, organization, "ana", password, role=Role.ADMIN)
    # committed here; rolled back instead if the block raised

SQLite connections get ``PRAGMA foreign_keys=ON`` (without it orphans are accepted silently),
``journal_mode=WAL`` (readers do not wait for the writer) and ``busy_timeout=5000``. SQLAlchemy
rather than pysqlite begins their transactions, so a transaction covers its reads, its DDL and
its savepoints too (pysqlite's legacy mode would leave SELECTs and DDL outside of it).
``secure_delete=ON`` zeroes deleted content, so deleted drafts cannot be read back from the file.
Write transactions of one process queue on a lock of the engine's own rather than on SQLite's
busy handler (see `transaction`).

Every engine hides statement parameters from logs and error messages (``hide_parameters``):
they can hold a respondent's answers and comments.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_VARIABLE = "TISA_DATABASE_URL"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_SQLITE_FILE = DATA_DIR / "tisa.db"

SQLITE_BUSY_TIMEOUT_MS = 5000

# Execution option set by `transaction(write=True)`: on SQLite, BEGIN IMMEDIATE.
WRITE_TRANSACTION_OPTION = "tisa_write_transaction"

# What a unit of work raises when the database itself fails (a lock held too long, a refused
# write, a table it cannot read, a full disk), for entry points that answer in their own words
# without importing the database library. Their text can quote a row: show it to nobody.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sa.exc.SQLAlchemyError, sqlite3.Error, OSError)


def database_url() -> str:
    """``TISA_DATABASE_URL`` when set, else the SQLite file ``data/tisa.db`` of the project."""
    configured = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if configured:
        return configured
    return f"sqlite:///{DEFAULT_SQLITE_FILE}"


def normalize_url(url: str | URL) -> URL:
    """Parse a database URL; ``postgresql://`` (and ``postgres://``) select psycopg 3.

    Raises `ValueError` naming the setting when the URL cannot be read.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        # The message leaves the URL out: it may hold a password.
        raise ValueError(
            "cannot read the database URL: it must look like "
            "postgresql://user:password@host/tisa or sqlite:////absolute/path/tisa.db "
            f"(check {DATABASE_URL_VARIABLE})"
        ) from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL | None = None, **engine_options: Any) -> Engine:
    """An engine for `url` (default: `database_url()`), configured for tisa.

    For a SQLite file, the folder is created when missing. Extra keyword arguments go to
    `sqlalchemy.create_engine`. Statement parameters are never shown in logs or in the text
    of errors (``hide_parameters``): they can hold a respondent's answers and comments.
    """
    parsed = normalize_url(url if url is not None else database_url())
    options: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    options.update(engine_options)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, **options)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine`.

    Objects stay readable after their transaction commits (``expire_on_commit=False``), so a
    page can show what a service returned without a new round trip to the database.
    """
    return sessionmaker(bind=engine, expire_on_commit=False)


@functools.cache
def shared_factory(url: str) -> sessionmaker[Session]:
    """The session factory of this process for `url` (e.g. ``database_url()``), made once.

    The web app and its HTTP routes share one engine, hence one connection pool, per URL;
    tests that point at another database get their own.
    """
    return session_factory(make_engine(url))


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = False) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back when it raises.

    `write=True` says the transaction will write. On SQLite it then takes the write lock at
    its start (``BEGIN IMMEDIATE``), so that two writers queue on the busy timeout instead of
    one failing with "database is locked" when it reads first and writes later; on PostgreSQL
    it changes nothing. Read-only transactions should leave it False so they never wait.
    """
    lock = _sqlite_writer_lock(factory) if write else None
    if lock is None:
        with factory.begin() as session:
            if write:
                session.connection(execution_options={WRITE_TRANSACTION_OPTION: True})
            yield session
        return
    with lock, factory.begin() as session:
        session.connection(execution_options={WRITE_TRANSACTION_OPTION: True})
        yield session


_WRITER_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_WRITER_LOCKS_GUARD = threading.Lock()


def _sqlite_writer_lock(factory: sessionmaker[Session]) -> threading.RLock | None:
    """The lock that queues this process's write transactions on a SQLite engine.

    SQLite has one writer at a time; a writer that finds the database busy sleeps and retries
    for ``busy_timeout``, and under many threads some are passed over until they give up with
    "database is locked". Threads of one process therefore wait their turn on this lock
    instead, without a time limit, and only other processes meet the busy timeout.
    """
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return None
    with _WRITER_LOCKS_GUARD:
        return _WRITER_LOCKS.setdefault(engine, threading.RLock())


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # SQLAlchemy emits BEGIN itself (see `_on_begin`): pysqlite must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Deleted rows are overwritten with zeros, so a submitted draft (deleted in the
            # transaction that stores its response) leaves no trace in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_TRANSACTION_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
