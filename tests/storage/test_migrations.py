"""Migrations: from empty to the newest revision on SQLite and PostgreSQL, idempotent, and the
migrated schema is exactly what the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import make_engine, transaction
from storage.errors import MigrationError
from storage.migrate import current_revision, head_revision, is_empty, upgrade
from storage.models import metadata
from storage.organization_repo import create_organization


def test_upgrade_from_empty_reaches_head_and_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert is_empty(engine)

        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(sa.inspect(engine).get_table_names())
        assert tables == set(metadata.tables) | {"alembic_version"}

        upgrade(engine)  # already at head: nothing to do, nothing fails
        upgrade(db_url)  # the same through a URL, as `tisa init` passes it
        assert current_revision(engine) == head_revision()
        assert set(sa.inspect(engine).get_table_names()) == tables
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def _model_constraints(table: sa.Table) -> dict[str, set]:
    fks = {
        (c.name, c.ondelete.upper() if c.ondelete else None)
        for c in table.constraints
        if isinstance(c, sa.ForeignKeyConstraint)
    }
    return {
        "pk": {table.primary_key.name},
        "fk": fks,
        "uq": {c.name for c in table.constraints if isinstance(c, sa.UniqueConstraint)},
        "ck": {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)},
        "ix": {index.name for index in table.indexes},
    }


def _reflected_constraints(inspector: sa.Inspector, table: str) -> dict[str, set]:
    def ondelete(fk: dict) -> str | None:
        rule = (fk.get("options") or {}).get("ondelete")
        return None if rule is None or rule.upper() == "NO ACTION" else rule.upper()

    return {
        "pk": {inspector.get_pk_constraint(table)["name"]},
        "fk": {(fk["name"], ondelete(fk)) for fk in inspector.get_foreign_keys(table)},
        "uq": {uq["name"] for uq in inspector.get_unique_constraints(table)},
        "ck": {ck["name"] for ck in inspector.get_check_constraints(table)},
        "ix": {
            ix["name"]
            for ix in inspector.get_indexes(table)
            # PostgreSQL also lists the index behind each unique constraint
            if not ix.get("duplicates_constraint")
        },
    }


def test_every_constraint_is_migrated_with_its_conventional_name(engine: sa.Engine) -> None:
    """Alembic's comparison leaves out CHECK constraints and ON DELETE rules: compare them too,
    by the names the naming convention gives on both databases."""
    inspector = sa.inspect(engine)
    for name, table in metadata.tables.items():
        assert _reflected_constraints(inspector, name) == _model_constraints(table), name
    checks = {ck["name"] for ck in inspector.get_check_constraints("rounds")}
    assert "ck_rounds_min_group_size_range" in checks


def test_is_empty_until_an_organization_is_stored(
    engine: sa.Engine, session_factory: sessionmaker[Session]
) -> None:
    assert is_empty(engine)
    with transaction(session_factory) as session:
        create_organization(session, "Test Agency")
    assert not is_empty(engine)


def test_a_database_migrated_by_a_newer_tisa_is_refused(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(MigrationError, match="newer tisa"):
        upgrade(engine)
    assert current_revision(engine) == "9999"


def test_an_unreachable_server_gives_a_migration_error_without_the_password() -> None:
    # Port 1 on this machine: nothing listens there, the connection is refused at once.
    url = "postgresql://tisa:secret-password@127.0.0.1:1/tisa?connect_timeout=2"
    with pytest.raises(MigrationError, match="server is running") as raised:
        upgrade(url)
    assert "secret-password" not in str(raised.value)


def test_upgrade_without_arguments_migrates_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "configured" / "tisa.db"
    monkeypatch.setenv("TISA_DATABASE_URL", f"sqlite:///{path}")
    upgrade()
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _upgrade_to(engine: sa.Engine, revision: str) -> None:
    from alembic import command

    from storage.engine import WRITE_TRANSACTION_OPTION
    from storage.migrate import alembic_config

    config = alembic_config()
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_TRANSACTION_OPTION: True})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_0003_deletes_old_drafts_dates_the_ledger_and_gives_live_rounds_a_claim_key(
    db_url: str,
) -> None:
    """Drafts keyed by the ledger's hash cannot be re-keyed: they are gone after 0003; codes
    keep the day they were issued on; open and draft rounds get a claim key, closed ones none."""
    engine = make_engine(db_url)
    try:
        _upgrade_to(engine, "0002")
        with engine.begin() as connection:
            run = connection.exec_driver_sql
            run("INSERT INTO organizations (id, name, slug, created_at) "
                "VALUES (1, 'A', 'a', '2026-01-01 00:00:00')")
            run("INSERT INTO instrument_versions (id, instrument_id, version, title, form, "
                "status, origin, definition, sha256, stored_at) VALUES (1, 'x', '1.0.0', 'X', "
                "'staff', 'published', 'library', '{}', 'h', '2026-01-01 00:00:00')")
            for round_id, status in ((1, "open"), (2, "closed"), (3, "draft")):
                run("INSERT INTO rounds (id, organization_id, instrument_version_id, name, "
                    "status, languages, min_group_size, min_comment_group_size, created_at) "
                    f"VALUES ({round_id}, 1, 1, 'R{round_id}', '{status}', '[\"en\"]', 5, 10, "
                    "'2026-01-01 00:00:00')")
            run("INSERT INTO round_units (id, round_id, code, name, invited) "
                "VALUES (1, 1, 'N', 'North', 6)")
            run("INSERT INTO access_codes (id, round_id, round_unit_id, code_hash, kind, state, "
                "issued_at) VALUES (1, 1, 1, 'abc', 'single', 'started', "
                "'2026-03-04 21:15:16.123456+00:00')")
            run("INSERT INTO drafts (code_hash, round_id, round_unit_id, language, answers, "
                "comments, current_page, active_seconds, updated_at) VALUES ('abc', 1, 1, 'en', "
                "'{}', '{\"\": \"MARKER-OLD-DRAFT\"}', 2, 30, '2026-03-04 21:15:16+00:00')")
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM drafts").scalar() == 0
            issued = connection.exec_driver_sql("SELECT issued_on FROM access_codes").scalar()
            assert str(issued) == "2026-03-04"
            keys = dict(connection.exec_driver_sql("SELECT id, claim_key FROM rounds").all())
        assert keys[2] is None
        assert len(keys[1]) == 64 and len(keys[3]) == 64 and keys[1] != keys[3]
    finally:
        engine.dispose()
