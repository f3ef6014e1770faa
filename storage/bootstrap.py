"""Bringing a database to life: migrate it, store the bundled library, add the first admin.

`initialize` is what `tisa init` and the web app's start-up run. It is safe to run again and
again: migrations that are applied are skipped, library versions that are stored are left as
they are, and an admin is added only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import URL

from storage.auth_service import purge_logins
from storage.demo import DEMO_NAME, DEMO_SIGN_INS, demo_exists, load_demo
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import SyncReport, sync_library
from storage.migrate import head_revision, upgrade
from storage.models import Organization, Role, User
from storage.organization_repo import create_organization
from storage.survey_service import release_left_behind
from storage.user_repo import add_user

DEFAULT_ORGANIZATION_NAME = "Our agency"


@dataclass(frozen=True)
class InitReport:
    """What `initialize` did."""

    database: str  # the URL, password hidden
    revision: str
    library: SyncReport
    organization: str | None  # slug of the organization the admin was added to
    admin: str | None  # username of the admin added
    demo: str | None = None  # what became of a demo request: "loaded", "present", "not empty"

    def lines(self) -> list[str]:
        out = [f"database {self.database} is at revision {self.revision}"]
        lib = self.library
        out.append(
            f"instrument library: {len(lib.added)} added, {len(lib.updated)} updated, "
            f"{len(lib.unchanged)} unchanged"
        )
        if self.admin is not None:
            out.append(f"admin {self.admin!r} added to organization {self.organization!r}")
        if self.demo == "loaded":
            out.append(f"demo agency {DEMO_NAME!r} loaded; its sign-ins:")
            out.extend(
                f"  {s.username} / {s.password} ({s.role}, sees {s.sees})" for s in DEMO_SIGN_INS
            )
        elif self.demo == "present":
            out.append("the demo agency is already loaded")
        elif self.demo == "not empty":
            out.append("the demo is loaded only into an empty database; this one has data")
        return out


def initialize(
    url: str | URL | None = None,
    *,
    admin_user: str | None = None,
    admin_password: str | None = None,
    organization_name: str | None = None,
    demo: bool = False,
) -> InitReport:
    """Migrate the database at `url` (default `TISA_DATABASE_URL` or ``data/tisa.db``), store
    the bundled instrument library, and add `admin_user` as an admin when given.

    The admin joins the first organization, which is created (named `organization_name`) when
    there is none. With `demo`, the demo agency (`storage.demo`) is loaded into a database
    that holds no organization yet. The library, the demo and the admin are written in one
    transaction: when the admin
    cannot be added (a taken username, a password outside the policy), nothing of it is kept.
    Raises `storage.errors.MigrationError`, `InvalidInput` or `Conflict` with a clear message.
    """
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        upgrade(engine)
        organization_slug = None
        demo_outcome = None
        with transaction(session_factory(engine), write=True) as session:
            report = sync_library(session)
            release_left_behind(session)
            purge_logins(session)  # ended logins and stale sign-in counts are not kept
            if demo:
                if demo_exists(session):
                    demo_outcome = "present"
                elif session.scalar(sa.select(Organization.id).limit(1)) is not None:
                    demo_outcome = "not empty"
                else:
                    load_demo(session)
                    demo_outcome = "loaded"
            if admin_user is not None:
                organization = session.scalar(
                    sa.select(Organization).order_by(Organization.id).limit(1)
                )
                if organization is None:
                    organization = create_organization(
                        session, organization_name or DEFAULT_ORGANIZATION_NAME
                    )
                user = add_user(
                    session,
                    organization,
                    admin_user,
                    admin_password or "",
                    role=Role.ADMIN,
                )
                admin_user = user.username
                organization_slug = organization.slug
        return InitReport(
            database=engine.url.render_as_string(hide_password=True),
            revision=head_revision(),
            library=report,
            organization=organization_slug,
            admin=admin_user,
            demo=demo_outcome,
        )
    finally:
        engine.dispose()


def has_admin(url: str | URL | None = None) -> bool:
    """Whether any active admin exists (the app's sign-in page says how to add one if not)."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                sa.select(User.id)
                .where(User.role == Role.ADMIN.value, User.active.is_(True))
                .limit(1)
            ).first()
            return found is not None
    finally:
        engine.dispose()
