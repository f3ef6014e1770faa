"""Access codes for handing out: a CSV for a mail merge, and printable slips with QR codes.

Each slip says what the survey is, that it is anonymous and voluntary, how to answer and the
code itself, in every language of the round. Each language has its own QR code, which opens
the survey with the code already typed and in that language (``.../survey?code=...&lang=es``),
and the address printed beside it is that same link, so the Spanish line leads to the Spanish
survey. Slips carry no number or name: whoever hands them out cannot tell later which slip
went to whom.

Slips are set with reportlab on A4 (or any page size given), eight to a page with dashed cut
lines; every text is fitted to its slip (long names are shortened with an ellipsis, long
addresses wrap), so nothing leaves the slip or the page. Text is set in DejaVu Sans, bundled
with matplotlib (`reports.print_fonts`), which covers accents and most scripts.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph

from instruments.text import shorten
from reports.print_fonts import BOLD, FONT, MONO, register_fonts
from reports.spreadsheet_cells import csv_bytes

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
PADDING = 12.0  # points, inside each slip
QR_MAX = 74.0  # points (26 mm): read by any phone camera at arm's length
INK = colors.HexColor("#1A1A1A")
QUIET = colors.HexColor("#444444")

TEXT = {
    "en": {
        "scan": "Scan the square with your phone’s camera",
        "open": "or open {url} and type the code below.",
        "anonymous": "Anonymous and voluntary. Skip any question. Groups under {k} are never "
        "shown.",
        "closes": "Open until {date}.",
    },
    "es": {
        "scan": "Escanee el cuadro con la cámara de su teléfono",
        "open": "o abra {url} e ingrese el código de abajo.",
        "anonymous": "Anónima y voluntaria. Puede omitir cualquier pregunta. Nunca se muestran "
        "grupos de menos de {k}.",
        "closes": "Abierta hasta el {date}.",
    },
}


@dataclass(frozen=True)
class SlipRound:
    """What a slip says about its round; `survey_url` is the survey's address without a query
    (``https://tisa.example.org/survey``)."""

    organization: str
    round_name: str
    unit_name: str
    closes_on: date | None
    languages: tuple[str, ...]
    survey_url: str
    min_group_size: int


UnitCodes = tuple[SlipRound, Sequence[str]]  # one unit's slip text and its codes
SURVEY_PATH = "survey"
ADDRESS_MAX = 300  # characters: a longer address makes a QR code too dense to scan on a slip


class SurveyAddressRefused(ValueError):
    """The address given for the survey cannot be printed on a slip or put in a QR code."""


def survey_base(public_url: str) -> str:
    """The survey's address under the app's public address (``https://x.org`` →
    ``https://x.org/survey``); raises `SurveyAddressRefused` saying what is wrong with it."""
    address = public_url.strip() if public_url.isprintable() else public_url
    what = f"the survey's address {shorten(address, 60)!r}"
    if not address:
        raise SurveyAddressRefused("the survey's address is empty; give the app's web address")
    if len(address) > ADDRESS_MAX:
        raise SurveyAddressRefused(f"{what} is longer than {ADDRESS_MAX} characters")
    if any(unicodedata.category(char)[0] in "CZ" for char in address):
        raise SurveyAddressRefused(f"{what} holds a space or control character")
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not address.lower().startswith(parts.scheme + "://"):
        raise SurveyAddressRefused(f"{what} must start with http:// or https://")
    if not parts.hostname:
        raise SurveyAddressRefused(f"{what} has no host")
    if parts.query or parts.fragment or "?" in address or "#" in address:
        raise SurveyAddressRefused(f"{what} has a query or fragment; give the app's address only")
    return f"{address.rstrip('/')}/{SURVEY_PATH}"


def survey_link(survey_url: str, code: str, lang: str | None = None) -> str:
    """The survey's address that opens it with `code` (and in `lang`, when given)."""
    query = {"code": code} | ({"lang": lang} if lang else {})
    return f"{survey_url}?{urlencode(query)}"


def slip_links(round_: SlipRound, code: str) -> dict[str, str]:
    """The link of each language of the round for one code: what its QR code holds."""
    return {lang: survey_link(round_.survey_url, code, lang) for lang in round_.languages}


# -- the CSV ---------------------------------------------------------------------------------


CODES_CSV_COLUMNS = ("organization", "round", "unit", "survey_url", "code")


def codes_csv(round_: SlipRound, codes: Sequence[str]) -> bytes:
    """One row per code: organization, round, unit, the survey address with the code (ready
    for a mail merge) and the code (UTF-8 with BOM, so spreadsheet programs read accents
    right; no cell starts like a formula)."""
    return unit_codes_csv([(round_, codes)])


def unit_codes_csv(batches: Sequence[UnitCodes]) -> bytes:
    """`codes_csv` of several units in one file, unit after unit."""
    header = list(CODES_CSV_COLUMNS)
    rows = [
        [slip.organization, slip.round_name, slip.unit_name, survey_link(slip.survey_url, code),
         code]
        for slip, codes in batches
        for code in codes
    ]
    return csv_bytes([header, *rows], line_terminator="\r\n")


# -- the slips -------------------------------------------------------------------------------


def qr_widget(url: str, size: float) -> QrCodeWidget:
    """A QR code of `url`, `size` points square with its quiet zone, error correction M."""
    return QrCodeWidget(url, barWidth=size, barHeight=size, barLevel="M")


def slips_pdf(
    round_: SlipRound, codes: Sequence[str], *, page_size: tuple[float, float] = A4
) -> bytes:
    """Printable slips of one unit, `PER_PAGE` to a page, with dashed cut lines."""
    return unit_slips_pdf([(round_, codes)], page_size=page_size)


def unit_slips_pdf(
    batches: Sequence[UnitCodes], *, page_size: tuple[float, float] = A4
) -> bytes:
    """Slips of several units, each unit starting on a page of its own."""
    register_fonts()
    buffer = io.BytesIO()
    title = "Access codes" if len(batches) != 1 else (
        f"Access codes: {batches[0][0].round_name}, {batches[0][0].unit_name}"
    )
    pdf = canvas.Canvas(buffer, pagesize=page_size, pageCompression=1)
    pdf.setTitle(title)
    pages = 0
    for slip, codes in batches:
        for start in range(0, len(codes), PER_PAGE):
            _page(pdf, slip, codes[start : start + PER_PAGE], page_size)
            pages += 1
    if not pages:
        _cut_lines(pdf, page_size)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _page(
    pdf: canvas.Canvas, slip: SlipRound, codes: Sequence[str], page_size: tuple[float, float]
) -> None:
    width, height = page_size[0] / COLUMNS, page_size[1] / ROWS
    for index, code in enumerate(codes):
        column, row = index % COLUMNS, index // COLUMNS
        left, bottom = column * width, page_size[1] - (row + 1) * height
        _slip(pdf, slip, code, left + PADDING, bottom + PADDING, width - 2 * PADDING,
              height - 2 * PADDING)
    _cut_lines(pdf, page_size)
    pdf.showPage()


def _cut_lines(pdf: canvas.Canvas, page_size: tuple[float, float]) -> None:
    pdf.saveState()
    pdf.setDash(4, 4)
    pdf.setLineWidth(0.5)
    pdf.setStrokeColor(colors.HexColor("#808080"))
    page_width, page_height = page_size
    for column in range(1, COLUMNS):
        x = column * page_width / COLUMNS
        pdf.line(x, 0, x, page_height)
    for row in range(1, ROWS):
        y = row * page_height / ROWS
        pdf.line(0, y, page_width, y)
    pdf.restoreState()


def fitted(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line of `width` points, shortened with an ellipsis where it is longer."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _slip(
    pdf: canvas.Canvas, slip: SlipRound, code: str, x: float, y: float, width: float,
    height: float,
) -> None:
    """One slip in the box (x, y, width, height): the organization and round on top, a block
    per language (QR code, instruction, address, promise), the code at the bottom."""
    top = y + height
    pdf.setFillColor(INK)
    pdf.setFont(BOLD, 8.5)
    pdf.drawString(x, top - 8.5, fitted(slip.organization, BOLD, 8.5, width))
    pdf.setFont(FONT, 8)
    pdf.drawString(x, top - 19, fitted(f"{slip.round_name} · {slip.unit_name}", FONT, 8, width))
    code_size = 17.0
    pdf.setFont(MONO, code_size)
    code_width = pdfmetrics.stringWidth(code, MONO, code_size)
    pdf.drawString(x + (width - code_width) / 2, y + 2, code)

    languages = slip.languages or ("en",)
    block_top, block_bottom = top - 25, y + code_size + 6
    block = (block_top - block_bottom) / len(languages)
    qr_size = min(QR_MAX, block - 2)
    links = slip_links(slip, code)
    for n, lang in enumerate(languages):
        upper = block_top - n * block
        text = TEXT.get(lang, TEXT["en"])
        link = links[lang]
        drawing = Drawing(qr_size, qr_size)
        drawing.add(qr_widget(link, qr_size))
        drawing.drawOn(pdf, x, upper - qr_size)
        _instructions(
            pdf, slip, text, link, x + qr_size + 4, upper, width - qr_size - 4, block - 2
        )


def _instructions(
    pdf: canvas.Canvas, slip: SlipRound, text: dict[str, str], link: str, x: float, top: float,
    width: float, height: float,
) -> None:
    """The instruction of one language, as large as fits in (width, height) below `top`."""
    promise = text["anonymous"].format(k=slip.min_group_size)
    if slip.closes_on is not None:
        promise += " " + text["closes"].format(date=slip.closes_on.isoformat())
    address = escape(text["open"]).replace(
        escape("{url}"), f'<font name="{FONT}">{escape(link)}</font>'
    )
    for scale in (1.0, 0.92, 0.84, 0.76, 0.68, 0.6, 0.52, 0.45):
        parts = [
            Paragraph(escape(text["scan"]), _style(BOLD, 10.5 * scale, INK)),
            Paragraph(address, _style(FONT, 7.2 * scale, INK)),
            Paragraph(escape(promise), _style(FONT, 6.2 * scale, QUIET)),
        ]
        heights = [part.wrap(width, height)[1] for part in parts]
        if sum(heights) + 2 * len(parts) <= height:
            break
    y = top
    for part, part_height in zip(parts, heights, strict=True):
        y -= part_height
        part.drawOn(pdf, x, y)
        y -= 2


@functools.cache
def _style(font: str, size: float, color: colors.Color) -> ParagraphStyle:
    return ParagraphStyle(
        f"slip-{font}-{size:.2f}", fontName=font, fontSize=size, leading=size * 1.2,
        textColor=color, splitLongWords=True,
    )
