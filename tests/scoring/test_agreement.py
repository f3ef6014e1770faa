"""scoring.agreement: rwg(j) per unit, its bands and skewed-null value, the split flag, ICC.

Expected values are pinned to published results and to R. The R values come from
tests/scoring/data/reference_values.R (R 4.2.2, multilevel 2.7, psych 2.2.9), run from the
repository root with ``Rscript tests/scoring/data/reference_values.R`` on
tests/scoring/data/agreement_units.csv; the R expression is quoted beside each number.
Tolerance: absolute 1e-6 (TOL) for every pinned value.
"""

from __future__ import annotations

import csv
import doctest
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import scoring.agreement
from scoring.agreement import (
    BAND_LACK,
    BAND_MODERATE,
    BAND_STRONG,
    BAND_VERY_STRONG,
    BAND_WEAK,
    LOW_AGREEMENT,
    SPLIT_MIN_SCORED,
    agreement_by_group,
    icc,
    rwg_band,
    rwg_j,
    split_r2_threshold,
)
from scoring.errors import ScoringError

TOL = 1e-6
SHARED_DATA = Path(__file__).resolve().parent / "data"

# Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing rater
# reliability. Psychological Bulletin, 86(2), 420–428, Table 2: six targets (rows) rated by
# four judges (columns). Taken here as six groups of four respondents each.
SHROUT_FLEISS = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=float,
)
# R psych 2.2.9: ICC(sf, lmer = FALSE)$results — "ICC1" (single, absolute) and "ICC1k";
# also multilevel: ICC1(aov(score ~ as.factor(target))) = 0.165741768405475,
# ICC2(...) = 0.442797133679268. Published to two decimals: ICC(1,1) = .17, ICC(1,4) = .44.
SF_ICC1 = 0.165741768405476
SF_ICC2 = 0.442797133679269
SF_F = 1.79467849223947  # ICC(sf, lmer = FALSE)$results["Single_raters_absolute", "F"]
SF_P = 0.164768808344639611  # ICC(sf, lmer = FALSE)$results["Single_raters_absolute", "p"]


def check_shrout_fleiss(table: np.ndarray) -> None:
    scores = table.ravel()
    groups = np.repeat(np.arange(table.shape[0]), table.shape[1])
    r = icc(scores, groups)
    assert r.icc1 == pytest.approx(SF_ICC1, abs=TOL)
    assert r.icc2 == pytest.approx(SF_ICC2, abs=TOL)
    assert r.f == pytest.approx(SF_F, abs=TOL)
    assert r.p == pytest.approx(SF_P, abs=TOL)
    assert (r.df1, r.df2, r.n_groups, r.n, r.k) == (5, 18, 6, 24, 4.0)
    assert r.notes == ()


def test_icc_shrout_fleiss_table_2():
    check_shrout_fleiss(SHROUT_FLEISS)


def test_icc_shrout_fleiss_shared_file():
    path = SHARED_DATA / "shrout_fleiss_1979.csv"
    if not path.exists():
        pytest.fail(f"{path} is missing: it is part of the repository")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = np.array([[float(row[f"J{j}"]) for j in range(1, 5)] for row in rows])
    np.testing.assert_array_equal(table, SHROUT_FLEISS)
    check_shrout_fleiss(table)


# --------------------------------------------------------------------------- against R

