"""Paper responses typed into a CSV: checked whole, then sealed all or nothing.

Paper forms are entered only while the round is open and are sealed like web submissions
(mode paper), to be released with them when the round closes. A unit never receives more
than its invited count minus what it has already submitted (web and paper): a file that
would pass it is refused whole, naming the unit. Every import is in the audit log, one event
per unit (who, which unit, how many).

The CSV has a ``unit`` column (the unit's code in the round), optional ``role`` and
``language`` columns, and one column per item id of the round's instrument; a cell holds a
scale point, ``NA`` for "not applicable / unable to rate", or nothing for a skipped item. Other
columns are refused, so a misspelled item id is not silently dropped. Every problem is reported
with its row (the line of the file) and column; nothing is stored unless there is none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.audit_repo import record_audit
from storage.errors import InvalidInput
from storage.models import ResponseMode, Round, RoundStatus, User
from storage.survey_service import (
    NOT_APPLICABLE,
    RESPONDENT_ROLES,
    seal_response,
    sealed_counts,
)

MAX_PROBLEMS = 50
UNIT_COLUMN, ROLE_COLUMN, LANGUAGE_COLUMN = "unit", "role", "language"


class ImportProblems(InvalidInput):
    """The file cannot be imported; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        text = "\n".join(shown + ([f"... and {more} more problems"] if more else []))
        super().__init__(text)
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    responses: int
    by_unit: dict[str, int]


def import_paper_responses(
    session: Session,
    round_: Round,
    text: str,
    *,
    source: str = "the file",
    actor: User | None = None,
) -> ImportReport:
    """Check every row of the CSV `text`, then seal each as a paper response.

    Raises `ImportProblems` listing every problem as ``source row R, column C: what``, and
    for each unit that would receive more forms than it has invited people left to answer.
    Each unit's import is recorded in the audit log as ``responses.import`` with the round,
    the unit and the number of forms; `actor` is the signed-in admin (None: the command line).
    """
    # One import of a round at a time (``FOR NO KEY UPDATE``, which submissions do not wait
    # for), so that two imports cannot both pass a unit's cap; the status is read under it.
    session.execute(
        sa.select(Round.id).where(Round.id == round_.id).with_for_update(key_share=True)
    )
    session.refresh(round_, ["status"])
    if round_.status != RoundStatus.OPEN.value:
        raise InvalidInput(
            f"round {round_.name!r} is {round_.status}: paper responses can be imported only "
            "while the round is open"
        )
    instrument = round_.instrument_version.instrument()
    items = {item.id: item for domain in instrument.domains for item in domain.items}
    units = {unit.code: unit for unit in round_.units}
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    problems: list[str] = []
    if not header:
        raise ImportProblems([f"{source}: the file is empty; the first row must name columns"])
    known = set(items) | {UNIT_COLUMN, ROLE_COLUMN, LANGUAGE_COLUMN}
    for column in header:
        if column not in known:
            problems.append(
                f"{source} row 1, column {column!r}: not an item of {instrument.ref} nor one "
                f"of {UNIT_COLUMN}, {ROLE_COLUMN}, {LANGUAGE_COLUMN}"
            )
    if UNIT_COLUMN not in header:
        problems.append(f"{source} row 1: the column {UNIT_COLUMN!r} (the unit code) is missing")
    if len(set(header)) != len(header):
        problems.append(f"{source} row 1: a column name appears twice")
    if problems:
        raise ImportProblems(problems)

    rows: list[tuple[str, str | None, str, dict[str, int | str]]] = []
    for line, record in enumerate(reader, start=2):
        if None in record:
            problems.append(f"{source} row {line}: more cells than columns")
            continue
        where = f"{source} row {line}"
        unit_code = (record.get(UNIT_COLUMN) or "").strip()
        if unit_code not in units:
            problems.append(
                f"{where}, column {UNIT_COLUMN}: {unit_code!r} is not a unit of the round "
                f"(its units: {', '.join(sorted(units))})"
            )
        role = (record.get(ROLE_COLUMN) or "").strip() or None
        if role is not None and role not in RESPONDENT_ROLES:
            problems.append(
                f"{where}, column {ROLE_COLUMN}: {role!r} is not one of "
                f"{', '.join(RESPONDENT_ROLES)} (leave empty for prefer not to say)"
            )
        language = (record.get(LANGUAGE_COLUMN) or "").strip() or round_.languages[0]
        if language not in round_.languages:
            problems.append(
                f"{where}, column {LANGUAGE_COLUMN}: {language!r} is not a language of the "
                f"round ({', '.join(round_.languages)})"
            )
        answers: dict[str, int | str] = {}
        problems_before = len(problems)
        for item_id, item in items.items():
            cell = (record.get(item_id) or "").strip()
            if not cell:
                continue
            if cell.upper() == NOT_APPLICABLE:
                answers[item_id] = NOT_APPLICABLE
                continue
            points = instrument.scales[item.scale].points
            try:
                value = int(cell)
            except ValueError:
                value = None
            if value is None or value not in points:
                problems.append(
                    f"{where}, column {item_id}: {cell!r} is not a point of the scale "
                    f"{item.scale} ({points[0]}–{points[-1]}), {NOT_APPLICABLE} or empty"
                )
                continue
            answers[item_id] = value
        if not answers and len(problems) == problems_before:
            problems.append(f"{where}: no item is answered; leave blank forms out")
        rows.append((unit_code, role, language, answers))
    if not rows and not problems:
        problems.append(f"{source}: no rows below the header")
    if problems:
        raise ImportProblems(problems)

    by_unit: dict[str, int] = {}
    for unit_code, _, _, _ in rows:
        by_unit[unit_code] = by_unit.get(unit_code, 0) + 1
    submitted = sealed_counts(session, round_)
    for unit_code, count in sorted(by_unit.items()):
        unit = units[unit_code]
        invited = unit.invited or 0
        already = submitted.get(unit.id, 0)
        room = max(0, invited - already)
        if count > room:
            problems.append(
                f"{source}: unit {unit_code} ({unit.name}) has {count} paper forms, but at most "
                f"{room} can be added: {invited} invited, {already} already submitted (web "
                "and paper)"
            )
    if problems:
        raise ImportProblems(problems)

    for unit_code, role, language, answers in rows:
        seal_response(
            session,
            round_,
            units[unit_code].id,
            instrument,
            answers,
            {},
            role=role,
            language=language,
            mode=ResponseMode.PAPER,
            seconds=None,
        )
    for unit_code, count in sorted(by_unit.items()):
        record_audit(
            session,
            round_.organization,
            "responses.import",
            user=actor,
            target=round_.name,
            detail={"round": round_.id, "unit": unit_code, "count": count, "source": source},
        )
    return ImportReport(responses=len(rows), by_unit=by_unit)


def template_header(round_: Round) -> list[str]:
    """The header of a blank paper-entry CSV for the round."""
    item_ids = round_.instrument_version.instrument().item_ids()
    return [UNIT_COLUMN, ROLE_COLUMN, LANGUAGE_COLUMN, *item_ids]


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
