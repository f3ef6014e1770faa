"""Backup and restore benchmark: `storage.backup.write_backup` and
`storage.restore.restore_backup` of the demo and of an agency-sized database.

Two databases, seeded (not timed) into temporary SQLite files:

* the demo (`tisa init --demo`: 12 units, 3 rounds, 388 responses, 23,452 answers, its kept
  reports);
* the report benchmark's agency (``benchmarks/bench_report.py``: 20 units, three rounds of
  2,000 responses, about 357,000 answers), with the kept reports of its closed rounds.

Timed, each ``REPEATS`` times (best and median; a restore goes into a new, empty database
each time, created before the clock starts):

* ``write_backup`` from SQLite;
* ``restore_backup`` into a new SQLite file;
* with ``TISA_TEST_DATABASE_URL`` set, ``restore_backup`` into a new schema of a temporary
  PostgreSQL database and ``write_backup`` from it.

Run: ``TISA_TEST_DATABASE_URL=postgresql://... .venv/bin/python -m benchmarks backup``.
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from benchmarks.bench_report import seed
from benchmarks.databases import scratch_postgres_database
from benchmarks.machine import machine
from reports.frozen import freeze_closed_rounds
from storage.backup import write_backup
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.restore import restore_backup

REPEATS = 3


def freeze(url: str) -> None:
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            freeze_closed_rounds(session)
    finally:
        engine.dispose()


def seed_demo(url: str) -> None:
    initialize(url, demo=True)
    freeze(url)


def seed_agency(url: str) -> None:
    seed(url)
    freeze(url)


def timed(label: str, prepare: Callable[[int], object], call: Callable[[object], object]) -> None:
    times = []
    for run in range(REPEATS):
        argument = prepare(run)
        start = time.perf_counter()
        call(argument)
        times.append(time.perf_counter() - start)
    print(f"  {label:<58} best {min(times):7.3f} s   median {statistics.median(times):7.3f} s",
          flush=True)


def new_schema(database: URL) -> str:
    schema = f"s_{secrets.token_hex(4)}"
    engine = sa.create_engine(database, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    finally:
        engine.dispose()
    return database.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def bench(name: str, seeder: Callable[[str], None], folder: Path, pg: URL | None) -> None:
    url = f"sqlite:///{folder / f'{name}.db'}"
    start = time.perf_counter()
    seeder(url)
    print(f"  {name}: seeding (not timed) {time.perf_counter() - start:.1f} s", flush=True)
    backup = folder / f"{name}.backup"
    report = write_backup(backup, url)
    database_size = Path(url.removeprefix("sqlite:///")).stat().st_size
    print(f"  {name}: {sum(report.rows.values()):,} rows; SQLite file "
          f"{database_size / 1e6:.1f} MB, backup {backup.stat().st_size / 1e6:.1f} MB",
          flush=True)

    def backup_to(run: int) -> Path:
        return folder / f"{name}-{run}.backup"

    timed(f"{name}: write_backup from SQLite", backup_to, lambda out: write_backup(out, url))

    def sqlite_target(run: int) -> str:
        return f"sqlite:///{folder / f'{name}-restored-{run}.db'}"

    timed(f"{name}: restore_backup into a new SQLite file", sqlite_target,
          lambda target: restore_backup(backup, target))
    if pg is None:
        print("  (PostgreSQL skipped: TISA_TEST_DATABASE_URL is not set)", flush=True)
        return
    targets: list[str] = []

    def pg_target(_run: int) -> str:
        targets.append(new_schema(pg))
        return targets[-1]

    timed(f"{name}: restore_backup into a new PostgreSQL schema", pg_target,
          lambda target: restore_backup(backup, target))
    timed(f"{name}: write_backup from PostgreSQL", lambda run: (targets[run], backup_to(run)),
          lambda pair: write_backup(pair[1], pair[0], force=True))


def main() -> None:
    print(f"  machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as folder, scratch_postgres_database() as pg:
        bench("demo", seed_demo, Path(folder), pg)
        bench("agency", seed_agency, Path(folder), pg)
