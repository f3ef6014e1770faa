"""Restore a backup (`storage.backup`) into an empty database: `tisa restore FILE`.

The database is the one ``TISA_DATABASE_URL`` names, SQLite or PostgreSQL, whichever kind the
backup came from: restoring is also how an agency moves from one to the other.

What is promised, and how it is kept (`tests/storage/test_backup.py` attacks each sentence):

- **The file is checked before anything is written.** Its bytes must match the SHA-256 it
  ends with, it must be a zip holding a manifest of
  a format this tisa reads and a revision it knows, and each table's rows must have the
  count and the SHA-256 the manifest gives (the zip's own checksums are verified on the way).
  A damaged, truncated or foreign file is refused (`BackupDamaged`) with one line, before
  the database is even opened.
- **Only into an empty database.** If any of tisa's tables holds a row, the restore is
  refused (`RestoreRefused`) with the tables and their counts, and nothing is changed. A new
  database (no tables) is migrated to the backup's revision first; a backup made by a newer
  tisa (a revision this one does not know) is refused.
- **All rows or none.** Every row is inserted in one transaction: tables in foreign-key
  order, rows in the order of the file (parents first within a table); on SQLite in batches
  of executemany, on PostgreSQL through ``COPY`` (each value through its column type's bind
  processing, as an insert would), after which every sequence is set past the largest id, so
  new rows get new ids. If the database refuses a row, the transaction rolls back and the
  tables stay empty. Values go in with the types of `storage.models`, so they read back as
  they were written (dates, aware datetimes, JSON, booleans).
- **Then up to date.** A backup of an older revision is migrated to the newest once its rows
  are in, by the same migrations that upgrade a live database.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from storage.backup import (
    BATCH_ROWS,
    DECODERS,
    DIGEST_LENGTH,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    READ_CHUNK,
    TableSpec,
    file_digest,
    first_line,
    table_specs,
)
from storage.engine import WRITE_TRANSACTION_OPTION, make_engine
from storage.errors import Conflict, StorageError
from storage.migrate import head_revision, known_revisions, revision_of, upgrade
from storage.models import metadata as model_metadata

MANIFEST_MAX_BYTES = 16 << 20


class BackupDamaged(StorageError):
    """The file is not a backup this tisa can restore (damaged, truncated, foreign, or made by
    a newer tisa); nothing was written."""


class RestoreRefused(Conflict):
    """The database cannot take the backup as it stands (it is not empty, or it is newer);
    nothing was changed."""


@dataclass(frozen=True)
class TableEntry:
    name: str
    file: str
    columns: tuple[tuple[str, str], ...]  # (name, kind)
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    revision: str
    tisa_version: str
    database: str
    created_at: str
    tables: tuple[TableEntry, ...]

    def table(self, name: str) -> TableEntry | None:
        return next((entry for entry in self.tables if entry.name == name), None)


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    database: str  # the URL, password hidden
    backup_revision: str
    revision: str  # where the database stands now
    rows: dict[str, int]

    def line(self) -> str:
        migrated = (
            f", then migrated to revision {self.revision}"
            if self.revision != self.backup_revision
            else ""
        )
        return (
            f"restored {self.path} into {self.database}: {sum(self.rows.values())} rows in "
            f"{len(self.rows)} tables at revision {self.backup_revision}{migrated}"
        )


# -- checking the file ----------------------------------------------------------------------------


def verify_backup(path: str | os.PathLike[str]) -> Manifest:
    """Read the manifest of the backup at `path` and check every table against it.

    Raises `BackupDamaged` naming the file and what is wrong with it.
    """
    file = Path(path)
    if file.is_dir():
        raise BackupDamaged(f"{file} is a folder, not a backup file; nothing was restored")
    if not file.is_file():
        raise BackupDamaged(f"{file}: no such file; nothing was restored")
    try:
        _check_file_digest(file)
        with zipfile.ZipFile(file) as archive:
            manifest = _manifest(archive)
            for entry in manifest.tables:
                _check_table(archive, entry)
    except BackupDamaged as exc:
        raise BackupDamaged(f"{file} is not a usable tisa backup: {exc}; nothing was restored") \
            from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, OSError,
            NotImplementedError, ValueError) as exc:
        reason = str(exc) or type(exc).__name__
        raise BackupDamaged(
            f"{file} is not a usable tisa backup: it is damaged or truncated ({reason}); "
            "nothing was restored"
        ) from None
    return manifest


def _check_file_digest(file: Path) -> None:
    with file.open("rb") as stream:
        size = stream.seek(0, os.SEEK_END)
        if size <= DIGEST_LENGTH:
            raise BackupDamaged("it is too short to be a tisa backup (truncated?)")
        stream.seek(size - DIGEST_LENGTH)
        written = stream.read(DIGEST_LENGTH)
        if not re.fullmatch(rb"[0-9a-f]{64}", written):
            raise BackupDamaged(
                "it does not end with the SHA-256 every tisa backup ends with (truncated, or "
                "not a tisa backup)"
            )
        if file_digest(stream, size - DIGEST_LENGTH).encode("ascii") != written:
            raise BackupDamaged(
                "its bytes do not match the SHA-256 it was written with (damaged or truncated)"
            )


def _manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        size = archive.getinfo(MANIFEST).file_size
    except KeyError:
        raise BackupDamaged(f"it has no {MANIFEST}") from None
    if size > MANIFEST_MAX_BYTES:
        raise BackupDamaged(f"its {MANIFEST} is larger than any tisa writes")
    data = json.loads(archive.read(MANIFEST).decode("utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupDamaged(f"its {MANIFEST} is not that of a tisa backup")
    version = data.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BackupDamaged(f"its format version {version!r} is not valid")
    if version > FORMAT_VERSION:
        raise BackupDamaged(
            f"it is in format version {version}, written by a newer tisa "
            f"(this one reads version {FORMAT_VERSION}); restore it with that tisa"
        )
    revision = data.get("revision")
    if not isinstance(revision, str) or not revision:
        raise BackupDamaged("its manifest names no revision")
    if revision not in known_revisions():
        raise BackupDamaged(
            f"it was made by a newer tisa (database revision {revision}, which this version "
            f"does not know; its newest is {head_revision()}); upgrade tisa, then restore"
        )
    tables = data.get("tables")
    if not isinstance(tables, list):
        raise BackupDamaged("its manifest lists no tables")
    entries = tuple(_table_entry(item) for item in tables)
    names = [entry.name for entry in entries]
    if len(set(names)) != len(names):
        raise BackupDamaged("its manifest lists a table twice")
    return Manifest(
        revision=revision,
        tisa_version=str(data.get("tisa_version", "unknown")),
        database=str(data.get("database", "unknown")),
        created_at=str(data.get("created_at", "")),
        tables=entries,
    )


def _table_entry(item: Any) -> TableEntry:
    try:
        columns = tuple((str(c["name"]), str(c["kind"])) for c in item["columns"])
        entry = TableEntry(
            name=str(item["name"]),
            file=str(item["file"]),
            columns=columns,
            rows=item["rows"],
            sha256=str(item["sha256"]),
        )
    except (KeyError, TypeError):
        raise BackupDamaged("a table of its manifest is not described in full") from None
    if not isinstance(entry.rows, int) or entry.rows < 0:
        raise BackupDamaged(f"table {entry.name}: its row count {entry.rows!r} is not valid")
    unknown = [kind for _, kind in columns if kind not in DECODERS]
    if unknown:
        raise BackupDamaged(f"table {entry.name}: unknown column kind {unknown[0]!r}")
    return entry


def _check_table(archive: zipfile.ZipFile, entry: TableEntry) -> None:
    hasher = hashlib.sha256()
    lines = 0
    try:
        stream = archive.open(entry.file)
    except KeyError:
        raise BackupDamaged(f"table {entry.name}: {entry.file} is missing") from None
    with stream:
        while chunk := stream.read(READ_CHUNK):
            hasher.update(chunk)
            lines += chunk.count(b"\n")
    if hasher.hexdigest() != entry.sha256:
        raise BackupDamaged(f"table {entry.name}: its rows do not match their SHA-256")
    if lines != entry.rows:
        raise BackupDamaged(
            f"table {entry.name}: {lines} rows where the manifest says {entry.rows}"
        )


# -- restoring ------------------------------------------------------------------------------------


def restore_backup(
    path: str | os.PathLike[str], engine_or_url: Engine | str | URL | None = None
) -> RestoreReport:
    """Restore the backup at `path` into the empty database `engine_or_url` (default:
    ``TISA_DATABASE_URL``); see the module docstring.

    Raises `BackupDamaged` (a bad file), `RestoreRefused` (a database that is not empty or
    is newer than the backup) or `StorageError` (the database refused the rows); in each case
    no row is written.
    """
    manifest = verify_backup(path)
    engine = (
        engine_or_url
        if isinstance(engine_or_url, Engine)
        else make_engine(engine_or_url, poolclass=sa.pool.NullPool)
    )
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            _refuse_unless_empty(connection, manifest, where)
            current = revision_of(connection)
        if current != manifest.revision:
            upgrade(engine, to=manifest.revision)
        rows = _insert_all(engine, Path(path), manifest, where)
        if manifest.revision != head_revision():
            upgrade(engine)
        with engine.connect() as connection:
            revision = revision_of(connection) or manifest.revision
    except sa.exc.SQLAlchemyError as exc:
        raise StorageError(
            f"could not restore into {where}: {first_line(exc)}; nothing was restored"
        ) from exc
    finally:
        if not isinstance(engine_or_url, Engine):
            engine.dispose()
    return RestoreReport(
        path=Path(path),
        database=where,
        backup_revision=manifest.revision,
        revision=revision,
        rows=rows,
    )


def row_counts(connection: Connection, names: set[str] | None = None) -> dict[str, int]:
    """Rows in each of tisa's tables that exist in the database (those of `storage.models`,
    and `names` besides)."""
    present = set(sa.inspect(connection).get_table_names())
    wanted = sorted((set(model_metadata.tables) | (names or set())) & present)
    return {
        name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) or 0
        for name in wanted
    }


def _refuse_unless_empty(connection: Connection, manifest: Manifest, where: str) -> None:
    counts = row_counts(connection, {entry.name for entry in manifest.tables})
    filled = {name: n for name, n in counts.items() if n}
    if filled:
        shown = ", ".join(f"{name} {n}" for name, n in sorted(filled.items()))
        raise RestoreRefused(
            f"the database {where} is not empty ({shown} rows): restore only into a new, empty "
            "database, before tisa init or the app has run on it; nothing was changed"
        )
    current = revision_of(connection)
    if current is None:
        return
    revisions = known_revisions()
    if current not in revisions:
        raise RestoreRefused(
            f"the database {where} is at revision {current}, which this version of tisa does "
            "not know; restore into a new, empty database"
        )
    if revisions.index(current) < revisions.index(manifest.revision):  # newest first
        raise RestoreRefused(
            f"the database {where} is already at revision {current}, newer than the backup's "
            f"{manifest.revision}: restore into a new database without tables; nothing was "
            "changed"
        )


def _insert_all(engine: Engine, path: Path, manifest: Manifest, where: str) -> dict[str, int]:
    rows: dict[str, int] = {}
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_TRANSACTION_OPTION: True})
        with connection.begin(), zipfile.ZipFile(path) as archive:
            _refuse_unless_empty(connection, manifest, where)  # nobody wrote in the meantime
            specs = table_specs(connection)
            _same_tables(specs, manifest)
            for spec in specs:
                entry = manifest.table(spec.name)
                if entry is None:  # `_same_tables` refuses this first; never insert blind
                    raise RestoreRefused(f"{path}: the backup has no table {spec.name}")
                with archive.open(entry.file) as stream:
                    rows[spec.name] = _insert_table(connection, spec, entry, stream)
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection, specs)
    return rows


def _same_tables(specs: list[TableSpec], manifest: Manifest) -> None:
    expected = {spec.name: {c.name for c in spec.columns} for spec in specs}
    found = {entry.name: {name for name, _ in entry.columns} for entry in manifest.tables}
    if expected.keys() != found.keys():
        differ = sorted(expected.keys() ^ found.keys())
        raise BackupDamaged(
            f"its tables differ from those of revision {manifest.revision} ({', '.join(differ)}); "
            "nothing was restored"
        )
    for name, columns in expected.items():
        if columns != found[name]:
            differ = sorted(columns ^ found[name])
            raise BackupDamaged(
                f"table {name}: its columns differ from those of revision {manifest.revision} "
                f"({', '.join(differ)}); nothing was restored"
            )


def _insert_table(
    connection: Connection, spec: TableSpec, entry: TableEntry, stream: IO[bytes]
) -> int:
    """Insert one table's rows as the file gives them: through ``COPY`` on PostgreSQL, in
    batches of ``executemany`` elsewhere; both in the connection's transaction."""
    if connection.dialect.name == "postgresql":
        return _copy_rows(connection, spec, entry, _decoded_rows(entry, stream))
    names = [name for name, _ in entry.columns]
    insert = sa.insert(spec.lightweight())
    count = 0
    batch: list[dict[str, Any]] = []
    for values in _decoded_rows(entry, stream):
        batch.append(dict(zip(names, values, strict=True)))
        if len(batch) >= BATCH_ROWS:
            connection.execute(insert, batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(insert, batch)
        count += len(batch)
    return count


def _decoded_rows(entry: TableEntry, stream: IO[bytes]) -> Iterator[list[Any]]:
    """The rows of one table file as lists of Python values in the manifest's column order."""
    width = len(entry.columns)
    converted = [
        (index, DECODERS[kind])
        for index, (_, kind) in enumerate(entry.columns)
        if DECODERS[kind] is not None
    ]
    for number, line in enumerate(stream, start=1):
        try:
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != width:
                raise ValueError(f"{width} values expected")
            for index, convert in converted:
                if values[index] is not None:
                    values[index] = convert(values[index])  # type: ignore[misc]
        except (ValueError, TypeError) as exc:
            raise BackupDamaged(
                f"table {entry.name}, row {number}: {exc}; nothing was restored"
            ) from None
        yield values


def _copy_rows(
    connection: Connection, spec: TableSpec, entry: TableEntry, rows: Iterator[list[Any]]
) -> int:
    """PostgreSQL's ``COPY ... FROM STDIN`` of `rows`, each value passed through its column
    type's bind processing first (as an ``INSERT`` through SQLAlchemy would)."""
    quote = connection.dialect.identifier_preparer.quote
    types = {column.name: column.type_ for column in spec.columns}
    processors = [
        (index, processor)
        for index, (name, _) in enumerate(entry.columns)
        if (processor := types[name]._cached_bind_processor(connection.dialect)) is not None
    ]
    columns = ", ".join(quote(name) for name, _ in entry.columns)
    driver = connection.connection.driver_connection
    count = 0
    try:
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {quote(spec.name)} ({columns}) FROM STDIN") as copy,
        ):
            for values in rows:
                for index, processor in processors:
                    values[index] = processor(values[index])
                copy.write_row(values)
                count += 1
    except connection.dialect.loaded_dbapi.Error as exc:
        # The first line only: a later DETAIL line may quote the row.
        raise StorageError(
            f"the database refused a row of table {spec.name} ({first_line(exc)}); nothing was "
            "restored"
        ) from None
    return count


def _reset_sequences(connection: Connection, specs: list[TableSpec]) -> None:
    """Set each serial column's sequence past the largest id restored (or back to 1)."""
    quote = connection.dialect.identifier_preparer.quote
    for spec in specs:
        if len(spec.primary_key) != 1:
            continue
        column = spec.primary_key[0]
        sequence = connection.scalar(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote(spec.name), "column": column},
        )
        if sequence is None:
            continue
        connection.execute(
            sa.text(
                f"SELECT setval(CAST(:sequence AS regclass), "
                f"COALESCE((SELECT max({quote(column)}) FROM {quote(spec.name)}), 0) + 1, false)"
            ),
            {"sequence": sequence},
        )