# R: rwg.j(items, d$unit, ranvar = 2)  (columns rwg.j and gsize)
R_RWG_J = {
    "A": (0.977777777777778, 7),
    "B": (0.941176470588235, 5),
    "C": (0.0, 7),
    "D": (None, 1),  # NA: one complete respondent
    "E": (0.934579439252336, 4),
}
# R: rwg.j(items, d$unit, ranvar = 1.34)  (slightly skewed null, five options)
R_RWG_J_SKEWED = {
    "A": 0.965706447187929,
    "B": 0.903846153846154,
    "C": 0.0,
    "D": None,
    "E": 0.891908585546634,
}
# R: rwg(d$Q1, d$unit, ranvar = 2)  (one item; rwg(j) with J = 1 is rwg)
R_RWG_Q1 = {
    "A": (0.857142857142857, 8),
    "B": (0.85, 5),
    "C": (0.0, 7),
    "D": (0.75, 2),
    "E": (0.875, 4),
}
# R: d$score <- rowMeans(items, na.rm = TRUE); fit <- aov(score ~ as.factor(unit), data = d)
R_ICC1 = 0.275770219403215  # ICC1(fit); psych statsBy(...)$ICC1 = 0.275770219403216
R_ICC2 = 0.680751135137309  # ICC2(fit); psych statsBy(...)$ICC2 = 0.680751135137309
R_F = 3.13235256272595  # summary(fit)[[1]][1, "F value"]
R_P = 0.0340305593222812  # summary(fit)[[1]][1, "Pr(>F)"]
R_MSB = 2.537528935185  # summary(fit): Mean Sq of as.factor(unit)
R_MSW = 0.810103232114  # summary(fit): Mean Sq of Residuals
# Bliese's (2000) n0 for the unequal units (8, 6, 7, 2, 5 scored), from the same fit:
#   s <- summary(fit)[[1]]; msb <- s[1, "Mean Sq"]; msw <- s[2, "Mean Sq"]
#   nj <- table(d$unit); N <- sum(nj); G <- length(nj); n0 <- (N - sum(nj^2) / N) / (G - 1)
#   (msb - msw) / (msb + (n0 - 1) * msw)
R_N0 = 5.41071428571429
R_ICC1_N0 = 0.28269039709848


@pytest.fixture()
def units(reference_data):
    d = reference_data("agreement_units.csv")
    return d.x, d.other["unit"]


def test_rwg_j_matches_r_multilevel(units):
    x, unit = units
    result = agreement_by_group(x, unit)
    assert [g.group for g in result.groups] == ["A", "B", "C", "D", "E"]
    assert result.null_variance == 2.0  # (5² − 1)/12
    for g in result.groups:
        expected, gsize = R_RWG_J[g.group]
        assert g.n == gsize
        if expected is None:
            assert g.rwg_j is None
            assert any(note.startswith("rwg_j: ") for note in g.notes)
        else:
            assert g.rwg_j == pytest.approx(expected, abs=TOL)


def test_rwg_j_one_item_is_rwg(units):
    x, unit = units
    result = agreement_by_group(x[:, :1], unit)
    for g in result.groups:
        expected, gsize = R_RWG_Q1[g.group]
        assert g.n == gsize
        assert g.rwg_j == pytest.approx(expected, abs=TOL)


def test_rwg_j_skewed_null_matches_r_multilevel(units):
    x, unit = units
    result = agreement_by_group(x, unit)
    assert result.null_variance_skewed == 1.34
    for g in result.groups:
        expected = R_RWG_J_SKEWED[g.group]
        if expected is None:
            assert g.rwg_j_skewed is None
            assert any(note.startswith("rwg_j_skewed: ") for note in g.notes)
        else:
            assert g.rwg_j_skewed == pytest.approx(expected, abs=TOL)
            assert g.rwg_j_skewed <= g.rwg_j  # a narrower null: never more agreement


def test_rwg_j_skewed_seven_options_matches_r():
    # R: rwg.j(x, rep(1, 4), ranvar = 2.90)  → 0.913922155688623  (7 options, slight skew)
    x = np.array([[5, 6, 6], [6, 6, 7], [4, 5, 6], [6, 7, 7]], dtype=float)
    result = agreement_by_group(x, np.zeros(4, dtype=int), n_options=7)
    assert result.null_variance_skewed == 2.90
    assert result.groups[0].rwg_j_skewed == pytest.approx(0.913922155688623, abs=TOL)


def test_rwg_j_skewed_is_none_where_not_tabulated():
    x = np.array([[3, 4], [4, 4], [2, 3]], dtype=float)
    result = agreement_by_group(x, np.zeros(3, dtype=int), n_options=4)
    assert result.null_variance_skewed is None
    assert result.notes and result.notes[0].startswith("null_variance_skewed: no slightly skewed")
    g = result.groups[0]
    assert g.rwg_j is not None and g.rwg_j_skewed is None
    assert any(note.startswith("rwg_j_skewed: no slightly skewed") for note in g.notes)


