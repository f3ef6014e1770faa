"""Paper responses typed into a CSV: checked whole, then sealed all or nothing.

Paper forms are entered only while the round is open and are sealed like web submissions
(mode paper), to be released with them when the round closes. A unit never receives more
than its invited count minus what it has already submitted (web and paper): a file that
would pass it is refused whole, naming the unit. Every import is in the audit log, one event
per unit (who, which unit, how many).

The CSV has a ``unit`` column (the unit's code in the round), optional ``role`` and
``language`` columns, and one column per item id of the round's instrument; a cell holds a
scale point, "not applicable / unable to rate" (``NA`` or ``N/A`` in any case, or the
instrument's own label for it in any of its languages, spaces around ignored), or nothing for a
skipped item. Other columns are refused, so a misspelled item id is not silently dropped. Every
problem is reported with its row (the row of the file as a spreadsheet numbers it, the header
being row 1) and column, the header's and the rows' in one list; nothing is stored unless there
is none.

Limits (`PAPER_LIMITS`, held by `instruments.csv_file`): a file of at most 20 MB and 50,000
forms, cells of at most 2,000 characters, UTF-8, no NUL; a row with more or fewer cells than
the header is refused.

A large file never holds up the survey. The work is in three steps, and only the last writes:

1. `paper_round`: what checking needs of the round (instrument, units, languages), read in a
   short read transaction;
2. `check_paper_forms`: the whole file parsed and checked, with no transaction open, so web
   respondents submit as usual while it runs;
3. `store_paper_forms`: one short write transaction that locks the round's row, checks that
   the round is still open and each unit's cap against what is sealed now, and inserts every
   form in batches of 1,000 (executemany), with the audit events. Either all of it commits or
   nothing does.

`import_paper_file` runs the three steps on a session factory (the command line and the Paper
page); `import_paper_responses` runs 2 and 3 in the caller's one transaction, for callers that
already hold one.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from instruments import Instrument
from instruments.csv_file import CsvLimits, CsvRefused, read_csv_file, read_rows
from instruments.text import shorten
from storage.audit_repo import record_audit
from storage.engine import transaction
from storage.errors import InvalidInput
from storage.models import Round, RoundStatus, User
from storage.survey_service import (
    NOT_APPLICABLE,
    RESPONDENT_ROLES,
    PaperForm,
    paper_quality_flags,
    seal_paper_forms,
    sealed_counts,
)
from storage.user_repo import get_user

MAX_PROBLEMS = 50
UNIT_COLUMN, ROLE_COLUMN, LANGUAGE_COLUMN = "unit", "role", "language"
PAPER_LIMITS = CsvLimits("a file of paper forms", max_bytes=20 * 1024 * 1024, max_rows=50_000)
INSERT_BATCH = 1000


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


@dataclass(frozen=True)
class PaperRound:
    """What checking a file of paper forms needs to know of its round, read once."""

    round_id: int
    name: str
    instrument: Instrument
    units: dict[str, tuple[int, str]]  # code -> (round unit id, name)
    languages: tuple[str, ...]


@dataclass(frozen=True)
class CheckedForms:
    """A file of paper forms with no problem left, ready to be stored."""

    round_id: int
    source: str
    forms: list[PaperForm]
    by_unit: dict[str, int]


def read_paper_file(path: str | Path) -> str:
    """The text of a file of paper forms, within `PAPER_LIMITS` (size, UTF-8, no NUL);
    raises `ImportProblems` with one line naming the place."""
    try:
        return read_csv_file(path, PAPER_LIMITS)
    except CsvRefused as refused:
        raise ImportProblems([_sheet_place(refused)]) from None


def paper_round(round_: Round) -> PaperRound:
    """The round as `check_paper_forms` needs it; refused unless the round is open."""
    _require_open(round_)
    return PaperRound(
        round_id=round_.id,
        name=round_.name,
        instrument=round_.instrument_version.instrument(),
        units={unit.code: (unit.id, unit.name) for unit in round_.units},
        languages=tuple(round_.languages),
    )


def check_paper_forms(
    paper: PaperRound,
    text: str,
    *,
    source: str = "the file",
    progress: Callable[[int], None] | None = None,
) -> CheckedForms:
    """Check every row of the CSV `text`; no database is touched.

    Raises `ImportProblems` listing every problem as ``source row R, column C: what`` (or one
    line for a file tisa does not read at all: too large, not UTF-8, NUL, a huge cell...).
    `progress`, when given, is called with the number of rows checked after every 1,000.
    """
    try:
        table = read_rows(text, PAPER_LIMITS, source=source)
    except CsvRefused as refused:
        raise ImportProblems([_sheet_place(refused)]) from None
    instrument = paper.instrument
    items = {item.id: item for domain in instrument.domains for item in domain.items}
    points = {item_id: set(instrument.scales[item.scale].points) for item_id, item in items.items()}
    header = table.header
    problems: list[str] = []
    known = set(items) | {UNIT_COLUMN, ROLE_COLUMN, LANGUAGE_COLUMN}
    for column in header:
        if column not in known:
            problems.append(
                f"{source} row 1, column {shorten(column, 60)!r}: not an item of "
                f"{instrument.ref} nor one of {UNIT_COLUMN}, {ROLE_COLUMN}, {LANGUAGE_COLUMN}"
            )
    if UNIT_COLUMN not in header:
        problems.append(f"{source} row 1: the column {UNIT_COLUMN!r} (the unit code) is missing")
    seen = Counter(header)
    for column in dict.fromkeys(name for name in header if seen[name] > 1):
        problems.append(
            f"{source} row 1, column {shorten(column, 60)!r}: the header names this column "
            "twice; keep one"
        )
    # the rows are checked even when the header has problems: one list names them all

    width = len(header)
    position = {name: index for index, name in enumerate(header)}
    unit_at = position.get(UNIT_COLUMN)
    not_applicable = not_applicable_words(instrument)
    role_at = position.get(ROLE_COLUMN)
    language_at = position.get(LANGUAGE_COLUMN)
    item_at = [(item_id, position[item_id]) for item_id in items if item_id in position]
    default_language = paper.languages[0]
    units = paper.units
    order = {item_id: j for j, item_id in enumerate(instrument.item_ids())}
    # answers as numbers in the instrument's order, for the quality flags of all forms at once
    shown = np.full((len(table.rows), len(order)), np.nan)
    accepted: list[tuple[int, dict[str, int | str], str | None, str]] = []
    by_unit: dict[str, int] = {}
    for number, record in enumerate(table.rows, start=2):
        if progress is not None and number % 1000 == 0:
            progress(number - 1)
        where = f"{source} row {number}"
        if len(record) != width:
            problems.append(_ragged(where, record, header))
            continue
        unit_code = record[unit_at].strip() if unit_at is not None else ""
        unit = units.get(unit_code)
        if unit is None and unit_at is not None:
            problems.append(
                f"{where}, column {UNIT_COLUMN}: {shorten(unit_code, 40)!r} is not a unit of "
                f"the round (its units: {', '.join(sorted(units))})"
            )
        role = record[role_at].strip() or None if role_at is not None else None
        if role is not None and role not in RESPONDENT_ROLES:
            problems.append(
                f"{where}, column {ROLE_COLUMN}: {shorten(role, 40)!r} is not one of "
                f"{', '.join(RESPONDENT_ROLES)} (leave empty for prefer not to say)"
            )
        language = (
            record[language_at].strip() if language_at is not None else ""
        ) or default_language
        if language not in paper.languages:
            problems.append(
                f"{where}, column {LANGUAGE_COLUMN}: {shorten(language, 40)!r} is not a "
                f"language of the round ({', '.join(paper.languages)})"
            )
        answers: dict[str, int | str] = {}
        problems_before = len(problems)
        for item_id, at in item_at:
            cell = record[at].strip()
            if not cell:
                continue
            if " ".join(cell.split()).casefold() in not_applicable:
                answers[item_id] = NOT_APPLICABLE
                continue
            value = int(cell) if cell.isascii() and cell.isdigit() and len(cell) < 4 else None
            if value is None or value not in points[item_id]:
                scale = items[item_id].scale
                allowed = instrument.scales[scale].points
                problems.append(
                    f"{where}, column {item_id}: {shorten(cell, 40)!r} is not a point of the "
                    f"scale {scale} ({allowed[0]}–{allowed[-1]}), {NOT_APPLICABLE} or empty"
                )
                continue
            answers[item_id] = value
            shown[len(accepted), order[item_id]] = value
        if not answers and len(problems) == problems_before:
            problems.append(f"{where}: no item is answered; leave blank forms out")
        if len(problems) > problems_before or unit is None:
            continue  # the file is refused below; no form of it is kept
        accepted.append((unit[0], answers, role, language))
        by_unit[unit_code] = by_unit.get(unit_code, 0) + 1
    if not table.rows and not problems:
        problems.append(f"{source}: no rows below the header")
    if problems:
        raise ImportProblems(problems)
    flags = paper_quality_flags(shown[: len(accepted)])
    forms = [
        PaperForm(unit_id, answers, role, language, flags[n])
        for n, (unit_id, answers, role, language) in enumerate(accepted)
    ]
    return CheckedForms(round_id=paper.round_id, source=source, forms=forms, by_unit=by_unit)


def not_applicable_words(instrument: Instrument) -> frozenset[str]:
    """What a cell may hold for "not applicable / unable to rate", case-folded with its spaces
    collapsed: ``NA``, ``N/A`` and the instrument's own label in each of its languages."""
    labels = (" ".join(label.split()) for label in instrument.not_applicable.values())
    return frozenset(word.casefold() for word in (NOT_APPLICABLE, "N/A", *labels))


