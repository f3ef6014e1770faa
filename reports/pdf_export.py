"""The report as a PDF a director can hand to a board (reportlab platypus).

`report_pdf(report, lang, paper=None) -> bytes` lays out `reports.document.report_document`:
page 1 is the summary (the cover's facts, the key chart and the change since the last round),
shrunk to fit that one page when it must; page 2 opens with the strengths, priorities and
actions; the body follows without a page break per section, and the appendix (trend, item
detail, reliability, methods) starts on a new page unless half a page is still free. Charts
are images at 150 dpi; every page carries the organization, round and "Page n of N". The
paper is US Letter unless the setting ``TISA_PAPER_SIZE`` says ``a4`` (or `paper` is given);
nothing is drawn outside the margins but the footer, in the bottom margin, cut with an
ellipsis when a long name would not fit. Table columns are never narrower than the longest
word of their header. Text is set in DejaVu Sans, the font bundled with matplotlib, which
covers Spanish accents and the symbols of the methods (α, ω, σ², ≥, −). Nothing here reads
the database: the report holds everything.

reportlab was chosen over matplotlib's PdfPages for real layout (flowing paragraphs, tables that
split across pages with repeated headers, page numbers); see shared/reference/streamlit.md,
section 6.
"""

from __future__ import annotations

import functools
import io
import os
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
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
    Section,
    Table,
    report_document,
)
from reports.figures import rgba_pixels
from reports.print_fonts import BOLD, FONT, ITALIC, register_fonts
from reports.words import word
from scoring.disclosure import NO_DATA, WITHHELD

DPI = 150
PAPER_VARIABLE = "TISA_PAPER_SIZE"
PAPERS = {"letter": LETTER, "a4": A4}
DEFAULT_PAPER = "letter"  # the US default
MARGIN = 1.6 * cm
FOOTER_SPACE = 0.8 * cm  # between the body and the bottom margin
FOOTER_BASELINE = MARGIN - 0.65 * cm
FOOTER_EDGE = 0.6 * cm  # no text comes nearer the bottom edge than this
CELL_PAD = 3
INK = colors.HexColor("#1A1A1A")
HEADER_FILL = colors.HexColor("#DCE9F5")
WITHHELD_FILL = colors.HexColor("#EEEEEE")
RULE = colors.HexColor("#9A9A9A")


def paper_size() -> str:
    """The paper of the PDF report: the setting ``TISA_PAPER_SIZE`` ("letter" or "a4", any
    case), Letter when it is not set. Raises `ValueError` naming the setting for any other
    value."""
    configured = os.environ.get(PAPER_VARIABLE, "").strip().lower()
    if not configured:
        return DEFAULT_PAPER
    if configured not in PAPERS:
        raise ValueError(f"{PAPER_VARIABLE} must be one of {', '.join(PAPERS)}, "
                         f"not {configured!r}")
    return configured


