"""Read the CSV that ``tisa analyze`` takes into the arrays :func:`reports.analysis.analyze`
expects.

The file (UTF-8, a byte-order mark is allowed) has a header line naming its columns: one column
per item id of the instrument, in any order, and optionally a group column and a compare
column; every other column is ignored. A cell of an item column holds a point of the item's
scale (``4``, or ``4.0``), is empty for a skipped item, or holds ``NA`` for "not applicable /
unable to rate" (both are missing, never zero). Spaces around a cell are ignored; blank lines
are skipped.

Limits (`ANALYSIS_LIMITS`, checked by `instruments.csv_file`): at most 1 GB and 2,000,000
data rows (a round of a state system, DESIGN section 10, is 1,000,000 rows of 62 items); a cell
of an item column at most 32 characters (a scale point, ``NA`` or nothing, with spaces), a
group or compare label at most 200 characters, with no control or bidirectional character
(`instruments.text`) and not starting like a spreadsheet formula. Other columns are never read
into arrays; their cells are held only to the `csv` module's own limit of 131,072 characters.

Every problem raises :class:`CsvInputError`, whose message is one line naming the place: the
data row (1-based, the header not counted) and the file line, or the header line, and the
column, then what is wrong and what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from instruments.csv_file import CsvLimits, CsvRefused, formula_like, read_csv_file, read_rows
from instruments.model import Instrument
from instruments.text import NAME_MAX, TextRefused, clean_text, shorten

__all__ = [
    "ANALYSIS_LIMITS",
    "AnalysisCsv",
    "CsvInputError",
    "parse_analysis_csv",
    "read_analysis_csv",
]

NOT_APPLICABLE = "NA"
ANALYSIS_LIMITS = CsvLimits("a file to analyze", max_bytes=1024 * 1024 * 1024, max_rows=2_000_000)
ITEM_CELL_MAX = 32
LABEL_MAX = NAME_MAX


class CsvInputError(CsvRefused):
    """A problem in the CSV, with its place.

    Attributes
    ----------
    source : str
        The file (as given) or ``<csv>``.
    row : int or None
        1-based data row (the first line after the header is row 1); ``None`` for the header.
    line : int or None
        Line of the file.
    column : str or None
        The column's header name (or ``field N`` for a field past the header).
    problem : str
        What is wrong and how to fix it.
    """

    @classmethod
    def from_refusal(cls, refused: CsvRefused) -> CsvInputError:
        return cls(
            refused.source,
            refused.problem,
            row=refused.row,
            line=refused.line,
            column=refused.column,
        )


@dataclass(frozen=True)
class AnalysisCsv:
    """The arrays read from the CSV, in the instrument's item order.

    Attributes
    ----------
    answers : numpy.ndarray of float, shape (n_rows, n_items)
        Scale points as answered, ``nan`` where empty or ``NA``.
    not_applicable : numpy.ndarray of bool, shape (n_rows, n_items)
        ``True`` where the cell holds ``NA``.
    groups : numpy.ndarray of str or None
        The group column, when one was named.
    compare : numpy.ndarray or None
        The compare column, when one was named: numbers (float) when both of its values are
        numbers, so that ``9`` sorts before ``10``, otherwise the strings.
    item_ids : tuple of str
        The columns of ``answers``.
    lines : numpy.ndarray of int
        The file line of every data row.
    """

    answers: np.ndarray
    not_applicable: np.ndarray
    groups: np.ndarray | None
    compare: np.ndarray | None
    item_ids: tuple[str, ...]
    lines: np.ndarray

    @property
    def n_rows(self) -> int:
        return int(self.answers.shape[0])


def read_analysis_csv(
    path: str | Path,
    instrument: Instrument,
    *,
    group_col: str | None = None,
    compare_col: str | None = None,
) -> AnalysisCsv:
    """Read the CSV at ``path`` (see the module docstring); raise :class:`CsvInputError`."""
    source = str(path)
    try:
        text = read_csv_file(path, ANALYSIS_LIMITS, source=source)
    except CsvRefused as refused:
        raise CsvInputError.from_refusal(refused) from None
    return parse_analysis_csv(
        text, instrument, group_col=group_col, compare_col=compare_col, source=source
    )


def parse_analysis_csv(
    text: str,
    instrument: Instrument,
    *,
    group_col: str | None = None,
    compare_col: str | None = None,
    source: str = "<csv>",
) -> AnalysisCsv:
    """Parse CSV text (see the module docstring); raise :class:`CsvInputError`."""
    try:
        table = read_rows(text, ANALYSIS_LIMITS, source=source, check_cells=False)
    except CsvRefused as refused:
        raise CsvInputError.from_refusal(refused) from None
    header, rows, lines, header_line = table.header, table.rows, table.lines, table.header_line

    positions = _columns(header, instrument, group_col, compare_col, source, header_line)
    width = len(header)
    for r, (record, line) in enumerate(zip(rows, lines, strict=True), start=1):
        if len(record) < width:
            raise CsvInputError(
                source,
                f"the row has {len(record)} fields but the header has {width}; add the missing "
                f"cells (an empty cell is a skipped item)",
                row=r,
                line=line,
                column=header[len(record)] or f"field {len(record) + 1}",
            )
        if len(record) > width:
            raise CsvInputError(
                source,
                f"the row has {len(record)} fields but the header has {width}; remove the extra "
                f"cells or name the column in the header",
                row=r,
                line=line,
                column=f"field {width + 1}",
            )
    # one tuple per column (the transpose, at C speed); only the columns used become arrays,
    # each as wide as its own longest cell (capped before it is made, so one long cell cannot
    # make a column of a million rows take gigabytes), so a long free-text column costs nothing
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    line_numbers = np.array(lines, dtype=np.int64)
    item_ids = tuple(instrument.item_ids())
    item_cells = [columns[p] for p in positions["items"]]
    _refuse_long_item_cells(item_cells, item_ids, instrument, line_numbers, source)
    answers, na = _answers(
        [np.array(cells, dtype=str) for cells in item_cells],
        item_ids,
        instrument,
        line_numbers,
        source,
    )

    groups = compare = None
    if group_col is not None:
        groups = _labels(columns[positions["group"]], group_col, line_numbers, source, "group")
    if compare_col is not None:
        values = _labels(columns[positions["compare"]], compare_col, line_numbers, source, "round")
        compare = _two_values(values, compare_col, line_numbers, source)
    return AnalysisCsv(
        answers=answers,
        not_applicable=na,
        groups=groups,
        compare=compare,
        item_ids=item_ids,
        lines=line_numbers,
    )


def _columns(
    header: Sequence[str],
    instrument: Instrument,
    group_col: str | None,
    compare_col: str | None,
    source: str,
    line: int,
) -> dict:
    """Positions of the item, group and compare columns in the header."""
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in seen and name:
            raise CsvInputError(
                source,
                f"the header names this column twice (fields {seen[name] + 1} and {index + 1}); "
                f"give every column a distinct name",
                line=line,
                column=shorten(name, 60),
            )
        seen.setdefault(name, index)
    item_ids = instrument.item_ids()
    missing = [item_id for item_id in item_ids if item_id not in seen]
    if missing:
        others = f" (also missing: {', '.join(missing[1:6])}" if len(missing) > 1 else ""
        if len(missing) > 6:
            others += f" and {len(missing) - 6} more"
        others += ")" if others else ""
        raise CsvInputError(
            source,
            f"missing item column{others}; the header needs one column per item of "
            f"{instrument.ref} ({len(item_ids)} items), even if the column is empty",
            line=line,
            column=missing[0],
        )
    positions: dict = {"items": [seen[item_id] for item_id in item_ids]}
    for option, name, key in (
        ("--group-col", group_col, "group"),
        ("--compare-col", compare_col, "compare"),
    ):
        if name is None:
            continue
        if name not in seen:
            known = [shorten(h, 40) for h in header if h and h not in item_ids]
            listed = ", ".join(known[:10]) + (f" and {len(known) - 10} more" if len(known) > 10
                                              else "")
            hint = f"the other columns are {listed}" if known else "it has only item columns"
            raise CsvInputError(
                source,
                f"no such column for {option}; {hint}",
                line=line,
                column=shorten(name, 60),
            )
        positions[key] = seen[name]
    return positions


def _answers(
    columns: Sequence[np.ndarray],
    item_ids: Sequence[str],
    instrument: Instrument,
    lines: np.ndarray,
    source: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The item cells as numbers and the not-applicable mask. In each column every distinct
    cell text is parsed once (a handful: the points, empty, NA), then mapped back to the rows;
    the first bad cell in reading order (row, then column of the instrument) is reported."""
    n_rows = lines.shape[0]
    answers = np.full((n_rows, len(item_ids)), np.nan)
    na = np.zeros((n_rows, len(item_ids)), dtype=bool)
    first_bad: tuple[int, int, str] | None = None  # (row, column, cell)
    for j, (item_id, cells) in enumerate(zip(item_ids, columns, strict=True)):
        scale = instrument.scale_of(instrument.item(item_id))
        tokens, inverse = np.unique(cells, return_inverse=True)
        values = np.full(tokens.shape[0], np.nan)
        token_na = np.zeros(tokens.shape[0], dtype=bool)
        token_bad = np.zeros(tokens.shape[0], dtype=bool)
        for t, token in enumerate(tokens.tolist()):
            text = token.strip()
            if not text:
                continue
            if text == NOT_APPLICABLE:
                token_na[t] = True
                continue
            try:
                number = float(text)
            except ValueError:
                token_bad[t] = True
                continue
            if number in scale.points:  # False for 2.5, 0, nan and inf
                values[t] = number
            else:
                token_bad[t] = True
        inverse = inverse.reshape(-1)
        answers[:, j] = values[inverse]
        na[:, j] = token_na[inverse]
        bad = token_bad[inverse]
        if bad.any():
            row = int(np.argmax(bad))
            if first_bad is None or row < first_bad[0]:
                first_bad = (row, j, str(cells[row]))
    if first_bad is not None:
        row, j, cell = first_bad
        raise _not_a_point(instrument, item_ids[j], cell, row, lines, source)
    return answers, na


