"""scoring.disclosure: threshold rule, complementary suppression, comments, response rates and
the folding of small units for the raw export.

The central guarantees are checked by brute force over random trees (hypothesis): no shown
cell has 0 < n < k; for every shown cell and every antichain of shown cells below it, the
difference is 0 or at least k; and the decision does not depend on how the cells are listed.
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring.disclosure
from scoring.disclosure import (
    BELOW_K,
    NO_DATA,
    NO_RESPONSES,
    PROTECTS_SMALLER,
    SHOWN,
    WITHHELD,
    comment_visibility,
    disclose,
    disclose_measures,
    fold_small_units,
    nearest_shown,
    response_rate_visibility,
)
from scoring.errors import ScoringError

# --------------------------------------------------------------------------- worked examples


def test_threshold_rule_and_no_data():
    # agency 0 (own 0) → units 1 (own 6), 2 (own 3), 3 (own 0), 4 (own 5), k = 5
    d = disclose([-1, 0, 0, 0, 0], [0, 6, 3, 0, 5], k=5)
    assert d.counts.tolist() == [14, 6, 3, 0, 5]
    # 14 − 6 − 5 = 3 would reveal unit 2; the smallest shown sibling (5) is withheld too
    assert d.status.tolist() == [SHOWN, SHOWN, WITHHELD, NO_DATA, WITHHELD]
    assert d.reason[2] == "fewer than 5 responses"
    assert d.reason[3] == "no responses"
    assert d.reason[4].startswith("withheld so that a smaller withheld group")
    assert d.complementary_for.tolist() == [-1, -1, -1, -1, 0]
    assert (d.n_shown, d.n_withheld, d.n_no_data) == (2, 2, 1)


def test_enough_withheld_needs_no_complement():
    # 2 + 3 withheld = 5 ≥ k: nothing else needs to go
    d = disclose([-1, 0, 0, 0], [0, 2, 3, 9], k=5)
    assert d.status.tolist() == [SHOWN, WITHHELD, WITHHELD, SHOWN]


def test_own_responses_of_a_parent_count_as_residual():
    # the unit's own 2 responses plus the withheld team of 3: 5 hidden, enough
    d = disclose([-1, 0, 0], [2, 7, 3], k=5)
    assert d.status.tolist() == [SHOWN, SHOWN, WITHHELD]
    # own 2 alone, every team shown: 2 would be revealed, so the smaller team goes
    d = disclose([-1, 0, 0], [2, 7, 6], k=5)
    assert d.status.tolist() == [SHOWN, SHOWN, WITHHELD]


def test_ties_are_withheld_together():
    # residual 2; two teams of 9 tied for smallest: both withheld (order-free)
    d = disclose([-1, 0, 0], [2, 9, 9], k=5)
    assert d.status.tolist() == [SHOWN, WITHHELD, WITHHELD]


def test_frontier_looks_through_withheld_cells():
    # root (own 2) → unit 1 (own 0) → teams 2, 3 of 5 each; k = 5. Withholding unit 1 alone
    # does not help (its teams still sum to 10), so the teams join the frontier and go too.
    d = disclose([-1, 0, 1, 1], [2, 0, 5, 5], k=5)
    assert d.counts.tolist() == [12, 10, 5, 5]
    assert d.status.tolist() == [SHOWN, WITHHELD, WITHHELD, WITHHELD]
    assert d.complementary_for.tolist() == [-1, 0, 0, 0]


def test_role_breakdown_inside_a_unit():
    # unit (own = no role given: 1) with roles caseworker 8, supervisor 3, support 4; k = 5
    d = disclose([-1, 0, 0, 0], [1, 8, 3, 4], k=5)
    assert d.status.tolist() == [SHOWN, SHOWN, WITHHELD, WITHHELD]
    # 16 − 8 = 8 ≥ 5: the withheld roles cannot be told apart


def test_several_roots_are_independent():
    d = disclose([-1, 0, -1, 2, 2], [0, 4, 0, 6, 6], k=5)
    assert d.status.tolist() == [WITHHELD, WITHHELD, SHOWN, SHOWN, SHOWN]


def test_root_below_threshold():
    d = disclose([-1], [4], k=5)
    assert d.status.tolist() == [WITHHELD] and d.reason[0] == "fewer than 5 responses"
    assert disclose([-1], [0], k=5).status.tolist() == [NO_DATA]


def test_empty_tree():
    d = disclose(np.array([], dtype=int), np.array([], dtype=int), k=5)
    assert d.status.shape == (0,) and d.n_shown == 0


def test_arrays_are_read_only():
    d = disclose([-1, 0], [3, 4], k=3)
    with pytest.raises(ValueError):
        d.status[0] = WITHHELD


# --------------------------------------------------------------------------- properties


@st.composite
def trees(draw, max_cells=12, max_count=20):
    n = draw(st.integers(1, max_cells))
    parent_in_order = [draw(st.integers(-1, i - 1)) for i in range(n)]
    perm = draw(st.permutations(range(n)))
    parent = [0] * n
    for i, p in enumerate(parent_in_order):  # relabel so that parents need not come first
        parent[perm[i]] = -1 if p == -1 else perm[p]
    own = draw(st.lists(st.integers(0, max_count), min_size=n, max_size=n))
    k = draw(st.integers(3, 10))
    return np.array(parent), np.array(own), k


def ancestors_of(parent):
    """ancestors[v] = set of strict ancestors of v."""
    result = []
    for v in range(len(parent)):
        seen, u = set(), parent[v]
        while u != -1:
            seen.add(int(u))
            u = parent[u]
        result.append(seen)
    return result


def antichains(nodes, comparable):
    """Every antichain (set of pairwise incomparable nodes) of ``nodes``, the empty one too."""
    if not nodes:
        yield []
        return
    first, rest = nodes[0], nodes[1:]
    yield from antichains(rest, comparable)
    compatible = [v for v in rest if not comparable(first, v)]
    for chain in antichains(compatible, comparable):
        yield [first, *chain]


@settings(max_examples=300, deadline=None)
@given(trees())
def test_threshold_and_counts(tree):
    parent, own, k = tree
    d = disclose(parent, own, k)
    anc = ancestors_of(parent)
    brute = [sum(own[u] for u in range(len(own)) if u == v or v in anc[u]) for v in range(len(own))]
    assert d.counts.tolist() == brute
    for v, n in enumerate(brute):
        if n == 0:
            assert d.status[v] == NO_DATA
        elif n < k:
            assert d.status[v] == WITHHELD
        if d.status[v] == SHOWN:
            assert n >= k
        if d.complementary_for[v] != -1:
            assert d.status[v] == WITHHELD and n >= k
            assert d.status[d.complementary_for[v]] == SHOWN
            assert d.complementary_for[v] in anc[v]


@settings(max_examples=300, deadline=None)
@given(trees())
def test_no_antichain_difference_reveals_a_small_group(tree):
    parent, own, k = tree
    d = disclose(parent, own, k)
    anc = ancestors_of(parent)
    n = d.counts
    shown = [v for v in range(len(parent)) if d.status[v] == SHOWN]

    def comparable(a, b):
        return a in anc[b] or b in anc[a]

    for p in shown:
        below = [v for v in shown if p in anc[v]]
        for chain in antichains(below, comparable):
            rest = int(n[p] - sum(n[v] for v in chain))
            assert rest == 0 or rest >= k, (p, chain, rest)


@settings(max_examples=200, deadline=None)
@given(trees(), st.randoms(use_true_random=False))
def test_decision_does_not_depend_on_listing_order(tree, random):
    parent, own, k = tree
    n = len(parent)
    perm = list(range(n))
    random.shuffle(perm)
    parent2 = np.empty(n, dtype=int)
    own2 = np.empty(n, dtype=int)
    for i in range(n):
        parent2[perm[i]] = -1 if parent[i] == -1 else perm[parent[i]]
        own2[perm[i]] = own[i]
    a, b = disclose(parent, own, k), disclose(parent2, own2, k)
    for i in range(n):
        assert a.status[i] == b.status[perm[i]]
        assert a.reason[i] == b.reason[perm[i]]
        assert a.counts[i] == b.counts[perm[i]]


@settings(max_examples=200, deadline=None)
@given(trees())
def test_fold_small_units_properties(tree):
    parent, own, k = tree
    f = fold_small_units(parent, own, k)
    anc = ancestors_of(parent)
    # every response is exported under exactly one label, or counted as unplaced
    assert f.exported_counts.sum() + f.n_unplaced == own.sum()
    for v in range(len(parent)):
        t = f.target[v]
        assert t == -1 or t == v or t in anc[v]  # itself, an ancestor, or nowhere
        assert f.folded[v] == (t != v)
        rows_here = f.exported_counts[v]
        if f.target[v] != -1:
            assert rows_here == 0 or rows_here >= k
    # the labelled rows agree with the targets
    labelled = np.zeros(len(parent), dtype=int)
    for v in range(len(parent)):
        if f.target[v] != -1:
            labelled[f.target[v]] += own[v]
    assert labelled.tolist() == [
        0 if f.target[v] == -1 else int(c) for v, c in enumerate(f.exported_counts)
    ]
    # unplaced only when a whole tree has fewer than k responses
    roots = [
        v if parent[v] == -1 else next(a for a in anc[v] if parent[a] == -1)
        for v in range(len(parent))
    ]
    for v in range(len(parent)):
        if f.target[v] == -1:
            tree_total = sum(own[u] for u in range(len(parent)) if roots[u] == roots[v])
            assert tree_total < k


def test_fold_small_units_examples():
    # agency 0 → region 1 (own 0) → teams 2 (own 3), 3 (own 4); agency own 6; k = 5
    f = fold_small_units([-1, 0, 1, 1], [6, 0, 3, 4], k=5)
    # the teams fold into the region (7 rows), which keeps its label
    assert f.target.tolist() == [0, 1, 1, 1]
    assert f.exported_counts.tolist() == [6, 7, 0, 0]
    # with a team of 2 and one of 2: the region gets 4 < 5 and folds on into the agency
    f = fold_small_units([-1, 0, 1, 1], [6, 0, 2, 2], k=5)
    assert f.target.tolist() == [0, 0, 0, 0] and f.exported_counts.tolist() == [10, 0, 0, 0]
    assert f.folded.tolist() == [False, True, True, True]


# --------------------------------------------------------------------------- helpers


def test_comment_visibility():
    assert comment_visibility([12, 9, 0, 10], 10).tolist() == [True, False, False, True]


def test_response_rate_visibility():
    assert response_rate_visibility([3, 5, 40, 0], 5).tolist() == [False, True, True, False]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: disclose([-1, 2, 1], [1, 1, 1], 5), "cycle"),
        (lambda: disclose([-1, 1], [1, 1], 5), "cannot be its own parent"),
        (lambda: disclose([-1, 5], [1, 1], 5), "parent[1] = 5 is not a cell index"),
        (lambda: disclose([-1, -2], [1, 1], 5), "parent[1] = -2"),
        (lambda: disclose([-1, 0], [1, -1], 5), "own_counts[1] = -1 is negative"),
        (lambda: disclose([-1, 0], [1, 1.5], 5), "own_counts[1] = 1.5 is not a whole number"),
        (lambda: disclose([-1, 0], [1], 5), "own_counts has 1 value(s) but parent has 2"),
        (lambda: disclose([-1, 0], [1, 1], 1), "at least 2"),
        (lambda: disclose([-1, 0], [1, 1], 5.0), "whole number of responses"),
        (lambda: disclose([[-1, 0]], [1, 1], 5), "1-D array"),
        (lambda: fold_small_units([0], [1], 5), "cannot be its own parent"),
        (lambda: comment_visibility([3, -1], 10), "negative"),
        (lambda: response_rate_visibility([3, 5], True), "whole number"),
    ],
)
def test_bad_input_raises(call, message):
    with pytest.raises(ScoringError) as info:
        call()
    assert message in str(info.value)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(scoring.disclosure)
    assert tried > 0 and failures == 0


# --------------------------------------------------------------------------- measures


def _nearest_shown_below(parent: np.ndarray, shown: np.ndarray, cell: int) -> list[int]:
    """The shown cells nearest below `cell` on each downward path (brute force)."""
    children = {i: [j for j in range(len(parent)) if parent[j] == i] for i in range(len(parent))}
    found, stack = [], list(children[cell])
    while stack:
        node = stack.pop()
        if shown[node]:
            found.append(node)
        else:
            stack.extend(children[node])
    return found


@st.composite
def measured_trees(draw):
    parent, own, k = draw(trees(max_cells=10, max_count=12))
    n_measures = draw(st.integers(1, 5))
    # answers to each measure: at most the cell's responses (a respondent answers or not)
    answers = np.array([
        [draw(st.integers(0, int(count))) for count in own] for _ in range(n_measures)
    ])
    linked = draw(st.sampled_from([(), (tuple(range(n_measures)),)]))
    return parent, own, answers, k, linked


@given(measured_trees())
@settings(max_examples=300, deadline=None)
def test_every_shown_number_rests_on_k_and_no_difference_isolates_fewer(case):
    """The attack: for each number, subtract the shown numbers below a shown one from it; what
    is left must be nothing or the answers of at least k people, and a cell withheld as a
    whole shows no number at all."""
    parent, own, answers, k, linked = case
    cells = disclose(parent, own, k)
    decision = disclose_measures(parent, answers, k, cells=cells, linked=linked)
    for m in range(answers.shape[0]):
        shown = decision.status[m] == SHOWN
        counts = decision.counts[m]
        assert (counts[shown] >= k).all()
        assert not (shown & (cells.status != SHOWN)).any()
        for cell in np.flatnonzero(shown):
            below = _nearest_shown_below(parent, shown, cell)
            residual = counts[cell] - counts[below].sum()
            assert residual == 0 or residual >= k
    for group in linked:
        for cell in range(len(parent)):
            members = list(group)
            shown = decision.status[members, cell] == SHOWN
            hidden = ~shown & (decision.counts[members, cell] > 0)
            if shown.any() and hidden.any():
                assert (decision.counts[members, cell][hidden] >= k).any()


@given(measured_trees())
@settings(max_examples=100, deadline=None)
def test_measure_decisions_do_not_depend_on_how_cells_are_listed(case):
    parent, own, answers, k, linked = case
    n = len(parent)
    perm = np.random.default_rng(0).permutation(n)
    inverse = np.argsort(perm)
    parent2 = np.array(
        [-1 if parent[perm[i]] == -1 else inverse[parent[perm[i]]] for i in range(n)]
    )
    first = disclose_measures(parent, answers, k, cells=disclose(parent, own, k), linked=linked)
    second = disclose_measures(
        parent2, answers[:, perm], k, cells=disclose(parent2, own[perm], k), linked=linked
    )
    assert (first.status[:, perm] == second.status).all()
    assert (first.code[:, perm] == second.code).all()


def test_reasons_tell_fewer_than_k_from_protecting_a_smaller_group():
    # a unit of exactly 5 withheld to protect a team of 3 is not "fewer than 5"
    d = disclose([-1, 0, 0], [0, 5, 3], k=5)
    assert d.code.tolist() == ["", PROTECTS_SMALLER, BELOW_K]
    assert disclose([-1, 0], [0, 0], k=5).code.tolist() == [NO_RESPONSES, NO_RESPONSES]


def test_an_item_few_answered_is_withheld_with_one_more_of_its_domain():
    # one cell of 8 respondents: item 0 answered by 2, items 1 and 2 by all 8
    cells = disclose([-1], [8], k=5)
    d = disclose_measures([-1], [[2], [8], [8]], 5, cells=cells, linked=((0, 1, 2),))
    assert d.code[:, 0].tolist() == [BELOW_K, PROTECTS_SMALLER, ""]


def test_nearest_shown_groups_each_cell_with_its_nearest_shown_ancestor():
    parent = [-1, 0, 1, 1, 0]
    assert nearest_shown(parent, [True, False, True, False, False]).tolist() == [0, 0, 2, 0, 0]
    assert nearest_shown(parent, [False] * 5).tolist() == [-1] * 5


@given(trees(max_cells=10, max_count=12), st.data())
@settings(max_examples=300, deadline=None)
def test_a_part_a_reader_knows_apart_is_protected_like_the_whole(case, data):
    """The attack of padding: a reader knows the paper forms (they typed them) and subtracts
    them; the web responses left in every shown cell, and in every difference of shown cells,
    must be none or at least k."""
    parent, own, k = case
    web = np.array([data.draw(st.integers(0, int(n))) for n in own])
    decision = disclose(parent, own, k, parts=[web])
    web_counts = np.zeros(len(parent), dtype=int)
    for cell in range(len(parent)):  # subtree sums, brute force
        node = cell
        while node != -1:
            web_counts[node] += web[cell]
            node = parent[node]
    shown = decision.status == SHOWN
    for cell in np.flatnonzero(shown):
        assert web_counts[cell] == 0 or web_counts[cell] >= k
        below = _nearest_shown_below(parent, shown, cell)
        residual = web_counts[cell] - web_counts[below].sum()
        assert residual == 0 or residual >= k
        total_residual = decision.counts[cell] - decision.counts[below].sum()
        assert total_residual == 0 or total_residual >= k
