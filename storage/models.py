"""The stored state of tisa: one SQLAlchemy model per entity of DESIGN.md section 4.

Conventions, so that the same migration gives the same schema on SQLite and PostgreSQL:

- every constraint and index is named by `NAMING_CONVENTION` (Alembic can then alter or drop it
  by name on both databases);
- closed vocabularies (roles, statuses, kinds) are strings with a named CHECK constraint rather
  than database enums, which SQLite lacks;
- timestamps are `UTCDateTime`: ``DateTime(timezone=True)`` that always hands back an aware UTC
  datetime, also on SQLite, which has no time-zone type;
- defaults are callables evaluated at insert time (`utc_now`, `random_id`), never values
  computed at import.

Anonymity by design (DESIGN.md section 6) is a property of this schema, and
``tests/storage/test_anonymity_schema.py`` and ``tests/storage/test_storage_attacks.py`` check it:

- `Response`, `Answer` and `Comment` reference only the round and the round's unit snapshot:
  no column of theirs points at an access code, a draft, a user, a login session or a unit link;
- their primary keys are random UUIDs (answers: the response's UUID and the item id), so no
  key reveals the order of submission; on SQLite they are ``WITHOUT ROWID`` tables, whose
  hidden ``rowid`` would otherwise count submissions in order;
- a response's time is a date (`Response.submitted_on`), its duration a coarse bucket;
- the participation ledger (`AccessCode`, the SHA-256 of each code) is written when codes are
  issued and when someone starts from a unit link (with the date only), never when a
  respondent saves or submits: its rows carry no trace of who answered;
- a code's use (`CodeClaim`) and its answers in progress (`Draft`) are keyed by
  HMAC-SHA256(`Round.claim_key`, code), a hash the ledger does not hold, so without the plain
  code no query joins a ledger row to a claim, a draft or a sealed submission;
- submitted answers wait in `SealedSubmission` while the round is open and are written into
  `Response`, `Answer` and `Comment` only when it closes, all at once and shuffled; the round's
  sealed rows, drafts and claims are then deleted and its claim key wiped
  (`storage.round_service.close_round`), and `storage.scrub` clears what the database engine
  keeps of deleted rows;
- nothing a respondent did is stored with a time finer than a date.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from instruments import Instrument, instrument_from_json

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utc_now() -> datetime:
    """The current time, aware and in UTC: the default of every timestamp column."""
    return datetime.now(UTC)


def new_claim_key() -> str:
    """A round's claim key: 256 random bits as hex (see `Round.claim_key`)."""
    return secrets.token_hex(32)


def today_utc() -> date:
    """Today's date in UTC: the only time stored next to anything a respondent did."""
    return datetime.now(UTC).date()


def random_id() -> str:
    """A random UUID4 as text: a primary key that says nothing about when a row was written."""
    return str(uuid.uuid4())


class UTCDateTime(sa.TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that stores UTC and always returns an aware UTC datetime.

    PostgreSQL keeps the zone (``timestamptz``); SQLite stores text without a zone and would hand
    back naive datetimes, which cannot be compared with aware ones. A naive datetime is refused
    on the way in, since its zone would be a guess.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                f"naive datetime {value.isoformat()} cannot be stored: pass an aware datetime, "
                "e.g. datetime.now(UTC)"
            )
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _one_of(column: str, values: type[StrEnum] | tuple[str, ...]) -> str:
    """SQL for a CHECK that `column` holds one of `values`."""
    listed = ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)
    return f"{column} IN ({listed})"


# -- vocabularies ----------------------------------------------------------------------------


class Role(StrEnum):
    """What a signed-in user may do: admins run the organization, managers read their units."""

    ADMIN = "admin"
    MANAGER = "manager"


class InstrumentStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class InstrumentForm(StrEnum):
    STAFF = "staff"
    LEADERSHIP = "leadership"
    PULSE = "pulse"


class InstrumentOrigin(StrEnum):
    """Where a stored instrument version came from."""

    LIBRARY = "library"  # bundled with tisa, kept in step by `sync_library`
    UPLOAD = "upload"  # an agency's own instrument


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class CodeKind(StrEnum):
    SINGLE = "single"  # a single-use code handed out by leadership
    LINK = "link"  # a resume code issued when someone starts from a unit link


class CodeState(StrEnum):
    """What the ledger and `storage.round_service.code_counts` speak of. A ledger row is
    always stored as ISSUED; SUBMITTED marks only codes used before revision 0003, and is
    never written any more (a code's use is a `CodeClaim`)."""

    ISSUED = "issued"
    STARTED = "started"
    SUBMITTED = "submitted"


