"""The one rule for every text that enters tisa: comments, names, CSV cells, YAML strings.

What a person types is kept as it was meant and nothing else:

- the text is put in Unicode normal form C, so one word is stored one way;
- characters that are not text are never stored: C0 control characters (U+0000–U+001F, NUL
  included; a line break and a tab are kept only in multi-line text), DEL, C1 control characters
  (U+0080–U+009F), lone surrogates, the line and paragraph separators U+2028/U+2029, and the
  bidirectional controls that make text read differently from what is stored (U+061C,
  U+200E/U+200F, U+202A–U+202E, U+2066–U+2069);
- surrounding white space is stripped;
- a text longer than its field's cap is refused, never cut.

A field either *refuses* such characters (names, codes, titles: the person fixes the text and
sees where the character was) or *removes* them (a respondent's comment: the comment is kept
without them). Either way the message names the field and what was wrong, e.g.::

    the unit name contains a control character (U+0000) at position 6; remove it

`clean_text` is for text coming in; `scrub_text` is for text already stored by an older tisa,
cleaned the same way without ever refusing, so one old row cannot stop a release or a page.

This module imports nothing of the project, so every layer may use it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

# Caps, in characters after normalisation. The database columns are at least this wide.
NAME_MAX = 200  # organization, unit, round, user display names, action owners
TITLE_MAX = 300  # action titles, instrument titles
CODE_MAX = 64  # usernames, unit codes, access codes as typed
COMMENT_MAX = 2000  # a respondent's comment on one domain
NOTE_MAX = 4000  # free text an administrator writes (action notes, descriptions)
CELL_MAX = 2000  # one cell of an imported CSV file

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
LINE_SEPARATORS = frozenset("\u2028\u2029")
_KEPT_IN_MULTILINE = frozenset("\n\t")

OnControl = Literal["refuse", "remove"]


class TextRefused(ValueError):
    """A text that cannot be stored; the message names the field and what was wrong."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Unwanted:
    """The first character of a text that is not allowed, with its 1-based position."""

    position: int
    character: str
    kind: str  # "control character", "bidirectional control", "lone surrogate"

    def describe(self) -> str:
        return f"a {self.kind} (U+{ord(self.character):04X}) at position {self.position}"


def _kind(char: str, multiline: bool) -> str | None:
    """What is wrong with one character, or None when it may be stored."""
    if char in BIDI_CONTROLS:
        return "bidirectional control"
    if multiline and char in _KEPT_IN_MULTILINE:
        return None
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F or char in LINE_SEPARATORS:
        return "control character"
    if 0xD800 <= code <= 0xDFFF:
        return "lone surrogate"
    return None


def first_unwanted(value: str, *, multiline: bool = False) -> Unwanted | None:
    """The first character of ``value`` that `clean_text` would refuse, or None."""
    for index, char in enumerate(value):
        kind = _kind(char, multiline)
        if kind is not None:
            return Unwanted(index + 1, char, kind)
    return None


def _normalise_line_breaks(value: str) -> str:
    return (
        value.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )


def _remove_unwanted(value: str, multiline: bool) -> str:
    return "".join(char for char in value if _kind(char, multiline) is None)


def remove_unwanted(value: str, *, multiline: bool = True) -> str:
    """``value`` without the characters `clean_text` refuses, and nothing else changed (no
    normalisation, no stripping): for text written out as it was stored, e.g. a spreadsheet
    cell (an XLSX file cannot even hold most control characters).

    >>> remove_unwanted("  North\x1b[0m\u202e ")
    '  North[0m '
    """
    return _remove_unwanted(value, multiline)


def _normalise(value: str) -> str:
    # Lone surrogates cannot be normalised (nor stored in UTF-8): they are found first.
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        return value
    return unicodedata.normalize("NFC", value)


def clean_text(
    value: object,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    on_control: OnControl = "refuse",
    required: bool = False,
) -> str:
    """The text as tisa stores it, or `TextRefused` naming ``field`` and what was wrong.

    ``field`` is the field's name as a person reads it ("unit name", "comment on SAF").
    ``multiline`` keeps line breaks (CR LF and CR become LF) and tabs. ``on_control="remove"``
    drops unwanted characters instead of refusing the text. ``required`` refuses a text that is
    empty once cleaned.

    >>> clean_text("  Unit A ", field="unit name", max_length=10)
    'Unit A'
    >>> clean_text("a\\x00b", field="comment", max_length=10, on_control="remove")
    'ab'
    >>> try:
    ...     clean_text("a\\x00b", field="unit name", max_length=10)
    ... except TextRefused as refused:
    ...     print(refused)
    the unit name contains a control character (U+0000) at position 2; remove it
    """
    if not isinstance(value, str):
        raise TextRefused(f"the {field} must be text, not {type(value).__name__}", field=field)
    text = _normalise_line_breaks(value) if multiline else value
    if on_control == "remove":
        text = _remove_unwanted(text, multiline)
    else:
        unwanted = first_unwanted(text, multiline=multiline)
        if unwanted is not None:
            raise TextRefused(f"the {field} contains {unwanted.describe()}; remove it", field=field)
    text = _normalise(text).strip()
    if len(text) > max_length:
        raise TextRefused(
            f"the {field} is {len(text)} characters long; the limit is {max_length}",
            field=field,
        )
    if required and not text:
        raise TextRefused(f"the {field} is empty; enter some text", field=field)
    return text


def scrub_text(value: str, *, multiline: bool = True) -> str:
    """Text stored before this rule, made safe to show and store: unwanted characters removed,
    normalised, stripped. Never refuses (no length cap), so one old row never stops anything.

    >>> scrub_text("North\\x00 \\u202eRegion ")
    'North Region'
    """
    text = _normalise_line_breaks(value) if multiline else value
    return _normalise(_remove_unwanted(text, multiline)).strip()


def needs_scrub(value: str, *, multiline: bool = True) -> bool:
    """Whether `scrub_text` would change anything but surrounding white space."""
    return first_unwanted(value, multiline=multiline) is not None or (multiline and "\r" in value)


MESSAGE_QUOTE_MAX = 300


def shorten(text: str, limit: int = MESSAGE_QUOTE_MAX) -> str:
    """``text`` cut to ``limit`` characters for a message, keeping its start and end, so a
    message that quotes what was typed never repeats a 100 KB paste.

    >>> shorten("a" * 10 + "b" * 10, 9)
    'aaaa…bbbb'
    """
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-half:]}"
