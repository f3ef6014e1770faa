"""Descriptive summaries of domain scores and items: n, mean, SD, t confidence interval,
share favorable, distribution over the scale points and share not applicable.

Everything here works on one round at once: :func:`group_summaries` summarizes every unit of a
round in one vectorized pass (``np.bincount`` over group codes, no Python loop over
respondents); :func:`group_summary` and :func:`item_summary` are the one-group and one-item
cases. Matrix conventions are those of :mod:`scoring.matrix`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from scoring.checks import check_confidence as _check_confidence
from scoring.checks import float_or_none as _float_or_none
from scoring.errors import ScoringError
from scoring.matrix import as_item_matrix, row_sums

__all__ = [
    "GroupSummary",
    "GroupedSummaries",
    "ItemSummary",
    "group_summaries",
    "group_summary",
    "item_summary",
]


@dataclass(frozen=True)
class GroupSummary:
    """Summary of one domain for one group of respondents (see :func:`group_summary`).

    Shares are proportions between 0 and 1 (multiply by 100 only for display). A field that
    cannot be computed is ``None``, and ``notes`` holds a line ``"<field>: <reason>"`` for it.

    Attributes
    ----------
    n_respondents : int
        Rows given (respondents in the group, scored or not).
    n : int
        Respondents with a domain score (non-``nan`` score).
    mean, sd : float or None
        Mean and standard deviation (n − 1 denominator) of the domain scores.
    ci_low, ci_high : float or None
        Confidence interval of the mean from the t distribution with n − 1 df.
    confidence : float
        Confidence level of the interval (0.95 by default).
    points : tuple
        The scale points, in the order given.
    counts : tuple of int or None
        Answers at each point, pooled over the domain's items.
    n_answers : int or None
        Answers given (non-missing cells of the item matrix).
    distribution : tuple of float or None
        Share of answers at each point (``counts / n_answers``).
    share_favorable : float or None
        Share of answers in the favorable points.
    n_na : int or None
        Item slots marked not applicable.
    share_na : float or None
        ``n_na`` over all item slots of the group's respondents (n_respondents × n_items).
    notes : tuple of str
        Why a field is ``None``.
    """

    n_respondents: int
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    points: tuple
    counts: tuple[int, ...] | None
    n_answers: int | None
    distribution: tuple[float, ...] | None
    share_favorable: float | None
    n_na: int | None
    share_na: float | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ItemSummary:
    """Summary of one item (see :func:`item_summary`).

    Attributes
    ----------
    n_respondents : int
        Rows given.
    n : int
        Answers given (non-missing).
    n_na : int or None
        Respondents who chose "not applicable" (``None`` without a mask).
    n_skipped : int or None
        Respondents who left the item blank (missing and not marked not applicable).
    mean, sd : float or None
        Mean and standard deviation (n − 1) of the answers.
    points, counts, distribution, share_favorable :
        As in :class:`GroupSummary`, for this item's answers.
    share_na : float or None
        ``n_na / n_respondents``.
    notes : tuple of str
        ``"<field>: <reason>"`` for every ``None`` field.
    """

    n_respondents: int
    n: int
    n_na: int | None
    n_skipped: int | None
    mean: float | None
    sd: float | None
    points: tuple
    counts: tuple[int, ...]
    distribution: tuple[float, ...] | None
    share_favorable: float | None
    share_na: float | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class GroupedSummaries:
    """:func:`group_summaries` for many groups at once: one array element per group.

    Values that cannot be computed are ``nan`` in the arrays; :meth:`summary` returns one
    group as a :class:`GroupSummary` with ``None`` and notes instead.

    Attributes
    ----------
    labels : tuple
        The groups, sorted (as ``numpy.unique`` sorts them).
    n_respondents, n : numpy.ndarray of int, shape (n_groups,)
    mean, sd, ci_low, ci_high : numpy.ndarray of float, shape (n_groups,)
    confidence : float
    points : tuple
    counts : numpy.ndarray of int, shape (n_groups, n_points), or None
    n_answers : numpy.ndarray of int, shape (n_groups,), or None
    distribution : numpy.ndarray of float, shape (n_groups, n_points), or None
    share_favorable : numpy.ndarray of float, shape (n_groups,), or None
    n_na : numpy.ndarray of int, shape (n_groups,), or None
    share_na : numpy.ndarray of float, shape (n_groups,), or None
    n_items : int or None
        Items in the domain (columns of the item matrix or the mask).
    """

    labels: tuple
    n_respondents: np.ndarray
    n: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    confidence: float
    points: tuple
    counts: np.ndarray | None
    n_answers: np.ndarray | None
    distribution: np.ndarray | None
    share_favorable: np.ndarray | None
    n_na: np.ndarray | None
    share_na: np.ndarray | None
    n_items: int | None

    def summary(self, label: Hashable) -> GroupSummary:
        """The summary of one group, with ``None`` and notes where a value is undefined."""
        try:
            g = self.labels.index(label)
        except ValueError:
            raise ScoringError(f"no group {label!r}; the groups are {list(self.labels)}") from None
        has_matrix = self.counts is not None
        has_mask = self.n_na is not None
        n_answers = int(self.n_answers[g]) if has_matrix else None
        return GroupSummary(
            n_respondents=int(self.n_respondents[g]),
            n=int(self.n[g]),
            mean=_float_or_none(self.mean[g]),
            sd=_float_or_none(self.sd[g]),
            ci_low=_float_or_none(self.ci_low[g]),
            ci_high=_float_or_none(self.ci_high[g]),
            confidence=self.confidence,
            points=self.points,
            counts=tuple(int(c) for c in self.counts[g]) if has_matrix else None,
            n_answers=n_answers,
            distribution=(tuple(float(v) for v in self.distribution[g]) if n_answers else None),
            share_favorable=float(self.share_favorable[g]) if n_answers else None,
            n_na=int(self.n_na[g]) if has_mask else None,
            share_na=_float_or_none(self.share_na[g]) if has_mask else None,
            notes=_notes(
                n=int(self.n[g]),
                n_answers=n_answers,
                has_mask=has_mask,
                n_slots=int(self.n_respondents[g]) * (self.n_items or 0),
                item=False,
            ),
        )


def _notes(
    *, n: int, n_answers: int | None, has_mask: bool, n_slots: int, item: bool
) -> tuple[str, ...]:
    """The ``"<field>: <reason>"`` lines for the fields a summary leaves ``None``."""
    counted = "answers" if item else "scored respondents"
    answered = "the item" if item else "the domain's items"
    notes = []
    if n == 0:
        notes.append(
            "mean: no answers to the item"
            if item
            else "mean: no respondent in the group has a domain score"
        )
    if n < 2:
        notes.append(f"sd: needs at least 2 {counted} ({n} here)")
        if not item:
            notes.append(f"ci: needs at least 2 {counted} ({n} here)")
    if n_answers is None:
        notes.append("distribution: no item matrix given")
        notes.append("share_favorable: no item matrix given")
    elif n_answers == 0:
        notes.append(f"distribution: no answers to {answered}")
        notes.append(f"share_favorable: no answers to {answered}")
    if not has_mask:
        notes.append("share_na: no not-applicable mask given")
    elif n_slots == 0:
        notes.append("share_na: no respondents in the group")
    return tuple(notes)


def _scale(points: ArrayLike | None, favorable: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    if points is None or favorable is None:
        raise ScoringError(
            "points and favorable are needed with an item matrix: pass the scale's points "
            "(e.g. points=[1, 2, 3, 4, 5]) and its favorable points (e.g. favorable=[4, 5])"
        )
    pts = np.asarray(points)
    fav = np.asarray(favorable)
    if pts.ndim != 1 or pts.size < 2 or not np.issubdtype(pts.dtype, np.number):
        raise ScoringError(f"points must be a list of at least two numbers, got {points!r}")
    if not np.isfinite(pts).all() or np.unique(pts).size != pts.size:
        raise ScoringError(f"points must be distinct finite numbers, got {pts.tolist()}")
    if fav.ndim != 1 or not np.isin(fav, pts).all():
        raise ScoringError(
            f"favorable points {np.atleast_1d(fav).tolist()} must be among the points "
            f"{pts.tolist()}"
        )
    return pts, fav


def _point_counts(
    matrix: np.ndarray, pts: np.ndarray, group: np.ndarray, n_groups: int
) -> np.ndarray:
    """Answers at each point in each group, shape (n_groups, n_points); raises when an
    answer is not a point of the scale.

    One comparison pass per scale point (a loop over the points, not over respondents).
    The points are distinct, so every answer is a point exactly when the counts add up to
    the number of answers.
    """
    counts = np.empty((n_groups, pts.size), dtype=np.int64)
    for j, point in enumerate(pts.astype(float)):
        hits = matrix == point
        if n_groups == 1:
            counts[0, j] = np.count_nonzero(hits)
        else:
            counts[:, j] = np.bincount(group, weights=row_sums(hits), minlength=n_groups)
    n_answers = matrix.size - np.count_nonzero(np.isnan(matrix))
    if counts.sum() != n_answers:
        bad = ~np.isnan(matrix) & ~np.isin(matrix, pts)
        row, col = np.argwhere(bad)[0]
        raise ScoringError(
            f"value {matrix[row, col]:g} at row {row}, column {col} is not a point of the "
            f"scale {pts.tolist()}; key items before summarizing and mark missing answers "
            f"with nan"
        )
    return counts


def _check_mask(na_mask: ArrayLike, n_rows: int, matrix: np.ndarray | None) -> np.ndarray:
    mask = np.asarray(na_mask)
    if mask.dtype != bool:
        raise ScoringError(
            f"na_mask must be booleans (True where 'not applicable' was chosen), got dtype "
            f"{mask.dtype}"
        )
    if mask.ndim != 2 or mask.shape[0] != n_rows or mask.shape[1] == 0:
        raise ScoringError(
            f"na_mask must be a respondents × items mask with {n_rows} rows and at least one "
            f"column, got shape {mask.shape}"
        )
    if matrix is not None:
        if mask.shape != matrix.shape:
            raise ScoringError(
                f"na_mask has shape {mask.shape} but the item matrix has shape {matrix.shape}"
            )
        clash = mask & ~np.isnan(matrix)
        if clash.any():
            row, col = np.argwhere(clash)[0]
            raise ScoringError(
                f"row {row}, column {col} is marked not applicable but holds an answer; "
                f"not applicable must be nan in the item matrix"
            )
    return mask


def _scores_vector(scores: ArrayLike) -> np.ndarray:
    try:
        vec = np.array(scores, dtype=float)
    except (TypeError, ValueError):
        raise ScoringError("scores must be numbers (domain scores, nan where not scored)") from None
    if vec.ndim != 1:
        raise ScoringError(
            f"scores must be a 1-D array of domain scores, one per respondent, got shape "
            f"{vec.shape}"
        )
    if np.isinf(vec).any():
        raise ScoringError("scores hold an infinite value; mark unscored respondents with nan")
    return vec


def _group_codes(lab: np.ndarray, groups: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """The groups and, for every respondent, the index of its group (sorting, no loop)."""
    if lab.dtype.kind == "f" and np.isnan(lab).any():
        raise ScoringError("labels hold nan; drop respondents without a group first")
    try:
        if groups is None:
            uniq, codes = np.unique(lab, return_inverse=True)
            return uniq, codes.reshape(-1)
        uniq = np.asarray(groups)
        if uniq.ndim != 1 or np.unique(uniq).shape[0] != uniq.shape[0]:
            raise ScoringError(f"groups must be a list of distinct labels, got {groups!r}")
        order = np.argsort(uniq, kind="stable")
        pos = np.searchsorted(uniq[order], lab)
    except TypeError:
        raise ScoringError(
            "labels and groups must be values of one sortable type (e.g. all strings or all "
            "integers) without None"
        ) from None
    pos = np.clip(pos, 0, max(uniq.shape[0] - 1, 0))
    if uniq.shape[0] == 0:
        if lab.shape[0]:
            raise ScoringError("groups is empty but there are respondents; list their groups")
        return uniq, pos
    unknown = uniq[order][pos] != lab
    if unknown.any():
        first = lab[int(np.argmax(unknown))].item()
        raise ScoringError(
            f"label {first!r} is not one of the groups {uniq.tolist()}; add it to groups"
        )
    return uniq, order[pos]


def group_summaries(
    scores: ArrayLike,
    labels: ArrayLike,
    item_matrix: ArrayLike | None = None,
    *,
    points: ArrayLike | None = None,
    favorable: ArrayLike | None = None,
    na_mask: ArrayLike | None = None,
    confidence: float = 0.95,
    groups: ArrayLike | None = None,
) -> GroupedSummaries:
    """Summarize one domain for every group of a round at once (vectorized).

    Parameters
    ----------
    scores : array_like, shape (n_respondents,)
        Domain scores (:func:`scoring.matrix.domain_scores`), ``nan`` where not scored.
    labels : array_like, shape (n_respondents,)
        Group of each respondent (unit ids, role names …); any sortable values without
        ``nan`` or ``None``.
    item_matrix : array_like, shape (n_respondents, n_items), optional
        The domain's **keyed** item matrix for the same respondents; needed for the
        distribution and the share favorable.
    points, favorable : sequence of numbers
        The scale points and the favorable points (required with ``item_matrix``). All the
        domain's items must share this scale.
    na_mask : array_like of bool, shape (n_respondents, n_items), optional
        ``True`` where "not applicable" was chosen; needed for the share not applicable.
    confidence : float, default 0.95
        Level of the confidence interval of the mean.
    groups : array_like, optional
        The groups to report, in this order, including groups without respondents (a unit
        nobody answered for). Every label must be one of them. By default the distinct
        labels, sorted.

    Returns
    -------
    GroupedSummaries

    Notes
    -----
    Per group g with n scored respondents (the rows whose score is not ``nan``):

    * mean x̄ = Σ xᵢ / n; SD s = √(Σ (xᵢ − x̄)² / (n − 1)) (two-pass, so no cancellation);
    * CI: x̄ ± t₍₁₊c₎/₂, ₙ₋₁ · s / √n — Student's t interval, as R's ``t.test(x)$conf.int``;
    * distribution: the answers of the group's respondents (every non-missing cell of the
      item matrix, whether or not the respondent was scored) counted at each point and
      divided by their number; share favorable: the share of those answers at a favorable
      point (the "percent favorable" of climate surveys, pooled over the items);
    * share not applicable: cells marked in ``na_mask`` over n_respondents × n_items.

    Groups are formed with ``numpy.unique(..., return_inverse=True)`` and every sum is one
    ``numpy.bincount`` over the whole round.

    Examples
    --------
    >>> g = group_summaries([3.0, 4.0, 5.0, np.nan, 2.0], ["a", "a", "a", "b", "b"])
    >>> g.labels, g.n.tolist(), g.mean.tolist()
    (('a', 'b'), [3, 1], [4.0, 2.0])
    """
    conf = _check_confidence(confidence)
    vec = _scores_vector(scores)
    n_rows = vec.shape[0]
    lab = np.asarray(labels)
    if lab.shape != (n_rows,):
        raise ScoringError(
            f"labels must give one group per respondent ({n_rows}), got shape {lab.shape}"
        )
    uniq, group = _group_codes(lab, groups)
    return _summarize(
        vec, group, tuple(uniq.tolist()), item_matrix, points, favorable, na_mask, conf
    )


def _summarize(
    vec: np.ndarray,
    group: np.ndarray,
    labels: tuple,
    item_matrix: ArrayLike | None,
    points: ArrayLike | None,
    favorable: ArrayLike | None,
    na_mask: ArrayLike | None,
    conf: float,
) -> GroupedSummaries:
    """:func:`group_summaries` once every respondent has its group's index in ``group``."""
    n_rows = vec.shape[0]
    n_groups = len(labels)
    matrix = None if item_matrix is None else as_item_matrix(item_matrix, name="item_matrix")
    if matrix is not None and matrix.shape[1] == 0:
        raise ScoringError("item_matrix has no columns; pass the domain's item columns")
    if matrix is not None and matrix.shape[0] != n_rows:
        raise ScoringError(
            f"item_matrix has {matrix.shape[0]} rows but scores has {n_rows}; pass the same "
            f"respondents in the same order"
        )

    n_respondents = np.bincount(group, minlength=n_groups)
    scored = ~np.isnan(vec)
    g_scored = group[scored]
    x = vec[scored]
    n = np.bincount(g_scored, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g_scored, weights=x, minlength=n_groups) / n
        dev = x - mean[g_scored]
        ss = np.bincount(g_scored, weights=dev * dev, minlength=n_groups)
        sd = np.sqrt(ss / (n - 1))
    sd[n < 2] = np.nan
    t_crit = np.full(n_groups, np.nan)
    ok = n >= 2
    t_crit[ok] = special.stdtrit(n[ok] - 1, (1 + conf) / 2)  # as scipy.stats.t.ppf
    half = t_crit * sd / np.sqrt(np.where(ok, n, 1))
    ci_low = mean - half
    ci_high = mean + half

    counts = n_answers = distribution = share_favorable = None
    if matrix is not None:
        pts, fav = _scale(points, favorable)
        counts = _point_counts(matrix, pts, group, n_groups)
        n_answers = counts.sum(axis=1)
        fav_cols = np.isin(pts, fav)
        with np.errstate(invalid="ignore", divide="ignore"):
            distribution = counts / n_answers[:, None]
            share_favorable = counts[:, fav_cols].sum(axis=1) / n_answers
        points_out = tuple(pts.tolist())
    else:
        points_out = () if points is None else tuple(np.asarray(points).tolist())

    n_na = share_na = None
    n_items = None if matrix is None else matrix.shape[1]
    if na_mask is not None:
        mask = _check_mask(na_mask, n_rows, matrix)
        n_items = mask.shape[1]
        n_na = np.bincount(group, weights=row_sums(mask), minlength=n_groups).astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            share_na = n_na / (n_respondents * n_items)

    result_arrays = [n_respondents, n, mean, sd, ci_low, ci_high]
    result_arrays += [
        a
        for a in (counts, n_answers, distribution, share_favorable, n_na, share_na)
        if a is not None
    ]
    for arr in result_arrays:
        arr.flags.writeable = False
    return GroupedSummaries(
        labels=labels,
        n_respondents=n_respondents,
        n=n,
        mean=mean,
        sd=sd,
        ci_low=ci_low,
        ci_high=ci_high,
        confidence=conf,
        points=points_out,
        counts=counts,
        n_answers=n_answers,
        distribution=distribution,
        share_favorable=share_favorable,
        n_na=n_na,
        share_na=share_na,
        n_items=n_items,
    )


