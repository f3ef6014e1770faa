"""The report as a PDF a director can hand to a board (reportlab platypus).

`report_pdf(report, lang) -> bytes` lays out `reports.document.report_document`: a cover, the
summary, the charts (PNG at 150 dpi), the tables, comments, actions and the methods appendix,
with the organization, round and "Page n of N" on every page. Text is set in DejaVu Sans,
the font bundled with matplotlib, which covers Spanish accents and the symbols of the methods
(α, ω, σ², ≥, −). Nothing here reads the database: the report holds everything.

reportlab was chosen over matplotlib's PdfPages for real layout (flowing paragraphs, tables that
split across pages with repeated headers, page numbers); see shared/reference/streamlit.md,
section 6.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from reports.builder import Report
from reports.document import (
    Bullets,
    ChartBlock,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    report_document,
)
from reports.figures import rgba_pixels
from reports.words import word
from scoring.disclosure import NO_DATA, WITHHELD

DPI = 150
MARGIN = 1.6 * cm
PAGE_WIDTH, PAGE_HEIGHT = A4
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - 0.8 * cm
FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
INK = colors.HexColor("#1A1A1A")
HEADER_FILL = colors.HexColor("#DCE9F5")
WITHHELD_FILL = colors.HexColor("#EEEEEE")
RULE = colors.HexColor("#9A9A9A")


@functools.cache
def _fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) from matplotlib's bundled fonts, once."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf"),
                       (ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          spaceAfter=5)
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=11.5, leading=15, spaceAfter=8),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10.5,
                               textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=24, leading=29,
                                spaceAfter=10, spaceBefore=40),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=19,
                             spaceBefore=4, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2,
                                 spaceAfter=3),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.5, leading=9.5,
                                  textColor=colors.HexColor("#444444"), spaceBefore=2,
                                  spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cell_small": ParagraphStyle("cell_small", parent=base, fontSize=6.6, leading=8.2,
                                     spaceAfter=0),
        "fact_label": ParagraphStyle("fact_label", parent=base, fontName=BOLD, fontSize=10),
        "fact": ParagraphStyle("fact", parent=base, fontSize=10),
    }


def _p(text: str, style: str, **overrides: object) -> PdfParagraph:
    styles = _styles()
    chosen = styles[style]
    if overrides:
        chosen = ParagraphStyle(f"{style}-x", parent=chosen, **overrides)
    return PdfParagraph(escape(text).replace("\n", "<br/>"), chosen)


def _numbered_canvas(footer: str, lang: str) -> type[canvas.Canvas]:
    """A canvas that holds every page until the end, then writes "Page n of N" on each."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.setStrokeColor(RULE)
            self.line(MARGIN, MARGIN - 0.25 * cm, PAGE_WIDTH - MARGIN, MARGIN - 0.25 * cm)
            self.drawString(MARGIN, MARGIN - 0.65 * cm, footer[:110])
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 0.65 * cm,
                                 word("page_of", lang, page=self._pageNumber, pages=total))
            self.restoreState()

    return NumberedCanvas


class _Picture(Flowable):
    """An image already in memory, centred in the frame."""

    def __init__(self, image: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.image, self.width, self.height = image, width, height
        self.hAlign = "CENTER"

    def draw(self) -> None:
        self.canv.drawImage(self.image, 0, 0, self.width, self.height)


def _chart(block: ChartBlock) -> list[Flowable]:
    """The chart as an image scaled to the frame. It is drawn once as raw pixels, which
    reportlab compresses itself (a PNG would be encoded only to be decoded again)."""
    pixels, width_px, height_px = rgba_pixels(block.chart, DPI)
    picture = PILImage.frombuffer("RGBA", (width_px, height_px), pixels, "raw", "RGBA", 0, 1)
    width = width_px / DPI * 72
    height = height_px / DPI * 72
    scale = min(FRAME_WIDTH / width, (FRAME_HEIGHT - 2 * cm) / height, 1.0)
    out: list[Flowable] = [_Picture(ImageReader(picture.convert("RGB")), width * scale,
                                    height * scale)]
    if block.caption:
        out.append(_p(block.caption, "caption"))
    out.append(Spacer(1, 6))
    return out


def _table(block: Table) -> list[Flowable]:
    style_name = "cell_small" if block.small else "cell"
    total = sum(block.widths)
    widths = [FRAME_WIDTH * w / total for w in block.widths]
    numeric = block.numeric or (False,) * len(block.columns)
    header = [_p(c, style_name, fontName=BOLD) for c in block.columns]
    data = [header]
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row in enumerate(block.rows, start=1):
        cells = []
        for c, text in enumerate(row.cells):
            extra: dict[str, object] = {}
            if c == 0 and row.indent:
                extra["leftIndent"] = 7 * row.indent
            if c < len(numeric) and numeric[c] and c > 0:
                extra["alignment"] = TA_RIGHT
            cells.append(_p(text, style_name, **extra))
        if row.span is not None:
            cells.append(_p(row.span, style_name, fontName=ITALIC))
            cells += [""] * (len(block.columns) - len(cells))
            commands.append(("SPAN", (len(row.cells), r), (-1, r)))
        if row.status in (WITHHELD, NO_DATA):
            commands.append(("BACKGROUND", (0, r), (-1, r),
                             WITHHELD_FILL if row.status == WITHHELD else colors.white))
        data.append(cells)
    table = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return [KeepTogether([table, _p(block.caption, "caption")])]


def _facts(block: Facts) -> list[Flowable]:
    data = [[_p(label, "fact_label"), _p(value, "fact")] for label, value in block.rows]
    table = PdfTable(data, colWidths=[5.6 * cm, FRAME_WIDTH - 5.6 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return [table, Spacer(1, 14)]


def _flowables(document: Document) -> list[Flowable]:
    out: list[Flowable] = []
    for block in document.cover:
        out += _block(block)
    for section in document.sections:
        out.append(PdfPageBreak())
        blocks = list(section.blocks)
        head: list[Flowable] = [_p(section.title, "h1")]
        # keep the section title with its first block
        if blocks:
            head += _block(blocks.pop(0))
        out.append(KeepTogether(head))
        pending: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Heading):
                pending = _block(block)
                continue
            flow = _block(block)
            if pending:
                out.append(KeepTogether(pending + flow[:1]))
                out += flow[1:]
                pending = []
            else:
                out += flow
        out += pending
    return out


def _block(block: object) -> list[Flowable]:
    if isinstance(block, Heading):
        style = {0: "title", 1: "h1"}.get(block.level, "h2")
        return [_p(block.text, style)]
    if isinstance(block, Paragraph):
        return [_p(block.text, block.style)]
    if isinstance(block, Bullets):
        return [PdfParagraph(escape(item), _styles()["bullet"], bulletText="•")
                for item in block.items]
    if isinstance(block, Facts):
        return _facts(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, ChartBlock):
        return _chart(block)
    if isinstance(block, PageBreak):
        return [PdfPageBreak()]
    raise TypeError(f"unknown report block {type(block).__name__}")


def document_pdf(document: Document) -> bytes:
    _fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 0.8 * cm, title=f"{document.title} · {document.subtitle}",
        author=document.subtitle.split(" · ")[0], subject=document.footer,
        creator="tisa", lang=document.lang,
    )
    frame = Frame(MARGIN, MARGIN + 0.8 * cm, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(_flowables(document), canvasmaker=_numbered_canvas(document.footer,
                                                                 document.lang))
    return buffer.getvalue()


def report_pdf(report: Report, lang: str) -> bytes:
    """The whole report as PDF bytes in `lang` ("en" or "es")."""
    return document_pdf(report_document(report, lang))
