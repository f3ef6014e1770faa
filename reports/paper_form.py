"""The printable paper questionnaire of a round, in one of its languages (reportlab platypus).

For staff who answer on paper. What it prints is exactly what `storage.paper_import` reads,
so the forms are typed into the CSV template as they are:

- the unit, role and language questions name their CSV column (``unit``, ``role``,
  ``language``) and each choice its value in brackets (``[intake]``, ``[frontline]``);
- every statement carries its item id (``SAF-01``), the column of its answer, in the order of
  the template;
- the answer boxes are headed by the scale's points (the value to type) and its labels; the
  last box is ``NA``, and the legend says it means the instrument's own "not applicable"
  words, which the import accepts as they are, like ``NA`` and ``N/A``.

There is no comment box: paper forms carry answers only. The form asks for no name and no
date. Text is set in DejaVu Sans (`reports.print_fonts`); every name the agency typed is
printed as text, never as markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from instruments import Instrument
from instruments.model import KNOWN_LANGUAGES, Domain, Item
from reports.print_fonts import BOLD, FONT, MONO, register_fonts
from reports.words import role_name
from storage.models import Round
from storage.round_service import round_units_in_order
from storage.survey_service import NOT_APPLICABLE, RESPONDENT_ROLES

MARGIN = 14 * mm
INK = colors.HexColor("#1A1A1A")
QUIET = colors.HexColor("#4A4A4A")
RULE = colors.HexColor("#8C8C8C")
HEADER_FILL = colors.HexColor("#E8EEF4")
BOX = "☐"

TEXT = {
    "en": {
        "round": "{organization} · {round}",
        "closes": "Please hand in this form by {date}.",
        "promise": "Do not write your name anywhere on this form. Answering is voluntary and "
        "anonymous: your answers are typed in with everyone else's and results are shown only "
        "for groups of at least {k} people.",
        "how": "Mark one box for each statement. Skip any statement you prefer not to answer. "
        "NA means “{na}”.",
        "unit": "Your unit (column unit)",
        "role": "Your role, if you wish (column role)",
        "prefer_not": "Prefer not to say (leave empty)",
        "language": "This form is in {name} (column language) {code}",
        "code": "Item",
        "statement": "Statement",
        "page": "Page {n}",
    },
    "es": {
        "round": "{organization} · {round}",
        "closes": "Entregue este formulario a más tardar el {date}.",
        "promise": "No escriba su nombre en ninguna parte de este formulario. Responder es "
        "voluntario y anónimo: sus respuestas se transcriben junto con las de los demás y los "
        "resultados solo se muestran para grupos de al menos {k} personas.",
        "how": "Marque una casilla por afirmación. Puede omitir cualquier afirmación que "
        "prefiera no responder. NA significa «{na}».",
        "unit": "Su unidad (columna unit)",
        "role": "Su puesto, si lo desea (columna role)",
        "prefer_not": "Prefiero no decirlo (dejar vacío)",
        "language": "Este formulario está en {name} (columna language) {code}",
        "code": "Ítem",
        "statement": "Afirmación",
        "page": "Página {n}",
    },
}


@dataclass(frozen=True)
class Questionnaire:
    """What the paper questionnaire of a round prints, as plain data."""

    organization: str
    round_name: str
    instrument: Instrument
    units: tuple[tuple[str, str], ...]  # (code, name) of the units with people invited
    languages: tuple[str, ...]
    closes_on: date | None
    min_group_size: int


def questionnaire_for(round_: Round) -> Questionnaire:
    """The questionnaire of a stored round: its frozen instrument and invited units."""
    units = tuple(
        (unit.code, unit.name) for unit in round_units_in_order(round_) if (unit.invited or 0)
    )
    return Questionnaire(
        organization=round_.organization.name,
        round_name=round_.name,
        instrument=round_.instrument_version.instrument(),
        units=units or tuple((unit.code, unit.name) for unit in round_units_in_order(round_)),
        languages=tuple(round_.languages),
        closes_on=round_.closes_on,
        min_group_size=round_.min_group_size,
    )


def paper_form_pdf(
    form: Questionnaire, lang: str, *, page_size: tuple[float, float] = A4
) -> bytes:
    """The questionnaire in `lang` (one of the round's languages) as a PDF."""
    if lang not in form.languages:
        raise ValueError(
            f"{lang!r} is not a language of the round; choose one of {', '.join(form.languages)}"
        )
    register_fonts()
    words = TEXT.get(lang, TEXT["en"])
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=page_size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=form.instrument.title[lang],
    )
    width = page_size[0] - 2 * MARGIN

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(QUIET)
        canvas.drawRightString(
            page_size[0] - MARGIN, MARGIN, words["page"].format(n=doc.page)
        )
        canvas.restoreState()

    story = _opening(form, lang, words, width)
    for domain in form.instrument.domains:
        story += _domain(form.instrument, domain, lang, words, width)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _p(text: str, font: str = FONT, size: float = 9.5, color: colors.Color = INK,
       **options: object) -> Paragraph:
    options.setdefault("splitLongWords", True)
    style = ParagraphStyle(
        f"form-{font}-{size}", fontName=font, fontSize=size, leading=size * 1.25,
        textColor=color, **options,
    )
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _opening(form: Questionnaire, lang: str, words: dict[str, str], width: float) -> list:
    instrument = form.instrument
    story: list = [
        _p(instrument.title[lang], BOLD, 15, spaceAfter=3),
        _p(words["round"].format(organization=form.organization, round=form.round_name),
           size=9, color=QUIET, spaceAfter=6),
        _p(instrument.description[lang], size=9, spaceAfter=4),
        _p(words["promise"].format(k=form.min_group_size), BOLD, 9, spaceAfter=4),
    ]
    if form.closes_on is not None:
        story.append(_p(words["closes"].format(date=form.closes_on.isoformat()), size=9,
                        spaceAfter=4))
    story.append(_p(words["how"].format(na=instrument.not_applicable[lang]), BOLD, 10,
                    spaceAfter=8))
    story.append(_choices(words["unit"], [f"{name} [{code}]" for code, name in form.units],
                          width))
    roles = [f"{role_name(role, lang)} [{role}]" for role in RESPONDENT_ROLES]
    story.append(_choices(words["role"], [*roles, words["prefer_not"]], width))
    story.append(
        _p(words["language"].format(name=KNOWN_LANGUAGES.get(lang, lang), code=lang), size=9,
           color=QUIET, spaceBefore=4, spaceAfter=6)
    )
    return story


