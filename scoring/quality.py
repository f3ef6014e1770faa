"""Data-quality flags per respondent: long strings, no variability, answering too fast.

These are *flags*, never deletions: every response stays in the data, and a report that leaves
flagged responses out says so and how many. The flags look for insufficient-effort responding
(answering without reading), which the literature detects from invariant answer patterns and
from implausible speed (Huang et al., 2012; Meade & Craig, 2012).

Pass the **raw** answers in the order the items were shown (before reverse keying): a person
who ticks the same box down the page gives a constant raw row, but a varying keyed one.

References
----------
Dunn, A. M., Heggestad, E. D., Shanock, L. R., & Theilgard, N. (2018). Intra-individual response
variability as an indicator of insufficient effort responding: Comparison to other indicators
and relationships with individual differences. *Journal of Business and Psychology*, 33(1),
105–121.

Huang, J. L., Curran, P. G., Keeney, J., Poposki, E. M., & DeShon, R. P. (2012). Detecting and
deterring insufficient effort responding to surveys. *Journal of Business and Psychology*,
27(1), 99–114.

Johnson, J. A. (2005). Ascertaining the validity of individual protocols from web-based
personality inventories. *Journal of Research in Personality*, 39(1), 103–129.

Meade, A. W., & Craig, S. B. (2012). Identifying careless responses in survey data.
*Psychological Methods*, 17(3), 437–455.

Yentes, R. D., & Wilhelm, F. careless: Procedures for computing indices of careless
responding. R package, https://github.com/ryentes/careless (``longstring``, ``irv``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scoring.errors import ScoringError

__all__ = [
    "LONGSTRING_SHARE",
    "MIN_ITEMS",
    "MIN_SECONDS_PER_ITEM",
    "QualityFlags",
    "quality_flags",
]

#: The longstring and zero-variability flags need at least this many answered items.
MIN_ITEMS = 10
#: Longstring flag: the longest run covers at least this share of the answered items.
LONGSTRING_SHARE = 0.5
#: Speed flag: fewer seconds than this per answered item (Huang et al., 2012).
MIN_SECONDS_PER_ITEM = 2.0


@dataclass(frozen=True)
class QualityFlags:
    """Data-quality indices and flags for every respondent of a round (see
    :func:`quality_flags`). Arrays are read-only and have one entry per respondent.

    Attributes
    ----------
    n_answered : numpy.ndarray of int
        Items answered (not missing).
    longstring : numpy.ndarray of int
        Longest run of identical consecutive answers, missing answers skipped (0 when
        nothing was answered).
    irv : numpy.ndarray of float
        Intra-individual response variability: SD (n − 1 denominator) of the answered items;
        ``nan`` with fewer than two answers.
    seconds_per_item : numpy.ndarray of float
        As given, ``nan`` where unknown (all ``nan`` when not given).
    longstring_flag : numpy.ndarray of bool
        n_answered ≥ 10 and longstring ≥ max(10, n_answered / 2).
    zero_variance_flag : numpy.ndarray of bool
        n_answered ≥ 10 and every answered item has the same value (IRV = 0).
    speed_flag : numpy.ndarray of bool
        seconds_per_item < 2 (``False`` where unknown).
    any_flag : numpy.ndarray of bool
        Any of the three.
    n_respondents : int
        Rows.
    n_longstring, n_zero_variance, n_speed, n_any : int
        How many respondents carry each flag.
    n_speed_known : int
        Respondents whose seconds per item are known.
    """

    n_answered: np.ndarray
    longstring: np.ndarray
    irv: np.ndarray
    seconds_per_item: np.ndarray
    longstring_flag: np.ndarray
    zero_variance_flag: np.ndarray
    speed_flag: np.ndarray
    any_flag: np.ndarray
    n_respondents: int
    n_longstring: int
    n_zero_variance: int
    n_speed: int
    n_any: int
    n_speed_known: int


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# Respondents per block: each block is transposed so that every item is a contiguous vector,
# and a block of 8192 × 60 answers (about 4 MB) stays in cache.
_BLOCK = 8192


def _block_indices(block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n answered, longest run and Σ(x − x̄)² over answered items, for a block of rows."""
    by_item = np.ascontiguousarray(block.T)  # items × respondents
    answered = ~np.isnan(by_item)
    n_answered = answered.sum(axis=0)
    totals = np.where(answered, by_item, 0.0).sum(axis=0)
    means = np.divide(totals, n_answered, out=np.zeros(totals.shape), where=n_answered > 0)
    deviations = np.where(answered, by_item - means, 0.0)
    squares = np.einsum("ij,ij->j", deviations, deviations)
    # Longest run over answered items, missing ones skipped: one vector step per item.
    n = by_item.shape[1]
    longest = np.zeros(n, dtype=np.int64)
    run = np.zeros(n, dtype=np.int64)
    last = np.full(n, np.nan)
    for j in range(by_item.shape[0]):
        column = by_item[j]
        same = column == last  # nan (missing, or nothing answered yet) is never equal
        run = np.where(same, run + 1, np.where(answered[j], 1, run))
        np.copyto(last, column, where=answered[j])
        np.maximum(longest, run, out=longest)
    return n_answered, longest, squares


