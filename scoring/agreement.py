"""Within-group agreement and between-group reliability: rwg(j), ICC(1) and ICC(2).

Before a unit's mean is read as "the unit's climate", two questions are asked of the data
(Bliese, 2000): do the members of a unit agree with one another (rwg(j), per unit), and do units
differ reliably from one another (ICC(1), ICC(2), over all units of a round)?

Conventions are those of the whole ``scoring`` package: an item matrix is a float array of shape
``(n_respondents, n_items)`` with ``nan`` for a missing answer (skipped or not applicable);
domain scores are a float array ``(n_respondents,)`` with ``nan`` where not scored; group labels
are an integer or string array ``(n_respondents,)``. A value that cannot be computed is ``None``
and a line of the result's ``notes`` says why, as ``"<field>: <reason>"``.

Agreement in the field's words
------------------------------
rwg(j) is read with the bands of LeBreton & Senter (2008, Table 3): .00–.30 lack of agreement,
.31–.50 weak, .51–.70 moderate, .71–.90 strong, .91–1.00 very strong agreement
(:func:`rwg_band`, by the value rounded to two decimals as a report prints it). A unit has
*low agreement* when its band is weak or lack, i.e. rwg(j) shown as .50 or less.
Beside the uniform-null rwg(j), a sensitivity value under a slightly skewed null
(σ²E = 1.34 for five options) is given, as LeBreton & Senter (2008) recommend reporting rwg
under more than one null distribution.

Split into two camps
--------------------
A unit is *split* when its domain scores fall into two groups that are far apart with few
scores between them. The rule is checked per unit on the scored respondents (n of them):

1. n ≥ :data:`SPLIT_MIN_SCORED` (6). Below that no flag is raised: with five or fewer people a
   lower and an upper pair cannot be told apart from chance (simulated power below 80 %).
2. The best two-group split of the sorted scores is found: the cut that maximizes the
   between-group sum of squares Σ n_g (ȳ_g − ȳ)² (Fisher's 1958 optimal one-dimensional
   grouping; equal scores stay on the same side), among cuts leaving each group at least
   :data:`SPLIT_MIN_SHARE` (a quarter) of the scored respondents.
3. The two groups' means are at least :data:`SPLIT_MIN_GAP` of the scale's range apart
   (0.4375 × 4 = 1.75 points on a 1–5 scale), and
4. the split accounts for at least R²min(n) = :data:`SPLIT_R2_BASE` + :data:`SPLIT_R2_SLOPE`/√n
   (0.70 + 0.40/√n) of the unit's sum of squares — R² = between SS / total SS, the "middle
   under-populated" condition: a single-peaked distribution has its most frequent scores
   between the two groups and, for a normal, R² → 2/π ≈ .64; two tight camps 2 points apart
   give .8–.9. The threshold falls with n because small samples reach high R² by chance.

This replaces the earlier "at least a quarter in each outer third" rule, which is a spread
flag: it fired on 20–30 % of ordinary single-peaked teams with a person-level SD of 0.9.
Sarle's bimodality coefficient was not used (it rises with skew alone, and ceiling-heavy
distributions are common in staff surveys), nor Hartigan & Hartigan's (1985) dip test (domain
scores are discrete, so even a single-peaked distribution of them has a positive dip, and the
dip's p values, tabulated for continuous data, do not apply).

**Calibration by simulation** (tests/scoring/test_split_simulation.py, fixed seeds). Items are
answered on 1–5 as round(θ + e) clipped to 1–5, with e ~ N(0, σe²), σe ~ U(0.4, 0.8) per team,
and the domain score is the mean of J ~ U{3…8} items. *Single-peaked* teams: θ ~ N(μ, σp²)
with μ ~ U(2, 4.5) (so high means pile at the ceiling) and σp ~ U(0.5, 1.0). *Clearly
two-peaked* teams: two camps, the smaller a share p ~ U(0.30, 0.50) of the team, centres
D ~ U(2, 3) points apart inside 1–5, within-camp SD σw ~ U(0.2, 0.5). With 2,000 teams of
each kind at every team size of 6, 7, 8, 9, 10, 12, 15, 20, 30, 45 and 60, the rule flags at
most 5 % of single-peaked teams (2–4.4 % at 6–12 people, under 2 % from 15 up) and at least
80 % of two-peaked teams (82 % at 6, 90 % at 10, 99 % at 60); teams of 2–5 are never flagged.
Known limits, from the same simulation: a single-peaked team spread over the whole scale
(μ = 3, σp = 1.0, nearly uniform on 1–5) is flagged up to about 11 % of the time at 6–12
people and 2 % at 45–60; a ceiling-heavy one (μ = 4.5, σp = 1.0) up to 7 % at 6–8 people; and
the least clear two-peaked teams (camps of 30 % and 70 %, exactly 2 points apart, σw = 0.5)
are found only 40–70 % of the time.

References
----------
Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability: Implications
for data aggregation and analysis. In K. J. Klein & S. W. J. Kozlowski (Eds.), *Multilevel
theory, research, and methods in organizations* (pp. 349–381). San Francisco: Jossey-Bass.

Bliese, P. D. (2022). multilevel: Multilevel Functions. R package version 2.7.

Fisher, W. D. (1958). On grouping for maximum homogeneity. *Journal of the American
Statistical Association*, 53(284), 789–798.

Harrison, D. A., & Klein, K. J. (2007). What's the difference? Diversity constructs as
separation, variety, or disparity in organizations. *Academy of Management Review*, 32(4),
1199–1228.

James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater reliability
with and without response bias. *Journal of Applied Psychology*, 69(1), 85–98.

LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater reliability
and interrater agreement. *Organizational Research Methods*, 11(4), 815–852.

LeBreton, J. M. WGA: Within-group agreement (R package),
https://github.com/james-lebreton/WGA, file R/RWGJ.R: the table of null-distribution
variances by number of scale points (uniform, slightly/moderately/heavily skewed, triangular,
normal) after LeBreton & Senter (2008, Table 2).

Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing rater
reliability. *Psychological Bulletin*, 86(2), 420–428.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from scoring.errors import ScoringError

__all__ = [
    "BAND_LACK",
    "BAND_MODERATE",
    "BAND_STRONG",
    "BAND_VERY_STRONG",
    "BAND_WEAK",
    "LOW_AGREEMENT",
    "SLIGHT_SKEW_NULL_VARIANCE",
    "SPLIT_MIN_GAP",
    "SPLIT_MIN_SCORED",
    "SPLIT_MIN_SHARE",
    "SPLIT_R2_BASE",
    "SPLIT_R2_SLOPE",
    "AgreementByGroup",
    "GroupAgreement",
    "ICC",
    "RwgJ",
    "agreement_by_group",
    "icc",
    "rwg_band",
    "rwg_j",
    "split_r2_threshold",
]

#: rwg(j) bands of LeBreton & Senter (2008, Table 3), from low to high agreement.
BAND_LACK = "lack"
BAND_WEAK = "weak"
BAND_MODERATE = "moderate"
BAND_STRONG = "strong"
BAND_VERY_STRONG = "very strong"
# Lower bound of every band above "lack", as published (.31, .51, .71, .91). The bands are
# published to two decimals; a value is placed by its two-decimal rounding, the number a report
# shows, so that the words and the printed value never disagree (see rwg_band).
_BAND_BOUNDS = (
    (0.91, BAND_VERY_STRONG),
    (0.71, BAND_STRONG),
    (0.51, BAND_MODERATE),
    (0.31, BAND_WEAK),
)

#: rwg(j) below this (after rounding to two decimals, as the bands) is "low agreement": the
#: weak (.31–.50) and lack (.00–.30) bands of LeBreton & Senter (2008, Table 3). They call
#: .51–.70 moderate agreement, so .70 is not a line below which staff "disagree strongly".
LOW_AGREEMENT = 0.51

#: Variance σ²E of the slightly skewed null distribution by number of response options, as
#: tabulated by LeBreton (WGA package, R/RWGJ.R, after LeBreton & Senter, 2008, Table 2;
#: James, Demaree & Wolf, 1984, for five options). The five-option value is also recomputed
#: from the slightly skewed distribution's proportions .05, .15, .20, .35, .25 on points 1–5:
#: mean 3.6, E[x²] 14.3, variance 14.3 − 3.6² = 1.34. No value was found for four options
#: (or fewer, or more than seven): there rwg_j_skewed is None with a note.
SLIGHT_SKEW_NULL_VARIANCE: dict[int, float] = {5: 1.34, 6: 1.85, 7: 2.90}

#: Split flag (see the module docstring): no flag below this many scored respondents ...
SPLIT_MIN_SCORED = 6
#: ... each of the two groups holds at least this share of the scored respondents ...
SPLIT_MIN_SHARE = 0.25
#: ... their means lie at least this fraction of the scale's range apart (1.75 points on 1–5) ...
SPLIT_MIN_GAP = 0.4375
#: ... and the split explains at least SPLIT_R2_BASE + SPLIT_R2_SLOPE / √n of the sum of squares.
SPLIT_R2_BASE = 0.70
SPLIT_R2_SLOPE = 0.40

# Scores equal to a third-boundary up to floating-point error count as inside the third
# (7/3 computed as a mean of items must meet 1 + 4/3 computed from the scale); scores closer
# than this are taken as equal when the split may not separate them.
_BOUNDARY_TOLERANCE = 1e-9


@dataclass(frozen=True)
class RwgJ:
    """rwg(j) of one group (see :func:`rwg_j`).

    Attributes
    ----------
    rwg_j : float or None
        James, Demaree & Wolf's (1984) rwg(j), in [0, 1]; ``None`` with fewer than two complete
        respondents.
    n : int
        Respondents who answered every item (listwise), the ones the statistic uses.
    n_items : int
        J, the number of items.
    mean_item_variance : float or None
        s̄², the mean over items of the within-group item variances (n − 1 denominator).
    null_variance : float
        σ²E = (A² − 1)/12, the variance of the uniform ("rectangular") null distribution.
    notes : tuple of str
        ``"<field>: <reason>"`` for every value that is ``None``.
    """

    rwg_j: float | None
    n: int
    n_items: int
    mean_item_variance: float | None
    null_variance: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupAgreement:
    """Agreement within one group (one element of :attr:`AgreementByGroup.groups`).

    Attributes
    ----------
    group : int or str
        The group label.
    n : int
        Respondents of the group who answered every item (listwise); rwg(j) uses these, and
        this is the ``gsize`` column of R multilevel's ``rwg.j``.
    rwg_j : float or None
        rwg(j) under the uniform null; ``None`` when fewer than two respondents of the group
        answered every item.
    mean_item_variance : float or None
        s̄², mean of the within-group item variances (n − 1 denominator).
    n_scored : int
        Respondents of the group with a domain score, the ones the split rule uses.
    share_low : float or None
        Share of scored respondents in the lower third of the scale (descriptive).
    share_high : float or None
        Share of scored respondents in the upper third of the scale (descriptive).
    low_agreement : bool
        rwg(j), rounded to two decimals, < :data:`LOW_AGREEMENT` (.51), i.e. :attr:`band` is
        weak or lack; False when rwg(j) is ``None``.
    split : bool
        The unit's scores fall into two camps; see the module docstring and
        :func:`agreement_by_group`.
    notes : tuple of str
        ``"<field>: <reason>"`` for every value that is ``None``.
    band : str or None
        :func:`rwg_band` of ``rwg_j``: one of :data:`BAND_LACK`, :data:`BAND_WEAK`,
        :data:`BAND_MODERATE`, :data:`BAND_STRONG`, :data:`BAND_VERY_STRONG`.
    rwg_j_skewed : float or None
        rwg(j) with the slightly skewed null variance
        :attr:`AgreementByGroup.null_variance_skewed` (a sensitivity value); ``None`` when
        rwg(j) is, or when no such variance is tabulated for the number of options.
    split_r2 : float or None
        Share of the group's sum of squares between the two groups of its best split (R² of
        the split); ``None`` when no admissible split exists (too few scored respondents, or
        too few distinct scores to leave a quarter on each side).
    split_gap : float or None
        Difference between the two groups' mean scores, in scale points, for that split.
    """

    group: int | str
    n: int
    rwg_j: float | None
    mean_item_variance: float | None
    n_scored: int
    share_low: float | None
    share_high: float | None
    low_agreement: bool
    split: bool
    notes: tuple[str, ...] = ()
    band: str | None = None
    rwg_j_skewed: float | None = None
    split_r2: float | None = None
    split_gap: float | None = None

    @property
    def polarized(self) -> bool:
        """Former name of :attr:`split`, kept read-only for one release."""
        return self.split


@dataclass(frozen=True)
class AgreementByGroup:
    """rwg(j) and flags for every group of a round (see :func:`agreement_by_group`).

    Attributes
    ----------
    groups : tuple of GroupAgreement
        One entry per distinct label, in sorted label order.
    n_items : int
        J, the number of items.
    n_options : int
        A, the number of response options of the items.
    null_variance : float
        σ²E = (A² − 1)/12.
    lower_third : float
        A domain score at or below this is in the lower third of the scale.
    upper_third : float
        A domain score at or above this is in the upper third of the scale.
    null_variance_skewed : float or None
        σ²E of the slightly skewed null for A options (:data:`SLIGHT_SKEW_NULL_VARIANCE`);
        ``None`` when not tabulated for A (then every ``rwg_j_skewed`` is ``None``).
    notes : tuple of str
        ``"<field>: <reason>"`` for a value that is ``None``.
    """

    groups: tuple[GroupAgreement, ...]
    n_items: int
    n_options: int
    null_variance: float
    lower_third: float
    upper_third: float
    null_variance_skewed: float | None = None
    notes: tuple[str, ...] = ()

    def by_label(self) -> dict[int | str, GroupAgreement]:
        """The groups keyed by label."""
        return {g.group: g for g in self.groups}


@dataclass(frozen=True)
class ICC:
    """ICC(1) and ICC(2) from a one-way ANOVA of scores by group (see :func:`icc`).

    Attributes
    ----------
    icc1 : float or None
        (MSB − MSW) / (MSB + (k − 1) MSW); may be negative.
    icc2 : float or None
        (MSB − MSW) / MSB, the reliability of the group means.
    f : float or None
        MSB / MSW.
    df1 : int
        G − 1.
    df2 : int
        N − G.
    p : float or None
        Upper-tail probability of ``f`` under F(df1, df2).
    msb, msw : float or None
        Between- and within-group mean squares.
    k : float or None
        Mean group size N / G.
    n_groups : int
        G, groups with at least one score.
    n : int
        N, respondents with a score (nan scores are dropped first).
    notes : tuple of str
        ``"<field>: <reason>"`` for every value that is ``None``.
    n0 : float or None
        Bliese's (2000) group size for unequal groups, (N − Σn_g²/N) / (G − 1); equals k when
        all groups are the same size and is smaller than k otherwise.
    icc1_n0 : float or None
        (MSB − MSW) / (MSB + (n0 − 1) MSW), ICC(1) with n0 in place of k.
    """

    icc1: float | None
    icc2: float | None
    f: float | None
    df1: int
    df2: int
    p: float | None
    msb: float | None
    msw: float | None
    k: float | None
    n_groups: int
    n: int
    notes: tuple[str, ...] = ()
    n0: float | None = None
    icc1_n0: float | None = None


# --------------------------------------------------------------------------- input checks


def _item_matrix(x: ArrayLike) -> np.ndarray:
    try:
        matrix = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScoringError(
            f"x must hold numbers (scale points) with nan for missing answers; it could not "
            f"be read as numbers ({exc})"
        ) from None
    if matrix.ndim != 2:
        raise ScoringError(
            f"x must be a 2-D respondents × items matrix, got shape {matrix.shape}; for a "
            f"single item pass x.reshape(-1, 1)"
        )
    if matrix.shape[1] == 0:
        raise ScoringError("x has no item columns; pass the domain's items, at least one")
    if np.isinf(matrix).any():
        row, col = np.argwhere(np.isinf(matrix))[0]
        raise ScoringError(
            f"x holds an infinite value at row {row}, column {col}; mark missing answers with nan"
        )
    return matrix


def _n_options(n_options: object) -> int:
    if isinstance(n_options, bool) or not isinstance(n_options, int | np.integer):
        raise ScoringError(
            f"n_options must be the whole number of response options of the items (e.g. 5 "
            f"for a 1–5 scale), got {n_options!r}"
        )
    if n_options < 2:
        raise ScoringError(
            f"n_options must be at least 2 (a scale needs two points to disagree on), got "
            f"{n_options}"
        )
    return int(n_options)


def _check_range(values: np.ndarray, lo: float, hi: float, name: str) -> None:
    with np.errstate(invalid="ignore"):
        outside = (values < lo - _BOUNDARY_TOLERANCE) | (values > hi + _BOUNDARY_TOLERANCE)
    if outside.any():
        where = tuple(np.argwhere(outside)[0])
        raise ScoringError(
            f"{name} holds {values[where]:g} at position {list(map(int, where))}, outside the "
            f"scale {lo:g}–{hi:g}; pass the items' n_options and scale_min, or mark a missing "
            f"answer with nan"
        )


def _group_codes(groups: ArrayLike, n_respondents: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct labels and each respondent's index into them."""
    labels = np.asarray(groups)
    if labels.ndim != 1 or labels.shape[0] != n_respondents:
        raise ScoringError(
            f"groups must hold one label per respondent ({n_respondents}), got shape {labels.shape}"
        )
    if labels.dtype.kind == "f":
        if np.isnan(labels).any():
            row = int(np.argmax(np.isnan(labels)))
            raise ScoringError(
                f"groups has no label at row {row}; give every respondent a unit, or drop the "
                f"rows without one before calling"
            )
    elif labels.dtype.kind not in "iuUSbO":
        raise ScoringError(f"groups must be integer or string labels, got dtype {labels.dtype}")
    if labels.dtype.kind in "iu" and labels.size:
        # integer labels: O(N) dense coding when their range is modest (unit ids usually are)
        lowest, highest = int(labels.min()), int(labels.max())
        if highest - lowest <= 4 * labels.size + 1024:
            offsets = labels - lowest
            present = np.bincount(offsets, minlength=highest - lowest + 1) > 0
            index = np.cumsum(present) - 1
            return np.flatnonzero(present) + lowest, index[offsets]
    try:
        unique, codes = np.unique(labels, return_inverse=True)
    except TypeError:
        raise ScoringError(
            "groups mixes labels that cannot be sorted together (e.g. None beside strings); "
            "give every respondent an integer or a string label"
        ) from None
    return unique, codes.reshape(-1)


