"""Assessment rounds: create, launch (open), close, publish; access codes and open unit links;
response rates. Each function is one step of a service that the caller runs in one
`storage.engine.transaction` (write=True); functions never commit.

Launching freezes what DESIGN.md section 5 lists: the instrument version (pinned by id, its
definition and hash stored with it), the units snapshot with names and invited counts, the
languages and the two thresholds. A round moves draft → open → closed → published and never
back.

Dates: every round created here has an opening and a closing date (left out, it opens today
and closes `DEFAULT_ROUND_DAYS` days later, the defaults the Rounds page and ``tisa round
create`` show), the closing date on or after the opening date. Both can be changed while the
round is a draft or open (`set_round_dates`, audited) and are kept as they were once it
closes, since its report states them. Rounds stored before dates were required may have
neither: `chronological_key` places every round in time without comparing a missing date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from scoring.disclosure import SHOWN, disclose
from storage.access_codes import hash_code, hash_token, new_code, new_link_token, normalize_code
from storage.audit_repo import record_audit
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import (
    DEFAULT_MIN_COMMENT_GROUP_SIZE,
    DEFAULT_MIN_GROUP_SIZE,
    MIN_GROUP_SIZE_RANGE,
    AccessCode,
    CodeKind,
    CodeState,
    InstrumentStatus,
    InstrumentVersion,
    Organization,
    Response,
    Round,
    RoundStatus,
    RoundUnit,
    Unit,
    UnitLink,
    User,
    today_utc,
    utc_now,
)
from storage.survey_service import draft_counts, release_round, sealed_counts
from storage.text_fields import checked_name, lookup_key, shown

MAX_CODES_PER_CALL = 5000
_NAME_MAX = 200
DEFAULT_ROUND_DAYS = 21  # a new round closes three weeks after it opens unless told otherwise
DATE_EDIT_STATUSES = (RoundStatus.DRAFT.value, RoundStatus.OPEN.value)


@dataclass(frozen=True)
class UnitInvitation:
    """A unit chosen for a round and how many people in it are invited (its own staff, not
    counting the units below it)."""

    unit: Unit
    invited: int


@dataclass(frozen=True)
class UnitRate:
    """The response rate of one unit of a round; `shown` is False when fewer than k people are
    invited, and then `responses` and `rate` are None (DESIGN.md section 6)."""

    round_unit_id: int
    code: str
    name: str
    depth: int
    invited: int
    shown: bool
    responses: int | None
    rate: float | None


# -- finding rounds --------------------------------------------------------------------------


def list_rounds(session: Session, organization: Organization) -> list[Round]:
    """The organization's rounds, oldest first."""
    query = (
        sa.select(Round)
        .where(Round.organization_id == organization.id)
        .order_by(Round.created_at, Round.id)
    )
    return list(session.scalars(query))


def chronological_key(round_: Round) -> tuple[date, datetime, int]:
    """Where a round stands in time among its organization's rounds, for sorting and for
    telling which rounds came before another: its opening date, else the day it was launched,
    else the day it was created (rounds stored before dates were required may have no dates);
    then when it was created, then its id. No part is ever None, so rounds with and without
    dates sort together; for rounds with dates this is (opening date, created, id)."""
    created = round_.created_at or datetime.min.replace(tzinfo=UTC)
    if round_.opens_on is not None:
        start = round_.opens_on
    elif round_.opened_at is not None:
        start = round_.opened_at.astimezone(UTC).date()
    else:
        start = created.astimezone(UTC).date() if round_.created_at is not None else date.min
    return (start, created, round_.id if round_.id is not None else 0)


def default_round_dates(today: date | None = None) -> tuple[date, date]:
    """The dates a new round gets when none are given: it opens today (UTC) and closes
    `DEFAULT_ROUND_DAYS` days later."""
    opens_on = today if today is not None else today_utc()
    return opens_on, opens_on + timedelta(days=DEFAULT_ROUND_DAYS)