def quality_flags(x: ArrayLike, seconds_per_item: ArrayLike | None = None) -> QualityFlags:
    """Longstring, zero-variability and speed flags for every respondent, vectorized.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        Raw answers in the order shown (not reverse-keyed), ``nan`` for missing.
    seconds_per_item : array_like of float, shape (n_respondents,), optional
        Time taken divided by items answered, per respondent; ``nan`` where unknown (e.g. a
        paper response). When omitted, no one is flagged for speed.

    Returns
    -------
    QualityFlags

    Notes
    -----
    **Longstring** (Johnson, 2005; Meade & Craig, 2012): the length of the longest run of
    identical consecutive answers. Missing answers (skipped, or "not applicable", offered on
    every item) are skipped over: they neither extend nor break a run, so 4, 4, NA, 4 is a run
    of three. On rows without missing answers this equals R careless's ``longstring(x)``,
    which instead breaks a run at every ``NA``. There is no agreed cut-off (Johnson derived
    his from the distribution of his sample); ours is fixed and deliberately conservative,
    because honest staff may agree with many items in a row: flag when at least
    :data:`MIN_ITEMS` (10) items were answered and the longest run covers at least half of
    them and at least ten items, i.e. longstring ≥ max(10, n_answered / 2).

    **Zero intra-individual response variability** (Dunn et al., 2018): IRV is the SD of a
    respondent's answered items (n − 1 denominator), as R careless's ``irv(x, na.rm =
    TRUE)``. Flag when at least ten items were answered and IRV = 0, that is every answer is
    the same (tested exactly, as max = min, not on a rounded SD).

    **Speed** (Huang et al., 2012): flag when fewer than two seconds were spent per answered
    item. Unknown times (``nan``) are never flagged.

    Missing answers are never a flag in themselves: a respondent who answered fewer than ten
    items is not judged on pattern at all.

    Examples
    --------
    >>> x = np.array([[3.0] * 12, [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3, 4], [4.0] * 6 + [2.0] * 6])
    >>> q = quality_flags(x, seconds_per_item=[1.2, 5.0, np.nan])
    >>> q.longstring.tolist(), q.longstring_flag.tolist(), q.zero_variance_flag.tolist()
    ([12, 1, 6], [True, False, False], [True, False, False])
    >>> q.speed_flag.tolist(), q.n_any
    ([True, False, False], 1)
    """
    try:
        matrix = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScoringError(
            f"x must hold answers (numbers) with nan for missing; it could not be read as "
            f"numbers ({exc})"
        ) from None
    if matrix.ndim != 2:
        raise ScoringError(
            f"x must be a 2-D respondents × items matrix of the whole form, got shape "
            f"{matrix.shape}"
        )
    if np.isinf(matrix).any():
        row, col = np.argwhere(np.isinf(matrix))[0]
        raise ScoringError(
            f"x holds an infinite value at row {row}, column {col}; mark missing answers with nan"
        )
    n_respondents, n_items = matrix.shape

    if seconds_per_item is None:
        seconds = np.full(n_respondents, np.nan)
    else:
        seconds = np.array(seconds_per_item, dtype=float)
        if seconds.shape != (n_respondents,):
            raise ScoringError(
                f"seconds_per_item must hold one value per respondent ({n_respondents}), "
                f"got shape {seconds.shape}; use nan where the time is unknown"
            )
        with np.errstate(invalid="ignore"):
            negative = seconds < 0
        if negative.any() or np.isinf(seconds).any():
            row = int(np.argmax(negative | np.isinf(seconds)))
            raise ScoringError(
                f"seconds_per_item[{row}] = {seconds[row]:g} is not a duration; give seconds "
                f"≥ 0, or nan where unknown"
            )

    n_answered = np.zeros(n_respondents, dtype=np.int64)
    longest = np.zeros(n_respondents, dtype=np.int64)
    squares = np.zeros(n_respondents)
    for start in range(0, n_respondents, _BLOCK):  # blocks of thousands of respondents
        stop = min(start + _BLOCK, n_respondents)
        n_answered[start:stop], longest[start:stop], squares[start:stop] = _block_indices(
            matrix[start:stop]
        )
    irv = np.full(n_respondents, np.nan)
    np.sqrt(
        np.divide(squares, n_answered - 1, out=irv, where=n_answered >= 2),
        out=irv,
        where=n_answered >= 2,
    )

    enough = n_answered >= MIN_ITEMS
    longstring_flag = enough & (longest >= np.maximum(MIN_ITEMS, LONGSTRING_SHARE * n_answered))
    # Σ(x − x̄)² is exactly 0 when every answer is the same value v (x̄ = n·v/n = v exactly)
    # and positive otherwise (x̄ cannot equal both the smallest and the largest answer).
    zero_variance_flag = enough & (squares == 0.0)
    with np.errstate(invalid="ignore"):
        speed_flag = seconds < MIN_SECONDS_PER_ITEM  # nan compares False: unknown never flagged
    any_flag = longstring_flag | zero_variance_flag | speed_flag

    return QualityFlags(
        n_answered=_read_only(n_answered),
        longstring=_read_only(longest),
        irv=_read_only(irv),
        seconds_per_item=_read_only(seconds),
        longstring_flag=_read_only(longstring_flag),
        zero_variance_flag=_read_only(zero_variance_flag),
        speed_flag=_read_only(speed_flag),
        any_flag=_read_only(any_flag),
        n_respondents=n_respondents,
        n_longstring=int(longstring_flag.sum()),
        n_zero_variance=int(zero_variance_flag.sum()),
        n_speed=int(speed_flag.sum()),
        n_any=int(any_flag.sum()),
        n_speed_known=int((~np.isnan(seconds)).sum()),
    )