def group_summary(
    scores: ArrayLike,
    item_matrix: ArrayLike | None = None,
    *,
    points: ArrayLike | None = None,
    favorable: ArrayLike | None = None,
    na_mask: ArrayLike | None = None,
    confidence: float = 0.95,
) -> GroupSummary:
    """Summarize one domain for one group: n, mean, SD, t CI, share favorable,
    distribution, share not applicable.

    Parameters
    ----------
    scores : array_like, shape (n_respondents,)
        The group's domain scores, ``nan`` where not scored.
    item_matrix, points, favorable, na_mask, confidence :
        As in :func:`group_summaries`.

    Returns
    -------
    GroupSummary

    Notes
    -----
    Exactly :func:`group_summaries` with every respondent in one group (same formulas, same
    code): mean; SD with the n − 1 denominator; CI x̄ ± t₀.₉₇₅, ₙ₋₁ · s/√n (R:
    ``t.test(x)$conf.int``); share favorable and distribution over all answers given to
    the domain's items, pooled; share not applicable over all item slots.

    Examples
    --------
    >>> s = group_summary([2.0, 3.0, 4.0], [[2, 2], [3, 3], [4, 4]], points=[1, 2, 3, 4, 5],
    ...                   favorable=[4, 5])
    >>> s.n, s.mean, s.sd, s.share_favorable
    (3, 3.0, 1.0, 0.3333333333333333)
    >>> round(s.ci_low, 6), round(s.ci_high, 6)  # t.test(c(2, 3, 4))$conf.int
    (0.515862, 5.484138)
    """
    vec = _scores_vector(scores)
    one_group = np.zeros(vec.shape[0], dtype=np.intp)
    grouped = _summarize(
        vec,
        one_group,
        (0,),
        item_matrix,
        points,
        favorable,
        na_mask,
        _check_confidence(confidence),
    )
    return grouped.summary(0)


