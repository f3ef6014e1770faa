"""The board report: typography of numbers and ranges, the paper size, and the PDF as a reader
holds it (every text run inside the page's margins, a one-page summary, pages that render).
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports import display, pdf_export
from reports.builder import build_report
from reports.document import Paragraph, Table, all_blocks, ci_text, report_document
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.words import number, word
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.models import Round
from tests.reports.pdf_pages import (
    inked_share,
    outside_margins,
    page_pictures,
    tools_missing,
    word_boxes,
)

MINUS = "\u2212"


def test_every_negative_number_carries_a_real_minus_sign():
    assert number(-0.77, "en", 2) == f"{MINUS}0.77"
    assert number(-0.77, "es", 2) == f"{MINUS}0,77"
    assert number(-0.5, "en", 2, signed=True) == f"{MINUS}0.50"
    assert number(0.5, "en", 2, signed=True) == "+0.50"
    assert number(-0.001, "en", 2) == "0.00"  # no "−0.00"
    assert "-" not in number(-12.5, "en", 1)


def test_ranges_follow_one_rule_everywhere():
    """A range is "low – high" with an en dash, negatives with a minus sign, whichever part of
    the report writes it (an alpha interval, a change interval)."""
    assert display.ci_words((-0.77, -0.27), "en") == f"{MINUS}0.77 – {MINUS}0.27"
    assert ci_text((-0.77, -0.27), "en", 2) == f"{MINUS}0.77 – {MINUS}0.27"
    assert ci_text((-0.77, -0.27), "es", 2, signed=True) == f"{MINUS}0,77 – {MINUS}0,27"
    assert ci_text((0.2, 0.4), "en", 2, signed=True) == "+0.20 – +0.40"


# -- the board report as printed --------------------------------------------------------------

PAPERS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
LANGS = ("en", "es")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The demo agency's round 3 (two withheld units, two withheld roles) and round 1 (no
    earlier round), built in a real SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('board') / 'demo.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            return {"agency": build_report(session, session.get(Round, 3)),
                    "first": build_report(session, session.get(Round, 1))}
    finally:
        engine.dispose()


@pytest.fixture
def poppler():
    """poppler's pdftotext and pdftoppm (.ci/run installs them)."""
    missing = tools_missing()
    if missing:
        pytest.skip(missing)


@pytest.fixture(scope="module")
def pdfs(reports):
    return {(paper, lang): report_pdf(reports["agency"], lang, paper=paper)
            for paper in PAPERS for lang in LANGS}


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_text_run_lies_inside_the_page_and_its_margins(poppler, pdfs, paper, lang):
    pdf = pdfs[(paper, lang)]
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 3
    assert outside_margins(pdf, PAPERS[paper], pdf_export.MARGIN, pdf_export.FOOTER_EDGE) == []


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_is_exactly_the_first_page(pdfs, reports, paper, lang):
    agency = reports["agency"]
    pages = PdfReader(io.BytesIO(pdfs[(paper, lang)])).pages
    first, second = pages[0].extract_text(), pages[1].extract_text()
    assert word("doc.title", lang) in first and word("sec.summary", lang) in first
    assert agency.organization in first and agency.round_name in first
    assert agency.previous_round_name in first  # the change since the last round
    assert second.strip().startswith(word("sec.priorities", lang)), second[:80]
    assert len(pages) <= 24


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_and_none_is_blank_or_nearly_empty(poppler, pdfs, paper, lang):
    pdf = pdfs[(paper, lang)]
    pictures = page_pictures(pdf)
    assert len(pictures) == len(PdfReader(io.BytesIO(pdf)).pages)
    width, height = PAPERS[paper]
    for number_, picture in enumerate(pictures, start=1):
        assert picture.size[0] == pytest.approx(width / 72 * 24, abs=1)
        assert picture.size[1] == pytest.approx(height / 72 * 24, abs=1)
        assert inked_share(picture) > 0.01, f"page {number_} is blank"
    # no near-empty page before the appendix: the first pages are full
    words = word_boxes(pdf)
    for number_, page in enumerate(words[:2], start=1):
        lowest = max(y1 for *_, y1 in page.words if y1 < page.height - pdf_export.MARGIN)
        assert lowest > page.height / 2, f"page {number_} is half empty"


