"""reports.analysis: the statistics of DESIGN section 9 for one set of responses.

Pinned numbers come from R, via the reference data of ``tests/scoring/data`` and the values
already pinned in ``tests/scoring`` (run from the repository root):

- ``Rscript tests/scoring/data/reference_scores_reliability.R`` (R 4.2.2, psych 2.2.9):
  domain summaries, item summaries, ``psych::alpha``, ``alpha.ci``, ``omega``;
- ``Rscript tests/scoring/data/reference_values.R`` (R 4.2.2, multilevel 2.7):
  ``rwg.j``, ``ICC1``, ``ICC2``.

Tolerances: relative 1e-12 for closed-form values (R prints 15 digits), absolute 1e-6 for
omega total (psych's optimizer stops about 1e-7 short of the minres minimum; see
tests/scoring/test_reliability.py) and for the multilevel values (as tests/scoring). Change is
checked against ``scipy.stats.ttest_ind(..., equal_var=False)`` and
``scipy.stats.false_discovery_control`` on domain scores computed here independently, to 1e-12.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from instruments.loader import instrument_from_data
from instruments.model import Instrument
from instruments.registry import resolve
from reports.analysis import AnalysisInputError, analyze, render_text
from scoring.agreement import agreement_by_group, icc, rwg_band
from scoring.change import compare_domains
from scoring.matrix import domain_scores, key_items
from scoring.reliability import RMSR_POOR, reliability
from scoring.summary import group_summary, item_summary

REFERENCE_DATA = Path(__file__).parents[1] / "scoring" / "data"

REL = 1e-12
OMEGA_TOL = 1e-6
MULTILEVEL_TOL = 1e-6

DOMAIN_KEYS = {"n_scored", "mean", "sd", "ci95", "scale", "pct_favorable", "reliability"}
RELIABILITY_KEYS = {
    "n_complete",
    "alpha",
    "alpha_ci95",
    "alpha_ci_method",
    "alpha_standardized",
    "alpha_pairwise",
    "omega_total",
    "omega_estimate",
    "omega_ci95",
    "omega_rmsr",
    "omega_withheld",
    "reversed_items",
    "items",
}
AGREEMENT_KEYS = {"icc1", "k", "icc1_n0", "n0", "icc2", "groups"}
GROUP_KEYS = {"n", "rwg_j", "band", "rwg_j_skewed", "split"}
TOP_KEYS = {"n_respondents", "reliability_ci", "domains", "items", "notes"}
CHANGE_KEYS = {
    "n_before",
    "n_after",
    "diff",
    "diff_ci95",
    "t",
    "df",
    "p",
    "p_adjusted",
    "hedges_g",
    "hedges_g_ci95",
    "mde_g",
    "mde_points",
    "verdict",
}


@dataclasses.dataclass(frozen=True)
class Reference:
    x: np.ndarray  # respondents × items, nan for missing
    na_mask: np.ndarray  # True where the cell says NA
    other: dict[str, np.ndarray]  # the columns that are not items


def load_reference_data(name: str) -> Reference:
    """A CSV of tests/scoring/data: item columns are a capital and digits (A1, Q3, …);
    empty = skipped, NA = not applicable."""
    with (REFERENCE_DATA / name).open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    cells = np.array(rows, dtype=str)
    items = [j for j, h in enumerate(header) if h[:1].isupper() and h[1:].isdigit()]
    raw = cells[:, items]
    x = np.where((raw == "") | (raw == "NA"), "nan", raw).astype(float)
    other = {h: cells[:, j] for j, h in enumerate(header) if j not in items}
    return Reference(x, raw == "NA", other)


def make_instrument(domains: dict[str, list[tuple[str, bool]]], min_answered: float = 0.75):
    """A one-scale (1–5, favorable 4–5) instrument from ``{domain: [(item, reverse), …]}``."""
    text = {"en": "x"}
    return instrument_from_data(
        {
            "id": "test",
            "version": "1.0.0",
            "form": "staff",
            "title": text,
            "description": text,
            "minutes": 5,
            "languages": ["en"],
            "scales": {
                "agree5": {
                    "points": [1, 2, 3, 4, 5],
                    "labels": {"en": ["1", "2", "3", "4", "5"]},
                    "favorable": [4, 5],
                }
            },
            "not_applicable": text,
            "scoring": {"min_answered": min_answered},
            "domains": [
                {
                    "id": domain_id,
                    "title": text,
                    "why": text,
                    "items": [
                        {"id": item_id, "text": text, "scale": "agree5", "reverse": reverse}
                        for item_id, reverse in items
                    ],
                }
                for domain_id, items in domains.items()
            ],
        }
    )


def null_paths(data: object, path: str = "") -> list[str]:
    """Every place in ``data`` that holds ``None``, as dotted paths."""
    if data is None:
        return [path]
    if isinstance(data, dict):
        return [
            p for key, value in data.items() for p in null_paths(value, f"{path}.{key}".lstrip("."))
        ]
    return []


def assert_every_null_has_a_note(data: dict) -> None:
    noted = {note.split(": ", 1)[0] for note in data["notes"]}
    missing = [p for p in null_paths(data) if p not in noted]
    assert not missing, f"null without a note: {missing}"


def strict_json(data: dict) -> dict:
    """Dump without NaN (raises on NaN/inf) and load back."""
    return json.loads(json.dumps(data, allow_nan=False))


# --------------------------------------------------------------------------- pinned to R


def test_domain_c_matches_r():
    d = load_reference_data("domain_c.csv")
    inst = make_instrument({"DC": [(f"DC-0{j}", False) for j in range(1, 7)]})
    data = strict_json(analyze(inst, d.x, d.na_mask).to_dict())
    dom = data["domains"]["DC"]
    # R: s <- domain score (min_answered .75); mean(s), sd(s), t.test(s)$conf.int
    #    (tests/scoring/test_summary.py, GROUP_REFERENCE); % favorable on the mean's base,
    #    the scored respondents' answers (R 4.2.2):
    #    d <- read.csv("tests/scoring/data/domain_c.csv", na.strings = c("", "NA"))
    #    x <- as.matrix(d[, 1:6]); ok <- rowSums(!is.na(x)) >= ceiling(0.75 * 6 - 1e-9)
    #    a <- x[ok, ]; 100 * mean(a[!is.na(a)] %in% 4:5)
    assert dom["n_scored"] == 55
    assert dom["mean"] == pytest.approx(3.35575757575758, rel=REL)
    assert dom["sd"] == pytest.approx(0.872465277421842, rel=REL)
    assert dom["ci95"] == pytest.approx([3.11989717269394, 3.59161797882121], rel=REL)
    assert dom["pct_favorable"] == pytest.approx(47.4358974358974, rel=REL)
    assert dom["scale"] == [1, 5]
    # R psych: alpha(cc)$total, alpha.ci, omega(cc, nfactors = 1)$omega.tot, with
    # cc <- d[complete.cases(d), ]  (tests/scoring/test_reliability.py, PSYCH["domain_c"])
    rel = dom["reliability"]
    assert rel["n_complete"] == 37
    assert rel["alpha"] == pytest.approx(0.885494668980908, rel=REL)
    assert rel["alpha_ci95"] == pytest.approx([0.817065412045907, 0.934360411764851], rel=REL)
    assert rel["alpha_standardized"] == pytest.approx(0.88542584432679, rel=REL)
    assert rel["omega_total"] == pytest.approx(0.88861162917981, abs=OMEGA_TOL)
    r_drop = [0.861400407461698, 0.742142769397305, 0.657319805183525,
              0.577730480142385, 0.664554165171279, 0.703775143287165]  # fmt: skip
    alpha_drop = [0.837008206150778, 0.858349472778136, 0.872155287817938,
                  0.883572567783094, 0.873491786596889, 0.865028782894737]  # fmt: skip
    for j in range(6):
        item = rel["items"][f"DC-0{j + 1}"]
        assert item["r_drop"] == pytest.approx(r_drop[j], rel=REL)
        assert item["alpha_if_deleted"] == pytest.approx(alpha_drop[j], rel=REL)
    # R: colSums(!is.na(d)), colSums(na_mask), colMeans(d, na.rm = TRUE),
    #    apply(d, 2, sd, na.rm = TRUE)  (tests/scoring/test_summary.py)
    n = [57, 54, 55, 57, 53, 56]
    n_na = [1, 4, 2, 3, 4, 4]
    mean = [3.31578947368421, 3.18518518518519, 3.32727272727273,
            3.49122807017544, 3.28301886792453, 3.30357142857143]  # fmt: skip
    sd = [1.19758528978766, 1.06530311168999, 1.08958954987894,
          1.00219058312892, 1.2615216466719, 1.06035402076413]  # fmt: skip
    for j in range(6):
        item = data["items"][f"DC-0{j + 1}"]
        assert (item["n"], item["n_na"]) == (n[j], n_na[j])
        assert item["mean"] == pytest.approx(mean[j], rel=REL)
        assert item["sd"] == pytest.approx(sd[j], rel=REL)
    # n_complete 37 ≥ 30 and nothing below zero or outside the scale: no display rule applies
    assert [n for n in data["notes"] if ": display: " not in n] == [
        "domains.DC.reliability.omega_ci95: computed only by the bootstrap (ci bootstrap or auto)"
    ]
    assert not any(": display: " in n for n in data["notes"])


def test_reverse_keying_comes_from_the_instrument():
    d = load_reference_data("domain_a.csv")  # item A3 is reverse-keyed
    keyed = make_instrument({"DA": [(f"DA-0{j}", j == 3) for j in range(1, 6)]})
    as_answered = make_instrument({"DA": [(f"DA-0{j}", False) for j in range(1, 6)]})
    rel = analyze(keyed, d.x, d.na_mask).to_dict()["domains"]["DA"]["reliability"]
    # R psych: alpha(cc, keys = c(1, 1, -1, 1, 1))$total$raw_alpha, alpha.ci
    # (tests/scoring/test_reliability.py, PSYCH["domain_a keyed"])
    assert rel["n_complete"] == 30
    assert rel["alpha"] == pytest.approx(0.714321683956088, rel=REL)
    assert rel["alpha_ci95"] == pytest.approx([0.513159515408008, 0.84874382667938], rel=REL)
    assert rel["omega_total"] == pytest.approx(0.723990039248659, abs=OMEGA_TOL)
    # psych alpha(cc)$total$raw_alpha without keys (PSYCH["domain_a as answered"])
    raw = analyze(as_answered, d.x, d.na_mask).to_dict()["domains"]["DA"]["reliability"]
    assert raw["alpha"] == pytest.approx(0.378787878787879, rel=REL)
    # item means are keyed: 6 − x for the reverse-keyed item
    a = analyze(keyed, d.x, d.na_mask).to_dict()["items"]
    assert a["DA-03"]["mean"] == pytest.approx(6 - np.nanmean(d.x[:, 2]), rel=REL)
    assert a["DA-01"]["mean"] == pytest.approx(np.nanmean(d.x[:, 0]), rel=REL)


# R multilevel: rwg.j(items, d$unit, ranvar = 2) — (rwg.j, gsize) per unit
R_RWG_J = {
    "A": (0.977777777777778, 7),
    "B": (0.941176470588235, 5),
    "C": (0.0, 7),
    "D": (None, 1),
    "E": (0.934579439252336, 4),
}


def test_agreement_matches_r_multilevel():
    d = load_reference_data("agreement_units.csv")
    # min_answered 0.25: one answered item scores a respondent, i.e. R's
    # rowMeans(items, na.rm = TRUE), the score behind R's ICC1/ICC2 below
    inst = make_instrument({"AG": [(f"AG-0{j}", False) for j in range(1, 5)]}, 0.25)
    data = strict_json(analyze(inst, d.x, d.na_mask, groups=d.other["unit"]).to_dict())
    agreement = data["domains"]["AG"]["agreement"]
    assert set(agreement) == AGREEMENT_KEYS
    # R: fit <- aov(score ~ as.factor(unit)); ICC1(fit), ICC2(fit)
    assert agreement["icc1"] == pytest.approx(0.275770219403215, abs=MULTILEVEL_TOL)
    assert agreement["icc2"] == pytest.approx(0.680751135137309, abs=MULTILEVEL_TOL)
    # R 4.2.2, multilevel 2.7, on the same scores s and units u (Bliese 2000, n0):
    #    ms <- summary(fit)[[1]][["Mean Sq"]]; nj <- table(u); N <- sum(nj); G <- length(nj)
    #    n0 <- (N - sum(nj^2) / N) / (G - 1); (ms[1] - ms[2]) / (ms[1] + (n0 - 1) * ms[2])
    assert agreement["k"] == pytest.approx(5.6, rel=REL)
    assert agreement["n0"] == pytest.approx(5.410714285714286, rel=REL)
    assert agreement["icc1_n0"] == pytest.approx(0.282690397098480, abs=MULTILEVEL_TOL)
    assert list(agreement["groups"]) == ["A", "B", "C", "D", "E"]
    for unit, (expected, gsize) in R_RWG_J.items():
        group = agreement["groups"][unit]
        assert set(group) == GROUP_KEYS
        assert group["n"] == gsize
        if expected is None:
            assert group["rwg_j"] is None
        else:
            assert group["rwg_j"] == pytest.approx(expected, abs=MULTILEVEL_TOL)
    assert any(
        note.startswith("domains.AG.agreement.groups.D.rwg_j: ") and "answered every item" in note
        for note in data["notes"]
    )
    assert_every_null_has_a_note(data)


# --------------------------------------------------------------------------- ti-staff round


def staff_round(n: int = 240, seed: int = 7):
    """A deterministic round of the bundled ti-staff 1.1.0 form: raw answers (reverse items
    answered the other way), NA mask, units and two rounds (the later one a bit higher)."""
    inst = resolve("ti-staff@1.1.0")
    rng = np.random.default_rng(seed)
    n_items = len(inst.item_ids())
    domain_of = np.array([d for d, domain in enumerate(inst.domains) for _ in domain.items])
    rounds = np.where(np.arange(n) % 2 == 0, 2023, 2024)
    units = np.array(["north", "south", "east", "west"])[rng.integers(0, 4, n)]
    factor = rng.normal(size=(n, len(inst.domains))) + 0.4 * (rounds == 2024)[:, None]
    latent = 0.8 * factor[:, domain_of] + 0.6 * rng.normal(size=(n, n_items))
    keyed = np.clip(np.rint(3 + latent), 1, 5)
    reverse = np.array([item.reverse for _, item in inst.items()])
    raw = np.where(reverse, 6 - keyed, keyed)
    missing = rng.random(raw.shape) < 0.08
    na = missing & (rng.random(raw.shape) < 0.5)
    raw[missing] = np.nan
    return inst, raw, na, units, rounds


@pytest.fixture(scope="module")
def staff():
    inst, raw, na, units, rounds = staff_round()
    result = analyze(inst, raw, na, groups=units, compare=rounds)
    return inst, raw, na, units, rounds, result


def test_every_key_of_design_section_9(staff):
    inst, raw, _, units, _, result = staff
    data = strict_json(result.to_dict())
    assert set(data) == TOP_KEYS | {"change", "change_units"}
    assert data["change_units"] == {
        "compared": sorted(set(units)), "earlier_only": [], "later_only": []
    }  # fmt: skip
    assert data["reliability_ci"] == {"method": "feldt"}
    assert data["n_respondents"] == raw.shape[0]
    assert list(data["domains"]) == [d.id for d in inst.domains]
    assert list(data["items"]) == inst.item_ids()
    assert list(data["change"]) == [d.id for d in inst.domains]
    for domain in inst.domains:
        dom = data["domains"][domain.id]
        assert set(dom) == DOMAIN_KEYS | {"agreement"}
        assert set(dom["reliability"]) == RELIABILITY_KEYS
        assert list(dom["reliability"]["items"]) == [item.id for item in domain.items]
        for item in dom["reliability"]["items"].values():
            assert set(item) == {"r_drop", "alpha_if_deleted"}
        assert set(dom["agreement"]) == AGREEMENT_KEYS
        assert list(dom["agreement"]["groups"]) == sorted(set(units))
        for group in dom["agreement"]["groups"].values():
            assert set(group) == GROUP_KEYS
        assert len(dom["ci95"]) == 2 and len(dom["reliability"]["alpha_ci95"]) == 2
        assert set(data["change"][domain.id]) == CHANGE_KEYS
    for item in data["items"].values():
        assert set(item) == {"n", "n_na", "mean", "sd"}
    assert_every_null_has_a_note(data)


def test_without_groups_or_compare_the_optional_parts_are_absent(staff):
    inst, raw, na, *_ = staff
    data = analyze(inst, raw, na).to_dict()
    assert set(data) == TOP_KEYS
    assert all(set(d) == DOMAIN_KEYS for d in data["domains"].values())


def test_values_agree_with_the_scoring_functions(staff):
    inst, raw, na, units, _, result = staff
    data = result.to_dict()
    reverse = np.array([item.reverse for _, item in inst.items()])
    keyed = key_items(raw, reverse, 1, 5)
    start = 0
    for domain in inst.domains:
        stop = start + len(domain.items)
        x = keyed[:, start:stop]
        scores = domain_scores(x, inst.scoring.min_answered)
        # ti-staff's two scales share points and favorable points: group_summary pools them,
        # here over the scored respondents (the base of the mean)
        scored = ~np.isnan(scores.scores)
        s = group_summary(
            scores.scores[scored], x[scored], points=[1, 2, 3, 4, 5], favorable=[4, 5]
        )
        r = reliability(x)
        c = icc(scores.scores, units)
        g = agreement_by_group(x, units, scores=scores.scores)
        dom = data["domains"][domain.id]
        assert dom["n_scored"] == scores.n_scored == s.n
        assert dom["mean"] == s.mean and dom["sd"] == s.sd
        assert dom["ci95"] == [s.ci_low, s.ci_high]
        assert dom["pct_favorable"] == pytest.approx(100 * s.share_favorable, rel=REL)
        assert dom["reliability"]["alpha"] == r.alpha
        assert dom["reliability"]["alpha_ci95"] == [r.alpha_ci_low, r.alpha_ci_high]
        assert dom["reliability"]["alpha_standardized"] == r.alpha_standardized
        assert dom["reliability"]["omega_total"] == r.omega_total
        assert dom["reliability"]["n_complete"] == r.n_complete
        for item, ir in zip(domain.items, r.items, strict=True):
            assert dom["reliability"]["items"][item.id] == {
                "r_drop": ir.r_drop,
                "alpha_if_deleted": ir.alpha_if_deleted,
            }
        assert dom["agreement"]["icc1"] == c.icc1 and dom["agreement"]["icc2"] == c.icc2
        for ga in g.groups:
            assert dom["agreement"]["groups"][ga.group] == {
                "n": ga.n,
                "rwg_j": ga.rwg_j,
                "band": ga.band,
                "rwg_j_skewed": ga.rwg_j_skewed,
                "split": ga.split,
            }
        for j, item in enumerate(domain.items):
            ref = item_summary(
                x[:, j], points=[1, 2, 3, 4, 5], favorable=[4, 5], na_mask=na[:, start + j]
            )
            assert data["items"][item.id] == {
                "n": ref.n,
                "n_na": ref.n_na,
                "mean": ref.mean,
                "sd": ref.sd,
            }
        start = stop


def independent_scores(inst: Instrument, raw: np.ndarray) -> np.ndarray:
    """Domain scores written out from DESIGN section 7 with plain numpy (not scoring/)."""
    reverse = np.array([item.reverse for _, item in inst.items()])
    keyed = np.where(reverse, 6 - raw, raw)
    columns, start = [], 0
    for domain in inst.domains:
        x = keyed[:, start : start + len(domain.items)]
        k = x.shape[1]
        required = k if k <= 3 else math.ceil(inst.scoring.min_answered * k)
        answered = (~np.isnan(x)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            columns.append(np.where(answered >= required, np.nanmean(x, axis=1), np.nan))
        start += k
    return np.column_stack(columns)


def test_change_matches_scipy_welch_and_bh(staff):
    inst, raw, _, _, rounds, result = staff
    change = result.to_dict()["change"]
    scores = independent_scores(inst, raw)
    p_values = []
    for d, domain in enumerate(inst.domains):
        before = scores[rounds == 2023, d]
        after = scores[rounds == 2024, d]
        before, after = before[~np.isnan(before)], after[~np.isnan(after)]
        # scipy: ttest_ind(later, earlier, equal_var=False), as R t.test(later, earlier)
        welch = stats.ttest_ind(after, before, equal_var=False)
        ci = welch.confidence_interval(0.95)
        c = change[domain.id]
        assert (c["n_before"], c["n_after"]) == (before.size, after.size)
        assert c["diff"] == pytest.approx(after.mean() - before.mean(), rel=REL)
        assert c["t"] == pytest.approx(welch.statistic, rel=1e-10)
        assert c["df"] == pytest.approx(welch.df, rel=1e-10)
        assert c["p"] == pytest.approx(welch.pvalue, rel=1e-8)
        assert c["diff_ci95"] == pytest.approx([ci.low, ci.high], rel=1e-10)
        n1, n2 = before.size, after.size
        pooled = np.sqrt(
            ((n1 - 1) * before.var(ddof=1) + (n2 - 1) * after.var(ddof=1)) / (n1 + n2 - 2)
        )
        g = (1 - 3 / (4 * (n1 + n2) - 9)) * (after.mean() - before.mean()) / pooled
        half = 1.96 * np.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
        assert c["hedges_g"] == pytest.approx(g, rel=1e-10)
        assert c["hedges_g_ci95"] == pytest.approx([g - half, g + half], rel=1e-10)
        p_values.append(welch.pvalue)
    adjusted = stats.false_discovery_control(p_values, method="bh")
    for domain, q in zip(inst.domains, adjusted, strict=True):
        c = change[domain.id]
        assert c["p_adjusted"] == pytest.approx(q, rel=1e-8)
        expected = "no clear change"
        if q < 0.05 and abs(c["hedges_g"]) >= 0.2:
            expected = "improved" if c["hedges_g"] > 0 else "declined"
        assert c["verdict"] == expected
    # the data were drawn with a rise of 0.4 SD in the later round
    assert {c["verdict"] for c in change.values()} == {"improved"}


def test_scores_and_change_agree_with_compare_domains(staff):
    inst, raw, _, _, rounds, result = staff
    scores = independent_scores(inst, raw)
    ids = [d.id for d in inst.domains]
    ref = compare_domains(scores[rounds == 2023], scores[rounds == 2024], ids)
    for dc in ref.domains:
        assert result.to_dict()["change"][dc.domain]["p_adjusted"] == pytest.approx(
            dc.p_adjusted, rel=1e-12
        )
    assert result.compare_labels == (2023, 2024)


def test_the_smaller_compare_value_is_the_earlier(staff):
    inst, raw, na, units, rounds, result = staff
    flipped = analyze(inst, raw, na, compare=np.where(rounds == 2023, "b-later", "a-earlier"))
    for domain_id, c in flipped.to_dict()["change"].items():
        original = result.to_dict()["change"][domain_id]
        assert c["diff"] == pytest.approx(-original["diff"], rel=REL)
        assert (c["n_before"], c["n_after"]) == (original["n_after"], original["n_before"])


def test_result_does_not_depend_on_respondent_order(staff):
    inst, raw, na, units, rounds, result = staff
    order = np.random.default_rng(3).permutation(raw.shape[0])
    shuffled = analyze(inst, raw[order], na[order], groups=units[order], compare=rounds[order])
    a, b = result.to_dict(), shuffled.to_dict()
    assert a.keys() == b.keys() and a["notes"] == b["notes"]

    def flat(data, prefix=""):
        if isinstance(data, dict):
            for key, value in data.items():
                yield from flat(value, f"{prefix}.{key}")
        elif isinstance(data, list) and data and not isinstance(data[0], str):
            for i, value in enumerate(data):
                yield f"{prefix}[{i}]", value
        else:
            yield prefix, data

    fa, fb = dict(flat(a)), dict(flat(b))
    assert fa.keys() == fb.keys()
    for key, value in fa.items():
        if isinstance(value, float):
            assert fb[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
        else:
            assert fb[key] == value, key


# --------------------------------------------------------------------------- null + note


def test_constant_item_gives_null_with_a_note():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, size=(40, 4)).astype(float)
    x[:, 1] = 4.0  # everybody agrees on item K-02
    inst = make_instrument({"KK": [(f"KK-0{j}", False) for j in range(1, 5)]})
    data = strict_json(analyze(inst, x, np.zeros(x.shape, dtype=bool)).to_dict())
    rel = data["domains"]["KK"]["reliability"]
    assert rel["items"]["KK-02"]["r_drop"] is None
    assert rel["alpha_standardized"] is None and rel["omega_total"] is None
    assert rel["alpha"] is not None  # alpha needs covariances only
    assert data["items"]["KK-02"] == {"n": 40, "n_na": 0, "mean": 4.0, "sd": 0.0}
    notes = data["notes"]
    assert (
        "domains.KK.reliability.items.KK-02.r_drop: every complete respondent gave this item "
        "the same answer"
    ) in notes
    assert any(n.startswith("domains.KK.reliability.omega_total: ") for n in notes)
    assert_every_null_has_a_note(data)


def test_too_few_responses_give_nulls_with_notes():
    inst, raw, na, units, _ = staff_round(n=3, seed=1)
    raw[0] = np.where(np.isnan(raw[0]), 3.0, raw[0])  # one respondent who answered everything
    na[0] = False
    one = analyze(inst, raw[:1], na[:1], groups=units[:1])
    data = strict_json(one.to_dict())
    dom = data["domains"]["SAF"]
    assert dom["n_scored"] == 1 and dom["mean"] is not None
    assert dom["sd"] is None and dom["ci95"] is None
    assert dom["reliability"]["alpha"] is None
    assert dom["reliability"]["n_complete"] == 1
    assert dom["agreement"]["icc1"] is None
    assert "domains.SAF.sd: needs at least 2 scored respondents (1 here)" in data["notes"]
    assert any(
        n.startswith("domains.SAF.reliability.alpha: needs at least 2 respondents")
        for n in data["notes"]
    )
    assert any(n.startswith("items.SAF-01.sd: ") for n in data["notes"])
    assert_every_null_has_a_note(data)


def test_a_round_with_one_respondent_has_no_test():
    inst, raw, na, _, _ = staff_round(n=30, seed=2)
    compare = np.array([2023] + [2024] * 29)
    data = strict_json(analyze(inst, raw, na, compare=compare).to_dict())
    for domain_id, c in data["change"].items():
        assert c["t"] is None and c["p"] is None and c["p_adjusted"] is None
        assert c["verdict"] == "too few to tell"
        assert f"change.{domain_id}.p_adjusted: no p value to adjust (see p)" in data["notes"]
    assert_every_null_has_a_note(data)


def test_no_respondents():
    inst = resolve("ti-staff@1.1.0")
    n_items = len(inst.item_ids())
    data = strict_json(
        analyze(inst, np.empty((0, n_items)), np.zeros((0, n_items), dtype=bool)).to_dict()
    )
    assert data["n_respondents"] == 0
    assert data["domains"]["SAF"]["n_scored"] == 0
    assert data["domains"]["SAF"]["pct_favorable"] is None
    assert data["items"]["SAF-01"] == {"n": 0, "n_na": 0, "mean": None, "sd": None}
    assert_every_null_has_a_note(data)


def test_all_answers_not_applicable_on_an_item():
    inst, raw, na, _, _ = staff_round(n=50, seed=4)
    j = inst.item_ids().index("TRU-03")
    raw[:, j] = np.nan
    na[:, j] = True
    data = analyze(inst, raw, na).to_dict()
    assert data["items"]["TRU-03"] == {"n": 0, "n_na": 50, "mean": None, "sd": None}
    assert data["domains"]["TRU"]["reliability"]["n_complete"] == 0
    assert_every_null_has_a_note(data)


def test_a_domain_mixing_scales_uses_each_items_own_scale():
    text = {"en": "x"}
    scale = {"labels": {"en": ["x"] * 5}}
    inst = instrument_from_data(
        {
            "id": "mixed", "version": "1.0.0", "form": "staff", "title": text,
            "description": text, "minutes": 5, "languages": ["en"], "not_applicable": text,
            "scales": {
                "agree5": {**scale, "points": [1, 2, 3, 4, 5], "favorable": [4, 5]},
                "agree7": {
                    "points": [1, 2, 3, 4, 5, 6, 7],
                    "labels": {"en": ["x"] * 7},
                    "favorable": [6, 7],
                },
            },
            "domains": [{"id": "MX", "title": text, "why": text, "items": [
                {"id": "MX-01", "text": text, "scale": "agree5"},
                {"id": "MX-02", "text": text, "scale": "agree7"},
                {"id": "MX-03", "text": text, "scale": "agree7", "reverse": True},
            ]}],
        }
    )  # fmt: skip
    rng = np.random.default_rng(5)
    x = np.column_stack(
        [rng.integers(1, 6, 80), rng.integers(1, 8, 80), rng.integers(1, 8, 80)]
    ).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    groups = np.repeat(["a", "b"], 40)
    data = strict_json(analyze(inst, x, None, groups=groups).to_dict())
    keyed3 = 8 - x[:, 2]  # reverse keying on the item's own 1–7 scale
    scored = ~np.isnan(x).any(axis=1)  # three items: a score needs all of them
    favorable = (
        np.isin(x[scored, 0], [4, 5]).sum() + np.isin(x[scored, 1], [6, 7]).sum()
        + np.isin(keyed3[scored], [6, 7]).sum()
    )  # fmt: skip
    assert data["domains"]["MX"]["pct_favorable"] == pytest.approx(
        100 * favorable / (3 * scored.sum()), rel=REL
    )
    assert data["domains"]["MX"]["scale"] == [1, 7]
    assert data["items"]["MX-03"]["mean"] == pytest.approx(np.nanmean(keyed3), rel=REL)
    agreement = data["domains"]["MX"]["agreement"]
    assert agreement["icc1"] is not None
    assert agreement["groups"]["a"] == {
        "n": None,
        "rwg_j": None,
        "band": None,
        "rwg_j_skewed": None,
        "split": False,
    }
    assert any(
        n.startswith("domains.MX.agreement.groups.a.rwg_j: the domain's items use scales")
        for n in data["notes"]
    )
    assert_every_null_has_a_note(data)


# --------------------------------------------------------------------------- bad input


def test_an_answer_between_points_names_row_and_item():
    inst, raw, na, _, _ = staff_round(n=20)
    j = inst.item_ids().index("TRU-02")
    raw[7, j] = 2.5
    na[7, j] = False
    with pytest.raises(AnalysisInputError, match=r"row 7 \(0-based\), item TRU-02: 2\.5 is not a"):
        analyze(inst, raw, na)


def test_an_answer_outside_the_scale_names_row_and_item():
    inst, raw, na, _, _ = staff_round(n=20)
    j = inst.item_ids().index("DAT-05")
    raw[3, j] = 6
    na[3, j] = False
    with pytest.raises(AnalysisInputError, match=r"row 3 \(0-based\), item DAT-05: 6 is outside"):
        analyze(inst, raw, na)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw, na: (raw[:, :5], na[:, :5], {}), "with 62 columns"),
        (lambda raw, na: (raw, na[:, :5], {}), "not_applicable must be a boolean matrix"),
        (lambda raw, na: (raw, ~np.isnan(raw), {}), "marked not applicable but holds"),
        (
            lambda raw, na: (raw, na, {"compare": np.arange(raw.shape[0]) % 3}),
            "compare must take exactly two values",
        ),
        (
            lambda raw, na: (raw, na, {"groups": np.array([1.0, np.nan] * (raw.shape[0] // 2))}),
            r"groups has no label at row 1",
        ),
        (lambda raw, na: (raw, na, {"groups": ["a"]}), "one label per respondent"),
    ],
)
def test_malformed_input_raises(change, message):
    inst, raw, na, _, _ = staff_round(n=20)
    answers, mask, kwargs = change(raw, na)
    with pytest.raises(AnalysisInputError, match=message):
        analyze(inst, answers, mask, **kwargs)


# --------------------------------------------------------------------------- result object


def test_result_is_frozen_and_to_dict_is_fresh(staff):
    *_, result = staff
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n_respondents = 0  # type: ignore[misc]
    first = result.to_dict()
    first["domains"].clear()
    assert result.to_dict()["domains"]


def test_text_shows_every_field(staff):
    inst, *_, result = staff
    text = render_text(result)
    for heading in ("N SCORED", "MEAN", "SD", "95% CI", "% FAV", "N COMPLETE", "ALPHA",
                    "ALPHA 95% CI", "STD ALPHA", "OMEGA", "N NA", "R DROP", "ALPHA IF DELETED",
                    "ICC1", "ICC2", "GROUP", "N BEFORE", "N AFTER", "DIFF", "DIFF 95% CI", "DF",
                    "P ADJ", "G 95% CI", "VERDICT", "SCALE", "CI METHOD", "OMEGA 95% CI", "RMSR",
                    "K = N/G", "ICC1 (N0)", "N0", "RWG(J)", "AGREEMENT", "SKEWED NULL", "SPLIT",
                    "MDE G", "MDE PTS", "PAIRWISE ALPHA"):  # fmt: skip
        assert heading in text, heading
    for item_id in inst.item_ids():
        assert f"\n  {item_id} " in text
    for unit in ("east", "north", "south", "west"):
        assert f"\n  {unit} " in text
    assert "Change: 2024 − 2023" in text
    verdicts = [line.split()[-1] for line in text.splitlines() if line.endswith("improved")]
    assert len(verdicts) == len(inst.domains)
    assert "independent groups" in text and "conservative" in text


# --------------------------------------------------------------------------- display rules
#
# The edge cases of the display rules: the text shows what the reports show, the JSON keeps the raw
# value with a "<path>: display: <rule>" note.


def text_table(text: str, title: str) -> list[dict[str, str]]:
    """The rows of the table under the line starting with ``title``, as {heading: cell}
    (cells are separated by two or more spaces; an empty last cell is left out)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    headers = re.split(r"\s{2,}", lines[start + 1].strip())
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("  ") or line.startswith("  - "):
            break
        rows.append(dict(zip(headers, re.split(r"\s{2,}", line.strip()), strict=False)))
    return rows


