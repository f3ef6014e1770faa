"""scoring.change: Welch's t test, Hedges' g, Benjamini–Hochberg, the MDE and the verdicts.

R values come from tests/scoring/data/reference_values.R (R 4.2.2), run from the repository
root with ``Rscript tests/scoring/data/reference_values.R``; the R expression is quoted beside
each number. Tolerance: absolute 1e-6 (TOL) for every pinned value.
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import scoring.change
from scoring.change import (
    DECLINED,
    IMPROVED,
    MIN_IMPORTANT,
    NO_CLEAR_CHANGE,
    STABLE,
    TOO_FEW,
    benjamini_hochberg,
    compare_domains,
    mean_change,
    minimum_detectable_effect,
)
from scoring.errors import ScoringError

TOL = 1e-6

EARLIER = np.array([3.2, 3.6, 2.8, 4.0, 3.4, 3.0, 3.8, 2.6, 3.5, 3.1])
LATER = np.array([3.9, 4.2, 3.6, 4.4, 3.7, 4.8, 4.0, 3.3])
FLAT_EARLIER = np.array([4.1, 3.9, 4.0, 4.2, 3.8, 4.0])
FLAT_LATER = np.array([4.0, 4.1, 3.9, 4.2, 3.9, 4.1, 4.0])


def hedges_by_hand(earlier, later):
    """Hedges' g and its CI written out term by term (DESIGN.md section 7)."""
    n1, n2 = len(earlier), len(later)
    s1, s2 = np.var(earlier, ddof=1), np.var(later, ddof=1)
    pooled = np.sqrt(((n1 - 1) * s1 + (n2 - 1) * s2) / (n1 + n2 - 2))
    d = (np.mean(later) - np.mean(earlier)) / pooled
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    g = j * d
    half = 1.96 * np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    return g, (g - half, g + half)


# --------------------------------------------------------------------------- Welch against R


def test_welch_matches_r_t_test():
    # R: r <- t.test(later, earlier)
    c = mean_change(EARLIER, LATER)
    assert c.t == pytest.approx(3.14041249940706, abs=TOL)  # r$statistic
    assert c.df == pytest.approx(14.5858737535787, abs=TOL)  # r$parameter
    assert c.p == pytest.approx(0.0069303463917982, abs=TOL)  # r$p.value
    assert c.diff == pytest.approx(0.6875, abs=TOL)  # mean(later) - mean(earlier)
    # r$conf.int
    assert c.diff_ci95 == pytest.approx((0.219725912599957, 1.15527408740004), abs=TOL)
    assert (c.n_before, c.n_after) == (10, 8)
    assert c.notes == ()


def test_welch_matches_r_t_test_small_change():
    # R: r2 <- t.test(flat_later, flat_earlier)
    c = mean_change(FLAT_EARLIER, FLAT_LATER)
    assert c.t == pytest.approx(0.399999999999998, abs=TOL)  # r2$statistic
    assert c.df == pytest.approx(9.48779939278084, abs=TOL)  # r2$parameter
    assert c.p == pytest.approx(0.698013272764439, abs=TOL)  # r2$p.value
    assert c.diff_ci95 == pytest.approx((-0.131753689018072, 0.188896546160929), abs=TOL)


@pytest.mark.parametrize(("earlier", "later"), [(EARLIER, LATER), (FLAT_EARLIER, FLAT_LATER)])
def test_welch_matches_scipy(earlier, later):
    # scipy.stats.ttest_ind(later, earlier, equal_var=False) and .confidence_interval(0.95)
    ref = stats.ttest_ind(later, earlier, equal_var=False)
    ci = ref.confidence_interval(0.95)
    c = mean_change(earlier, later)
    assert c.t == pytest.approx(ref.statistic, abs=1e-12)
    assert c.df == pytest.approx(ref.df, abs=1e-9)
    assert c.p == pytest.approx(ref.pvalue, abs=1e-12)
    assert c.diff_ci95 == pytest.approx((ci.low, ci.high), abs=1e-12)


@pytest.mark.parametrize(("earlier", "later"), [(EARLIER, LATER), (FLAT_EARLIER, FLAT_LATER)])
def test_hedges_g_matches_formula_by_hand(earlier, later):
    g, ci = hedges_by_hand(earlier, later)
    c = mean_change(earlier, later)
    assert c.hedges_g == pytest.approx(g, abs=1e-12)
    assert c.hedges_g_ci95 == pytest.approx(ci, abs=1e-12)