class ResponseMode(StrEnum):
    WEB = "web"
    PAPER = "paper"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    DONE = "done"
    DROPPED = "dropped"


# Seconds per answered item, coarse on purpose: a duration fine enough to be a fingerprint is
# never stored. '<2' is the threshold of the "too fast" quality flag (DESIGN.md section 7).
SECONDS_PER_ITEM_BUCKETS = ("<2", "2-5", "5-10", "10+")

MIN_GROUP_SIZE_RANGE = (3, 10)
DEFAULT_MIN_GROUP_SIZE = 5
DEFAULT_MIN_COMMENT_GROUP_SIZE = 10


class Base(DeclarativeBase):
    metadata = metadata


# -- organizations, units, people ------------------------------------------------------------


class Organization(Base):
    """An agency. Several may share one deployment; everything else belongs to one."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    units: Mapped[list[Unit]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True
    )
    users: Mapped[list[User]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Organization(id={self.id!r}, slug={self.slug!r})"


class Unit(Base):
    """A unit of an organization (a region, an office, a team); units form a tree."""

    __tablename__ = "units"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "code"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    code: Mapped[str] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    organization: Mapped[Organization] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(back_populates="children", remote_side=[id])
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"Unit(id={self.id!r}, code={self.code!r})"


class User(Base):
    """Someone who signs in: an admin of the organization or a manager scoped to units.

    Staff who answer surveys are never users: they are anonymous.
    """

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(_one_of("role", Role), name="role"),
        sa.CheckConstraint("failed_attempts >= 0", name="failed_attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Wrong passwords since the last sign-in, for the audit trail; it never locks the account
    # (sign-in delays are kept in `SignInThrottle`).
    failed_attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    organization: Mapped[Organization] = relationship(back_populates="users")
    scope_units: Mapped[list[Unit]] = relationship(
        secondary="user_unit_scopes", order_by="Unit.name"
    )

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, username={self.username!r}, role={self.role!r})"


class UserUnitScope(Base):
    """A unit a manager may read reports for (with the units below it)."""

    __tablename__ = "user_unit_scopes"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LoginSession(Base):
    """A signed-in browser session; only a hash of its token is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the browser was last seen (to the minute), for the idle timeout; None: never since
    # `created_at`.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignInThrottle(Base):
    """How many sign-ins failed for one key, and until when the next one must wait.

    A key is the SHA-256 of what is counted: one account from one place (an address or a
    trusted browser), one address for every account, or one account from every unknown place
    (`storage.signin_limits`). Kept in the database so that every replica sees the same counts.
    `trusted_until` marks an account's usual place: set when the right password came from it.
    """

    __tablename__ = "sign_in_throttles"
    __table_args__ = (sa.CheckConstraint("failures >= 0", name="failures_not_negative"),)

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    trusted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


# -- instruments -----------------------------------------------------------------------------


class InstrumentVersion(Base):
    """One frozen version of an instrument: its canonical JSON and that text's SHA-256.

    `definition` is `instruments.canonical_json` of the version as first stored and `sha256` is
    `instruments.content_hash` of it; both never change once the version is published, so a
    round that pins the version keeps exactly what its respondents saw. `status` is the
    lifecycle as it stands now (a published version may later be retired) and is the one
    authority on it; the copy of the status inside `definition` is the one it was stored with.
    """

    __tablename__ = "instrument_versions"
    __table_args__ = (
        sa.UniqueConstraint("instrument_id", "version"),
        sa.CheckConstraint(_one_of("status", InstrumentStatus), name="status"),
        sa.CheckConstraint(_one_of("form", InstrumentForm), name="form"),
        sa.CheckConstraint(_one_of("origin", InstrumentOrigin), name="origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    form: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16))
    origin: Mapped[str] = mapped_column(sa.String(16), default=InstrumentOrigin.LIBRARY.value)
    definition: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    @property
    def ref(self) -> str:
        return f"{self.instrument_id}@{self.version}"

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))

    def instrument(self) -> Instrument:
        """The frozen definition as an `Instrument` (with the stored status as it was)."""
        return instrument_from_json(self.definition, source=f"stored {self.ref}")

    def __repr__(self) -> str:
        return f"InstrumentVersion({self.ref!r}, status={self.status!r})"


# -- rounds and the participation ledger -----------------------------------------------------


