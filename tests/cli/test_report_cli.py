"""`tisa report` and `tisa responses export` against the demo agency in a real SQLite file:
each format is written and reads back, and bad input gets one line on stderr and exit 2."""

from __future__ import annotations

import csv
import io
import shutil

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from typer.testing import CliRunner

from cli import app
from reports.frozen import freeze_closed_rounds, frozen_report
from scoring.disclosure import WITHHELD
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.models import AuditEvent, Response, Round

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo with its closed rounds' reports frozen (`reports.frozen`)."""
    path = tmp_path_factory.mktemp("report-cli") / "demo.db"
    initialize(f"sqlite:///{path}", demo=True)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with transaction(session_factory(engine), write=True) as session:
            freeze_closed_rounds(session)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def db(demo_file, tmp_path, monkeypatch):
    """A copy of the demo database for one test (the export writes to the audit log)."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("TISA_DATABASE_URL", url)
    return url


def run(*args: str):
    return runner.invoke(app, list(args))


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_pdf(db, tmp_path):
    out = tmp_path / "report.pdf"
    result = run("report", "3", "--format", "pdf", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "written to" in result.stdout
    reader = PdfReader(out)
    assert len(reader.pages) > 5
    assert "Improvement report" in reader.pages[0].extract_text()


def test_spanish_pdf_of_one_unit(db, tmp_path):
    out = tmp_path / "sur.pdf"
    result = run("report", "3", "--unit", "south-region", "--lang", "es", "--format", "pdf",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Informe de mejora" in text and "South Region" in text
    assert "North Region" not in text


def test_html(db, tmp_path):
    out = tmp_path / "report.html"
    result = run("report", "3", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "http" not in page


def test_xlsx(db, tmp_path):
    out = tmp_path / "report.xlsx"
    result = run("report", "3", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert "units" in book.sheetnames and "codebook" in book.sheetnames


def test_csv_writes_the_codebook_beside_it(db, tmp_path):
    out = tmp_path / "aggregates.csv"
    result = run("report", "3", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows and rows[0]["section"] == "overview"
    assert (tmp_path / "aggregates.codebook.csv").exists()


def test_a_withheld_unit_still_gets_a_report_that_says_so(db, tmp_path):
    out = tmp_path / "small.csv"
    result = run("report", "3", "--unit", "south-family-support", "--format", "csv",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "results withheld" in result.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    mine = [r for r in rows if r["group"] == "South Family Support"]
    assert mine and all(r["value"] == "" for r in mine if r["statistic"] not in
                        {"min_group_size", "min_comment_group_size"})


def test_unknown_round(db, tmp_path):
    line = one_error_line(run("report", "99", "--format", "pdf", "--out",
                              str(tmp_path / "x.pdf")))
    assert line.startswith("error: no round 99; rounds: 1 (")
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_unit(db, tmp_path):
    line = one_error_line(run("report", "3", "--unit", "nowhere", "--format", "html", "--out",
                              str(tmp_path / "x.html")))
    assert "has no unit 'nowhere'" in line and "south-family-support" in line


def test_existing_file_is_never_overwritten(db, tmp_path):
    out = tmp_path / "taken.pdf"
    out.write_bytes(b"keep me")
    line = one_error_line(run("report", "3", "--format", "pdf", "--out", str(out)))
    assert "exists" in line
    assert out.read_bytes() == b"keep me"


def test_existing_codebook_is_never_overwritten(db, tmp_path):
    (tmp_path / "a.codebook.csv").write_text("mine")
    line = one_error_line(run("report", "3", "--format", "csv", "--out",
                              str(tmp_path / "a.csv")))
    assert "a.codebook.csv exists" in line
    assert not (tmp_path / "a.csv").exists()


def test_missing_folder(db, tmp_path):
    line = one_error_line(run("report", "3", "--format", "xlsx", "--out",
                              str(tmp_path / "no" / "such" / "r.xlsx")))
    assert "does not exist" in line


def test_bad_format_exits_2(db, tmp_path):
    result = run("report", "3", "--format", "docx", "--out", str(tmp_path / "r.docx"))
    assert result.exit_code == 2
    assert "docx" in result.stderr


def test_responses_export_is_anonymized_and_audited(db, tmp_path):
    out = tmp_path / "responses.csv"
    result = run("responses", "export", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["unit", "role", "language", "mode"]
    assert (tmp_path / "responses.codebook.csv").exists()
    engine = make_engine(db)
    try:
        with engine.connect() as connection:
            actions = connection.scalars(sa.select(AuditEvent.action)).all()
            stored = connection.scalar(sa.select(sa.func.count()).select_from(Response).where(
                Response.round_id == 3))
        with transaction(session_factory(engine)) as session:
            report = frozen_report(session, session.get(Round, 3))
    finally:
        engine.dispose()
    assert len(rows) == 1 + stored, "every response, once"
    withheld = {cell.name for cell in report.units if cell.status == WITHHELD}
    assert withheld, "the demo has a withheld unit"
    assert not {r[0] for r in rows[1:]} & withheld, "no row is labelled with a withheld unit"
    assert "responses.export" in actions


def test_responses_export_refuses_an_existing_file(db, tmp_path):
    out = tmp_path / "responses.csv"
    out.write_text("old")
    line = one_error_line(run("responses", "export", "3", "--out", str(out)))
    assert "exists" in line and out.read_text() == "old"
