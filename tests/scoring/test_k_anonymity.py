"""scoring.k_anonymity: every combination of group and attributes left in the file is shared by
at least k rows, generalization follows the given order, and the result depends only on the
multiset of rows.

The central guarantees are attacked over random trees and random rows (hypothesis): count the
combinations a reader can count; permute the rows and compare; look for a row whose
attributes were generalized out of order.
"""

from __future__ import annotations

import doctest
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring.k_anonymity
from scoring.errors import ScoringError
from scoring.k_anonymity import combination_counts, k_anonymize

STAR = "*"


def test_docstring_examples_run():
    failures, tried = doctest.testmod(scoring.k_anonymity, optionflags=doctest.ELLIPSIS)
    assert tried >= 3 and failures == 0


def rows_out(result) -> list[tuple]:
    """(group, values...) of every row kept, as a reader of the file sees them."""
    return [
        (int(result.group[i]), *(column[i] for column in result.values))
        for i in range(result.group.shape[0]) if result.group[i] >= 0
    ]


# --------------------------------------------------------------------------- worked examples


def test_the_only_manager_of_a_unit_of_six_is_not_singled_out():
    # one unit of six (k = 5): five frontline staff and its manager, all in English, on the web
    roles = ["frontline"] * 5 + ["manager"]
    result = k_anonymize([0] * 6, [-1], [["en"] * 6, ["web"] * 6, roles], [STAR] * 3, k=5)
    out = Counter(rows_out(result))
    assert all(n >= 5 for n in out.values()), out
    assert (0, "en", "web", "manager") not in out
    # the role had to go for all six (five frontline rows alone would leave the manager alone)
    assert out == {(0, STAR, STAR, STAR): 6}
    assert result.generalized.tolist() == [6, 6, 6]


def test_rows_in_common_combinations_keep_every_value():
    language = ["en"] * 10 + ["es"] * 5
    result = k_anonymize([0] * 15, [-1], [language, ["web"] * 15], [STAR, STAR], k=5)
    assert result.generalized.tolist() == [0, 0]
    assert result.level.tolist() == [0] * 15
    assert Counter(rows_out(result)) == {(0, "en", "web"): 10, (0, "es", "web"): 5}


def test_attributes_are_given_up_in_order_and_only_as_far_as_needed():
    # a day (first), then a language: nine people on Monday in English, two Tuesday people in
    # Spanish and one Wednesday person in Spanish (k = 3): the Spanish rows lose their day
    # only; nobody loses the language
    days = ["mon"] * 9 + ["tue", "tue", "wed"]
    language = ["en"] * 9 + ["es"] * 3
    result = k_anonymize([0] * 12, [-1], [days, language], ["round", STAR], k=3)
    assert Counter(rows_out(result)) == {(0, "mon", "en"): 9, (0, "round", "es"): 3}
    assert result.generalized.tolist() == [3, 0]


def test_each_group_is_made_anonymous_on_its_own():
    # two units of six; a manager in each: two managers in all, but alone in their units
    group = [0] * 6 + [1] * 6
    roles = (["frontline"] * 5 + ["manager"]) * 2
    result = k_anonymize(group, [-1, -1], [roles], [STAR], k=3)
    out = Counter(rows_out(result))
    assert all(n >= 3 for n in out.values())
    assert not any(key[1] == "manager" for key in out)


def test_a_group_below_k_is_folded_into_its_parent_and_a_tree_below_k_is_left_out():
    # agency 0 (own 4) with team 1 (own 2); a separate root 2 with 3 rows; k = 5
    group = [0, 0, 0, 0, 1, 1, 2, 2, 2]
    result = k_anonymize(group, [-1, 0, -1], [["a"] * 9], [STAR], k=5)
    assert result.group.tolist() == [0] * 6 + [-1] * 3
    assert result.folded.tolist() == [False, True, True]
    assert result.n_left_out == 3
    assert Counter(rows_out(result)) == {(0, "a"): 6}


