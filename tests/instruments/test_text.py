"""The one input-cleaning rule, attacked with what a hostile person types.

Every sentence of `instruments/text.py`'s contract has a test here: normal form C, control
characters and bidirectional controls refused or removed, line breaks only in multi-line text,
surrounding white space stripped, over-long text refused (never cut), and messages that name the
field, the character and where it is.
"""

from __future__ import annotations

import doctest
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import instruments.text as text_module
from instruments.text import (
    BIDI_CONTROLS,
    COMMENT_MAX,
    NAME_MAX,
    TextRefused,
    clean_text,
    first_unwanted,
    needs_scrub,
    scrub_text,
)

CONTROL_CASES = {
    "nul": "North\x00Region",
    "escape": "North\x1b[31mRegion",
    "bell": "North\x07Region",
    "del": "North\x7fRegion",
    "c1": "North\x85Region",
    "csi": "North\x9bRegion",
    "line_separator": "North\u2028Region",
    "right_to_left_override": "North\u202eRegion",
    "isolate": "North\u2066Region",
    "left_to_right_mark": "North\u200eRegion",
    "arabic_letter_mark": "North\u061cRegion",
    "lone_surrogate": "North\ud800Region",
}


def _allowed(value: str, multiline: bool) -> bool:
    return first_unwanted(value, multiline=multiline) is None


@pytest.mark.parametrize("name", sorted(CONTROL_CASES))
def test_a_name_with_a_control_is_refused_with_the_place(name: str) -> None:
    with pytest.raises(TextRefused) as raised:
        clean_text(CONTROL_CASES[name], field="unit name", max_length=NAME_MAX)
    message = str(raised.value)
    assert message.startswith("the unit name contains a ")
    assert f"U+{ord(CONTROL_CASES[name][5]):04X}" in message
    assert "at position 6" in message
    assert raised.value.field == "unit name"
    assert isinstance(raised.value, ValueError)


def test_the_message_is_the_promised_sentence() -> None:
    with pytest.raises(
        TextRefused,
        match=r"^the unit name contains a control character "
        r"\(U\+0000\) at position 4; remove it$",
    ):
        clean_text("abc\x00", field="unit name", max_length=NAME_MAX)


@pytest.mark.parametrize("name", sorted(CONTROL_CASES))
def test_a_comment_keeps_its_words_without_the_control(name: str) -> None:
    cleaned = clean_text(
        CONTROL_CASES[name],
        field="comment",
        max_length=COMMENT_MAX,
        multiline=True,
        on_control="remove",
    )
    # U+2028 is a line break in a multi-line text; everything else just goes.
    assert cleaned in {"NorthRegion", "North\nRegion", "North[31mRegion"}


def test_line_breaks_and_tabs_only_in_multiline_text() -> None:
    assert clean_text("a\r\nb\rc\td", field="comment", max_length=20, multiline=True) == (
        "a\nb\nc\td"
    )
    with pytest.raises(TextRefused, match=r"U\+000A"):
        clean_text("a\nb", field="round name", max_length=20)
    with pytest.raises(TextRefused, match=r"U\+0009"):
        clean_text("a\tb", field="round name", max_length=20)


def test_surrounding_white_space_is_stripped_and_inner_kept() -> None:
    assert clean_text("  North  Region \n", field="c", max_length=20, multiline=True) == (
        "North  Region"
    )


def test_text_is_stored_in_normal_form_c() -> None:
    decomposed = "Jose\u0301"
    cleaned = clean_text(decomposed, field="user name", max_length=NAME_MAX)
    assert cleaned == "Jos\u00e9"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_over_long_text_is_refused_never_cut() -> None:
    huge = "x" * 100_000
    with pytest.raises(
        TextRefused,
        match=r"^the comment is 100000 characters long; "
        r"the limit is 2000$",
    ):
        clean_text(huge, field="comment", max_length=COMMENT_MAX, on_control="remove")
    assert clean_text("x" * NAME_MAX, field="n", max_length=NAME_MAX) == "x" * NAME_MAX


def test_required_text_must_not_be_empty_once_cleaned() -> None:
    with pytest.raises(TextRefused, match="the unit name is empty"):
        clean_text("   ", field="unit name", max_length=NAME_MAX, required=True)
    with pytest.raises(TextRefused, match="the comment is empty"):
        clean_text("\x00\u202e", field="comment", max_length=9, on_control="remove", required=True)
    assert clean_text("  ", field="comment", max_length=9) == ""


@pytest.mark.parametrize("value", [None, 3, b"bytes", ["a"]])
def test_what_is_not_text_is_refused(value: object) -> None:
    with pytest.raises(TextRefused, match="the unit name must be text"):
        clean_text(value, field="unit name", max_length=NAME_MAX)


@pytest.mark.parametrize(
    "value",
    [
        r"$\frac{1}{2}$",
        "$x^$",
        "<script>alert(1)</script>",
        "**bold**",
        "=1+1",
        "+1",
        "-2",
        "@SUM(A1)",
        "Zürich – 東京 – مرحبا",
        "👩‍⚕️ ward",
    ],
)
def test_printable_text_of_any_kind_passes_unchanged(value: str) -> None:
    """Markup, mathtext and formulas are text here; the places that show or export it escape
    it (the ZWJ inside an emoji sequence is no control)."""
    assert clean_text(value, field="unit name", max_length=NAME_MAX) == value


def test_scrub_text_never_refuses_and_cleans_old_rows() -> None:
    old = " \u202eNorth\x00 Region\r\nline two " + "y" * 5000
    cleaned = scrub_text(old)
    assert cleaned.startswith("North Region\nline two")
    assert len(cleaned) > COMMENT_MAX  # no cap: old text is not cut
    assert needs_scrub(old)
    assert not needs_scrub("North Region\nline two")
    assert scrub_text("a\ud800b") == "ab"


def test_every_bidi_control_listed_is_refused() -> None:
    for char in BIDI_CONTROLS:
        with pytest.raises(TextRefused, match="bidirectional control"):
            clean_text(f"a{char}b", field="n", max_length=9)


@given(st.text(max_size=300), st.booleans())
def test_whatever_comes_in_what_is_kept_is_clean(value: str, multiline: bool) -> None:
    """Fuzzed: a removing field always yields clean, normalised, stripped text within the cap,
    or refuses for length only; a refusing field never returns an unclean text."""
    try:
        kept = clean_text(
            value, field="f", max_length=200, multiline=multiline, on_control="remove"
        )
    except TextRefused as refused:
        assert "characters long" in str(refused)
    else:
        assert _allowed(kept, multiline)
        assert len(kept) <= 200
        assert kept == kept.strip()
        assert unicodedata.is_normalized("NFC", kept)
    try:
        strict = clean_text(value, field="f", max_length=200, multiline=multiline)
    except TextRefused as refused:
        assert str(refused).startswith("the f ")
    else:
        assert _allowed(strict, multiline)
        assert "\r" not in strict
    scrubbed = scrub_text(value)
    assert _allowed(scrubbed, True)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(text_module)
    assert result.attempted > 0 and result.failed == 0
