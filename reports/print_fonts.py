"""The fonts of tisa's printed forms (code slips, the paper questionnaire), registered with
reportlab once: DejaVu Sans regular and bold and DejaVu Sans Mono bold, the fonts bundled with
matplotlib, which cover accents and most scripts. Each is registered under its PDF name."""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono-Bold"


@functools.cache
def register_fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in (FONT, BOLD, MONO):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
