"""Database fixtures shared by every test package: a real database per test, on SQLite and on
PostgreSQL, never a mock.

- `db_url`: the URL of a fresh, empty database for one test, parametrized over ``sqlite`` (a
  file in the test's temporary folder) and ``postgresql`` (marked ``postgres``).
- `engine`: a `storage.engine.make_engine` engine on `db_url`, migrated to the newest revision.
- `session_factory`: sessions on `engine`; open a unit of work with
  ``storage.engine.transaction(session_factory)``.

PostgreSQL needs ``TISA_TEST_DATABASE_URL`` (``bash .ci/run`` starts a server and sets it);
without it the ``postgresql`` cases are skipped with that reason. Other people may run tests
against the same server at the same time, so nothing here touches the database the URL names:
each test session creates a database of its own (``tisa_test_<random>``, through an AUTOCOMMIT
connection to the named database; the role needs CREATEDB) and drops it at the end, and each
test works in a schema of its own inside it (``t_<random>``, selected by the connection's
``search_path``), so every test starts from an empty schema.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import make_engine, normalize_url
from storage.engine import session_factory as make_session_factory
from storage.migrate import upgrade

POSTGRES_URL_VARIABLE = "TISA_TEST_DATABASE_URL"
POSTGRES_SKIP_REASON = (
    "TISA_TEST_DATABASE_URL is not set: PostgreSQL tests need a server (bash .ci/run starts one)"
)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[URL]:
    """A PostgreSQL database of this test session's own, dropped when the session ends."""
    configured = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not configured:
        pytest.skip(POSTGRES_SKIP_REASON)
    server = normalize_url(configured)
    name = f"tisa_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of an empty database for this test (see the module docstring)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tisa.db'}"
    database: URL = request.getfixturevalue("postgres_database")
    schema = f"t_{secrets.token_hex(6)}"
    setup = sa.create_engine(database, poolclass=sa.pool.NullPool)
    try:
        with setup.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    finally:
        setup.dispose()
    url = database.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on `db_url`, migrated to the newest revision."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
