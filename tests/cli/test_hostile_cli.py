"""Every command that takes text, fed what an attacker would type: control characters, NUL,
bidirectional overrides, spreadsheet formulas, mathtext, markup, huge strings, nothing at all.

The property checked for every case, on SQLite and PostgreSQL: the command either refuses with
a short, clear message on stderr (exit status 2, no traceback) and leaves the row count of every
table exactly as it was, or accepts and stores only clean text (no control character other than
a line break or tab in free text, no bidirectional control, nothing longer than its cap). Then
the stored names go through every report and export to check that nothing downstream breaks.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from tests.hostile import ANY_TEXT, HOSTILE_TEXTS, assert_clean_store, row_counts

runner = CliRunner()
PASSWORD = "correct horse battery staple"
# What only a raw error shows (a database URL in ordinary output names its driver, so the
# markers are exception names, not driver names).
TRACEBACK_MARKERS = ("Traceback", 'File "', "sqlalchemy.exc", "psycopg.errors", "DataError")


def invoke(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def assert_answered(result, before: dict[str, int], url: str, what: str) -> bool:
    """The command either refused clearly with nothing changed, or succeeded cleanly.
    Returns True when it succeeded."""
    assert not (
        result.exception is not None and not isinstance(result.exception, SystemExit)
    ), f"{what}: crashed with {result.exception!r}\n{result.output}"
    output = result.output
    for marker in TRACEBACK_MARKERS:
        assert marker not in result.stderr, f"{what}: raw error shown:\n{output[:2000]}"
    if result.exit_code == 0:
        assert_clean_store(url)
        return True
    assert result.exit_code == 2, f"{what}: exit {result.exit_code}\n{output[:2000]}"
    stderr = result.stderr.strip()
    assert stderr, f"{what}: refused without saying why"
    assert len(stderr) < 600 and len(stderr.splitlines()) <= 3, (
        f"{what}: the message is not one clear line:\n{stderr[:1000]}"
    )
    assert row_counts(url) == before, f"{what}: a refused input changed stored rows"
    return False


@pytest.fixture
def agency(db_url, monkeypatch):
    monkeypatch.setenv("TISA_DATABASE_URL", db_url)
    monkeypatch.delenv("TISA_ADMIN_PASSWORD", raising=False)
    result = invoke(
        "init", "--admin-user", "ana", "--admin-password", PASSWORD, "--organization", "Agency"
    )
    assert result.exit_code == 0, result.output
    for args in (
        ("units", "add", "North Region", "--code", "north"),
        ("units", "add", "Intake", "--code", "intake", "--parent", "north"),
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    return db_url


def create_round(name: str = "Spring", *extra: str, invited: int = 12):
    return invoke(
        "round", "create", "--instrument", "ti-staff@1.1.0", "--unit", f"intake={invited}",
        "--opens", "2027-03-01", "--closes", "2027-03-21", *extra, "--", name,
    )


# Every case is tried in turn on one agency (set up once per test and database): each input is
# answered on its own, with the row counts taken just before it.
CASES = sorted(HOSTILE_TEXTS)


def answered(url: str, what: str, *args: str) -> bool:
    before = row_counts(url)
    return assert_answered(invoke(*args), before, url, what)


def test_unit_names_and_codes(agency):
    for n, case in enumerate(CASES):
        text = HOSTILE_TEXTS[case]
        answered(agency, f"units add {case}", "units", "add", "--", text)
        answered(agency, f"units add --code {case}",
                 "units", "add", "--code", text, "--", f"Foster care {n}")
        answered(agency, f"units add --parent {case}",
                 "units", "add", "--parent", text, "--", f"Placement {n}")


def test_round_fields(agency):
    for n, case in enumerate(CASES):
        text = HOSTILE_TEXTS[case]
        before = row_counts(agency)
        assert_answered(create_round(text), before, agency, f"round create {case}")
        for option in ("--languages", "--opens", "--closes"):
            answered(agency, f"round create {option} {case}", "round", "create", f"Spring {n}",
                     "--instrument", "ti-staff@1.1.0", "--unit", "intake=5", option, text)
        answered(agency, f"round create --instrument {case}", "round", "create", f"Spring {n}",
                 "--instrument", text, "--unit", "intake=5")
        answered(agency, f"round create --unit {case}", "round", "create", f"Spring {n}",
                 "--instrument", "ti-staff@1.1.0", "--unit", text)


def test_user_fields(agency, monkeypatch):
    monkeypatch.setenv("TISA_USER_PASSWORD", PASSWORD)
    for n, case in enumerate(CASES):
        text = HOSTILE_TEXTS[case]
        answered(agency, f"users add {case}", "users", "add", "--role", "manager", "--", text)
        answered(agency, f"users add --name {case}",
                 "users", "add", f"maria{n}", "--role", "manager", "--name", text)
        answered(agency, f"users add --password {case}",
                 "users", "add", f"mario{n}", "--role", "manager", "--password", text)


@pytest.mark.parametrize("case", CASES)
def test_organization_name_at_init(db_url, monkeypatch, case):
    monkeypatch.setenv("TISA_DATABASE_URL", db_url)
    invoke("init")  # migrate only
    answered(db_url, f"init --organization {case}", "init", "--admin-user", "ana",
             "--admin-password", PASSWORD, "--organization", HOSTILE_TEXTS[case])


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_unit_import_cells(agency, tmp_path):
    for n, case in enumerate(CASES):
        text = HOSTILE_TEXTS[case]
        for row in ([text, f"ok-code-{n}", ""], [f"Fine name {n}", text, ""],
                    [f"Fine name {n}", f"fine-code-{n}", text]):
            path = write_csv(tmp_path / f"units-{n}.csv", [["name", "code", "parent"], row])
            answered(agency, f"units import {case} {row!r:.40}", "units", "import", str(path))


@pytest.mark.parametrize(
    "content",
    [
        b"name,code,parent\nA\x00B,a,\n",
        b"\xff\xfe\x00n\x00a\x00m\x00e",
        b"name,code,parent\n" + b'"' + b"x" * 2_000_000 + b'",c,\n',
        b"name,code,parent\n" + b"A,a,,,,,,,,,,,,,,,,\n",
        b"",
    ],
    ids=["nul", "utf16", "huge_cell", "ragged", "empty"],
)
def test_unit_import_files(agency, content, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    answered(agency, "units import file", "units", "import", str(path))


def test_paper_import_cells(agency, tmp_path):
    assert create_round(invited=1000).exit_code == 0
    assert invoke("round", "open", "1").exit_code == 0
    header = ["unit", "role", "language", "FND-01"]
    for n, case in enumerate(CASES):
        text = HOSTILE_TEXTS[case]
        for row in ([text, "frontline", "en", "3"], ["intake", text, "en", "3"],
                    ["intake", "frontline", text, "3"], ["intake", "frontline", "en", text]):
            path = write_csv(tmp_path / f"paper-{n}.csv", [header, row])
            answered(agency, f"responses import {case} {row!r:.40}",
                     "responses", "import", "1", str(path))


def test_code_slips_address(agency, tmp_path):
    assert create_round().exit_code == 0
    assert invoke("round", "open", "1").exit_code == 0
    drawn = {"mathtext", "markup", "huge", "nul", "right_to_left_override"}  # also as slips
    for n, case in enumerate(CASES):
        suffix = "pdf" if case in drawn else "csv"
        answered(agency, f"codes issue --base-url {case}", "codes", "issue", "1", "--unit",
                 "intake", "--count", "2", "--out", str(tmp_path / f"codes-{n}.{suffix}"),
                 "--base-url", HOSTILE_TEXTS[case])


def test_analyze_columns_and_cells(tmp_path):
    for case in CASES:
        text = HOSTILE_TEXTS[case]
        path = write_csv(tmp_path / "answers.csv", [["FND-01", "FND-02", "unit"],
                                                     [text, "3", text], ["4", "5", "a"],
                                                     ["2", "3", "b"]])
        for args in (("analyze", str(path), "--instrument", "ti-staff@1.1.0"),
                     ("analyze", str(path), "--instrument", "ti-staff@1.1.0", "--group-col",
                      text)):
            result = invoke(*args)
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                f"analyze {case}: crashed with {result.exception!r}"
            )
            assert result.exit_code in (0, 2), f"analyze {case}: exit {result.exit_code}"
            for marker in TRACEBACK_MARKERS:
                assert marker not in result.stderr, f"analyze {case}: raw error shown"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=ANY_TEXT, code=st.one_of(st.none(), ANY_TEXT))
def test_fuzzed_unit_names(agency, name, code):
    args = ["units", "add", *(["--code", code] if code is not None else []), "--", name]
    answered(agency, f"units add {name!r} {code!r}", *args)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=ANY_TEXT)
def test_fuzzed_round_names(agency, name):
    before = row_counts(agency)
    assert_answered(create_round(name), before, agency, f"round create {name!r}")


def test_hostile_names_go_through_every_report(agency, tmp_path, monkeypatch):
    """Names an attacker chose, accepted and stored, then every report format of a closed round
    is written without a crash and no spreadsheet cell is a live formula."""
    names = [HOSTILE_TEXTS[c] for c in ("formula_equals", "formula_at", "mathtext", "markup")]
    for i, name in enumerate(names):
        result = invoke("units", "add", name, "--code", f"team-{i}", "--parent", "north")
        assert result.exit_code == 0, result.output
    units = [f"--unit=team-{i}=6" for i in range(len(names))]
    result = invoke("round", "create", "=cmd|' /C calc'!A0", "--instrument", "ti-staff@1.1.0",
                    *units, "--opens", "2027-03-01", "--closes", "2027-03-21")
    assert result.exit_code == 0, result.output
    assert invoke("round", "open", "1").exit_code == 0
    header = ["unit", "role", "language", "FND-01", "FND-02", "FND-03"]
    rows = [[f"team-{i}", "frontline", "en", "4", "3", "5"] for i in range(len(names))
            for _ in range(6)]
    path = write_csv(tmp_path / "paper.csv", [header, *rows])
    result = invoke("responses", "import", "1", str(path))
    assert result.exit_code == 0, result.output
    assert invoke("round", "close", "1").exit_code == 0
    for fmt in ("pdf", "html", "xlsx", "csv"):
        out = tmp_path / f"report.{fmt}"
        result = invoke("report", "1", "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    from openpyxl import load_workbook

    workbook = load_workbook(tmp_path / "report.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "@", "\t", "\r")), (
                        f"{sheet.title}!{cell.coordinate} starts like a formula: {cell.value!r}"
                    )
    for csv_path in tmp_path.glob("report*.csv"):
        for row in csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))):
            for value in row:
                assert not value.startswith(("=", "+", "@", "\t", "\r")), (
                    f"{csv_path.name}: {value!r} starts like a formula"
                )
