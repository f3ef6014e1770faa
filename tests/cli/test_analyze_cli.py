"""`tisa analyze CSV --instrument ... [--group-col] [--compare-col] [--format json|text]`.

The CSV of the bundled ti-staff 1.1.0 form is drawn deterministically here with numpy. Values
are checked against the scoring functions they come from, against scipy (Welch's test:
``scipy.stats.ttest_ind(later, earlier, equal_var=False)``, as R's ``t.test(later, earlier)``)
on domain scores computed here from the CSV's cells, and end to end against R psych values
already pinned in tests/scoring (``Rscript tests/scoring/data/reference_scores_reliability.R``,
R 4.2.2, psych 2.2.9; relative 1e-12 for closed forms, absolute 1e-6 for omega total).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from cli import app
from instruments.registry import resolve
from reports.csv_input import CsvInputError, parse_analysis_csv
from scoring.agreement import agreement_by_group, icc
from scoring.matrix import domain_scores, key_items
from scoring.reliability import BOOTSTRAP_SEED, N_BOOT, reliability

runner = CliRunner()
REFERENCE = Path(__file__).parents[1] / "scoring" / "data"
STAFF = "ti-staff@1.1.0"
N_ROWS = 160


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def no_nan(text: str) -> dict:
    """json.loads that refuses NaN and Infinity (which Python's json would accept)."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"JSON holds {constant}")

    return json.loads(text, parse_constant=refuse)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def staff_cells(n: int = N_ROWS, seed: int = 11) -> tuple[list[str], np.ndarray]:
    """Header and cells of a ti-staff 1.1.0 CSV: a comment column (ignored), the items (in a
    shuffled order), a unit and a round column; ~6% empty and ~4% NA cells."""
    inst = resolve(STAFF)
    ids = inst.item_ids()
    rng = np.random.default_rng(seed)
    domain_of = np.array([d for d, domain in enumerate(inst.domains) for _ in domain.items])
    rounds = np.where(np.arange(n) < n // 2, "2023", "2024")
    factor = rng.normal(size=(n, len(inst.domains))) + 0.5 * (rounds == "2024")[:, None]
    keyed = np.clip(
        np.rint(3 + 0.9 * factor[:, domain_of] + 0.6 * rng.normal(size=(n, len(ids)))), 1, 5
    )
    reverse = np.array([item.reverse for _, item in inst.items()])
    raw = np.where(reverse, 6 - keyed, keyed).astype(int).astype(str).astype(object)
    draw = rng.random(raw.shape)
    raw[draw < 0.06] = ""
    raw[(draw >= 0.06) & (draw < 0.10)] = "NA"
    units = np.array(["Intake", "Foster care", "Adoption"])[rng.integers(0, 3, n)]
    order = rng.permutation(len(ids))
    header = ["comment", *(ids[j] for j in order), "unit", "round"]
    cells = np.column_stack(
        [np.full(n, "free text, ignored"), raw[:, order], units, rounds]
    ).astype(str)
    return header, cells


@pytest.fixture(scope="module")
def staff_csv(tmp_path_factory) -> Path:
    header, cells = staff_cells()
    return write_csv(tmp_path_factory.mktemp("analyze") / "staff.csv", header, cells.tolist())


@pytest.fixture(scope="module")
def staff_json(staff_csv) -> dict:
    result = run(
        "analyze", staff_csv, "--instrument", STAFF, "--group-col", "unit",
        "--compare-col", "round", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return no_nan(result.stdout)


def matrix_from_cells(header: list[str], cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The raw answers and NA mask in instrument order, read from the cells independently."""
    inst = resolve(STAFF)
    columns = cells[:, [header.index(i) for i in inst.item_ids()]]
    na = columns == "NA"
    x = np.where((columns == "") | na, "nan", columns).astype(float)
    return x, na


# --------------------------------------------------------------------------- the JSON


def test_json_has_every_key_of_design_section_9(staff_json):
    inst = resolve(STAFF)
    data = staff_json
    assert set(data) == {
        "n_respondents", "reliability_ci", "domains", "items", "change", "change_units", "notes",
    }  # fmt: skip
    assert data["change_units"] == {
        "compared": ["Adoption", "Foster care", "Intake"], "earlier_only": [], "later_only": [],
    }  # fmt: skip
    assert data["reliability_ci"] == {"method": "feldt"}
    assert data["n_respondents"] == N_ROWS
    assert list(data["domains"]) == [d.id for d in inst.domains]
    for domain in inst.domains:
        dom = data["domains"][domain.id]
        assert set(dom) == {
            "n_scored", "mean", "sd", "ci95", "scale", "pct_favorable", "reliability",
            "agreement",
        }  # fmt: skip
        assert set(dom["reliability"]) == {
            "n_complete", "alpha", "alpha_ci95", "alpha_ci_method", "alpha_standardized",
            "alpha_pairwise", "omega_total", "omega_estimate", "omega_ci95", "omega_rmsr",
            "omega_withheld", "reversed_items", "items",
        }  # fmt: skip
        assert dom["reliability"]["alpha_ci_method"] == "feldt"
        assert list(dom["reliability"]["items"]) == [item.id for item in domain.items]
        assert all(
            set(v) == {"r_drop", "alpha_if_deleted"} for v in dom["reliability"]["items"].values()
        )
        assert set(dom["agreement"]) == {"icc1", "k", "icc1_n0", "n0", "icc2", "groups"}
        assert list(dom["agreement"]["groups"]) == ["Adoption", "Foster care", "Intake"]
        assert all(
            set(g) == {"n", "rwg_j", "band", "rwg_j_skewed", "split"}
            for g in dom["agreement"]["groups"].values()
        )
        assert set(data["change"][domain.id]) == {
            "n_before", "n_after", "diff", "diff_ci95", "t", "df", "p", "p_adjusted",
            "hedges_g", "hedges_g_ci95", "mde_g", "mde_points", "verdict",
        }  # fmt: skip
        assert data["change"][domain.id]["verdict"] in {
            "improved", "declined", "stable", "too few to tell"
        }  # fmt: skip
    assert list(data["items"]) == inst.item_ids()
    assert all(set(v) == {"n", "n_na", "mean", "sd"} for v in data["items"].values())
    assert isinstance(data["notes"], list)


def test_json_values_agree_with_the_scoring_functions(staff_json):
    inst = resolve(STAFF)
    header, cells = staff_cells()
    x, na = matrix_from_cells(header, cells)
    units = cells[:, header.index("unit")]
    reverse = np.array([item.reverse for _, item in inst.items()])
    keyed = key_items(x, reverse, 1, 5)
    start = 0
    for domain in inst.domains:
        block = keyed[:, start : start + len(domain.items)]
        scores = domain_scores(block, inst.scoring.min_answered).scores
        r = reliability(block)
        dom = staff_json["domains"][domain.id]
        assert dom["n_scored"] == int((~np.isnan(scores)).sum())
        assert dom["mean"] == pytest.approx(np.nanmean(scores), rel=1e-12)
        assert dom["sd"] == pytest.approx(np.nanstd(scores, ddof=1), rel=1e-12)
        scored = block[~np.isnan(scores)]  # % favorable on the mean's base
        answers = scored[~np.isnan(scored)]
        assert dom["pct_favorable"] == pytest.approx(100 * np.isin(answers, [4, 5]).mean())
        assert dom["reliability"]["alpha"] == pytest.approx(r.alpha, rel=1e-12)
        assert dom["reliability"]["omega_total"] == pytest.approx(r.omega_total, rel=1e-12)
        assert dom["agreement"]["icc1"] == pytest.approx(icc(scores, units).icc1, rel=1e-12)
        for g in agreement_by_group(block, units, scores=scores).groups:
            assert dom["agreement"]["groups"][g.group]["rwg_j"] == pytest.approx(g.rwg_j)
            assert dom["agreement"]["groups"][g.group]["n"] == g.n
        for j, item in enumerate(domain.items):
            column = block[:, j]
            assert staff_json["items"][item.id]["n"] == int((~np.isnan(column)).sum())
            assert staff_json["items"][item.id]["n_na"] == int(na[:, start + j].sum())
            assert staff_json["items"][item.id]["mean"] == pytest.approx(np.nanmean(column))
        start += len(domain.items)


def test_change_is_pinned_to_scipy_welch(staff_json):
    """End to end: the CSV's cells → domain scores by hand → scipy's Welch test."""
    inst = resolve(STAFF)
    header, cells = staff_cells()
    x, _ = matrix_from_cells(header, cells)
    rounds = cells[:, header.index("round")]
    reverse = np.array([item.reverse for _, item in inst.items()])
    keyed = np.where(reverse, 6 - x, x)
    start = 0
    for domain in inst.domains:
        block = keyed[:, start : start + len(domain.items)]
        start += len(domain.items)
        k = block.shape[1]
        required = math.ceil(0.75 * k)  # DESIGN 7: at least min_answered of the items
        answered = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            scores = np.where(answered >= required, np.nanmean(block, axis=1), np.nan)
        before = scores[(rounds == "2023") & ~np.isnan(scores)]
        after = scores[(rounds == "2024") & ~np.isnan(scores)]
        # scipy.stats.ttest_ind(after, before, equal_var=False) = R t.test(after, before)
        welch = stats.ttest_ind(after, before, equal_var=False)
        ci = welch.confidence_interval(0.95)
        c = staff_json["change"][domain.id]
        assert (c["n_before"], c["n_after"]) == (before.size, after.size)
        assert c["diff"] == pytest.approx(after.mean() - before.mean(), rel=1e-12)
        assert c["t"] == pytest.approx(welch.statistic, rel=1e-10)
        assert c["df"] == pytest.approx(welch.df, rel=1e-10)
        assert c["p"] == pytest.approx(welch.pvalue, rel=1e-8)
        assert c["diff_ci95"] == pytest.approx([ci.low, ci.high], rel=1e-10)


def test_end_to_end_against_r_psych(tmp_path):
    """domain_c.csv of tests/scoring/data (items C1..C6) renamed to a custom instrument's item
    ids, analyzed through the CLI with the instrument given as a YAML path."""
    yaml_path = tmp_path / "custom.yaml"
    items = "\n".join(
        f"      - {{id: DC-0{j}, text: {{en: item {j}}}, scale: agree5}}" for j in range(1, 7)
    )
    yaml_path.write_text(
        "id: custom\nversion: 1.0.0\nform: staff\ntitle: {en: Custom}\n"
        "description: {en: A test form}\nminutes: 5\nlanguages: [en]\n"
        "scales:\n  agree5:\n    points: [1, 2, 3, 4, 5]\n"
        "    labels: {en: [a, b, c, d, e]}\n    favorable: [4, 5]\n"
        "not_applicable: {en: Not applicable}\n"
        f"domains:\n  - id: DC\n    title: {{en: C}}\n    why: {{en: why}}\n    items:\n{items}\n",
        encoding="utf-8",
    )
    text = (REFERENCE / "domain_c.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    header = header.replace("C", "DC-0")  # C1 → DC-01 …; the unit column stays
    csv_path = tmp_path / "domain_c.csv"
    csv_path.write_text(header + "\n" + rest, encoding="utf-8")
    result = run("analyze", csv_path, "--instrument", yaml_path, "--group-col", "unit")
    assert result.exit_code == 0, result.output
    dom = no_nan(result.stdout)["domains"]["DC"]
    # R: mean(s), sd(s), t.test(s)$conf.int of the domain score (tests/scoring/test_summary.py)
    assert dom["mean"] == pytest.approx(3.35575757575758, rel=1e-12)
    assert dom["sd"] == pytest.approx(0.872465277421842, rel=1e-12)
    assert dom["ci95"] == pytest.approx([3.11989717269394, 3.59161797882121], rel=1e-12)
    # R psych: alpha(cc)$total$raw_alpha, alpha.ci(...), omega(cc, nfactors = 1)$omega.tot
    assert dom["reliability"]["alpha"] == pytest.approx(0.885494668980908, rel=1e-12)
    assert dom["reliability"]["alpha_ci95"] == pytest.approx(
        [0.817065412045907, 0.934360411764851], rel=1e-12
    )
    assert dom["reliability"]["omega_total"] == pytest.approx(0.88861162917981, abs=1e-6)
    units = sorted({row.split(",")[-1] for row in rest.splitlines() if row})
    assert list(dom["agreement"]["groups"]) == units


# --------------------------------------------------------------------------- the text table


def test_text_format_shows_every_field(staff_csv, staff_json):
    result = run(
        "analyze", staff_csv, "--instrument", STAFF, "--group-col", "unit",
        "--compare-col", "round", "--format", "text",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"{STAFF}: {N_ROWS} respondents")
    headings = ("N SCORED", "MEAN", "SD", "95% CI", "% FAV", "N COMPLETE", "ALPHA 95% CI",
                "STD ALPHA", "OMEGA", "N NA", "R DROP", "ALPHA IF DELETED", "ICC1", "ICC2",
                "N BEFORE", "N AFTER", "DIFF 95% CI", "P ADJ", "G 95% CI", "VERDICT")  # fmt: skip
    for heading in headings:
        assert heading in out, heading
    lines = out.splitlines()
    saf = next(line.split() for line in lines if line.startswith("  SAF ") and "[" in line)
    assert saf[1] == str(staff_json["domains"]["SAF"]["n_scored"])
    assert saf[2] == f"{staff_json['domains']['SAF']['mean']:.3f}"
    for item_id in resolve(STAFF).item_ids():
        assert any(line.startswith(f"  {item_id} ") for line in lines), item_id
    assert any(line.startswith("  Foster care ") for line in lines)
    assert "Change: 2024 − 2023" in out


# --------------------------------------------------------------------------- null + note


def test_constant_item_and_too_few_responses_give_null_with_a_note(tmp_path):
    header, cells = staff_cells(n=4, seed=5)
    saf = [header.index(f"SAF-0{j}") for j in range(1, 6)]
    cells[:, saf] = [["4", "1", "2", "3", "4"], ["4", "2", "3", "4", "5"],
                     ["4", "5", "4", "3", "2"], ["4", "3", "3", "1", "5"]]  # fmt: skip
    tru = [header.index(i) for i in ("TRU-01", "TRU-02", "TRU-03", "TRU-04", "TRU-05")]
    cells[1:, tru] = ""  # one respondent answered TRU at all
    cells[0, tru] = "3"
    path = write_csv(tmp_path / "few.csv", header, cells.tolist())
    result = run("analyze", path, "--instrument", STAFF, "--group-col", "unit")
    assert result.exit_code == 0, result.output
    data = no_nan(result.stdout)
    saf_rel = data["domains"]["SAF"]["reliability"]
    notes = data["notes"]
    assert saf_rel["n_complete"] == 4  # everyone agrees on SAF-01
    assert saf_rel["items"]["SAF-01"]["r_drop"] is None
    assert saf_rel["items"]["SAF-02"]["r_drop"] is not None
    assert (
        "domains.SAF.reliability.items.SAF-01.r_drop: every complete respondent gave this "
        "item the same answer"
    ) in notes
    assert data["items"]["SAF-01"]["sd"] == 0.0
    tru_domain = data["domains"]["TRU"]
    assert tru_domain["n_scored"] == 1
    assert tru_domain["sd"] is None and tru_domain["ci95"] is None
    assert tru_domain["reliability"]["alpha"] is None
    assert "domains.TRU.sd: needs at least 2 scored respondents (1 here)" in notes
    assert "domains.TRU.ci95: needs at least 2 scored respondents (1 here)" in notes
    assert any(n.startswith("domains.TRU.reliability.alpha: needs at least 2") for n in notes)
    assert any(n.startswith("items.TRU-02.sd: ") for n in notes)

    # every null has its note
    def nulls(value, path=""):
        if value is None:
            yield path
        elif isinstance(value, dict):
            for key, inner in value.items():
                yield from nulls(inner, f"{path}.{key}".lstrip("."))

    noted = {n.split(": ", 1)[0] for n in notes}
    assert [p for p in nulls(data) if p not in noted] == []


def test_constant_item_in_a_larger_file(tmp_path):
    header, cells = staff_cells()
    cells[:, header.index("SCR-02")] = "5"
    path = write_csv(tmp_path / "constant.csv", header, cells.tolist())
    result = run("analyze", path, "--instrument", STAFF)
    assert result.exit_code == 0, result.output
    data = no_nan(result.stdout)
    rel = data["domains"]["SCR"]["reliability"]
    assert rel["items"]["SCR-02"]["r_drop"] is None
    assert rel["omega_total"] is None and rel["alpha_standardized"] is None
    assert any(n.startswith("domains.SCR.reliability.omega_total: ") for n in data["notes"])


# --------------------------------------------------------------------------- bad input


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unknown_group_column(staff_csv):
    line = one_line_error(run("analyze", staff_csv, "--instrument", STAFF, "--group-col", "team"))
    assert line == (
        f"{staff_csv}: line 1 (header), column team: no such column for --group-col; the "
        f"other columns are comment, unit, round"
    )


def test_unknown_compare_column(staff_csv):
    line = one_line_error(run("analyze", staff_csv, "--instrument", STAFF, "--compare-col", "wave"))
    assert "line 1 (header), column wave: no such column for --compare-col" in line


def test_bad_value_names_row_and_column(tmp_path):
    header, cells = staff_cells()
    cells[41, header.index("EQU-04")] = "7"  # data row 42, file line 43
    path = write_csv(tmp_path / "bad.csv", header, cells.tolist())
    line = one_line_error(run("analyze", path, "--instrument", STAFF))
    assert line == (
        f"{path}: row 42 (line 43), column EQU-04: '7' is not a point of the agree5 scale; "
        f"write one of 1, 2, 3, 4, 5, leave the cell empty for a skipped item, or write NA "
        f"for not applicable"
    )


@pytest.mark.parametrize("value", ["2.5", "agree", "n/a", "0", "inf"])
def test_other_bad_values(tmp_path, value):
    header, cells = staff_cells()
    cells[0, header.index("DAT-02")] = value
    path = write_csv(tmp_path / "bad.csv", header, cells.tolist())
    line = one_line_error(run("analyze", path, "--instrument", STAFF))
    assert line.startswith(f"{path}: row 1 (line 2), column DAT-02: {value!r} is not a point")


def test_missing_item_column(tmp_path):
    header, cells = staff_cells()
    keep = [j for j, h in enumerate(header) if h not in ("WEL-03", "LEA-02")]
    path = write_csv(tmp_path / "short.csv", [header[j] for j in keep], cells[:, keep].tolist())
    line = one_line_error(run("analyze", path, "--instrument", STAFF))
    assert line.startswith(f"{path}: line 1 (header), column WEL-03: missing item column")
    assert "(also missing: LEA-02)" in line


def test_compare_column_with_three_values(tmp_path):
    header, cells = staff_cells()
    cells[100, header.index("round")] = "2025"
    path = write_csv(tmp_path / "three.csv", header, cells.tolist())
    line = one_line_error(run("analyze", path, "--instrument", STAFF, "--compare-col", "round"))
    assert line.startswith(f"{path}: row 101 (line 102), column round: a third value '2025'")


def test_compare_column_with_one_value(tmp_path):
    header, cells = staff_cells()
    cells[:, header.index("round")] = "2024"
    path = write_csv(tmp_path / "one.csv", header, cells.tolist())
    line = one_line_error(run("analyze", path, "--instrument", STAFF, "--compare-col", "round"))
    assert line.startswith(f"{path}: line 1 (header), column round: only the value '2024'")


def test_empty_group_cell(tmp_path):
    header, cells = staff_cells()
    cells[9, header.index("unit")] = " "
    path = write_csv(tmp_path / "nogroup.csv", header, cells.tolist())
    line = one_line_error(run("analyze", path, "--instrument", STAFF, "--group-col", "unit"))
    assert line.startswith(f"{path}: row 10 (line 11), column unit: empty cell")


def test_short_row(tmp_path):
    header, cells = staff_cells()
    rows = cells.tolist()
    rows[4] = rows[4][:10]
    path = write_csv(tmp_path / "ragged.csv", header, rows)
    line = one_line_error(run("analyze", path, "--instrument", STAFF))
    assert line.startswith(f"{path}: row 5 (line 6), column {header[10]}: the row has 10 fields")


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("SAF-01\n4\nen espa\xf1ol\n".encode("latin-1"))
    line = one_line_error(run("analyze", path, "--instrument", STAFF))
    assert line.startswith(f"{path}: line 3: not UTF-8 text")
    line = one_line_error(run("analyze", tmp_path / "nope.csv", "--instrument", STAFF))
    assert line == f"{tmp_path / 'nope.csv'}: file not found"


def test_unknown_instrument(staff_csv):
    line = one_line_error(run("analyze", staff_csv, "--instrument", "ti-staff@9.9.9"))
    assert line == "ti-staff has no version 9.9.9; versions: 1.0.0, 1.1.0"


# --------------------------------------------------------------------------- the reader


def test_reader_blank_lines_bom_spaces_and_numeric_rounds():
    inst = resolve("ti-pulse@1.0.0")
    ids = inst.item_ids()
    row = lambda v: ",".join([v] * len(ids))  # noqa: E731
    text = (
        "\ufeff" + ",".join(ids) + ",wave\n"
        + row(" 4 ") + ",10\n\n"
        + row("NA") + ",9\n"
        + row("") + ",10\n"
        + row("2.0") + ",9\n"
    )  # fmt: skip
    table = parse_analysis_csv(text, inst, compare_col="wave")
    assert table.n_rows == 4
    assert table.lines.tolist() == [2, 4, 5, 6]
    assert np.all(table.answers[0] == 4) and np.all(table.answers[3] == 2)
    assert np.isnan(table.answers[1:3]).all()
    assert table.not_applicable[1].all() and not table.not_applicable[2].any()
    assert table.compare.tolist() == [10.0, 9.0, 10.0, 9.0]  # numbers: 9 sorts before 10


def test_reader_errors_carry_their_place():
    inst = resolve("ti-pulse@1.0.0")
    ids = inst.item_ids()
    text = ",".join(ids) + "\n" + ",".join(["3"] * (len(ids) - 1) + ["x"]) + "\n"
    with pytest.raises(CsvInputError) as caught:
        parse_analysis_csv(text, inst, source="pulse.csv")
    assert (caught.value.row, caught.value.line, caught.value.column) == (1, 2, ids[-1])
    with pytest.raises(CsvInputError, match="line 1 .header., column .*: the header names"):
        parse_analysis_csv(",".join([*ids, ids[0]]) + "\n", inst)
    with pytest.raises(CsvInputError, match="the file is empty"):
        parse_analysis_csv("", inst)


# --------------------------------------------------------------------------- reliability CIs


def test_bootstrap_repeats_with_the_seed(staff_csv):
    def analyze_json(*options: str) -> dict:
        result = run("analyze", staff_csv, "--instrument", STAFF, *options)
        assert result.exit_code == 0, result.output
        return no_nan(result.stdout)

    first = analyze_json("--ci", "bootstrap")
    assert analyze_json("--ci", "bootstrap", "--seed", str(BOOTSTRAP_SEED)) == first
    other = analyze_json("--ci", "bootstrap", "--seed", "7")
    assert first["reliability_ci"] == {
        "method": "bootstrap", "n_boot": N_BOOT, "seed": BOOTSTRAP_SEED,
    }  # fmt: skip
    assert other["reliability_ci"]["seed"] == 7
    feldt = analyze_json()
    for domain_id, dom in first["domains"].items():
        rel = dom["reliability"]
        assert rel["alpha_ci_method"] == "bootstrap"
        assert rel["omega_ci95"] is not None
        assert rel["alpha"] == feldt["domains"][domain_id]["reliability"]["alpha"]
        assert rel["alpha_ci95"] != other["domains"][domain_id]["reliability"]["alpha_ci95"]
        assert rel["omega_ci95"] != other["domains"][domain_id]["reliability"]["omega_ci95"]
        assert feldt["domains"][domain_id]["reliability"]["alpha_ci_method"] == "feldt"


def test_ci_takes_feldt_or_bootstrap_only(staff_csv):
    result = run("analyze", staff_csv, "--instrument", STAFF, "--ci", "auto")
    assert result.exit_code == 2
    assert "feldt" in result.stderr and "bootstrap" in result.stderr
    help_text = run("analyze", "--help").stdout
    assert "--ci" in help_text and "--seed" in help_text


# --------------------------------------------------------------------------- display rules


def test_text_follows_the_display_rules_and_json_keeps_raw_values(tmp_path):
    """Five respondents whose SAF answers give the issue's α = −4.06 (R psych, pinned in
    tests/reports/test_analysis.py); with five scores, t intervals of means leave the scale."""
    header, cells = staff_cells(n=5, seed=3)
    keyed = np.array(
        [[3, 3, 4, 1, 5], [3, 5, 2, 2, 2], [4, 2, 1, 4, 5], [3, 5, 2, 1, 5], [1, 3, 1, 4, 4]]
    )
    keyed[:, 4] = 6 - keyed[:, 4]  # SAF-05 is reverse-keyed: write it as answered
    for j in range(5):
        cells[:, header.index(f"SAF-0{j + 1}")] = keyed[:, j].astype(str)
    path = write_csv(tmp_path / "edge.csv", header, cells.tolist())
    as_json = run("analyze", path, "--instrument", STAFF)
    assert as_json.exit_code == 0, as_json.output
    data = no_nan(as_json.stdout)
    saf = data["domains"]["SAF"]["reliability"]
    assert saf["alpha"] == pytest.approx(-4.0625, rel=1e-12)
    assert saf["alpha_ci95"] == pytest.approx([-17.880171262064806, 0.413558918384131], rel=1e-9)
    assert (
        "domains.SAF.reliability: display: reliability needs at least 30 complete responses "
        "(5 here): the text shows no alpha, omega, interval or item statistic"
    ) in data["notes"]
    as_text = run("analyze", path, "--instrument", STAFF, "--format", "text")
    assert as_text.exit_code == 0, as_text.output
    out = as_text.stdout
    assert "SAF: reliability needs at least 30 complete responses; 5 here" in out
    assert "4.06" not in out and "17.88" not in out  # with either minus sign
    assert ": display: " not in out  # said in words, not as JSON paths
    clipped = []
    for domain_id, dom in data["domains"].items():
        low, high = dom["ci95"]
        line = next(li for li in out.splitlines() if li.startswith(f"  {domain_id} "))
        if low < 1 or high > 5:
            clipped.append(domain_id)
            assert f"{domain_id}: the 95% CI of the mean is held within the scale 1–5" in out
            assert f"[{max(low, 1):.3f}, {min(high, 5):.3f}]" in line
            assert f"domains.{domain_id}.ci95: display: held within the scale 1–5" in " ".join(
                data["notes"]
            )
        else:
            assert f"[{low:.3f}, {high:.3f}]" in line
    assert clipped  # the raw interval is in the JSON, the held one in the text
