"""Within-group agreement and between-group reliability: rwg(j), ICC(1) and ICC(2).

Before a unit's mean is read as "the unit's climate", two questions are asked of the data
(Bliese, 2000): do the members of a unit agree with one another (rwg(j), per unit), and do units
differ reliably from one another (ICC(1), ICC(2), over all units of a round)?

Conventions are those of the whole ``scoring`` package: an item matrix is a float array of shape
``(n_respondents, n_items)`` with ``nan`` for a missing answer (skipped or not applicable);
domain scores are a float array ``(n_respondents,)`` with ``nan`` where not scored; group labels
are an integer or string array ``(n_respondents,)``. A value that cannot be computed is ``None``
and a line of the result's ``notes`` says why, as ``"<field>: <reason>"``.

References
----------
Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability: Implications
for data aggregation and analysis. In K. J. Klein & S. W. J. Kozlowski (Eds.), *Multilevel
theory, research, and methods in organizations* (pp. 349–381). San Francisco: Jossey-Bass.

Bliese, P. D. (2022). multilevel: Multilevel Functions. R package version 2.7.

Harrison, D. A., & Klein, K. J. (2007). What's the difference? Diversity constructs as
separation, variety, or disparity in organizations. *Academy of Management Review*, 32(4),
1199–1228.

James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater reliability
with and without response bias. *Journal of Applied Psychology*, 69(1), 85–98.

LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater reliability
and interrater agreement. *Organizational Research Methods*, 11(4), 815–852.

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
    "LOW_AGREEMENT",
    "POLARIZED_MIN_SCORED",
    "POLARIZED_SHARE",
    "AgreementByGroup",
    "GroupAgreement",
    "ICC",
    "RwgJ",
    "agreement_by_group",
    "icc",
    "rwg_j",
]

#: rwg(j) below this is flagged "low agreement": .70 is the conventional cut-off used to justify
#: aggregating members' answers to the unit (LeBreton & Senter, 2008).
LOW_AGREEMENT = 0.70
#: A unit is "polarized" when at least this share of its scored respondents sit in the lower
#: third of the scale and at least this share in the upper third ...
POLARIZED_SHARE = 0.25
#: ... and it has at least this many scored respondents (below five, a quarter is one person).
POLARIZED_MIN_SCORED = 5

# Scores equal to a third-boundary up to floating-point error count as inside the third
# (7/3 computed as a mean of items must meet 1 + 4/3 computed from the scale).
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
        rwg(j); ``None`` when fewer than two respondents of the group answered every item.
    mean_item_variance : float or None
        s̄², mean of the within-group item variances (n − 1 denominator).
    n_scored : int
        Respondents of the group with a domain score, the ones the polarization rule uses.
    share_low : float or None
        Share of scored respondents in the lower third of the scale.
    share_high : float or None
        Share of scored respondents in the upper third of the scale.
    low_agreement : bool
        rwg(j) < :data:`LOW_AGREEMENT` (False when rwg(j) is ``None``).
    polarized : bool
        The unit splits into a low and a high camp; see :func:`agreement_by_group`.
    notes : tuple of str
        ``"<field>: <reason>"`` for every value that is ``None``.
    """

    group: int | str
    n: int
    rwg_j: float | None
    mean_item_variance: float | None
    n_scored: int
    share_low: float | None
    share_high: float | None
    low_agreement: bool
    polarized: bool
    notes: tuple[str, ...] = ()


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
    """

    groups: tuple[GroupAgreement, ...]
    n_items: int
    n_options: int
    null_variance: float
    lower_third: float
    upper_third: float

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
    """rwg(j) per group, with "low agreement" and "polarized" flags, for a whole round at once.

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
        Domain scores (``nan`` where not scored) for the polarization rule, as computed by the
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

    **Low agreement**: rwg(j) < .70 (LeBreton & Senter, 2008).

    **Polarized** (our rule, stated so that it can be checked by hand): a unit is polarized
    when it has at least :data:`POLARIZED_MIN_SCORED` (5) scored respondents and at least a
    quarter of them score in the lower third of the scale *and* at least a quarter in the
    upper third. On a 1–5 scale the thirds are score ≤ 2⅓ and score ≥ 3⅔. This is the
    "separation" form of within-unit difference of Harrison & Klein (2007), whose maximum is
    a unit split into two camps at the two ends of the scale; a split unit can have an rwg(j)
    near zero *or* a middling one, and its mean describes nobody, which is why the flag is
    shown beside rwg(j) rather than inferred from it (LeBreton & Senter, 2008, discuss low
    agreement that reflects subgroups within a unit). A distribution-shape index such as Sarle's
    bimodality coefficient was not used: it rises with skew alone, and ceiling-heavy
    distributions are common in staff surveys.

    Examples
    --------
    Agrees with R ``multilevel::rwg.j(x, grpid = c(1, 1, 1, 2, 2, 2), ranvar = 2)``:

    >>> x = [[4, 4], [4, 5], [5, 5], [1, 5], [5, 1], [3, 3]]
    >>> res = agreement_by_group(x, [1, 1, 1, 2, 2, 2])
    >>> [(g.group, g.n, round(g.rwg_j, 6)) for g in res.groups]
    [(1, 3, 0.909091), (2, 3, 0.0)]
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
    n_scored = np.bincount(codes, weights=scored, minlength=n_groups)
    n_low = np.bincount(codes, weights=low, minlength=n_groups)
    n_high = np.bincount(codes, weights=high, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_low = n_low / n_scored
        share_high = n_high / n_scored
    polarized = (
        (n_scored >= POLARIZED_MIN_SCORED)
        & (share_low >= POLARIZED_SHARE)
        & (share_high >= POLARIZED_SHARE)
    )

    results = []
    for g in range(n_groups):  # one object per group: a few dozen, not respondents
        notes: list[str] = []
        rwg_value: float | None = None
        variance: float | None = None
        if n_per_group[g] >= 2:
            rwg_value = float(rwg[g])
            variance = float(mean_variance[g])
        else:
            reason = (
                f"{int(n_per_group[g])} respondent(s) answered every item; rwg(j) needs two "
                f"(listwise, as multilevel::rwg.j)"
            )
            notes += [f"rwg_j: {reason}", f"mean_item_variance: {reason}"]
        low_share: float | None = None
        high_share: float | None = None
        if n_scored[g] > 0:
            low_share = float(share_low[g])
            high_share = float(share_high[g])
        else:
            notes += ["share_low: no scored respondent", "share_high: no scored respondent"]
        results.append(
            GroupAgreement(
                group=labels[g].item(),
                n=int(n_per_group[g]),
                rwg_j=rwg_value,
                mean_item_variance=variance,
                n_scored=int(n_scored[g]),
                share_low=low_share,
                share_high=high_share,
                low_agreement=rwg_value is not None and rwg_value < LOW_AGREEMENT,
                polarized=bool(polarized[g]),
                notes=tuple(notes),
            )
        )
    return AgreementByGroup(
        groups=tuple(results),
        n_items=n_items,
        n_options=options,
        null_variance=null_variance,
        lower_third=lower_third,
        upper_third=upper_third,
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
        fields = ("icc1", "icc2", "f", "p", "msb", "msw", "k")
        values_ = {name: known.get(name) for name in fields}
        notes = tuple(f"{name}: {reason}" for name in fields if values_[name] is None)
        return ICC(df1=df1, df2=df2, n_groups=n_groups, n=n, notes=notes, **values_)

    if n_groups < 2:
        return undefined(f"{n_groups} group(s) with a score; ICC needs at least two")
    k = n / n_groups
    if df2 == 0:
        return undefined(
            "no group has two or more scores, so there is no within-group variance", k=k
        )
    sizes = np.bincount(codes, minlength=n_groups)
    means = np.bincount(codes, weights=values, minlength=n_groups) / sizes
    grand = values.mean()
    msb = float(np.sum(sizes * (means - grand) ** 2) / df1)
    deviations = values - means[codes]
    msw = float(np.dot(deviations, deviations) / df2)
    if msb == 0.0 and msw == 0.0:
        return undefined("every score is the same", msb=msb, msw=msw, k=k)
    if msw == 0.0:
        return ICC(
            icc1=1.0,
            icc2=1.0,
            f=float("inf"),
            df1=df1,
            df2=df2,
            p=0.0,
            msb=msb,
            msw=msw,
            k=k,
            n_groups=n_groups,
            n=n,
        )
    f = msb / msw
    p = float(stats.f.sf(f, df1, df2))
    icc1 = (msb - msw) / (msb + (k - 1.0) * msw)
    if msb == 0.0:
        return ICC(
            icc1=icc1,
            icc2=None,
            f=f,
            df1=df1,
            df2=df2,
            p=p,
            msb=msb,
            msw=msw,
            k=k,
            n_groups=n_groups,
            n=n,
            notes=("icc2: every group has the same mean (MSB = 0)",),
        )
    return ICC(
        icc1=icc1,
        icc2=(msb - msw) / msb,
        f=f,
        df1=df1,
        df2=df2,
        p=p,
        msb=msb,
        msw=msw,
        k=k,
        n_groups=n_groups,
        n=n,
    )