def test_icc_matches_r_multilevel_and_psych(units):
    x, unit = units
    r = icc(np.nanmean(x, axis=1), unit)
    assert r.icc1 == pytest.approx(R_ICC1, abs=TOL)
    assert r.icc2 == pytest.approx(R_ICC2, abs=TOL)
    assert r.f == pytest.approx(R_F, abs=TOL)
    assert r.p == pytest.approx(R_P, abs=TOL)
    assert r.msb == pytest.approx(R_MSB, abs=TOL)
    assert r.msw == pytest.approx(R_MSW, abs=TOL)
    assert (r.df1, r.df2, r.n_groups, r.n) == (4, 23, 5, 28)
    assert r.k == pytest.approx(28 / 5)
    assert r.n0 == pytest.approx(R_N0, abs=TOL)
    assert r.icc1_n0 == pytest.approx(R_ICC1_N0, abs=TOL)


def test_icc_n0_equals_k_for_equal_groups():
    r = icc(SHROUT_FLEISS.ravel(), np.repeat(np.arange(6), 4))
    assert r.n0 == pytest.approx(4.0, abs=1e-12)
    assert r.icc1_n0 == pytest.approx(SF_ICC1, abs=TOL)


def test_icc_n0_matches_bliese_formula_on_bh1996_shape():
    # multilevel's bh1996 (WBEING by GRP, 99 groups, N = 7382) gives, with the R commands above,
    # n0 = 74.3134873022631 and ICC(1)_n0 = 0.0435098119177088 beside ICC1(fit) =
    # 0.0433690500771082. The data set is not shipped; this checks the same identity on
    # groups of very unequal size: n0 from the formula, and ICC(1)_n0 from the mean squares.
    rng = np.random.default_rng(8)
    sizes = np.array([3, 4, 10, 25, 60, 8])
    groups = np.repeat(np.arange(6), sizes)
    scores = rng.normal(3.0, 0.8, groups.size) + 0.3 * groups
    r = icc(scores, groups)
    n = sizes.sum()
    n0 = (n - (sizes**2).sum() / n) / (len(sizes) - 1)
    assert r.n0 == pytest.approx(n0, abs=1e-12)
    assert r.n0 < r.k
    assert r.icc1_n0 == pytest.approx((r.msb - r.msw) / (r.msb + (n0 - 1) * r.msw), abs=1e-12)
    assert r.icc1_n0 > r.icc1  # MSB > MSW and n0 < k


def test_flags_on_reference_units(units):
    x, unit = units
    by = agreement_by_group(x, unit).by_label()
    # C is two camps: scores 1.25, 1.5, 1.5, 2 and 4.5, 4.5, 4.75; rwg(j) = 0
    c = by["C"]
    assert c.split and c.polarized and c.low_agreement and c.band == BAND_LACK
    assert c.split_gap == pytest.approx(4.5833333333 - 1.5625, abs=1e-9)
    assert c.split_r2 > split_r2_threshold(7)
    assert c.share_low == pytest.approx(4 / 7) and c.share_high == pytest.approx(3 / 7)
    for label in "ABDE":
        assert not by[label].split
        assert not by[label].low_agreement
    assert [by[label].band for label in "ABE"] == [BAND_VERY_STRONG] * 3
    assert by["D"].band is None


# --------------------------------------------------------------------------- identities


def test_rwg_j_single_group_function_equals_grouped(units):
    x, unit = units
    grouped = agreement_by_group(x, unit).by_label()
    for label in "ABCDE":
        one = rwg_j(x[unit == label])
        assert one.n == grouped[label].n
        assert one.rwg_j == grouped[label].rwg_j or one.rwg_j == pytest.approx(
            grouped[label].rwg_j, abs=1e-12
        )


def test_rwg_j_formula_by_hand():
    x = np.array([[4, 4, 5], [4, 5, 5], [3, 4, 4], [4, 4, 5]], dtype=float)
    s2 = x.var(axis=0, ddof=1).mean()  # mean of the item variances, n − 1 denominator
    ratio = s2 / 2.0  # σ²E = (5² − 1)/12 = 2
    expected = 3 * (1 - ratio) / (3 * (1 - ratio) + ratio)
    r = rwg_j(x)
    assert r.rwg_j == pytest.approx(expected, abs=1e-12)
    assert r.mean_item_variance == pytest.approx(s2, abs=1e-12)


