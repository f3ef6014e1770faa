"""Paper responses typed into a CSV: checked whole, then stored all or nothing.

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

from sqlalchemy.orm import Session

from storage.audit_repo import record_audit
from storage.errors import InvalidInput
from storage.models import ResponseMode, Round, RoundStatus, User
from storage.survey_service import NOT_APPLICABLE, RESPONDENT_ROLES, store_response

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
    """Check every row of the CSV `text`, then store each as a paper response.

    Raises `ImportProblems` listing every problem as ``source row R, column C: what``. An
    import by an `actor` (a signed-in admin) is recorded in the audit log as
    ``responses.import``, with the round and the number of responses only.
    """
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
    for unit_code, role, language, answers in rows:
        store_response(
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
        by_unit[unit_code] = by_unit.get(unit_code, 0) + 1
    session.flush()
    if actor is not None:
        record_audit(
            session,
            round_.organization,
            "responses.import",
            user=actor,
            target=round_.name,
            detail={"round": round_.id, "count": len(rows), "source": source},
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
