"""scoring.reliability: the seeded BCa bootstrap intervals of alpha and omega.

The reference is ``scipy.stats.bootstrap(method = "BCa")`` (scipy's own implementation of
Efron 1987, section 14.3 and 15.4 of Efron & Tibshirani 1993), given the row indices as its
data and a plain statistic that computes alpha (or omega, through a fresh fit) of the rows
it is handed. Drawing from the same seed, scipy resamples exactly the rows reliability()
resamples, so the intervals must agree to rounding; any difference in the resampling, the
jackknife, z₀, the acceleration or the quantiles would show.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from scoring import reliability as reliability_module
from scoring.reliability import (
    _BOOT_CELLS,
    AUTO_BOOTSTRAP_MIN_N,
    CI_BOOTSTRAP,
    CI_FELDT,
    MIN_COMPLETE,
    N_BOOT,
    mean_abs_skewness,
    reliability,
)


def one_factor(seed: int, n: int, k: int, shift: float = 0.0) -> np.ndarray:
    """n × k answers on a 1–5 scale from one factor (loadings .5–.8), thresholds
    −1.5, −.5, .5, 1.5 moved down by ``shift`` (answers piled at 5 as it grows)."""
    rng = np.random.default_rng(seed)
    lam = np.linspace(0.5, 0.8, k)
    latent = rng.standard_normal((n, 1)) * lam + rng.standard_normal((n, k)) * np.sqrt(1 - lam**2)
    return 1.0 + np.searchsorted(np.array([-1.5, -0.5, 0.5, 1.5]) - shift, latent).astype(float)


def alpha_of_rows(x: np.ndarray):
    def statistic(idx, axis=-1):
        rows = x[idx]  # (..., n, k)
        centred = rows - rows.mean(axis=-2, keepdims=True)
        cov = np.einsum("...ni,...nj->...ij", centred, centred)
        k = x.shape[1]
        return k / (k - 1) * (1 - np.trace(cov, axis1=-2, axis2=-1) / cov.sum(axis=(-2, -1)))

    return statistic


def scipy_bca(x, statistic, n_boot, seed, vectorized=True):
    n = x.shape[0]
    return stats.bootstrap(
        (np.arange(n),),
        statistic,
        n_resamples=n_boot,
        method="BCa",
        rng=np.random.default_rng(seed),
        vectorized=vectorized,
        batch=max(1, min(n_boot, _BOOT_CELLS // n)),  # reliability()'s chunks of draws
    ).confidence_interval


@pytest.mark.parametrize(("n", "k", "shift", "seed"), [(60, 5, 2.0, 1), (200, 8, 0.0, 2)])
def test_alpha_bca_is_scipys_bca_on_the_same_resamples(n, k, shift, seed):
    x = one_factor(seed, n, k, shift)
    r = reliability(x, ci="bootstrap", n_boot=1000, seed=7)
    ref = scipy_bca(x, alpha_of_rows(x), 1000, 7)
    assert r.alpha_ci_method == CI_BOOTSTRAP
    assert (r.alpha_ci_low, r.alpha_ci_high) == pytest.approx((ref.low, ref.high), abs=1e-12)


def test_omega_bca_is_scipys_bca_on_the_same_resamples():
    # omega of each resample refitted from scratch by reliability() itself (psych's start,
    # Newton to machine precision): the batched warm-started fits must give the same values
    x = one_factor(3, 80, 5)

    def omega(idx):
        return reliability(x[idx]).omega_estimate

    r = reliability(x, ci="bootstrap", n_boot=300, seed=11)
    ref = scipy_bca(x, omega, 300, 11, vectorized=False)
    assert r.omega_total is not None
    assert (r.omega_ci_low, r.omega_ci_high) == pytest.approx((ref.low, ref.high), abs=1e-9)


def test_the_same_seed_gives_the_same_intervals_and_another_seed_nearly_the_same():
    x = one_factor(4, 120, 6, 1.5)
    a = reliability(x, ci="bootstrap")
    b = reliability(x, ci="bootstrap")
    c = reliability(x, ci="bootstrap", seed=12345)
    assert a == b
    for low, high in ((a.alpha_ci_low, a.alpha_ci_high), (a.omega_ci_low, a.omega_ci_high)):
        assert low < high
    # B = 2000: the endpoints move by Monte Carlo error only (well below 0.02 here)
    assert c.alpha_ci_low == pytest.approx(a.alpha_ci_low, abs=0.02)
    assert c.omega_ci_high == pytest.approx(a.omega_ci_high, abs=0.02)
    assert (c.alpha_ci_low, c.alpha_ci_high) != (a.alpha_ci_low, a.alpha_ci_high)
    assert N_BOOT == 2000


def test_bootstrap_intervals_hold_the_estimates_and_widen_with_the_level():
    x = one_factor(5, 150, 6)
    r95 = reliability(x, ci="bootstrap")
    r80 = reliability(x, ci="bootstrap", confidence=0.80)
    assert r95.alpha_ci_low < r95.alpha < r95.alpha_ci_high
    assert r95.omega_ci_low < r95.omega_total < r95.omega_ci_high
    assert r95.alpha_ci_low < r80.alpha_ci_low < r80.alpha_ci_high < r95.alpha_ci_high
    assert r95.omega_ci_low < r80.omega_ci_low < r80.omega_ci_high < r95.omega_ci_high


def test_feldt_is_the_default_and_gives_no_omega_interval():
    x = one_factor(6, 100, 5)
    r = reliability(x)
    assert r.alpha_ci_method == CI_FELDT
    assert (r.omega_ci_low, r.omega_ci_high) == (None, None)
    assert r.omega_total is not None


def test_no_bootstrap_below_the_minimum_of_complete_responses():
    x = one_factor(7, MIN_COMPLETE - 1, 5)
    r = reliability(x, ci="bootstrap")
    feldt = reliability(x)
    assert r.alpha_ci_method == CI_FELDT
    assert (r.alpha_ci_low, r.alpha_ci_high) == (feldt.alpha_ci_low, feldt.alpha_ci_high)
    assert (r.omega_ci_low, r.omega_ci_high) == (None, None)
    assert any(n.startswith("bootstrap: needs at least 30 complete responses") for n in r.notes)
    assert reliability(one_factor(7, MIN_COMPLETE, 5), ci="bootstrap").omega_ci_low is not None


def test_a_withheld_omega_gets_no_interval():
    x = one_factor(8, 100, 5)
    x[:, 2] = 6 - x[:, 2]  # an item not keyed
    r = reliability(x, ci="bootstrap")
    assert r.omega_withheld == "reversed"
    assert (r.omega_total, r.omega_ci_low, r.omega_ci_high) == (None, None, None)
    assert r.alpha_ci_method == CI_BOOTSTRAP


def test_auto_keeps_feldt_for_alpha_on_symmetric_answers_and_bootstraps_omega():
    x = one_factor(9, 100, 6)
    assert mean_abs_skewness(x) < 0.5
    r = reliability(x, ci="auto")
    assert r.alpha_ci_method == CI_FELDT
    assert r.omega_ci_low is not None


def test_auto_bootstraps_alpha_on_answers_piled_at_agree():
    x = one_factor(10, 100, 6, 2.0)
    assert mean_abs_skewness(x) > 1.2
    r = reliability(x, ci="auto")
    b = reliability(x, ci="bootstrap")
    assert r.alpha_ci_method == CI_BOOTSTRAP
    assert (r.alpha_ci_low, r.alpha_ci_high) == (b.alpha_ci_low, b.alpha_ci_high)
    # but not below AUTO_BOOTSTRAP_MIN_N complete responses, where BCa covers no better
    small = one_factor(10, AUTO_BOOTSTRAP_MIN_N - 1, 6, 2.0)
    assert reliability(small, ci="auto").alpha_ci_method == CI_FELDT


def test_large_samples_bootstrap_from_the_normal_limit_of_the_moments(monkeypatch):
    # above _BOOT_ROWS_MAX rows the resampled moments are drawn from their normal limit and
    # the jackknife deletes groups; the limit is lowered here so that scipy's row-resampling
    # BCa (whose jackknife holds n × (n − 1) rows) stays quick: the interval must stay
    # within Monte Carlo error of it
    assert reliability_module._BOOT_ROWS_MAX == 5_000
    monkeypatch.setattr(reliability_module, "_BOOT_ROWS_MAX", 500)
    x = one_factor(11, 1_200, 5, 1.5)
    r = reliability(x, ci="bootstrap", n_boot=2000)
    ref = scipy_bca(x, alpha_of_rows(x), 2000, 3)
    # two seeds of the row-resampling bootstrap itself differ by up to about 5 % of the
    # width at B = 2000
    width = ref.high - ref.low
    assert r.alpha_ci_low == pytest.approx(ref.low, abs=0.10 * width)
    assert r.alpha_ci_high == pytest.approx(ref.high, abs=0.10 * width)
    assert r.omega_ci_low < r.omega_total < r.omega_ci_high


def test_an_item_constant_in_many_resamples_leaves_omega_without_interval():
    # one "disagree" among 40 answers, from the respondent lowest on the other items: about
    # 1 resample in 2.7 leaves that item constant
    x = one_factor(12, 40, 4, 1.0)
    x[:, 3] = 5.0
    x[np.argmin(x[:, :3].sum(axis=1)), 3] = 2.0
    r = reliability(x, ci="bootstrap")
    assert r.omega_total is not None
    assert (r.omega_ci_low, r.omega_ci_high) == (None, None)
    assert any(n.startswith("omega_ci: undefined") for n in r.notes)
