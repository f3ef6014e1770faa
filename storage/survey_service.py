"""The anonymous survey: open it with a code or a unit link, save a draft, submit once.

Each function is one step the caller runs in one `transaction(write=True)`; none commits.

What is guaranteed (DESIGN.md section 6, and the threat model in docs/anonymity.md):

- The participation ledger (`AccessCode`, the SHA-256 of each code) is only read here. Nothing
  a respondent does changes it; starting from a unit link adds a ledger row (kind ``link``,
  dated by day) in a transaction of its own, before anything is answered.
- A code's use is recorded in `CodeClaim` under HMAC-SHA256(the round's `claim_key`, the
  normalized code), and its draft is kept under the same keyed hash: a hash the ledger does
  not hold. Without the plain code no SQL query joins a ledger row to a claim, a draft or a
  sealed submission; on PostgreSQL no row the respondent writes shares a transaction id with
  a ledger row.
- `submit_response` is one short transaction: insert the claim (its primary key refuses a
  second submission of the same code, whatever the timing: two tabs, two servers), insert the
  sealed submission (answers, comments, role, language, time bucket, flags, date), delete the
  draft. Nothing runs after it commits, so once the answers are stored the respondent sees the
  thank-you page. A database error is reported as `SubmissionFailed`, whose text holds no code,
  hash, answer or comment.
- Nothing is released while the round is open: `storage.round_service.close_round` writes the
  round's sealed submissions into responses at close, shuffled, and deletes every draft, claim
  and sealed row of the round and the claim key; `storage.scrub.scrub_after_close` then clears
  what the database engine keeps of deleted rows.
- Time: drafts carry a date (`Draft.updated_on`), a submission its date and a coarse
  seconds-per-item bucket; nothing finer.

What remains possible while a round is open, for someone holding both the database and the
list of plain codes (an admin who is also the database administrator): computing each
code's keyed hash with the round's claim key, and so reading which codes were used and their
drafts and sealed answers. That is why the claim key is wiped at close, and why the code list
should be handed out at random, away from the person who can read the database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from instruments import Instrument, instrument_from_json
from instruments.text import COMMENT_MAX, TextRefused, clean_text, needs_scrub, scrub_text
from scoring.quality import quality_flags
from storage.access_codes import format_code, hash_code, hash_token, new_code, normalize_code
from storage.errors import Conflict, InvalidInput, NotFound, StorageError
from storage.models import (
    SECONDS_PER_ITEM_BUCKETS,
    AccessCode,
    Answer,
    CodeClaim,
    CodeKind,
    CodeState,
    Comment,
    Draft,
    Response,
    ResponseMode,
    Round,
    RoundStatus,
    RoundUnit,
    SealedSubmission,
    UnitLink,
    random_id,
    today_utc,
)
from storage.text_fields import shown

NOT_APPLICABLE = "NA"
MAX_COMMENT_LENGTH = COMMENT_MAX
# The self-reported role, from a short list; None is "prefer not to say".
RESPONDENT_ROLES = ("frontline", "supervisor", "manager", "support", "other")
CLOSING_COMMENT = ""  # the comments key of the closing open question (no domain)


class SurveyUnavailable(Conflict):
    """The survey cannot be answered with this code now; `reason` says why, for the page to
    say so in the respondent's language."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "unknown", "used", "not_open", "closed", "link_inactive"


