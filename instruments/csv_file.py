"""The CSV files tisa reads (answers to analyze, paper forms, units): bounded, UTF-8, plain text.

A CSV file comes from a spreadsheet, a script or someone who means harm, and tisa reads it
whole before it changes anything. Every reader goes through this module, which holds each file
to limits its caller states (`CsvLimits`: bytes, rows, columns, characters per cell) and
refuses, with the place where it is found:

- a file larger than its limit (read up to one byte past it, never further: a device or a file
  still being written has no honest size);
- bytes that are not UTF-8 (a UTF-8 byte-order mark at the start is allowed; a UTF-16 file is
  named as such);
- a NUL character (a binary file, or a hidden end of text for some readers);
- more data rows than the limit, or a row with more cells than the column limit (1,000 unless
  the caller says otherwise);
- a cell longer than the limit (checked for every cell, or, for a file of a million rows,
  by the caller for the columns it uses);
- text the `csv` module cannot read.

What each column means, ragged rows included, is the caller's to check; `formula_like` tells a
cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` and not a number), which
no name or label tisa reads may be.

Every refusal is a `CsvRefused`: one line naming the file, the data row (1-based, the header
not counted, blank lines skipped) and the line of the file, the column, and what is wrong.
This module imports nothing of the project but `instruments.text`.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from instruments.text import CELL_MAX, shorten

__all__ = [
    "CsvLimits",
    "CsvRefused",
    "CsvRows",
    "decode_csv",
    "formula_like",
    "read_csv_file",
    "read_rows",
]

FORMULA_STARTS = ("=", "+", "-", "@")
_FIELD_LIMIT_ERROR = "field larger than field limit"
_MARK = "\x01"  # stands for the character being located


@dataclass(frozen=True)
class CsvLimits:
    """The limits one kind of file is held to; `what` names the kind in messages."""

    what: str
    max_bytes: int
    max_rows: int
    max_cell: int = CELL_MAX
    max_columns: int = 1000

    def size_text(self) -> str:
        if self.max_bytes >= 1024**3:
            return f"{self.max_bytes / 1024**3:g} GB"
        return f"{self.max_bytes / 1024**2:g} MB"


class CsvRefused(ValueError):
    """A CSV file, or a place in it, that tisa does not read.

    Attributes
    ----------
    source : str
        The file as given, or ``<csv>``.
    problem : str
        What is wrong and how to fix it.
    row : int or None
        1-based data row (the header not counted, blank lines skipped); None for the header
        or the whole file.
    line : int or None
        Line of the file.
    column : str or None
        The column's header name, or ``field N`` past the header.
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.source = source
        self.problem = problem
        self.row = row
        self.line = line
        self.column = column
        place = []
        if row is not None:
            place.append(f"row {row} (line {line})")
        elif line is not None:
            place.append(f"line {line}" + (" (header)" if line == 1 else ""))
        if column is not None:
            place.append(f"column {column}")
        where = ", ".join(place)
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")