def test_the_paper_size_is_a_setting_with_letter_by_default(monkeypatch):
    monkeypatch.delenv(pdf_export.PAPER_VARIABLE, raising=False)
    assert pdf_export.paper_size() == "letter"
    monkeypatch.setenv(pdf_export.PAPER_VARIABLE, " A4 ")
    assert pdf_export.paper_size() == "a4"
    monkeypatch.setenv(pdf_export.PAPER_VARIABLE, "")
    assert pdf_export.paper_size() == "letter"
    monkeypatch.setenv(pdf_export.PAPER_VARIABLE, "legal")
    with pytest.raises(ValueError, match=pdf_export.PAPER_VARIABLE):
        pdf_export.paper_size()
    with pytest.raises(ValueError, match="letter"):
        pdf_export.page_size("tabloid")


def test_the_setting_chooses_the_pdfs_paper(reports, monkeypatch):
    monkeypatch.setenv(pdf_export.PAPER_VARIABLE, "a4")
    box = PdfReader(io.BytesIO(report_pdf(reports["first"], "en"))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(PAPERS["a4"], abs=0.5)


def test_a_first_round_summary_says_there_is_no_change_yet(reports):
    pages = PdfReader(io.BytesIO(report_pdf(reports["first"], "es", paper="letter"))).pages
    assert word("board.summary.no_previous", "es") in " ".join(pages[0].extract_text().split())
    assert pages[1].extract_text().strip().startswith(word("sec.priorities", "es"))


# -- the document both exports render ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_reliability_table_says_a_shared_sentence_once(reports, lang):
    agency = reports["agency"]
    document = report_document(agency, lang)
    section = next(s for s in document.sections if s.key == "reliability")
    [table] = [b for b in section.blocks if isinstance(b, Table)
               and b.caption == word("tab.reliability", lang)]
    assert len(table.rows) == len(agency.domains) > 3
    sentences: dict[str, int] = {}
    for row in table.rows:
        for cell in row.cells[1:]:
            for sentence in cell.split(". "):
                if len(sentence) > 30:
                    sentences[sentence] = sentences.get(sentence, 0) + 1
    most = max(2, len(table.rows) // 4)  # numbers may coincide in a few rows, not in all
    repeated = {s: n for s, n in sentences.items() if n > most}
    assert not repeated, repeated
    split = word("disp.agr.split", lang, units="North Ongoing Services")
    notes = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert sum(split in note for note in notes) == 1  # said once, above the rows


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_table_header_word_fits_its_column(reports, paper, lang):
    """A header is never broken inside a word ("Complet/e")."""
    document = report_document(reports["agency"], lang)
    frame = pdf_export.page_size(paper)[0] - 2 * pdf_export.MARGIN
    tables = [b for b in all_blocks(document) if isinstance(b, Table)]
    assert len(tables) > 8
    for table in tables:
        widths = pdf_export.column_widths(table, frame)
        assert sum(widths) == pytest.approx(frame)
        size = pdf_export.cell_font_size(table)
        for header, width in zip(table.columns, widths, strict=True):
            for piece in header.split():
                needed = stringWidth(piece, pdf_export.BOLD, size) + 2 * pdf_export.CELL_PAD
                assert needed <= width + 0.01, (table.caption[:30], piece, needed, width)


@pytest.mark.parametrize("lang", LANGS)
def test_the_html_carries_the_same_sections_in_the_same_order_as_the_pdf(reports, pdfs,
                                                                         lang):
    agency = reports["agency"]
    document = report_document(agency, lang)
    keys = [s.key for s in document.sections]
    assert keys[:2] == ["summary", "priorities"]
    assert keys.index("comments") < keys.index("items") < keys.index("methods")
    assert [s.appendix for s in document.sections] == sorted(s.appendix
                                                             for s in document.sections)
    assert keys[-1] == "methods"
    html = report_html(agency, lang)
    ids = re.findall(r'<section id="([a-z]+)"', html)
    assert ids == keys
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(pdfs[("letter", lang)])).pages)
    places = [text.find(s.title) for s in document.sections]
    assert all(p >= 0 for p in places), [s.title for s, p in zip(document.sections, places,
                                                                   strict=True) if p < 0]
    assert places == sorted(places)