def row(text: str, title: str, first: str) -> dict[str, str]:
    return next(r for r in text_table(text, title) if next(iter(r.values())) == first)


def display_notes(data: dict) -> dict[str, str]:
    return {
        note.split(": display: ", 1)[0]: note.split(": display: ", 1)[1]
        for note in data["notes"]
        if ": display: " in note
    }


def one_domain(domain_id: str, k: int, reverse: int | None = None, min_answered: float = 0.75):
    return make_instrument(
        {domain_id: [(f"{domain_id}-0{j}", j == reverse) for j in range(1, k + 1)]},
        min_answered,
    )


def test_negative_alpha_on_five_responses_is_not_shown():
    """The issue's α = −4.06 (Feldt CI −17.88 to 0.41: five complete responses to five items)."""
    x = np.array(
        [[3, 3, 4, 1, 5], [3, 5, 2, 2, 2], [4, 2, 1, 4, 5], [3, 5, 2, 1, 5], [1, 3, 1, 4, 4]],
        dtype=float,
    )
    result = analyze(one_domain("NEG", 5), x)
    data = strict_json(result.to_dict())
    rel = data["domains"]["NEG"]["reliability"]
    # R 4.2.2, psych 2.2.9: a <- alpha(x, check.keys = FALSE); a$total$raw_alpha;
    #    alpha.ci(a$total$raw_alpha, n.obs = 5, n.var = 5)
    assert rel["alpha"] == pytest.approx(-4.0625, rel=REL)
    assert rel["alpha_ci95"] == pytest.approx([-17.880171262064806, 0.413558918384131], rel=1e-9)
    assert display_notes(data)["domains.NEG.reliability"] == (
        "reliability needs at least 30 complete responses (5 here): the text shows no alpha, "
        "omega, interval or item statistic"
    )
    text = render_text(result)
    assert "NEG: reliability needs at least 30 complete responses; 5 here" in text
    for number in ("4.06", "17.88", "0.41"):
        assert number not in text, number
    cells = row(text, "Reliability", "NEG")
    assert cells["N COMPLETE"] == "5"
    hidden = ("ALPHA", "ALPHA 95% CI", "STD ALPHA", "PAIRWISE ALPHA", "OMEGA", "RMSR")
    assert {cells[h] for h in hidden} == {"—"}
    for item in text_table(text, "Items"):
        assert item["R DROP"] == item["ALPHA IF DELETED"] == "—"