@dataclass(frozen=True)
class SurveyState:
    """What the survey page needs, as plain data: the round, the unit, the saved answers."""

    code: str  # the normalized code, formatted for reading
    round_id: int
    round_name: str
    round_status: str
    closes_on: date | None
    languages: tuple[str, ...]
    min_group_size: int
    min_comment_group_size: int
    unit_name: str
    instrument: Instrument
    answers: dict[str, int | str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    role: str | None = None
    language: str | None = None
    current_page: int = 0
    active_seconds: int = 0


@dataclass(frozen=True)
class DraftUpdate:
    """What a save sends (the survey saves as each answer, comment or role is given, and on
    every change of page or language): the answers so far (item id → point or ``"NA"``),
    comments (domain id → text), the role, the language, the page, and seconds spent since the
    last save. It always carries the whole draft, so a save that is lost is made good by the
    next one."""

    answers: Mapping[str, int | str]
    comments: Mapping[str, str]
    role: str | None
    language: str
    current_page: int
    added_seconds: int = 0


class SubmissionFailed(StorageError):
    """The database could not store a submission; nothing of it was kept. The message (and
    the exception, which carries no cause) holds no code, hash, answer or comment."""


@dataclass(frozen=True)
class Released:
    """What `release_round` wrote: responses, answers and comments; and how many sealed rows
    it had to clean (text an older tisa kept with control characters) or skip (a payload it
    cannot read), counted and never described."""

    responses: int
    answers: int
    comments: int
    cleaned: int = 0
    skipped: int = 0


# -- opening ---------------------------------------------------------------------------------


def open_survey(session: Session, typed_code: str) -> SurveyState:
    """The survey behind a code, with its draft if one was saved.

    Raises `SurveyUnavailable` when the code is unknown or used, or the round is not open.
    """
    normalized, code_row, round_ = _code_and_round(session, typed_code)
    claim = claim_hash(round_, normalized)
    if session.get(CodeClaim, claim) is not None:
        raise _used()
    draft = session.get(Draft, claim)
    unit = session.get(RoundUnit, code_row.round_unit_id)
    instrument = _instrument(round_)
    return SurveyState(
        code=format_code(normalized),
        round_id=round_.id,
        round_name=round_.name,
        round_status=round_.status,
        closes_on=round_.closes_on,
        languages=tuple(round_.languages),
        min_group_size=round_.min_group_size,
        min_comment_group_size=round_.min_comment_group_size,
        unit_name=unit.name if unit is not None else "",
        instrument=instrument,
        answers=dict(draft.answers) if draft else {},
        comments=dict(draft.comments) if draft else {},
        role=draft.role if draft else None,
        language=draft.language if draft else None,
        current_page=draft.current_page if draft else 0,
        active_seconds=draft.active_seconds if draft else 0,
    )


def start_from_link(session: Session, token: str) -> str:
    """A fresh resume code for someone starting from an open unit link, shown to them so they
    can come back. Only its ledger row is written (kind ``link``, with today's date); the
    draft comes with the first save. Run it in a transaction of its own."""
    link = session.scalar(
        sa.select(UnitLink).where(UnitLink.token_hash == hash_token(token.strip()))
    )
    if link is None or not link.active:
        raise SurveyUnavailable(
            "link_inactive",
            "this survey link does not work (any more); ask for a new link or an access code",
        )
    round_ = session.get(Round, link.round_id)
    _require_open(round_)
    while True:
        code = new_code()
        digest = hash_code(normalize_code(code) or "")
        if session.scalar(sa.select(AccessCode.id).where(AccessCode.code_hash == digest)) is None:
            break
    session.execute(
        sa.insert(AccessCode).values(
            round_id=round_.id,
            round_unit_id=link.round_unit_id,
            code_hash=digest,
            kind=CodeKind.LINK.value,
            state=CodeState.ISSUED.value,
            issued_on=today_utc(),
        )
    )
    return code


def claim_hash(round_: Round, normalized_code: str) -> str:
    """HMAC-SHA256 (hex) of a normalized code under the round's claim key: the key of the
    code's claim and draft. Refused (`SurveyUnavailable` "closed") once the key is wiped."""
    if not round_.claim_key:
        raise SurveyUnavailable(
            "closed", f"the round {round_.name!r} is closed and accepts no more answers"
        )
    return hmac.new(
        bytes.fromhex(round_.claim_key), normalized_code.encode("ascii"), hashlib.sha256
    ).hexdigest()


# -- saving and submitting -------------------------------------------------------------------


def save_draft(session: Session, typed_code: str, update: DraftUpdate) -> None:
    """Store the answers so far (as each one is given), under the code's keyed hash, dated by
    day, in one upsert. The ledger is not touched."""
    normalized, code_row, round_ = _code_and_round(session, typed_code, lock=True)
    claim = claim_hash(round_, normalized)
    if session.get(CodeClaim, claim) is not None:
        raise _used()
    instrument = _instrument(round_)
    answers, comments, role = _clean(instrument, update)
    language = _language(round_, update.language)
    values = {
        "answers": answers,
        "comments": comments,
        "role": role,
        "language": language,
        "current_page": max(0, int(update.current_page)),
        "updated_on": today_utc(),
    }
    added = max(0, int(update.added_seconds))
    insert = _insert_for(session, Draft).values(
        claim_hash=claim,
        round_id=round_.id,
        round_unit_id=code_row.round_unit_id,
        active_seconds=added,
        **values,
    )
    table = Draft.__table__
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.claim_hash],
            set_={**values, "active_seconds": table.c.active_seconds + added},
        )
    )