@dataclass(frozen=True)
class CsvRows:
    """The header (names stripped of surrounding spaces) and the data rows, blank lines left
    out; ``lines[i]`` is the file line where ``rows[i]`` ends."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    header_line: int

    def column_name(self, index: int) -> str:
        if index < len(self.header) and self.header[index]:
            return self.header[index]
        return f"field {index + 1}"


def read_csv_file(path: str | Path, limits: CsvLimits, *, source: str | None = None) -> str:
    """The text of the CSV file at ``path``, checked by `decode_csv`."""
    source = str(path) if source is None else source
    try:
        with Path(path).open("rb") as handle:
            data = _read_at_most(handle, limits.max_bytes)
    except FileNotFoundError:
        raise CsvRefused(source, "file not found") from None
    except IsADirectoryError:
        raise CsvRefused(source, "is a folder, not a CSV file") from None
    except OSError as exc:
        raise CsvRefused(source, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if data is None:
        raise CsvRefused(source, _too_large(limits))
    return decode_csv(data, limits, source=source)


def _read_at_most(handle: BinaryIO, limit: int) -> bytes | None:
    """The bytes of an open file, or None when it holds more than ``limit``. The size the file
    system reports is checked first; a device or a file still being written has no honest
    size, so reading then goes on in pieces and stops one byte past the limit."""
    size = os.fstat(handle.fileno()).st_size
    if size > limit:
        return None
    first = handle.read(size + 1) if size else b""
    if size and len(first) <= size:
        return first
    parts, total = [first], len(first)
    while total <= limit:
        piece = handle.read(1024 * 1024)
        if not piece:
            break
        parts.append(piece)
        total += len(piece)
    return None if total > limit else b"".join(parts)


def decode_csv(data: bytes, limits: CsvLimits, *, source: str = "<csv>") -> str:
    """UTF-8 bytes → text without a byte-order mark; refuses a file over the size limit,
    bytes that are not UTF-8 and NUL characters, naming the place."""
    if len(data) > limits.max_bytes:
        raise CsvRefused(source, _too_large(limits))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvRefused(source, "the file is UTF-16 text; save it as CSV UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # the text up to the bad byte says where it is
        before = data[: exc.start].decode("utf-8", errors="replace")
        row, line, column = _locate(before.removeprefix("\ufeff"))
        where = f"row {row}, " if row is not None else ""
        where += f"column {column}, " if column is not None else ""
        raise CsvRefused(
            source,
            f"not UTF-8 text ({where}byte {exc.start}); save the file as CSV UTF-8",
            line=line,
        ) from None
    return check_text(text, limits, source=source)


def check_text(text: str, limits: CsvLimits, *, source: str = "<csv>") -> str:
    """CSV text already decoded (an upload, a test): the same size and NUL checks as
    `decode_csv`; the text without a byte-order mark."""
    if len(text) > limits.max_bytes:
        raise CsvRefused(source, _too_large(limits))
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        row, line, column = _locate(text[:nul])
        raise CsvRefused(
            source,
            "the cell holds a NUL character (U+0000), which is not text; save the file as "
            "CSV UTF-8 from the spreadsheet",
            row=row,
            line=line,
            column=column,
        )
    return text


def _too_large(limits: CsvLimits) -> str:
    return (
        f"the file is larger than {limits.size_text()}, the limit for {limits.what}; split it "
        "into smaller files"
    )


def read_rows(
    text: str, limits: CsvLimits, *, source: str = "<csv>", check_cells: bool = True
) -> CsvRows:
    """Parse checked CSV text (`decode_csv`, `check_text`) into its header and rows.

    Refuses an empty file, more than ``limits.max_rows`` data rows, and (with
    ``check_cells``; always for the header) a cell longer than ``limits.max_cell``.
    """
    text = check_text(text, limits, source=source)
    reader = csv.reader(_bounded_lines(text, limits, source))
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    header_line = 1
    max_rows, max_cell = limits.max_rows, limits.max_cell
    read_to = 0  # the last line of the last record read, blank or not
    try:
        for record in reader:
            read_to = reader.line_num
            if len(record) > limits.max_columns:
                raise CsvRefused(
                    source,
                    f"{len(record):,} cells on one row; {limits.what} has at most "
                    f"{limits.max_columns:,} columns",
                    row=None if header is None else len(rows) + 1,
                    line=reader.line_num,
                )
            if header is None:
                header_line = reader.line_num
                header = record
                _check_cells(record, header, max_cell, source, None, header_line)
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line
            if len(rows) >= max_rows:
                raise CsvRefused(
                    source,
                    f"more than {max_rows:,} data rows, the limit for {limits.what}; split the "
                    "file",
                    row=len(rows) + 1,
                    line=reader.line_num,
                )
            if check_cells and max(map(len, record)) > max_cell:
                _check_cells(record, header, max_cell, source, len(rows) + 1, reader.line_num)
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        if _FIELD_LIMIT_ERROR in str(exc):
            # the record that failed starts on the line after the last one read
            start_line = read_to + 1
            index = _long_field(text, _line_offset(text, start_line), max_cell)
            raise CsvRefused(
                source,
                f"a cell is longer than {max_cell:,} characters, the limit for {limits.what}",
                row=len(rows) + 1 if header is not None else None,
                line=start_line,
                column=None if index is None or header is None else _name(header, index),
            ) from None
        raise CsvRefused(
            source, f"the file is not valid CSV ({exc})", line=reader.line_num
        ) from None
    if header is None or not any(name.strip() for name in header):
        raise CsvRefused(
            source, "the file is empty; the first line must name the columns", line=1
        )
    return CsvRows(
        header=[name.strip() for name in header], rows=rows, lines=lines, header_line=header_line
    )


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, as `csv.reader` reads them, without the copy at
    four bytes a character that `io.StringIO` makes. Lines end in LF or CR LF; a file with no
    LF at all (a classic Mac spreadsheet's) ends them in CR."""
    end_of_line = "\n" if "\n" in text or "\r" not in text else "\r"
    start, size = 0, len(text)
    while start < size:
        end = text.find(end_of_line, start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _bounded_lines(text: str, limits: CsvLimits, source: str) -> Iterator[str]:
    """The lines of ``text``, refusing one longer than a row of the widest allowed cells could
    be, before the `csv` module makes a list of its cells (a line of a billion commas would be
    a list of a billion empty strings)."""
    longest = limits.max_columns * (limits.max_cell + 3)
    end_of_line = "\n" if "\n" in text or "\r" not in text else "\r"
    start, size, number = 0, len(text), 0
    while start < size:
        number += 1
        end = text.find(end_of_line, start)
        end = size if end < 0 else end + 1
        if end - start > longest:
            raise CsvRefused(
                source,
                f"the line is {end - start:,} characters long, longer than a row of "
                f"{limits.max_columns:,} cells of {limits.max_cell:,} characters; {limits.what} "
                "has shorter rows",
                line=number,
            )
        yield text[start:end]
        start = end


def check_column_cells(
    cells: Sequence[str],
    limit: int,
    *,
    source: str,
    column: str,
    lines: Sequence[int],
    what: str,
) -> None:
    """Refuse the first cell of one column longer than ``limit`` (a column read from a large
    file whose rows were not checked cell by cell)."""
    if not cells or max(map(len, cells)) <= limit:
        return
    row = next(i for i, cell in enumerate(cells) if len(cell) > limit)
    raise CsvRefused(
        source,
        f"the cell is {len(cells[row]):,} characters long; the limit for {what} is {limit:,}",
        row=row + 1,
        line=int(lines[row]),
        column=column,
    )


def formula_like(cell: str) -> bool:
    """Whether a spreadsheet would run the cell as a formula: it starts with ``=``, ``+``,
    ``-`` or ``@`` (after spaces, tabs and line breaks) and is not a number.

    >>> [formula_like(c) for c in ("=1+1", "@SUM(A1)", "-2+3", "-2", "+3.5", "North", "")]
    [True, True, True, False, False, False, False]
    """
    text = cell.strip()
    if not text.startswith(FORMULA_STARTS):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def _check_cells(
    record: list[str],
    header: list[str],
    limit: int,
    source: str,
    row: int | None,
    line: int,
) -> None:
    for index, cell in enumerate(record):
        if len(cell) > limit:
            raise CsvRefused(
                source,
                f"the cell is {len(cell):,} characters long; the limit is {limit:,} "
                f"(it starts {shorten(cell[:40])!r})",
                row=row,
                line=line,
                column=_name(header, index) if row is not None else f"field {index + 1}",
            )


def _name(header: Sequence[str], index: int) -> str:
    if index < len(header) and header[index].strip():
        return shorten(header[index].strip(), 60)
    return f"field {index + 1}"


def _locate(before: str) -> tuple[int | None, int, str | None]:
    """(data row, line, column) of the character that follows ``before`` (the text of the
    file up to it). A marker put in its place is read like any character: the field that
    holds the marker is the field of the character."""
    line = before.count("\n") + 1
    header: list[str] | None = None
    last: list[str] = []
    n_rows = 0
    try:
        for record in csv.reader(_lines(before + _MARK)):
            if header is None:
                header = last = record
            elif record and not (len(record) == 1 and not record[0].strip()):
                n_rows += 1
                last = record
    except csv.Error:
        return None, line, None
    index = next((i for i, cell in enumerate(last) if _MARK in cell), max(len(last) - 1, 0))
    if header is None or last is header:
        return None, line, f"field {index + 1}"
    return n_rows, line, _name(header, index)


def _line_offset(text: str, line: int) -> int:
    """Where line ``line`` (1-based) starts in ``text``."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def _long_field(text: str, start: int, limit: int) -> int | None:
    """Index of the first field longer than ``limit`` in the record starting at ``start``."""
    field = length = 0
    quoted = False
    i, n = start, len(text)
    while i < n:
        char = text[i]
        if quoted:
            if char == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                    length += 1
                else:
                    quoted = False
            else:
                length += 1
        elif char == '"' and length == 0:
            quoted = True
        elif char == ",":
            field += 1
            length = 0
        elif char in "\r\n":
            return None
        else:
            length += 1
        if length > limit:
            return field
        i += 1
    return None
