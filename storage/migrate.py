"""Bring a database's schema up to date, and tell where it stands.

The web app and ``tisa init`` call `upgrade()` on start; it is idempotent (a database already
at the newest revision is left alone) and safe when several replicas start at once on
PostgreSQL. The migrations live in ``storage/migrations`` and are Alembic's; see
``storage/alembic.ini`` for running them by hand.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, Engine

from storage.engine import WRITE_TRANSACTION_OPTION, make_engine
from storage.errors import MigrationError
from storage.models import Organization

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
ALEMBIC_INI = PACKAGE_DIR / "alembic.ini"


def alembic_config() -> Config:
    """The Alembic configuration of tisa, with its migrations wherever tisa is installed."""
    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.is_file() else Config()
    # Config values are interpolated: a literal % in the path must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision this version of tisa knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise MigrationError(f"no migrations found in {MIGRATIONS_DIR}: reinstall tisa")
    return head


def upgrade(engine_or_url: Engine | str | URL | None = None, *, to: str = "head") -> None:
    """Migrate the database to the newest revision (default: `storage.engine.database_url()`),
    or only as far as revision `to` (a restore migrates a new database to its backup's).

    Raises `MigrationError` when the database cannot be reached or migrated; the message says
    what to check. A database that a newer tisa already migrated is refused, not touched.
    """
    engine, owned = _engine(engine_or_url)
    try:
        _refuse_unknown_revision(engine)
        config = alembic_config()
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_TRANSACTION_OPTION: True})
            config.attributes["connection"] = connection
            command.upgrade(config, to)
    except (sa.exc.SQLAlchemyError, CommandError) as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise MigrationError(
            f"could not upgrade the database {where}: {exc}. Check that the database server "
            "is running and the URL (TISA_DATABASE_URL) is right, then try again"
        ) from exc
    finally:
        if owned:
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    with engine.connect() as connection:
        return revision_of(connection)


def revision_of(connection: sa.Connection) -> str | None:
    """The revision of the database `connection` reads, within its transaction if one is open;
    None for a database never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> list[str]:
    """Every revision this version of tisa knows, the newest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in script.walk_revisions()]


def is_empty(engine: Engine) -> bool:
    """True when no organization is stored yet (or the schema does not exist yet)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(Organization.__tablename__):
            return True
        first = connection.execute(sa.select(Organization.id).limit(1)).first()
        return first is None


def _engine(engine_or_url: Engine | str | URL | None) -> tuple[Engine, bool]:
    if isinstance(engine_or_url, Engine):
        return engine_or_url, False
    return make_engine(engine_or_url, poolclass=sa.pool.NullPool), True


def _refuse_unknown_revision(engine: Engine) -> None:
    current = current_revision(engine)
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    known = {revision.revision for revision in script.walk_revisions()}
    if current not in known:
        raise MigrationError(
            f"the database is at revision {current}, which this version of tisa does not know "
            f"(its newest is {head_revision()}): a newer tisa has migrated it. Upgrade tisa, or "
            "restore a backup made with this version"
        )