class Round(Base):
    """One assessment round: what launching froze (instrument, units, languages, thresholds)."""

    __tablename__ = "rounds"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "name"),
        sa.CheckConstraint(_one_of("status", RoundStatus), name="status"),
        sa.CheckConstraint(
            f"min_group_size BETWEEN {MIN_GROUP_SIZE_RANGE[0]} AND {MIN_GROUP_SIZE_RANGE[1]}",
            name="min_group_size_range",
        ),
        sa.CheckConstraint(
            "min_comment_group_size >= min_group_size", name="comment_threshold_not_below_k"
        ),
        sa.CheckConstraint(
            "opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on",
            name="dates_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    instrument_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument_versions.id"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default=RoundStatus.DRAFT.value)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["en"])
    opens_on: Mapped[date | None] = mapped_column(sa.Date)
    closes_on: Mapped[date | None] = mapped_column(sa.Date)
    min_group_size: Mapped[int] = mapped_column(default=DEFAULT_MIN_GROUP_SIZE)
    min_comment_group_size: Mapped[int] = mapped_column(default=DEFAULT_MIN_COMMENT_GROUP_SIZE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The secret under which codes are claimed and drafts kept while the round is open
    # (HMAC-SHA256 of the code); wiped (None) when the round closes.
    claim_key: Mapped[str | None] = mapped_column(sa.String(64), default=new_claim_key)

    organization: Mapped[Organization] = relationship()
    instrument_version: Mapped[InstrumentVersion] = relationship()
    units: Mapped[list[RoundUnit]] = relationship(
        back_populates="round",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RoundUnit.id",
    )

    def __repr__(self) -> str:
        return f"Round(id={self.id!r}, name={self.name!r}, status={self.status!r})"


class RoundUnit(Base):
    """A unit as it stood when the round was launched: the round's frozen units snapshot.

    Renaming or moving a unit later never changes a past round; `unit_id` points back at the
    living unit while it exists, and `parent_id` at the parent's snapshot in the same round.
    """

    __tablename__ = "round_units"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "unit_id"),
        sa.UniqueConstraint("round_id", "code"),
        sa.CheckConstraint("invited IS NULL OR invited >= 0", name="invited_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    invited: Mapped[int | None]

    round: Mapped[Round] = relationship(back_populates="units")
    parent: Mapped[RoundUnit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"RoundUnit(id={self.id!r}, round_id={self.round_id!r}, code={self.code!r})"


class AccessCode(Base):
    """The participation ledger: one row per access code, stored only as its SHA-256.

    A row is written when codes are issued, or when someone starts from a unit link (then
    `kind` is LINK and `issued_on` that day's date), and is never changed by a respondent:
    whether a code was used is recorded in `CodeClaim` under another hash. It shares no key
    with `Response`, `Draft`, `CodeClaim` or `SealedSubmission`.
    """

    __tablename__ = "access_codes"
    __table_args__ = (
        sa.CheckConstraint(_one_of("kind", CodeKind), name="kind"),
        sa.CheckConstraint(_one_of("state", CodeState), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    round_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16), default=CodeState.ISSUED.value)
    issued_on: Mapped[date] = mapped_column(sa.Date, default=today_utc)

    round_unit: Mapped[RoundUnit] = relationship()


class UnitLink(Base):
    """An open link for one unit of a round; whoever starts from it gets a fresh resume code."""

    __tablename__ = "unit_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    round_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    round_unit: Mapped[RoundUnit] = relationship()


class CodeClaim(Base):
    """A code that has been used to submit, while its round is open: HMAC-SHA256 of the
    normalized code under the round's `Round.claim_key` (hex). The primary key refuses a
    second submission of the same code. No time, no unit, no link to the ledger; the round's
    claims are deleted when it closes."""

    __tablename__ = "code_claims"
    __table_args__ = ({"sqlite_with_rowid": False},)

    claim_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )


class Draft(Base):
    """Answers in progress, keyed like `CodeClaim` (the keyed hash, not the ledger's);
    deleted when the response is submitted, in the same transaction, and at the latest when
    the round closes.

    `answers` maps item id to a scale point or ``"NA"``; `comments` maps domain id (or ``""``
    for the closing question) to text. Both track in-place changes of their top-level keys.
    `active_seconds` is time spent answering, from which the submitted response keeps only a
    seconds-per-item bucket; `updated_on` is a date, never a time.
    """

    __tablename__ = "drafts"
    __table_args__ = ({"sqlite_with_rowid": False},)

    claim_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    round_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(sa.String(8))
    answers: Mapped[dict[str, Any]] = mapped_column(MutableDict.as_mutable(sa.JSON), default=dict)
    comments: Mapped[dict[str, str]] = mapped_column(MutableDict.as_mutable(sa.JSON), default=dict)
    role: Mapped[str | None] = mapped_column(sa.String(40))
    current_page: Mapped[int] = mapped_column(default=0)
    active_seconds: Mapped[int] = mapped_column(default=0)
    updated_on: Mapped[date] = mapped_column(sa.Date, default=today_utc, onupdate=today_utc)


# -- what was heard: responses, answers, comments --------------------------------------------


class Response(Base):
    """One submitted questionnaire, anonymous by construction (see the module docstring).

    `role` is self-reported (None: prefer not to say); `submitted_on` is a date only;
    `seconds_per_item_bucket` is one of `SECONDS_PER_ITEM_BUCKETS` (None for paper);
    `quality_flags` lists data-quality flags such as ``"longstring"``.
    """

    __tablename__ = "responses"
    __table_args__ = (
        sa.CheckConstraint(_one_of("mode", ResponseMode), name="mode"),
        sa.CheckConstraint(
            "seconds_per_item_bucket IS NULL OR "
            + _one_of("seconds_per_item_bucket", SECONDS_PER_ITEM_BUCKETS),
            name="seconds_per_item_bucket",
        ),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=random_id)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    round_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str | None] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(8))
    mode: Mapped[str] = mapped_column(sa.String(8))
    submitted_on: Mapped[date] = mapped_column(sa.Date)
    seconds_per_item_bucket: Mapped[str | None] = mapped_column(sa.String(8))
    quality_flags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """The answer to one item of one response.

    A skipped item has no row, or a row with neither a value nor not-applicable; "not
    applicable / unable to rate" is missing, never a value. The primary key (response, item) is
    also the rule that an item is answered at most once per response; there is no serial id,
    which would number the answers, and so the responses, in the order they arrived.
    """

    __tablename__ = "answers"
    __table_args__ = (
        sa.CheckConstraint(
            "value IS NULL OR NOT not_applicable", name="not_applicable_has_no_value"
        ),
        {"sqlite_with_rowid": False},
    )

    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    value: Mapped[int | None]
    not_applicable: Mapped[bool] = mapped_column(default=False)

    response: Mapped[Response] = relationship(back_populates="answers")