def test_rwg_j_seven_options_null_variance():
    x = np.array([[1, 7], [7, 1], [4, 4]], dtype=float)
    r = rwg_j(x, n_options=7)
    assert r.null_variance == 4.0  # (7² − 1)/12
    assert r.rwg_j == 0.0  # s̄² = 9 > 4 → truncated to 0, as multilevel::rwg.j


def test_rwg_j_constant_items_is_one():
    r = rwg_j(np.full((6, 4), 3.0))
    assert r.rwg_j == 1.0
    assert r.mean_item_variance == 0.0


def test_rwg_j_listwise_deletion():
    x = np.array([[4, 4], [4, np.nan], [5, 5], [1, 1]], dtype=float)
    assert rwg_j(x).n == 3
    assert rwg_j(x).rwg_j == rwg_j(x[[0, 2, 3]]).rwg_j


def test_rwg_j_fewer_than_two_complete():
    r = rwg_j(np.array([[4.0, 5.0], [np.nan, 3.0]]))
    assert r.rwg_j is None and r.n == 1
    assert "rwg_j: fewer than two respondents answered every item" in r.notes[0]


def test_rwg_j_all_missing():
    r = rwg_j(np.full((4, 3), np.nan))
    assert r.n == 0 and r.rwg_j is None and r.mean_item_variance is None
    assert r.n_items == 3


def test_all_missing_group_is_listed_with_n_zero():
    x = np.array([[np.nan, np.nan], [np.nan, 4.0], [4.0, 4.0], [5.0, 4.0]])
    result = agreement_by_group(x, np.array([7, 7, 8, 8]))
    by = result.by_label()
    assert by[7].n == 0 and by[7].rwg_j is None and by[7].n_scored == 0
    assert by[7].share_low is None and not by[7].split and not by[7].low_agreement
    assert by[7].split_r2 is None and by[7].band is None
    assert by[8].n == 2 and by[8].rwg_j is not None


def test_result_does_not_depend_on_row_order(units):
    x, unit = units
    order = np.random.default_rng(3).permutation(x.shape[0])
    a = agreement_by_group(x, unit)
    b = agreement_by_group(x[order], unit[order])
    for ga, gb in zip(a.groups, b.groups, strict=True):
        assert ga.group == gb.group and ga.n == gb.n
        if ga.rwg_j is None:
            assert gb.rwg_j is None
        else:
            assert gb.rwg_j == pytest.approx(ga.rwg_j, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=n, max_size=n),
            st.lists(st.integers(0, 4), min_size=n, max_size=n),
        )
    )
)
def test_grouped_equals_one_group_at_a_time(data):
    answers, labels = data
    x = np.array(answers, dtype=float)
    groups = np.array(labels)
    for g in agreement_by_group(x, groups).groups:
        one = rwg_j(x[groups == g.group])
        assert one.n == g.n
        if one.rwg_j is None:
            assert g.rwg_j is None
        else:
            assert 0.0 <= g.rwg_j <= 1.0
            assert g.rwg_j == pytest.approx(one.rwg_j, abs=1e-9)


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.0, BAND_LACK),
        (0.30, BAND_LACK),
        (0.3049, BAND_LACK),  # shown as .30
        (0.305, BAND_LACK),  # stored as 0.30499…, shown as .30
        (0.3051, BAND_WEAK),  # shown as .31
        (0.31, BAND_WEAK),
        (0.50, BAND_WEAK),
        (0.5049, BAND_WEAK),
        (0.5051, BAND_MODERATE),
        (0.51, BAND_MODERATE),
        (0.70, BAND_MODERATE),
        (0.71, BAND_STRONG),
        (0.90, BAND_STRONG),
        (0.9049, BAND_STRONG),
        (0.9091, BAND_VERY_STRONG),  # shown as .91
        (1.0, BAND_VERY_STRONG),
    ],
)
def test_rwg_band_follows_lebreton_senter_table_3(value, band):
    # LeBreton & Senter (2008), Table 3: .00–.30 lack, .31–.50 weak, .51–.70 moderate,
    # .71–.90 strong, .91–1.00 very strong agreement; placed by the two-decimal value shown
    assert rwg_band(value) == band