def submit_response(
    session: Session,
    typed_code: str,
    update: DraftUpdate,
    *,
    today: date | None = None,
) -> None:
    """Submit: claim the code under its keyed hash, seal the answers, delete the draft.

    Raises `SurveyUnavailable` ("used") when the code was already submitted, also when two
    submissions race: only one claim of a code is ever stored. Raises `SubmissionFailed`
    when the database refuses the submission for another reason (nothing is kept).
    """
    normalized, code_row, round_ = _code_and_round(session, typed_code, lock=True)
    claim = claim_hash(round_, normalized)
    instrument = _instrument(round_)
    answers, comments, role = _clean(instrument, update)
    language = _language(round_, update.language)
    try:
        seconds = session.scalar(
            sa.select(Draft.active_seconds).where(Draft.claim_hash == claim)
        ) or 0
        seconds += max(0, int(update.added_seconds))
        claimed = session.scalar(
            _insert_for(session, CodeClaim)
            .values(claim_hash=claim, round_id=round_.id)
            .on_conflict_do_nothing(index_elements=[CodeClaim.__table__.c.claim_hash])
            .returning(CodeClaim.round_id)
        )
        if claimed is None:  # the code's claim is stored already: no error, nothing logged
            raise _used()
        bucket, flags = _timing_and_quality(instrument, answers, seconds)
        _seal(
            session,
            round_.id,
            code_row.round_unit_id,
            answers,
            comments,
            role=role,
            language=language,
            mode=ResponseMode.WEB,
            bucket=bucket,
            flags=flags,
            submitted_on=today or today_utc(),
        )
        session.execute(sa.delete(Draft).where(Draft.claim_hash == claim))
    except sa.exc.DBAPIError:
        # The driver's message may quote the row it refused (PostgreSQL's DETAIL does): it is
        # dropped, with the exception it came from.
        raise SubmissionFailed(
            "your answers could not be stored just now and nothing was kept; please submit "
            "again"
        ) from None


def seal_response(
    session: Session,
    round_: Round,
    round_unit_id: int,
    instrument: Instrument,
    answers: Mapping[str, int | str],
    comments: Mapping[str, str],
    *,
    role: str | None,
    language: str,
    mode: ResponseMode,
    seconds: float | None,
    today: date | None = None,
) -> None:
    """Seal one response that no access code stands behind (a paper form, the demo) like a
    web submission (answers already checked); `seconds` None (paper) stores no time bucket.
    It is released with the others when the round closes."""
    bucket, flags = _timing_and_quality(instrument, answers, seconds)
    _seal(
        session,
        round_.id,
        round_unit_id,
        answers,
        comments,
        role=role,
        language=language,
        mode=mode,
        bucket=bucket,
        flags=flags,
        submitted_on=today or today_utc(),
    )