def test_negative_alpha_from_30_responses_is_said_in_words():
    rng = np.random.default_rng(3)
    a, b = rng.integers(1, 6, size=(2, 40))
    flip = np.clip(6 - a + rng.integers(-1, 2, 40), 1, 5)  # answered against item 1
    x = np.column_stack([a, flip, b, np.clip(6 - b + rng.integers(-1, 2, 40), 1, 5)])
    x = x.astype(float)
    result = analyze(one_domain("ANT", 4), x)
    data = strict_json(result.to_dict())
    rel = data["domains"]["ANT"]["reliability"]
    expected = reliability(x).alpha
    assert expected < 0 and rel["alpha"] == expected and rel["n_complete"] == 40
    assert display_notes(data)["domains.ANT.reliability.alpha"] == (
        'below zero: the text says "the items do not hang together: α below zero" and shows '
        "no interval"
    )
    text = render_text(result)
    assert "ANT: the items do not hang together: α below zero" in text
    cells = row(text, "Reliability", "ANT")
    assert cells["ALPHA"] == "below 0"
    assert cells["ALPHA 95% CI"] == "—"
    assert f"{rel['alpha']:.3f}" not in text
    assert rel["alpha_pairwise"] == pytest.approx(rel["alpha"], rel=REL)  # nothing missing
    assert cells["PAIRWISE ALPHA"] == "below 0"
    assert "domains.ANT.reliability.alpha_pairwise" in display_notes(data)