def _not_a_point(
    instrument: Instrument, item_id: str, cell: str, row: int, lines: np.ndarray, source: str
) -> CsvInputError:
    item = instrument.item(item_id)
    points = ", ".join(str(p) for p in instrument.scale_of(item).points)
    return CsvInputError(
        source,
        f"{shorten(cell.strip(), 40)!r} is not a point of the {item.scale} scale; write one of "
        f"{points}, leave the cell empty for a skipped item, or write {NOT_APPLICABLE} for not "
        f"applicable",
        row=row + 1,
        line=int(lines[row]),
        column=item_id,
    )


def _refuse_long_item_cells(
    columns: Sequence[Sequence[str]],
    item_ids: Sequence[str],
    instrument: Instrument,
    lines: np.ndarray,
    source: str,
) -> None:
    """No scale point, ``NA`` or empty cell is longer than `ITEM_CELL_MAX`; the first longer
    cell (by row) is refused before any column becomes an array."""
    first: tuple[int, int] | None = None
    for j, cells in enumerate(columns):
        if cells and max(map(len, cells)) > ITEM_CELL_MAX:
            row = next(i for i, cell in enumerate(cells) if len(cell) > ITEM_CELL_MAX)
            if first is None or row < first[0]:
                first = (row, j)
    if first is not None:
        row, j = first
        raise _not_a_point(instrument, item_ids[j], columns[j][row], row, lines, source)


