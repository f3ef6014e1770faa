"""scoring.quality: longstring, zero intra-individual variability and speed flags.

Expected values are pinned to R careless's own tests and to R ``sd``; tolerance for
floating-point values: absolute 1e-6 (TOL).
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring.quality
from scoring.errors import ScoringError
from scoring.quality import quality_flags

TOL = 1e-6


def test_longstring_matches_careless_basic_test():
    # R careless, tests/testthat/test-longstring.R:
    #   basic <- as.data.frame(t(matrix(rep(seq(10), 10), ncol = 10, nrow = 10)))
    #   basic[lower.tri(basic, diag = TRUE)] <- 1
    #   expect_identical(longstring(basic), as.numeric(seq(10)))
    basic = np.tile(np.arange(1, 11, dtype=float), (10, 1))
    basic[np.tril_indices(10)] = 1
    assert quality_flags(basic).longstring.tolist() == list(range(1, 11))


def test_longstring_skips_missing_answers():
    x = np.array([[4, 4, np.nan, 4, 2], [np.nan, np.nan, 3, np.nan, 3], [np.nan] * 5])
    q = quality_flags(x)
    # careless::longstring would break the run at NA (2, 1, 1); missing answers are skipped here
    assert q.longstring.tolist() == [3, 2, 0]
    assert q.n_answered.tolist() == [4, 2, 0]


def test_irv_matches_r_sd():
    x = np.array([[1, 2, 3, 4, 5, np.nan], [2, 2, 2, 2, 2, 2], [5, np.nan, np.nan, np.nan, 1, 3]])
    q = quality_flags(x)
    # R: sd(c(1, 2, 3, 4, 5)) = 1.58113883008419; careless::irv(x, na.rm = TRUE) row-wise
    # R: sd(c(5, 1, 3)) = 2
    assert q.irv[0] == pytest.approx(1.58113883008419, abs=TOL)
    assert q.irv[1] == 0.0
    assert q.irv[2] == pytest.approx(2.0, abs=TOL)


def test_irv_undefined_below_two_answers():
    q = quality_flags(np.array([[3.0, np.nan], [np.nan, np.nan]]))
    assert np.isnan(q.irv).all()


# --------------------------------------------------------------------------- flag rules


def _row(values):
    return np.array([values], dtype=float)


def test_zero_variance_needs_ten_answered_items():
    nine = quality_flags(_row([3] * 9 + [np.nan] * 3))
    ten = quality_flags(_row([3] * 10 + [np.nan] * 2))
    assert not nine.zero_variance_flag[0] and not nine.longstring_flag[0]
    assert ten.zero_variance_flag[0] and ten.longstring_flag[0]


def test_zero_variance_ignores_missing_between_identical_answers():
    q = quality_flags(_row([4, np.nan, 4, 4, 4, np.nan, 4, 4, 4, 4, 4, 4]))
    assert q.n_answered[0] == 10 and q.zero_variance_flag[0] and q.longstring_flag[0]


@pytest.mark.parametrize(
    ("answered", "run", "flagged"),
    [
        (20, 10, True),  # max(10, 20/2) = 10
        (20, 9, False),
        (30, 15, True),  # max(10, 30/2) = 15
        (30, 14, False),
        (12, 10, True),  # max(10, 6) = 10
        (12, 9, False),
        (60, 30, True),
        (60, 29, False),
    ],
)
def test_longstring_rule(answered, run, flagged):
    # a run of `run` identical answers, then alternating 1/2 (no other run longer than 1)
    rest = [1 + (i % 2) for i in range(answered - run)]
    values = [5] * run + rest
    q = quality_flags(_row(values))
    assert q.longstring[0] == run
    assert q.longstring_flag[0] == flagged
    assert not q.zero_variance_flag[0]


def test_speed_flag():
    q = quality_flags(np.ones((4, 3)) * [1, 2, 3], seconds_per_item=[1.99, 2.0, np.nan, 0.0])
    assert q.speed_flag.tolist() == [True, False, False, True]
    assert q.n_speed == 2 and q.n_speed_known == 3


def test_no_seconds_given_flags_no_one_for_speed():
    q = quality_flags(np.ones((3, 2)))
    assert not q.speed_flag.any() and q.n_speed_known == 0


def test_counts_and_any_flag():
    x = np.vstack(
        [
            [3.0] * 12,  # longstring and zero variance
            [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3, 4],  # clean, but fast
            [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3, 4],  # clean
        ]
    )
    q = quality_flags(x, seconds_per_item=[5.0, 1.0, 5.0])
    assert q.any_flag.tolist() == [True, True, False]
    assert (q.n_longstring, q.n_zero_variance, q.n_speed, q.n_any) == (1, 1, 1, 2)
    assert q.n_respondents == 3


def test_edge_cases_one_item_and_all_missing():
    one = quality_flags(np.array([[3.0], [np.nan]]))
    assert one.longstring.tolist() == [1, 0]
    assert not one.any_flag.any()
    empty = quality_flags(np.empty((0, 5)))
    assert empty.n_respondents == 0 and empty.n_any == 0


def test_arrays_are_read_only():
    q = quality_flags(np.ones((2, 3)))
    with pytest.raises(ValueError):
        q.longstring_flag[0] = True


# --------------------------------------------------------------------------- vectorized = loop


def longstring_by_loop(row):
    best = run = 0
    last = None
    for value in row:
        if np.isnan(value):
            continue
        run = run + 1 if value == last else 1
        last = value
        best = max(best, run)
    return best


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.integers(1, 5).map(float), st.just(np.nan)), min_size=15, max_size=15
        ),
        min_size=1,
        max_size=25,
    )
)
def test_vectorized_indices_equal_row_by_row(rows):
    x = np.array(rows, dtype=float)
    q = quality_flags(x)
    for i, row in enumerate(x):
        answered = row[~np.isnan(row)]
        assert q.longstring[i] == longstring_by_loop(row)
        if answered.size >= 2:
            assert q.irv[i] == pytest.approx(np.std(answered, ddof=1), abs=1e-12)
        expected_zero = answered.size >= 10 and np.unique(answered).size == 1
        assert q.zero_variance_flag[i] == expected_zero
        expected_long = answered.size >= 10 and q.longstring[i] >= max(10, answered.size / 2)
        assert q.longstring_flag[i] == expected_long


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: quality_flags([1.0, 2.0]), "2-D respondents × items"),
        (lambda: quality_flags([[1.0, np.inf]]), "infinite value at row 0, column 1"),
        (lambda: quality_flags(np.ones((2, 2)), seconds_per_item=[1.0]), "one value per"),
        (lambda: quality_flags(np.ones((2, 2)), seconds_per_item=[1.0, -3.0]), "[1] = -3"),
        (lambda: quality_flags([["a", "b"]]), "could not be read as numbers"),
    ],
)
def test_bad_input_raises(call, message):
    with pytest.raises(ScoringError) as info:
        call()
    assert message in str(info.value)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(scoring.quality)
    assert tried > 0 and failures == 0
