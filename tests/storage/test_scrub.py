"""storage.scrub on SQLite and PostgreSQL: what it does after a close, and that a busy SQLite
log is reported, never hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage import scrub
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.scrub import scrub_after_close


def test_scrub_completes_on_a_quiet_database(engine: Engine) -> None:
    report = scrub_after_close(engine)
    assert report.complete, report.detail
    if engine.dialect.name == "sqlite":
        wal = Path(f"{engine.url.database}-wal")
        assert not wal.exists() or wal.stat().st_size == 0


def test_a_reader_holding_the_sqlite_log_is_reported_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scrub, "SQLITE_RETRY_SECONDS", 0.2)
    engine = make_engine(f"sqlite:///{tmp_path / 'tisa.db'}")
    reader = make_engine(f"sqlite:///{tmp_path / 'tisa.db'}")
    try:
        upgrade(engine)
        with reader.connect() as held:
            held.execute(sa.text("SELECT count(*) FROM rounds")).all()  # a read snapshot, kept
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    "INSERT INTO organizations (name, slug, created_at) "
                    "VALUES ('A', 'a', '2026-01-01 00:00:00')"
                )
            report = scrub_after_close(engine)
            assert not report.complete
            assert "not truncated" in report.detail
        assert scrub_after_close(engine).complete  # once the reader is gone
    finally:
        reader.dispose()
        engine.dispose()
