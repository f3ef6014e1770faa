"""Text fields of the stored model, through the one input rule (`instruments.text`).

Every service that stores a name or a free text a person typed (organizations, units, rounds,
users, action items, CSV cells) calls one of these, so a control character, a bidirectional
control or an over-long text is refused the same way everywhere, with `InvalidInput` naming
the field, the character and its position:

    the unit name contains a control character (U+0000) at position 6; remove it

Names are single-line: runs of white space inside them become one space. Messages quote what
was typed through `shown`, which keeps them short and free of control characters.
"""

from __future__ import annotations

from instruments.text import CODE_MAX, NAME_MAX, TextRefused, clean_text, first_unwanted
from storage.errors import InvalidInput

SHOWN_MAX = 60  # characters of a refused value quoted in a message


def checked_name(value: object, *, field: str, max_length: int = NAME_MAX) -> str:
    """A required single-line name (``field`` as a person reads it: "unit name"), cleaned, or
    `InvalidInput` saying what is wrong."""
    try:
        text = clean_text(value, field=field, max_length=max_length, required=True)
    except TextRefused as refused:
        raise InvalidInput(str(refused)) from None
    return " ".join(text.split())


def checked_text(value: object, *, field: str, max_length: int, multiline: bool = False) -> str:
    """An optional free text, cleaned (may be empty), or `InvalidInput`."""
    try:
        text = clean_text(value, field=field, max_length=max_length, multiline=multiline)
    except TextRefused as refused:
        raise InvalidInput(str(refused)) from None
    return text if multiline else " ".join(text.split())


def shown(value: object) -> str:
    """A value quoted in a message: its repr (control characters escaped), cut to
    `SHOWN_MAX` characters."""
    text = repr(value)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def lookup_key(value: object, *, max_length: int = CODE_MAX) -> str | None:
    """What was typed to find a stored row by its code, slug or username, stripped; None when
    it cannot be one (not text, too long, or holding a character no key holds), so the lookup
    answers "not found" without sending it to the database (a lone surrogate cannot even be
    encoded for it)."""
    if not isinstance(value, str) or len(value) > 4 * max_length:
        return None
    key = value.strip()
    if len(key) > max_length or first_unwanted(key) is not None:
        return None
    return key