def _labels(
    cells: Sequence[str], column: str, lines: np.ndarray, source: str, what: str
) -> np.ndarray:
    """The labels of a group or compare column: at most `LABEL_MAX` characters, none empty,
    each cleaned by the one rule for text and none starting like a spreadsheet formula."""
    if cells and max(map(len, cells)) > LABEL_MAX:
        row = next(i for i, cell in enumerate(cells) if len(cell) > LABEL_MAX)
        raise CsvInputError(
            source,
            f"the {what} label is {len(cells[row]):,} characters long; the limit is {LABEL_MAX}",
            row=row + 1,
            line=int(lines[row]),
            column=column,
        )
    values = np.char.strip(np.array(cells, dtype=str))
    empty = values == ""
    if empty.any():
        row = int(np.argmax(empty))
        raise CsvInputError(
            source,
            f"empty cell; every row needs a {what} in this column",
            row=row + 1,
            line=int(lines[row]),
            column=column,
        )
    if values.shape[0] == 0:
        return values
    # a handful of distinct labels: each is checked once, then mapped back to its rows
    distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    cleaned: list[str] = []
    problems: list[tuple[int, str]] = []
    for label, row in zip(distinct.tolist(), first.tolist(), strict=True):
        if formula_like(label):
            problems.append(
                (
                    row,
                    f"{shorten(label, 40)!r} starts like a spreadsheet formula; write the "
                    f"{what} as plain text",
                )
            )
            continue
        try:
            cleaned.append(clean_text(label, field=f"{what} label", max_length=LABEL_MAX))
        except TextRefused as refused:
            problems.append((row, str(refused)))
    if problems:
        row, problem = min(problems)
        raise CsvInputError(source, problem, row=row + 1, line=int(lines[row]), column=column)
    return np.array(cleaned, dtype=str)[inverse.reshape(-1)]


def _two_values(values: np.ndarray, column: str, lines: np.ndarray, source: str) -> np.ndarray:
    distinct, first = np.unique(values, return_index=True)
    if distinct.shape[0] != 2:
        if distinct.shape[0] > 2:
            order = np.sort(first)
            row = int(order[2])
            seen = ", ".join(repr(str(values[i])) for i in order[:3])
            raise CsvInputError(
                source,
                f"a third value {str(values[row])!r} ({seen}, …); --compare-col needs a column "
                f"with exactly two values, the earlier and the later round",
                row=row + 1,
                line=int(lines[row]),
                column=column,
            )
        only = f"only the value {str(distinct[0])!r}" if distinct.shape[0] else "no rows"
        raise CsvInputError(
            source,
            f"{only}; --compare-col needs a column with exactly two values, the earlier and "
            f"the later round",
            line=1,
            column=column,
        )
    numbers = _as_numbers(distinct.tolist())
    if numbers is None:
        return values
    return np.array(numbers)[np.searchsorted(distinct, values)]


def _as_numbers(texts: Iterable[str]) -> list[float] | None:
    numbers = []
    for text in texts:
        try:
            number = float(text)
        except ValueError:
            return None
        if not np.isfinite(number):
            return None
        numbers.append(number)
    return numbers