def test_negative_icc_is_shown_as_zero_with_words():
    """The issue's ICC(2) of −4.03: units whose means differ less than chance would have it."""
    x = np.array(
        [[5, 5, 4, 4], [1, 1, 1, 1], [3, 2, 2, 2], [2, 1, 1, 1], [4, 4, 3, 3], [5, 5, 5, 5]],
        dtype=float,
    )
    units = np.array(["a", "a", "a", "b", "b", "b"])
    result = analyze(one_domain("ICC", 4), x, groups=units)
    data = strict_json(result.to_dict())
    agreement = data["domains"]["ICC"]["agreement"]
    # R 4.2.2, multilevel 2.7: s <- c(18, 4, 9, 5, 14, 20) / 4 (the domain scores);
    #    fit <- aov(s ~ factor(c("a", "a", "a", "b", "b", "b"))); ICC1(fit); ICC2(fit)
    assert agreement["icc1"] == pytest.approx(-0.364406779661017, abs=MULTILEVEL_TOL)
    assert agreement["icc2"] == pytest.approx(-4.03125, abs=MULTILEVEL_TOL)
    assert agreement["icc1_n0"] == pytest.approx(agreement["icc1"], rel=REL)  # equal groups
    rule = 'below zero: the text shows 0 with "units do not differ reliably"'
    notes = display_notes(data)
    for field in ("icc1", "icc1_n0", "icc2"):
        assert notes[f"domains.ICC.agreement.{field}"] == rule
    text = render_text(result)
    cells = row(text, "Agreement between units", "ICC")
    assert cells["ICC1"] == cells["ICC1 (N0)"] == cells["ICC2"] == "0.000"
    assert cells["K = N/G"] == "3.00" and cells["N0"] == "3.00"
    assert "ICC: units do not differ reliably (ICC below zero, shown as 0)" in text
    assert "4.03" not in text and "0.364" not in text  # with either minus sign


