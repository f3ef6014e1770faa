"""The units page lets a manager read the heat map as differences from the scope's own row or
as scores, and the downloads page prints the PDF on Letter or A4 (the setting by default)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from reports.words import word
from tests.ui import test_report_pages as pages

# the report pages' fixtures: the app run from the repository, on a copy of the frozen demo
_in_repo_root = pages._in_repo_root
demo_template = pages.demo_template
db = pages.db


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_heat_map_opens_on_the_difference_and_switches_to_scores(db, lang):
    at = pages.open_app(db, "report_units_page.py", pages.ADMIN_USER, lang=lang)
    assert not at.exception and not at.error, pages.errors(at)
    [view] = [r for r in at.radio if r.key == "report.units.view"]
    assert view.label == word("board.heatmap.view", lang)
    assert view.value == "difference"
    assert view.options[1] == word("board.heatmap.view.scores", lang)
    assert view.options[0].startswith(word("board.heatmap.view.difference", lang, scope="")[:8])
    assert at.get("imgs") or at.get("image"), "the heat map is drawn"
    if lang != "en":  # AppTest re-reads the round picker's Spanish labels in English
        return
    view.set_value("scores").run()
    assert not at.exception and not at.error, pages.errors(at)
    assert at.get("imgs") or at.get("image")
    assert [r for r in at.radio if r.key == "report.units.view"][0].value == "scores"


def test_the_downloads_page_offers_the_paper_with_the_setting_as_default(db, monkeypatch):
    monkeypatch.setenv("TISA_PAPER_SIZE", "a4")
    at = pages.open_app(db, "report_downloads_page.py", pages.ADMIN_USER)
    assert not at.exception and not at.error, pages.errors(at)
    [paper] = [r for r in at.radio if r.key == "report.download.paper"]
    assert paper.value == "a4"
    assert paper.options == ["US Letter", "A4"]


def test_the_downloaded_pdf_is_on_the_chosen_paper(db):
    from ui.report_downloads_page import DOWNLOADS, deferred

    report = pages.scope_report(db, pages.newest_round_id(db), None)
    [pdf] = [d for d in DOWNLOADS if d.key == "pdf"]
    for paper, size in (("letter", (612, 792)), ("a4", (595, 842))):
        box = PdfReader(io.BytesIO(deferred(pdf, report, "en", paper)())).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
