"""`tisa init`, `tisa units`, `tisa round`, `tisa codes issue` and `tisa responses import`
against a real SQLite file: output, JSON shape, exit codes and messages."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from typer.testing import CliRunner

from cli import app
from storage.engine import make_engine
from storage.models import AccessCode, Response, SealedSubmission, User

runner = CliRunner()
PASSWORD = "a long enough password"


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TISA_DATABASE_URL", url)
    monkeypatch.delenv("TISA_ADMIN_PASSWORD", raising=False)
    return url


def run(*args: str, ok: bool = True):
    result = runner.invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def count(url: str, query) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(query).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def agency(db):
    run("init", "--admin-user", "ana", "--admin-password", PASSWORD, "--organization", "Agency")
    run("units", "add", "North Region")
    run("units", "add", "Intake", "--parent", "north-region")
    run("units", "add", "Foster care", "--code", "foster", "--parent", "north-region")
    return db


def test_init_without_terminal_or_password_only_migrates(db):
    result = run("init", "--admin-user", "ana")
    assert "migrating only" in result.stderr
    assert "instrument library: 4 added" in result.stdout
    assert "no admin yet" in result.stdout
    assert count(db, sa.select(sa.func.count()).select_from(User)) == 0


def test_init_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("TISA_ADMIN_PASSWORD", PASSWORD)
    result = run("init", "--admin-user", "Ana")
    assert "admin 'ana' added to organization 'our-agency'" in result.stdout
    again = run("init")
    assert "4 unchanged" in again.stdout


def test_init_refuses_a_short_password_and_adds_nothing(db):
    result = run("init", "--admin-user", "ana", "--admin-password", "short", ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert count(db, sa.select(sa.func.count()).select_from(User)) == 0


def test_units_list_json_is_the_tree(agency):
    rows = json.loads(run("units", "list", "--format", "json").stdout)
    assert [(r["code"], r["depth"]) for r in rows] == [
        ("north-region", 0),
        ("foster", 1),
        ("intake", 1),
    ]


def test_units_import_reports_row_and_column(agency, tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_text("name,parent\nEast,\nEast intake,nowhere\n", encoding="utf-8")
    result = run("units", "import", str(bad), ok=False)
    assert result.exit_code == 2
    assert f"{bad} row 3, column parent: no unit 'nowhere'" in result.stderr
    assert len(json.loads(run("units", "list", "--format", "json").stdout)) == 3


def create_round(*extra: str) -> dict:
    result = run(
        "round", "create", "Spring 2027", "--instrument", "ti-staff@1.1.0",
        "--unit", "intake=12", "--unit", "foster=4", "--closes", "2027-05-01",
        "--format", "json", *extra,
    )
    return json.loads(result.stdout)


def test_round_lifecycle_from_the_command_line(agency):
    created = create_round()
    assert created["status"] == "draft"
    assert created["instrument"] == "ti-staff" and created["version"] == "1.1.0"
    assert {u["code"]: u["invited"] for u in created["units"]} == {
        "north-region": 0,
        "intake": 12,
        "foster": 4,
    }
    round_id = str(created["id"])
    assert "is now open" in run("round", "open", round_id).stdout
    refused = run("round", "open", round_id, ok=False)
    assert refused.exit_code == 2
    assert "only a draft round can become open" in refused.stderr
    run("round", "close", round_id)
    run("round", "publish", round_id)
    [listed] = json.loads(run("round", "list", "--format", "json").stdout)
    assert listed["id"] == created["id"] and listed["status"] == "published"
    assert {"id", "name", "status", "instrument", "version", "opens_on", "closes_on"} <= set(
        listed
    )
    assert listed["closes_on"] == "2027-05-01"


def test_round_create_refuses_bad_input(agency):
    bad_unit = run(
        "round", "create", "X", "--instrument", "ti-staff@1.1.0", "--unit", "intake", ok=False
    )
    assert bad_unit.exit_code == 2
    assert "--unit: 'intake' must be UNITCODE=INVITED" in bad_unit.stderr
    unknown = run(
        "round", "create", "X", "--instrument", "ti-staff@1.1.0", "--unit", "nope=3", ok=False
    )
    assert "has no unit 'nope'" in unknown.stderr
    bad_k = run(
        "round", "create", "X", "--instrument", "ti-staff@1.1.0", "--unit", "intake=3",
        "--min-group", "2", ok=False,
    )
    assert "from 3 to 10" in bad_k.stderr
    assert json.loads(run("round", "list", "--format", "json").stdout) == []


def test_codes_issue_writes_csv_and_slips(agency, tmp_path):
    round_id = str(create_round()["id"])
    csv_path, pdf_path = tmp_path / "codes.csv", tmp_path / "slips.pdf"
    run("codes", "issue", round_id, "--unit", "intake", "--count", "12", "--out", str(csv_path))
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "organization,round,unit,survey_url,code"
    assert len(lines) == 13
    assert all(line.startswith("Agency,Spring 2027,Intake,") for line in lines[1:])
    run("codes", "issue", round_id, "--unit", "foster", "--count", "3", "--out", str(pdf_path))
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    assert count(agency, sa.select(sa.func.count()).select_from(AccessCode)) == 15
    again = run(
        "codes", "issue", round_id, "--unit", "foster", "--count", "3", "--out", str(pdf_path),
        ok=False,
    )
    assert again.exit_code == 2 and "exists" in again.stderr
    assert count(agency, sa.select(sa.func.count()).select_from(AccessCode)) == 15


def test_slips_carry_every_code(agency, tmp_path):
    from reports.code_slips import SlipRound, slips_pdf

    slip = SlipRound("Agency", "Spring", "Intake", None, ("en", "es"), "http://x/survey", 5)
    codes = [f"AAAAA-BBBBB-{c * 5}" for c in "CDEFGHJKMNP"]
    pdf = slips_pdf(slip, codes)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2  # ten slips to a page
    text = "\n".join(page.extract_text() for page in reader.pages)
    for code in codes:
        assert code in text
    assert "Anonymous and voluntary" in text and "Anónima y voluntaria" in text


def test_paper_import_from_the_command_line(agency, tmp_path):
    round_id = str(create_round()["id"])
    run("round", "open", round_id)
    bad = tmp_path / "paper.csv"
    bad.write_text("unit,SAF-01,SAF-02\nintake,4,7\n", encoding="utf-8")
    result = run("responses", "import", round_id, str(bad), ok=False)
    assert result.exit_code == 2
    assert f"{bad} row 2, column SAF-02: '7' is not a point of the scale" in result.stderr
    assert count(agency, sa.select(sa.func.count()).select_from(Response)) == 0
    good = tmp_path / "good.csv"
    good.write_text("unit,role,SAF-01,SAF-02\nintake,frontline,4,NA\nfoster,,2,3\n", "utf-8")
    assert "imported 2 paper responses" in run("responses", "import", round_id, str(good)).stdout
    # sealed like web answers until the round closes, then released
    assert count(agency, sa.select(sa.func.count()).select_from(Response)) == 0
    assert count(agency, sa.select(sa.func.count()).select_from(SealedSubmission)) == 2
    run("round", "close", round_id)
    assert count(agency, sa.select(sa.func.count()).select_from(Response)) == 2
