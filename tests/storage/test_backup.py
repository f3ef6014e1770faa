"""`storage.backup` and `storage.restore` on real SQLite files and PostgreSQL schemas: every
row comes back as it was, in the other kind of database too; a backup taken while eight
threads submit is one instant of the database; a damaged file, a newer schema or a database
that is not empty is refused with nothing written.

The whole-demo round trip through the command line, with its reports, is in
tests/cli/test_backup_cli.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import sqlite3
import threading
import uuid
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.access_codes import normalize_code
from storage.backup import (
    DECODERS,
    ENCODERS,
    BackupFailed,
    decode_value,
    encode_value,
    read_rows,
    snapshot,
    table_specs,
    write_backup,
)
from storage.engine import make_engine, transaction
from storage.engine import session_factory as make_factory
from storage.instrument_repo import get_instrument_version, sync_library
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import (
    Comment,
    Draft,
    Response,
    Round,
    RoundUnit,
    Unit,
)
from storage.organization_repo import add_unit, create_organization
from storage.restore import BackupDamaged, RestoreRefused, restore_backup, row_counts
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    issue_codes,
    open_round,
)
from storage.survey_service import DraftUpdate, claim_hash, save_draft, submit_response

# -- fixtures: fresh databases of either kind --------------------------------------------------


@pytest.fixture
def new_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """``new_database("sqlite" | "postgresql")``: the URL of a new, empty database (a SQLite
    file, or a new schema of this test session's PostgreSQL database)."""

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tisa.db'}"
        database: URL = request.getfixturevalue("postgres_database")
        schema = f"b_{secrets.token_hex(6)}"
        setup = sa.create_engine(database, poolclass=sa.pool.NullPool)
        try:
            with setup.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        finally:
            setup.dispose()
        url = database.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    return make


def other_kind(engine: Engine) -> str:
    return "postgresql" if engine.dialect.name == "sqlite" else "sqlite"


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as Python values, sorted: what "the same database" means."""
    with snapshot(engine) as connection:
        return {
            spec.name: sorted(
                (tuple(row) for batch in read_rows(connection, spec) for row in batch), key=repr
            )
            for spec in table_specs(connection)
        }


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return row_counts(connection)
    finally:
        engine.dispose()


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def table_rows(path: Path, table: str) -> list[list[Any]]:
    """One table's rows as written in a backup file (JSON arrays in column order)."""
    with zipfile.ZipFile(path) as archive:
        return [json.loads(line) for line in archive.read(f"tables/{table}.jsonl").splitlines()]


def column(path: Path, table: str, name: str) -> list[Any]:
    entry = next(t for t in manifest_of(path)["tables"] if t["name"] == table)
    at = [c["name"] for c in entry["columns"]].index(name)
    return [row[at] for row in table_rows(path, table)]


# -- a database with something in every corner -------------------------------------------------


def update(answers: dict[str, Any], comments: dict[str, str] | None = None) -> DraftUpdate:
    return DraftUpdate(
        answers=answers, comments=comments or {}, role="frontline", language="es",
        current_page=1, added_seconds=40,
    )


def fill(factory: sessionmaker[Session]) -> dict[str, Any]:
    """An agency with a unit tree whose parent was added after its child, a closed round with
    responses, answers and comments, an open round with a submission, a draft and a claim."""
    with transaction(factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Agencia Ñandú «test»")
        child = add_unit(session, organization, "Team A")
        parent = add_unit(session, organization, "Region North")
        child.parent_id = parent.id  # the parent's id is the larger: restore must order rows
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        rounds = []
        for name in ("Closed", "Open"):
            round_ = create_round(
                session, organization, name=name, instrument_version=version,
                invitations=[UnitInvitation(child, 8)], languages=("en", "es"),
                opens_on=date(2026, 1, 5), closes_on=date(2026, 2, 5),
            )
            open_round(session, round_)
            rounds.append(round_)
        closed_codes = issue_codes(session, rounds[0], rounds[0].units[0], 6)
        open_codes = issue_codes(session, rounds[1], rounds[1].units[0], 3)
        item_ids = version.instrument().item_ids()
        domain = version.instrument().domains[0].id
    for number, code in enumerate(closed_codes):
        with transaction(factory, write=True) as session:
            answers = {item_ids[0]: number % 5 + 1, item_ids[1]: "NA"}
            submit_response(session, code, update(answers, {domain: f"nota {number}"}))
    with transaction(factory, write=True) as session:
        close_round(session, session.get(Round, rounds[0].id))
    with transaction(factory, write=True) as session:
        submit_response(session, open_codes[0], update({item_ids[0]: 4}))
    with transaction(factory, write=True) as session:
        save_draft(session, open_codes[1], update({item_ids[0]: 2}, {"": "a medias\n≠"}))
    return {"open_round": rounds[1].id, "item_ids": item_ids}


# -- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("datetime", datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=UTC)),
        ("datetime", datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=-5)))),
        ("datetime", datetime(1999, 12, 31, 23, 59, 59)),
        ("date", date(2026, 2, 28)),
        ("time", time(7, 5, 3, 9)),
        ("bytes", bytes(range(256))),
        ("numeric", Decimal("12345678901234567890.000000001")),
        ("float", 0.1 + 0.2),
        ("float", -0.0),
        ("float", math.inf),
        ("float", -math.inf),
        ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        ("json", {"b": [1, 2.5, None, True], "a": {"ñ": "\u2028\x00"}}),
        ("text", "línea\r\nnueva\u2028\x00 \U0001F600"),
        ("integer", -(2**62)),
        ("boolean", False),
    ],
)
def test_every_kind_of_value_reads_back_exactly(kind, value):
    written = json.dumps(encode_value(kind, value), allow_nan=False, ensure_ascii=False)
    read = decode_value(kind, json.loads(written))
    assert read == value and type(read) is type(value)
    if isinstance(value, datetime):
        assert read.utcoffset() == value.utcoffset()
    if kind == "float":
        assert math.copysign(1, read) == math.copysign(1, value)


