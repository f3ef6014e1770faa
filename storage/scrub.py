"""Clearing what the database engine keeps of deleted rows, after a round has closed.

`storage.round_service.close_round` deletes the round's sealed submissions, drafts and code
claims in its transaction, but a database keeps deleted rows' bytes for a while: PostgreSQL as
dead tuples in the table and TOAST files until a vacuum, SQLite in the write-ahead log
(``-wal`` file) until a checkpoint copies the pages back and the log is truncated (deleted
content in the main file itself is zeroed: ``PRAGMA secure_delete``, see `storage.engine`).
`scrub_after_close` removes them; call it after the closing transaction has committed::

    with transaction(factory, write=True) as session:
        close_round(session, round_, user=admin)
    scrub_after_close(factory.kw["bind"])   # or the engine at hand

- PostgreSQL: ``VACUUM FULL`` of ``sealed_submissions``, ``drafts`` and ``code_claims`` (the
  tables are rewritten into new files and the old ones removed; their indexes are rebuilt).
  It runs on an AUTOCOMMIT connection, since VACUUM cannot run inside a transaction, and
  takes each small table's lock for a moment.
- SQLite: ``PRAGMA wal_checkpoint(TRUNCATE)``, retried for a few seconds while readers or a
  writer keep it from completing.

What stays out of reach of an application: PostgreSQL's own write-ahead log segments (and any
WAL archive or backup taken while the round was open) hold the rows until they are recycled;
the file system may keep freed blocks. docs/anonymity.md says what an agency should do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine

# The tables whose deleted rows once tied a submission to a code (see the module docstring).
SCRUBBED_TABLES = ("sealed_submissions", "drafts", "code_claims")
SQLITE_RETRY_SECONDS = 5.0
_SQLITE_PAUSE = 0.05


@dataclass(frozen=True)
class ScrubReport:
    """What `scrub_after_close` did: `complete` is False when SQLite's log could not be
    truncated (readers kept it busy for `SQLITE_RETRY_SECONDS`); `detail` says what was done,
    for a log line or the command line."""

    complete: bool
    detail: str


def scrub_after_close(engine: Engine) -> ScrubReport:
    """Clear the remains of deleted sealed submissions, drafts and claims (module docstring).
    Never raises for a busy SQLite log: the report says so, and the next scrub (or SQLite's
    own checkpoints) finishes it."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in SCRUBBED_TABLES:
                connection.exec_driver_sql(f"VACUUM FULL {table}")
        return ScrubReport(True, f"vacuumed {', '.join(SCRUBBED_TABLES)}")
    if engine.dialect.name == "sqlite":
        return _checkpoint_sqlite(engine)
    return ScrubReport(False, f"nothing done: {engine.dialect.name} is not supported")


def _checkpoint_sqlite(engine: Engine) -> ScrubReport:
    deadline = time.monotonic() + SQLITE_RETRY_SECONDS
    attempts = 0
    while True:
        attempts += 1
        with engine.connect() as connection:
            # Not inside BEGIN: a checkpoint needs no transaction of its own connection.
            driver = connection.connection.driver_connection
            busy, log_pages, done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy == 0:
            return ScrubReport(
                True, f"the write-ahead log was checkpointed and truncated ({attempts} tries)"
            )
        if time.monotonic() >= deadline:
            return ScrubReport(
                False,
                f"the write-ahead log is busy ({done} of {log_pages} pages copied after "
                f"{attempts} tries); it was not truncated: run the scrub again when the app "
                "is quiet",
            )
        time.sleep(_SQLITE_PAUSE)
