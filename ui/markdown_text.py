"""Put text from instrument files into Streamlit Markdown safely.

Streamlit renders Markdown with its own directives (``:red[...]``, ``:material/icon:``, ``$math$``)
and some HTML. Text that comes from an instrument file (item wording, domain titles, possibly an
agency's own upload) must show exactly as written, so every character that Markdown or those
directives treat specially is backslash-escaped; CommonMark renders ``\\x`` as ``x`` for any ASCII
punctuation ``x``.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+\-.!|$~:&])")


def escape(text: str) -> str:
    """``text`` as literal Markdown: no emphasis, links, directives, math or HTML.

    >>> escape("Staff *feel* safe: $5 [ok]")
    'Staff \\\\*feel\\\\* safe\\\\: \\\\$5 \\\\[ok\\\\]'
    """
    return _SPECIAL.sub(r"\\\1", text)


def unescape(markdown: str) -> str:
    """The text `escape` was given: what a person reads on the page.

    >>> unescape(escape("Leaders (and staff) - 100% | 2:1"))
    'Leaders (and staff) - 100% | 2:1'
    """
    return re.sub(r"\\(.)", r"\1", markdown)