def _choices(question: str, choices: Sequence[str], width: float) -> KeepTogether:
    """A question with a box per choice, two choices to a row."""
    cells = [_p(f"{BOX} {choice}", size=9) for choice in choices]
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[width / 2] * 2)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return KeepTogether([_p(question, BOLD, 10, spaceBefore=4, spaceAfter=2), table])


def _domain(
    instrument: Instrument, domain: Domain, lang: str, words: dict[str, str], width: float
) -> list:
    """The domain's title and why, then a table of its statements per run of one scale."""
    story: list = []
    runs: list[list[Item]] = []
    for item in domain.items:
        if runs and runs[-1][0].scale == item.scale:
            runs[-1].append(item)
        else:
            runs.append([item])
    heading = [
        _p(domain.title[lang], BOLD, 11.5, spaceBefore=8, spaceAfter=1),
        _p(domain.why[lang], size=8, color=QUIET, spaceAfter=3),
    ]
    for n, run in enumerate(runs):
        table = _statements(instrument, run, lang, words, width)
        story += [KeepTogether([*heading, table]) if n == 0 else table, Spacer(1, 3)]
    return story


def _statements(
    instrument: Instrument, items: list[Item], lang: str, words: dict[str, str], width: float
) -> Table:
    scale = instrument.scales[items[0].scale]
    labels = scale.labels[lang]
    code_width, box_width = 15 * mm, 16.5 * mm
    answers = len(scale.points) + 1
    statement_width = width - code_width - answers * box_width
    header = [
        _p(words["code"], BOLD, 7),
        _p(words["statement"], BOLD, 7),
        *[_p(f"{point}\n{label}", BOLD, _label_size(label, box_width - 4), alignment=1,
             splitLongWords=False)
          for point, label in zip(scale.points, labels, strict=True)],
        _p(NOT_APPLICABLE, BOLD, 7, alignment=1),
    ]
    rows = [header]
    for item in items:
        rows.append([
            _p(item.id, MONO, 7.5),
            _p(item.text[lang], size=8.5),
            *[_p(BOX, size=13, alignment=1) for _ in range(answers)],
        ])
    table = Table(
        rows, colWidths=[code_width, statement_width, *[box_width] * answers], repeatRows=1
    )
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _label_size(label: str, width: float) -> float:
    """The largest size up to 6 points at which every word of a scale label fits `width`, so
    that labels wrap between words, never inside one."""
    longest = max(label.split(), key=lambda word: stringWidth(word, BOLD, 6))
    return min(6.0, 6.0 * width / max(stringWidth(longest, BOLD, 6), 1.0))
