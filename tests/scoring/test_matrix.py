"""scoring.matrix: reverse keying and per-respondent domain scores.

Expected values come from tests/scoring/data/reference_scores_reliability.R (R 4.2.2,
psych 2.2.9), run on the CSV files beside it; each is quoted with the R expression that
produced it. Tolerance: relative 1e-12 (closed-form values, R prints 15 significant digits).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scoring.errors import ScoringError
from scoring.matrix import as_item_matrix, domain_scores, key_items, reverse_key

REL = 1e-12  # closed-form values: agree with R's 15 printed digits to rounding


# --- reverse keying -------------------------------------------------------------------


def test_reverse_key_reflects_about_the_midpoint_and_keeps_missing():
    out = reverse_key([1.0, 2.0, 3.0, np.nan, 5.0], 1, 5)
    np.testing.assert_array_equal(out, [5.0, 4.0, 3.0, np.nan, 1.0])


def test_reverse_key_takes_one_scale_per_column():
    x = np.array([[1.0, 0.0], [3.0, 10.0], [np.nan, 7.0]])
    out = reverse_key(x, [1, 0], [5, 10])
    np.testing.assert_array_equal(out, [[5.0, 10.0], [3.0, 0.0], [np.nan, 3.0]])


def test_reverse_key_does_not_modify_its_input():
    x = np.array([[1.0, 2.0]])
    reverse_key(x, 1, 5)
    np.testing.assert_array_equal(x, [[1.0, 2.0]])


@pytest.mark.parametrize(
    ("x", "minimum", "maximum", "message"),
    [
        ([1.0, 6.0], 1, 5, "outside the scale 1–5"),
        ([0.0, 3.0], 1, 5, "position 0"),
        ([[1.0, 2.0]], [1, 1, 1], [5, 5, 5], "has 3 values but the matrix has 2 columns"),
        ([1.0, 2.0], 5, 1, "minimum must be below its maximum"),
        ([1.0, 2.0], [1, 1], [5, 5], "one number or one number per column"),
        (np.ones((2, 2, 2)), 1, 5, "1-D"),
        ([1.0, np.inf], 1, 5, "outside the scale"),
    ],
)
def test_reverse_key_rejects_malformed_input(x, minimum, maximum, message):
    with pytest.raises(ScoringError, match=message):
        reverse_key(x, minimum, maximum)


def test_key_items_flips_only_the_flagged_columns():
    x = np.array([[1.0, 1.0, 2.0], [5.0, np.nan, 4.0]])
    out = key_items(x, np.array([False, True, True]), 1, 5)
    np.testing.assert_array_equal(out, [[1.0, 5.0, 4.0], [5.0, np.nan, 2.0]])


def test_key_items_matches_r_reverse_coding(reference_data):
    # R: d$A3 <- 6 - d$A3 (reference_scores_reliability.R); every other column unchanged
    d = reference_data("domain_a.csv")
    keyed = key_items(d.x, np.array([False, False, True, False, False]), 1, 5)
    np.testing.assert_array_equal(keyed[:, 2], 6 - d.x[:, 2])
    np.testing.assert_array_equal(np.delete(keyed, 2, axis=1), np.delete(d.x, 2, axis=1))


@pytest.mark.parametrize(
    ("reverse", "message"),
    [
        ([0, 1], "must be booleans"),
        ([True], "one True/False per item"),
    ],
)
def test_key_items_rejects_bad_flags(reverse, message):
    with pytest.raises(ScoringError, match=message):
        key_items([[1.0, 2.0]], np.array(reverse), 1, 5)


def test_key_items_checks_every_column_against_its_scale():
    with pytest.raises(ScoringError, match="row 1, column 0 is outside the scale 1–5"):
        key_items([[1.0, 2.0], [7.0, 2.0]], np.array([False, True]), 1, 5)


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
        elements=st.one_of(st.integers(1, 7).map(float), st.just(np.nan)),
    ),
    st.data(),
)
def test_reverse_keying_twice_is_the_identity(x, data):
    reverse = np.array(
        data.draw(st.lists(st.booleans(), min_size=x.shape[1], max_size=x.shape[1])), dtype=bool
    )
    once = key_items(x, reverse, 1, 7)
    np.testing.assert_array_equal(key_items(once, reverse, 1, 7), x)
    np.testing.assert_array_equal(reverse_key(reverse_key(x, 1, 7), 1, 7), x)


# --- item matrix ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "message"),
    [
        ([1.0, 2.0], "2-D respondents × items matrix"),
        ([[1.0, np.inf]], "infinite value at row 0, column 1"),
        ([["a", "b"]], "must hold numbers"),
    ],
)
def test_as_item_matrix_rejects_malformed_input(x, message):
    with pytest.raises(ScoringError, match=message):
        as_item_matrix(x)


# --- domain scores ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "keyed_column", "required", "n_scored", "total", "mean", "sd"),
    [
        # R: need <- ceiling(.75 * k); s <- ifelse(rowSums(!is.na(d)) >= need,
        #    rowMeans(d, na.rm = TRUE), NA); length, sum, mean, sd of s[!is.na(s)]
        ("domain_a.csv", 2, 4, 45, 138.95, 3.08777777777778, 0.72802312928071),
        ("domain_b.csv", None, 3, 35, 112.333333333333, 3.20952380952381, 0.674092051110738),
        ("domain_c.csv", None, 5, 55, 184.566666666667, 3.35575757575758, 0.872465277421842),
    ],
)
def test_domain_scores_match_r(
    reference_data, name, keyed_column, required, n_scored, total, mean, sd
):
    d = reference_data(name)
    reverse = np.zeros(d.x.shape[1], dtype=bool)
    if keyed_column is not None:
        reverse[keyed_column] = True
    s = domain_scores(key_items(d.x, reverse, 1, 5), min_answered=0.75)
    scored = s.scores[~np.isnan(s.scores)]
    assert s.required == required
    assert s.n_scored == n_scored == scored.size
    assert scored.sum() == pytest.approx(total, rel=REL)
    assert scored.mean() == pytest.approx(mean, rel=REL)
    assert scored.std(ddof=1) == pytest.approx(sd, rel=REL)
    np.testing.assert_array_equal(s.n_answered, (~np.isnan(d.x)).sum(axis=1))


@pytest.mark.parametrize(
    ("n_items", "min_answered", "required"),
    [
        (1, 0.75, 1),
        (2, 0.5, 2),  # three or fewer items: all of them
        (3, 0.6, 3),
        (4, 0.75, 3),
        (5, 0.75, 4),
        (6, 0.75, 5),
        (8, 0.75, 6),
        (5, 0.8, 4),  # 4/5 = 0.8 exactly
        (5, 0.6, 3),
        (5, 1.0, 5),
        (10, 0.7, 7),
    ],
)
def test_required_items(n_items, min_answered, required):
    s = domain_scores(np.ones((1, n_items)), min_answered)
    assert s.required == required
    assert str(required) in s.rule


def test_domain_scores_of_a_respondent_who_answered_nothing_is_missing():
    s = domain_scores(np.full((3, 4), np.nan))
    assert np.isnan(s.scores).all()
    assert s.n_scored == 0
    np.testing.assert_array_equal(s.n_answered, [0, 0, 0])


def test_domain_scores_with_no_respondents():
    s = domain_scores(np.empty((0, 5)))
    assert s.scores.shape == (0,)
    assert s.n_scored == 0


def test_domain_scores_are_read_only():
    s = domain_scores([[1.0, 2.0, 3.0, 4.0]])
    with pytest.raises(ValueError):
        s.scores[0] = 0.0


@pytest.mark.parametrize("min_answered", [0, 1.5, -0.2, True, "0.75"])
def test_domain_scores_rejects_a_bad_share(min_answered):
    with pytest.raises(ScoringError, match="0 < min_answered <= 1"):
        domain_scores([[1.0, 2.0]], min_answered)


def test_domain_scores_rejects_a_domain_without_items():
    with pytest.raises(ScoringError, match="no items"):
        domain_scores(np.empty((4, 0)))


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(0, 15), st.integers(1, 8)),
        elements=st.one_of(st.integers(1, 5).map(float), st.just(np.nan)),
    ),
    st.sampled_from([0.5, 0.6, 2 / 3, 0.75, 0.8, 1.0]),
)
def test_domain_scores_respect_the_min_answered_rule(x, min_answered):
    s = domain_scores(x, min_answered)
    n, k = x.shape
    answered = (~np.isnan(x)).sum(axis=1)
    needed = k if k <= 3 else min(m for m in range(k + 1) if m / k >= min_answered)
    scored = answered >= max(needed, 1)
    np.testing.assert_array_equal(~np.isnan(s.scores), scored)
    if scored.any():
        rows = x[scored]
        expected = np.array([r[~np.isnan(r)].mean() for r in rows])
        np.testing.assert_allclose(s.scores[scored], expected, rtol=1e-15)
    assert s.n_scored == scored.sum()
