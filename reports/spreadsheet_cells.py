"""Spreadsheet cells that stay data: no text tisa writes to a CSV or XLSX file becomes a formula.

A name typed into tisa (an organization, a unit, a round, an instrument text) can start with
``=``, ``+``, ``-`` or ``@``; a spreadsheet program that opens the file would run it as a
formula (``=HYPERLINK(...)`` to leak data, ``=cmd|...`` for DDE). Following OWASP's advice on
CSV injection (https://owasp.org/www-community/attacks/CSV_Injection), every *text* cell that
starts with one of those characters, a tab or a carriage return (after any leading white space,
which some programs trim) is written with a leading apostrophe, which spreadsheet programs show
as text and do not evaluate.

Text is also written without the characters the text rule refuses (`instruments.text`): a
name stored by an older tisa with a control character would otherwise stop the XLSX writer,
which cannot hold one. Only text is touched: numbers stay numbers (``-0.3`` written as a float
is a number, in XLSX and in CSV), so every writer passes its cells through `safe_cell` *before*
turning numbers into text. `safe_row` and `csv_bytes` do that for a whole row or file.

Every CSV and XLSX writer of tisa goes through this module: `reports.table_export`,
`reports.response_export`, `reports.code_slips` and the paper-entry template.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from instruments.text import remove_unwanted

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"


def safe_cell(value: object) -> object:
    """The cell as it may be written: text that a spreadsheet would read as a formula gets a
    leading apostrophe; numbers, dates, None and every other text are unchanged.

    >>> safe_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell(-0.3), safe_cell("North"), safe_cell(None)
    (-0.3, 'North', None)
    """
    if not isinstance(value, str):
        return value
    value = remove_unwanted(value, multiline=True)
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    """Every cell of a row through `safe_cell`."""
    return [safe_cell(value) for value in row]


def csv_bytes(rows: Iterable[Iterable[object]], *, line_terminator: str = "\r\n") -> bytes:
    """A CSV file of ``rows``, text cells neutralised, numbers written as numbers, UTF-8 with a
    byte-order mark (so spreadsheet programs read accents right)."""
    return csv_text(rows, line_terminator=line_terminator).encode("utf-8-sig")


def csv_text(rows: Iterable[Iterable[object]], *, line_terminator: str = "\r\n") -> str:
    """The text of a CSV file of ``rows``, text cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_terminator)
    for row in rows:
        writer.writerow(safe_row(row))
    return buffer.getvalue()
