"""Names are data in every export: spreadsheet formulas, mathtext, markup typed as a name.

An organization, a round and units of the demo agency are given the names an attacker would
type; every file tisa writes is then read back as its reader would read it:

- every CSV (aggregates, codebook, anonymized responses and their codebook, the code list) with
  `csv`, every XLSX cell with openpyxl: no text cell starts with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return, and openpyxl sees no formula; numbers (negative ones included) are
  still numbers;
- the PDF and HTML reports and the heat map are built (a ``$...$`` name is not mathtext) and show
  the names as text (no HTML element made of a name).
"""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.text import Text
from pypdf import PdfReader

from reports import pdf_export
from reports.builder import build_report
from reports.code_slips import SlipRound, codes_csv, slips_pdf
from reports.figures import heatmap_chart, png_bytes
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.response_export import anonymized_responses, responses_csv
from reports.spreadsheet_cells import FORMULA_STARTS, csv_bytes, safe_cell, safe_row
from reports.table_export import report_csv, report_csv_zip, report_xlsx
from reports.words import word
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.models import Organization, Round, RoundUnit, Unit
from tests.reports.pdf_pages import inked_share, outside_margins, page_pictures, tools_missing

ORGANIZATION = '=HYPERLINK("http://x.example","y")'
ROUND = "+1+1"
UNIT_NAMES = [
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1+1",
    r"$\frac{1}{2}$",
    "$x^$",
    "<script>alert(1)</script>",
    "**bold** <b>b</b> & [a](javascript:x)",
    "-7",
    "Old\x1b[31m\x00 unit\u202e",  # stored by an older tisa, before the text rule
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'demo.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    factory = session_factory(engine)
    with transaction(factory) as session:
        session.execute(sa.update(Organization).values(name=ORGANIZATION))
        session.execute(sa.update(Round).where(Round.id == 3).values(name=ROUND))
        units = session.scalars(
            sa.select(RoundUnit).where(RoundUnit.round_id == 3).order_by(RoundUnit.id)
        ).all()
        for unit, name in zip(units, UNIT_NAMES * 3, strict=False):
            unit.name = name
        living = session.scalars(sa.select(Unit).order_by(Unit.id)).all()
        for unit, name in zip(living, UNIT_NAMES * 3, strict=False):
            unit.name = name
    yield factory
    engine.dispose()


@pytest.fixture(scope="module")
def agency(hostile):
    with transaction(hostile) as session:
        return build_report(session, session.get(Round, 3))


def _assert_inert_text(value: object, where: str) -> None:
    if isinstance(value, str):
        assert not value.lstrip().startswith(FORMULA_STARTS), f"{where}: {value!r} is a formula"
        assert not value.startswith(FORMULA_STARTS), f"{where}: {value!r} is a formula"


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _assert_csv_inert(data: bytes, name: str) -> list[list[str]]:
    rows = _csv_cells(data)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if _is_number(cell):
                continue
            _assert_inert_text(cell, f"{name} row {r + 1} column {c + 1}")
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return not cell.startswith(("\t", "\r", " ")) and cell.strip() == cell


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert safe_cell(-0.3) == -0.3
    assert safe_cell(-2) == -2
    assert safe_cell("North") == "North"
    assert safe_cell(None) is None
    for start in ("=", "+", "-", "@", "\t"):
        assert safe_cell(f"{start}1") == f"'{start}1"
    assert safe_cell("\r=1") == "'=1"  # a carriage return is not kept in a cell
    assert safe_cell("  =1") == "'  =1"
    assert safe_cell("North\x00\x1b[0m\u202e") == "North[0m"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_xlsx_has_no_formula_and_keeps_numbers(agency, lang):
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(agency, lang)))
    texts, numbers = [], []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    _assert_inert_text(cell.value, f"{sheet.title}!{cell.coordinate}")
                    texts.append(cell.value)
                elif isinstance(cell.value, int | float):
                    numbers.append(cell.value)
    assert f"'{ORGANIZATION}" in texts
    formulas = {name.strip() for name in UNIT_NAMES if name.startswith(FORMULA_STARTS)}
    neutralised = {t for t in texts if t.startswith("'") and t[1:].strip() in formulas}
    assert len(neutralised) >= 3  # the units' names are there, as text
    assert numbers and any(n < 0 for n in numbers) or numbers  # numbers are still numbers


@pytest.mark.parametrize("lang", ["en", "es"])
def test_aggregate_csv_and_codebook_hold_no_formula(agency, lang):
    aggregates, codebook = report_csv(agency, lang)
    rows = _assert_csv_inert(aggregates, "aggregates.csv")
    _assert_csv_inert(codebook, "codebook.csv")
    groups = {row[2] for row in rows[1:]}
    assert "'@SUM(A1)" in groups and "'\t=1" in groups
    values = [row[7] for row in rows[1:] if row[7]]
    assert values and all(_is_number(v) or not v[0].isdigit() for v in values)
    with zipfile.ZipFile(io.BytesIO(report_csv_zip(agency, lang))) as archive:
        for name in archive.namelist():
            _assert_csv_inert(archive.read(name), name)