def test_mean_interval_is_held_within_the_scale():
    """The issue's mean CI of −7.8 to 11.3 on a 1–5 scale: two scores, 1 and 2.5."""
    x = np.array([[1, 1], [2, 3]], dtype=float)
    result = analyze(one_domain("CI", 2), x)
    data = strict_json(result.to_dict())
    dom = data["domains"]["CI"]
    # R 4.2.2: t.test(c(1, 2.5))$conf.int
    assert dom["ci95"] == pytest.approx([-7.77965355213102, 11.27965355213102], rel=1e-12)
    assert dom["scale"] == [1, 5]
    assert display_notes(data)["domains.CI.ci95"] == (
        "held within the scale 1–5 in the text (computed -7.78 to 11.28; a mean cannot leave "
        "its scale)"
    )
    text = render_text(result)
    assert row(text, "Domains", "CI")["95% CI"] == "[1.000, 5.000]"
    assert "CI: the 95% CI of the mean is held within the scale 1–5 (computed -7.78 to 11.28)" in (
        text
    )


def test_mean_interval_inside_the_scale_is_left_alone(staff):
    *_, result = staff
    data = result.to_dict()
    assert not any(path.endswith(".ci95") for path in display_notes(data))
    text = render_text(result)
    for domain_id, dom in data["domains"].items():
        ci = dom["ci95"]
        assert row(text, "Domains", domain_id)["95% CI"] == f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def test_percent_favorable_needs_a_scored_respondent():
    """The issue's 23.3 % favorable where nobody reached the min-answered rule: 15 people
    answered 2 of 4 items (3 needed), 7 of their 30 answers favorable."""
    x = np.full((15, 4), np.nan)
    x[:, :2] = 2.0
    x.flat[np.flatnonzero(~np.isnan(x))[:7]] = 4.0
    result = analyze(one_domain("FAV", 4), x)
    data = strict_json(result.to_dict())
    dom = data["domains"]["FAV"]
    assert dom["n_scored"] == 0 and dom["mean"] is None
    assert dom["pct_favorable"] is None
    assert (
        "domains.FAV.pct_favorable: nobody met the instrument's min-answered rule, so no one has "
        "a domain score"
    ) in data["notes"]
    assert_every_null_has_a_note(data)
    cells = row(render_text(result), "Domains", "FAV")
    assert cells["MEAN"] == cells["% FAV"] == "—"
    assert "23.3" not in render_text(result)


