"""k-anonymity for a row-level file: generalize the quasi-identifiers of each row until every
combination of them that appears in the file is shared by at least *k* rows.

A **quasi-identifier** is a column that is not secret by itself but that someone may know of
a person (their unit, their role, the language they answer in, the day they took part...).
Combined, such columns single a person out, and with them the rest of the row. A file is
*k-anonymous* (Sweeney 2002) when every combination of quasi-identifier values that occurs in
it occurs in at least *k* rows: whoever knows all of a person's quasi-identifiers still finds
at least *k* rows that may be theirs. It is reached by *generalization* (a value replaced by a
less precise one, here: by a single "generalized" value of its column) and, as a last resort,
*suppression* (Samarati 2001): rows left out.

The rows here have one **hierarchical group** (a unit of a tree; a group may be folded into
its parent) and any number of **attributes**, given in the fixed order in which they are
generalized. `k_anonymize` works as follows.

1. **Groups.** A group with fewer than *k* rows can never be made k-anonymous by generalizing
   attributes, so it is folded into its parent, from the leaves up
   (`scoring.disclosure.fold_small_units`); the rows of a tree with fewer than *k* rows in all
   are left out. Callers that already give groups of at least *k* rows (the response export
   labels rows by the units the reports show) never see a group folded.
2. **The ladder.** Level *L* (0 to m, m attributes) generalizes the first *L* attributes.
   From level 0 up, the rows not yet placed are grouped by their group and their values at
   that level; a combination shared by at least *k* of them is placed at that level and keeps
   those values. What is left goes one level up. At level m only the group remains, so every
   row is placed by then.
3. **The remainder.** The rows that reach level m in a group form one combination (the group
   with every attribute generalized). When they are between 1 and k − 1, the combination
   placed at the highest level below m with the fewest rows (ties: the first by its values) is
   moved up one level, and the ladder is run again. Each round moves rows strictly up, so this
   ends; at the latest when the whole group is at level m, which has at least *k* rows.

**Guarantees.** Every combination of (group, attribute values) among the rows kept occurs in
at least *k* rows: each placed combination has at least *k*, and two placed combinations that
happen to show the same values only add up. Identical rows get identical results, and the
result depends only on the multiset of rows, never on their order (values are compared, ties
broken by the values themselves), so two files that hold the same rows in another order, or
two databases whose rows differ only in how the same people are stored, give the same file.
Rows that need no generalization keep every value (local recoding: only the rows in rare
combinations lose detail, and only as far up the ladder as they must go).

References
----------
Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International Journal of
Uncertainty, Fuzziness and Knowledge-Based Systems*, 10(5), 557–570.

Samarati, P. (2001). Protecting respondents' identities in microdata release. *IEEE
Transactions on Knowledge and Data Engineering*, 13(6), 1010–1027. (Generalization along a
fixed hierarchy of each quasi-identifier, with suppression as the last resort.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scoring.disclosure import fold_small_units
from scoring.errors import ScoringError

__all__ = ["KAnonymous", "combination_counts", "k_anonymize"]


@dataclass(frozen=True)
class KAnonymous:
    """The result of :func:`k_anonymize`. Arrays are read-only and indexed by input row.

    Attributes
    ----------
    k : int
        The minimum number of rows per combination.
    group : numpy.ndarray of int
        Each row's group after folding (its own, or the ancestor it was folded into); −1 for a
        row left out.
    values : tuple of tuple of str
        For each attribute (in the order given), each row's value after generalization: the
        value as given, or the attribute's generalized value. Rows left out carry the
        generalized value everywhere.
    level : numpy.ndarray of int
        How many attributes (from the first) each row has generalized: 0 (none) to m (all);
        m for a row left out.
    generalized : numpy.ndarray of int
        For each attribute, how many rows kept carry it generalized.
    folded : numpy.ndarray of bool
        For each group, whether its rows moved to an ancestor (or were left out).
    n_left_out : int
        Rows in a tree with fewer than *k* rows in all.
    """

    k: int
    group: np.ndarray
    values: tuple[tuple[str, ...], ...]
    level: np.ndarray
    generalized: np.ndarray
    folded: np.ndarray
    n_left_out: int

    @property
    def kept(self) -> np.ndarray:
        """Boolean mask of the rows kept."""
        return self.group >= 0


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _check(
    group: ArrayLike,
    parent: ArrayLike,
    attributes: Sequence[Sequence[str]],
    generalized_values: Sequence[str],
    k: object,
) -> tuple[np.ndarray, np.ndarray, int]:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        raise ScoringError(f"k must be a whole number of rows of at least 2, got {k!r}")
    groups = np.asarray(group)
    parents = np.asarray(parent)
    if groups.ndim != 1 or (groups.size and groups.dtype.kind not in "iu"):
        raise ScoringError("group must be a 1-D array of whole numbers, one group index per row")
    if parents.ndim != 1 or (parents.size and parents.dtype.kind not in "iu"):
        raise ScoringError("parent must be a 1-D array of whole numbers, one per group")
    groups = groups.astype(np.int64)
    if groups.size and (groups.min() < 0 or groups.max() >= parents.shape[0]):
        raise ScoringError(
            f"group holds an index outside 0 … {parents.shape[0] - 1}; give each row the "
            "index of its group in parent"
        )
    if len(attributes) != len(generalized_values):
        raise ScoringError(
            f"{len(attributes)} attribute column(s) but {len(generalized_values)} generalized "
            "value(s); give one generalized value per attribute"
        )
    for j, column in enumerate(attributes):
        if len(column) != groups.shape[0]:
            raise ScoringError(
                f"attribute {j} has {len(column)} value(s) for {groups.shape[0]} row(s); give "
                "one value per row"
            )
        if not all(isinstance(value, str) for value in column):
            raise ScoringError(f"attribute {j} must hold text values (str) only")
    return groups, parents.astype(np.int64), int(k)


def _codes(columns: Sequence[Sequence[str]], n: int) -> np.ndarray:
    """Rows × attributes integer codes, numbered in the sorted order of each column's values
    (so the codes, and every tie broken on them, depend only on the values)."""
    codes = np.zeros((n, len(columns)), dtype=np.int64)
    for j, column in enumerate(columns):
        if n:
            _, codes[:, j] = np.unique(np.asarray(column, dtype=object).astype(str),
                                       return_inverse=True)
    return codes


def _ladder(
    row_group: np.ndarray, codes: np.ndarray, kept: np.ndarray, min_level: np.ndarray, k: int
) -> np.ndarray:
    """The level each kept row is placed at (see the module docstring, step 2); −1 for rows
    not kept."""
    n, m = codes.shape
    placed = np.full(n, -1, dtype=np.int64)
    for level in range(m + 1):
        rows = np.flatnonzero(kept & (placed < 0) & (min_level <= level))
        if rows.size == 0:
            continue
        if level == m:
            placed[rows] = m
            break
        key = np.column_stack([row_group[rows], codes[rows, level:]])
        _, inverse, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
        enough = counts[inverse.ravel()] >= k
        placed[rows[enough]] = level
    return placed


def k_anonymize(
    group: ArrayLike,
    parent: ArrayLike,
    attributes: Sequence[Sequence[str]],
    generalized_values: Sequence[str],
    k: int,
) -> KAnonymous:
    """Generalize the attributes of each row (and, as a last resort, its group) until every
    combination of group and attribute values is shared by at least `k` rows.

    Parameters
    ----------
    group : array_like of int, shape (n_rows,)
        Each row's group: an index into `parent`.
    parent : array_like of int, shape (n_groups,)
        The parent of each group, −1 for a root (the tree a group is folded up in).
    attributes : sequence of sequences of str
        The other quasi-identifiers, one column (a value per row) each, **in the order they
        are generalized**: the first is given up first, the last only when every other one
        was not enough.
    generalized_values : sequence of str
        For each attribute, the value a generalized row carries (e.g. ``"not shown"``, or a
        coarser value such as the whole period for a date).
    k : int
        The minimum number of rows per combination.

    Returns
    -------
    KAnonymous

    Notes
    -----
    The algorithm and its guarantees are in the module docstring. Its cost is one sort of the
    rows per level and round of step 3, with at most a few rounds per group in practice.

    Examples
    --------
    One unit of eight (k = 3): four frontline staff answering in English, three in Spanish,
    and one manager answering in English. Language is generalized before role.

    >>> result = k_anonymize(
    ...     [0] * 8, [-1],
    ...     [["en"] * 4 + ["es"] * 3 + ["en"], ["frontline"] * 7 + ["manager"]],
    ...     ["*", "*"], k=3)
    >>> sorted(zip(*result.values))  # doctest: +NORMALIZE_WHITESPACE
    [('*', '*'), ('*', '*'), ('*', '*'), ('*', '*'), ('en', 'frontline'), ('en', 'frontline'),
     ('en', 'frontline'), ('en', 'frontline')]
    >>> result.generalized.tolist()
    [4, 4]

    The manager is alone even with the language generalized, so the smallest combination
    placed, the three Spanish answers, moves up until the manager is hidden among them. Had
    the English frontline rows been the fewest, they would have moved instead: a whole
    combination always moves, never part of it, so identical rows are always treated alike.
    """
    groups, parents, threshold = _check(group, parent, attributes, generalized_values, k)
    n, m = groups.shape[0], len(attributes)
    own = np.bincount(groups, minlength=parents.shape[0])
    folding = fold_small_units(parents, own, threshold)
    row_group = folding.target[groups] if n else np.empty(0, dtype=np.int64)
    kept = row_group >= 0
    codes = _codes(attributes, n)

    min_level = np.zeros(n, dtype=np.int64)
    while True:
        placed = _ladder(row_group, codes, kept, min_level, threshold)
        top = kept & (placed == m)
        remainder = np.bincount(row_group[top], minlength=parents.shape[0])
        short = np.flatnonzero((remainder > 0) & (remainder < threshold))
        if short.size == 0:
            break
        for g in short:
            below = np.flatnonzero((row_group == g) & kept & (placed < m))
            level = int(placed[below].max())  # the group has ≥ k rows: some are placed below
            rows = below[placed[below] == level]
            key = codes[rows, level:]
            values, inverse, counts = np.unique(
                key, axis=0, return_inverse=True, return_counts=True
            )
            inverse = inverse.ravel()
            # the fewest rows; ties: the first combination in the sorted order of its values
            chosen = int(np.flatnonzero(counts == counts.min())[0])
            min_level[rows[inverse == chosen]] = level + 1

    level_of = np.where(kept, placed, m)
    columns = []
    generalized = np.zeros(m, dtype=np.int64)
    for j, column in enumerate(attributes):
        hidden = level_of > j
        generalized[j] = int((hidden & kept).sum())
        columns.append(tuple(
            generalized_values[j] if hidden[i] else column[i] for i in range(n)
        ))
    return KAnonymous(
        k=threshold,
        group=_read_only(row_group.astype(np.int64)),
        values=tuple(columns),
        level=_read_only(level_of.astype(np.int64)),
        generalized=_read_only(generalized),
        folded=folding.folded,
        n_left_out=int((~kept).sum()),
    )


def combination_counts(group: ArrayLike, values: Sequence[Sequence[str]]) -> dict[tuple, int]:
    """How many rows share each combination of group and values (rows with group −1 left
    out): what a reader of the file can count. Every count is at least k after
    :func:`k_anonymize`.

    >>> combination_counts([0, 0, 1], [["a", "a", "a"]])
    {(0, 'a'): 2, (1, 'a'): 1}
    """
    groups = np.asarray(group, dtype=np.int64)
    counts: dict[tuple, int] = {}
    for i in range(groups.shape[0]):
        if groups[i] < 0:
            continue
        key = (int(groups[i]), *(column[i] for column in values))
        counts[key] = counts.get(key, 0) + 1
    return counts