def test_rwg_band_none_and_bad_values():
    assert rwg_band(None) is None
    for bad in (-0.2, 1.3, float("nan")):
        with pytest.raises(ScoringError, match="outside"):
            rwg_band(bad)
    with pytest.raises(ScoringError, match="number in"):
        rwg_band("0.5")


def test_low_agreement_is_the_weak_and_lack_bands():
    assert LOW_AGREEMENT == 0.51
    # one group per rwg(j) value: two respondents whose answers differ by d on every item give
    # s̄² = d²/2, rwg(j) = J(1 − s̄²/2) / (J(1 − s̄²/2) + s̄²/2) with J = 1
    answers = np.array([[3.0, 3.0], [3.0, 4.0], [3.0, 4.4], [3.0, 4.6], [3.0, 5.0]])
    x = answers.reshape(-1, 1)
    groups = np.repeat(np.arange(5), 2)
    result = agreement_by_group(x, groups)
    for g in result.groups:
        assert g.band == rwg_band(g.rwg_j)
        assert g.low_agreement == (g.band in (BAND_WEAK, BAND_LACK))
    assert [g.band for g in result.groups] == [
        BAND_VERY_STRONG,  # 1.0
        BAND_STRONG,  # 1 − 0.5/2 = .75
        BAND_MODERATE,  # 1 − 0.98/2 = .51
        BAND_WEAK,  # 1 − 1.28/2 = .36
        BAND_LACK,  # 1 − 2/2 = 0
    ]


# --------------------------------------------------------------------------- split flag


def _one_unit(scores):
    scores = np.asarray(scores, dtype=float)
    n = scores.size
    return agreement_by_group(np.ones((n, 2)), np.zeros(n, dtype=int), scores=scores).groups[0]


def test_split_on_two_clear_camps():
    r = _one_unit([1.0, 1.5, 1.5, 2.0, 4.0, 4.5, 4.5, 5.0])
    # best cut between 2.0 and 4.0: gap 4.5 − 1.5 = 3; between SS 8·(1.5)² = 18,
    # total SS 18 + 2·(0.5² + 0.5²) = 19, R² = 18/19
    assert r.split_gap == pytest.approx(3.0)
    assert r.split_r2 == pytest.approx(18 / 19)
    assert r.split and r.polarized


def test_spread_without_camps_is_not_split():
    # the old rule's case: a quarter in each outer third, the rest in the middle
    r = _one_unit([1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 4.0, 5.0])
    assert r.share_low == pytest.approx(0.25) and r.share_high == pytest.approx(0.25)
    assert r.split_r2 < split_r2_threshold(8)
    assert not r.split
    # evenly spread over the scale: R² ≈ .75 (the uniform's), below the threshold at n = 9
    even = _one_unit(np.linspace(1, 5, 9))
    assert even.split_r2 == pytest.approx(0.75, abs=0.02) and not even.split


def test_split_needs_the_camps_far_enough_apart():
    # two tight groups only 1.5 points apart (less than 1.75 on 1–5): R² is high, no flag
    r = _one_unit([2.0, 2.0, 2.0, 2.0, 3.5, 3.5, 3.5, 3.5])
    assert r.split_r2 == pytest.approx(1.0) and r.split_gap == pytest.approx(1.5)
    assert not r.split
    r2 = _one_unit([2.0, 2.0, 2.0, 2.0, 3.75, 3.75, 3.75, 3.75])  # exactly 1.75 apart
    assert r2.split