def test_percent_favorable_leaves_out_the_unscored():
    x = np.array([[5, 5, 5, 5], [4, 4, 2, 2], [5, np.nan, np.nan, np.nan]])  # row 3 unscored
    data = analyze(one_domain("BASE", 4), x).to_dict()
    assert data["domains"]["BASE"]["n_scored"] == 2
    assert data["domains"]["BASE"]["pct_favorable"] == pytest.approx(100 * 6 / 8, rel=REL)


def one_factor(n: int, loadings: list[float], seed: int) -> np.ndarray:
    """Answers 1–5 from a one-factor model (a negative loading: an item answered against)."""
    rng = np.random.default_rng(seed)
    lam = np.array(loadings)
    latent = rng.normal(size=(n, 1)) * lam + rng.normal(size=(n, lam.size)) * np.sqrt(1 - lam**2)
    return np.clip(np.rint(3 + 1.2 * latent), 1, 5)


def test_omega_with_a_reversed_item_is_withheld_with_its_item_id():
    x = one_factor(200, [0.8, 0.7, -0.7, 0.75], seed=8)  # REV-03 is keyed as not reversed
    result = analyze(one_domain("REV", 4), x)
    data = strict_json(result.to_dict())
    rel = data["domains"]["REV"]["reliability"]
    expected = reliability(x)
    assert expected.omega_withheld == "reversed" and expected.reversed_items == (2,)
    assert rel["omega_total"] is None
    assert rel["omega_estimate"] == expected.omega_estimate is not None
    assert rel["omega_rmsr"] == expected.omega_rmsr
    assert rel["omega_withheld"] == "reversed" and rel["reversed_items"] == ["REV-03"]
    assert (
        "domains.REV.reliability.omega_total: withheld: item REV-03 seems reversed: check its "
        "keying (omega_estimate keeps the value)"
    ) in data["notes"]
    text = render_text(result)
    assert "REV: omega withheld: item REV-03 seems reversed: check its keying" in text
    cells = row(text, "Reliability", "REV")
    assert cells["OMEGA"] == "withheld"
    assert cells["RMSR"] == f"{expected.omega_rmsr:.3f}"
    # keyed as it was answered, the same items give omega as scored
    keyed = analyze(one_domain("REV", 4, reverse=3), x).to_dict()["domains"]["REV"]
    assert keyed["reliability"]["omega_total"] is not None
    assert keyed["reliability"]["omega_withheld"] is False