def test_hedges_g_pinned():
    # By hand for EARLIER/LATER: s_p = √((9·0.19556 + 7·0.22696)/16), d = 0.6875 / s_p,
    # J = 1 − 3/(4·18 − 9) = 20/21; value from hedges_by_hand above, to 1e-6.
    c = mean_change(EARLIER, LATER)
    assert c.hedges_g == pytest.approx(1.43120561512146, abs=TOL)
    assert c.hedges_g_ci95 == pytest.approx((0.390560789808807, 2.47185044043412), abs=TOL)


def test_direction_is_later_minus_earlier():
    up, down = mean_change(EARLIER, LATER), mean_change(LATER, EARLIER)
    assert up.diff > 0 and down.diff == pytest.approx(-up.diff)
    assert down.t == pytest.approx(-up.t) and down.hedges_g == pytest.approx(-up.hedges_g)
    assert down.diff_ci95 == pytest.approx((-up.diff_ci95[1], -up.diff_ci95[0]))
    assert down.p == pytest.approx(up.p)


def test_nan_scores_are_dropped():
    a = mean_change(np.append(EARLIER, np.nan), np.insert(LATER, 2, np.nan))
    b = mean_change(EARLIER, LATER)
    assert (a.n_before, a.n_after) == (10, 8)
    assert a.t == b.t and a.hedges_g == b.hedges_g


# --------------------------------------------------------------------------- edge cases


def test_fewer_than_two_on_one_side():
    c = mean_change([3.0], [3.0, 4.0, 5.0])
    assert c.n_before == 1 and c.diff == pytest.approx(1.0)
    assert c.t is None and c.p is None and c.hedges_g is None and c.diff_ci95 is None
    assert c.sd_before is None and c.sd_after == pytest.approx(1.0)
    assert "t: 1 score(s) before and 3 after; each round needs at least two" in c.notes
    assert any(note.startswith("sd_before: ") for note in c.notes)


def test_no_scores_at_all():
    c = mean_change([np.nan, np.nan], [])
    assert c.n_before == 0 and c.n_after == 0
    assert c.mean_before is None and c.diff is None
    assert any(note.startswith("diff: ") for note in c.notes)


def test_zero_variance_on_both_sides():
    c = mean_change([4.0, 4.0, 4.0], [5.0, 5.0])
    assert c.diff == 1.0 and c.sd_before == 0.0
    assert c.t is None and c.hedges_g is None
    assert "t: no variation in either round, so the standard error is zero" in c.notes


def test_zero_variance_on_one_side_is_defined():
    c = mean_change([4.0, 4.0, 4.0], [4.0, 5.0, 3.0, 5.0])
    # s₁² = 0, so se = √(s₂²/n₂) and the Welch–Satterthwaite df reduce to n₂ − 1
    later_var = np.var([4.0, 5.0, 3.0, 5.0], ddof=1)
    assert c.t == pytest.approx(0.25 / np.sqrt(later_var / 4), abs=1e-12)
    assert c.df == pytest.approx(3.0, abs=1e-12)
    assert c.hedges_g is not None


# --------------------------------------------------------------------------- BH against R


def test_benjamini_hochberg_matches_r_with_na():
    p = [0.001, 0.008, np.nan, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, np.nan, 0.212, 0.216]
    # R: p.adjust(p, "BH")  (NA stay NA; m = 10 non-missing)
    expected = [
        0.010000000000000,
        0.040000000000000,
        np.nan,
        0.084000000000000,
        0.084000000000000,
        0.084000000000000,
        0.100000000000000,
        0.105714285714286,
        0.216000000000000,
        np.nan,
        0.216000000000000,
        0.216000000000000,
    ]
    np.testing.assert_allclose(benjamini_hochberg(p), expected, atol=TOL, rtol=0)


def test_benjamini_hochberg_matches_r_with_ties():
    # R: p.adjust(c(0.5, 0.01, 0.01, 0.03), "BH")
    np.testing.assert_allclose(
        benjamini_hochberg([0.5, 0.01, 0.01, 0.03]), [0.5, 0.02, 0.02, 0.04], atol=TOL, rtol=0
    )