def store_paper_forms(
    session: Session,
    round_: Round,
    checked: CheckedForms,
    *,
    actor: User | None = None,
) -> ImportReport:
    """Seal checked forms in the caller's write transaction, all or nothing.

    Locks the round's row (``FOR NO KEY UPDATE``, which submissions do not wait for) so that
    two imports cannot both pass a unit's cap; refuses a round that is no longer open and any
    unit that would receive more forms than it has invited people left to answer (invited
    minus sealed web and paper submissions, counted now). Each unit's import is recorded in
    the audit log as ``responses.import`` with the round, the unit and the number of forms;
    `actor` is the signed-in admin (None: the command line).
    """
    if checked.round_id != round_.id:
        raise InvalidInput("these paper forms were checked for another round; check them again")
    session.execute(
        sa.select(Round.id).where(Round.id == round_.id).with_for_update(key_share=True)
    )
    session.refresh(round_, ["status"])
    _require_open(round_)
    units = {unit.code: unit for unit in round_.units}
    submitted = sealed_counts(session, round_)
    problems: list[str] = []
    for unit_code, count in sorted(checked.by_unit.items()):
        unit = units[unit_code]
        invited = unit.invited or 0
        already = submitted.get(unit.id, 0)
        room = max(0, invited - already)
        if count > room:
            problems.append(
                f"{checked.source}: unit {unit_code} ({unit.name}) has {count} paper forms, but "
                f"at most {room} can be added: {invited} invited, {already} already submitted "
                "(web and paper)"
            )
    if problems:
        raise ImportProblems(problems)
    seal_paper_forms(session, round_, checked.forms, batch_size=INSERT_BATCH)
    for unit_code, count in sorted(checked.by_unit.items()):
        record_audit(
            session,
            round_.organization,
            "responses.import",
            user=actor,
            target=round_.name,
            detail={
                "round": round_.id,
                "unit": unit_code,
                "count": count,
                "source": checked.source,
            },
        )
    return ImportReport(responses=len(checked.forms), by_unit=dict(checked.by_unit))