def test_nan_reads_back_as_nan():
    written = json.dumps(encode_value("float", math.nan), allow_nan=False)
    assert math.isnan(decode_value("float", json.loads(written)))


def test_every_kind_has_a_way_back():
    assert set(ENCODERS) == set(DECODERS)


# -- the round trip ------------------------------------------------------------------------------


def test_every_row_comes_back_in_the_other_kind_of_database(
    engine, session_factory, new_database, tmp_path
):
    fill(session_factory)
    path = tmp_path / "tisa.backup"
    report = write_backup(path, engine)
    assert report.rows == counts(engine.url.render_as_string(hide_password=False))
    assert report.rows["drafts"] == report.rows["code_claims"] == 1
    assert report.rows["sealed_submissions"] == 1 and report.rows["responses"] == 6

    target_url = new_database(other_kind(engine))
    restored = restore_backup(path, target_url)
    assert restored.rows == report.rows
    assert restored.revision == head_revision()

    target = make_engine(target_url)
    try:
        assert dump(target) == dump(engine)
        again = tmp_path / "again.backup"
        write_backup(again, target)
        # the same values are written the same way, whichever database they were read from
        assert [(t["name"], t["rows"], t["sha256"]) for t in manifest_of(again)["tables"]] == [
            (t["name"], t["rows"], t["sha256"]) for t in manifest_of(path)["tables"]
        ]
        # new rows get new ids after a restore (PostgreSQL's sequences were moved on)
        with transaction(make_factory(target), write=True) as session:
            organization = session.get(Unit, 1).organization
            unit = add_unit(session, organization, "Added after restore")
            assert unit.id == 3
    finally:
        target.dispose()


def test_restored_open_round_goes_on_where_it_stood(engine, session_factory, new_database,
                                                    tmp_path):
    """The open round's claim key, claims and drafts come back: a used code stays used, a
    draft can be submitted, and closing releases every submission with its answers."""
    seeded = fill(session_factory)
    with transaction(session_factory) as session:
        round_ = session.get(Round, seeded["open_round"])
    path = tmp_path / "open.backup"
    write_backup(path, engine)
    target_url = new_database(engine.dialect.name)
    restore_backup(path, target_url)
    target = make_engine(target_url)
    try:
        factory = make_factory(target)
        with transaction(factory, write=True) as session:
            restored_round = session.get(Round, round_.id)
            assert restored_round.claim_key == round_.claim_key
            assert session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 1
            close_round(session, restored_round)
        with transaction(factory) as session:
            released = session.scalars(
                sa.select(Response).where(Response.round_id == round_.id)
            ).all()
            assert len(released) == 1
            assert len(released[0].answers) >= 1
            assert session.scalar(
                sa.select(sa.func.count()).select_from(Comment).where(Comment.round_id == 1)
            ) == 6
    finally:
        target.dispose()


