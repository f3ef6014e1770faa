"""Access codes for handing out: a CSV, and printable slips (A4, ten to a page, cut lines).

Each slip says what the survey is, that it is anonymous and voluntary, where to go and the code
itself, in every language of the round. Slips carry no number or name: whoever hands them out
cannot tell later which slip went to whom.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from reports.figure_text import PlainTextFigure
from reports.spreadsheet_cells import csv_bytes

A4 = (8.27, 11.69)  # inches
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS

TEXT = {
    "en": {
        "title": "Staff survey on trauma-informed care in our organization",
        "anonymous": "Anonymous and voluntary. Skip any question. Groups under {k} are never "
        "shown.",
        "go": "Open {url} and enter your code:",
        "closes": "Open until {date}.",
    },
    "es": {
        "title": "Encuesta al personal sobre la atención informada en trauma",
        "anonymous": "Anónima y voluntaria. Puede omitir cualquier pregunta. Nunca se muestran "
        "grupos de menos de {k}.",
        "go": "Abra {url} e ingrese su código:",
        "closes": "Abierta hasta el {date}.",
    },
}


@dataclass(frozen=True)
class SlipRound:
    """What a slip says about its round."""

    organization: str
    round_name: str
    unit_name: str
    closes_on: date | None
    languages: tuple[str, ...]
    survey_url: str
    min_group_size: int


def codes_csv(round_: SlipRound, codes: Sequence[str]) -> bytes:
    """One row per code: organization, round, unit, survey address and code (UTF-8 with BOM,
    so spreadsheet programs read accents right)."""
    header = ["organization", "round", "unit", "survey_url", "code"]
    rows = (
        [round_.organization, round_.round_name, round_.unit_name, round_.survey_url, code]
        for code in codes
    )
    return csv_bytes([header, *rows], line_terminator="\r\n")


def slips_pdf(round_: SlipRound, codes: Sequence[str]) -> bytes:
    """Printable slips, ten per A4 page, with dashed cut lines."""
    buffer = io.BytesIO()
    metadata = {"Title": f"Access codes: {round_.round_name}, {round_.unit_name}"}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for start in range(0, max(len(codes), 1), PER_PAGE):
            pdf.savefig(_page(round_, codes[start : start + PER_PAGE]))
    return buffer.getvalue()


def _page(round_: SlipRound, codes: Sequence[str]) -> Figure:
    figure = PlainTextFigure(figsize=A4)
    width, height = 1 / COLUMNS, 1 / ROWS
    for index, code in enumerate(codes):
        column, row = index % COLUMNS, index // COLUMNS
        left, top = column * width, 1 - row * height
        _slip(figure, round_, code, left + 0.03, top - 0.02, width - 0.06)
    for column in range(1, COLUMNS):
        figure.add_artist(_line(figure, [column * width] * 2, [0, 1]))
    for row in range(1, ROWS):
        figure.add_artist(_line(figure, [0, 1], [row * height] * 2))
    return figure


def _line(figure: Figure, xs: list[float], ys: list[float]) -> Line2D:
    return Line2D(
        xs, ys, transform=figure.transFigure, linestyle=(0, (4, 4)), linewidth=0.5, color="0.5"
    )


def _slip(figure: Figure, round_: SlipRound, code: str, x: float, top: float, width: float) -> None:
    y = top
    figure.text(x, y, round_.organization, fontsize=7.5, weight="bold", va="top", wrap=True)
    y -= 0.016
    figure.text(x, y, f"{round_.round_name} · {round_.unit_name}", fontsize=7, va="top")
    y -= 0.018
    for lang in round_.languages:
        text = TEXT.get(lang, TEXT["en"])
        figure.text(x, y, text["title"], fontsize=6.5, weight="bold", va="top")
        y -= 0.013
        figure.text(
            x, y, text["anonymous"].format(k=round_.min_group_size), fontsize=5.5, va="top"
        )
        y -= 0.012
        line = text["go"].format(url=round_.survey_url)
        if round_.closes_on is not None:
            line += " " + text["closes"].format(date=round_.closes_on.isoformat())
        figure.text(x, y, line, fontsize=5.5, va="top")
        y -= 0.015
    figure.text(
        x + width / 2, y - 0.004, code, fontsize=15, family="monospace", weight="bold",
        ha="center", va="top",
    )
