"""A backup of the whole database in one portable file (`tisa backup --out FILE`).

What is promised, and how it is kept (`tests/storage/test_backup.py` attacks each sentence):

- **One consistent snapshot, while the app runs and writes.** Every table is read in one
  read-only transaction: on SQLite one ``BEGIN`` over the write-ahead log (the snapshot is
  fixed at the first read, and writers go on writing beside it); on PostgreSQL one
  ``REPEATABLE READ READ ONLY`` transaction. So the file holds the database as it stood at
  one instant: every submission with its claim, every response with its answers. A plain copy
  of a running SQLite file is not that (it can miss what sits in the write-ahead log).
- **Portable and exact.** The file is a zip: ``manifest.json`` (format and its version, the
  Alembic revision, the tisa version, the database kind, and per table its columns with their
  kinds, its row count and the SHA-256 of its rows) and ``tables/NAME.jsonl`` for every
  table, one JSON array per row in column order. Each column's kind says how its values are
  written, so they read back as the same Python values on SQLite and PostgreSQL: integers,
  text, booleans and JSON as JSON; dates, times and aware datetimes as ISO 8601 (datetimes
  with their offset, always UTC for tisa's own); bytes as base64; exact numerics as decimal
  text; floats as JSON numbers ("NaN", "Infinity" and "-Infinity" as text). Rows are written
  in primary-key order, and a table that refers to itself (units, round units) parents
  first, so a restore can insert them in file order.
- **Any damage is seen.** The file ends with the SHA-256 of all its other bytes (the zip's
  comment), so a flipped byte or a cut anywhere, even where the zip format itself would not
  notice, makes `storage.restore` refuse it; the per-table SHA-256 in the manifest says which
  table a damaged file lost.
- **Written safely.** The file is built under a temporary name beside the target, with mode
  0600 (it holds what the database holds: password hashes, the hashes of access codes, and
  while a round is open its claim key, drafts and sealed answers), flushed to disk, and only
  then given its name: never over an existing file unless `force` is set, so a half-written
  backup never carries the name of a good one.

The tables and their columns are read from the database itself (at whatever revision this
tisa knows), with the types of `storage.models` wherever the model has the column: a table
or column added by a later migration is backed up without a change here.
`storage.restore` reads the file back into an empty database.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.metadata
import json
import math
import os
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from storage.engine import database_url, make_engine, normalize_url
from storage.errors import StorageError
from storage.migrate import known_revisions, revision_of
from storage.models import metadata as model_metadata

FORMAT = "tisa-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES_FOLDER = "tables"
ALEMBIC_TABLE = "alembic_version"
BATCH_ROWS = 2000
READ_CHUNK = 1 << 20
DIGEST_LENGTH = 64  # the file's SHA-256 in hex, its last bytes
FILE_MODE = 0o600


class BackupFailed(StorageError):
    """A backup could not be written; the message says why. No file was left behind."""


# -- the kinds of values, and how each is written -----------------------------------------------

Converter = Callable[[Any], Any]


def column_kind(type_: sa.types.TypeEngine[Any]) -> str:
    """The kind of a column's values in a backup, from its SQLAlchemy type."""
    if isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    checks: tuple[tuple[type, str], ...] = (
        (sa.JSON, "json"),
        (sa.Boolean, "boolean"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
        (sa.Time, "time"),
        (sa.LargeBinary, "bytes"),
        (sa.Float, "float"),
        (sa.Numeric, "numeric"),
        (sa.Integer, "integer"),
        (sa.Uuid, "uuid"),
        (sa.String, "text"),
    )
    for cls, kind in checks:
        if isinstance(type_, cls):
            if kind == "numeric" and not getattr(type_, "asdecimal", True):
                return "float"
            return kind
    raise BackupFailed(f"a column of type {type_!r} cannot be backed up: no kind for it")


def _encode_datetime(value: datetime) -> str:
    return value.isoformat()


def _encode_float(value: float) -> float | str:
    number = float(value)
    if math.isfinite(number):
        return number
    return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")


def _encode_bytes(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


ENCODERS: dict[str, Converter | None] = {
    "json": None,
    "boolean": None,
    "integer": None,
    "text": None,
    "datetime": _encode_datetime,
    "date": date.isoformat,
    "time": time.isoformat,
    "bytes": _encode_bytes,
    "float": _encode_float,
    "numeric": str,
    "uuid": str,
}

DECODERS: dict[str, Converter | None] = {
    "json": None,
    "boolean": None,
    "integer": None,
    "text": None,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "bytes": lambda text: base64.b64decode(text.encode("ascii"), validate=True),
    "float": float,  # float("NaN"), float("Infinity") read the text forms back
    "numeric": Decimal,
    "uuid": uuid.UUID,
}


def encode_value(kind: str, value: Any) -> Any:
    """`value` of a column of `kind` as it is written in a backup (None stays null)."""
    convert = ENCODERS[kind]
    return value if value is None or convert is None else convert(value)


def decode_value(kind: str, data: Any) -> Any:
    """A value written by `encode_value` read back."""
    convert = DECODERS[kind]
    return data if data is None or convert is None else convert(data)


# -- what is read: the tables of one snapshot -----------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    type_: sa.types.TypeEngine[Any]


@dataclass(frozen=True)
class TableSpec:
    """A table as a backup sees it: its columns (types from `storage.models` where the model
    has the column, else as reflected), its primary key, and the column that refers to the
    table itself, if any."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    self_reference: tuple[str, str] | None  # (column, referred column)

    def lightweight(self) -> sa.TableClause:
        """A `sa.table` of these columns with these types: enough to select and insert."""
        return sa.table(self.name, *(sa.column(c.name, c.type_) for c in self.columns))


def table_specs(connection: Connection) -> list[TableSpec]:
    """tisa's tables in the database `connection` reads, parents before children (foreign-key
    order), without Alembic's own table."""
    reflected = sa.MetaData()
    reflected.reflect(bind=connection)
    specs = []
    for table in reflected.sorted_tables:
        if table.name == ALEMBIC_TABLE:
            continue
        model = model_metadata.tables.get(table.name)
        columns = []
        for column in table.columns:
            type_ = (
                model.c[column.name].type
                if model is not None and column.name in model.c
                else column.type
            )
            columns.append(Column(column.name, column_kind(type_), type_))
        self_reference = None
        for key in table.foreign_keys:
            if key.column.table.name == table.name:
                self_reference = (key.parent.name, key.column.name)
        specs.append(
            TableSpec(
                name=table.name,
                columns=tuple(columns),
                primary_key=tuple(column.name for column in table.primary_key.columns),
                self_reference=self_reference,
            )
        )
    return specs


def read_rows(connection: Connection, spec: TableSpec) -> Iterator[Sequence[Sequence[Any]]]:
    """The rows of one table in batches, in primary-key order (parents first in a table that
    refers to itself), as tuples of Python values in column order."""
    table = spec.lightweight()
    query = sa.select(*table.columns).order_by(*(table.c[name] for name in spec.primary_key))
    if spec.self_reference is not None:  # small tables (a unit tree): sorted whole
        yield _parents_first(connection.execute(query).all(), spec, spec.self_reference)
        return
    yield from connection.execute(query.execution_options(yield_per=BATCH_ROWS)).partitions()


def _parents_first(
    rows: Sequence[Sequence[Any]], spec: TableSpec, self_reference: tuple[str, str]
) -> list[Sequence[Any]]:
    """`rows` ordered so that each row comes after the row it refers to (its parent);
    `self_reference` is (the column naming the parent, the column it refers to)."""
    names = [column.name for column in spec.columns]
    parent_at = names.index(self_reference[0])
    key_at = names.index(self_reference[1])
    parent_of = {row[key_at]: row[parent_at] for row in rows}
    depth: dict[Any, int] = {}
    for key in parent_of:
        chain = []
        current = key
        while current is not None and current not in depth and current not in chain:
            chain.append(current)
            current = parent_of.get(current)
        base = depth.get(current, -1) if current is not None else -1
        for offset, node in enumerate(reversed(chain), start=1):
            depth[node] = base + offset
    return sorted(rows, key=lambda row: depth[row[key_at]])  # stable: key order kept within


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction that sees the whole database as it stood at one instant
    (see the module docstring)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin():
            yield connection


# -- writing the file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupReport:
    path: Path
    database: str  # the URL, password hidden
    revision: str
    rows: dict[str, int]  # table name -> rows, in restore order

    def line(self) -> str:
        return (
            f"backup of {self.database} (revision {self.revision}) written to {self.path}: "
            f"{sum(self.rows.values())} rows in {len(self.rows)} tables"
        )


def tisa_version() -> str:
    try:
        return importlib.metadata.version("tisa")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def write_backup(
    out: str | os.PathLike[str],
    engine_or_url: Engine | str | URL | None = None,
    *,
    force: bool = False,
) -> BackupReport:
    """Write a backup of the database (default: ``TISA_DATABASE_URL``) to `out`.

    Refused (`BackupFailed`, nothing written) when `out` exists and `force` is not set, when
    its folder does not exist, when the database is not a tisa database this version knows,
    or when it cannot be read.
    """
    path = Path(out)
    if not path.parent.is_dir():
        raise BackupFailed(f"the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise BackupFailed(f"{path} exists: choose a new file, or pass --force to replace it")
    if path.is_dir():
        raise BackupFailed(f"{path} is a folder: name a file")
    if not isinstance(engine_or_url, Engine):
        _refuse_missing_sqlite_file(engine_or_url)
    engine = (
        engine_or_url
        if isinstance(engine_or_url, Engine)
        else make_engine(engine_or_url, poolclass=sa.pool.NullPool)
    )
    where = engine.url.render_as_string(hide_password=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    try:
        os.fchmod(handle, FILE_MODE)
        with os.fdopen(handle, "w+b") as stream:
            revision, rows = _write_archive(stream, engine, where)
            _seal_file(stream)
            os.fsync(stream.fileno())
        _publish(Path(temporary), path, force=force)
    except sa.exc.SQLAlchemyError as exc:
        raise BackupFailed(
            f"could not read the database {where}: {first_line(exc)}. Check that it is "
            "running and that TISA_DATABASE_URL is right; no backup was written"
        ) from exc
    except OSError as exc:
        raise BackupFailed(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if not isinstance(engine_or_url, Engine):
            engine.dispose()
    return BackupReport(path=path, database=where, revision=revision, rows=rows)


def _refuse_missing_sqlite_file(url: str | URL | None) -> None:
    """A SQLite URL naming no file is refused rather than answered with a new, empty file."""
    parsed = normalize_url(url if url is not None else database_url())
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in {"", ":memory:"}:
        return
    if database.startswith("file:"):
        return
    if not Path(database).expanduser().is_file():
        raise BackupFailed(
            f"there is no database file {database} (check TISA_DATABASE_URL); no backup was "
            "written"
        )


def _write_archive(stream: Any, engine: Engine, where: str) -> tuple[str, dict[str, int]]:
    tables = []
    rows: dict[str, int] = {}
    with (
        zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
        snapshot(engine) as connection,
    ):
        revision = revision_of(connection)
        if revision is None:
            raise BackupFailed(
                f"the database {where} holds no tisa tables: there is nothing to back up "
                "(run tisa init first, or check TISA_DATABASE_URL)"
            )
        if revision not in known_revisions():
            raise BackupFailed(
                f"the database {where} is at revision {revision}, which this version of tisa "
                "does not know: back it up with the tisa that migrated it"
            )
        for spec in table_specs(connection):
            member = f"{TABLES_FOLDER}/{spec.name}.jsonl"
            count, digest = _write_table(archive, member, connection, spec)
            rows[spec.name] = count
            tables.append(
                {
                    "name": spec.name,
                    "file": member,
                    "columns": [{"name": c.name, "kind": c.kind} for c in spec.columns],
                    "rows": count,
                    "sha256": digest,
                }
            )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "revision": revision,
            "tisa_version": tisa_version(),
            "database": engine.dialect.name,
            "created_at": datetime.now(UTC).isoformat(),
            "tables": tables,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        archive.comment = b"0" * DIGEST_LENGTH  # the place of the file's own SHA-256
    return revision, rows


def file_digest(stream: IO[bytes], length: int) -> str:
    """SHA-256 (hex) of the first `length` bytes of `stream`, read from its start."""
    hasher = hashlib.sha256()
    stream.seek(0)
    left = length
    while left > 0:
        chunk = stream.read(min(READ_CHUNK, left))
        if not chunk:
            break
        hasher.update(chunk)
        left -= len(chunk)
    return hasher.hexdigest()


def _seal_file(stream: IO[bytes]) -> None:
    """Write, as the zip's comment (its last bytes), the SHA-256 of every byte before it."""
    stream.flush()
    size = stream.seek(0, os.SEEK_END)
    digest = file_digest(stream, size - DIGEST_LENGTH)
    stream.seek(size - DIGEST_LENGTH)
    stream.write(digest.encode("ascii"))
    stream.flush()


def _write_table(
    archive: zipfile.ZipFile, member: str, connection: Connection, spec: TableSpec
) -> tuple[int, str]:
    """Write one table's rows as JSON lines; its row count and the SHA-256 of what was written."""
    hasher = hashlib.sha256()
    count = 0
    converted = [
        (index, ENCODERS[column.kind])
        for index, column in enumerate(spec.columns)
        if ENCODERS[column.kind] is not None
    ]
    info = zipfile.ZipInfo(member, date_time=datetime.now(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        for batch in read_rows(connection, spec):
            lines = []
            for row in batch:
                values = list(row)
                for index, convert in converted:
                    if values[index] is not None:
                        values[index] = convert(values[index])  # type: ignore[misc]
                lines.append(
                    json.dumps(values, ensure_ascii=False, separators=(",", ":"),
                               allow_nan=False)
                )
            data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
            hasher.update(data)
            out.write(data)
            count += len(lines)
    return count, hasher.hexdigest()


def _publish(temporary: Path, path: Path, *, force: bool) -> None:
    """Give the finished file its name: atomically, and never over an existing file unless
    `force` is set."""
    if force:
        os.replace(temporary, path)
    else:
        try:
            os.link(temporary, path)  # fails if `path` exists, even when it appeared just now
        except FileExistsError:
            raise BackupFailed(
                f"{path} exists: choose a new file, or pass --force to replace it"
            ) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise BackupFailed(
                    f"{path} exists: choose a new file, or pass --force to replace it"
                ) from None
            os.replace(temporary, path)
    with contextlib.suppress(OSError):  # the new name is on disk too
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def first_line(exc: BaseException) -> str:
    """The first line of a database error's own message (never its parameters)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
