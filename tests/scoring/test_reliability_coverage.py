"""scoring.reliability: the rule behind ``ci = "auto"``, checked by a small coverage simulation.

The simulation is the one of ``benchmarks/bench_coverage.py`` (docs/benchmarks.md, "Confidence
intervals of reliability: coverage"), cut down to one cell per shape with fixed seeds:
n = 50, B = 500, eight items and 200 data sets piled at "agree", five items and 100 symmetric
data sets. With 200 data sets a coverage near .95 has a standard error of about 0.015 and one
near .88 about 0.023 (but Feldt's and BCa's intervals are computed on the same data sets, so
their difference varies much less); the assertions leave room for that.
"""

from __future__ import annotations

import numpy as np

from benchmarks.bench_coverage import SHAPES, answers
from scoring.reliability import CI_BOOTSTRAP, reliability

N = 50
N_BOOT = 500
POPULATION_N = 400_000  # Monte Carlo error of the population alpha about 0.001


def simulate(shape: str, k: int, datasets: int, seed: int) -> tuple[float, float, float]:
    """Coverage of Feldt's and of ci = "auto"'s 95% interval of alpha, and the share of data
    sets for which "auto" chose the bootstrap."""
    rng = np.random.default_rng(seed)
    population = reliability(answers(rng, POPULATION_N, k, SHAPES[shape])).alpha
    feldt = auto = chose = 0
    for rep in range(datasets):
        x = answers(rng, N, k, SHAPES[shape])
        plain = reliability(x)
        r = reliability(x, ci="auto", n_boot=N_BOOT, seed=rep)
        feldt += plain.alpha_ci_low <= population <= plain.alpha_ci_high
        auto += r.alpha_ci_low <= population <= r.alpha_ci_high
        chose += r.alpha_ci_method == CI_BOOTSTRAP
    return feldt / datasets, auto / datasets, chose / datasets


def test_auto_bootstraps_alpha_where_feldt_under_covers_and_comes_closer_to_95():
    # 69 % of the answers at "strongly agree": Feldt's normal-theory interval is too narrow
    # (0.885 against 0.93 with these seeds)
    feldt, auto, chose = simulate("extreme ceiling", 8, 200, 20261204)
    assert chose >= 0.95
    assert feldt < 0.91
    assert abs(auto - 0.95) < abs(feldt - 0.95)
    assert auto > feldt + 0.02


def test_auto_keeps_feldt_on_symmetric_answers_where_it_covers():
    feldt, auto, chose = simulate("symmetric", 5, 100, 20261205)
    assert chose == 0
    assert auto == feldt
    assert 0.92 <= feldt <= 0.98