def test_benjamini_hochberg_edge_cases():
    assert benjamini_hochberg([]).shape == (0,)
    assert np.isnan(benjamini_hochberg([np.nan, np.nan])).all()
    assert benjamini_hochberg([0.03]).tolist() == [0.03]  # m = 1: unchanged, as p.adjust


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), max_size=30))
def test_benjamini_hochberg_properties(p):
    p = np.array(p, dtype=float)
    q = benjamini_hochberg(p)
    missing = np.isnan(p)
    assert (np.isnan(q) == missing).all()
    kept, adjusted = p[~missing], q[~missing]
    assert (adjusted >= kept - 1e-15).all() and (adjusted <= 1).all()
    order = np.argsort(kept, kind="stable")
    assert (np.diff(adjusted[order]) >= -1e-15).all()  # monotone in p
    # nan entries do not count in m: same as adjusting the observed values alone
    np.testing.assert_array_equal(adjusted, benjamini_hochberg(kept))


@pytest.mark.parametrize("bad", [[0.2, 1.5], [-0.1], [[0.1, 0.2]]])
def test_benjamini_hochberg_rejects_non_p_values(bad):
    with pytest.raises(ScoringError):
        benjamini_hochberg(bad)


# --------------------------------------------------------------------------- MDE against R

# R: power.t.test(n = n, sd = 1, sig.level = .05, power = .8, strict = TRUE, tol = 1e-12)$delta
R_MDE_EQUAL = {2: 5.65348926619228, 10: 1.32494739257865, 30: 0.735621069597389}
# R (stats only; pwr is not installed), the same power, both tails, unequal n:
#   pw <- function(delta, n1, n2, alpha = 0.05) {
#     df <- n1 + n2 - 2; ncp <- delta * sqrt(n1 * n2 / (n1 + n2)); q <- qt(1 - alpha / 2, df)
#     pt(q, df, ncp = ncp, lower.tail = FALSE) + pt(-q, df, ncp = ncp) }
#   mde <- function(n1, n2, power = 0.8, alpha = 0.05)
#     uniroot(function(d) pw(d, n1, n2, alpha) - power, c(1e-6, 50), tol = 1e-12)$root
R_MDE_UNEQUAL = {
    (12, 40): 0.940303357415248,  # mde(12, 40)
    (5, 60): 1.32436900227889,  # mde(5, 60)
    (5, 4): 2.19342158196125,  # mde(5, 4)
}


@pytest.mark.parametrize(("n", "expected"), sorted(R_MDE_EQUAL.items()))
def test_mde_matches_r_power_t_test(n, expected):
    assert minimum_detectable_effect(n, n) == pytest.approx(expected, abs=TOL)


def test_mde_at_ten_per_round_is_about_1_3():
    # the number, and R's default power.t.test (strict = FALSE, one tail only, default
    # tolerance): power.t.test(n = 10, sd = 1, sig.level = .05, power = .8)$delta = 1.32494563914455
    assert minimum_detectable_effect(10, 10) == pytest.approx(1.32494563914455, abs=1e-5)
    assert round(minimum_detectable_effect(10, 10), 1) == 1.3


@pytest.mark.parametrize(("sizes", "expected"), sorted(R_MDE_UNEQUAL.items()))
def test_mde_unequal_groups_matches_r(sizes, expected):
    assert minimum_detectable_effect(*sizes) == pytest.approx(expected, abs=TOL)
    assert minimum_detectable_effect(*reversed(sizes)) == pytest.approx(expected, abs=TOL)


def test_mde_other_alpha_and_power_matches_r():
    # R: mde(25, 18, power = 0.9, alpha = 0.01) with the functions above
    assert minimum_detectable_effect(25, 18, alpha=0.01, power=0.9) == pytest.approx(
        1.24330438861474, abs=TOL
    )


def test_mde_has_the_requested_power_by_scipy_nct():
    # cross-check with scipy.stats.nct: at δ = MDE the two-sided power is 0.80
    n1, n2 = 17, 31
    delta = minimum_detectable_effect(n1, n2)
    df, ncp = n1 + n2 - 2, delta * np.sqrt(n1 * n2 / (n1 + n2))
    q = stats.t.ppf(0.975, df)
    assert stats.nct.sf(q, df, ncp) + stats.nct.cdf(-q, df, ncp) == pytest.approx(0.8, abs=1e-9)


def test_mde_shrinks_with_more_respondents():
    values = [minimum_detectable_effect(n, n) for n in (3, 5, 10, 20, 40, 80, 160)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))
    # and tends to the normal-approximation value (z.975 + z.80)·√(2/n)
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert minimum_detectable_effect(2000, 2000) == pytest.approx(z * np.sqrt(2 / 2000), rel=1e-3)


