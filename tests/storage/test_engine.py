"""The engine: where the database is, SQLite's connection settings, units of work, and
timestamps that come back aware on both databases."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from storage import engine as engine_module
from storage.engine import database_url, make_engine, normalize_url, transaction
from storage.errors import Conflict
from storage.models import Organization
from storage.organization_repo import create_organization, list_organizations


def test_database_url_defaults_to_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TISA_DATABASE_URL", raising=False)
    repo_root = Path(engine_module.__file__).resolve().parents[1]
    assert database_url() == f"sqlite:///{repo_root / 'data' / 'tisa.db'}"


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISA_DATABASE_URL", " postgresql://u:p@db.example/tisa ")
    assert database_url() == "postgresql://u:p@db.example/tisa"


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u:p@host/tisa", "postgresql+psycopg"),
        ("postgres://u:p@host/tisa", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@host/tisa", "postgresql+psycopg"),
        ("sqlite:////srv/tisa/tisa.db", "sqlite"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, driver: str) -> None:
    assert normalize_url(given).drivername == driver


def test_an_unreadable_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="TISA_DATABASE_URL") as raised:
        normalize_url("not a url with a s3cret")
    assert "s3cret" not in str(raised.value)


def test_make_engine_creates_the_folder_of_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "tisa.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        assert path.is_file()
    finally:
        engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_use_wal_and_wait_when_busy(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'tisa.db'}")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()


def test_a_transaction_commits_at_the_end_of_its_block(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        create_organization(session, "Kept Agency")
    with transaction(session_factory) as session:
        assert [org.slug for org in list_organizations(session)] == ["kept-agency"]


def test_a_transaction_rolls_back_everything_when_its_block_raises(
    session_factory: sessionmaker[Session],
) -> None:
    with pytest.raises(Conflict):
        with transaction(session_factory, write=True) as session:
            create_organization(session, "First Agency", slug="agency")
            create_organization(session, "Second Agency", slug="agency")
    with transaction(session_factory) as session:
        assert list_organizations(session) == []


def test_savepoints_roll_back_only_their_own_part(session_factory: sessionmaker[Session]) -> None:
    # On SQLite this needs SQLAlchemy, not pysqlite, to begin transactions.
    with transaction(session_factory) as session:
        create_organization(session, "Outer Agency")
        with pytest.raises(Conflict):
            with session.begin_nested():
                create_organization(session, "Inner Agency")
                raise Conflict("undo the inner agency only")
    with transaction(session_factory) as session:
        assert [org.slug for org in list_organizations(session)] == ["outer-agency"]


def test_a_write_transaction_on_sqlite_takes_the_write_lock_at_its_start(tmp_path: Path) -> None:
    path = tmp_path / "tisa.db"
    engine = make_engine(f"sqlite:///{path}")
    factory = engine_module.session_factory(engine)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with transaction(factory) as session:
            session.execute(sa.text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")  # a reader holds no write lock
            other.execute("ROLLBACK")
        with transaction(factory, write=True) as session:
            session.execute(sa.text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        engine.dispose()


def test_timestamps_come_back_aware_and_in_utc(session_factory: sessionmaker[Session]) -> None:
    madrid_noon = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with transaction(session_factory) as session:
        organization = create_organization(session, "Clock Agency")
        organization.created_at = madrid_noon
    with transaction(session_factory) as session:
        stored = session.scalars(sa.select(Organization)).one().created_at
    assert stored == datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_a_naive_timestamp_is_refused(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        with transaction(session_factory) as session:
            organization = create_organization(session, "Naive Agency")
            organization.created_at = datetime(2025, 6, 1, 12, 0)
            session.flush()