@dataclass(frozen=True)
class PaperForm:
    """One paper form, checked: its round unit, answers, self-reported role and language, and
    its quality flags (`paper_quality_flags`)."""

    round_unit_id: int
    answers: Mapping[str, int | str]
    role: str | None
    language: str
    flags: tuple[str, ...] = ()


def paper_quality_flags(shown: np.ndarray) -> list[tuple[str, ...]]:
    """The quality flags `seal_response` stores, for many paper forms at once: ``shown`` holds
    their answers in the instrument's item order (``nan`` for skipped and not applicable),
    one row per form. Paper has no timing, so no form is flagged for speed."""
    quality = quality_flags(shown, seconds_per_item=np.full(shown.shape[0], np.nan))
    named = (
        ("longstring", quality.longstring_flag),
        ("zero_variance", quality.zero_variance_flag),
        ("too_fast", quality.speed_flag),
    )
    return [
        tuple(name for name, flagged in named if flagged[n]) for n in range(shown.shape[0])
    ]


def seal_paper_forms(
    session: Session,
    round_: Round,
    forms: list[PaperForm],
    *,
    today: date | None = None,
    batch_size: int = 1000,
) -> None:
    """Seal many paper forms (answers checked, flags computed) like `seal_response` seals one,
    in the caller's transaction: the rows are inserted `batch_size` at a time (one executemany
    each), so a large file holds the write lock for seconds, not minutes. No time bucket
    (paper has no timing)."""
    submitted_on = today or today_utc()
    for start in range(0, len(forms), batch_size):
        rows = [
            {
                "id": random_id(),
                "round_id": round_.id,
                "round_unit_id": form.round_unit_id,
                "payload": _payload(
                    form.answers,
                    {},
                    role=form.role,
                    language=form.language,
                    mode=ResponseMode.PAPER,
                    bucket=None,
                    flags=list(form.flags),
                    submitted_on=submitted_on,
                ),
            }
            for form in forms[start : start + batch_size]
        ]
        session.execute(sa.insert(SealedSubmission), rows)


def _payload(
    answers: Mapping[str, int | str],
    comments: Mapping[str, str],
    *,
    role: str | None,
    language: str,
    mode: ResponseMode,
    bucket: str | None,
    flags: list[str],
    submitted_on: date,
) -> dict[str, object]:
    """What a sealed submission holds (`SealedSubmission.payload`)."""
    return {
        "answers": dict(answers),
        "comments": dict(comments),
        "role": role,
        "language": language,
        "mode": mode.value,
        "bucket": bucket,
        "flags": list(flags),
        "submitted_on": submitted_on.isoformat(),
    }


def _seal(
    session: Session,
    round_id: int,
    round_unit_id: int,
    answers: Mapping[str, int | str],
    comments: Mapping[str, str],
    *,
    role: str | None,
    language: str,
    mode: ResponseMode,
    bucket: str | None,
    flags: list[str],
    submitted_on: date,
) -> None:
    session.execute(
        sa.insert(SealedSubmission).values(
            id=random_id(),
            round_id=round_id,
            round_unit_id=round_unit_id,
            payload=_payload(
                answers,
                comments,
                role=role,
                language=language,
                mode=mode,
                bucket=bucket,
                flags=flags,
                submitted_on=submitted_on,
            ),
        )
    )


# -- closing ---------------------------------------------------------------------------------


