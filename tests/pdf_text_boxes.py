"""Where the text of a PDF sits: every text run with its left and right edges and baseline,
measured with the font it is set in, to check that nothing printed leaves the page."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth


@dataclass(frozen=True)
class TextBox:
    page: int
    text: str
    left: float
    right: float
    bottom: float
    page_width: float
    page_height: float

    def inside_page(self) -> bool:
        return (
            0 <= self.left
            and self.right <= self.page_width + 0.5
            and 0 <= self.bottom <= self.page_height
        )


def text_boxes(pdf: bytes) -> list[TextBox]:
    """Every non-blank text run of `pdf`. Widths use reportlab's metrics of the run's font,
    which must be registered under its PDF name (``DejaVuSans-Bold``) before the call."""
    boxes: list[TextBox] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, width=width, height=height):
            if not text.strip():
                return
            scale = tm[0] * cm[0] + tm[1] * cm[2]  # horizontal scale of text space
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            name = str(font["/BaseFont"]).split("+")[-1]
            run = stringWidth(text.rstrip("\n"), name, size) * scale
            boxes.append(TextBox(number, text, x, x + run, y, width, height))

        page.extract_text(visitor_text=visit)
    return boxes
