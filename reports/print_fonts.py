"""The fonts of everything tisa prints (the report, code slips, the paper questionnaire),
registered with reportlab once: DejaVu Sans regular, bold and oblique and DejaVu Sans Mono bold,
the fonts bundled with matplotlib, which cover accents and most scripts. Each is registered under
its PDF name, and the family once, so `<b>` and `<i>` in any document mean the same faces."""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
MONO = "DejaVuSansMono-Bold"


@functools.cache
def register_fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in (FONT, BOLD, ITALIC, MONO):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)
