"""The respondents × items matrix and the per-respondent domain score.

Conventions used by the whole ``scoring`` package
-------------------------------------------------
* An **item matrix** is a float array of shape ``(n_respondents, n_items)``: one row per
  submitted response, one column per item, holding the scale point chosen.
* ``np.nan`` marks every missing answer, whether the item was skipped or answered "not
  applicable / unable to rate". Not applicable is missing, never zero. Callers that report the
  share of not-applicable answers keep a separate boolean mask of the same shape (``na_mask``),
  ``True`` where the respondent chose "not applicable"; every such cell must be ``nan`` in the
  matrix.
* Statistics are computed on the **keyed** matrix (reverse-keyed items already flipped with
  :func:`key_items`), so that a higher value is always the more trauma-informed answer.
* Results are frozen dataclasses. Per-respondent results hold read-only numpy arrays; summaries
  hold plain Python floats and ints. A value that cannot be computed is ``None`` and a line in
  the result's ``notes`` says why, as ``"<field>: <reason>"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scoring.errors import ScoringError

__all__ = [
    "DomainScores",
    "as_item_matrix",
    "check_scale_range",
    "domain_scores",
    "key_items",
    "reverse_key",
    "row_sums",
]


def row_sums(a: np.ndarray) -> np.ndarray:
    """Sum of each row of a 2-D array, as float; ``nan`` where a row holds ``nan``.

    Computed as the matrix–vector product ``a @ 1`` (BLAS), about ten times faster than
    ``a.sum(axis=1)`` on the narrow respondents × items matrices of one domain. Sums of
    whole numbers (answers, counts of booleans) are exact either way.
    """
    values = a if a.dtype == np.float64 else a.astype(np.float64)
    return values @ np.ones(a.shape[1])


def as_item_matrix(x: ArrayLike, *, name: str = "x") -> np.ndarray:
    """Return ``x`` as a C-contiguous 2-D float array (``x`` itself when it already is one:
    the functions of this package never modify their input).

    Raises :class:`~scoring.errors.ScoringError` when ``x`` is not numeric, not 2-D, or holds
    an infinite value (missing answers must be ``nan``).
    """
    try:
        matrix = np.ascontiguousarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScoringError(
            f"{name} must hold numbers (scale points) with nan for missing answers; "
            f"it could not be read as numbers ({exc})"
        ) from None
    if matrix.ndim != 2:
        raise ScoringError(
            f"{name} must be a 2-D respondents × items matrix, got an array with "
            f"{matrix.ndim} dimension(s) of shape {matrix.shape}; for a single item pass "
            f"x.reshape(-1, 1)"
        )
    infinite = np.isinf(matrix)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise ScoringError(
            f"{name} holds an infinite value at row {row}, column {col}; "
            f"mark missing answers with nan"
        )
    return matrix


def _scale_bounds(
    minimum: ArrayLike, maximum: ArrayLike, n_items: int | None
) -> tuple[np.ndarray, np.ndarray]:
    lo = np.asarray(minimum, dtype=float)
    hi = np.asarray(maximum, dtype=float)
    for name, bound in (("minimum", lo), ("maximum", hi)):
        if bound.ndim > 1 or (bound.ndim == 1 and n_items is None):
            raise ScoringError(
                f"{name} must be one number or one number per column of a 2-D matrix, "
                f"got shape {bound.shape}"
            )
        if bound.ndim == 1 and bound.shape[0] != n_items:
            raise ScoringError(
                f"{name} has {bound.shape[0]} values but the matrix has {n_items} columns; "
                f"give one number per column or a single number"
            )
        if not np.isfinite(bound).all():
            raise ScoringError(f"{name} must be finite, got {bound.tolist()}")
    if (lo >= hi).any():
        raise ScoringError(
            f"every scale minimum must be below its maximum, got minimum={lo.tolist()} and "
            f"maximum={hi.tolist()}"
        )
    return lo, hi


def check_scale_range(x: np.ndarray, minimum: ArrayLike, maximum: ArrayLike) -> None:
    """Raise :class:`~scoring.errors.ScoringError` when a non-missing value of ``x`` lies
    outside ``[minimum, maximum]`` (scalars, or one bound per column of a 2-D ``x``)."""
    n_items = x.shape[1] if x.ndim == 2 else None
    lo, hi = _scale_bounds(minimum, maximum, n_items)
    if x.size == 0:
        return
    if lo.ndim == 0:  # one scale: two reductions that skip nan decide it without temporaries
        smallest = np.fmin.reduce(x, axis=None)
        largest = np.fmax.reduce(x, axis=None)
        if np.isnan(smallest) or (smallest >= lo and largest <= hi):
            return
    with np.errstate(invalid="ignore"):
        outside = (x < lo) | (x > hi)  # nan compares False: missing answers pass
    if outside.any():
        where = np.argwhere(outside)[0]
        value = x[tuple(where)]
        if x.ndim == 2:
            row, col = where
            lo_c = lo if lo.ndim == 0 else lo[col]
            hi_c = hi if hi.ndim == 0 else hi[col]
            place = f"row {row}, column {col}"
        else:
            lo_c, hi_c, place = lo, hi, f"position {where[0]}"
        raise ScoringError(
            f"value {value:g} at {place} is outside the scale {float(lo_c):g}–{float(hi_c):g}; "
            f"check the scale given for that item, or mark a missing answer with nan"
        )


def reverse_key(x: ArrayLike, minimum: ArrayLike, maximum: ArrayLike) -> np.ndarray:
    """Reverse-key answers: x' = minimum + maximum − x.

    Parameters
    ----------
    x : array_like
        Answers: one item (1-D) or a respondents × items matrix (2-D); ``nan`` for missing.
    minimum, maximum : float or array_like
        The lowest and highest points of the scale; for a 2-D ``x`` either one number or one
        number per column.

    Returns
    -------
    numpy.ndarray
        A new float array of the shape of ``x``; ``nan`` stays ``nan``.

    Notes
    -----
    The usual reflection about the midpoint of the scale, so that on a 1–5 scale 1 ↔ 5,
    2 ↔ 4 and 3 stays 3. Applying it twice gives back ``x`` exactly (for whole-number
    points). Same convention as R psych's ``reverse.code(keys, items, mini, maxi)``
    (Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality
    Research. Northwestern University, Evanston, Illinois).

    Raises :class:`~scoring.errors.ScoringError` when a value lies outside the scale or
    ``x`` has more than two dimensions.

    Examples
    --------
    >>> reverse_key([1.0, 2.0, np.nan, 5.0], 1, 5)
    array([ 5.,  4., nan,  1.])
    """
    values = np.array(x, dtype=float)
    if values.ndim not in (1, 2):
        raise ScoringError(
            f"x must be one item (1-D) or a respondents × items matrix (2-D), got shape "
            f"{values.shape}"
        )
    check_scale_range(values, minimum, maximum)
    lo, hi = _scale_bounds(minimum, maximum, values.shape[1] if values.ndim == 2 else None)
    return (lo + hi) - values


def key_items(
    x: ArrayLike, reverse: ArrayLike, minimum: ArrayLike, maximum: ArrayLike
) -> np.ndarray:
    """Key a respondents × items matrix: reverse-key the columns flagged in ``reverse``.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        Raw answers, ``nan`` for missing (skipped or not applicable).
    reverse : array_like of bool, shape (n_items,)
        ``True`` for the reverse-keyed items (the instrument's ``reverse: true``).
    minimum, maximum : float or array_like of shape (n_items,)
        Scale bounds, one number or one per column.

    Returns
    -------
    numpy.ndarray
        A new matrix where flagged columns hold minimum + maximum − x and the others are
        unchanged.

    Every value of every column is checked against its scale; a value outside raises
    :class:`~scoring.errors.ScoringError`.

    Examples
    --------
    >>> key_items([[1.0, 1.0], [4.0, np.nan]], [False, True], 1, 5)
    array([[ 1.,  5.],
           [ 4., nan]])
    """
    matrix = as_item_matrix(x)
    flags = np.asarray(reverse)
    if flags.dtype != bool:
        raise ScoringError(
            f"reverse must be booleans (True for a reverse-keyed item), got dtype {flags.dtype}"
        )
    if flags.shape != (matrix.shape[1],):
        raise ScoringError(
            f"reverse has shape {flags.shape} but the matrix has {matrix.shape[1]} columns; "
            f"give one True/False per item"
        )
    check_scale_range(matrix, minimum, maximum)
    lo, hi = _scale_bounds(minimum, maximum, matrix.shape[1])
    keyed = matrix.copy()
    np.subtract(lo + hi, matrix, out=keyed, where=flags)  # flagged columns only
    return keyed


@dataclass(frozen=True)
class DomainScores:
    """Per-respondent domain scores (see :func:`domain_scores`).

    Attributes
    ----------
    scores : numpy.ndarray of float, shape (n_respondents,)
        Mean of the answered items, ``nan`` where the respondent answered too few.
    n_answered : numpy.ndarray of int, shape (n_respondents,)
        Items answered by each respondent.
    n_items : int
        Items in the domain.
    min_answered : float
        The share asked for.
    required : int
        Items a respondent must answer to be scored under the rule.
    n_scored : int
        Respondents with a score.
    rule : str
        The rule in words, for methods sections.
    """

    scores: np.ndarray
    n_answered: np.ndarray
    n_items: int
    min_answered: float
    required: int
    n_scored: int
    rule: str


def _required_items(n_items: int, min_answered: float) -> int:
    if n_items <= 3:
        return n_items
    # smallest m with m / n_items >= min_answered, compared exactly as the rule reads
    shares = np.arange(n_items + 1) / n_items
    return int(np.argmax(shares >= min_answered))


def domain_scores(x: ArrayLike, min_answered: float = 0.75) -> DomainScores:
    """Domain score of every respondent: the mean of the answered items.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        One domain's **keyed** item matrix, ``nan`` for missing (skipped or not applicable).
    min_answered : float, default 0.75
        Share of the domain's items a respondent must answer, 0 < min_answered ≤ 1
        (the instrument's ``scoring.min_answered``).

    Returns
    -------
    DomainScores

    Notes
    -----
    A respondent is scored when answered / n_items ≥ ``min_answered``; when the domain has
    three or fewer items every item must be answered. The score is then

        score = (1 / m) Σ x_j over the m answered items,

    the prorated ("person-mean imputation") scale score, which equals the mean of the items
    after replacing each missing answer by the mean of the respondent's answered items of
    the same scale. Schafer, J. L., & Graham, J. W. (2002). Missing data: Our view of the
    state of the art. *Psychological Methods*, 7(2), 147–177. R: ``ifelse(rowSums(!is.na(d))
    >= m, rowMeans(d, na.rm = TRUE), NA)``.

    Examples
    --------
    >>> s = domain_scores([[4, 5, np.nan, 3], [2, np.nan, np.nan, 2]])
    >>> s.scores
    array([ 4., nan])
    >>> s.required
    3
    """
    matrix = as_item_matrix(x)
    n_respondents, n_items = matrix.shape
    if n_items == 0:
        raise ScoringError("the domain has no items; pass at least one item column")
    if (
        isinstance(min_answered, bool)
        or not isinstance(min_answered, int | float)
        or not 0 < min_answered <= 1
    ):
        raise ScoringError(
            f"min_answered must be a share with 0 < min_answered <= 1 (e.g. 0.75), got "
            f"{min_answered!r}"
        )
    answered = ~np.isnan(matrix)
    n_answered = row_sums(answered).astype(np.int64)
    required = _required_items(n_items, float(min_answered))
    scored = n_answered >= max(required, 1)
    totals = row_sums(np.where(answered, matrix, 0.0))
    scores = np.full(n_respondents, np.nan)
    np.divide(totals, n_answered, out=scores, where=scored)
    scores.flags.writeable = False
    n_answered.flags.writeable = False
    if n_items <= 3:
        rule = (
            f"mean of the answered items; all {n_items} item(s) must be answered "
            f"(domains of three or fewer items)"
        )
    else:
        rule = (
            f"mean of the answered items; at least {required} of {n_items} items answered "
            f"(min_answered = {min_answered:g})"
        )
    return DomainScores(
        scores=scores,
        n_answered=n_answered,
        n_items=n_items,
        min_answered=float(min_answered),
        required=required,
        n_scored=int(scored.sum()),
        rule=rule,
    )
