"""scoring.reliability: alpha, Feldt's interval, standardized alpha, item statistics, omega.

Expected values come from tests/scoring/data/reference_scores_reliability.R, run with
R 4.2.2 and psych 2.2.9 on the complete cases of the CSV files beside it; each block names
the R call. Tolerances:

- closed-form values (alpha, its CI, standardized alpha, r̄, r.drop, alpha if deleted):
  relative 1e-12, i.e. R's 15 printed digits;
- omega total of the score as keyed against psych's ``omega(x, nfactors = 1,
  flip = FALSE)$omega.tot`` (the R calls below, run with psych 2.2.9): absolute 1e-6, because
  psych's optimizer (``optim`` L-BFGS-B, default ``factr``) stops about 1e-7 short of the
  minres minimum; against the same minimum solved to machine precision in R (BFGS on the
  loadings, ``reltol = 1e-16``): absolute 1e-9.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scoring.errors import ScoringError
from scoring.matrix import key_items
from scoring.reliability import (
    FLAG_CAUTION,
    FLAG_TOO_FEW,
    FLAG_UNRELIABLE,
    FLAG_WEAK_ITEM,
    reliability,
)

REL = 1e-12
PSYCH_OMEGA_TOL = 1e-6
TIGHT_OMEGA_TOL = 1e-9

# psych::alpha(cc), omega(cc, nfactors = 1, flip = FALSE), fa(cor(cc), 1, fm = "minres") with
# cc <- d[complete.cases(d), ]; "tight" = minres_tight() in the R script;
# rms = fa(cc, 1, fm = "minres")$rms; alpha_pairwise = alpha(d, use = "pairwise")$total$raw_alpha
# on all rows (d keyed as the case says, A3 <- 6 - A3).
PSYCH = {
    "domain_a keyed": dict(
        file="domain_a.csv",
        reverse=2,
        n_complete=30,
        raw_alpha=0.714321683956088,
        std_alpha=0.712157328749252,
        average_r=0.331024929229368,
        feldt=(0.513159515408008, 0.84874382667938),
        r_drop=(
            0.656425402420633,
            0.488987227865686,
            0.360741463924802,
            0.5255966674493,
            0.350160797471242,
        ),
        alpha_drop=(
            0.580945725599814,
            0.661770244821092,
            0.714937286202965,
            0.643649429776597,
            0.709542684226228,
        ),
        omega_tot=0.723990039248659,
        tight_loadings=(
            0.809293796920507,
            0.608040681217177,
            0.432689885471463,
            0.628539478746536,
            0.430899018221594,
        ),
        tight_omega=0.723990009579419,
        rms=0.08008035050723,
        alpha_pairwise=0.755917459201529,
        withheld=None,
    ),
    "domain_a as answered": dict(
        file="domain_a.csv",
        reverse=None,
        n_complete=30,
        raw_alpha=0.378787878787879,
        std_alpha=0.427148215093973,
        average_r=0.129776778433663,
        feldt=(-0.0586425120163536, 0.671091003419078),
        r_drop=(
            0.32428453884041,
            0.512915270413535,
            -0.360741463924802,
            0.39440052972351,
            0.37724986017022,
        ),
        alpha_drop=(
            0.2,
            0.0701381509032945,
            0.714937286202965,
            0.136622390891841,
            0.199023482910951,
        ),
        # omega(cc, nfactors = 1, flip = FALSE)$omega.tot: A3 (loading < 0) lowers omega
        # instead of being reversed for it (flip = TRUE gives the keyed 0.723990039248659)
        omega_tot=0.577729137169558,
        tight_loadings=(
            0.809293796920507,
            0.608040681217177,
            -0.432689885471463,
            0.628539478746536,
            0.430899018221594,
        ),
        # 1 - sum(1 - lt^2) / sum(R), lt = minres_tight(R, fa(R, 1)$loadings), R = cor(cc)
        tight_omega=0.57772909177824,
        rms=0.08008035050723,
        alpha_pairwise=0.448378523096456,
        withheld="reversed",
    ),
    "domain_b": dict(
        file="domain_b.csv",
        reverse=None,
        n_complete=29,
        raw_alpha=0.481828965814731,
        std_alpha=0.468778428410865,
        average_r=0.180739794832311,
        feldt=(0.0862676829340686, 0.732745946621893),
        r_drop=(0.0742649605705944, 0.392453692245401, 0.509082399425879, 0.182512423701518),
        alpha_drop=(0.588162762022195, 0.288160185722577, 0.158878504672897, 0.487891440501044),
        omega_tot=0.560665331832935,
        tight_loadings=(0.122413601352633, 0.514494494892907, 0.96109797422142, 0.293936744794595),
        tight_omega=0.560665261670947,
        rms=0.0523635071621983,
        alpha_pairwise=0.489290840287788,
        withheld=None,
    ),
    "domain_c": dict(
        file="domain_c.csv",
        reverse=None,
        n_complete=37,
        raw_alpha=0.885494668980908,
        std_alpha=0.88542584432679,
        average_r=0.562936165198897,
        feldt=(0.817065412045907, 0.934360411764851),
        r_drop=(
            0.861400407461698,
            0.742142769397305,
            0.657319805183525,
            0.577730480142385,
            0.664554165171279,
            0.703775143287165,
        ),
        alpha_drop=(
            0.837008206150778,
            0.858349472778136,
            0.872155287817938,
            0.883572567783094,
            0.873491786596889,
            0.865028782894737,
        ),
        omega_tot=0.88861162917981,
        tight_loadings=(
            0.941366371902281,
            0.799024974637742,
            0.695352594417831,
            0.624629377323971,
            0.706184470726532,
            0.744013306853429,
        ),
        tight_omega=0.888611954577614,
        rms=0.0738122067484191,
        alpha_pairwise=0.875341264297386,
        withheld=None,
    ),
}


def domain(reference_data, case):
    ref = PSYCH[case]
    d = reference_data(ref["file"])
    reverse = np.zeros(d.x.shape[1], dtype=bool)
    if ref["reverse"] is not None:
        reverse[ref["reverse"]] = True
    return key_items(d.x, reverse, 1, 5), ref


@pytest.mark.parametrize("case", sorted(PSYCH))
def test_alpha_and_item_statistics_match_psych(reference_data, case):
    x, ref = domain(reference_data, case)
    r = reliability(x, minimum=1, maximum=5)
    assert (r.n_respondents, r.n_complete, r.n_items) == (x.shape[0], ref["n_complete"], x.shape[1])
    assert r.alpha == pytest.approx(ref["raw_alpha"], rel=REL)
    assert (r.alpha_ci_low, r.alpha_ci_high) == pytest.approx(ref["feldt"], rel=REL)
    assert r.confidence == 0.95
    assert r.alpha_standardized == pytest.approx(ref["std_alpha"], rel=REL)
    assert r.mean_r == pytest.approx(ref["average_r"], rel=REL)
    assert [i.r_drop for i in r.items] == pytest.approx(ref["r_drop"], rel=REL)
    assert [i.alpha_if_deleted for i in r.items] == pytest.approx(ref["alpha_drop"], rel=REL)
    assert [i.index for i in r.items] == list(range(x.shape[1]))


@pytest.mark.parametrize("case", sorted(PSYCH))
def test_omega_total_matches_psych(reference_data, case):
    x, ref = domain(reference_data, case)
    r = reliability(x)
    assert r.omega_estimate == pytest.approx(ref["omega_tot"], abs=PSYCH_OMEGA_TOL)
    assert r.omega_estimate == pytest.approx(ref["tight_omega"], abs=TIGHT_OMEGA_TOL)
    loadings = [i.loading for i in r.items]
    assert loadings == pytest.approx(ref["tight_loadings"], abs=TIGHT_OMEGA_TOL)
    assert r.omega_rmsr == pytest.approx(ref["rms"], abs=PSYCH_OMEGA_TOL)
    assert r.omega_withheld == ref["withheld"]
    assert r.omega_total == (None if ref["withheld"] else r.omega_estimate)


@pytest.mark.parametrize("case", sorted(PSYCH))
def test_pairwise_alpha_matches_psych(reference_data, case):
    x, ref = domain(reference_data, case)
    assert reliability(x).alpha_pairwise == pytest.approx(ref["alpha_pairwise"], rel=REL)


def test_omega_is_withheld_when_an_item_loads_negatively(reference_data):
    x, _ = domain(reference_data, "domain_a as answered")
    r = reliability(x)
    assert r.items[2].loading < 0
    assert (r.omega_withheld, r.reversed_items, r.omega_total) == ("reversed", (2,), None)
    assert any(
        n.startswith("omega_total: withheld: item(s) in column(s) 2 load negatively")
        and n.endswith("check their keying")
        for n in r.notes
    )


def test_keyed_domain_a_is_not_withheld_although_its_rmsr_is_just_above_08(reference_data):
    # RMSR 0.0801 at n = 30 is sampling error: the unbiased RMSR is 0 (three of the five
    # items fit one factor exactly), so omega is shown
    x, _ = domain(reference_data, "domain_a keyed")
    r = reliability(x)
    assert r.omega_rmsr > 0.08 and r.omega_rmsr_unbiased < 0.08
    assert r.omega_withheld is None and r.omega_total == r.omega_estimate


def test_minres_solution_is_stationary(reference_data):
    # The minres loadings minimize g(λ) = Σ_{i≠j} (r_ij − λ_i λ_j)²: the gradient
    # −4 Σ_{j≠i} (r_ij − λ_i λ_j) λ_j vanishes at the solution.
    x, _ = domain(reference_data, "domain_c")
    complete = x[~np.isnan(x).any(axis=1)]
    corr = np.corrcoef(complete, rowvar=False)
    lam = np.array([i.loading for i in reliability(x).items])
    resid = corr - np.outer(lam, lam)
    np.fill_diagonal(resid, 0.0)
    assert np.abs(resid @ lam).max() < 1e-12


def test_docstring_example_matches_psych():
    # R: ex <- data.frame(a = c(1,2,3,4,5,3,2,4), b = c(2,1,4,3,5,4,2,3),
    #    c = c(2,3,3,5,4,2,1,4), d = c(3,2,2,4,5,3,1,3)); alpha(ex);
    #    omega(ex, nfactors = 1, flip = FALSE)$omega.tot; fa(ex, 1, fm = "minres")$rms
    x = np.array(
        [
            [1, 2, 3, 4, 5, 3, 2, 4],
            [2, 1, 4, 3, 5, 4, 2, 3],
            [2, 3, 3, 5, 4, 2, 1, 4],
            [3, 2, 2, 4, 5, 3, 1, 3],
        ],
        dtype=float,
    ).T
    r = reliability(x)
    assert r.alpha == pytest.approx(0.876712328767123, rel=REL)
    assert r.alpha_standardized == pytest.approx(0.877235485274627, rel=REL)
    assert r.omega_estimate == pytest.approx(0.883146696974836, abs=PSYCH_OMEGA_TOL)
    assert r.omega_rmsr == pytest.approx(0.0989024735496214, abs=PSYCH_OMEGA_TOL)
    # eight respondents: the misfit exceeds .08 without its sampling inflation and the test
    # of one-factor fit rejects (p = 0.014)
    assert r.omega_withheld == "multidimensional" and r.omega_total is None


# --- identities --------------------------------------------------------------------------


def test_alpha_equals_the_mean_covariance_form(reference_data):
    # pingouin's second form: α = k c̄ / (v̄ + (k − 1) c̄)
    x, _ = domain(reference_data, "domain_c")
    complete = x[~np.isnan(x).any(axis=1)]
    cov = np.cov(complete, rowvar=False)
    k = cov.shape[0]
    c_bar = cov[~np.eye(k, dtype=bool)].mean()
    v_bar = np.diag(cov).mean()
    assert reliability(x).alpha == pytest.approx(k * c_bar / (v_bar + (k - 1) * c_bar), rel=REL)


def test_standardized_alpha_is_alpha_of_standardized_items(reference_data):
    x, _ = domain(reference_data, "domain_b")
    complete = x[~np.isnan(x).any(axis=1)]
    z = (complete - complete.mean(axis=0)) / complete.std(axis=0, ddof=1)
    assert reliability(x).alpha_standardized == pytest.approx(reliability(z).alpha, rel=REL)


def test_r_drop_is_the_correlation_with_the_rest_score(reference_data):
    x, _ = domain(reference_data, "domain_a keyed")
    complete = x[~np.isnan(x).any(axis=1)]
    r = reliability(x)
    for j in range(x.shape[1]):
        rest = np.delete(complete, j, axis=1).sum(axis=1)
        expected = np.corrcoef(complete[:, j], rest)[0, 1]
        assert r.items[j].r_drop == pytest.approx(expected, rel=REL)


def test_alpha_if_deleted_is_alpha_of_the_other_items(reference_data):
    x, _ = domain(reference_data, "domain_c")
    r = reliability(x)
    for j in range(x.shape[1]):
        complete_rows = ~np.isnan(x).any(axis=1)
        rest = np.delete(x[complete_rows], j, axis=1)
        assert r.items[j].alpha_if_deleted == pytest.approx(reliability(rest).alpha, rel=REL)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(3, 40), st.integers(2, 6)),
        elements=st.one_of(st.integers(1, 5).map(float), st.just(np.nan)),
    ),
    st.randoms(use_true_random=False),
)
def test_reliability_does_not_depend_on_the_order_of_items_or_respondents(x, rnd):
    rows = list(range(x.shape[0]))
    cols = list(range(x.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    a = reliability(x)
    b = reliability(x[np.ix_(rows, cols)])
    assert b.n_complete == a.n_complete
    for field in ("alpha", "alpha_ci_low", "alpha_ci_high", "alpha_standardized", "mean_r"):
        va, vb = getattr(a, field), getattr(b, field)
        assert (va is None) == (vb is None)
        if va is not None:
            assert vb == pytest.approx(va, rel=1e-9, abs=1e-9)
    for new_pos, old_pos in enumerate(cols):
        ia, ib = a.items[old_pos], b.items[new_pos]
        for field in ("r_drop", "alpha_if_deleted"):
            va, vb = getattr(ia, field), getattr(ib, field)
            assert (va is None) == (vb is None)
            if va is not None:
                assert vb == pytest.approx(va, rel=1e-9, abs=1e-9)
    assert (a.omega_estimate is None) == (b.omega_estimate is None)
    if a.omega_estimate is not None and not any("Heywood" in n for n in a.notes + b.notes):
        assert b.omega_estimate == pytest.approx(a.omega_estimate, abs=1e-8)
        assert b.omega_rmsr == pytest.approx(a.omega_rmsr, abs=1e-8)


# --- flags -------------------------------------------------------------------------------


def one_factor(seed, n, loadings):
    rng = np.random.default_rng(seed)
    loadings = np.asarray(loadings)
    latent = rng.standard_normal((n, 1)) * loadings
    latent = latent + rng.standard_normal((n, loadings.size)) * np.sqrt(1 - loadings**2)
    return 1.0 + np.searchsorted([-1.5, -0.5, 0.5, 1.5], latent).astype(float)


def test_flags_follow_the_design_thresholds():
    strong = reliability(one_factor(1, 200, [0.8, 0.8, 0.75, 0.7]))
    assert strong.alpha >= 0.70 and strong.flags == ()
    caution = reliability(one_factor(2, 200, [0.7, 0.6, 0.6, 0.6]))
    assert 0.60 <= caution.alpha < 0.70
    assert caution.flags == (FLAG_CAUTION,)
    weak = reliability(one_factor(3, 200, [0.5, 0.45, 0.4, 0.4]))
    assert weak.alpha < 0.60
    assert weak.flags == (FLAG_UNRELIABLE,)


def test_an_item_with_a_low_corrected_item_total_correlation_is_flagged():
    r = reliability(one_factor(4, 200, [0.8, 0.8, 0.75, 0.05]))
    assert [bool(i.flags) for i in r.items] == [i.r_drop < 0.30 for i in r.items]
    assert r.items[3].flags == (FLAG_WEAK_ITEM,)
    assert r.items[0].flags == ()


def test_too_few_complete_responses_withhold_every_other_judgment(reference_data):
    # domain_b: 29 complete responses, alpha .48, items with r.drop < .30
    x, _ = domain(reference_data, "domain_b")
    r = reliability(x)
    assert r.n_complete == 29
    assert r.flags == (FLAG_TOO_FEW,)
    assert all(i.flags == () for i in r.items)
    assert r.alpha is not None  # still reported


def test_thirty_complete_responses_are_enough_to_judge(reference_data):
    x, _ = domain(reference_data, "domain_a as answered")
    r = reliability(x)
    assert r.n_complete == 30
    assert r.flags == (FLAG_UNRELIABLE,)
    assert [i.flags for i in r.items][2] == (FLAG_WEAK_ITEM,)


# --- values that cannot be computed ------------------------------------------------------


def test_one_item():
    r = reliability(np.array([[1.0], [2.0], [np.nan], [4.0]]))
    assert (r.n_items, r.n_complete, r.alpha, r.omega_total) == (1, 3, None, None)
    assert r.items[0].r_drop is None
    assert "alpha: needs at least 2 items (1 here)" in r.notes
    assert r.flags == ()


def test_two_items():
    x = np.array([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5]], dtype=float)
    r = reliability(x)
    cov = np.cov(x, rowvar=False)
    assert r.alpha == pytest.approx(2 * (1 - np.trace(cov) / cov.sum()), rel=REL)
    assert r.omega_total is None
    assert [i.alpha_if_deleted for i in r.items] == [None, None]
    assert r.items[0].r_drop == pytest.approx(np.corrcoef(x, rowvar=False)[0, 1], rel=REL)
    assert any(n.startswith("omega_total: needs at least 3 items") for n in r.notes)
    assert any(n.startswith("alpha_if_deleted: needs at least 3 items") for n in r.notes)


def test_a_constant_item_leaves_alpha_but_not_correlations():
    # R (constant item block): base-R formulas, psych's alpha() cannot take a constant item
    x = np.array(
        [
            [1, 2, 3, 4, 5, 3, 2, 4],
            [2, 1, 4, 3, 5, 4, 2, 3],
            [3, 3, 3, 3, 3, 3, 3, 3],
            [3, 2, 2, 4, 5, 3, 1, 3],
        ],
        dtype=float,
    ).T
    r = reliability(x)
    assert r.alpha == pytest.approx(0.772247360482655, rel=REL)
    assert (r.alpha_ci_low, r.alpha_ci_high) == pytest.approx(
        (0.323886605450055, 0.948843111114281), rel=REL
    )
    assert [r.items[j].r_drop for j in (0, 1, 3)] == pytest.approx(
        (0.808150570520598, 0.740788375269631, 0.701862406343596), rel=REL
    )
    assert r.items[2].r_drop is None
    assert [i.alpha_if_deleted for i in r.items] == pytest.approx(
        (0.569491525423729, 0.617363344051447, 0.868778280542986, 0.642857142857143), rel=REL
    )
    assert (r.alpha_standardized, r.mean_r, r.omega_total) == (None, None, None)
    assert any(n.startswith("r_drop: undefined for item(s) in column(s) 2") for n in r.notes)
    assert any(n.startswith("omega_total: correlations are undefined") for n in r.notes)


def test_no_variance_at_all():
    r = reliability(np.full((10, 3), 3.0))
    assert r.alpha is None and r.alpha_ci_low is None
    assert all(i.r_drop is None and i.alpha_if_deleted is None for i in r.items)
    assert "alpha: the total score does not vary among the complete responses" in r.notes


@pytest.mark.parametrize(
    "x",
    [
        np.full((5, 4), np.nan),  # all missing
        np.array([[1.0, 2.0, 3.0], [np.nan, 2.0, 1.0]]),  # one complete response
        np.empty((0, 4)),  # nobody
    ],
)
def test_fewer_than_two_complete_responses(x):
    r = reliability(x)
    assert r.n_complete < 2
    assert (r.alpha, r.alpha_ci_low, r.alpha_standardized, r.omega_total) == (None,) * 4
    assert r.flags == (FLAG_TOO_FEW,)
    assert any("needs at least 2 respondents who answered every item" in n for n in r.notes)
    assert len(r.items) == x.shape[1]


def test_heywood_case_is_noted_and_fits_at_least_as_well_as_psych():
    # R: h <- data.frame(a = 1:5, b = c(2,2,4,4,5), c = c(2,3,3,5,4));
    #    fa(cor(h), 1, fm = "minres")$loadings (psych warns: ultra-Heywood case)
    h = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 5, 4]], dtype=float)
    psych_loadings = np.array([1.0177504034292, 0.90500172317004, 0.790359281885863])
    r = reliability(h)
    assert r.alpha == pytest.approx(0.928571428571429, rel=REL)
    assert any("Heywood" in n for n in r.notes)
    corr = np.corrcoef(h, rowvar=False)

    def misfit(lam):
        resid = corr - np.outer(lam, lam)
        np.fill_diagonal(resid, 0.0)
        return float((resid**2).sum())

    ours = np.array([i.loading for i in r.items])
    assert misfit(ours) <= misfit(psych_loadings)


# --- malformed input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "kwargs", "message"),
    [
        ([1.0, 2.0, 3.0], {}, "2-D respondents × items matrix"),
        (np.empty((5, 0)), {}, "no items"),
        ([[1.0, np.inf]], {}, "infinite"),
        ([[1.0, 6.0], [2.0, 3.0]], dict(minimum=1, maximum=5), "outside the scale 1–5"),
        ([[1.0, 2.0]], dict(minimum=1), "both minimum and maximum"),
        ([[1.0, 2.0]], dict(confidence=1.0), "strictly between 0 and 1"),
        ([[1.0, 2.0]], dict(ci="percentile"), "ci must be one of feldt, bootstrap, auto"),
        ([[1.0, 2.0]], dict(n_boot=10), "n_boot must be a whole number"),
        ([[1.0, 2.0]], dict(n_boot=2000.0), "n_boot must be a whole number"),
    ],
)
def test_malformed_input_raises(x, kwargs, message):
    with pytest.raises(ScoringError, match=message):
        reliability(x, **kwargs)


def test_result_is_frozen_plain_floats(reference_data):
    x, _ = domain(reference_data, "domain_c")
    r = reliability(x)
    for value in (
        r.alpha,
        r.alpha_ci_low,
        r.alpha_ci_high,
        r.alpha_standardized,
        r.mean_r,
        r.omega_total,
        r.omega_estimate,
        r.omega_rmsr,
        r.omega_rmsr_unbiased,
        r.alpha_pairwise,
        r.items[0].r_drop,
        r.items[0].alpha_if_deleted,
        r.items[0].loading,
    ):
        assert type(value) is float
    with pytest.raises(AttributeError):
        r.alpha = 1.0  # type: ignore[misc]