def _a_date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise InvalidInput(f"the {field} must be a date (YYYY-MM-DD), got {value!r}")
    return value


def check_round_dates(opens_on: object, closes_on: object) -> tuple[date, date]:
    """(opening date, closing date) as dates, or `InvalidInput` naming the date that is
    missing, not a date, or out of order (the closing date must be on or after the opening
    date)."""
    if opens_on is None:
        raise InvalidInput("the opening date is missing: a round needs an opening date")
    if closes_on is None:
        raise InvalidInput("the closing date is missing: a round needs a closing date")
    opens, closes = _a_date(opens_on, "opening date"), _a_date(closes_on, "closing date")
    if closes < opens:
        raise InvalidInput(
            f"the closing date {closes.isoformat()} is before the opening date "
            f"{opens.isoformat()}: choose a closing date on or after the opening date"
        )
    return opens, closes


def get_round(session: Session, organization: Organization, round_id: int) -> Round:
    found = session.get(Round, round_id)
    if found is None or found.organization_id != organization.id:
        known = ", ".join(f"{r.id} ({r.name})" for r in list_rounds(session, organization))
        raise NotFound(f"no round {round_id}; rounds: {known or 'none yet'}")
    return found


def get_round_unit(session: Session, round_: Round, code: str) -> RoundUnit:
    key = lookup_key(code)
    found = (
        session.scalar(
            sa.select(RoundUnit).where(RoundUnit.round_id == round_.id, RoundUnit.code == key)
        )
        if key is not None
        else None
    )
    if found is None:
        known = ", ".join(u.code for u in round_.units)
        raise NotFound(f"round {round_.name!r} has no unit {shown(code)}; its units: {known}")
    return found


# -- lifecycle -------------------------------------------------------------------------------


def create_round(
    session: Session,
    organization: Organization,
    *,
    name: str,
    instrument_version: InstrumentVersion,
    invitations: Sequence[UnitInvitation],
    languages: Sequence[str] = ("en", "es"),
    opens_on: date | None = None,
    closes_on: date | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    min_comment_group_size: int = DEFAULT_MIN_COMMENT_GROUP_SIZE,
    user: User | None = None,
) -> Round:
    """A new round in draft, with its units snapshot.

    `opens_on` left out (None) is today, `closes_on` left out is `DEFAULT_ROUND_DAYS` days
    after the opening date; the closing date must not be before the opening date.

    The snapshot holds the chosen units and every unit above them (a unit above that was not
    chosen gets 0 invited: it groups the units below it in reports). Raises `InvalidInput`
    naming the setting that is wrong, `Conflict` when the name is taken.
    """
    name = checked_name(name, field="round name", max_length=_NAME_MAX)
    taken = session.scalar(
        sa.select(Round.id).where(Round.organization_id == organization.id, Round.name == name)
    )
    if taken is not None:
        raise Conflict(f"a round named {name!r} already exists; choose another name")
    if instrument_version.status != InstrumentStatus.PUBLISHED.value:
        raise InvalidInput(
            f"{instrument_version.ref} is {instrument_version.status}; a round can only use a "
            "published instrument version"
        )
    instrument = instrument_version.instrument()
    chosen_languages = list(dict.fromkeys(languages))
    if not chosen_languages:
        raise InvalidInput("choose at least one language for the round")
    missing = [lang for lang in chosen_languages if lang not in instrument.languages]
    if missing:
        raise InvalidInput(
            f"{instrument_version.ref} is not available in {', '.join(missing)}; it has "
            f"{', '.join(instrument.languages)}"
        )
    _check_thresholds(min_group_size, min_comment_group_size)
    if opens_on is None:
        opens_on = default_round_dates()[0]
    if closes_on is None:
        closes_on = default_round_dates(_a_date(opens_on, "opening date"))[1]
    opens_on, closes_on = check_round_dates(opens_on, closes_on)
    if not invitations:
        raise InvalidInput("choose at least one unit for the round")
    invited: dict[int, int] = {}
    for invitation in invitations:
        unit = invitation.unit
        if unit.organization_id != organization.id:
            raise InvalidInput(f"unit {unit.code!r} belongs to another organization")
        if unit.id in invited:
            raise InvalidInput(f"unit {unit.code!r} is chosen twice")
        if not isinstance(invitation.invited, int) or invitation.invited < 0:
            raise InvalidInput(
                f"unit {unit.code!r}: the number invited must be a whole number ≥ 0, "
                f"got {invitation.invited!r}"
            )
        invited[unit.id] = invitation.invited

    round_ = Round(
        organization_id=organization.id,
        instrument_version_id=instrument_version.id,
        name=name,
        status=RoundStatus.DRAFT.value,
        languages=chosen_languages,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
    )
    session.add(round_)
    session.flush()
    _snapshot_units(session, organization, round_, invited)
    record_audit(
        session,
        organization,
        "round.create",
        user=user,
        target=name,
        detail={"instrument": instrument_version.ref, "units": len(round_.units)},
    )
    return round_