def test_negative_numbers_stay_numbers_in_the_csv(agency):
    rows = _csv_cells(report_csv(agency, "en")[0])
    header = rows[0]
    at = header.index("value")
    assert not any(row[at].startswith("'") and _is_number(row[at][1:]) for row in rows[1:])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_anonymized_responses_hold_no_formula(hostile, lang):
    with transaction(hostile) as session:
        export = anonymized_responses(session, session.get(Round, 3))
    data, codebook = responses_csv(export, lang)
    rows = _assert_csv_inert(data, "responses.csv")
    _assert_csv_inert(codebook, "responses.codebook.csv")
    assert len(rows) == len(export.rows) + 1
    answers = [cell for row in rows[1:] for cell in row[7:] if cell not in ("", "NA")]
    assert answers and all(_is_number(cell) for cell in answers)


def test_code_list_holds_no_formula():
    slip = SlipRound(
        organization=ORGANIZATION,
        round_name=ROUND,
        unit_name="-2+3",
        closes_on=None,
        languages=("en",),
        survey_url="http://localhost/survey",
        min_group_size=5,
    )
    rows = _assert_csv_inert(codes_csv(slip, ["ABCD-EFGH"]), "codes.csv")
    assert rows[1][:3] == [f"'{ORGANIZATION}", "'+1+1", "'-2+3"]
    assert rows[1][4] == "ABCD-EFGH"


@pytest.mark.parametrize("name", [r"$\frac{1}{2}$", "$x^$", "a $ b $$ c", "\\", "$"])
def test_code_slips_print_names_with_dollars(name):
    slip = SlipRound(
        organization=name,
        round_name=name,
        unit_name=name,
        closes_on=None,
        languages=("en", "es"),
        survey_url="http://localhost/survey",
        min_group_size=5,
    )
    pdf = slips_pdf(slip, ["ABCD-EFGH"])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ABCD-EFGH" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_report_shows_mathtext_names_as_text(agency, lang):
    pdf = report_pdf(agency, lang)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert(1)</script>" in text
    assert "**bold**" in text


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_report_with_hostile_names_stays_inside_its_pages(agency, paper, lang):
    """Names typed to break the layout (markup, mathtext, control characters) are printed
    inside the margins, the summary is one page, and every page renders with ink on it."""
    missing = tools_missing()
    if missing:
        pytest.skip(missing)
    pdf = report_pdf(agency, lang, paper=paper)
    size = pdf_export.page_size(paper)
    assert outside_margins(pdf, size, pdf_export.MARGIN, pdf_export.FOOTER_EDGE) == []
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert ORGANIZATION in pages[0].extract_text()
    assert pages[1].extract_text().strip().startswith(word("sec.priorities", lang))
    pictures = page_pictures(pdf)
    assert len(pictures) == len(pages)
    assert all(inked_share(picture) > 0.01 for picture in pictures)


def test_difference_heat_map_draws_mathtext_names_as_typed(agency):
    chart = heatmap_chart(agency, "es", view="difference")
    assert png_bytes(chart, dpi=40).startswith(b"\x89PNG")
    shown = {text.get_text() for text in chart.figure.findobj(Text)}
    assert any(name.startswith("$x^$") for name in shown)
    assert any(ORGANIZATION in name for name in shown)
    assert all(not text.get_parse_math() for text in chart.figure.findobj(Text))


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_html_report_escapes_names(agency, lang):
    html = report_html(agency, lang)
    parser = _Elements()
    parser.feed(html)
    assert "script" not in parser.tags
    shown = "".join(parser.text)
    assert "<script>alert(1)</script>" in shown
    assert "<b>b</b>" in shown


def test_heat_map_draws_mathtext_names_as_typed(agency):
    chart = heatmap_chart(agency, "en")
    assert png_bytes(chart, dpi=40).startswith(b"\x89PNG")
    shown = {text.get_text() for text in chart.figure.findobj(Text)}
    assert any(name.startswith("$x^$") for name in shown)
    assert all(not text.get_parse_math() for text in chart.figure.findobj(Text))


NUMBERS = st.one_of(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(-(10**12), 10**12)
)


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.one_of(st.text(max_size=40), NUMBERS), max_size=8))
def test_any_cell_is_written_as_data_in_xlsx_and_csv(cells):
    """Fuzzed cells through `safe_cell`: openpyxl writes every one (no illegal character), reads
    back no formula and no text starting like one, and numbers come back as the same numbers."""
    workbook = openpyxl.Workbook()
    workbook.active.append(safe_row(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = list(openpyxl.load_workbook(buffer).active.iter_rows()) or [[]]
    for written, cell in zip(cells, row, strict=False):
        assert cell.data_type != "f"
        if isinstance(written, str):
            assert cell.value is None or not str(cell.value).lstrip().startswith(FORMULA_STARTS)
        else:
            assert cell.value == pytest.approx(written, rel=1e-14)
    for parsed in csv.reader(io.StringIO(csv_bytes([cells]).decode("utf-8-sig"), newline="")):
        for written, text in zip(cells, parsed, strict=True):
            if isinstance(written, str):
                assert not text.lstrip().startswith(FORMULA_STARTS)
            else:
                assert float(text) == written
