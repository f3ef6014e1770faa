"""`tisa instruments ...`: list, show, validate and diff, in text and JSON, with exit codes."""

import json
from pathlib import Path

from typer.testing import CliRunner

from cli import app

runner = CliRunner()
BROKEN = Path(__file__).parents[1] / "instruments" / "broken"
MINIMAL = Path(__file__).parents[1] / "instruments" / "data" / "minimal.yaml"


def run(*args: str):
    return runner.invoke(app, list(args))


def test_list_json_names_every_bundled_version():
    result = run("instruments", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    refs = [f"{r['id']}@{r['version']}" for r in json.loads(result.stdout)]
    assert refs == ["ti-leadership@1.0.0", "ti-pulse@1.0.0", "ti-staff@1.0.0", "ti-staff@1.1.0"]


def test_show_in_spanish():
    result = run("instruments", "show", "ti-staff@1.1.0", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "Bases del modelo de práctica" in result.stdout
    assert "SAF-04" in result.stdout


def test_show_unknown_version_exits_2():
    result = run("instruments", "show", "ti-staff@9.9.9")
    assert result.exit_code == 2
    assert "ti-staff has no version 9.9.9; versions: 1.0.0, 1.1.0" in result.stderr


def test_validate_good_file():
    result = run("instruments", "validate", str(MINIMAL))
    assert result.exit_code == 0
    assert "tiny@1.0.0 is valid" in result.stdout


def test_validate_broken_file_prints_one_line_per_problem_and_exits_2():
    path = BROKEN / "two_problems.yaml"
    result = run("instruments", "validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}: field status: 'final' is not allowed; expected 'draft', 'published' or 'retired'",
        f"{path}: domain TRU, field title: required field is missing",
    ]


def test_diff_text_names_each_changed_item_and_each_domain_verdict():
    result = run("instruments", "diff", "ti-staff@1.0.0", "ti-staff@1.1.0")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.stdout.splitlines()]
    assert any(w[:3] == ["reworded", "SAF-04", "SAF"] for w in lines)
    assert any(w[:4] == ["changed", "WEL-04", "->", "WEL-06"] for w in lines)
    assert any(w[:2] == ["added", "VOI-06"] for w in lines)
    assert any(w[:2] == ["removed", "DAT-03"] for w in lines)
    assert "  VOI: comparable on 5 of 6 items" in result.stdout
    assert "  FND: comparable on all 6 items" in result.stdout


def test_diff_json_is_the_same_as_data():
    result = run("instruments", "diff", "ti-staff@1.0.0", "ti-staff@1.1.0", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    changed = {
        (i["change"], i["before"], i["after"]) for i in data["items"] if i["change"] != "unchanged"
    }
    assert changed == {
        ("reworded", "SAF-04", "SAF-04"),
        ("reworded", "TRU-04", "TRU-04"),
        ("reworded", "EQU-05", "EQU-05"),
        ("reworded", "DAT-04", "DAT-04"),
        ("changed", "WEL-04", "WEL-06"),
        ("added", None, "VOI-06"),
        ("removed", "DAT-03", None),
    }
    verdicts = {d: v["verdict"] for d, v in data["domains"].items()}
    assert verdicts == {
        "FND": "comparable", "SAF": "comparable", "TRU": "comparable",
        "VOI": "partially comparable", "EQU": "comparable", "WEL": "partially comparable",
        "TRN": "comparable", "SCR": "comparable", "CAR": "comparable", "COL": "comparable",
        "LEA": "comparable", "DAT": "partially comparable",
    }
    assert data["domains"]["WEL"]["n_comparable"] == 4 and data["domains"]["WEL"]["n_total"] == 5