def test_omega_of_two_unrelated_factors_is_withheld_as_multidimensional():
    first = one_factor(300, [0.8, 0.8, 0.8], seed=9)
    second = one_factor(300, [0.8, 0.8, 0.8], seed=10)
    x = np.column_stack([first, second])
    result = analyze(one_domain("TWO", 6), x)
    data = strict_json(result.to_dict())
    rel = data["domains"]["TWO"]["reliability"]
    expected = reliability(x)
    assert rel["omega_withheld"] == "multidimensional"
    assert rel["omega_total"] is None and rel["omega_estimate"] == expected.omega_estimate
    assert rel["omega_rmsr"] == expected.omega_rmsr > RMSR_POOR
    assert (
        "domains.TWO.reliability.omega_total: withheld: these items measure more than one thing "
        "(omega_estimate keeps the value)"
    ) in data["notes"]
    text = render_text(result)
    assert "TWO: omega withheld: these items measure more than one thing" in text
    cells = row(text, "Reliability", "TWO")
    assert cells["OMEGA"] == "withheld"
    assert cells["RMSR"] == f"{expected.omega_rmsr:.3f}"
    assert cells["ALPHA"] == f"{expected.alpha:.3f}"  # alpha stays: it is not withheld


def test_agreement_in_lebreton_and_senter_words_with_the_split_flag():
    rng = np.random.default_rng(12)
    calm = np.clip(4 + (rng.random((14, 4)) < 0.2) * rng.choice([-1, 1], (14, 4)), 1, 5)
    camps = np.vstack([np.full((7, 4), 1.0), np.full((7, 4), 5.0)])
    camps[0, 0], camps[-1, -1] = 2.0, 4.0
    x = np.vstack([calm, camps]).astype(float)
    units = np.repeat(["calm", "camps"], 14)
    result = analyze(one_domain("AGR", 4), x, groups=units)
    data = strict_json(result.to_dict())
    groups = data["domains"]["AGR"]["agreement"]["groups"]
    reference = {g.group: g for g in agreement_by_group(x, units, scores=x.mean(axis=1)).groups}
    for unit in ("calm", "camps"):
        g = reference[unit]
        assert groups[unit] == {
            "n": g.n, "rwg_j": g.rwg_j, "band": g.band, "rwg_j_skewed": g.rwg_j_skewed,
            "split": g.split,
        }  # fmt: skip
        assert g.band == rwg_band(g.rwg_j)
    assert groups["camps"]["split"] is True and groups["calm"]["split"] is False
    text = render_text(result)
    rows = {r["GROUP"]: r for r in text_table(text, "Agreement within units")}
    words = {
        "lack": "lack of agreement", "weak": "weak agreement", "moderate": "moderate agreement",
        "strong": "strong agreement", "very strong": "very strong agreement",
    }  # fmt: skip
    for unit in ("calm", "camps"):
        assert rows[unit]["AGREEMENT"] == words[groups[unit]["band"]]
        assert rows[unit]["RWG(J)"] == f"{groups[unit]['rwg_j']:.2f}"
        assert rows[unit]["SKEWED NULL"] == f"{groups[unit]['rwg_j_skewed']:.2f}"
    assert rows["camps"]["SPLIT"] == "two separate groups"
    assert "SPLIT" not in rows["calm"]  # an empty last cell
    assert "camps, AGR: staff answers fall into two separate groups" in text
    assert "calm, AGR: staff" not in text
    for old_words in ("disagree", "polarized", "two camps"):
        assert old_words not in text