def test_mde_none_below_two_per_round():
    assert minimum_detectable_effect(1, 50) is None
    assert minimum_detectable_effect(50, 0) is None
    assert minimum_detectable_effect(2, 2) is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_before": -1, "n_after": 5}, "whole number of respondents"),
        ({"n_before": 2.5, "n_after": 5}, "whole number of respondents"),
        ({"n_before": 5, "n_after": 5, "alpha": 0.0}, "strictly between 0 and 1"),
        ({"n_before": 5, "n_after": 5, "power": 1.0}, "strictly between 0 and 1"),
        ({"n_before": 5, "n_after": 5, "alpha": 0.5, "power": 0.4}, "must exceed alpha"),
    ],
)
def test_mde_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ScoringError, match=message):
        minimum_detectable_effect(**kwargs)


def test_mean_change_carries_the_mde():
    c = mean_change(EARLIER, LATER)
    assert c.mde_g == pytest.approx(minimum_detectable_effect(10, 8), abs=1e-12)
    pooled = np.sqrt((9 * np.var(EARLIER, ddof=1) + 7 * np.var(LATER, ddof=1)) / 16)
    assert c.mde_points == pytest.approx(c.mde_g * pooled, abs=1e-12)


def test_mean_change_mde_edge_cases():
    one = mean_change([3.0], [3.0, 4.0, 5.0])
    assert one.mde_g is None and one.mde_points is None
    assert any(note.startswith("mde_g: 1 score(s) before and 3 after") for note in one.notes)
    flat = mean_change([4.0, 4.0, 4.0], [5.0, 5.0])
    assert flat.mde_g == pytest.approx(minimum_detectable_effect(3, 2))
    assert flat.mde_points is None
    assert "mde_points: no variation in either round" in flat.notes


# --------------------------------------------------------------------------- verdicts


def _column(rng, n, mean, sd=0.5):
    return rng.normal(mean, sd, n)


def test_compare_domains_verdicts():
    rng = np.random.default_rng(2024)
    n = 400
    small = _column(rng, n, 3.0)
    before = np.column_stack(
        [
            _column(rng, n, 3.0),  # A: clear rise (g ≈ +1)
            _column(rng, n, 3.5),  # B: clear fall (g ≈ −1)
            small,  # C: significant but small
            _column(rng, n, 3.0),  # D: nothing
        ]
    )
    after = np.column_stack(
        [
            _column(rng, 2 * n, 3.5),
            _column(rng, 2 * n, 3.0),
            np.concatenate([small, small]) + 0.08,  # the same scores, 0.08 higher: g ≈ 0.16
            _column(rng, 2 * n, 3.0),
        ]
    )
    result = compare_domains(before, after, ["A", "B", "C", "D"]).by_domain()
    assert result["A"].verdict == IMPROVED
    assert result["B"].verdict == DECLINED
    c = result["C"]
    # significant but below "small", and its CI within ±0.5: a real change too small to matter
    assert c.p_adjusted < 0.05 and abs(c.change.hedges_g) < 0.2
    assert c.verdict == STABLE
    assert result["D"].p_adjusted >= 0.05 and result["D"].verdict == STABLE


def test_verdict_needs_significance_after_adjustment():
    # A large effect from tiny samples: |g| ≥ 0.2 but adjusted p ≥ .05
    before = np.array([[3.0, 3.0], [3.4, 3.4], [2.8, 2.8]])
    after = np.array([[3.3, 3.3], [3.6, 3.6], [2.9, 2.9]])
    result = compare_domains(before, after)
    for d in result.domains:
        assert abs(d.change.hedges_g) >= 0.2
        assert d.p_adjusted >= 0.05
        assert d.verdict == TOO_FEW


def test_p_adjusted_is_bh_over_domains_with_a_p():
    rng = np.random.default_rng(5)
    before = rng.normal(3, 0.6, (30, 4))
    after = rng.normal(3.2, 0.6, (25, 4))
    after[:, 2] = np.nan  # domain 2 not scored in the later round: no test
    result = compare_domains(before, after, ["SAF", "TRU", "VOI", "EQU"])
    assert result.n_tests == 3
    p = np.array([np.nan if d.change.p is None else d.change.p for d in result.domains])
    expected = benjamini_hochberg(p)
    for d, q in zip(result.domains, expected, strict=True):
        if d.domain == "VOI":
            assert d.p_adjusted is None and d.verdict == TOO_FEW
        else:
            assert d.p_adjusted == pytest.approx(q, abs=1e-15)


