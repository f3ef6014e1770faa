"""CSV files an attacker writes, fed to `tisa analyze` and `tisa responses import`.

`tisa analyze` runs in a child process whose memory is capped (RLIMIT_AS 1 GiB): one long cell
in a column of many rows used to become a fixed-width array of gigabytes. Paper imports run on
SQLite and PostgreSQL, and the row count of every table is checked after each refusal.

The property checked for every case: exit status 2 and one line on stderr naming the file, the
row and the column where there is one, and what is wrong; never a traceback.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cli import app
from instruments.registry import resolve
from storage.engine import make_engine
from storage.models import Base

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "instruments" / "data" / "minimal.yaml"
MEMORY_LIMIT = 1 << 30
GUARD_SECONDS = 180  # a refusal comes in seconds; this only stops a runaway child
PRELUDE = (
    "import resource, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
    "sys.argv = ['tisa', *sys.argv[1:]]\n"
    "from cli import main\n"
    "main()\n"
)
STAFF = "ti-staff@1.1.0"
ITEMS = resolve(STAFF).item_ids()
PASSWORD = "correct horse battery staple"
runner = CliRunner()


def run_tisa(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TISA_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"}
    try:
        return subprocess.run(
            [sys.executable, "-c", PRELUDE, *args], cwd=ROOT, env=env, capture_output=True,
            text=True, timeout=GUARD_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"tisa {' '.join(args)} still running after {GUARD_SECONDS} s")


def one_line(stderr: str, returncode: int, path: Path, pattern: str) -> str:
    assert "Traceback" not in stderr and "MemoryError" not in stderr, stderr[-2000:]
    assert returncode == 2, (returncode, stderr[-2000:])
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines[:5]
    assert len(lines[0]) < 500, lines[0][:500]
    assert lines[0].removeprefix("error: ").startswith(str(path)), lines[0]
    assert re.search(pattern, lines[0]), lines[0]
    return lines[0]


def staff_rows(n: int) -> list[str]:
    return [",".join(str(1 + (r + j) % 5) for j in range(len(ITEMS))) + f",unit-{r % 7}"
            for r in range(n)]


def staff_file(path: Path, rows: list[str], *, header: str | None = None) -> Path:
    header = header if header is not None else ",".join(ITEMS) + ",unit"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8", newline="")
    return path


def set_cell(rows: list[str], row: int, column: int, value: str) -> None:
    cells = rows[row].split(",")
    cells[column] = value
    rows[row] = ",".join(cells)


# -- tisa analyze ------------------------------------------------------------------------------


def analyze_case(name: str, tmp_path: Path) -> tuple[Path, list[str], str]:
    """(file, extra arguments, what the line must say) for one hostile file."""
    path = tmp_path / f"{name}.csv"
    rows = staff_rows(200)
    unit = len(ITEMS)
    if name == "long_item_cell_in_many_rows":
        rows = staff_rows(30_000)
        set_cell(rows, 1, 0, "3" * 100_000)
        return staff_file(path, rows), [], rf"row 2 \(line 3\), column {ITEMS[0]}: .* not a point"
    if name == "cell_over_the_csv_field_limit":
        set_cell(rows, 4, 3, "4" * 200_000)
        return staff_file(path, rows), [], rf"row 5 \(line 6\), column {ITEMS[3]}: .*longer"
    if name == "nul_in_a_cell":
        set_cell(rows, 6, 2, "4\x00")
        return staff_file(path, rows), [], rf"row 7 \(line 8\), column {ITEMS[2]}: .*NUL"
    if name == "latin1_cell":
        rows[9] = rows[9].replace("unit-2", "unidad-ñ")
        path.write_bytes(("\n".join([",".join(ITEMS) + ",unit", *rows]) + "\n").encode("latin-1"))
        return path, [], r"line 11: not UTF-8 text \(row 10, column unit, byte \d+\)"
    if name == "utf16":
        text = "\n".join([",".join(ITEMS) + ",unit", *rows]) + "\n"
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
        return path, [], r"UTF-16"
    if name == "formula_group_label":
        set_cell(rows, 2, unit, '=HYPERLINK("http://evil.example")')
        return (staff_file(path, rows), ["--group-col", "unit"],
                r"row 3 \(line 4\), column unit: .*formula")
    if name == "bidi_group_label":
        set_cell(rows, 3, unit, "North\u202eRegion")
        return (staff_file(path, rows), ["--group-col", "unit"],
                r"row 4 \(line 5\), column unit: .*U\+202E")
    if name == "long_group_label":
        set_cell(rows, 5, unit, "x" * 5000)
        return (staff_file(path, rows), ["--group-col", "unit"],
                r"row 6 \(line 7\), column unit: .*limit is 200")
    if name == "formula_compare_label":
        rows = [r + (",2025" if i % 2 else ",@SUM(A1:A9)") for i, r in enumerate(rows)]
        return (staff_file(path, rows, header=",".join(ITEMS) + ",unit,round"),
                ["--compare-col", "round"], r"row 1 \(line 2\), column round: .*formula")
    if name == "a_line_of_commas":
        # 150 million empty cells: as a list, more than the child's whole memory
        with path.open("wb") as handle:
            handle.write((",".join(ITEMS) + ",unit\n").encode())
            handle.write(b"," * 150_000_000 + b"\n")
        return path, [], r"line 2: the line is 150,000,001 characters long"
    if name == "too_large":
        with path.open("wb") as handle:
            handle.write((",".join(ITEMS) + "\n").encode())
            handle.truncate(1024**3 + 1)  # sparse: nothing is written to the disk
        return path, [], r"larger than 1 GB"
    raise AssertionError(name)


ANALYZE_CASES = [
    "long_item_cell_in_many_rows", "cell_over_the_csv_field_limit", "nul_in_a_cell",
    "latin1_cell", "utf16", "formula_group_label", "bidi_group_label", "long_group_label",
    "formula_compare_label", "a_line_of_commas", "too_large",
]


@pytest.mark.parametrize("case", ANALYZE_CASES)
def test_analyze_refuses(case, tmp_path):
    path, extra, pattern = analyze_case(case, tmp_path)
    result = run_tisa("analyze", str(path), "--instrument", STAFF, *extra, tmp_path=tmp_path)
    one_line(result.stderr, result.returncode, path, pattern)


def test_analyze_refuses_more_rows_than_its_limit(tmp_path):
    """2,000,000 data rows are read (DESIGN section 10 needs 1,000,000); one more is refused
    at its line, before it is read."""
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("SAF-01,SAF-02,TRU-01\n")
        handle.write("4,2,5\n" * 2_000_001)
    result = run_tisa("analyze", str(path), "--instrument", str(MINIMAL), tmp_path=tmp_path)
    one_line(result.stderr, result.returncode, path,
             r"row 2000001 \(line 2000002\): more than 2,000,000 data rows")


def test_analyze_still_reads_a_byte_order_mark_and_labels_that_are_numbers(tmp_path):
    rows = staff_rows(40)
    rows = [r + (",-1" if i % 2 else ",+2") for i, r in enumerate(rows)]
    path = tmp_path / "ok.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join([",".join(ITEMS) + ",unit,round", *rows])
                                       + "\n").encode())
    result = runner.invoke(app, ["analyze", str(path), "--instrument", STAFF, "--group-col",
                                 "unit", "--compare-col", "round"])
    assert result.exit_code == 0, result.output


# -- tisa responses import ---------------------------------------------------------------------


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def open_round(db_url, monkeypatch):
    monkeypatch.setenv("TISA_DATABASE_URL", db_url)
    monkeypatch.delenv("TISA_ADMIN_PASSWORD", raising=False)
    for args in (
        ("init", "--admin-user", "ana", "--admin-password", PASSWORD, "--organization", "A"),
        ("units", "add", "Intake", "--code", "intake"),
        ("round", "create", "Spring", "--instrument", STAFF, "--unit", "intake=100000",
         "--opens", "2027-03-01", "--closes", "2027-03-21"),
        ("round", "open", "1"),
    ):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    return db_url


PAPER_HEADER = "unit,role,language," + ",".join(ITEMS)


def paper_rows(n: int) -> list[str]:
    return [f"intake,frontline,en,{','.join(['4'] * len(ITEMS))}" for _ in range(n)]


def paper_case(name: str, path: Path) -> str:
    """Write one hostile paper file at `path`; return what the line must say."""
    rows = paper_rows(5)

    def write(lines: list[str], header: str = PAPER_HEADER) -> None:
        path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8", newline="")

    if name == "nul":
        rows[2] = rows[2].replace("frontline", "front\x00line")
        write(rows)
        return r" row 4, column role: .*NUL"
    if name == "latin1":
        rows[1] = rows[1].replace("frontline", "frontlíne")
        path.write_bytes(("\n".join([PAPER_HEADER, *rows]) + "\n").encode("latin-1"))
        return r"line 3: not UTF-8 text \(row 2, column role"
    if name == "utf16":
        text = "\n".join([PAPER_HEADER, *rows]) + "\n"
        path.write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
        return r"UTF-16"
    if name == "long_cell":
        rows[3] = rows[3].replace("frontline", "x" * 5000)
        write(rows)
        return r" row 5, column role: the cell is 5,000 characters long; the limit is 2,000"
    if name == "cell_over_the_csv_field_limit":
        rows[0] = rows[0].replace("frontline", '"' + "x," * 100_000 + '"')
        write(rows)
        return r" row 2, column role: a cell is longer than 2,000 characters"
    if name == "short_row":
        rows[2] = "intake,frontline,en,4,4"
        write(rows)
        return rf" row 4, column {ITEMS[2]}: the row has 5 cells but the header has"
    if name == "long_row":
        rows[1] = rows[1] + ",4,4"
        write(rows)
        return rf" row 3, column field {len(ITEMS) + 4}: the row has"
    if name == "formula_unit":
        rows[2] = rows[2].replace("intake", "=cmd|' /C calc'!A0", 1)
        write(rows)
        return r" row 4, column unit: .*not a unit of the round"
    if name == "formula_cell":
        rows[2] = rows[2].replace(",4", ",+4+4", 1)
        write(rows)
        return rf" row 4, column {ITEMS[0]}: '\+4\+4' is not a point"
    if name == "too_many_rows":
        write(paper_rows(50_001))
        return r" row 50002: more than 50,000 data rows"
    if name == "too_large":
        with path.open("wb") as handle:
            handle.write(PAPER_HEADER.encode())
            handle.truncate(21 * 1024 * 1024)
        return r": the file is larger than 20 MB"
    if name == "empty":
        path.write_bytes(b"")
        return r"the file is empty"
    raise AssertionError(name)


PAPER_CASES = [
    "nul", "latin1", "utf16", "long_cell", "cell_over_the_csv_field_limit", "short_row",
    "long_row", "formula_unit", "formula_cell", "too_many_rows", "too_large", "empty",
]


@pytest.mark.parametrize("case", PAPER_CASES)
def test_paper_import_refuses(open_round, case, tmp_path):
    path = tmp_path / f"{case}.csv"
    pattern = paper_case(case, path)
    before = row_counts(open_round)
    result = invoke("responses", "import", "1", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception)
    )
    one_line(result.stderr, result.exit_code, path, pattern)
    assert row_counts(open_round) == before, "a refused file changed stored rows"


def test_paper_import_takes_a_file_at_its_row_limit(open_round, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(PAPER_HEADER + "\n" + "\n".join(paper_rows(50_000)) + "\n", "utf-8")
    result = invoke("responses", "import", "1", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 50000 paper responses (intake 50000)" in result.stdout
    assert row_counts(open_round)["sealed_submissions"] == 50_000


# -- tisa units import -------------------------------------------------------------------------


def units_case(name: str, path: Path) -> str:
    if name == "nul":
        path.write_text("name,code,parent\nNorth,north,\nSo\x00uth,south,\n", encoding="utf-8")
        return r"row 2 \(line 3\), column name: .*NUL"
    if name == "latin1":
        path.write_bytes("name,code,parent\nNorth,north,\nSeñora,senora,\n".encode("latin-1"))
        return r"line 3: not UTF-8 text \(row 2, column name"
    if name == "too_large":
        with path.open("wb") as handle:
            handle.write(b"name,code,parent\n")
            handle.truncate(6 * 1024 * 1024)
        return r"larger than 5 MB"
    if name == "too_many_rows":
        path.write_text("name,code,parent\n" + "".join(f"Team {n},t{n},\n" for n in range(10_001)),
                        encoding="utf-8")
        return r"more than 10,001 lines"
    raise AssertionError(name)


@pytest.mark.parametrize("case", ["nul", "latin1", "too_large", "too_many_rows"])
def test_units_import_refuses(db_url, monkeypatch, case, tmp_path):
    monkeypatch.setenv("TISA_DATABASE_URL", db_url)
    monkeypatch.delenv("TISA_ADMIN_PASSWORD", raising=False)
    result = invoke("init", "--admin-user", "ana", "--admin-password", PASSWORD,
                    "--organization", "A")
    assert result.exit_code == 0, result.output
    path = tmp_path / f"units-{case}.csv"
    pattern = units_case(case, path)
    before = row_counts(db_url)
    result = invoke("units", "import", str(path))
    one_line(result.stderr, result.exit_code, path, pattern)
    assert row_counts(db_url) == before
