"""What an attacker types, and the checks every hostile-input test shares: the row count of
every table (a refused input changes none) and every stored string (none holds a character
that is not text).

Imported by the hostile-input tests of the command line (tests/cli/test_hostile_cli.py) and of
the app's forms (tests/ui/test_hostile_forms.py).
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from hypothesis import strategies as st

from storage.engine import make_engine
from storage.models import Base

# What an attacker types, by what it attacks.
HOSTILE_TEXTS: dict[str, str] = {
    "nul": "North\x00Region",
    "escape_sequence": "North\x1b[31mRegion",
    "bell_and_backspace": "North\x07\x08Region",
    "c1_control": "North\x85\x9bRegion",
    "right_to_left_override": "North\u202eRegion",
    "isolate": "\u2066North\u2069",
    "formula_equals": '=HYPERLINK("http://evil.example","open")',
    "formula_plus": "+1+1",
    "formula_minus": "-2+3",
    "formula_at": "@SUM(A1:A9)",
    "formula_tab": "\t=1+1",
    "formula_cr": "\r=1+1",
    "mathtext": r"$\frac{1}{2}$ and $x^$",
    "markup": "<script>alert(1)</script> **bold** [link](javascript:alert(1))",
    "huge": "x" * 100_000,
    "empty": "",
    "blank": "   ",
    "line_break": "North\nRegion",
}
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Any code point a keyboard, a paste or a script can produce.
ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80
)


def bad_characters(text: str, *, multiline: bool) -> list[str]:
    """The characters a stored text must not hold (see `instruments.text`)."""
    allowed = {"\n", "\t"} if multiline else set()
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if ch not in allowed
        and (unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS)
    ]


def row_counts(url: str) -> dict[str, int]:
    """The number of rows of every table."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def stored_texts(url: str) -> list[tuple[str, str, str]]:
    """(table, column, value) of every stored string."""
    engine = make_engine(url)
    found: list[tuple[str, str, str]] = []
    try:
        with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                columns = [
                    column for column in table.columns
                    if isinstance(column.type, sa.String | sa.Text)
                ]
                if not columns:
                    continue
                for row in connection.execute(sa.select(*columns)):
                    for column, value in zip(columns, row, strict=True):
                        if isinstance(value, str):
                            found.append((table.name, column.name, value))
    finally:
        engine.dispose()
    return found


def assert_clean_store(url: str) -> None:
    """No stored string holds a control character (other than a line break or a tab) or a
    bidirectional control."""
    for table, column, value in stored_texts(url):
        bad = bad_characters(value, multiline=True)
        assert not bad, f"{table}.{column} holds {bad[:3]} in {value[:60]!r}"
