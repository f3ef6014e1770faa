"""Coverage of the 95% confidence intervals of alpha and omega on simulated staff-survey answers.

Answers to k items on a 5-point agreement scale are drawn from a one-factor model: for
respondent i and item j, y*ᵢⱼ = λⱼ fᵢ + √(1 − λⱼ²) eᵢⱼ with f, e standard normal and loadings
λ evenly spaced from 0.5 to 0.8, and the answer is 1 + the number of thresholds below y*.
Three answer shapes (:data:`SHAPES`), the thresholds of the symmetric shape shifted down:

* **symmetric**: thresholds −1.5, −0.5, 0.5, 1.5 (the middle point most common, 7 % at 5);
* **ceiling-heavy** ("piled at agree"): shifted by 1.5 — half the answers at 5, 84 % at 4–5;
* **extreme ceiling**: shifted by 2.0 — 69 % of the answers at 5.

For each shape, k in :data:`ITEMS` and n in :data:`SIZES`, :data:`REPLICATIONS` data sets are
drawn; each gets Feldt's interval of alpha (``reliability(x)``) and the BCa intervals of alpha
and omega (``reliability(x, ci = "bootstrap", n_boot = N_BOOT_SIM)``), and what
``ci = "auto"`` would give for alpha (BCa when the items' mean absolute skewness reaches
``AUTO_BOOTSTRAP_SKEW`` and n ≥ ``AUTO_BOOTSTRAP_MIN_N``, Feldt otherwise). Coverage is the
share of intervals that contain the population value, taken from one sample of
:data:`POPULATION_N` respondents of the same model (its Monte Carlo error is below 0.001).
With 250 replications the standard error of a coverage near .95 is about 0.014, near .90
about 0.019.

An omega that is withheld (an item loading negatively by chance, or the one-factor fit judged
poor), or whose interval is undefined (an item constant in more than 1 % of the resamples),
has no interval; the table gives that share and the coverage among the rest.

Run: ``.venv/bin/python -m benchmarks coverage`` (about 25 minutes on two busy CPUs).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from benchmarks.machine import machine
from scoring.reliability import (
    AUTO_BOOTSTRAP_MIN_N,
    AUTO_BOOTSTRAP_SKEW,
    CI_BOOTSTRAP,
    mean_abs_skewness,
    reliability,
)

SYMMETRIC = np.array([-1.5, -0.5, 0.5, 1.5])
#: answer shape → thresholds of the 5-point scale
SHAPES = {
    "symmetric": SYMMETRIC,
    "ceiling-heavy": SYMMETRIC - 1.5,
    "extreme ceiling": SYMMETRIC - 2.0,
}
ITEMS = (4, 8)
SIZES = (30, 50, 100, 300)
REPLICATIONS = 250
N_BOOT_SIM = 1000
POPULATION_N = 2_000_000
SEED = 20261204


def loadings(k: int) -> np.ndarray:
    """The k loadings of the simulation, evenly spaced from 0.5 to 0.8."""
    return np.linspace(0.5, 0.8, k)


def answers(rng: np.random.Generator, n: int, k: int, thresholds: np.ndarray) -> np.ndarray:
    """n × k answers (1–5) of the one-factor model cut at ``thresholds``."""
    lam = loadings(k)
    latent = rng.standard_normal((n, 1)) * lam + rng.standard_normal((n, k)) * np.sqrt(1 - lam**2)
    return 1.0 + np.searchsorted(thresholds, latent).astype(float)


@functools.cache
def population(shape: str, k: int) -> tuple[float, float]:
    """Alpha and omega of the model, from one sample of :data:`POPULATION_N` respondents."""
    rng = np.random.default_rng([SEED, k, list(SHAPES).index(shape)])
    r = reliability(answers(rng, POPULATION_N, k, SHAPES[shape]))
    assert r.alpha is not None and r.omega_estimate is not None
    return r.alpha, r.omega_estimate


@dataclass(frozen=True)
class Coverage:
    """Empirical coverage of one cell of the simulation."""

    shape: str
    n: int
    k: int
    replications: int
    mean_skewness: float
    feldt: float
    bca_alpha: float
    auto_alpha: float
    auto_bootstrap_share: float
    bca_omega: float
    omega_no_interval_share: float
    feldt_width: float
    bca_alpha_width: float


def coverage(
    shape: str,
    n: int,
    k: int,
    replications: int = REPLICATIONS,
    n_boot: int = N_BOOT_SIM,
    seed: int = SEED,
) -> Coverage:
    """Coverage of Feldt's, BCa's and "auto"'s alpha intervals and of BCa's omega interval,
    over ``replications`` data sets of n respondents × k items of ``shape``."""
    thresholds = SHAPES[shape]
    alpha_pop, omega_pop = population(shape, k)
    rng = np.random.default_rng([seed, n, k, list(SHAPES).index(shape)])
    feldt = bca = auto = chose = omega_hit = omega_shown = 0
    skew_sum = feldt_width = bca_width = 0.0
    for rep in range(replications):
        x = answers(rng, n, k, thresholds)
        plain = reliability(x)
        boot = reliability(x, ci="bootstrap", n_boot=n_boot, seed=rep)
        skew = mean_abs_skewness(x)
        skew_sum += skew
        in_feldt = plain.alpha_ci_low <= alpha_pop <= plain.alpha_ci_high
        in_bca = (
            boot.alpha_ci_method == CI_BOOTSTRAP
            and boot.alpha_ci_low <= alpha_pop <= boot.alpha_ci_high
        )
        uses_bootstrap = skew >= AUTO_BOOTSTRAP_SKEW and n >= AUTO_BOOTSTRAP_MIN_N
        feldt += in_feldt
        bca += in_bca
        chose += uses_bootstrap
        auto += in_bca if uses_bootstrap else in_feldt
        feldt_width += plain.alpha_ci_high - plain.alpha_ci_low
        bca_width += boot.alpha_ci_high - boot.alpha_ci_low
        if boot.omega_ci_low is not None:
            omega_shown += 1
            omega_hit += boot.omega_ci_low <= omega_pop <= boot.omega_ci_high
    return Coverage(
        shape=shape,
        n=n,
        k=k,
        replications=replications,
        mean_skewness=skew_sum / replications,
        feldt=feldt / replications,
        bca_alpha=bca / replications,
        auto_alpha=auto / replications,
        auto_bootstrap_share=chose / replications,
        bca_omega=omega_hit / omega_shown if omega_shown else float("nan"),
        omega_no_interval_share=1 - omega_shown / replications,
        feldt_width=feldt_width / replications,
        bca_alpha_width=bca_width / replications,
    )


def two_factor_answers(rng: np.random.Generator, n: int, thresholds: np.ndarray) -> np.ndarray:
    """n × 6 answers: two unrelated factors of three items each (loadings .5, .6, .7)."""
    lam = np.tile([0.5, 0.6, 0.7], 2)
    factors = np.repeat(rng.standard_normal((n, 2)), 3, axis=1)
    latent = factors * lam + rng.standard_normal((n, 6)) * np.sqrt(1 - lam**2)
    return 1.0 + np.searchsorted(thresholds, latent).astype(float)


def withholding(n: int, two_factors: bool, replications: int = 200) -> dict[str, float]:
    """Share of data sets (six items, symmetric answers) whose omega is withheld, by reason:
    one factor with loadings .5–.7 (the rule should stay quiet), or two unrelated factors of
    three items (it should speak)."""
    rng = np.random.default_rng([SEED, n, int(two_factors)])
    counts = {"multidimensional": 0, "reversed": 0}
    for _ in range(replications):
        if two_factors:
            x = two_factor_answers(rng, n, SYMMETRIC)
        else:
            lam = np.tile([0.5, 0.6, 0.7], 2)
            latent = rng.standard_normal((n, 1)) * lam + rng.standard_normal((n, 6)) * np.sqrt(
                1 - lam**2
            )
            x = 1.0 + np.searchsorted(SYMMETRIC, latent).astype(float)
        r = reliability(x)
        if r.omega_withheld is not None:
            counts[r.omega_withheld] += 1
    return {reason: count / replications for reason, count in counts.items()}


def timing(repeats: int = 5) -> tuple[float, float]:
    """Best of ``repeats`` wall times of ``reliability(..., ci="auto")`` (default B) on a
    12-domain scope of n = 300 with 4–8 items (ceiling-heavy, so that alpha is bootstrapped
    where the rule says so and omega always), and of ``ci="feldt"`` on the same."""
    rng = np.random.default_rng(SEED)
    domains = [answers(rng, 300, 4 + d % 5, SHAPES["extreme ceiling"]) for d in range(12)]
    best_auto = best_feldt = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for x in domains:
            reliability(x, ci="auto")
        best_auto = min(best_auto, time.perf_counter() - start)
        start = time.perf_counter()
        for x in domains:
            reliability(x)
        best_feldt = min(best_feldt, time.perf_counter() - start)
    return best_auto, best_feldt


def main() -> None:
    print(f"machine: {machine()}")
    print(
        f"{REPLICATIONS} data sets per cell, B = {N_BOOT_SIM}, population from "
        f"{POPULATION_N:,} respondents; auto = BCa when mean |skewness| >= "
        f"{AUTO_BOOTSTRAP_SKEW} and n >= {AUTO_BOOTSTRAP_MIN_N}"
    )
    for shape in SHAPES:
        for k in ITEMS:
            a, o = population(shape, k)
            print(f"population {shape}, k = {k}: alpha {a:.4f}, omega {o:.4f}")
    print(
        "| shape | k | n | mean abs skew | Feldt α | BCa α | auto α (BCa share) | BCa ω "
        "(no ω interval) | width Feldt / BCa |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    start = time.perf_counter()
    for shape in SHAPES:
        for k in ITEMS:
            for n in SIZES:
                c = coverage(shape, n, k)
                print(
                    f"| {shape} | {k} | {n} | {c.mean_skewness:.2f} | {c.feldt:.3f} | "
                    f"{c.bca_alpha:.3f} | {c.auto_alpha:.3f} ({c.auto_bootstrap_share:.0%}) | "
                    f"{c.bca_omega:.3f} ({c.omega_no_interval_share:.0%}) | "
                    f"{c.feldt_width:.3f} / {c.bca_alpha_width:.3f} |",
                    flush=True,
                )
    print(f"simulation: {time.perf_counter() - start:.0f} s")
    print("omega withheld (200 data sets of six items each): one factor | two factors")
    for n in SIZES:
        one, two = withholding(n, False), withholding(n, True)
        print(
            f"n = {n}: multidimensional {one['multidimensional']:.1%}, reversed "
            f"{one['reversed']:.1%} | multidimensional {two['multidimensional']:.1%}, "
            f"reversed {two['reversed']:.1%}"
        )
    auto, feldt = timing()
    print(
        f"12 domains, n = 300, 4–8 items, extreme ceiling: ci='auto' (B = default) best "
        f"{auto:.3f} s; ci='feldt' best {feldt:.3f} s"
    )


if __name__ == "__main__":
    main()