def test_split_needs_a_quarter_in_each_camp():
    # one dissenter among seven: the cut 1 | 4.5 … would leave 1/7 < 25 % on one side; the
    # best cut with at least two on each side puts the dissenter with two others (R² .33)
    r = _one_unit([1.0, 4.5, 4.5, 4.75, 4.75, 5.0, 5.0])
    assert not r.split
    scores = np.array([1.0, 4.5, 4.5, 4.75, 4.75, 5.0, 5.0])
    between = 3 * 4 / 7 * (scores[3:].mean() - scores[:3].mean()) ** 2  # cut after 1, 4.5, 4.5
    total = ((scores - scores.mean()) ** 2).sum()
    assert r.split_r2 == pytest.approx(between / total, abs=1e-12)  # 0.331


def test_split_needs_six_scored():
    assert SPLIT_MIN_SCORED == 6
    r = _one_unit([1.0, 1.0, 5.0, 5.0, np.nan])  # four scored, two perfect camps
    assert r.n_scored == 4 and r.split_r2 == pytest.approx(1.0) and not r.split
    r5 = _one_unit([1.0, 1.0, 5.0, 5.0, 5.0])
    assert not r5.split
    r6 = _one_unit([1.0, 1.0, 1.0, 5.0, 5.0, 5.0])
    assert r6.split


def test_split_keeps_equal_scores_together():
    # all scores equal, or only two distinct values with one of them held by a single person:
    # no admissible cut, so no R² and no flag, with a note
    r = _one_unit([3.0] * 8)
    assert r.split_r2 is None and not r.split
    assert any(note.startswith("split_r2: ") for note in r.notes)


def test_split_gap_follows_the_scale():
    # 0–6 scale (7 options): the minimum gap is 0.4375 · 6 = 2.625 points
    scores_near = [1.0, 1.0, 1.0, 1.0, 3.5, 3.5, 3.5, 3.5]
    scores_far = [1.0, 1.0, 1.0, 1.0, 4.0, 4.0, 4.0, 4.0]
    for scores, expected in ((scores_near, False), (scores_far, True)):
        n = len(scores)
        r = agreement_by_group(
            np.ones((n, 1)),
            np.zeros(n, dtype=int),
            n_options=7,
            scale_min=0,
            scores=np.array(scores),
        ).groups[0]
        assert r.split is expected


def test_split_threshold_values():
    assert split_r2_threshold(6) == pytest.approx(0.70 + 0.40 / np.sqrt(6))
    assert split_r2_threshold(60) == pytest.approx(0.70 + 0.40 / np.sqrt(60))
    with pytest.raises(ScoringError):
        split_r2_threshold(0)


def test_split_is_computed_per_group_in_one_call():
    # the vectorized per-group split equals the split of each group alone
    rng = np.random.default_rng(21)
    groups = rng.integers(0, 8, 160)
    scores = np.round(rng.uniform(1, 5, 160) * 4) / 4
    scores[groups == 3] = np.where(rng.random((groups == 3).sum()) < 0.5, 1.25, 4.75)
    scores[rng.random(160) < 0.05] = np.nan
    together = agreement_by_group(np.ones((160, 1)), groups, scores=scores).by_label()
    assert together[3].split
    for label, g in together.items():
        alone = _one_unit(scores[groups == label])
        assert alone.split == g.split and alone.n_scored == g.n_scored
        assert alone.split_r2 == g.split_r2 or alone.split_r2 == pytest.approx(g.split_r2)
        assert alone.split_gap == g.split_gap or alone.split_gap == pytest.approx(g.split_gap)


def test_thirds_follow_the_scale():
    result = agreement_by_group(np.ones((2, 2)), [0, 0], n_options=7, scale_min=0)
    assert result.lower_third == pytest.approx(2.0)  # 0–6 scale
    assert result.upper_third == pytest.approx(4.0)


def test_default_scores_are_means_of_complete_rows():
    x = np.array([[1, 1], [1, 2], [5, 5], [5, 4], [3, np.nan], [1, 1], [5, 5]], dtype=float)
    r = agreement_by_group(x, np.zeros(7, dtype=int)).groups[0]
    assert r.n_scored == 6  # the incomplete row has no default score
    assert r.split  # 1, 1.5, 1 against 5, 4.5, 5


# --------------------------------------------------------------------------- ICC edge cases