def import_paper_file(
    factory: sessionmaker[Session],
    find_round: Callable[[Session], Round],
    text: str,
    *,
    source: str = "the file",
    actor_username: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """The three steps of the module docstring on `factory`: read the round (`find_round`
    gets it in a read transaction), check the file with no transaction open, then store it
    in one short write transaction. `actor_username` names the admin for the audit log."""
    with transaction(factory) as session:
        paper = paper_round(find_round(session))
    checked = check_paper_forms(paper, text, source=source, progress=progress)
    with transaction(factory, write=True) as session:
        round_ = find_round(session)
        actor = get_user(session, actor_username) if actor_username is not None else None
        return store_paper_forms(session, round_, checked, actor=actor)


def import_paper_responses(
    session: Session,
    round_: Round,
    text: str,
    *,
    source: str = "the file",
    actor: User | None = None,
) -> ImportReport:
    """Check the CSV `text` and seal its forms in the caller's one transaction (see
    `import_paper_file` to keep the check out of the write transaction)."""
    session.refresh(round_, ["status"])
    checked = check_paper_forms(paper_round(round_), text, source=source)
    return store_paper_forms(session, round_, checked, actor=actor)


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


def _require_open(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN.value:
        raise InvalidInput(
            f"round {round_.name!r} is {round_.status}: paper responses can be imported only "
            "while the round is open"
        )


def _ragged(where: str, record: list[str], header: list[str]) -> str:
    width = len(header)
    if len(record) < width:
        return (
            f"{where}, column {header[len(record)]}: the row has {len(record)} cells but the "
            f"header has {width}; add the missing cells (an empty cell is a skipped item)"
        )
    return (
        f"{where}, column field {width + 1}: the row has {len(record)} cells but the header "
        f"has {width}; remove the extra cells"
    )


def _sheet_place(refused: CsvRefused) -> str:
    """A refusal of the CSV reader in this module's words: the row as a spreadsheet numbers
    it (the header is row 1)."""
    if refused.row is None and refused.line is None:
        return f"{refused.source}: {refused.problem}"
    if refused.row is not None:
        where = f"row {refused.row + 1}"
    else:
        where = "row 1" if refused.line == 1 else f"line {refused.line}"
    column = f", column {refused.column}" if refused.column is not None else ""
    return f"{refused.source} {where}{column}: {refused.problem}"