def test_verdict_boundary_is_inclusive_for_g_and_strict_for_p():
    from scoring.change import MeanChange, _verdict

    def change(g):
        return MeanChange(
            n_before=10,
            n_after=10,
            mean_before=3.0,
            mean_after=3.1,
            sd_before=0.5,
            sd_after=0.5,
            diff=0.1,
            diff_ci95=(0.0, 0.2),
            t=1.0,
            df=18.0,
            p=0.01,
            hedges_g=g,
            hedges_g_ci95=(g - 0.1, g + 0.1),
        )

    assert _verdict(change(0.2), 0.049) == IMPROVED
    assert _verdict(change(-0.2), 0.049) == DECLINED
    assert _verdict(change(0.19999), 0.001) == STABLE  # CI (0.1, 0.3) inside ±0.5
    assert _verdict(change(0.5), 0.05) == TOO_FEW  # CI (0.4, 0.6) crosses +0.5
    # the stable bounds are strict: a CI reaching ±0.5 is not inside
    assert _verdict(change(0.4), 0.2) == TOO_FEW  # CI (0.3, 0.5)
    assert _verdict(change(0.39), 0.2) == STABLE  # CI (0.29, 0.49)
    assert _verdict(change(-0.39), 0.2) == STABLE
    assert _verdict(change(0.3), None) == TOO_FEW


def test_four_verdicts_on_constructed_rounds():
    rng = np.random.default_rng(77)
    # a large stable sample: 400 per round, the same distribution → CI of g within ±0.5
    stable_before, stable_after = rng.normal(3.5, 0.7, 400), rng.normal(3.5, 0.7, 400)
    # ten per round with a moderate difference (about half an SD): neither clear nor stable
    few_before = np.array([3.1, 3.6, 2.9, 3.4, 4.0, 3.3, 2.7, 3.8, 3.5, 3.2])
    few_after = few_before + 0.35 + np.array([0.2, -0.3, 0.1, 0.0, -0.2, 0.3, -0.1, 0.2, 0.0, -0.2])
    # a clear rise: 60 per round, one SD up
    rise_before, rise_after = rng.normal(3.0, 0.6, 60), rng.normal(3.6, 0.6, 60)
    before = np.full((400, 3), np.nan)
    after = np.full((400, 3), np.nan)
    before[:, 0], after[:, 0] = stable_before, stable_after
    before[:10, 1], after[:10, 1] = few_before, few_after
    before[:60, 2], after[:60, 2] = rise_before, rise_after
    result = compare_domains(before, after, ["stable", "few", "rise"]).by_domain()

    stable = result["stable"]
    low, high = stable.change.hedges_g_ci95
    assert -MIN_IMPORTANT < low and high < MIN_IMPORTANT
    assert stable.verdict == STABLE

    few = result["few"]
    assert 0.3 < few.change.hedges_g < 1.0  # a moderate difference ...
    assert few.change.mde_g == pytest.approx(R_MDE_EQUAL[10], abs=TOL)  # ... below the MDE
    assert few.p_adjusted >= 0.05
    assert few.verdict == TOO_FEW

    rise = result["rise"]
    assert rise.verdict == IMPROVED and rise.change.hedges_g > 0.5

    verdicts = {d.verdict for d in result.values()}
    assert NO_CLEAR_CHANGE not in verdicts


def test_verdict_is_never_the_legacy_value():
    rng = np.random.default_rng(3)
    for n in (2, 3, 5, 10, 30):
        before = rng.normal(3, 0.8, (n, 6))
        after = rng.normal(3.1, 0.8, (n + 1, 6))
        after[:, 5] = np.nan
        for d in compare_domains(before, after).domains:
            assert d.verdict in {IMPROVED, DECLINED, STABLE, TOO_FEW}
    assert NO_CLEAR_CHANGE == "no clear change"  # still exported for frozen reports


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mean_change(np.ones((2, 2)), [1.0, 2.0]), "1-D array"),
        (lambda: mean_change(["a", "b"], [1.0, 2.0]), "could not be read as numbers"),
        (lambda: mean_change([1.0, np.inf], [1.0, 2.0]), "infinite"),
        (lambda: compare_domains([1.0, 2.0], [[1.0]]), "2-D respondents × domains"),
        (lambda: compare_domains(np.ones((3, 2)), np.ones((3, 3))), "same domains"),
        (lambda: compare_domains(np.ones((3, 2)), np.ones((3, 2)), ["A"]), "one id per column"),
        (lambda: compare_domains(np.ones((3, 2)), np.ones((3, 2)), ["A", "A"]), "repeated id"),
    ],
)
def test_malformed_input_raises(call, message):
    with pytest.raises(ScoringError) as info:
        call()
    assert message in str(info.value)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(scoring.change)
    assert tried > 0 and failures == 0
