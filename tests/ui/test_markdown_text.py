"""Text from instrument files shows exactly as written inside Streamlit Markdown."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ui.markdown_text import escape, unescape


@given(st.text())
def test_unescape_undoes_escape(text):
    assert unescape(escape(text)) == text


@given(st.text())
def test_no_markdown_or_directive_character_is_left_bare(text):
    bare = re.sub(r"\\.", "", escape(text))
    assert not set(bare) & set("\\`*_[]{}()<>#+-.!|$~:&")


def test_streamlit_directives_are_defused():
    assert escape(":red[alarm] $x$") == r"\:red\[alarm\] \$x\$"
