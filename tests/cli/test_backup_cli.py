"""`tisa backup` and `tisa restore` as an agency runs them: the demo moved from SQLite to
PostgreSQL and back gives the same reports of every round, byte for byte, and the same rows in
every table; a bad file, an existing file or a database that is not empty gets one line on
stderr and exit 2, with nothing changed."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from cli import app
from storage.engine import make_engine
from storage.restore import row_counts

runner = CliRunner()


def run(url: str, *args: str):
    return runner.invoke(app, list(args), env={"TISA_DATABASE_URL": url})


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def new_postgres_url(database: URL) -> str:
    """A new schema of this test session's PostgreSQL database, as a URL."""
    schema = f"c_{secrets.token_hex(6)}"
    setup = sa.create_engine(database, poolclass=sa.pool.NullPool)
    try:
        with setup.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    finally:
        setup.dispose()
    return database.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def demo(url: str) -> str:
    ok(run(url, "init", "--demo"))
    return url


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory) -> str:
    return demo(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tisa.db'}")


@pytest.fixture(scope="module")
def postgres_demo(postgres_database) -> str:
    return demo(new_postgres_url(postgres_database))


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return row_counts(connection)
    finally:
        engine.dispose()


def frozen_reports(url: str) -> list[tuple[int, int, str, str]]:
    """Every kept report (round, scope, SHA-256, JSON), each checked against its SHA-256."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT round_id, scope_key, sha256, report FROM round_reports "
                        "ORDER BY round_id, scope_key")
            ).all()
    finally:
        engine.dispose()
    for row in rows:
        assert hashlib.sha256(row.report.encode("utf-8")).hexdigest() == row.sha256
    return [tuple(row) for row in rows]


def rounds_and_units(url: str) -> list[tuple[int, list[str]]]:
    listed = json.loads(ok(run(url, "round", "list", "--format", "json")))
    return [(r["id"], [unit["code"] for unit in r["units"]]) for r in listed]


def csv_reports(url: str, folder: Path) -> dict[str, bytes]:
    """`tisa report ROUND --format csv` of every round, for the agency and for two units."""
    folder.mkdir()
    out: dict[str, bytes] = {}
    for round_id, units in rounds_and_units(url):
        for unit in [None, units[0], units[-1]]:
            name = f"{round_id}-{unit or 'agency'}"
            path = folder / f"{name}.csv"
            args = ["report", str(round_id), "--format", "csv", "--out", str(path)]
            ok(run(url, *args, *(["--unit", unit] if unit else [])))
            out[name] = path.read_bytes()
            out[f"{name}.codebook"] = path.with_name(f"{name}.codebook.csv").read_bytes()
    return out


def table_digests(path: Path) -> list[tuple[str, int, str]]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return [(t["name"], t["rows"], t["sha256"]) for t in manifest["tables"]]


def move(source: str, target: str, folder: Path) -> None:
    """Back `source` up, restore into `target`, and check that nothing changed on the way."""
    backup = folder / "tisa.backup"
    said = ok(run(source, "backup", "--out", str(backup)))
    assert str(backup) in said
    assert os.stat(backup).st_mode & 0o777 == 0o600
    assert "restored" in ok(run(target, "restore", str(backup)))

    assert counts(target) == counts(source)
    assert counts(source)["responses"] > 0 and counts(source)["round_reports"] > 0
    assert frozen_reports(target) == frozen_reports(source)
    assert csv_reports(target, folder / "after") == csv_reports(source, folder / "before")
    again = folder / "again.backup"
    ok(run(target, "backup", "--out", str(again)))
    assert table_digests(again) == table_digests(backup)  # every value of every row


@pytest.mark.postgres
def test_the_sqlite_demo_moves_to_postgresql_with_identical_reports(
    sqlite_demo, postgres_database, tmp_path
):
    move(sqlite_demo, new_postgres_url(postgres_database), tmp_path)


@pytest.mark.postgres
def test_the_postgresql_demo_moves_to_sqlite_with_identical_reports(postgres_demo, tmp_path):
    move(postgres_demo, f"sqlite:///{tmp_path / 'moved.db'}", tmp_path)


def test_sqlite_to_sqlite(sqlite_demo, tmp_path):
    move(sqlite_demo, f"sqlite:///{tmp_path / 'copy.db'}", tmp_path)


# -- one line, exit 2, nothing changed ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo_backup(sqlite_demo, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("backup") / "demo.backup"
    ok(run(sqlite_demo, "backup", "--out", str(path)))
    return path


def test_an_existing_file_is_kept_without_force(sqlite_demo, demo_backup, tmp_path):
    path = tmp_path / "kept.backup"
    path.write_bytes(b"precious")
    line = one_error_line(run(sqlite_demo, "backup", "--out", str(path)))
    assert "exists" in line and "--force" in line
    assert path.read_bytes() == b"precious"
    ok(run(sqlite_demo, "backup", "--out", str(path), "--force"))
    assert table_digests(path) == table_digests(demo_backup)


def test_a_damaged_backup_is_refused_in_one_line(demo_backup, tmp_path):
    data = bytearray(demo_backup.read_bytes())
    data[len(data) // 2] ^= 0x40
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(bytes(data[: len(data) // 3]))
    for path in (damaged, truncated, tmp_path / "missing.backup"):
        target = tmp_path / f"{path.stem}.db"
        line = one_error_line(run(f"sqlite:///{target}", "restore", str(path)))
        assert str(path) in line and "nothing was restored" in line
        assert not target.exists()


def test_a_database_that_is_not_empty_is_refused_in_one_line(sqlite_demo, demo_backup):
    before = counts(sqlite_demo)
    line = one_error_line(run(sqlite_demo, "restore", str(demo_backup)))
    assert "not empty" in line
    assert counts(sqlite_demo) == before


def test_the_file_is_named_once_with_or_without_out(sqlite_demo, demo_backup, tmp_path):
    path = tmp_path / "positional.backup"
    ok(run(sqlite_demo, "backup", str(path)))
    assert table_digests(path) == table_digests(demo_backup)
    assert "--out FILE" in one_error_line(run(sqlite_demo, "backup"))
    both = ["backup", str(tmp_path / "a.backup"), "--out", str(tmp_path / "b.backup")]
    assert "once" in one_error_line(run(sqlite_demo, *both))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["positional.backup"]


def test_a_database_file_that_does_not_exist_is_not_created(tmp_path):
    missing = tmp_path / "typo" / "tisa.db"
    line = one_error_line(run(f"sqlite:///{missing}", "backup", "--out", str(tmp_path / "x")))
    assert str(missing) in line
    assert list(tmp_path.iterdir()) == []