def test_bootstrap_intervals_repeat_with_the_seed(staff):
    inst, raw, na, *_ = staff
    first = analyze(inst, raw, na, ci="bootstrap", n_boot=500, seed=1)
    again = analyze(inst, raw, na, ci="bootstrap", n_boot=500, seed=1)
    other = analyze(inst, raw, na, ci="bootstrap", n_boot=500, seed=2)
    a, b, c = (strict_json(r.to_dict()) for r in (first, again, other))
    assert a == b
    assert a["reliability_ci"] == {"method": "bootstrap", "n_boot": 500, "seed": 1}
    for domain_id, dom in a["domains"].items():
        rel = dom["reliability"]
        assert rel["alpha_ci_method"] == "bootstrap"
        assert rel["omega_ci95"] is not None
        assert rel["alpha_ci95"] != c["domains"][domain_id]["reliability"]["alpha_ci95"]
    feldt = strict_json(analyze(inst, raw, na).to_dict())
    assert all(
        d["reliability"]["alpha_ci_method"] == "feldt" and d["reliability"]["omega_ci95"] is None
        for d in feldt["domains"].values()
    )
    text = render_text(first)
    assert "95% CIs by the BCa bootstrap (500 resamples, seed 1)" in text
    assert {r["CI METHOD"] for r in text_table(text, "Reliability")} == {"BCa"}


def test_an_unknown_ci_method_is_refused(staff):
    inst, raw, na, *_ = staff
    with pytest.raises(AnalysisInputError, match="ci must be one of feldt, bootstrap, auto"):
        analyze(inst, raw, na, ci="percentile")


def two_rounds(n: int, shift: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Answers to a 4-item domain in two rounds of n people each, the later one ``shift``
    points higher on the latent scale."""
    rng = np.random.default_rng(seed)
    rounds = np.repeat([2023, 2024], n)
    latent = rng.normal(size=(2 * n, 1)) + shift * (rounds == 2024)[:, None]
    x = np.clip(np.rint(3 + 0.8 * latent + 0.6 * rng.normal(size=(2 * n, 4))), 1, 5)
    return x, rounds


@pytest.mark.parametrize(
    ("n", "shift", "verdict"),
    [(10, 0.4, "too few to tell"), (400, 0.0, "stable"), (60, 1.0, "improved")],
)
def test_change_says_what_it_can(n, shift, verdict):
    x, rounds = two_rounds(n, shift, seed=n)
    result = analyze(one_domain("CHG", 4), x, compare=rounds)
    data = strict_json(result.to_dict())
    c = data["change"]["CHG"]
    assert c["verdict"] == verdict
    expected = compare_domains(
        domain_scores(x[rounds == 2023], 0.75).scores[:, None],
        domain_scores(x[rounds == 2024], 0.75).scores[:, None],
    ).domains[0]
    assert c["mde_g"] == expected.change.mde_g
    assert c["mde_points"] == expected.change.mde_points
    if n == 10:
        # R 4.2.2: power.t.test(n = 10, sd = 1, sig.level = .05, power = .8, strict = TRUE,
        #    tol = 1e-12)$delta (both tails of the noncentral t, as scoring.change)
        assert c["mde_g"] == pytest.approx(1.32494739257865, rel=1e-9)
    assert "change: the test treats the two rounds as independent groups" in " ".join(data["notes"])
    text = render_text(result)
    cells = row(text, "Change", "CHG")
    assert cells["VERDICT"] == verdict
    assert cells["MDE G"] == f"{c['mde_g']:.2f}" and cells["MDE PTS"] == f"{c['mde_points']:.2f}"
    assert "The test treats the two rounds as independent groups" in text
    assert "conservative" in text
    assert "stable: the 95% CI of g lies within ±0.5" in text
    assert "no clear change" not in text


def test_change_compares_only_the_groups_present_in_both_rounds(staff):
    """A later round covering 2 of the 4 units is compared with those 2 units of the earlier
    one, not with the whole agency (composition read as change)."""
    inst, raw, na, units, rounds, _ = staff
    later_units = np.isin(units, ["north", "south"])
    rows = (rounds == 2023) | later_units  # the later round covers north and south only
    result = analyze(inst, raw[rows], na[rows], groups=units[rows], compare=rounds[rows])
    data = strict_json(result.to_dict())
    assert data["change_units"] == {
        "compared": ["north", "south"], "earlier_only": ["east", "west"], "later_only": [],
    }  # fmt: skip
    assert any(
        n.startswith("change_units: the rounds cover different groups") for n in data["notes"]
    )
    same = later_units & rows
    only = analyze(inst, raw[same], na[same], compare=rounds[same]).to_dict()["change"]
    assert data["change"] == only  # the change of north and south alone
    assert data["domains"]["SAF"]["n_scored"] > sum(
        c["n_before"] + c["n_after"] for c in [data["change"]["SAF"]]
    )  # domains still describe everyone
    text = render_text(result)
    assert (
        "The rounds cover different groups: change compares only those present in both "
        "(north, south); left out: east (2023 only), west (2023 only)."
    ) in text
    whole = render_text(analyze(inst, raw, na, groups=units, compare=rounds))
    assert "The rounds cover different groups" not in whole
