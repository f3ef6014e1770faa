"""Disclosure control: which cells of a round's unit tree (or role breakdown) may be shown.

Decided once per round and breakdown, on the whole tree, never per viewer (DESIGN.md section 6),
so that every manager, every export and every page sees the same cells and no combination of
them reveals a group of fewer than *k* responses.

A **tree of cells** is given as ``parent``, an integer array with the index of each cell's
parent and −1 for a root (several roots are allowed), and ``own_counts``, the responses filed
*directly* on each cell, beside those of its children (a unit's manager may answer at the
unit above the teams, say). The functions roll these up to subtree counts themselves, so the
counts can never contradict the tree. A role breakdown inside a unit is the same shape: a root
for the unit (own count: respondents who gave no role) with one child per role.

The methods are those of statistical disclosure control for tables: a minimum cell size
(threshold rule) and complementary (secondary) suppression, which withholds further cells so
that a withheld cell cannot be recovered by subtracting shown cells from a shown total.

References
----------
Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Nordholt, E. S., Spicer, K., &
de Wolf, P.-P. (2012). *Statistical disclosure control*. Chichester: Wiley. (Chapter 4,
magnitude and frequency tables: threshold rule and secondary suppression in hierarchical
tables.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scoring.errors import ScoringError

__all__ = [
    "BELOW_K",
    "NO_DATA",
    "NO_RESPONSES",
    "PROTECTS_SMALLER",
    "SHOWN",
    "WITHHELD",
    "Disclosure",
    "FoldedUnits",
    "MeasureDisclosure",
    "comment_visibility",
    "disclose",
    "disclose_measures",
    "fold_small_units",
    "nearest_shown",
    "response_rate_visibility",
]

SHOWN = "shown"
WITHHELD = "withheld"
NO_DATA = "no data"

# Why a cell is not shown, as short codes a page or an export turns into words: a group with
# fewer than k answers for that number; a group withheld (with k or more) so that a smaller
# withheld one cannot be worked out by subtraction; a group with no answers at all.
BELOW_K = "below_k"
PROTECTS_SMALLER = "protects_smaller"
NO_RESPONSES = "no_data"


@dataclass(frozen=True)
class Disclosure:
    """The disclosure decision for every cell of a tree (see :func:`disclose`).

    Arrays are read-only and indexed like ``parent``.

    Attributes
    ----------
    k : int
        The minimum group size.
    counts : numpy.ndarray of int
        Responses in each cell's whole subtree (own plus all descendants).
    status : numpy.ndarray of str
        :data:`SHOWN`, :data:`WITHHELD` or :data:`NO_DATA` (count 0, to be shown differently
        from withheld).
    reason : numpy.ndarray of str
        Why, in words for a reader: ``"at least k responses"``, ``"no responses"``,
        ``"fewer than k responses"`` or, for complementary suppression, ``"withheld so that a
        smaller withheld group cannot be worked out from the totals"``.
    code : numpy.ndarray of str
        The reason as a short code: ``""`` (shown), :data:`BELOW_K`, :data:`PROTECTS_SMALLER`
        (withheld with k or more, to protect a smaller group) or :data:`NO_RESPONSES`.
    complementary_for : numpy.ndarray of int
        For a cell withheld by complementary suppression, the shown cell whose total made it
        necessary; −1 otherwise.
    n_shown, n_withheld, n_no_data : int
        Cells of each status.
    """

    k: int
    counts: np.ndarray
    status: np.ndarray
    reason: np.ndarray
    code: np.ndarray
    complementary_for: np.ndarray
    n_shown: int
    n_withheld: int
    n_no_data: int

    @property
    def shown(self) -> np.ndarray:
        """Boolean mask of the cells that may be shown."""
        return self.status == SHOWN


@dataclass(frozen=True)
class FoldedUnits:
    """Where each unit's responses go in the raw anonymized export (see
    :func:`fold_small_units`). Arrays are read-only and indexed like ``parent``.

    Attributes
    ----------
    target : numpy.ndarray of int
        The unit whose label the unit's responses carry in the export: the unit itself, or the
        ancestor they were folded into; −1 when its whole tree has fewer than *k* responses,
        so the responses cannot carry any unit label (leave them out of the export and say
        so).
    exported_counts : numpy.ndarray of int
        Responses that carry each unit's label after folding: always 0 or at least *k*.
    folded : numpy.ndarray of bool
        Units whose responses (own, and any folded into them) were moved to an ancestor or
        to −1; exactly the units whose target is not themselves.
    n_unplaced : int
        Responses with target −1.
    """

    target: np.ndarray
    exported_counts: np.ndarray
    folded: np.ndarray
    n_unplaced: int


# --------------------------------------------------------------------------- input checks


def _threshold(k: object, name: str = "k") -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ScoringError(f"{name} must be a whole number of responses (e.g. 5), got {k!r}")
    if k < 2:
        raise ScoringError(
            f"{name} must be at least 2 (a threshold of {k} protects no one; rounds use 3–10), "
            f"got {k}"
        )
    return int(k)


def _whole_numbers(values: ArrayLike, name: str, length: int | None = None) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ScoringError(
            f"{name} must be a 1-D array, one number per cell, got shape {array.shape}"
        )
    if length is not None and array.shape[0] != length:
        raise ScoringError(
            f"{name} has {array.shape[0]} value(s) but parent has {length}; give one per cell"
        )
    if array.dtype.kind == "b" or array.dtype.kind not in "iuf":
        raise ScoringError(f"{name} must hold whole numbers, got dtype {array.dtype}")
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            i = int(np.argmax(bad))
            raise ScoringError(f"{name}[{i}] = {array[i]:g} is not a whole number")
    return array.astype(np.int64)


def _counts(own_counts: ArrayLike, length: int) -> np.ndarray:
    own = _whole_numbers(own_counts, "own_counts", length)
    if (own < 0).any():
        i = int(np.argmax(own < 0))
        raise ScoringError(f"own_counts[{i}] = {own[i]} is negative; counts are 0 or more")
    return own


def _tree(parent: ArrayLike) -> tuple[np.ndarray, np.ndarray, list[list[int]]]:
    """Validated parent array, depth of every cell (roots 0) and children lists."""
    parents = _whole_numbers(parent, "parent")
    n = parents.shape[0]
    bad = (parents < -1) | (parents >= n)
    if bad.any():
        i = int(np.argmax(bad))
        raise ScoringError(
            f"parent[{i}] = {parents[i]} is not a cell index; use −1 for a root or an index "
            f"from 0 to {n - 1}"
        )
    own_parent = parents == np.arange(n)
    if own_parent.any():
        i = int(np.argmax(own_parent))
        raise ScoringError(f"parent[{i}] = {i}: a cell cannot be its own parent; use −1 for a root")
    depth = np.full(n, -1, dtype=np.int64)
    on_path = np.zeros(n, dtype=bool)
    for start in range(n):  # cells of a unit tree: hundreds at most
        path = []
        node = start
        while node != -1 and depth[node] == -1:
            if on_path[node]:
                raise ScoringError(
                    f"parent makes a cycle through cell {node}; every chain of parents must "
                    f"end at a root (−1)"
                )
            on_path[node] = True
            path.append(node)
            node = int(parents[node])
        level = -1 if node == -1 else int(depth[node])
        for cell in reversed(path):
            level += 1
            depth[cell] = level
            on_path[cell] = False
    children: list[list[int]] = [[] for _ in range(n)]
    for cell in range(n):
        if parents[cell] >= 0:
            children[int(parents[cell])].append(cell)
    return parents, depth, children


def _subtree_counts(parents: np.ndarray, depth: np.ndarray, own: np.ndarray) -> np.ndarray:
    counts = own.copy()
    for level in range(int(depth.max(initial=0)), 0, -1):
        cells = np.flatnonzero(depth == level)
        np.add.at(counts, parents[cells], counts[cells])
    return counts


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------- disclose


def disclose(
    parent: ArrayLike,
    own_counts: ArrayLike,
    k: int,
    *,
    withheld: ArrayLike | None = None,
    parts: ArrayLike | None = None,
) -> Disclosure:
    """Decide for every cell of a tree whether it is shown, withheld, or has no data.

    Parameters
    ----------
    parent : array_like of int, shape (n_cells,)
        Index of each cell's parent, −1 for a root.
    own_counts : array_like of int, shape (n_cells,)
        Responses filed directly on each cell (not counting its children's).
    k : int
        Minimum group size (a round's threshold, 3–10).
    withheld : array_like of bool, shape (n_cells,), optional
        Cells that must be withheld whatever their count, because another decision withheld
        them (e.g. a unit withheld as a whole, for one item of it). They are treated like
        any withheld cell: complementary suppression protects them too.
    parts : array_like of int, shape (n_parts, n_cells), optional
        Own counts of sub-populations whose contents some reader may know apart from the rest
        (e.g. web responses, apart from the paper forms an admin typed in). Every shown cell,
        and every difference the rule below guards, must also hold 0 or at least k of each
        part, so that a reader who subtracts what they know still faces k people or none.

    Returns
    -------
    Disclosure

    Notes
    -----
    With n(c) the responses in cell c's whole subtree:

    1. **Threshold rule.** n(c) = 0 → *no data*; 0 < n(c) < k → *withheld* ("fewer than k
       responses"); otherwise provisionally *shown*.
    2. **Complementary suppression.** For a shown cell P, its *frontier* F(P) is the set of
       shown descendants nearest to P on each downward path (a path stops at the first shown
       cell). The responses of P not covered by its frontier,

           r(P) = n(P) − Σ_{f ∈ F(P)} n(f),

       are exactly what a reader gets by subtracting the shown cells below P from P's total.
       When 0 < r(P) < k, the smallest cell of F(P) is withheld (all cells tied for smallest
       together, so that the decision cannot depend on the order the cells are listed in);
       its own shown descendants then join F(P). This repeats until r(P) = 0 or r(P) ≥ k,
       which always happens, since with an empty frontier r(P) = n(P) ≥ k.

    Cells are processed from the roots down. Suppressing inside P changes only P's frontier
    (P stays shown and covers everything below it for the cells above), and cells at the same
    depth have disjoint subtrees, so one pass from the roots down reaches the fixpoint of the
    rule over the whole tree, and the result depends only on the tree and its counts.

    **What this guarantees.** For every shown cell P and *every* antichain A of shown
    descendants of P (no member of A below another), n(P) − Σ_{a ∈ A} n(a) is 0 or at least
    k: that difference is r(P) plus, for each frontier cell, either 0, its full count, or the
    same kind of difference one level down, and a sum of terms each 0 or ≥ k is 0 or ≥ k. So
    no group of 1 to k − 1 responses can be recovered by subtracting shown counts from a
    shown total. (Differences *across* breakdowns, e.g. a role within a unit against the same
    role one level up, are outside one tree; decide such breakdowns as one tree or not show
    both.)

    Reports may show both kinds of *withheld* alike; keeping the reasons apart tells a reader
    only that a complementary cell has at least k responses.

    Examples
    --------
    A unit of 12 (2 answered at the unit itself) with teams of 7 and 3, k = 5: the team of 3
    is below the threshold, and 12 − 7 = 5 keeps it hidden, so the team of 7 stays shown.

    >>> d = disclose([-1, 0, 0], [2, 7, 3], k=5)
    >>> d.status.tolist()
    ['shown', 'shown', 'withheld']

    With teams of 9 and 3 and nothing at the unit itself, 12 − 9 = 3 would reveal the small
    team, so the team of 9 is withheld too:

    >>> disclose([-1, 0, 0], [0, 9, 3], k=5).status.tolist()
    ['shown', 'withheld', 'withheld']
    """
    parents, depth, children = _tree(parent)
    own = _counts(own_counts, parents.shape[0])
    threshold = _threshold(k)
    n_cells = parents.shape[0]
    counts = _subtree_counts(parents, depth, own)

    forced = np.zeros(n_cells, dtype=bool)
    if withheld is not None:
        forced = np.asarray(withheld, dtype=bool)
        if forced.shape != (n_cells,):
            raise ScoringError(
                f"withheld has shape {forced.shape}; give one flag per cell ({n_cells})"
            )
    complementary = "withheld so that a smaller withheld group cannot be worked out from the totals"
    part_counts = np.zeros((0, n_cells), dtype=np.int64)
    if parts is not None:
        part_own = np.asarray(parts)
        if part_own.ndim != 2 or part_own.shape[1] != n_cells:
            raise ScoringError(f"parts must be shaped (parts, {n_cells} cells)")
        part_own = np.stack([_counts(row, n_cells) for row in part_own]) if len(part_own) else (
            part_own.astype(np.int64)
        )
        if (part_own > own).any():
            raise ScoringError("a part cannot count more responses than its cell's own count")
        part_counts = np.stack([_subtree_counts(parents, depth, row) for row in part_own]) if (
            len(part_own)) else part_counts
    part_ok = ((part_counts == 0) | (part_counts >= threshold)).all(axis=0)
    shown = (counts >= threshold) & ~forced & part_ok
    status = np.where(counts == 0, NO_DATA, np.where(shown, SHOWN, WITHHELD)).astype(object)
    reason = np.where(
        counts == 0,
        "no responses",
        np.where(
            shown,
            f"at least {threshold} responses",
            np.where(counts < threshold, f"fewer than {threshold} responses", complementary),
        ),
    ).astype(object)
    complementary_for = np.full(n_cells, -1, dtype=np.int64)

    def frontier(cell: int) -> list[int]:
        found: list[int] = []
        stack = list(children[cell])
        while stack:
            node = stack.pop()
            if shown[node]:
                found.append(node)
            elif counts[node] > 0:  # withheld: look through it; no data: nothing below
                stack.extend(children[node])
        return found

    for cell in np.argsort(depth, kind="stable"):  # roots first; same depth: disjoint subtrees
        if not shown[cell]:
            continue
        while True:
            front = frontier(int(cell))
            residual = int(counts[cell] - counts[front].sum()) if front else int(counts[cell])
            part_residual = part_counts[:, cell] - part_counts[:, front].sum(axis=1)
            if (residual == 0 or residual >= threshold) and (
                (part_residual == 0) | (part_residual >= threshold)
            ).all():
                break
            smallest = counts[front].min()
            for node in front:
                if counts[node] == smallest:
                    shown[node] = False
                    status[node] = WITHHELD
                    reason[node] = complementary
                    complementary_for[node] = int(cell)

    status_array = status.astype(str)
    code = np.where(
        status_array == SHOWN,
        "",
        np.where(
            status_array == NO_DATA,
            NO_RESPONSES,
            np.where(counts < threshold, BELOW_K, PROTECTS_SMALLER),
        ),
    ).astype(str)
    return Disclosure(
        k=threshold,
        counts=_read_only(counts),
        status=_read_only(status_array),
        reason=_read_only(reason.astype(str)),
        code=_read_only(code),
        complementary_for=_read_only(complementary_for),
        n_shown=int((status_array == SHOWN).sum()),
        n_withheld=int((status_array == WITHHELD).sum()),
        n_no_data=int((status_array == NO_DATA).sum()),
    )


def nearest_shown(parent: ArrayLike, shown: ArrayLike) -> np.ndarray:
    """For every cell, the nearest cell at or above it that is shown (−1 when none is).

    This is the *shown partition* of a tree: counting each response in the nearest shown cell
    of its own cell groups the responses into disjoint groups that a reader can tell apart,
    and nothing finer. Statistics that compare groups (agreement, between-group variance)
    must be computed on these groups only, never on withheld cells' own responses.

    >>> nearest_shown([-1, 0, 0, 2], [True, True, False, False]).tolist()
    [0, 1, 0, 0]
    """
    parents, depth, _ = _tree(parent)
    mask = np.asarray(shown, dtype=bool)
    if mask.shape != parents.shape:
        raise ScoringError(f"shown has shape {mask.shape}; give one flag per cell")
    out = np.where(mask, np.arange(parents.shape[0]), -1)
    for cell in np.argsort(depth, kind="stable"):  # roots first: parents are settled
        if not mask[cell] and parents[cell] >= 0:
            out[cell] = out[parents[cell]]
    return out


@dataclass(frozen=True)
class MeasureDisclosure:
    """The disclosure of several numbers (measures) over one tree (see
    :func:`disclose_measures`). Arrays are read-only, shaped (n_measures, n_cells).

    Attributes
    ----------
    counts : numpy.ndarray of int
        Answers behind each measure in each cell's whole subtree.
    status : numpy.ndarray of str
        :data:`SHOWN`, :data:`WITHHELD` or :data:`NO_DATA`.
    code : numpy.ndarray of str
        ``""`` when shown, else :data:`BELOW_K`, :data:`PROTECTS_SMALLER` or
        :data:`NO_RESPONSES`.
    """

    counts: np.ndarray
    status: np.ndarray
    code: np.ndarray

    def shown(self, measure: int, cell: int) -> bool:
        return bool(self.status[measure, cell] == SHOWN)


def disclose_measures(
    parent: ArrayLike,
    own_counts: ArrayLike,
    k: int,
    *,
    cells: Disclosure,
    linked: tuple[tuple[int, ...], ...] = (),
    withheld: ArrayLike | None = None,
    parts: ArrayLike | None = None,
) -> MeasureDisclosure:
    """Decide every number of every cell: one measure (an item's answers, a domain's scored
    respondents) at a time, on the whole tree, within the decision about the cells themselves.

    Parameters
    ----------
    parent : array_like of int, shape (n_cells,)
        The tree, as for :func:`disclose`.
    own_counts : array_like of int, shape (n_measures, n_cells)
        For each measure, the answers filed directly on each cell (respondents who answered
        that item, or who have that domain's score).
    k : int
        Minimum group size.
    cells : Disclosure
        The decision about the cells themselves (:func:`disclose` over response counts). A
        cell it withholds is withheld for every measure, with its reason.
    linked : tuple of tuples of int
        Groups of measures that a reader can combine within a cell, such as the items of one
        domain (the domain's score rests on them all).
    withheld : array_like of bool, shape (n_measures, n_cells), optional
        Numbers withheld by a decision made elsewhere (e.g. the agency's domain mean, for the
        role breakdown of that domain).
    parts : array_like of int, shape (n_measures, n_parts, n_cells), optional
        For each measure, the own counts of sub-populations (see :func:`disclose`).

    Returns
    -------
    MeasureDisclosure

    Notes
    -----
    Each measure is decided with :func:`disclose` (threshold rule and complementary
    suppression down the tree), so that no shown cell's number minus shown numbers below it
    rests on fewer than k answers. Within a cell, for every linked group with a shown member
    and a withheld member with answers, some withheld member must have at least k answers
    (then what a reader could work out from the group's combined numbers rests on at least
    k people): otherwise the group's shown member with the fewest answers is withheld too
    (of several tied, the first in the group's order, which is fixed by the instrument, so
    the decision never depends on the order of the data). That withholding is fed back into
    the tree decision of that measure, and both rules are applied again until nothing
    changes; only withholding is ever added, so this ends.
    """
    parents, _, _ = _tree(parent)
    n_cells = parents.shape[0]
    own = np.asarray(own_counts)
    if own.ndim != 2 or own.shape[1] != n_cells:
        raise ScoringError(
            f"own_counts must be shaped (measures, {n_cells} cells), got {own.shape}"
        )
    threshold = _threshold(k)
    cell_withheld = cells.status != SHOWN
    forced = np.repeat(cell_withheld[None, :], own.shape[0], axis=0)
    if withheld is not None:
        extra = np.asarray(withheld, dtype=bool)
        if extra.shape != own.shape:
            raise ScoringError(f"withheld must be shaped like own_counts {own.shape}")
        forced |= extra
    decisions: list[Disclosure | None] = [None] * own.shape[0]
    dirty = set(range(own.shape[0]))
    while dirty:
        for m in sorted(dirty):
            decisions[m] = disclose(
                parents, own[m], threshold, withheld=forced[m],
                parts=None if parts is None else np.asarray(parts)[m],
            )
        dirty = set()
        for group in linked:
            if len(group) < 2:
                continue
            counts = np.stack([decisions[m].counts for m in group])  # type: ignore[union-attr]
            shown = np.stack([decisions[m].status == SHOWN for m in group])  # type: ignore[union-attr]
            hidden = ~shown & (counts > 0)
            big_hidden = (hidden & (counts >= threshold)).any(axis=0)
            need = shown.any(axis=0) & hidden.any(axis=0) & ~big_hidden
            for cell in np.flatnonzero(need):
                candidates = np.flatnonzero(shown[:, cell])
                row = int(candidates[np.argmin(counts[candidates, cell])])  # first of ties
                forced[group[row], cell] = True
                dirty.add(group[row])
    status = np.stack([d.status for d in decisions])  # type: ignore[union-attr]
    code = np.stack([d.code for d in decisions])  # type: ignore[union-attr]
    # A cell withheld as a whole is withheld for every number, for the cell's own reason.
    code[:, cell_withheld] = cells.code[cell_withheld]
    status[:, cell_withheld] = cells.status[cell_withheld]
    counts = np.stack([d.counts for d in decisions])  # type: ignore[union-attr]
    return MeasureDisclosure(
        counts=_read_only(counts), status=_read_only(status), code=_read_only(code)
    )


# --------------------------------------------------------------------------- helpers


def comment_visibility(counts: ArrayLike, min_comment_group: int) -> np.ndarray:
    """Which groups' comments may be listed: those of at least ``min_comment_group`` responses.

    Parameters
    ----------
    counts : array_like of int, shape (n_groups,)
        Responses in each group whose comments would be listed (for a unit, its whole
        subtree).
    min_comment_group : int
        The round's minimum comment group size (default 10 at launch).

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the group's comments may be listed (shuffled and undated, by the
        caller).

    Notes
    -----
    Comments are text, so a small group's comments are exposed not only when listed for that
    group but also when a reader can set two lists side by side: the comments of a unit that
    are missing from the lists of its teams belong to the teams not listed. When comments are
    listed at more than one level of a tree, decide them as one tree with complementary
    suppression: ``disclose(parent, own_counts, k=min_comment_group).shown``.

    Examples
    --------
    >>> comment_visibility([12, 9, 0, 10], 10).tolist()
    [True, False, False, True]
    """
    threshold = _threshold(min_comment_group, "min_comment_group")
    n = _whole_numbers(counts, "counts")
    if (n < 0).any():
        raise ScoringError("counts holds a negative number; counts are 0 or more")
    return n >= threshold


def response_rate_visibility(invited: ArrayLike, k: int) -> np.ndarray:
    """Which units' response rates may be shown: those with at least ``k`` people invited.

    Parameters
    ----------
    invited : array_like of int, shape (n_units,)
        People invited in each unit (the round's snapshot).
    k : int
        The round's minimum group size.

    Returns
    -------
    numpy.ndarray of bool

    Notes
    -----
    DESIGN.md section 6: response rates only for units with at least *k* invited. A rate
    reveals how many answered (rate × invited), never what they answered; below *k* invited
    even the number taking part is withheld.

    Examples
    --------
    >>> response_rate_visibility([3, 5, 40, 0], 5).tolist()
    [False, True, True, False]
    """
    threshold = _threshold(k)
    n = _whole_numbers(invited, "invited")
    if (n < 0).any():
        raise ScoringError("invited holds a negative number; counts are 0 or more")
    return n >= threshold


def fold_small_units(parent: ArrayLike, own_counts: ArrayLike, k: int) -> FoldedUnits:
    """Fold units with fewer than ``k`` responses into their parent, for the raw export.

    Parameters
    ----------
    parent : array_like of int, shape (n_units,)
        Index of each unit's parent, −1 for a root.
    own_counts : array_like of int, shape (n_units,)
        Responses filed directly on each unit.
    k : int
        The round's minimum group size.

    Returns
    -------
    FoldedUnits

    Notes
    -----
    In the raw anonymized export every response row carries one unit label, and a reader can
    count the rows per label. So what must be at least *k* is the number of rows that *end
    up* with a label, not the unit's subtree count. Units are processed from the leaves up:
    a unit's rows are its own responses plus those folded into it from below; when that is
    between 1 and k − 1 they all move to its parent. Each unit's target is therefore its
    nearest ancestor that keeps its label (which has at least *k* rows), and every label in
    the export covers 0 or at least *k* rows. The label sets are disjoint, so no subtraction
    between them isolates a smaller group.

    A root has no parent to fold into: when its rows are still between 1 and k − 1, the
    kept unit of its tree with the fewest rows is folded into the root as well (all units
    tied for fewest together), which gives the root at least *k*. Only when a whole tree has
    fewer than *k* responses do its rows get target −1.

    Examples
    --------
    Agency (own 1) with teams of 2, 8 and 6, k = 5: the team of 2 joins the agency, which then
    carries 3 rows, still too few and with no parent, so the smallest kept team (6) joins it
    too.

    >>> f = fold_small_units([-1, 0, 0, 0], [1, 2, 8, 6], k=5)
    >>> f.target.tolist(), f.exported_counts.tolist(), f.n_unplaced
    ([0, 0, 2, 0], [9, 0, 8, 0], 0)
    >>> tiny = fold_small_units([-1, 0], [1, 2], k=5)
    >>> tiny.target.tolist(), tiny.exported_counts.tolist(), tiny.n_unplaced
    ([-1, -1], [0, 0], 3)
    """
    parents, depth, _ = _tree(parent)
    own = _counts(own_counts, parents.shape[0])
    threshold = _threshold(k)
    n_units = parents.shape[0]
    rows = own.copy()
    moved = np.zeros(n_units, dtype=bool)
    order = np.argsort(-depth, kind="stable")  # leaves first
    for unit in order:
        if 0 < rows[unit] < threshold and parents[unit] >= 0:
            rows[parents[unit]] += rows[unit]
            rows[unit] = 0
            moved[unit] = True
    target = np.arange(n_units, dtype=np.int64)
    root_of = np.arange(n_units, dtype=np.int64)
    for unit in order[::-1]:  # roots first
        if parents[unit] >= 0:
            root_of[unit] = root_of[parents[unit]]
            if moved[unit]:
                target[unit] = target[parents[unit]]
    n_unplaced = 0
    for root in np.flatnonzero((parents == -1) & (rows > 0) & (rows < threshold)):
        kept = (root_of == root) & (np.arange(n_units) != root) & (rows >= threshold)
        if not kept.any():  # the whole tree has fewer than k responses
            target[root_of == root] = -1
            n_unplaced += int(rows[root])
            rows[root] = 0
            continue
        smallest = rows[kept].min()
        for unit in np.flatnonzero(kept & (rows == smallest)):  # all ties: order-free
            target[target == unit] = root
            rows[root] += rows[unit]
            rows[unit] = 0
    return FoldedUnits(
        target=_read_only(target),
        exported_counts=_read_only(rows),
        folded=_read_only(target != np.arange(n_units)),
        n_unplaced=n_unplaced,
    )
