"""The printable paper questionnaire of a round, on SQLite and PostgreSQL.

- What the questionnaire prints is what the paper import reads: a CSV made only from the
  questionnaire's text (its column names, unit and role values, item codes, scale points and
  the not-applicable words of its header) is imported as it is, in English and in Spanish.
- It speaks the language it is printed in, and prints every statement of the instrument once.
- Nothing printed leaves the page, whatever names the agency typed, on A4 and on Letter.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER

from reports.paper_form import paper_form_pdf, questionnaire_for
from reports.print_fonts import register_fonts
from storage.engine import transaction
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import Round
from storage.organization_repo import add_unit, create_organization
from storage.paper_import import import_paper_file, template_header
from storage.round_service import UnitInvitation, create_round, open_round
from tests.pdf_text_boxes import text_boxes

ITEM_CODE = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-[0-9]{2,3}[a-z]?\b")


def make_round(session_factory, *, names: tuple[str, str, str] | None = None) -> int:
    """An open round of ti-staff 1.1.0 (two scales, 62 items) over two units."""
    organization_name, round_name, unit_name = names or ("River County", "Spring 2027", "Intake")
    with transaction(session_factory, write=True) as session:
        sync_library(session)
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        org = create_organization(session, organization_name)
        intake = add_unit(session, org, unit_name, code="intake")
        foster = add_unit(session, org, "Foster care", code="foster")
        round_ = create_round(
            session, org, name=round_name, instrument_version=version,
            invitations=[UnitInvitation(intake, 9), UnitInvitation(foster, 4)],
            languages=["en", "es"], opens_on=date(2027, 4, 1), closes_on=date(2027, 4, 30),
        )
        open_round(session, round_)
        return round_.id


def questionnaire(session_factory, round_id: int, lang: str, **options) -> bytes:
    with transaction(session_factory) as session:
        return paper_form_pdf(questionnaire_for(session.get(Round, round_id)), lang, **options)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def csv_from_questionnaire(text: str) -> str:
    """Two filled-in forms typed from the questionnaire's own text: the columns it names, the
    first unit and role it offers, every item code it prints, the first and last scale point
    and the not-applicable words of its answer header."""
    flat = " ".join(text.split())
    columns = re.findall(r"\((?:column|columna) ([a-z]+)\)", flat)
    unit_part = flat.split(f"({_column_word(flat)} unit)")[1]
    role_part = flat.split(f"({_column_word(flat)} role)")[1]
    unit = re.search(r"\[([a-z0-9-]+)\]", unit_part).group(1)
    role = re.search(r"\[([a-z ]+)\]", role_part).group(1)
    language = re.search(r"\(\w+ language\) ([a-z]{2})\b", flat).group(1)
    items = list(dict.fromkeys(ITEM_CODE.findall(text)))
    not_applicable = re.search(r"NA (?:means|significa) [“«]([^”»]+)[”»]", flat).group(1)
    header = [*columns, *items]
    first = [unit, role, language] + ["1"] * len(items)
    second = [unit, "", language] + ["5"] * (len(items) - 1) + [not_applicable]
    lines = [",".join(header), ",".join(first), ",".join(f'"{c}"' for c in second)]
    return "\n".join(lines) + "\n"


def _column_word(flat: str) -> str:
    return "columna" if "(columna unit)" in flat else "column"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_csv_typed_from_the_questionnaire_is_imported_as_it_is(session_factory, lang):
    round_id = make_round(session_factory)
    text = pdf_text(questionnaire(session_factory, round_id, lang))
    csv = csv_from_questionnaire(text)
    with transaction(session_factory) as session:
        round_ = session.get(Round, round_id)
        expected_header = template_header(round_)
        item_ids = round_.instrument_version.instrument().item_ids()
    assert csv.splitlines()[0].split(",") == expected_header
    assert list(dict.fromkeys(ITEM_CODE.findall(text))) == item_ids
    report = import_paper_file(
        session_factory, lambda session: session.get(Round, round_id), csv, source="typed.csv"
    )
    assert report.responses == 2 and report.by_unit == {"foster": 2}  # the first unit offered


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Trauma-Informed Self-Assessment", "Strongly disagree", "Not in place",
                "Not applicable / unable to rate", "Do not write your name"]),
        ("es", ["Autoevaluación", "Totalmente en desacuerdo", "No existe",
                "No aplica / no puedo evaluarlo", "No escriba su nombre"]),
    ],
)
def test_the_questionnaire_speaks_its_language(session_factory, lang, words):
    round_id = make_round(session_factory)
    text = " ".join(pdf_text(questionnaire(session_factory, round_id, lang)).split())
    for expected in words:
        assert expected in text, expected
    with transaction(session_factory) as session:
        instrument = session.get(Round, round_id).instrument_version.instrument()
    for _, item in instrument.items()[:5]:
        assert " ".join(item.text[lang].split()) in text, item.id


HOSTILE = (
    "W" * 200,
    r"$\frac{1}{2}$ <b>bold</b> & **x** <script>alert(1)</script>",
    "Área de protección infantil y acompañamiento familiar de la región norte " * 2,
)


@pytest.mark.parametrize("name", HOSTILE)
def test_nothing_printed_leaves_the_page(session_factory, name):
    round_id = make_round(session_factory, names=(name, name[:200], name[:200]))
    for lang, page_size in (("es", None), ("en", LETTER)):
        options = {"page_size": page_size} if page_size else {}
        pdf = questionnaire(session_factory, round_id, lang, **options)
        register_fonts()
        boxes = text_boxes(pdf)
        assert boxes
        for box in boxes:
            assert box.inside_page(), box
        text = pdf_text(pdf)
        assert name[:20] in text