class Comment(Base):
    """A comment written in a round, for a domain (None: the closing open question).

    Deliberately not linked to a response (whose answers could identify the writer) and
    undated; reports show comments only for groups of at least the comment threshold.
    """

    __tablename__ = "comments"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=random_id)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    round_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    domain_id: Mapped[str | None] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)


class SealedSubmission(Base):
    """A submitted questionnaire (web or paper) waiting for its round to close.

    Submitting writes this row, the code's `CodeClaim` and deletes the draft in one
    transaction; nothing about it is written to the ledger. `payload` holds the answers,
    comments, role, language, mode, the seconds-per-item bucket, the quality flags and the
    date. `storage.round_service.close_round` writes every sealed submission of the round into
    `Response`, `Answer` and `Comment` at once, in a random order with random ids, and
    deletes these rows.
    """

    __tablename__ = "sealed_submissions"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=random_id)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    round_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("round_units.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


# -- acting on results, and the audit log ----------------------------------------------------


class ActionItem(Base):
    """Something the organization will do about a domain (or one item) after a round."""

    __tablename__ = "action_items"
    __table_args__ = (sa.CheckConstraint(_one_of("status", ActionStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    domain_id: Mapped[str] = mapped_column(sa.String(16))
    item_id: Mapped[str | None] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    indicator: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=ActionStatus.PLANNED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class AuditEvent(Base):
    """An admin action (who did what to which thing, when). Never survey activity."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    target: Mapped[str] = mapped_column(sa.String(300), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)


# -- the report of a closed round, kept --------------------------------------------------------


class RoundReport(Base):
    """The report of a closed round for one scope, computed once when the round closed and kept
    as it was (`reports.frozen`): the JSON of `reports.builder.Report` without action items,
    and its SHA-256. One row per (round, scope); `scope_key` is the round unit's id, or -1 for
    the agency as a whole."""

    __tablename__ = "round_reports"
    __table_args__ = (sa.UniqueConstraint("round_id", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"))
    scope_key: Mapped[int]
    report: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
