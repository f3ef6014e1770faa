"""scoring.agreement: the "split into two camps" flag against simulated teams.

The criterion (module docstring of :mod:`scoring.agreement`) must flag at most 5 % of
single-peaked teams and at least 80 % of clearly two-peaked ones at every team size from
``SPLIT_MIN_SCORED`` (6) to 60, and nobody below it. Teams are simulated as the module docstring
describes: items answered on 1–5 as round(θ + e) clipped to the scale, e ~ N(0, σe²) with
σe ~ U(0.4, 0.8) per team, the domain score the mean of J ~ U{3…8} items (so scores are
discrete). Single-peaked: θ ~ N(μ, σp²), μ ~ U(2, 4.5), σp ~ U(0.5, 1.0). Two-peaked: camps of
p ~ U(0.30, 0.50) and 1 − p of the team, centres D ~ U(2, 3) apart inside 1–5, within-camp
SD σw ~ U(0.2, 0.5). Fixed seeds; the whole file runs in a few seconds, since every simulated
team is one group of a single vectorized ``agreement_by_group`` call.
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.agreement import SPLIT_MIN_SCORED, agreement_by_group

SIZES = (6, 7, 8, 9, 10, 12, 15, 20, 30, 45, 60)
TEAMS = 2000  # per size and kind: a rate's standard error is at most 1.1 points


def _scores(theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Domain scores (teams × n) of people at latent levels ``theta`` (teams × n)."""
    teams, n = theta.shape
    n_items = rng.integers(3, 9, (teams, 1, 1))
    noise = rng.uniform(0.4, 0.8, (teams, 1, 1))
    answers = np.clip(np.rint(theta[..., None] + rng.normal(0.0, 1.0, (teams, n, 8)) * noise), 1, 5)
    used = np.arange(8)[None, None, :] < n_items
    return (answers * used).sum(axis=2) / n_items[..., 0]


def single_peaked(
    teams: int,
    n: int,
    rng: np.random.Generator,
    mean: float | None = None,
    sd: float | None = None,
) -> np.ndarray:
    """Scores of single-peaked teams; ``mean`` and ``sd`` fix μ and σp instead of drawing them."""
    mu = rng.uniform(2.0, 4.5, (teams, 1)) if mean is None else np.full((teams, 1), mean)
    sigma = rng.uniform(0.5, 1.0, (teams, 1)) if sd is None else np.full((teams, 1), sd)
    return _scores(rng.normal(mu, sigma, (teams, n)), rng)


def two_peaked(teams: int, n: int, rng: np.random.Generator) -> np.ndarray:
    share = rng.uniform(0.30, 0.50, (teams, 1))
    distance = rng.uniform(2.0, 3.0, (teams, 1))
    low_centre = rng.uniform(1.0, 5.0 - distance)
    within = rng.uniform(0.2, 0.5, (teams, 1))
    in_low_camp = np.arange(n)[None, :] < np.ceil(share * n - 1e-9)
    centre = np.where(in_low_camp, low_centre, low_centre + distance)
    return _scores(rng.normal(centre, within), rng)


def flagged_share(scores: np.ndarray) -> float:
    """Share of the simulated teams (rows) that agreement_by_group flags as split."""
    teams, n = scores.shape
    flat = scores.ravel()
    result = agreement_by_group(flat[:, None], np.repeat(np.arange(teams), n), scores=flat)
    assert len(result.groups) == teams and all(g.n_scored == n for g in result.groups)
    return float(np.mean([g.split for g in result.groups]))


@pytest.mark.parametrize("n", SIZES)
def test_single_peaked_teams_are_rarely_flagged(n):
    rng = np.random.default_rng(1000 + n)
    assert flagged_share(single_peaked(TEAMS, n, rng)) <= 0.05


@pytest.mark.parametrize("n", SIZES)
def test_two_peaked_teams_are_mostly_flagged(n):
    rng = np.random.default_rng(2000 + n)
    assert flagged_share(two_peaked(TEAMS, n, rng)) >= 0.80


@pytest.mark.parametrize("n", range(2, SPLIT_MIN_SCORED))
def test_no_flag_below_the_minimum_team_size(n):
    rng = np.random.default_rng(3000 + n)
    assert flagged_share(two_peaked(500, n, rng)) == 0.0


def test_ceiling_heavy_teams_are_rarely_flagged():
    # means of 4.5 with the widest person-level SD: answers pile at 5 with a long lower tail,
    # the shape that made skew-based indices (Sarle's coefficient) unusable
    rng = np.random.default_rng(4000)
    rates = [flagged_share(single_peaked(1000, n, rng, mean=4.5, sd=1.0)) for n in (10, 20, 40)]
    assert max(rates) <= 0.06


def test_the_old_outer_thirds_rule_was_a_spread_flag():
    # the replaced rule (≥ 25 % in each outer third) on single-peaked teams with person-level
    # SD 0.9, as the audit reported: it fired on a fifth or more of them; the split rule does not
    rng = np.random.default_rng(5000)
    scores = single_peaked(TEAMS, 20, rng, sd=0.9, mean=3.0)
    old = ((scores <= 7 / 3).mean(axis=1) >= 0.25) & ((scores >= 11 / 3).mean(axis=1) >= 0.25)
    assert old.mean() >= 0.20
    assert flagged_share(scores) <= 0.05