def page_size(paper: str) -> tuple[float, float]:
    """Width and height in points of "letter" or "a4"."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    return PAPERS[paper]


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          spaceAfter=5)
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=11.5, leading=15, spaceAfter=8),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10.5,
                               textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=22, leading=26,
                                spaceAfter=4),
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


def _fitted(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis so that it is at most `width` points wide."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _numbered_canvas(footer: str, lang: str, page_width: float) -> type[canvas.Canvas]:
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
            self.line(MARGIN, MARGIN - 0.25 * cm, page_width - MARGIN, MARGIN - 0.25 * cm)
            label = word("page_of", lang, page=self._pageNumber, pages=total)
            room = (page_width - 2 * MARGIN - pdfmetrics.stringWidth(label, FONT, 7.5)
                    - 0.6 * cm)
            self.drawString(MARGIN, FOOTER_BASELINE, _fitted(footer, FONT, 7.5, room))
            self.drawRightString(page_width - MARGIN, FOOTER_BASELINE, label)
            self.restoreState()

    return NumberedCanvas


SHRINK = 0.7  # a chart may shrink to this share of its size to fill the rest of a page


class _Picture(Flowable):
    """An image already in memory, centred in the frame. When the page has not room enough
    for it, it shrinks to the room left, down to `SHRINK` of its size, rather than leave a
    half-empty page behind."""

    def __init__(self, image: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.image, self.full_width, self.full_height = image, width, height
        self.width, self.height = width, height
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        scale = 1.0
        if self.full_height > available_height >= SHRINK * self.full_height:
            scale = available_height / self.full_height
        self.width, self.height = self.full_width * scale, self.full_height * scale
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.image, 0, 0, self.width, self.height)


def _chart(block: ChartBlock, frame: tuple[float, float]) -> list[Flowable]:
    """The chart as an image scaled to the frame. It is drawn once as raw pixels, which
    reportlab compresses itself (a PNG would be encoded only to be decoded again)."""
    pixels, width_px, height_px = rgba_pixels(block.chart, DPI)
    picture = PILImage.frombuffer("RGBA", (width_px, height_px), pixels, "raw", "RGBA", 0, 1)
    width = width_px / DPI * 72
    height = height_px / DPI * 72
    scale = min(frame[0] / width, (frame[1] - 2 * cm) / height, 1.0)
    out: list[Flowable] = [_Picture(ImageReader(picture.convert("RGB")), width * scale,
                                    height * scale)]
    if block.caption:
        out.append(_p(block.caption, "caption"))
    out.append(Spacer(1, 6))
    return out


def cell_font_size(block: Table) -> float:
    """The font size of a table's cells and header."""
    return _styles()["cell_small" if block.small else "cell"].fontSize


def column_widths(block: Table, frame_width: float) -> list[float]:
    """The table's relative widths spread over `frame_width`, each column at least as wide as
    the longest word of its header (so no header breaks inside a word), the others sharing
    what is left in their proportions."""
    register_fonts()
    size = cell_font_size(block)
    minimum = [max((pdfmetrics.stringWidth(piece, BOLD, size) for piece in header.split()),
                   default=0.0) + 2 * CELL_PAD for header in block.columns]
    total = sum(block.widths)
    widths = [frame_width * w / total for w in block.widths]
    fixed: set[int] = set()
    while True:
        short = [i for i, w in enumerate(widths) if i not in fixed and w < minimum[i]]
        if not short:
            return widths
        fixed.update(short)
        free = [i for i in range(len(widths)) if i not in fixed]
        if not free:  # cannot all fit: keep the proportions
            return [frame_width * w / total for w in block.widths]
        room = frame_width - sum(minimum[i] for i in fixed)
        share = sum(block.widths[i] for i in free)
        widths = [minimum[i] if i in fixed else room * block.widths[i] / share
                  for i in range(len(widths))]


def _table(block: Table, frame: tuple[float, float]) -> list[Flowable]:
    style_name = "cell_small" if block.small else "cell"
    widths = column_widths(block, frame[0])
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
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
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


def _facts(block: Facts, frame: tuple[float, float]) -> list[Flowable]:
    """The cover's facts, two label–value pairs to a row."""
    cell_style = _styles()["cell"]
    pairs = [[_p(label, "cell", fontName=BOLD), _p(value, "cell")] for label, value in block.rows]
    data = [pairs[i] + (pairs[i + 1] if i + 1 < len(pairs) else ["", ""])
            for i in range(0, len(pairs), 2)]
    widest = max((pdfmetrics.stringWidth(label, BOLD, cell_style.fontSize)
                  for label, _ in block.rows), default=0.0)
    label = min(widest + 2 * CELL_PAD + 1, 4.6 * cm)  # a longer label wraps
    value = frame[0] / 2 - label
    table = PdfTable(data, colWidths=[label, value, label, value], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]))
    return [table, Spacer(1, 8)]