def release_round(session: Session, round_: Round) -> Released:
    """Write every sealed submission of the round into its responses, answers and comments,
    then delete the round's sealed rows, drafts and claims and wipe its claim key.

    Part of `storage.round_service.close_round`'s transaction (the caller locks the round).
    Responses are written in a random order (`secrets.SystemRandom`), comments in another
    random order apart from their responses, all with random ids, each table in one bulk
    insert; on PostgreSQL they all carry the closing transaction's id.

    One bad row never stops a release: a comment an older tisa sealed with control characters
    (which PostgreSQL cannot store, NUL above all) is released cleaned (`scrub_text`); a row
    whose payload cannot be read is left out. Both are only counted (`Released.cleaned`,
    `Released.skipped`), so the close's audit event says how many, and nothing about whom.
    """
    rng = secrets.SystemRandom()
    sealed = [
        (unit_id, payload)
        for unit_id, payload in session.execute(
            sa.select(SealedSubmission.round_unit_id, SealedSubmission.payload).where(
                SealedSubmission.round_id == round_.id
            )
        )
    ]
    rng.shuffle(sealed)
    responses: list[dict[str, object]] = []
    answers: list[tuple[str, str, int | None, bool]] = []
    comments: list[dict[str, object]] = []
    cleaned = skipped = 0
    for unit_id, payload in sealed:
        try:
            row = _SealedRow.read(payload)
        except _Unreadable:
            skipped += 1
            continue
        cleaned += row.cleaned
        comments.extend(
            {
                "id": random_id(),
                "round_id": round_.id,
                "round_unit_id": unit_id,
                "domain_id": domain_id or None,
                "text": text,
            }
            for domain_id, text in row.comments.items()
        )
        if row.answers is None:
            continue  # comments an older tisa held back after releasing their response
        response_id = random_id()
        responses.append(
            {
                "id": response_id,
                "round_id": round_.id,
                "round_unit_id": unit_id,
                "role": row.role,
                "language": row.language,
                "mode": row.mode,
                "submitted_on": row.submitted_on,
                "seconds_per_item_bucket": row.bucket,
                "quality_flags": row.flags,
            }
        )
        answers.extend(
            (
                response_id,
                item_id,
                value if isinstance(value, int) else None,
                value == NOT_APPLICABLE,
            )
            for item_id, value in row.answers.items()
        )
    rng.shuffle(comments)  # answers follow their (shuffled) responses
    if responses:
        session.execute(sa.insert(Response), responses)
    if answers:
        _insert_answers(session, answers)
    if comments:
        session.execute(sa.insert(Comment), comments)
    for model in (SealedSubmission, Draft, CodeClaim):
        session.execute(sa.delete(model).where(model.round_id == round_.id))
    round_.claim_key = None
    session.flush()
    return Released(len(responses), len(answers), len(comments), cleaned, skipped)


class _Unreadable(Exception):
    """A sealed payload that cannot be released as it is (never says what it holds)."""


_ID_MAX = 16  # the width of the item and domain id columns


def _plain_id(value: object) -> str:
    if not isinstance(value, str) or len(value) > _ID_MAX or needs_scrub(value, multiline=False):
        raise _Unreadable
    return value


@dataclass(frozen=True)
class _SealedRow:
    """One sealed payload, checked and with its text cleaned, ready to release."""

    comments: dict[str, str]
    answers: dict[str, int | str] | None
    role: str | None
    language: str
    mode: str
    submitted_on: date | None
    bucket: str | None
    flags: list[str]
    cleaned: bool

    @classmethod
    def read(cls, payload: object) -> _SealedRow:
        """The row, or `_Unreadable` when any part of it has the wrong shape."""
        if not isinstance(payload, dict):
            raise _Unreadable
        raw_comments = payload.get("comments") or {}
        if not isinstance(raw_comments, dict):
            raise _Unreadable
        comments: dict[str, str] = {}
        cleaned = False
        for domain_id, text in raw_comments.items():
            if not isinstance(text, str):
                raise _Unreadable
            kept = scrub_text(text)
            cleaned = cleaned or needs_scrub(text)
            if kept:
                comments[_plain_id(domain_id) if domain_id else CLOSING_COMMENT] = kept
        if "answers" not in payload:
            return cls(comments, None, None, "", "", None, None, [], cleaned)
        raw_answers = payload["answers"]
        if not isinstance(raw_answers, dict):
            raise _Unreadable
        answers: dict[str, int | str] = {}
        for item_id, value in raw_answers.items():
            if isinstance(value, bool) or not (
                isinstance(value, int) and -(2**31) < value < 2**31 or value == NOT_APPLICABLE
            ):
                raise _Unreadable
            answers[_plain_id(item_id)] = value
        role = payload.get("role")
        if role is not None and role not in RESPONDENT_ROLES:
            role, cleaned = None, True  # an unknown role is released as "prefer not to say"
        language = payload.get("language")
        mode = payload.get("mode", ResponseMode.WEB.value)
        bucket = payload.get("bucket")
        flags = payload.get("flags") or []
        if (
            not isinstance(language, str)
            or not 0 < len(language) <= 8
            or needs_scrub(language, multiline=False)
            or mode not in {m.value for m in ResponseMode}
            or (bucket is not None and bucket not in SECONDS_PER_ITEM_BUCKETS)
            or not isinstance(flags, list)
            or not all(isinstance(flag, str) and flag.isidentifier() for flag in flags)
        ):
            raise _Unreadable
        try:
            submitted_on = date.fromisoformat(payload["submitted_on"])
        except (KeyError, TypeError, ValueError):
            raise _Unreadable from None
        return cls(comments, answers, role, language, mode, submitted_on, bucket, flags, cleaned)