def _scale_min(scale_min: object) -> float:
    if isinstance(scale_min, bool) or not isinstance(scale_min, int | float | np.number):
        raise ScoringError(f"scale_min must be the lowest scale point, got {scale_min!r}")
    if not np.isfinite(scale_min):
        raise ScoringError(f"scale_min must be finite, got {scale_min!r}")
    return float(scale_min)


# --------------------------------------------------------------------------- rwg(j)


def rwg_band(value: float | None) -> str | None:
    """The LeBreton & Senter (2008, Table 3) band of an rwg(j) value.

    Parameters
    ----------
    value : float or None
        rwg(j) in [0, 1], as this module computes it (s̄² > σ²E is set to σ²E, so rwg(j) is
        never negative or above 1).

    Returns
    -------
    str or None
        :data:`BAND_LACK` (.00–.30), :data:`BAND_WEAK` (.31–.50), :data:`BAND_MODERATE`
        (.51–.70), :data:`BAND_STRONG` (.71–.90) or :data:`BAND_VERY_STRONG` (.91–1.00);
        ``None`` for ``None``.

    Notes
    -----
    The published bands are given to two decimals and leave gaps between them (.30 and .31).
    A value is placed by its rounding to two decimals — the number a report prints — so the
    printed value and its words always agree: .3049 and .305 (stored as 0.30499…) are "lack",
    .3051 and .31 are "weak", .5049 is "weak", .505 and .51 are "moderate", .9091 is "very
    strong". :data:`LOW_AGREEMENT` (.51) is compared the same way, so low agreement is exactly
    the weak and lack bands.

    Examples
    --------
    >>> [rwg_band(v) for v in (0.0, 0.3049, 0.3051, 0.5049, 0.51, 0.7049, 0.9091, 1.0)]
    ['lack', 'lack', 'weak', 'weak', 'moderate', 'moderate', 'very strong', 'very strong']
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ScoringError(f"rwg(j) must be a number in [0, 1] or None, got {value!r}")
    number = float(value)
    if not 0.0 - _BOUNDARY_TOLERANCE <= number <= 1.0 + _BOUNDARY_TOLERANCE:
        raise ScoringError(
            f"rwg(j) = {number:g} is outside [0, 1]; rwg(j) as computed here is set to 0 when "
            f"the group varies more than the null distribution, so a value outside [0, 1] comes "
            f"from elsewhere"
        )
    shown = round(number, 2)
    for bound, band in _BAND_BOUNDS:
        if shown >= bound:
            return band
    return BAND_LACK


def split_r2_threshold(n_scored: int) -> float:
    """R² a unit of ``n_scored`` scored respondents needs for the split flag.

    R²min(n) = :data:`SPLIT_R2_BASE` + :data:`SPLIT_R2_SLOPE` / √n = 0.70 + 0.40/√n, e.g. .863
    at 6, .826 at 10, .773 at 30, .752 at 60 (see the module docstring for its calibration).

    >>> round(split_r2_threshold(10), 4)
    0.8265
    """
    if isinstance(n_scored, bool) or not isinstance(n_scored, int | np.integer) or n_scored < 1:
        raise ScoringError(f"n_scored must be a positive whole number, got {n_scored!r}")
    return SPLIT_R2_BASE + SPLIT_R2_SLOPE / float(np.sqrt(n_scored))


def _rwg_from_variance(mean_variance: np.ndarray, n_items: int, null_variance: float) -> np.ndarray:
    """rwg(j) from s̄², with s̄² capped at σ²E (which makes rwg(j) = 0), as multilevel::rwg.j."""
    ratio = np.minimum(mean_variance / null_variance, 1.0)
    agreement = n_items * (1.0 - ratio)
    return agreement / (agreement + ratio)


def _grouped_item_variances(
    matrix: np.ndarray, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per group: complete respondents n_g and s̄² (nan where n_g < 2), vectorized.

    Per-group sums come from ``np.bincount`` (one call per item, a handful), then the centred
    sums of squares in a second pass, so there is no cancellation error from Σx² − n·x̄².
    """
    complete = ~np.isnan(matrix).any(axis=1)
    kept = np.asfortranarray(matrix[complete])  # columns contiguous for the per-item passes
    kept_codes = codes[complete]
    n_per_group = np.bincount(kept_codes, minlength=n_groups)
    n_items = matrix.shape[1]
    sums = np.empty((n_groups, n_items))
    for j in range(n_items):
        sums[:, j] = np.bincount(kept_codes, weights=kept[:, j], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / n_per_group[:, None]
    squares = np.empty((n_groups, n_items))
    for j in range(n_items):
        deviation = kept[:, j] - means[kept_codes, j]
        squares[:, j] = np.bincount(kept_codes, weights=deviation * deviation, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_variance = (squares / (n_per_group - 1)[:, None]).mean(axis=1)
    mean_variance[n_per_group < 2] = np.nan
    return n_per_group, mean_variance


def _best_splits(
    domain: np.ndarray, codes: np.ndarray, n_groups: int, min_gap: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per group: scored n, R² and gap of the best two-group split, and the split flag.

    Vectorized over all respondents at once: the scores are sorted within groups
    (``np.lexsort``), the sums left of every cut come from one cumulative sum, and the best
    admissible cut of each group from ``np.maximum.at``. A cut is admissible when it falls
    between two different scores and leaves at least :data:`SPLIT_MIN_SHARE` of the group on
    each side. R² and gap are ``nan`` where a group has no admissible cut.
    """
    scored = ~np.isnan(domain)
    values = domain[scored]
    group = codes[scored]
    order = np.lexsort((values, group))
    values, group = values[order], group[order]
    sizes = np.bincount(group, minlength=n_groups)
    r2 = np.full(n_groups, np.nan)
    gap = np.full(n_groups, np.nan)
    if values.size == 0:
        return sizes, r2, gap, np.zeros(n_groups, dtype=bool)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    totals = np.bincount(group, weights=values, minlength=n_groups)
    running = np.cumsum(values)
    before_start = np.concatenate(([0.0], running))[starts]
    n_g = sizes[group].astype(float)
    left_n = np.arange(values.size) - starts[group] + 1.0  # respondents at or below the cut
    right_n = n_g - left_n
    left_sum = running - before_start[group]
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = (totals[group] - left_sum) / right_n - left_sum / left_n
        between = left_n * right_n / n_g * gaps * gaps
    minimum = np.ceil(SPLIT_MIN_SHARE * n_g - _BOUNDARY_TOLERANCE)
    next_value = np.append(values[1:], np.inf)
    next_group = np.append(group[1:], -1)
    admissible = (
        (left_n >= minimum)
        & (right_n >= minimum)
        & (next_group == group)
        & (next_value > values + _BOUNDARY_TOLERANCE)
    )
    best = np.full(n_groups, -np.inf)
    np.maximum.at(best, group[admissible], between[admissible])
    found = np.isfinite(best)
    # the gap at the best cut (ties in R² between cuts: the largest gap)
    at_best = admissible & (between == best[group])
    best_gap = np.full(n_groups, -np.inf)
    np.maximum.at(best_gap, group[at_best], gaps[at_best])
    means = totals / np.maximum(sizes, 1)
    deviation = values - means[group]
    total_ss = np.bincount(group, weights=deviation * deviation, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        r2[found] = best[found] / total_ss[found]
    gap[found] = best_gap[found]
    threshold = SPLIT_R2_BASE + SPLIT_R2_SLOPE / np.sqrt(np.maximum(sizes, 1))
    split = (
        found
        & (sizes >= SPLIT_MIN_SCORED)
        & (gap >= min_gap - _BOUNDARY_TOLERANCE)
        & (r2 >= threshold - _BOUNDARY_TOLERANCE)
    )
    return sizes, r2, gap, split


def rwg_j(x: ArrayLike, n_options: int = 5) -> RwgJ:
    """rwg(j): agreement of one group's members on a multi-item scale.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        One group's answers to one domain's items, ``nan`` for missing.
    n_options : int, default 5
        A, the number of response options of the items.

    Returns
    -------
    RwgJ

    Notes
    -----
    James, Demaree & Wolf (1984), equation 8:

        rwg(j) = J (1 − s̄²/σ²E) / [ J (1 − s̄²/σ²E) + s̄²/σ²E ]

    with J the number of items, s̄² the mean of the J item variances (n − 1 denominator) and
    σ²E = (A² − 1)/12 the variance of a uniform ("rectangular") null distribution over A
    options. When s̄² > σ²E (more disagreement than random answering), s̄² is set to σ²E, which
    makes rwg(j) = 0, so rwg(j) lies in [0, 1].

    **Missing answers** are handled as R multilevel's ``rwg.j(x, grpid, ranvar)`` does: it
    calls ``na.exclude`` on the whole data frame before splitting by group, so a respondent
    who skipped any item of the domain is left out (listwise deletion); its per-item
    ``var(na.rm = TRUE)`` then sees no missing value. With fewer than two complete
    respondents rwg(j) is ``None`` (R: ``NA``).

    The same computation over many groups at once is :func:`agreement_by_group`.

    Examples
    --------
    Agrees with R ``multilevel::rwg.j(x, grpid = rep(1, 4), ranvar = 2)``:

    >>> r = rwg_j([[4, 4, 5], [4, 5, 5], [3, 4, 4], [4, 4, 5]])
    >>> round(r.rwg_j, 6), r.n
    (0.954545, 4)
    """
    matrix = _item_matrix(x)
    options = _n_options(n_options)
    null_variance = (options**2 - 1) / 12.0
    n_items = matrix.shape[1]
    n_per_group, mean_variance = _grouped_item_variances(
        matrix, np.zeros(matrix.shape[0], dtype=np.intp), 1
    )
    n = int(n_per_group[0])
    if n < 2:
        reason = "fewer than two respondents answered every item (listwise, as multilevel::rwg.j)"
        return RwgJ(
            rwg_j=None,
            n=n,
            n_items=n_items,
            mean_item_variance=None,
            null_variance=null_variance,
            notes=(f"rwg_j: {reason}", f"mean_item_variance: {reason}"),
        )
    value = _rwg_from_variance(mean_variance, n_items, null_variance)
    return RwgJ(
        rwg_j=float(value[0]),
        n=n,
        n_items=n_items,
        mean_item_variance=float(mean_variance[0]),
        null_variance=null_variance,
    )


def agreement_by_group(
    x: ArrayLike,
    groups: ArrayLike,
    *,
    n_options: int = 5,
    scale_min: float = 1.0,
    scores: ArrayLike | None = None,
) -> AgreementByGroup:
    """rwg(j) per group with its band, and the "low agreement" and "split" flags, for a round.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        One domain's keyed answers, ``nan`` for missing.
    groups : array_like of int or str, shape (n_respondents,)
        Each respondent's group (unit) label.
    n_options : int, default 5
        A, the number of response options; the scale runs from ``scale_min`` to
        ``scale_min + n_options − 1``.
    scale_min : float, default 1
        The lowest scale point.
    scores : array_like, shape (n_respondents,), optional
        Domain scores (``nan`` where not scored) for the split rule, as computed by the
        report. When omitted, the mean of the items of every respondent who answered them all
        (the respondents rwg(j) uses) is taken.

    Returns
    -------
    AgreementByGroup
        One :class:`GroupAgreement` per distinct label, in sorted label order.

    Notes
    -----
    **rwg(j)** is computed per group exactly as :func:`rwg_j` (James, Demaree & Wolf, 1984;
    uniform null σ²E = (A² − 1)/12; s̄² the mean of the within-group item variances with
    n − 1 denominator; rwg(j) = 0 when s̄² > σ²E; listwise deletion of respondents with any
    missing item), which is R multilevel's ``rwg.j(x, grpid, ranvar = (A^2 - 1)/12)``. It is
    vectorized: per-group sums come from ``np.bincount``, one call per item. A group in
    ``groups`` whose respondents all skipped some item is still listed, with ``n = 0`` and
    rwg(j) ``None`` (R leaves such a group out, or gives ``NA`` when the labels are a factor).

    **Band** and **low agreement**: :func:`rwg_band` (LeBreton & Senter, 2008, Table 3);
    low agreement is the weak or lack band, rwg(j) rounded to two decimals < .51.

    **Slightly skewed null** (sensitivity value): the same rwg(j) with σ²E taken from
    :data:`SLIGHT_SKEW_NULL_VARIANCE` (1.34 for five options), i.e. R multilevel's
    ``rwg.j(x, grpid, ranvar = 1.34)``; the same truncation to 0 applies. Because that null
    is narrower than the uniform, rwg_j_skewed ≤ rwg_j. LeBreton & Senter (2008) recommend
    reporting rwg under more than one null: a unit whose agreement is strong under the uniform
    null but weak under the skewed one agrees partly because everyone leans the same way
    (e.g. toward "agree"), which a response bias could also produce.

    **Split** into two camps: the best two-group split of the unit's scored respondents has
    groups of at least a quarter each, means at least :data:`SPLIT_MIN_GAP` × (A − 1) apart
    (1.75 points on 1–5), and R² ≥ :func:`split_r2_threshold` (n), with n ≥
    :data:`SPLIT_MIN_SCORED`; the criterion and its simulation are in the module docstring.
    This is the "separation" form of within-unit difference of Harrison & Klein (2007); a
    split unit can have an rwg(j) near zero *or* a middling one, and its mean describes
    nobody, which is why the flag is shown beside rwg(j) rather than inferred from it
    (LeBreton & Senter, 2008, discuss low agreement that reflects subgroups within a unit).
    ``share_low`` and ``share_high`` (shares in the outer thirds of the scale) stay as
    descriptive values; they no longer decide the flag.

    Examples
    --------
    Agrees with R ``multilevel::rwg.j(x, grpid = c(1, 1, 1, 2, 2, 2), ranvar = 2)``:

    >>> x = [[4, 4], [4, 5], [5, 5], [1, 5], [5, 1], [3, 3]]
    >>> res = agreement_by_group(x, [1, 1, 1, 2, 2, 2])
    >>> [(g.group, g.n, round(g.rwg_j, 6), g.band) for g in res.groups]
    [(1, 3, 0.909091, 'very strong'), (2, 3, 0.0, 'lack')]

    (.909 is shown as .91, hence "very strong"), and R's ``rwg.j(x, grpid, ranvar = 1.34)``
    (the slightly skewed null) gives 0.857955 for group 1:

    >>> res.null_variance_skewed, round(res.groups[0].rwg_j_skewed, 6)
    (1.34, 0.857955)
    """
    matrix = _item_matrix(x)
    options = _n_options(n_options)
    lo = _scale_min(scale_min)
    hi = lo + options - 1
    _check_range(matrix, lo, hi, "x")
    n_respondents, n_items = matrix.shape
    labels, codes = _group_codes(groups, n_respondents)
    n_groups = labels.shape[0]
    null_variance = (options**2 - 1) / 12.0

    n_per_group, mean_variance = _grouped_item_variances(matrix, codes, n_groups)
    with np.errstate(invalid="ignore"):
        rwg = _rwg_from_variance(mean_variance, n_items, null_variance)

    if scores is None:
        domain = matrix.mean(axis=1)  # nan for every incomplete row
    else:
        domain = np.asarray(scores, dtype=float)
        if domain.shape != (n_respondents,):
            raise ScoringError(
                f"scores must hold one domain score per respondent ({n_respondents}), got "
                f"shape {domain.shape}"
            )
        if np.isinf(domain).any():
            raise ScoringError("scores holds an infinite value; mark an unscored respondent nan")
        _check_range(domain, lo, hi, "scores")
    third = (hi - lo) / 3.0
    lower_third = lo + third
    upper_third = hi - third
    scored = ~np.isnan(domain)
    with np.errstate(invalid="ignore"):
        low = scored & (domain <= lower_third + _BOUNDARY_TOLERANCE)
        high = scored & (domain >= upper_third - _BOUNDARY_TOLERANCE)
    n_scored, split_r2, split_gap, split = _best_splits(
        domain, codes, n_groups, SPLIT_MIN_GAP * (hi - lo)
    )
    n_low = np.bincount(codes, weights=low, minlength=n_groups)
    n_high = np.bincount(codes, weights=high, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_low = n_low / n_scored
        share_high = n_high / n_scored

    skewed_variance = SLIGHT_SKEW_NULL_VARIANCE.get(options)
    result_notes: tuple[str, ...] = ()
    skew_reason = ""
    if skewed_variance is None:
        skew_reason = (
            f"no slightly skewed null variance is tabulated for {options} response options "
            f"(known for {', '.join(map(str, sorted(SLIGHT_SKEW_NULL_VARIANCE)))})"
        )
        result_notes = (f"null_variance_skewed: {skew_reason}",)
        rwg_skewed = np.full(n_groups, np.nan)
    else:
        with np.errstate(invalid="ignore"):
            rwg_skewed = _rwg_from_variance(mean_variance, n_items, skewed_variance)

    results = []
    for g in range(n_groups):  # one object per group: a few dozen, not respondents
        notes: list[str] = []
        rwg_value: float | None = None
        variance: float | None = None
        skewed_value: float | None = None
        if n_per_group[g] >= 2:
            rwg_value = float(rwg[g])
            variance = float(mean_variance[g])
            if skewed_variance is not None:
                skewed_value = float(rwg_skewed[g])
            else:
                notes.append(f"rwg_j_skewed: {skew_reason}")
        else:
            reason = (
                f"{int(n_per_group[g])} respondent(s) answered every item; rwg(j) needs two "
                f"(listwise, as multilevel::rwg.j)"
            )
            notes += [
                f"rwg_j: {reason}",
                f"mean_item_variance: {reason}",
                f"band: {reason}",
                f"rwg_j_skewed: {reason}",
            ]
        low_share: float | None = None
        high_share: float | None = None
        if n_scored[g] > 0:
            low_share = float(share_low[g])
            high_share = float(share_high[g])
        else:
            notes += ["share_low: no scored respondent", "share_high: no scored respondent"]
        r2_value: float | None = None
        gap_value: float | None = None
        if np.isnan(split_r2[g]):
            reason = (
                f"{int(n_scored[g])} scored respondent(s) cannot be cut into two groups of at "
                f"least a quarter each between different scores"
            )
            notes += [f"split_r2: {reason}", f"split_gap: {reason}"]
        else:
            r2_value = float(split_r2[g])
            gap_value = float(split_gap[g])
        results.append(
            GroupAgreement(
                group=labels[g].item(),
                n=int(n_per_group[g]),
                rwg_j=rwg_value,
                mean_item_variance=variance,
                n_scored=int(n_scored[g]),
                share_low=low_share,
                share_high=high_share,
                low_agreement=rwg_value is not None and round(rwg_value, 2) < LOW_AGREEMENT,
                split=bool(split[g]),
                notes=tuple(notes),
                band=rwg_band(rwg_value),
                rwg_j_skewed=skewed_value,
                split_r2=r2_value,
                split_gap=gap_value,
            )
        )
    return AgreementByGroup(
        groups=tuple(results),
        n_items=n_items,
        n_options=options,
        null_variance=null_variance,
        lower_third=lower_third,
        upper_third=upper_third,
        null_variance_skewed=skewed_variance,
        notes=result_notes,
    )


# --------------------------------------------------------------------------- ICC(1), ICC(2)


def icc(scores: ArrayLike, groups: ArrayLike) -> ICC:
    """ICC(1) and ICC(2) of respondents' domain scores grouped by unit.

    Parameters
    ----------
    scores : array_like of float, shape (n_respondents,)
        Domain scores, ``nan`` where not scored (those respondents are dropped first).
    groups : array_like of int or str, shape (n_respondents,)
        Each respondent's group (unit) label.

    Returns
    -------
    ICC

    Notes
    -----
    From the one-way ANOVA of scores by group, with N scored respondents in G groups,
    group sizes n_g, group means ȳ_g and grand mean ȳ:

        MSB = Σ n_g (ȳ_g − ȳ)² / (G − 1)          MSW = Σ Σ (y − ȳ_g)² / (N − G)
        ICC(1) = (MSB − MSW) / (MSB + (k − 1) MSW)    ICC(2) = (MSB − MSW) / MSB

    with k = N / G, the mean group size (Bliese, 2000). This is R multilevel's
    ``ICC1(aov(score ~ factor(group)))`` and ``ICC2(...)``, whose group size is
    (df_within + df_between + 1) / (df_between + 1) = N / G, and psych's ``statsBy(...)$ICC1``
    and ``$ICC2``, whose ``npr`` is likewise N / G. With equal group sizes they are
    Shrout & Fleiss's (1979) ICC(1,1) and ICC(1,k). ICC(1) may be negative; it is not
    truncated. F = MSB / MSW on (G − 1, N − G) degrees of freedom, p its upper tail.

    **Unequal group sizes**: beside k, Bliese (2000) gives the group size of the one-way
    random-effects ANOVA for unequal n_g,

        n0 = (N − Σ n_g² / N) / (G − 1)        ICC(1)_n0 = (MSB − MSW) / (MSB + (n0 − 1) MSW)

    (the E[MSB] = σ²_within + n0 σ²_between coefficient). n0 = k when every group has the
    same size and n0 < k otherwise, so ICC(1)_n0 ≥ ICC(1) when MSB > MSW. R has no function
    for it; it is computed from ``aov`` as in the tests: ``s <- summary(aov(score ~
    factor(group)))[[1]]; nj <- table(group); n0 <- (sum(nj) - sum(nj^2)/sum(nj)) /
    (length(nj) - 1); (s[1, "Mean Sq"] - s[2, "Mean Sq"]) / (s[1, "Mean Sq"] + (n0 - 1) *
    s[2, "Mean Sq"])``. Multilevel's ``bh1996`` (99 groups, 7,382 people) gives, for WBEING,
    ICC(1) = 0.0433690500771082 with k = 74.57 and ICC(1)_n0 = 0.0435098119177088 with
    n0 = 74.3134873022631.

    Groups are counted among scored respondents only (as ``aov`` drops rows with a missing
    score). Edge cases return ``None`` with a note, not an exception: fewer than two groups;
    no group with two or more scores (N = G); MSB = MSW = 0 (every score equal). When
    MSW = 0 < MSB, ICC(1) = ICC(2) = 1, F is infinite and p = 0. When MSB = 0 < MSW,
    ICC(2) is undefined (``None``).

    Examples
    --------
    Shrout & Fleiss (1979), Table 2, the six targets taken as six groups of four ratings;
    R ``psych::ICC(sf)`` gives ICC1 = 0.165741768405476 and ICC1k = 0.442797133679269:

    >>> sf = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
    ...                [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], dtype=float)
    >>> r = icc(sf.ravel(), np.repeat(np.arange(6), 4))
    >>> round(r.icc1, 6), round(r.icc2, 6), round(r.f, 6), r.df1, r.df2
    (0.165742, 0.442797, 1.794678, 5, 18)
    """
    values = np.asarray(scores, dtype=float)
    if values.ndim != 1:
        raise ScoringError(
            f"scores must be one domain score per respondent (a 1-D array), got shape "
            f"{values.shape}"
        )
    if np.isinf(values).any():
        raise ScoringError("scores holds an infinite value; mark an unscored respondent nan")
    _, codes = _group_codes(groups, values.shape[0])
    scored = ~np.isnan(values)
    values = values[scored]
    codes = codes[scored]
    n = int(values.shape[0])
    # renumber so that only groups with a score count (aov drops rows with NA)
    present = np.bincount(codes) > 0 if n else np.zeros(0, dtype=bool)
    codes = (np.cumsum(present) - 1)[codes]
    n_groups = int(present.sum())
    df1 = n_groups - 1
    df2 = n - n_groups

    def undefined(reason: str, **known: float) -> ICC:
        fields = ("icc1", "icc2", "f", "p", "msb", "msw", "k", "n0", "icc1_n0")
        values_ = {name: known.get(name) for name in fields}
        notes = tuple(f"{name}: {reason}" for name in fields if values_[name] is None)
        return ICC(df1=df1, df2=df2, n_groups=n_groups, n=n, notes=notes, **values_)

    if n_groups < 2:
        return undefined(f"{n_groups} group(s) with a score; ICC needs at least two")
    k = n / n_groups
    sizes = np.bincount(codes, minlength=n_groups)
    n0 = float((n - np.dot(sizes, sizes) / n) / df1)
    if df2 == 0:
        return undefined(
            "no group has two or more scores, so there is no within-group variance", k=k, n0=n0
        )
    means = np.bincount(codes, weights=values, minlength=n_groups) / sizes
    grand = values.mean()
    msb = float(np.sum(sizes * (means - grand) ** 2) / df1)
    deviations = values - means[codes]
    msw = float(np.dot(deviations, deviations) / df2)
    common = {
        "df1": df1,
        "df2": df2,
        "msb": msb,
        "msw": msw,
        "k": k,
        "n0": n0,
        "n_groups": n_groups,
        "n": n,
    }
    if msb == 0.0 and msw == 0.0:
        return undefined("every score is the same", msb=msb, msw=msw, k=k, n0=n0)
    if msw == 0.0:
        return ICC(icc1=1.0, icc2=1.0, f=float("inf"), p=0.0, icc1_n0=1.0, **common)
    f = msb / msw
    p = float(stats.f.sf(f, df1, df2))
    icc1 = (msb - msw) / (msb + (k - 1.0) * msw)
    icc1_n0 = (msb - msw) / (msb + (n0 - 1.0) * msw)
    if msb == 0.0:
        return ICC(
            icc1=icc1,
            icc2=None,
            f=f,
            p=p,
            icc1_n0=icc1_n0,
            notes=("icc2: every group has the same mean (MSB = 0)",),
            **common,
        )
    return ICC(icc1=icc1, icc2=(msb - msw) / msb, f=f, p=p, icc1_n0=icc1_n0, **common)