def open_round(session: Session, round_: Round, *, user: User | None = None) -> Round:
    """Launch: draft → open. Settings are frozen from here on."""
    _move(round_, RoundStatus.DRAFT, RoundStatus.OPEN)
    if not any((unit.invited or 0) > 0 for unit in round_.units):
        raise InvalidInput(
            f"round {round_.name!r} invites nobody: set how many people are invited in at "
            "least one unit before opening it"
        )
    round_.status = RoundStatus.OPEN.value
    round_.opened_at = utc_now()
    _audit(session, round_, "round.open", user)
    return round_


def close_round(session: Session, round_: Round, *, user: User | None = None) -> Round:
    """open → closed: from now on nothing is accepted, drafts included.

    In this one transaction every sealed submission of the round (web and paper) is written
    into its responses, answers and comments, shuffled, with random ids
    (`survey_service.release_round`); the round's sealed rows, drafts and claims are deleted
    and its claim key wiped. The round's row is locked first (``FOR UPDATE``), so a submission
    in flight either commits before and is released, or waits and is refused as closed.
    After the transaction commits, the caller runs `storage.scrub.scrub_after_close`.
    """
    locked = session.scalar(
        sa.select(Round)
        .where(Round.id == round_.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    round_ = locked if locked is not None else round_
    _move(round_, RoundStatus.OPEN, RoundStatus.CLOSED)
    released = release_round(session, round_)
    round_.status = RoundStatus.CLOSED.value
    round_.closed_at = utc_now()
    # Old sealed rows cleaned or left out are counted, never described (see release_round).
    _audit(
        session,
        round_,
        "round.close",
        user,
        detail={
            "responses": released.responses,
            "cleaned": released.cleaned,
            "skipped": released.skipped,
        },
    )
    return round_


def publish_round(session: Session, round_: Round, *, user: User | None = None) -> Round:
    """closed → published: staff can now read the summary of what was heard."""
    _move(round_, RoundStatus.CLOSED, RoundStatus.PUBLISHED)
    round_.status = RoundStatus.PUBLISHED.value
    round_.published_at = utc_now()
    _audit(session, round_, "round.publish", user)
    return round_


def set_round_dates(
    session: Session,
    round_: Round,
    *,
    opens_on: date,
    closes_on: date,
    user: User | None = None,
) -> Round:
    """Change the round's opening and closing dates while it is a draft or open (a round
    launched without the right dates can be corrected); `Conflict` once it has closed, since
    its report states the dates it closed with. Both dates are given (`check_round_dates`).
    The round's row is locked first (``FOR UPDATE``), so a close in flight either commits
    before (and the change is refused) or waits."""
    locked = session.scalar(
        sa.select(Round)
        .where(Round.id == round_.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    round_ = locked if locked is not None else round_
    if round_.status not in DATE_EDIT_STATUSES:
        raise Conflict(
            f"round {round_.name!r} is {round_.status}: its dates are kept as they were when "
            "it closed (its report states them); dates can be changed only while a round is a "
            "draft or open"
        )
    opens, closes = check_round_dates(opens_on, closes_on)
    before = [_iso(round_.opens_on), _iso(round_.closes_on)]
    round_.opens_on, round_.closes_on = opens, closes
    session.flush()
    _audit(session, round_, "round.dates", user, detail={
        "opens_on": opens.isoformat(), "closes_on": closes.isoformat(), "before": before,
    })
    return round_


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def set_invited(
    session: Session, round_: Round, counts: dict[str, int], *, user: User | None = None
) -> None:
    """Change how many are invited per unit code, while the round is a draft."""
    if round_.status != RoundStatus.DRAFT.value:
        raise Conflict(
            f"round {round_.name!r} is {round_.status}: invited counts are frozen at launch"
        )
    by_code = {unit.code: unit for unit in round_.units}
    for code, count in counts.items():
        if code not in by_code:
            raise NotFound(f"round {round_.name!r} has no unit {code!r}")
        if not isinstance(count, int) or count < 0:
            raise InvalidInput(f"unit {code!r}: invited must be a whole number ≥ 0")
        by_code[code].invited = count
    session.flush()
    _audit(session, round_, "round.invited", user, detail={"units": len(counts)})


# -- access ----------------------------------------------------------------------------------


def issue_codes(
    session: Session,
    round_: Round,
    round_unit: RoundUnit,
    count: int,
    *,
    user: User | None = None,
) -> list[str]:
    """`count` fresh single-use codes for a unit. The codes are returned once, here, and only
    their hashes are stored: hand them out now (CSV or printable slips)."""
    _accepting_access(round_)
    if round_unit.round_id != round_.id:
        raise InvalidInput(f"unit {round_unit.code!r} is not part of round {round_.name!r}")
    if not isinstance(count, int) or not 1 <= count <= MAX_CODES_PER_CALL:
        raise InvalidInput(f"the number of codes must be between 1 and {MAX_CODES_PER_CALL}")
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        code = new_code()
        digest = hash_code(normalize_code(code) or "")
        if digest in hashes:
            continue
        hashes.add(digest)
        codes.append(code)
    clash = session.scalar(sa.select(AccessCode.id).where(AccessCode.code_hash.in_(hashes)))
    if clash is not None:  # 71 bits: this does not happen, but a duplicate must never be stored
        raise Conflict("a generated code was already in use; issue the codes again")
    session.add_all(
        AccessCode(
            round_id=round_.id,
            round_unit_id=round_unit.id,
            code_hash=digest,
            kind=CodeKind.SINGLE.value,
            state=CodeState.ISSUED.value,
        )
        for digest in hashes
    )
    session.flush()
    _audit(session, round_, "codes.issue", user, detail={"unit": round_unit.code, "count": count})
    return codes


def create_unit_link(
    session: Session, round_: Round, round_unit: RoundUnit, *, user: User | None = None
) -> str:
    """An open link token for a unit; whoever starts from it gets a fresh resume code.
    Earlier links of the same unit stop working."""
    _accepting_access(round_)
    if round_unit.round_id != round_.id:
        raise InvalidInput(f"unit {round_unit.code!r} is not part of round {round_.name!r}")
    session.execute(
        sa.update(UnitLink)
        .where(UnitLink.round_unit_id == round_unit.id, UnitLink.active.is_(True))
        .values(active=False)
    )
    token = new_link_token()
    session.add(
        UnitLink(round_id=round_.id, round_unit_id=round_unit.id, token_hash=hash_token(token))
    )
    session.flush()
    _audit(session, round_, "link.create", user, detail={"unit": round_unit.code})
    return token


def active_link_units(session: Session, round_: Round) -> set[int]:
    """Ids of the round units that have a working open link."""
    query = sa.select(UnitLink.round_unit_id).where(
        UnitLink.round_id == round_.id, UnitLink.active.is_(True)
    )
    return set(session.scalars(query))


def code_counts(session: Session, round_: Round) -> dict[int, dict[str, int]]:
    """Per round unit, the ledger as `CodeState` keys: ``issued`` every code of the unit
    (single codes and unit-link starts), ``started`` the drafts in progress, ``submitted``
    the submissions (web and paper) sealed while the round is open, its responses after it
    closed. Nothing here comes from the ledger rows' state: respondents never write it."""
    issued = dict(
        session.execute(
            sa.select(AccessCode.round_unit_id, sa.func.count())
            .where(AccessCode.round_id == round_.id)
            .group_by(AccessCode.round_unit_id)
        ).all()
    )
    started = draft_counts(session, round_)
    submitted = _submitted_counts(session, round_)
    counts: dict[int, dict[str, int]] = {}
    for unit_id in set(issued) | set(started) | set(submitted):
        counts[unit_id] = {
            CodeState.ISSUED.value: int(issued.get(unit_id, 0)),
            CodeState.STARTED.value: started.get(unit_id, 0),
            CodeState.SUBMITTED.value: submitted.get(unit_id, 0),
        }
    return counts


def _submitted_counts(session: Session, round_: Round) -> dict[int, int]:
    """Responses per round unit: released ones and those sealed while the round is open."""
    released = session.execute(
        sa.select(Response.round_unit_id, sa.func.count())
        .where(Response.round_id == round_.id)
        .group_by(Response.round_unit_id)
    )
    counts = {unit_id: int(n) for unit_id, n in released}
    for unit_id, n in sealed_counts(session, round_).items():
        counts[unit_id] = counts.get(unit_id, 0) + n
    return counts


def subtree_code_counts(session: Session, round_: Round) -> dict[int, dict[str, int]]:
    """`code_counts` of every round unit over its subtree (its own codes and those of the
    units below it), the way `response_rates` counts: show a unit's ledger only where its
    rate is shown, and a parent's ledger minus its shown children never tells more than the
    rates already do."""
    own = code_counts(session, round_)
    totals = {
        unit.id: dict(own.get(unit.id, {state.value: 0 for state in CodeState}))
        for unit in round_.units
    }
    for unit in reversed(round_units_in_order(round_)):  # children before their parents
        if unit.parent_id is not None:
            for state, n in totals[unit.id].items():
                totals[unit.parent_id][state] += n
    return totals


# -- response rates --------------------------------------------------------------------------


def response_rates(session: Session, round_: Round) -> list[UnitRate]:
    """Response rate per unit of the round, in tree order, each over its own subtree (a unit
    counts the responses and invitations of the units below it too).

    Shown only for units with at least k invited (DESIGN.md section 6), decided like every
    statistic with complementary suppression on the whole tree (the agency at its root,
    `scoring.disclosure.disclose` over the invited counts): where a small unit's rate is
    withheld, so is the next smallest sibling's, so that a parent's count minus its shown
    children's never gives a withheld unit's participation. Rates can pass 100% when more
    people answer than were counted as invited, and are then reported as they are.
    """
    own = _submitted_counts(session, round_)
    invited = {unit.id: unit.invited or 0 for unit in round_.units}
    responses = {unit.id: own.get(unit.id, 0) for unit in round_.units}
    ordered = round_units_in_order(round_)
    depth: dict[int, int] = {}
    for unit in ordered:
        depth[unit.id] = 0 if unit.parent_id is None else depth[unit.parent_id] + 1
    for unit in reversed(ordered):  # children before parents: add each subtree to its parent
        if unit.parent_id is not None:
            invited[unit.parent_id] += invited[unit.id]
            responses[unit.parent_id] += responses[unit.id]
    position = {unit.id: i + 1 for i, unit in enumerate(ordered)}
    parent = [-1] + [position.get(u.parent_id, 0) if u.parent_id else 0 for u in ordered]
    own_invited = [0] + [unit.invited or 0 for unit in ordered]
    decision = disclose(parent, own_invited, round_.min_group_size)
    rates = []
    for unit in ordered:
        shown = bool(decision.status[position[unit.id]] == SHOWN)
        rates.append(
            UnitRate(
                round_unit_id=unit.id,
                code=unit.code,
                name=unit.name,
                depth=depth[unit.id],
                invited=invited[unit.id],
                shown=shown,
                responses=responses[unit.id] if shown else None,
                rate=responses[unit.id] / invited[unit.id] if shown else None,
            )
        )
    return rates


def response_total(session: Session, round_: Round) -> tuple[int, int]:
    """(responses, invited) over the whole round."""
    responses = sum(_submitted_counts(session, round_).values())
    invited = sum(unit.invited or 0 for unit in round_.units)
    return responses, invited


# -- helpers ---------------------------------------------------------------------------------


def _check_thresholds(min_group_size: int, min_comment_group_size: int) -> None:
    low, high = MIN_GROUP_SIZE_RANGE
    if not isinstance(min_group_size, int) or not low <= min_group_size <= high:
        raise InvalidInput(
            f"the minimum group size must be a whole number from {low} to {high}, "
            f"got {min_group_size!r}"
        )
    if not isinstance(min_comment_group_size, int) or min_comment_group_size < min_group_size:
        raise InvalidInput(
            "the minimum group size for comments must be a whole number at least the minimum "
            f"group size ({min_group_size}), got {min_comment_group_size!r}"
        )


def _snapshot_units(
    session: Session, organization: Organization, round_: Round, invited: dict[int, int]
) -> None:
    """Copy the chosen units and their ancestors into the round, parents first."""
    by_id = {
        unit.id: unit
        for unit in session.scalars(sa.select(Unit).where(Unit.organization_id == organization.id))
    }
    included: set[int] = set()
    for unit_id in invited:
        current: int | None = unit_id
        while current is not None and current not in included:
            included.add(current)
            current = by_id[current].parent_id

    def depth(unit_id: int) -> int:
        d, current = 0, by_id[unit_id].parent_id
        while current is not None:
            d, current = d + 1, by_id[current].parent_id
        return d

    snapshot: dict[int, RoundUnit] = {}
    for unit_id in sorted(included, key=lambda i: (depth(i), by_id[i].name.casefold())):
        unit = by_id[unit_id]
        parent = snapshot.get(unit.parent_id) if unit.parent_id is not None else None
        row = RoundUnit(
            round_id=round_.id,
            unit_id=unit.id,
            parent_id=parent.id if parent is not None else None,
            code=unit.code,
            name=unit.name,
            invited=invited.get(unit_id, 0),
        )
        session.add(row)
        session.flush()
        snapshot[unit_id] = row
    session.refresh(round_, ["units"])


def _move(round_: Round, expected: RoundStatus, target: RoundStatus) -> None:
    if round_.status != expected.value:
        raise Conflict(
            f"round {round_.name!r} is {round_.status}; only a {expected.value} round can "
            f"become {target.value}"
        )


def _accepting_access(round_: Round) -> None:
    if round_.status not in (RoundStatus.DRAFT.value, RoundStatus.OPEN.value):
        raise Conflict(
            f"round {round_.name!r} is {round_.status}: no new codes or links can be made"
        )


def _audit(
    session: Session,
    round_: Round,
    action: str,
    user: User | None,
    *,
    detail: dict[str, object] | None = None,
) -> None:
    record_audit(
        session,
        round_.organization,
        action,
        user=user,
        target=round_.name,
        detail={"round": round_.id, **(detail or {})},
    )


def round_units_in_order(round_: Round) -> list[RoundUnit]:
    """The round's units parents first, siblings by name."""
    children: dict[int | None, list[RoundUnit]] = {}
    for unit in round_.units:
        children.setdefault(unit.parent_id, []).append(unit)

    def walk(parent: int | None) -> Iterator[RoundUnit]:
        for unit in sorted(children.get(parent, []), key=lambda u: u.name.casefold()):
            yield unit
            yield from walk(unit.id)

    return list(walk(None))