def item_summary(
    column: ArrayLike,
    *,
    points: ArrayLike,
    favorable: ArrayLike,
    na_mask: ArrayLike | None = None,
) -> ItemSummary:
    """Summarize one item: n, not applicable, mean, SD, distribution, share favorable.

    Parameters
    ----------
    column : array_like, shape (n_respondents,)
        The item's answers, ``nan`` for missing. Pass the **keyed** column so that the
        favorable points mean favorable (for a reverse-keyed item the raw answers 1–2 are
        the favorable ones; after keying they are 4–5).
    points, favorable : sequence of numbers
        The scale's points and its favorable points.
    na_mask : array_like of bool, shape (n_respondents,), optional
        ``True`` where the respondent chose "not applicable".

    Returns
    -------
    ItemSummary

    Notes
    -----
    n counts the answers given; mean and SD (n − 1 denominator) are over them, as R's
    ``mean(x, na.rm = TRUE)`` and ``sd(x, na.rm = TRUE)``. The distribution is each point's
    count over n; the share favorable is the share of answers at a favorable point; the
    share not applicable is n_na over all respondents, so a high share shows an item many
    staff could not rate.

    Examples
    --------
    >>> s = item_summary([1, 4, 5, np.nan, 4], points=[1, 2, 3, 4, 5], favorable=[4, 5],
    ...                  na_mask=[False, False, False, True, False])
    >>> s.n, s.n_na, s.n_skipped, s.mean, s.share_favorable, s.share_na
    (4, 1, 0, 3.5, 0.75, 0.2)
    """
    try:
        vec = np.array(column, dtype=float)
    except (TypeError, ValueError):
        raise ScoringError("column must hold numbers (scale points, nan for missing)") from None
    if vec.ndim != 1:
        raise ScoringError(
            f"column must be one item's answers (1-D), got shape {vec.shape}; for several "
            f"items use group_summary"
        )
    mask = None if na_mask is None else np.asarray(na_mask)
    if mask is not None and mask.shape != vec.shape:
        raise ScoringError(
            f"na_mask must have one value per respondent ({vec.shape[0]}), got shape {mask.shape}"
        )
    grouped = _summarize(
        vec,
        np.zeros(vec.shape[0], dtype=np.intp),
        (0,),
        vec.reshape(-1, 1),
        points,
        favorable,
        None if mask is None else mask.reshape(-1, 1),
        0.95,
    )
    g = grouped.summary(0)
    n_na = g.n_na
    n_skipped = None if n_na is None else int(np.isnan(vec).sum()) - n_na
    notes = _notes(
        n=g.n,
        n_answers=g.n_answers,
        has_mask=mask is not None,
        n_slots=g.n_respondents,
        item=True,
    )
    if mask is None:
        notes += ("n_na: no not-applicable mask given", "n_skipped: no not-applicable mask given")
    return ItemSummary(
        n_respondents=g.n_respondents,
        n=g.n,
        n_na=n_na,
        n_skipped=n_skipped,
        mean=g.mean,
        sd=g.sd,
        points=g.points,
        counts=g.counts,
        distribution=g.distribution,
        share_favorable=g.share_favorable,
        share_na=g.share_na,
        notes=notes,
    )
