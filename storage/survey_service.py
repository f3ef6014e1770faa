"""The anonymous survey: open it with a code or a unit link, save a draft, submit once.

Each function is one step the caller runs in one `transaction(write=True)`; none commits.

Anonymity (DESIGN.md section 6) is kept here:

- `submit_response` marks the code used, seals the response with its answers and comments,
  and deletes the draft in one transaction; `release_sealed` later moves sealed responses into
  the round's responses in batches of at least k, shuffled, in a transaction of its own, so
  that on PostgreSQL no released row shares a transaction id (``xmin``) with a code's claim and
  neither their ids nor their physical order follow the order of submission. A response gets
  a random id and refers only to the round and its unit snapshot, never to the code, the draft
  or the link;
- the time spent is kept only as a coarse seconds-per-item bucket, the time of submission only
  as a date;
- exactly one response per code, whatever the timing: the code is claimed with one conditional
  ``UPDATE ... WHERE state <> 'submitted'`` whose row count says who won; a second claim (a
  double click, two tabs, two servers) updates nothing and is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments import Instrument
from scoring.quality import quality_flags
from storage.access_codes import format_code, hash_code, hash_token, new_code, normalize_code
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import (
    SECONDS_PER_ITEM_BUCKETS,
    AccessCode,
    Answer,
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
)

NOT_APPLICABLE = "NA"
MAX_COMMENT_LENGTH = 2000
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
    """What a page change sends: the answers so far (item id → point or ``"NA"``), comments
    (domain id → text), the role, the language, the page, and seconds spent since last save."""

    answers: Mapping[str, int | str]
    comments: Mapping[str, str]
    role: str | None
    language: str
    current_page: int
    added_seconds: int = 0


# -- opening ---------------------------------------------------------------------------------


def open_survey(session: Session, typed_code: str) -> SurveyState:
    """The survey behind a code, with its draft if one was saved.

    Raises `SurveyUnavailable` when the code is unknown or used, or the round is not open.
    """
    code_row, round_ = _code_and_round(session, typed_code, lock=False)
    draft = session.get(Draft, code_row.code_hash)
    unit = session.get(RoundUnit, code_row.round_unit_id)
    instrument = round_.instrument_version.instrument()
    normalized = normalize_code(typed_code) or ""
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


def start_from_link(session: Session, token: str, language: str = "en") -> str:
    """A fresh resume code for someone starting from an open unit link (shown to them so they
    can come back); the ledger records it as started."""
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
    session.add(
        AccessCode(
            round_id=round_.id,
            round_unit_id=link.round_unit_id,
            code_hash=digest,
            kind=CodeKind.LINK.value,
            state=CodeState.STARTED.value,
        )
    )
    session.flush()
    language = language if language in round_.languages else round_.languages[0]
    session.add(
        Draft(
            code_hash=digest,
            round_id=round_.id,
            round_unit_id=link.round_unit_id,
            language=language,
        )
    )
    session.flush()
    return code


# -- saving and submitting -------------------------------------------------------------------


def save_draft(session: Session, typed_code: str, update: DraftUpdate) -> None:
    """Store the answers so far (on every page change); the code is then 'started'."""
    code_row, round_ = _code_and_round(session, typed_code, lock=True)
    instrument = round_.instrument_version.instrument()
    answers, comments, role = _clean(instrument, update)
    language = _language(round_, update.language)
    draft = session.get(Draft, code_row.code_hash)
    if draft is None:
        draft = Draft(
            code_hash=code_row.code_hash,
            round_id=round_.id,
            round_unit_id=code_row.round_unit_id,
            language=language,
            answers={},
            comments={},
            active_seconds=0,
        )
        session.add(draft)
    draft.answers = answers
    draft.comments = comments
    draft.role = role
    draft.language = language
    draft.current_page = max(0, int(update.current_page))
    draft.active_seconds = (draft.active_seconds or 0) + max(0, int(update.added_seconds))
    if code_row.state == CodeState.ISSUED.value:
        code_row.state = CodeState.STARTED.value
    session.flush()


def submit_response(
    session: Session,
    typed_code: str,
    update: DraftUpdate,
    *,
    today: date | None = None,
) -> None:
    """Submit: claim the code, seal the response with its answers and comments, delete the draft.

    The sealed response joins the round's responses at the next `release_sealed`, which the
    caller runs in a transaction of its own right after this one commits. Raises
    `SurveyUnavailable` ("used") when the code was already submitted, also when two
    submissions race: only one of them claims the code.
    """
    code_row, round_ = _code_and_round(session, typed_code, lock=True)
    instrument = round_.instrument_version.instrument()
    answers, comments, role = _clean(instrument, update)
    language = _language(round_, update.language)
    draft = session.get(Draft, code_row.code_hash)
    seconds = (draft.active_seconds if draft is not None else 0) + max(0, update.added_seconds)

    claimed = session.execute(
        sa.update(AccessCode)
        .where(
            AccessCode.code_hash == code_row.code_hash,
            AccessCode.state != CodeState.SUBMITTED.value,
        )
        .values(state=CodeState.SUBMITTED.value)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise _used()
    if draft is not None:
        session.delete(draft)
    bucket, flags = _timing_and_quality(instrument, answers, seconds)
    session.add(
        SealedSubmission(
            round_id=round_.id,
            round_unit_id=code_row.round_unit_id,
            payload={
                "answers": answers,
                "comments": comments,
                "role": role,
                "language": language,
                "bucket": bucket,
                "flags": flags,
                "submitted_on": (today or datetime.now(UTC).date()).isoformat(),
            },
        )
    )
    session.flush()


def release_sealed(session: Session, round_: Round, *, minimum: int | None = None) -> int:
    """Move sealed submissions into the round's responses and answers, a unit at a time once at
    least `minimum` (default the round's k) of that unit are waiting, in a random order;
    returns how many. Their comments stay sealed until `release_comments`.

    Run it in a transaction of its own after the submission's has committed, and
    `release_comments` in another one after it: then no released response carries the
    transaction id of a code's claim, and no comment that of a response; a batch's rows are
    stored in an order unrelated to the order of submission. A batch holds at least k
    responses of one unit, except the last ones released when the round closes
    (`close_round` releases whatever is left, `minimum=1`).
    """
    needed = round_.min_group_size if minimum is None else max(1, minimum)
    _serialize_releases(session, round_)
    waiting = [
        sealed
        for sealed in session.scalars(
            sa.select(SealedSubmission)
            .where(SealedSubmission.round_id == round_.id)
            .with_for_update()
        )
        if "answers" in sealed.payload
    ]
    by_unit: dict[int, list[SealedSubmission]] = {}
    for sealed in waiting:
        by_unit.setdefault(sealed.round_unit_id, []).append(sealed)
    batch = [s for group in by_unit.values() if len(group) >= needed for s in group]
    secrets.SystemRandom().shuffle(batch)
    for sealed in batch:
        data = sealed.payload
        _write_response(
            session,
            round_.id,
            sealed.round_unit_id,
            data["answers"],
            role=data["role"],
            language=data["language"],
            mode=ResponseMode.WEB,
            bucket=data["bucket"],
            flags=list(data["flags"]),
            submitted_on=date.fromisoformat(data["submitted_on"]),
        )
        if data["comments"]:
            sealed.payload = {"comments": data["comments"]}
        else:
            session.delete(sealed)
    session.flush()
    return len(batch)


def release_comments(session: Session, round_: Round) -> int:
    """Move the comments of released submissions into the round's comments, shuffled; returns
    how many. Run in a transaction of its own, after `release_sealed`'s has committed."""
    _serialize_releases(session, round_)
    held = [
        sealed
        for sealed in session.scalars(
            sa.select(SealedSubmission)
            .where(SealedSubmission.round_id == round_.id)
            .with_for_update()
        )
        if "answers" not in sealed.payload
    ]
    comments = [
        Comment(
            round_id=round_.id,
            round_unit_id=sealed.round_unit_id,
            domain_id=domain_id or None,
            text=text,
        )
        for sealed in held
        for domain_id, text in sealed.payload["comments"].items()
    ]
    secrets.SystemRandom().shuffle(comments)
    for sealed in held:
        session.delete(sealed)
    session.flush()
    session.add_all(comments)
    session.flush()
    return len(comments)


def _serialize_releases(session: Session, round_: Round) -> None:
    """One release of a round at a time: lock the round's row first (``FOR NO KEY UPDATE`` on
    PostgreSQL, which submissions' foreign-key checks do not wait for), so that two releases
    never lock sealed rows in different orders and deadlock. SQLite's write transactions are
    serialized already."""
    session.execute(
        sa.select(Round.id).where(Round.id == round_.id).with_for_update(key_share=True)
    )


def release_after_submit(session: Session, round_id: int) -> int:
    """`release_sealed` for the round of a submission that has just committed."""
    return release_sealed(session, _round(session, round_id))


def release_comments_of(session: Session, round_id: int) -> int:
    """`release_comments` for a round named by id (after `release_after_submit` committed)."""
    return release_comments(session, _round(session, round_id))


def _round(session: Session, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise NotFound(f"no round {round_id}")
    return round_


def sealed_counts(session: Session, round_: Round) -> dict[int, int]:
    """Sealed submissions waiting for release, per round unit (they count as responses in
    response rates)."""
    rows = session.execute(
        sa.select(SealedSubmission.round_unit_id, sa.func.count())
        .where(SealedSubmission.round_id == round_.id)
        .group_by(SealedSubmission.round_unit_id)
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
    """Write one response with its answers and comments at once (answers already checked),
    with its data-quality flags; `seconds` None (paper) stores no time bucket. For responses
    that no access code stands behind: paper forms and the demo."""
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
        submitted_on=today or datetime.now(UTC).date(),
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
            raise InvalidInput(f"{instrument.ref} has no item {item_id!r}")
        if value is None or value == "":
            continue
        if value == NOT_APPLICABLE:
            cleaned[item_id] = NOT_APPLICABLE
            continue
        points = instrument.scales[item.scale].points
        if isinstance(value, bool) or not isinstance(value, int) or value not in points:
            raise InvalidInput(
                f"item {item_id}: {value!r} is not a point of its scale {item.scale} "
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
            raise InvalidInput(f"{instrument.ref} has no domain {domain_id!r} to comment on")
        cleaned = (text or "").strip()
        if len(cleaned) > MAX_COMMENT_LENGTH:
            raise InvalidInput(
                f"the comment on {domain_id or 'the closing question'} is {len(cleaned)} "
                f"characters long; the limit is {MAX_COMMENT_LENGTH}"
            )
        if cleaned:
            comments[domain_id] = cleaned
    role = update.role
    if role is not None and role not in RESPONDENT_ROLES:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(RESPONDENT_ROLES)}")
    return answers, comments, role


def _language(round_: Round, language: str) -> str:
    if language not in round_.languages:
        raise InvalidInput(
            f"this round is offered in {', '.join(round_.languages)}, not {language!r}"
        )
    return language


def _used() -> SurveyUnavailable:
    return SurveyUnavailable(
        "used", "this code has already been used to submit answers; each code counts once"
    )


def _code_and_round(session: Session, typed_code: str, *, lock: bool) -> tuple[AccessCode, Round]:
    normalized = normalize_code(typed_code)
    row = None
    if normalized is not None:
        query = sa.select(AccessCode).where(AccessCode.code_hash == hash_code(normalized))
        if lock:
            query = query.with_for_update()
        row = session.scalar(query)
    if row is None:
        raise SurveyUnavailable(
            "unknown", "we could not find this code; check it and type it again"
        )
    round_ = session.get(Round, row.round_id)
    if row.state == CodeState.SUBMITTED.value:
        raise _used()
    _require_open(round_)
    return row, round_


def _require_open(round_: Round | None) -> None:
    if round_ is None:
        raise NotFound("the round of this code no longer exists")
    if round_.status == RoundStatus.DRAFT.value:
        raise SurveyUnavailable("not_open", f"the round {round_.name!r} has not opened yet")
    if round_.status != RoundStatus.OPEN.value:
        raise SurveyUnavailable(
            "closed", f"the round {round_.name!r} is closed and accepts no more answers"
        )