def test_icc_drops_nan_scores():
    scores = np.array([1.0, 2.0, np.nan, 4.0, 5.0, 3.0, np.nan])
    groups = np.array(["a", "a", "a", "b", "b", "c", "c"])
    kept = ~np.isnan(scores)
    a, b = icc(scores, groups), icc(scores[kept], groups[kept])
    assert (a.n, a.n_groups) == (5, 3)
    assert a.icc1 == b.icc1 and a.icc2 == b.icc2


def test_icc_group_without_scores_does_not_count():
    r = icc(np.array([1.0, 2.0, 4.0, 5.0, np.nan]), np.array([0, 0, 1, 1, 2]))
    assert r.n_groups == 2 and r.df1 == 1 and r.df2 == 2


def test_icc_single_group():
    r = icc(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 0]))
    assert r.icc1 is None and r.icc2 is None and r.f is None and r.p is None
    assert r.n_groups == 1
    assert "icc1: 1 group(s) with a score; ICC needs at least two" in r.notes


def test_icc_one_respondent_per_group():
    r = icc(np.array([1.0, 2.0, 3.0]), np.array([0, 1, 2]))
    assert r.icc1 is None and r.df2 == 0
    assert any(note.startswith("icc1: no group has two or more scores") for note in r.notes)


def test_icc_all_scores_equal():
    r = icc(np.full(6, 3.0), np.repeat([0, 1], 3))
    assert r.icc1 is None and r.msb == 0.0 and r.msw == 0.0


def test_icc_no_within_group_variance():
    r = icc(np.array([1.0, 1.0, 4.0, 4.0]), np.array([0, 0, 1, 1]))
    assert (r.icc1, r.icc2, r.f, r.p) == (1.0, 1.0, float("inf"), 0.0)


def test_icc_equal_group_means():
    r = icc(np.array([1.0, 3.0, 1.0, 3.0]), np.array([0, 0, 1, 1]))
    assert r.msb == 0.0
    assert r.icc1 == pytest.approx(-1.0)  # (0 − MSW)/(0 + (2 − 1)·MSW): not truncated
    assert r.icc2 is None


def test_icc_one_way_anova_identity():
    rng = np.random.default_rng(11)
    groups = rng.integers(0, 6, 80)
    scores = rng.normal(3, 1, 80) + groups * 0.2
    r = icc(scores, groups)
    # ICC(2) is the Spearman–Brown step-up of ICC(1) to k raters (Bliese, 2000, eq. 6)
    k = r.k
    assert r.icc2 == pytest.approx(k * r.icc1 / (1 + (k - 1) * r.icc1), abs=1e-12)
    # F agrees with scipy's one-way ANOVA
    f, p = stats.f_oneway(*[scores[groups == g] for g in range(6)])
    assert r.f == pytest.approx(f, rel=1e-12) and r.p == pytest.approx(p, rel=1e-9)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rwg_j([1.0, 2.0, 3.0]), "2-D respondents × items"),
        (lambda: rwg_j(np.ones((3, 0))), "no item columns"),
        (lambda: rwg_j(np.ones((3, 2)), n_options=1), "at least 2"),
        (lambda: rwg_j(np.ones((3, 2)), n_options=4.5), "whole number of response options"),
        (lambda: agreement_by_group(np.ones((3, 2)), [1, 2]), "one label per respondent (3)"),
        (lambda: agreement_by_group(np.ones((2, 2)), [1.0, np.nan]), "no label at row 1"),
        (lambda: agreement_by_group(np.full((2, 2), 6.0), [1, 1]), "outside the scale 1–5"),
        (lambda: agreement_by_group(np.ones((2, 2)), [1, 1], scores=[1.0]), "one domain score"),
        (lambda: agreement_by_group([[1.0, np.inf]], [1]), "infinite value at row 0, column 1"),
        (lambda: icc(np.ones((2, 2)), [1, 2]), "1-D array"),
        (lambda: icc([1.0, np.inf], [1, 2]), "infinite"),
        (lambda: icc([1.0, 2.0], np.array([None, "a"], dtype=object)), "cannot be sorted"),
    ],
)
def test_bad_input_raises_scoring_error(call, message):
    with pytest.raises(ScoringError) as info:
        call()
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(scoring.agreement, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
