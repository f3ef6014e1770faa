"""The databases a benchmark runs on: a SQLite file in a temporary folder, and a scratch
PostgreSQL database on this machine's server when ``TISA_TEST_DATABASE_URL`` names one.

The PostgreSQL database is created for the run and dropped after it, so a benchmark never
touches the database the URL names. Only a server on this machine is used: timings over a
network would measure the network.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import URL

from storage.engine import normalize_url

POSTGRES_URL_VARIABLE = "TISA_TEST_DATABASE_URL"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def local_postgres_server() -> URL | None:
    """The PostgreSQL server named by ``TISA_TEST_DATABASE_URL`` when it runs on this machine."""
    configured = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not configured:
        return None
    server = normalize_url(configured)
    if server.get_backend_name() != "postgresql" or (server.host or "localhost") not in LOOPBACK:
        return None
    return server


@contextmanager
def scratch_postgres_database() -> Iterator[URL | None]:
    """A new PostgreSQL database on the local server, dropped at the end; None without one."""
    server = local_postgres_server()
    if server is None:
        yield None
        return
    name = f"tisa_bench_{secrets.token_hex(6)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def run_on_postgres(run: Callable[[str, str], None]) -> None:
    """``run(url, "PostgreSQL")`` on a scratch database, or say why it is skipped."""
    with scratch_postgres_database() as database:
        if database is None:
            print(f"  PostgreSQL: skipped (set {POSTGRES_URL_VARIABLE} to a server on this "
                  "machine)", flush=True)
            return
        run(database.render_as_string(hide_password=False), "PostgreSQL")