_ANSWER_COLUMNS = ("response_id", "item_id", "value", "not_applicable")


def _insert_answers(session: Session, rows: list[tuple[str, str, int | None, bool]]) -> None:
    """All the answers of a closing round at once, through the driver: ``COPY`` on
    PostgreSQL, one ``executemany`` on SQLite (both in the session's transaction). A failure
    is reported without the driver's text, which may quote a row."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    columns = ", ".join(_ANSWER_COLUMNS)
    try:
        if connection.dialect.name == "postgresql":
            with driver.cursor() as cursor:
                with cursor.copy(f"COPY answers ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            driver.executemany(f"INSERT INTO answers ({columns}) VALUES (?, ?, ?, ?)", rows)
    except Exception:
        raise StorageError(
            "the round's answers could not be written; nothing was changed, and the round is "
            "still open: try closing it again"
        ) from None


def release_left_behind(session: Session) -> int:
    """Release what an older tisa left sealed in rounds that are no longer open (comments held
    back by an interrupted release); returns how many rounds. Run at start-up."""
    rounds = list(
        session.scalars(
            sa.select(Round).where(
                Round.status.in_((RoundStatus.CLOSED.value, RoundStatus.PUBLISHED.value)),
                Round.id.in_(sa.select(SealedSubmission.round_id)),
            )
        )
    )
    for round_ in rounds:
        release_round(session, round_)
    return len(rounds)


# -- counting --------------------------------------------------------------------------------


def sealed_counts(session: Session, round_: Round) -> dict[int, int]:
    """Sealed submissions (web and paper) waiting for the round to close, per round unit;
    they count as responses in response rates."""
    rows = session.execute(
        sa.select(SealedSubmission.round_unit_id, sa.func.count())
        .where(SealedSubmission.round_id == round_.id)
        .group_by(SealedSubmission.round_unit_id)
    )
    return {unit_id: int(n) for unit_id, n in rows}


def draft_counts(session: Session, round_: Round) -> dict[int, int]:
    """Drafts (codes started and not submitted) per round unit."""
    rows = session.execute(
        sa.select(Draft.round_unit_id, sa.func.count())
        .where(Draft.round_id == round_.id)
        .group_by(Draft.round_unit_id)
    )
    return {unit_id: int(n) for unit_id, n in rows}


def seconds_bucket(seconds: float, n_answered: int) -> str | None:
    """The coarse seconds-per-answered-item bucket of `SECONDS_PER_ITEM_BUCKETS`."""
    if n_answered <= 0:
        return None
    per_item = seconds / n_answered
    if per_item < 2:
        return SECONDS_PER_ITEM_BUCKETS[0]
    if per_item < 5:
        return SECONDS_PER_ITEM_BUCKETS[1]
    if per_item < 10:
        return SECONDS_PER_ITEM_BUCKETS[2]
    return SECONDS_PER_ITEM_BUCKETS[3]


def store_response(
    session: Session,
    round_: Round,
    round_unit_id: int,
    instrument: Instrument,
    answers: Mapping[str, int | str],
    comments: Mapping[str, str],
    *,
    role: str | None,
    language: str,
    mode: ResponseMode,
    seconds: float | None,
    today: date | None = None,
) -> None:
    """Write one response with its answers and comments straight into the round's responses
    (answers already checked), with its data-quality flags; `seconds` None (paper) stores no
    time bucket. Only for building rounds that collect nothing (test fixtures): a round that
    collects answers seals them (`seal_response`) and releases them at close."""
    bucket, flags = _timing_and_quality(instrument, answers, seconds)
    _write_response(
        session,
        round_.id,
        round_unit_id,
        answers,
        role=role,
        language=language,
        mode=mode,
        bucket=bucket,
        flags=flags,
        submitted_on=today or today_utc(),
    )
    session.add_all(
        Comment(round_id=round_.id, round_unit_id=round_unit_id, domain_id=domain_id or None,
                text=text)
        for domain_id, text in comments.items()
    )


def _timing_and_quality(
    instrument: Instrument, answers: Mapping[str, int | str], seconds: float | None
) -> tuple[str | None, list[str]]:
    """The seconds-per-item bucket and the data-quality flags of one response."""
    item_ids = instrument.item_ids()
    shown = np.array(
        [[float(v) if isinstance(v := answers.get(i), int) else np.nan for i in item_ids]]
    )
    n_answered = int(np.isfinite(shown).sum())
    per_item = np.nan if seconds is None or n_answered == 0 else seconds / n_answered
    quality = quality_flags(shown, seconds_per_item=[per_item])
    flags = [
        name
        for name, flagged in (
            ("longstring", quality.longstring_flag[0]),
            ("zero_variance", quality.zero_variance_flag[0]),
            ("too_fast", quality.speed_flag[0]),
        )
        if flagged
    ]
    return (None if seconds is None else seconds_bucket(seconds, n_answered)), flags


def _write_response(
    session: Session,
    round_id: int,
    round_unit_id: int,
    answers: Mapping[str, int | str],
    *,
    role: str | None,
    language: str,
    mode: ResponseMode,
    bucket: str | None,
    flags: list[str],
    submitted_on: date,
) -> None:
    """Add one response and its answers."""
    response = Response(
        round_id=round_id,
        round_unit_id=round_unit_id,
        role=role,
        language=language,
        mode=mode.value,
        submitted_on=submitted_on,
        seconds_per_item_bucket=bucket,
        quality_flags=flags,
    )
    session.add(response)
    session.flush()
    session.add_all(
        Answer(
            response_id=response.id,
            item_id=item_id,
            value=value if isinstance(value, int) else None,
            not_applicable=value == NOT_APPLICABLE,
        )
        for item_id, value in answers.items()
    )


# -- checks ----------------------------------------------------------------------------------


def clean_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, int | str]:
    """Answers checked against the instrument: known item ids, a point of the item's scale or
    ``"NA"``; unanswered items (None, "") are dropped. `InvalidInput` names the item."""
    items = {item.id: item for domain in instrument.domains for item in domain.items}
    cleaned: dict[str, int | str] = {}
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            raise InvalidInput(f"{instrument.ref} has no item {shown(item_id)}")
        if value is None or value == "":
            continue
        if value == NOT_APPLICABLE:
            cleaned[item_id] = NOT_APPLICABLE
            continue
        points = instrument.scales[item.scale].points
        if isinstance(value, bool) or not isinstance(value, int) or value not in points:
            raise InvalidInput(
                f"item {item_id}: {shown(value)} is not a point of its scale {item.scale} "
                f"({points[0]}–{points[-1]}) or {NOT_APPLICABLE}"
            )
        cleaned[item_id] = value
    return cleaned


def _clean(
    instrument: Instrument, update: DraftUpdate
) -> tuple[dict[str, int | str], dict[str, str], str | None]:
    answers = clean_answers(instrument, update.answers)
    domain_ids = {domain.id for domain in instrument.domains} | {CLOSING_COMMENT}
    comments: dict[str, str] = {}
    for domain_id, text in update.comments.items():
        if domain_id not in domain_ids:
            raise InvalidInput(f"{instrument.ref} has no domain {shown(domain_id)} to comment on")
        # Control characters and bidirectional controls are dropped (a respondent cannot see
        # them and PostgreSQL cannot store NUL); a comment over the limit is refused, not cut.
        try:
            cleaned = clean_text(
                text or "",
                field=f"comment on {domain_id or 'the closing question'}",
                max_length=MAX_COMMENT_LENGTH,
                multiline=True,
                on_control="remove",
            )
        except TextRefused as refused:
            raise InvalidInput(str(refused)) from None
        if cleaned:
            comments[domain_id] = cleaned
    role = update.role
    if role is not None and role not in RESPONDENT_ROLES:
        raise InvalidInput(f"unknown role {shown(role)}; one of {', '.join(RESPONDENT_ROLES)}")
    return answers, comments, role


def _language(round_: Round, language: str) -> str:
    if language not in round_.languages:
        raise InvalidInput(
            f"this round is offered in {', '.join(round_.languages)}, not {shown(language)}"
        )
    return language


def _used() -> SurveyUnavailable:
    return SurveyUnavailable(
        "used", "this code has already been used to submit answers; each code counts once"
    )


@dataclass(frozen=True)
class _Ledger:
    """What a respondent's step reads of a ledger row (never its hash: nothing a log of
    result rows could show)."""

    round_id: int
    round_unit_id: int
    state: str


def _code_and_round(
    session: Session, typed_code: str, *, lock: bool = False
) -> tuple[str, _Ledger, Round]:
    """The normalized code, its ledger row and its open round (read, never written).

    With `lock`, the round's row is locked in share mode (``FOR KEY SHARE`` on PostgreSQL,
    which other saves and submissions share) and its status read again under the lock: a
    round that `close_round` (which locks the row exclusively) has just closed refuses the
    save or submission instead of taking rows it would never release.
    """
    normalized = normalize_code(typed_code)
    found = None
    if normalized is not None:
        found = session.execute(
            sa.select(AccessCode.round_id, AccessCode.round_unit_id, AccessCode.state).where(
                AccessCode.code_hash == hash_code(normalized)
            )
        ).first()
    if found is None or normalized is None:
        raise SurveyUnavailable(
            "unknown", "we could not find this code; check it and type it again"
        )
    row = _Ledger(*found)
    query = sa.select(Round).where(Round.id == row.round_id)
    if lock:
        query = query.with_for_update(read=True, key_share=True).execution_options(
            populate_existing=True
        )
    round_ = session.scalar(query)
    if row.state == CodeState.SUBMITTED.value:  # used before revision 0003
        raise _used()
    _require_open(round_)
    return normalized, row, round_


def _instrument(round_: Round) -> Instrument:
    """The round's frozen instrument, parsed once per process (by its content hash)."""
    version = round_.instrument_version
    return _parsed(version.sha256, version.definition, version.ref)


@functools.lru_cache(maxsize=32)
def _parsed(sha256: str, definition: str, ref: str) -> Instrument:
    return instrument_from_json(definition, source=f"stored {ref}")


def _insert_for(session: Session, model: type) -> sa.Insert:
    """An INSERT of the session's dialect, which knows ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model)


def _require_open(round_: Round | None) -> None:
    if round_ is None:
        raise NotFound("the round of this code no longer exists")
    if round_.status == RoundStatus.DRAFT.value:
        raise SurveyUnavailable("not_open", f"the round {round_.name!r} has not opened yet")
    if round_.status != RoundStatus.OPEN.value:
        raise SurveyUnavailable(
            "closed", f"the round {round_.name!r} is closed and accepts no more answers"
        )
