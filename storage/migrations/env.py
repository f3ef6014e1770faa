"""The Alembic environment of tisa: how a migration reaches the database.

`storage.migrate.upgrade()` hands in an open connection (``config.attributes["connection"]``)
that has not begun a transaction; the ``alembic`` command gets one from ``sqlalchemy.url`` or
``TISA_DATABASE_URL``. Either way:

- all pending migrations run in one transaction, so a failed upgrade leaves the schema as it
  was (PostgreSQL and SQLite both have transactional DDL);
- on PostgreSQL a transaction-level advisory lock makes replicas that start together migrate
  one after the other;
- on SQLite, migrations use batch mode (``render_as_batch``: SQLite alters a table by copying
  it), with foreign keys off while they run, since dropping the old copy of a table would
  otherwise cascade; ``PRAGMA foreign_key_check`` must find no violation before the
  transaction commits.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, pool

from storage.engine import WRITE_TRANSACTION_OPTION, database_url, make_engine, normalize_url
from storage.errors import MigrationError
from storage.models import UTCDateTime, metadata

# Any fixed number: the key of the advisory lock that serializes tisa migrations.
_POSTGRES_MIGRATION_LOCK = 7_364_617_001

config = context.config


def _render_item(kind: str, obj: object, _autogen_context: object) -> str | bool:
    """Write `UTCDateTime` columns into new migrations as what the database sees."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**options: object) -> None:
    context.configure(
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        **options,
    )


def run_migrations_offline() -> None:
    """Write the SQL to standard output instead of running it (``alembic upgrade --sql``)."""
    url = normalize_url(config.get_main_option("sqlalchemy.url") or database_url())
    _configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None, poolclass=pool.NullPool)
    try:
        with engine.connect() as owned:
            owned.execution_options(**{WRITE_TRANSACTION_OPTION: True})
            _run(owned)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    if connection.in_transaction():
        raise MigrationError(
            "migrations need a connection that has not begun a transaction; pass an engine or "
            "URL to storage.migrate.upgrade() instead"
        )
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, enabled=False)
    try:
        # SQLite's DDL is transactional once SQLAlchemy begins its transactions (storage.engine);
        # Alembic would otherwise assume it is not and leave DDL outside the transaction.
        _configure(connection=connection, transactional_ddl=True)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    f"SELECT pg_advisory_xact_lock({_POSTGRES_MIGRATION_LOCK})"
                )
            context.run_migrations()
            if sqlite:
                _sqlite_check_foreign_keys(connection)
    finally:
        if sqlite:
            _sqlite_restore_foreign_keys(connection)


def _sqlite_foreign_keys(connection: Connection, *, enabled: bool) -> None:
    # PRAGMA foreign_keys is ignored inside a transaction: set it on the driver's connection,
    # outside of any (SQLAlchemy, not the driver, begins transactions: see storage.engine).
    driver = connection.connection.driver_connection
    driver.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


def _sqlite_restore_foreign_keys(connection: Connection) -> None:
    """Turn foreign keys back on, or discard the connection so the pool never hands it out
    with them off."""
    if connection.in_transaction():
        connection.rollback()  # only reads can be left: the migrations' transaction has ended
    _sqlite_foreign_keys(connection, enabled=True)
    driver = connection.connection.driver_connection
    if driver.execute("PRAGMA foreign_keys").fetchone() != (1,):
        connection.invalidate()


def _sqlite_check_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if violations:
        shown = "; ".join(
            f"table {row[0]} row {row[1]} refers to a missing row of {row[2]}"
            for row in violations[:5]
        )
        raise MigrationError(
            f"the migration would leave {len(violations)} broken reference(s) ({shown}); "
            "nothing was changed. Fix the data or the migration, then upgrade again"
        )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
