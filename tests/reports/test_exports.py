"""The exports of a report (PDF, HTML, XLSX, CSV) read back as a reader would read them: the
PDF's text with pypdf, the XLSX cells with openpyxl, the CSV rows with csv. Withheld groups
must stay withheld in every one of them, in both languages.

The demo agency (`tisa init --demo`) is built once for the module in a temporary SQLite file:
its third round has two withheld units in South Region (one under the threshold, one withheld
by complementary suppression) and two withheld roles.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from pypdf import PdfReader

from reports.builder import build_report
from reports.document import report_document, row_text, withheld_text
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.table_export import aggregate_records, report_csv, report_csv_zip, report_xlsx
from reports.words import WORDS, number, percent, reason_text, role_name, word
from scoring.change import DECLINED, IMPROVED, STABLE, TOO_FEW
from scoring.disclosure import BELOW_K, PROTECTS_SMALLER, SHOWN, WITHHELD
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.models import Round

DIGIT = re.compile(r"\d")


@pytest.fixture(scope="module")
def demo_factory(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def reports(demo_factory):
    """The agency's report of round 3, a withheld unit's, a shown region's and round 1's."""
    with transaction(demo_factory) as session:
        round_ = session.get(Round, 3)
        agency = build_report(session, round_)
        withheld_unit = next(c for c in agency.units if c.status == WITHHELD)
        south = next(u for u in round_.units if u.code == "south-region")
        return {
            "agency": agency,
            "withheld": build_report(session, round_, int(withheld_unit.key)),
            "south": build_report(session, round_, south.id),
            "first": build_report(session, session.get(Round, 1)),
        }


@pytest.fixture(scope="module")
def agency(reports):
    return reports["agency"]


@pytest.fixture(scope="module")
def withheld_units(agency):
    names = {c.name for c in agency.units if c.status == WITHHELD}
    assert names, "the demo must have a withheld unit in round 3"
    return names


@pytest.fixture(scope="module")
def withheld_roles(agency):
    names = {c.name for c in agency.roles if c.status == WITHHELD}
    assert names, "the demo must have a withheld role in round 3"
    return names


@pytest.fixture(scope="module")
def reasons(agency):
    """Why each withheld unit and role (by its English name) is withheld."""
    out = {c.name: c.reason for c in agency.units if c.status == WITHHELD}
    out.update({role_name(c.name, "en"): c.reason for c in agency.roles if c.status == WITHHELD})
    return out


def said(name: str, reasons: dict[str, str], lang: str, k: int) -> str:
    return withheld_text(WITHHELD, reasons[name], lang, k)


@pytest.fixture(scope="module")
def pdf_en(agency):
    return PdfReader(io.BytesIO(report_pdf(agency, "en")))


@pytest.fixture(scope="module")
def pdf_es(agency):
    return PdfReader(io.BytesIO(report_pdf(agency, "es")))


def pdf_lines(reader: PdfReader) -> list[str]:
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


# -- the words --------------------------------------------------------------------------------


def test_every_word_exists_in_english_and_spanish():
    for key, texts in WORDS.items():
        assert set(texts) == {"en", "es"}, key
        assert all(text.strip() for text in texts.values()), key


def test_numbers_are_written_in_the_language_of_the_report():
    assert number(3.456, "en", 2) == "3.46"
    assert number(3.456, "es", 2) == "3,46"
    assert number(-0.5, "en", 2, signed=True) == "−0.50"
    assert number(-0.001, "en", 2, signed=True) == "±0.00"  # no "−0.00" change
    assert percent(55.6, "en") == "56%"
    assert percent(55.6, "es") == "56 %"
    assert number(None, "en") == "—"


# -- the document all exports share ------------------------------------------------------------


def test_the_two_reasons_for_withholding_are_told_apart(agency, reasons):
    """The demo's South Region has a team under the threshold and a team of at least k
    withheld to protect it: the second must never read "fewer than k"."""
    k = agency.min_group_size
    assert set(reasons.values()) >= {BELOW_K, PROTECTS_SMALLER}
    protecting = [c for c in agency.units if c.reason == PROTECTS_SMALLER]
    for lang in ("en", "es"):
        document = report_document(agency, lang, item_charts=False)
        rows = [row for s in document.sections for b in s.blocks if hasattr(b, "rows")
                for row in b.rows]
        for cell in protecting:
            texts = [row_text(row)[1] for row in rows if row.cells[0] == cell.name]
            assert texts and all(t == reason_text(PROTECTS_SMALLER, lang, k) for t in texts)
            assert all(reason_text(BELOW_K, lang, k) not in t for t in texts)
    assert word("reason.protects_smaller", "en") == "withheld to protect a smaller group"
    assert word("reason.below_k", "en", k=5) == "fewer than 5 answered"


def test_document_rows_of_withheld_groups_carry_no_number(agency, withheld_units, withheld_roles,
                                                          reasons):
    document = report_document(agency, "en", item_charts=False)
    tables = [b for s in document.sections for b in s.blocks if hasattr(b, "rows")]
    seen = set()
    for table in tables:
        for row in table.rows:
            if row.cells[0] in withheld_units | {role_name(r, "en") for r in withheld_roles}:
                seen.add(row.cells[0])
                assert row.status == WITHHELD
                assert row_text(row)[1:] == (said(row.cells[0], reasons, "en",
                                                  agency.min_group_size),)
                said_k = word("reason.below_k", "en", k=agency.min_group_size)
                assert not DIGIT.search(" ".join(row_text(row)).replace(said_k, ""))
    assert seen == withheld_units | {role_name(r, "en") for r in withheld_roles}


def test_reliability_and_agreement_are_in_plain_words(agency):
    document = report_document(agency, "en", item_charts=False)
    section = next(s for s in document.sections if s.key == "reliability")
    table = next(b for b in section.blocks if hasattr(b, "rows"))
    readings = {row.cells[4] for row in table.rows}
    assert readings <= {"items hang together well", "acceptable", "interpret with caution",
                        "unreliable", "—"}
    split = {u for d in agency.domains for u in d.split_units}
    assert split, "the demo has a unit whose answers fall into two separate groups"
    notes = " ".join(b.text for b in section.blocks if hasattr(b, "style"))
    agreement = " ".join(row.cells[5] for row in table.rows) + " " + notes
    assert "Answers fall into two separate groups in" in agreement
    assert "Weak or lacking agreement in" in agreement
    assert "disagree strongly" not in agreement and "two camps" not in agreement


# -- PDF ----------------------------------------------------------------------------------------


def test_pdf_has_a_page_number_on_every_page(pdf_en, pdf_es):
    for reader, text in ((pdf_en, "Page {i} of {n}"), (pdf_es, "Página {i} de {n}")):
        n = len(reader.pages)
        assert n > 5
        for i, page in enumerate(reader.pages, start=1):
            assert text.format(i=i, n=n) in page.extract_text()


def test_pdf_marks_withheld_units_and_roles_with_no_number(pdf_en, withheld_units,
                                                           withheld_roles, reasons, agency):
    lines = pdf_lines(pdf_en)
    k = agency.min_group_size
    for name in withheld_units | {role_name(r, "en") for r in withheld_roles}:
        rows = [i for i, line in enumerate(lines) if line == name]
        assert rows, f"{name} is not in the PDF"
        for i in rows:
            assert " ".join(lines[i + 1: i + 3]).startswith(said(name, reasons, "en", k)[:12]), (
                name, lines[i: i + 3])
            # the next line starts another row (a name), never a number of this one
            assert not DIGIT.fullmatch(lines[i + 2][:1] or "x"), (name, lines[i: i + 3])


def test_pdf_shows_the_cover_and_the_methods(pdf_en, agency):
    text = "\n".join(pdf_lines(pdf_en))
    assert agency.organization in text
    assert agency.round_name in text
    assert agency.instrument_ref in text
    assert f"{agency.n_responses}" in text
    assert percent(100 * agency.response_rate, "en") in text
    assert "Minimum group size" in text
    assert "Complementary suppression" in text
    assert "Benjamini" in text
    assert "comparable on" in text.replace("\n", " ") or "of 6" in text


def test_spanish_pdf_has_its_accents_right(pdf_es):
    text = "\n".join(pdf_lines(pdf_es))
    for phrase in ("Informe de mejora", "Puntuaciones por dominio", "Fiabilidad y acuerdo",
                   "Tamaño mínimo de grupo", "Métodos", "no se muestra", "Página 1 de"):
        assert phrase in text, phrase
    assert "\ufffd" not in text
    assert "3,6" in text  # decimal comma


def test_pdf_of_a_withheld_unit_shows_no_statistic(reports):
    report = reports["withheld"]
    assert report.scope_status == WITHHELD and report.n_responses is None
    reader = PdfReader(io.BytesIO(report_pdf(report, "en")))
    text = "\n".join(pdf_lines(reader))
    assert f"Results for {report.scope_name} are withheld" in text
    assert "Domain scores" not in text
    lines = pdf_lines(reader)
    i = lines.index(report.scope_name, lines.index("Units"))
    assert lines[i + 1].startswith("withheld")


# -- HTML ---------------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict] = []
        self.html_lang = None
        self.headings: list[str] = []
        self.header_cells = 0
        self.rows: list[tuple[str, list[str]]] = []
        self._row: list[str] | None = None
        self._class = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "img":
            self.images.append(attrs)
        if tag in {"h1", "h2", "h3"}:
            self.headings.append(tag)
        if tag == "th" and attrs.get("scope") in {"col", "row"}:
            self.header_cells += 1
        if tag == "tr":
            self._row, self._class = [], attrs.get("class", "")
        if tag in {"td", "th"} and self._row is not None:
            self._text = []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._row is not None and self._text is not None:
            self._row.append("".join(self._text))
            self._text = None
        if tag == "tr" and self._row is not None:
            self.rows.append((self._class, self._row))
            self._row = None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_html_is_self_contained_and_accessible(agency, withheld_units, reasons, lang):
    page = report_html(agency, lang)
    assert not re.search(r"https?:", page), "no external resource, no URL at all"
    assert "<script" not in page
    parsed = _Page()
    parsed.feed(page)
    assert parsed.html_lang == lang
    assert parsed.headings.count("h1") == 1
    assert parsed.images and all(img.get("alt", "").strip() for img in parsed.images)
    assert all(img["src"].startswith("data:image/png;base64,") for img in parsed.images)
    assert parsed.header_cells > 20
    rows = [cells for kind, cells in parsed.rows if cells and cells[0] in withheld_units]
    assert len(rows) == len(withheld_units)
    for cells in rows:
        assert cells[1:] == [said(cells[0], reasons, lang, agency.min_group_size)]


# -- XLSX ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_xlsx_withheld_cells_hold_the_reason_never_a_number(agency, withheld_units,
                                                            withheld_roles, reasons, lang):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(agency, lang)))
    assert book.sheetnames == ["summary", "domains", "agreement", "change", "trend", "units",
                               "roles", "items", "codebook"]
    k = agency.min_group_size
    units = list(book["units"].iter_rows(min_row=2, values_only=True))
    found = {str(row[0]).strip() for row in units if str(row[0]).strip() in withheld_units}
    assert found == withheld_units
    for row in units:
        name = str(row[0]).strip()
        if name in withheld_units:
            expected = reason_text(reasons[name], lang, k, short=True)
            assert all(cell == expected for cell in row[3:]), row
        else:  # a number, or the short reason of a withheld one
            assert isinstance(row[3], int), row
            assert all(isinstance(c, float) or c in {
                reason_text(code, lang, k, short=True) for code in (BELOW_K, PROTECTS_SMALLER)
            } for c in row[4:]), row
    roles = list(book["roles"].iter_rows(min_row=2, values_only=True))
    hidden = {role_name(r, lang): role_name(r, "en") for r in withheld_roles}
    assert {row[0] for row in roles if row[0] in hidden} == set(hidden)
    for row in roles:
        if row[0] in hidden:
            expected = reason_text(reasons[hidden[row[0]]], lang, k, short=True)
            assert all(cell == expected for cell in row[2:]), row


def test_xlsx_keeps_numbers_unrounded_and_displays_them_rounded(agency):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(agency, "en")))
    sheet = book["domains"]
    first = agency.domains[0]
    assert sheet.cell(2, 2).value == first.domain_id
    assert sheet.cell(2, 4).value == pytest.approx(first.mean, abs=1e-12)
    assert sheet.cell(2, 4).number_format == "0.00"
    change = book["change"]
    header = [cell.value for cell in change[1]]
    column = header.index(word("col.verdict", "en")) + 1
    verdicts = {change.cell(r, column).value for r in range(2, change.max_row + 1)}
    assert verdicts <= {IMPROVED, DECLINED, STABLE, TOO_FEW}
    assert {IMPROVED, DECLINED} <= verdicts


def test_xlsx_of_a_withheld_unit_has_no_statistic(reports):
    report = reports["withheld"]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, "en")))
    [header, *domains] = list(book["domains"].iter_rows(values_only=True))
    said = reason_text(report.scope_reason, "en", report.min_group_size, short=True)
    assert domains == [(report.scope_name, *([said] * (len(header) - 1)))]
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(min_row=2,
                                                                    values_only=True)}
    assert summary["Responses"] == said


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_withheld_rows_have_no_value(agency, withheld_units, withheld_roles):
    aggregates, codebook = report_csv(agency, "en")
    rows = list(csv.DictReader(io.StringIO(aggregates.decode("utf-8-sig"))))
    assert list(rows[0]) == ["section", "group_type", "group", "depth", "domain", "item",
                             "statistic", "value", "status", "reason"]
    units = [r for r in rows if r["section"] == "unit" and r["group"] in withheld_units]
    assert {r["group"] for r in units} == withheld_units
    assert all(r["value"] == "" and r["status"] == "withheld" for r in units)
    assert {r["reason"] for r in units} == {c.reason for c in agency.units
                                            if c.status == WITHHELD}
    roles = [r for r in rows if r["section"] == "role" and r["group"] in withheld_roles]
    assert roles and all(r["value"] == "" and r["status"] == "withheld" for r in roles)
    shown = [r for r in rows if r["section"] == "unit" and r["status"] == SHOWN]
    assert shown and all(float(r["value"]) >= 1 and r["reason"] == "" for r in shown)
    assert all(r["value"] == "" and r["reason"] for r in rows if r["status"] == WITHHELD)
    book = list(csv.reader(io.StringIO(codebook.decode("utf-8-sig"))))
    names = {row[0] for row in book}
    assert {"statistic", "value", "status", "status=withheld", "mean", "hedges_g", "reason",
            "reason=below_k", "reason=protects_smaller"} <= names
    assert {d.domain_id for d in agency.domains} <= names
    assert {i.item_id for d in agency.domains for i in d.items} <= names


def test_csv_of_a_withheld_unit_has_no_value_of_the_unit(reports):
    report = reports["withheld"]
    for record in aggregate_records(report):
        if record.group == report.scope_name:
            assert record.value is None or record.statistic in {"min_group_size",
                                                                "min_comment_group_size"}


def test_csv_zip_holds_the_aggregates_and_the_codebook(agency):
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(report_csv_zip(agency, "es")))
    assert sorted(archive.namelist()) == ["aggregates.csv", "codebook.csv"]
    assert "Dimensión" not in archive.read("aggregates.csv").decode("utf-8-sig")[:200]
    assert "significado" in archive.read("codebook.csv").decode("utf-8-sig")


# -- other scopes and rounds -------------------------------------------------------------------


def test_a_unit_report_lists_only_its_subtree(reports):
    south = reports["south"]
    assert south.shown
    names = [c.name for c in south.units]
    assert names[0] == "South Region"
    aggregates, _ = report_csv(south, "en")
    assert b"North Region" not in aggregates


def test_a_first_round_report_says_there_is_nothing_to_compare(reports):
    first = reports["first"]
    assert first.previous_round_name is None and not first.change
    document = report_document(first, "en", item_charts=False)
    change = next(s for s in document.sections if s.key == "change")
    chart = next(b for b in change.blocks if hasattr(b, "chart"))
    assert "no earlier round" in chart.chart.alt
