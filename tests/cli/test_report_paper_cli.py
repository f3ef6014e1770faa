"""`tisa report --format pdf --paper letter|a4`: the paper of the PDF, Letter by default, the
setting TISA_PAPER_SIZE when no option is given, and a clear line for a bad setting."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.cli.test_report_cli import db, demo_file, run  # the demo, its reports frozen

__all__ = ["db", "demo_file"]  # fixtures
LETTER, A4 = (612.0, 792.0), (595.28, 841.89)


def size(path) -> tuple[float, float]:
    box = PdfReader(path).pages[0].mediabox
    return float(box.width), float(box.height)


@pytest.mark.parametrize(("option", "setting", "expected"), [
    ((), None, LETTER),
    ((), "a4", A4),
    (("--paper", "a4"), None, A4),
    (("--paper", "letter"), "a4", LETTER),
])
def test_the_pdf_is_on_the_paper_asked_for(db, tmp_path, monkeypatch, option, setting,
                                           expected):
    if setting is None:
        monkeypatch.delenv("TISA_PAPER_SIZE", raising=False)
    else:
        monkeypatch.setenv("TISA_PAPER_SIZE", setting)
    out = tmp_path / "report.pdf"
    result = run("report", "1", "--format", "pdf", "--out", str(out), *option)
    assert result.exit_code == 0, result.output
    assert size(out) == pytest.approx(expected, abs=0.5)


def test_a_bad_paper_is_refused_with_one_line(db, tmp_path, monkeypatch):
    out = tmp_path / "report.pdf"
    result = run("report", "1", "--format", "pdf", "--out", str(out), "--paper", "legal")
    assert result.exit_code == 2 and not out.exists()
    monkeypatch.setenv("TISA_PAPER_SIZE", "legal")
    result = run("report", "1", "--format", "pdf", "--out", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.strip() == "TISA_PAPER_SIZE must be one of letter, a4, not 'legal'"