def _section(section: Section, frame: tuple[float, float], keep: bool = True) -> list[Flowable]:
    """A section's title kept with its first block, each subheading with the block after it
    (`keep` False: simply in a row, for a page that is laid out as one piece)."""
    if not keep:
        out = [_p(section.title, "h1")]
        for block in section.blocks:
            out += _block(block, frame)
        return out
    out: list[Flowable] = []
    blocks = list(section.blocks)
    head: list[Flowable] = [_p(section.title, "h1")]
    if blocks:
        lead = _block(blocks.pop(0), frame)
        head += lead[0]._content if isinstance(lead[0], KeepTogether) else lead[:1]
        out.append(KeepTogether(head))
        out += lead[1:]
    else:
        out.append(KeepTogether(head))
    pending: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Heading):
            pending += _block(block, frame)
            continue
        flow = _block(block, frame)
        if pending:
            lead = flow[0]._content if isinstance(flow[0], KeepTogether) else flow[:1]
            out.append(KeepTogether(pending + list(lead)))  # one level: nesting breaks pages
            out += flow[1:]
            pending = []
        else:
            out += flow
    return out + pending


def _flowables(document: Document, frame: tuple[float, float]) -> list[Flowable]:
    """Page 1 holds the cover and the summary (shrunk to fit when it must); page 2 opens
    with the next section; the appendix starts on a new page."""
    first: list[Flowable] = []
    for block in document.cover:
        first += _block(block, frame)
    sections = list(document.sections)
    if sections:
        first += _section(sections.pop(0), frame, keep=False)
    out: list[Flowable] = [KeepInFrame(frame[0], frame[1], first, mode="shrink")]
    in_appendix = False
    for index, section in enumerate(sections):
        if index == 0:
            out.append(PdfPageBreak())
        elif section.appendix and not in_appendix:  # a new page, unless this one has room
            out += [Spacer(1, 12), CondPageBreak(frame[1] / 2)]
        else:
            out.append(Spacer(1, 12))
        in_appendix = in_appendix or section.appendix
        out += _section(section, frame)
    return out


def _block(block: object, frame: tuple[float, float]) -> list[Flowable]:
    if isinstance(block, Heading):
        style = {0: "title", 1: "h1"}.get(block.level, "h2")
        return [_p(block.text, style)]
    if isinstance(block, Paragraph):
        return [_p(block.text, block.style)]
    if isinstance(block, Bullets):
        return [PdfParagraph(escape(item), _styles()["bullet"], bulletText="•")
                for item in block.items]
    if isinstance(block, Facts):
        return _facts(block, frame)
    if isinstance(block, Table):
        return _table(block, frame)
    if isinstance(block, ChartBlock):
        return _chart(block, frame)
    if isinstance(block, PageBreak):
        return [PdfPageBreak()]
    raise TypeError(f"unknown report block {type(block).__name__}")


def document_pdf(document: Document, paper: str | None = None) -> bytes:
    """The document as PDF bytes on `paper` ("letter" or "a4"; the setting when None)."""
    register_fonts()
    width, height = page_size(paper or paper_size())
    frame_size = (width - 2 * MARGIN, height - 2 * MARGIN - FOOTER_SPACE)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=(width, height), leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN + FOOTER_SPACE,
        title=f"{document.title} · {document.subtitle}",
        author=document.subtitle.split(" · ")[0], subject=document.footer,
        creator="tisa", lang=document.lang,
    )
    frame = Frame(MARGIN, MARGIN + FOOTER_SPACE, frame_size[0], frame_size[1], id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(_flowables(document, frame_size),
              canvasmaker=_numbered_canvas(document.footer, document.lang, width))
    return buffer.getvalue()


def report_pdf(report: Report, lang: str, paper: str | None = None) -> bytes:
    """The whole report as PDF bytes in `lang` ("en" or "es") on `paper` ("letter" or "a4";
    the setting ``TISA_PAPER_SIZE`` when None). Item detail is given as tables (no chart per
    domain), so the document stays short."""
    return document_pdf(report_document(report, lang, item_charts=False), paper)