def test_an_older_backup_is_restored_then_migrated(new_database, tmp_path):
    source_url = new_database("sqlite")
    upgrade(source_url, to="0003")
    source = make_engine(source_url)
    try:
        with source.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO organizations (id, name, slug, created_at) "
                    "VALUES (7, 'Old agency', 'old', '2025-01-02 03:04:05.000000')"
                )
            )
        path = tmp_path / "old.backup"
        assert write_backup(path, source).revision == "0003"
    finally:
        source.dispose()
    target_url = new_database("sqlite")
    report = restore_backup(path, target_url)
    assert (report.backup_revision, report.revision) == ("0003", head_revision())
    target = make_engine(target_url)
    try:
        assert current_revision(target) == head_revision()
        assert dump(target)["organizations"] == [
            (7, "Old agency", "old", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
        ]
    finally:
        target.dispose()


# -- a backup while respondents submit -----------------------------------------------------------


def test_a_backup_while_eight_threads_submit_is_one_instant(db_url, tmp_path, new_database):
    url = db_url
    engine = make_engine(url)
    upgrade(engine)
    factory = make_factory(engine)
    with transaction(factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Busy agency")
        unit = add_unit(session, organization, "Front desk")
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session, organization, name="Live", instrument_version=version,
            invitations=[UnitInvitation(unit, 400)], languages=("en", "es"),
            opens_on=date(2026, 1, 5), closes_on=date(2026, 2, 5),
        )
        open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], 8 * 25)
    item_ids = version.instrument().item_ids()[:3]
    answered = {item: 3 for item in item_ids}

    submitted: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def respondent(mine: list[str]) -> None:
        try:
            for code in mine:
                with transaction(factory, write=True) as session:
                    save_draft(session, code, update({item_ids[0]: 2}))
                with transaction(factory, write=True) as session:
                    submit_response(session, code, update(answered))
                with lock:
                    submitted.append(code)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=respondent, args=(codes[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    backups = []
    try:
        while len(submitted) < 10 and not errors:
            threading.Event().wait(0.01)
        for number in range(3):
            with lock:
                before = set(submitted)
            path = tmp_path / f"live-{number}.backup"
            write_backup(path, url)  # an engine of its own, like another process
            backups.append((path, before))
    finally:
        for thread in threads:
            thread.join()
    assert not errors, errors
    with lock:
        finished = set(submitted)
    assert len(finished) == len(codes)
    assert any(len(before) < len(finished) for _, before in backups), "no write overlapped"

    with transaction(factory) as session:
        live_round = session.get(Round, round_.id)
        claim_of = {code: claim_hash(live_round, normalize_code(code)) for code in codes}
    for path, before in backups:
        claims = set(column(path, "code_claims", "claim_hash"))
        drafts = set(column(path, "drafts", "claim_hash"))
        sealed = table_rows(path, "sealed_submissions")
        assert {claim_of[code] for code in before} <= claims  # nothing committed is lost
        assert claims <= {claim_of[code] for code in finished}
        assert len(sealed) == len(claims)  # every claim with its answers, at one instant
        assert not drafts & claims  # a submitted code's draft went in the same transaction
        assert manifest_of(path)["tables"][0]["rows"] > 0

    last, _ = backups[-1]
    target_url = new_database(engine.dialect.name)
    restore_backup(last, target_url)
    target = make_engine(target_url)
    try:
        restored = make_factory(target)
        with transaction(restored, write=True) as session:
            close_round(session, session.get(Round, round_.id))
        with transaction(restored) as session:
            responses = session.scalars(sa.select(Response)).all()
            assert len(responses) == len(set(column(last, "code_claims", "claim_hash")))
            assert all(len(response.answers) == len(item_ids) for response in responses)
    finally:
        target.dispose()
        engine.dispose()


# -- refusals ------------------------------------------------------------------------------------


@pytest.fixture
def backup_file(tmp_path_factory) -> Path:
    """A small backup (an agency with one open and one closed round), from SQLite."""
    folder = tmp_path_factory.mktemp("backup")
    url = f"sqlite:///{folder / 'source.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        fill(make_factory(engine))
        write_backup(folder / "good.backup", engine)
    finally:
        engine.dispose()
    return folder / "good.backup"


def damaged_copies(good: Path, folder: Path) -> list[tuple[str, Path]]:
    data = good.read_bytes()
    size = len(data)
    out = []
    positions = sorted({0, 1, 30, size // 7, size // 3, size // 2, size - 200, size - 90,
                        size - 70, size - 64, size - 1} | {size * k // 23 for k in range(23)})
    for position in positions:
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        path = folder / f"flip-{position}.backup"
        path.write_bytes(bytes(flipped))
        out.append((f"byte {position} of {size} flipped", path))
    for length in (0, 10, size // 2, size - 65, size - 64, size - 1):
        path = folder / f"cut-{length}.backup"
        path.write_bytes(data[:length])
        out.append((f"cut to {length} bytes", path))
    path = folder / "longer.backup"
    path.write_bytes(data + b"\n")
    out.append(("one byte added", path))
    return out


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_damaged_backup_writes_nothing(backup_file, tmp_path, new_database, kind):
    for what, path in damaged_copies(backup_file, tmp_path):
        target_url = new_database(kind)
        with pytest.raises(BackupDamaged) as refused:
            restore_backup(path, target_url)
        message = str(refused.value)
        assert "\n" not in message and str(path) in message, what
        assert "nothing was restored" in message, what
        target = make_engine(target_url, poolclass=sa.pool.NullPool)
        try:
            with target.connect() as connection:
                assert sa.inspect(connection).get_table_names() == [], what
        finally:
            target.dispose()
    if kind == "sqlite":  # the untouched file still restores
        restore_backup(backup_file, new_database(kind))


def rewrite(good: Path, out: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of `good` with its manifest changed and its file SHA-256 written anew: a file
    that is sound as a file but says something else."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            target.writestr(info.filename, data)
        target.comment = b"0" * 64
    body = out.read_bytes()[:-64]
    out.write_bytes(body + hashlib.sha256(body).hexdigest().encode())
    return out


def set_revision(manifest):
    manifest["revision"] = "9999"


def drop_a_row(manifest):
    manifest["tables"][-1]["rows"] -= 1


def change_a_hash(manifest):
    manifest["tables"][0]["sha256"] = "0" * 64


def newer_format(manifest):
    manifest["format_version"] = 99


def no_table(manifest):
    manifest["tables"] = [t for t in manifest["tables"] if t["name"] != "units"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (set_revision, "newer tisa"),
        (newer_format, "newer tisa"),
        (drop_a_row, "the manifest says"),
        (change_a_hash, "SHA-256"),
        (no_table, "units"),
    ],
)
def test_a_backup_that_says_something_else_is_refused(
    backup_file, tmp_path, new_database, change, said
):
    path = rewrite(backup_file, tmp_path / "changed.backup", change)
    target_url = new_database("sqlite")
    with pytest.raises(BackupDamaged, match=said):
        restore_backup(path, target_url)
    assert counts(target_url) == {n: 0 for n in counts(target_url)}


def test_a_database_that_is_not_empty_is_refused(engine, session_factory, backup_file):
    fill(session_factory)
    url = engine.url.render_as_string(hide_password=False)
    before = counts(url)
    with pytest.raises(RestoreRefused) as refused:
        restore_backup(backup_file, engine)
    assert "not empty" in str(refused.value) and "organizations 1" in str(refused.value)
    assert counts(url) == before


def test_a_row_the_database_refuses_rolls_everything_back(new_database, tmp_path):
    """PostgreSQL text cannot hold a NUL character, which SQLite stores: the restore fails on
    that row and the tables stay empty."""
    source_url = new_database("sqlite")
    source = make_engine(source_url)
    try:
        upgrade(source)
        fill(make_factory(source))
        with transaction(make_factory(source), write=True) as session:
            comment = session.scalars(sa.select(Comment)).first()
            comment.text = "bad\x00byte"
        path = tmp_path / "nul.backup"
        write_backup(path, source)
    finally:
        source.dispose()
    target_url = new_database("postgresql")
    with pytest.raises(Exception, match="nothing was restored") as refused:
        restore_backup(path, target_url)
    assert "\n" not in str(refused.value)
    assert set(counts(target_url).values()) == {0}


# -- writing the file ----------------------------------------------------------------------------


def test_the_file_is_private_and_never_replaced_without_force(engine, session_factory, tmp_path):
    fill(session_factory)
    path = tmp_path / "tisa.backup"
    write_backup(path, engine)
    assert os.stat(path).st_mode & 0o777 == 0o600
    first = path.read_bytes()
    with pytest.raises(BackupFailed, match="exists"):
        write_backup(path, engine)
    assert path.read_bytes() == first
    write_backup(path, engine, force=True)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tisa.backup"]  # no temporary left
    with pytest.raises(BackupFailed, match="does not exist"):
        write_backup(tmp_path / "missing" / "x.backup", engine)


def test_a_database_without_tisa_is_not_backed_up(new_database, tmp_path):
    url = new_database("sqlite")
    missing = Path(url.removeprefix("sqlite:///"))
    with pytest.raises(BackupFailed, match="no database file"):
        write_backup(tmp_path / "x.backup", url)
    assert not missing.exists()  # not created by asking for a backup
    sqlite3.connect(missing).close()
    with pytest.raises(BackupFailed, match="no tisa tables"):
        write_backup(tmp_path / "x.backup", url)
    assert list(tmp_path.iterdir()) == []


def test_units_are_written_parents_first(backup_file):
    ids = column(backup_file, "units", "id")
    parents = column(backup_file, "units", "parent_id")
    seen: set[int] = set()
    for unit_id, parent_id in zip(ids, parents, strict=True):
        assert parent_id is None or parent_id in seen
        seen.add(unit_id)
    assert ids != sorted(ids)  # the tree asked for it: the parent was stored after its child
    assert RoundUnit.__tablename__ in {t["name"] for t in manifest_of(backup_file)["tables"]}


def test_a_backup_after_close_holds_nothing_close_deleted(engine, session_factory, tmp_path):
    """What close deletes (drafts, used-code records, sealed answers, the secret key) is in no
    byte of a backup taken after it, and the responses are written in the order of their
    random ids, not of their arrival."""
    fill(session_factory)
    with transaction(session_factory, write=True) as session:
        open_round_ = session.scalars(sa.select(Round).where(Round.name == "Open")).one()
        [code] = issue_codes(session, open_round_, open_round_.units[0], 1)
        item = open_round_.instrument_version.instrument().item_ids()[0]
        save_draft(session, code, update({item: 1}, {"": "draft-only-words-7f3a"}))
    with transaction(session_factory, write=True) as session:
        submit_response(session, code, update({item: 5}, {"": "submitted words"}))
    with transaction(session_factory, write=True) as session:
        key = session.get(Round, open_round_.id).claim_key
        close_round(session, session.get(Round, open_round_.id))
    path = tmp_path / "closed.backup"
    write_backup(path, engine)
    for table in ("drafts", "code_claims", "sealed_submissions"):
        assert table_rows(path, table) == []
    assert column(path, "rounds", "claim_key") == [None, None]
    with zipfile.ZipFile(path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"draft-only-words-7f3a" not in everything and key.encode() not in everything
    assert b"submitted words" in everything
    ids = column(path, "responses", "id")
    assert ids == sorted(ids) and len(ids) == 6 + 2


def foreign_files(folder: Path) -> list[Path]:
    made = []
    for name, data in [
        ("empty.backup", b""),
        ("random.backup", secrets.token_bytes(5000)),
        ("text.backup", b"id,name\n1,North\n" * 20),
        ("hex-tail.backup", b"x" * 100 + b"a" * 64),
    ]:
        (folder / name).write_bytes(data)
        made.append(folder / name)
    plain = folder / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("manifest.json", "{}")
    made.append(plain)
    (folder / "a folder").mkdir()
    made.append(folder / "a folder")
    return made


def test_a_file_that_is_no_backup_is_refused_in_one_line(tmp_path, new_database):
    for path in foreign_files(tmp_path):
        target_url = new_database("sqlite")
        with pytest.raises(BackupDamaged) as refused:
            restore_backup(path, target_url)
        message = str(refused.value)
        assert "\n" not in message and str(path) in message and "nothing was restored" in message
        assert not Path(target_url.removeprefix("sqlite:///")).exists()