def test_identical_rows_are_treated_alike():
    # the remainder (one manager) needs company: the whole smallest combination moves, never
    # part of it, so two rows with the same values never end up with different values
    roles = ["frontline"] * 4 + ["support"] * 3 + ["manager"]
    result = k_anonymize([0] * 8, [-1], [roles], [STAR], k=3)
    assert Counter(rows_out(result)) == {(0, "frontline"): 4, (0, STAR): 4}


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0], [-1], [["a"]], [STAR], 1), "at least 2"),
        (([0], [-1], [["a"]], [STAR], True), "at least 2"),
        (([0, 0], [-1], [["a"]], [STAR], 3), "one value per row"),
        (([0], [-1], [["a"]], [], 3), "one generalized value per attribute"),
        (([3], [-1], [["a"]], [STAR], 3), "index of its group"),
        (([0.5], [-1], [["a"]], [STAR], 3), "whole numbers"),
        (([0], [-1], [[7]], [STAR], 3), "text values"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args, message):
    with pytest.raises(ScoringError, match=message):
        k_anonymize(*args)


def test_no_rows():
    result = k_anonymize(np.empty(0, dtype=np.int64), [-1], [[]], [STAR], k=3)
    assert result.group.tolist() == [] and result.n_left_out == 0


# --------------------------------------------------------------------------- properties


@st.composite
def tables(draw):
    """A random forest of groups and rows with up to four attributes over small alphabets
    (rare values and rare combinations are the point)."""
    n_groups = draw(st.integers(1, 6))
    parent = [-1] + [draw(st.integers(-1, i - 1)) for i in range(1, n_groups)]
    n_rows = draw(st.integers(0, 40))
    group = draw(st.lists(st.integers(0, n_groups - 1), min_size=n_rows, max_size=n_rows))
    n_attributes = draw(st.integers(1, 4))
    attributes = [
        draw(st.lists(st.sampled_from("abcd"[: draw(st.integers(1, 4))]),
                      min_size=n_rows, max_size=n_rows))
        for _ in range(n_attributes)
    ]
    k = draw(st.integers(2, 6))
    return group, parent, attributes, k


def _subtree_total(parent: list[int], group: list[int], root: int) -> int:
    def root_of(g: int) -> int:
        while parent[g] != -1:
            g = parent[g]
        return g

    return sum(1 for g in group if root_of(g) == root)


@settings(max_examples=300, deadline=None)
@given(tables())
def test_every_combination_left_in_the_file_has_at_least_k_rows(table):
    group, parent, attributes, k = table
    result = k_anonymize(group, parent, attributes, [STAR] * len(attributes), k)
    counts = combination_counts(result.group, result.values)
    assert all(n >= k for n in counts.values()), counts
    # rows are left out only when their whole tree has fewer than k rows
    for i, g in enumerate(group):
        root = g
        while parent[root] != -1:
            root = parent[root]
        assert (result.group[i] < 0) == (_subtree_total(parent, group, root) < k)
    assert result.n_left_out == int((result.group < 0).sum())
    # a row keeps its own value or carries the generalized one, and an attribute is only
    # given up after every attribute before it
    for i in range(len(group)):
        hidden = [column[i] == STAR and original[i] != STAR
                  for column, original in zip(result.values, attributes, strict=True)]
        assert all(column[i] in (original[i], STAR)
                   for column, original in zip(result.values, attributes, strict=True))
        if result.group[i] >= 0:
            assert hidden == sorted(hidden, reverse=True)
            assert sum(hidden) == int(result.level[i])


@settings(max_examples=200, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_the_result_depends_only_on_the_multiset_of_rows(table, rng):
    group, parent, attributes, k = table
    order = list(range(len(group)))
    rng.shuffle(order)
    first = k_anonymize(group, parent, attributes, [STAR] * len(attributes), k)
    second = k_anonymize([group[i] for i in order], parent,
                         [[column[i] for i in order] for column in attributes],
                         [STAR] * len(attributes), k)
    # row by row: each input row gets the same output whatever the order of the others
    for position, i in enumerate(order):
        assert second.group[position] == first.group[i]
        assert [c[position] for c in second.values] == [c[i] for c in first.values]
    assert second.generalized.tolist() == first.generalized.tolist()


@settings(max_examples=200, deadline=None)
@given(tables())
def test_nothing_is_generalized_when_every_combination_already_has_k(table):
    group, parent, attributes, k = table
    # repeat each row k times: every combination then has at least k rows
    group_k = [g for g in group for _ in range(k)]
    attributes_k = [[v for v in column for _ in range(k)] for column in attributes]
    result = k_anonymize(group_k, parent, attributes_k, [STAR] * len(attributes), k)
    assert result.generalized.tolist() == [0] * len(attributes)
    assert result.folded.tolist() == [False] * len(parent)
    assert [list(c) for c in result.values] == attributes_k
