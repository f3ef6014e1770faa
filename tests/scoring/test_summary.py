"""scoring.summary: group and item summaries, one group or many at once.

Expected values come from tests/scoring/data/reference_scores_reliability.R (R 4.2.2), run
on the CSV files beside it; each is quoted with the R expression that produced it.
Tolerance: relative 1e-12 (closed-form values, printed by R to 15 significant digits).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import ScoringError
from scoring.matrix import domain_scores, key_items
from scoring.summary import group_summaries, group_summary, item_summary

REL = 1e-12
POINTS = [1, 2, 3, 4, 5]
FAVORABLE = [4, 5]


def keyed(d, keyed_column=None):
    reverse = np.zeros(d.x.shape[1], dtype=bool)
    if keyed_column is not None:
        reverse[keyed_column] = True
    return key_items(d.x, reverse, 1, 5)


# R (reference_scores_reliability.R, summary_block): s <- domain score (min_answered .75);
# mean(s), sd(s), t.test(s)$conf.int, tabulate(answers, 5), mean(answers %in% 4:5),
# mean(na_mask)
GROUP_REFERENCE = {
    "domain_a.csv": dict(
        keyed_column=2,
        n=45,
        mean=3.08777777777778,
        sd=0.72802312928071,
        ci=(2.86905541588161, 3.30650013967395),
        counts=(9, 53, 87, 49, 21),
        share_favorable=0.319634703196347,
        share_na=0.0333333333333333,
    ),
    "domain_b.csv": dict(
        keyed_column=None,
        n=35,
        mean=3.20952380952381,
        sd=0.674092051110738,
        ci=(2.97796508823037, 3.44108253081725),
        counts=(8, 26, 50, 35, 17),
        share_favorable=0.382352941176471,
        share_na=0.0277777777777778,
    ),
    "domain_c.csv": dict(
        keyed_column=None,
        n=55,
        mean=3.35575757575758,
        sd=0.872465277421842,
        ci=(3.11989717269394, 3.59161797882121),
        counts=(21, 56, 100, 106, 49),
        share_favorable=0.466867469879518,
        share_na=0.05,
    ),
}


@pytest.mark.parametrize("name", sorted(GROUP_REFERENCE))
def test_group_summary_matches_r(reference_data, name):
    ref = GROUP_REFERENCE[name]
    d = reference_data(name)
    x = keyed(d, ref["keyed_column"])
    s = group_summary(
        domain_scores(x).scores, x, points=POINTS, favorable=FAVORABLE, na_mask=d.na_mask
    )
    assert s.n_respondents == x.shape[0]
    assert s.n == ref["n"]
    assert s.mean == pytest.approx(ref["mean"], rel=REL)
    assert s.sd == pytest.approx(ref["sd"], rel=REL)
    assert (s.ci_low, s.ci_high) == pytest.approx(ref["ci"], rel=REL)
    assert s.confidence == 0.95
    assert s.points == (1, 2, 3, 4, 5)
    assert s.counts == ref["counts"]
    assert s.n_answers == sum(ref["counts"])
    assert s.distribution == pytest.approx(np.array(ref["counts"]) / sum(ref["counts"]), rel=REL)
    assert s.share_favorable == pytest.approx(ref["share_favorable"], rel=REL)
    assert s.share_na == pytest.approx(ref["share_na"], rel=REL)
    assert s.n_na == int(d.na_mask.sum())
    assert s.notes == ()
    for value in (s.mean, s.sd, s.ci_low, s.ci_high, s.share_favorable, s.share_na):
        assert type(value) is float


def test_item_summary_matches_r(reference_data):
    d = reference_data("domain_c.csv")
    # R: colSums(!is.na(d)), colSums(na_mask), colMeans(d, na.rm = TRUE),
    #    apply(d, 2, sd, na.rm = TRUE)
    n = [57, 54, 55, 57, 53, 56]
    n_na = [1, 4, 2, 3, 4, 4]
    mean = [
        3.31578947368421,
        3.18518518518519,
        3.32727272727273,
        3.49122807017544,
        3.28301886792453,
        3.30357142857143,
    ]
    sd = [
        1.19758528978766,
        1.06530311168999,
        1.08958954987894,
        1.00219058312892,
        1.2615216466719,
        1.06035402076413,
    ]
    for j in range(6):
        s = item_summary(d.x[:, j], points=POINTS, favorable=FAVORABLE, na_mask=d.na_mask[:, j])
        assert (s.n, s.n_na, s.n_skipped) == (n[j], n_na[j], 60 - n[j] - n_na[j])
        assert s.mean == pytest.approx(mean[j], rel=REL)
        assert s.sd == pytest.approx(sd[j], rel=REL)
        assert s.share_na == pytest.approx(n_na[j] / 60, rel=REL)
        answers = d.x[:, j][~np.isnan(d.x[:, j])]
        assert s.counts == tuple(int((answers == p).sum()) for p in POINTS)
        assert s.share_favorable == pytest.approx(np.isin(answers, FAVORABLE).mean(), rel=REL)
        assert s.notes == ()


def test_group_summaries_by_unit_match_r(reference_data):
    d = reference_data("domain_c.csv")
    scores = domain_scores(d.x).scores
    g = group_summaries(
        scores, d.other["unit"], d.x, points=POINTS, favorable=FAVORABLE, na_mask=d.na_mask
    )
    # R: tapply(s, unit, length / mean / sd / function(v) t.test(v)$conf.int)
    assert g.labels == ("north", "south", "west")
    np.testing.assert_array_equal(g.n, [29, 18, 8])
    np.testing.assert_allclose(g.mean, [3.29655172413793, 3.61481481481481, 2.9875], rtol=REL)
    np.testing.assert_allclose(
        g.sd, [0.812811348286715, 0.728614247636645, 1.26415006894965], rtol=REL
    )
    np.testing.assert_allclose(
        g.ci_low, [2.98737482233598, 3.25248347373232, 1.93064409427845], rtol=REL
    )
    np.testing.assert_allclose(
        g.ci_high, [3.60572862593988, 3.97714615589731, 4.04435590572155], rtol=REL
    )
    # R: mean(answers %in% 4:5) and mean(na_mask) within each unit
    np.testing.assert_allclose(
        g.share_favorable, [0.419161676646707, 0.609090909090909, 0.327272727272727], rtol=REL
    )
    np.testing.assert_allclose(
        g.share_na, [0.0388888888888889, 0.0583333333333333, 0.0666666666666667], rtol=REL
    )


def test_group_summaries_agree_with_group_summary_on_each_group(reference_data):
    d = reference_data("domain_c.csv")
    scores = domain_scores(d.x).scores
    units = d.other["unit"]
    g = group_summaries(scores, units, d.x, points=POINTS, favorable=FAVORABLE, na_mask=d.na_mask)
    for unit in g.labels:
        rows = units == unit
        one = group_summary(
            scores[rows],
            d.x[rows],
            points=POINTS,
            favorable=FAVORABLE,
            na_mask=d.na_mask[rows],
        )
        assert g.summary(unit) == one


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.floats(1, 5), st.just(np.nan)), st.integers(0, 4)),
        min_size=0,
        max_size=60,
    )
)
def test_grouped_means_equal_per_group_means(rows):
    scores = np.array([r[0] for r in rows], dtype=float)
    labels = np.array([r[1] for r in rows], dtype=np.int64)
    g = group_summaries(scores, labels, groups=[0, 1, 2, 3, 4])
    for label in range(5):
        values = scores[(labels == label) & ~np.isnan(scores)]
        assert g.n[label] == values.size
        if values.size:
            assert g.mean[label] == pytest.approx(values.mean(), rel=1e-12, abs=1e-12)
        if values.size >= 2:
            assert g.sd[label] == pytest.approx(values.std(ddof=1), rel=1e-9, abs=1e-12)
        else:
            assert np.isnan(g.sd[label])


def test_t_interval_of_three_values():
    # R: t.test(c(2, 3, 4))$conf.int -> 0.51586228824967 5.48413771175033
    s = group_summary([2.0, 3.0, 4.0])
    assert (s.ci_low, s.ci_high) == pytest.approx((0.51586228824967, 5.48413771175033), rel=REL)


def test_confidence_level_is_honoured():
    # R: t.test(c(2, 3, 4), conf.level = 0.9)$conf.int -> 1.31414553915295 4.68585446084705
    s = group_summary([2.0, 3.0, 4.0], confidence=0.9)
    assert (s.ci_low, s.ci_high) == pytest.approx((1.31414553915295, 4.68585446084705), rel=REL)


@pytest.mark.parametrize(
    ("points", "favorable"),
    [
        ([1, 2, 3, 4, 5], [4, 5]),
        ([5, 4, 3, 2, 1], [5, 4]),  # points in any order: distribution follows that order
        ([0, 2, 5, 10], [5, 10]),  # points that are not consecutive
        ([0.5, 1.5, 2.5], [2.5]),
    ],
)
def test_distribution_counts_every_answer_at_its_point(points, favorable):
    rng = np.random.default_rng(7)
    x = rng.choice(points, size=(40, 3)).astype(float)
    x[rng.random(x.shape) < 0.2] = np.nan
    s = group_summary(np.ones(40), x, points=points, favorable=favorable)
    answers = x[~np.isnan(x)]
    assert s.points == tuple(points)
    assert s.counts == tuple(int((answers == p).sum()) for p in points)
    assert s.share_favorable == pytest.approx(np.isin(answers, favorable).mean(), rel=REL)
    for outside in (0.75, min(points) - 1, max(points) + 1, min(points) - 0.5):
        with pytest.raises(ScoringError, match="is not a point of the scale"):
            group_summary([1.0, 1.0], [[outside], [np.nan]], points=points, favorable=favorable)


# --- values that cannot be computed ----------------------------------------------------


def test_one_scored_respondent_has_a_mean_but_no_sd():
    s = group_summary([np.nan, 3.5])
    assert (s.n, s.mean, s.sd, s.ci_low, s.ci_high) == (1, 3.5, None, None, None)
    assert "sd: needs at least 2 scored respondents (1 here)" in s.notes
    assert "ci: needs at least 2 scored respondents (1 here)" in s.notes


def test_no_scored_respondent():
    s = group_summary(
        [np.nan, np.nan],
        [[np.nan], [np.nan]],
        points=POINTS,
        favorable=FAVORABLE,
        na_mask=[[True], [False]],
    )
    assert (s.n, s.mean, s.distribution, s.share_favorable) == (0, None, None, None)
    assert s.counts == (0, 0, 0, 0, 0)
    assert s.share_na == 0.5
    assert "mean: no respondent in the group has a domain score" in s.notes
    assert "share_favorable: no answers to the domain's items" in s.notes


def test_empty_group():
    s = group_summary([])
    assert (s.n_respondents, s.n, s.mean) == (0, 0, None)
    assert "share_na: no not-applicable mask given" in s.notes


def test_group_without_respondents_is_reported_when_listed():
    g = group_summaries(
        [3.0, 4.0],
        ["a", "a"],
        [[3], [4]],
        points=POINTS,
        favorable=FAVORABLE,
        na_mask=[[False], [False]],
        groups=["a", "b"],
    )
    assert g.labels == ("a", "b")
    np.testing.assert_array_equal(g.n, [2, 0])
    empty = g.summary("b")
    assert (empty.n_respondents, empty.mean, empty.share_na) == (0, None, None)
    assert "share_na: no respondents in the group" in empty.notes


def test_without_item_matrix_or_mask_the_answer_shares_are_none_with_notes():
    s = group_summary([3.0, 4.0])
    assert (s.distribution, s.share_favorable, s.share_na, s.counts) == (None, None, None, None)
    assert s.notes == (
        "distribution: no item matrix given",
        "share_favorable: no item matrix given",
        "share_na: no not-applicable mask given",
    )


def test_item_summary_without_mask():
    s = item_summary([4.0, np.nan], points=POINTS, favorable=FAVORABLE)
    assert (s.n, s.n_na, s.n_skipped, s.sd) == (1, None, None, None)
    assert "n_na: no not-applicable mask given" in s.notes
    assert "sd: needs at least 2 answers (1 here)" in s.notes


def test_item_summary_of_an_unanswered_item():
    s = item_summary([np.nan, np.nan], points=POINTS, favorable=FAVORABLE, na_mask=[True, True])
    assert (s.n, s.n_na, s.mean, s.share_na) == (0, 2, None, 1.0)
    assert "mean: no answers to the item" in s.notes


def test_summaries_are_frozen():
    s = group_summary([3.0, 4.0])
    with pytest.raises(AttributeError):
        s.mean = 0.0  # type: ignore[misc]


# --- malformed input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(scores=[[1.0]]), "1-D array of domain scores"),
        (dict(scores=[np.inf]), "infinite"),
        (dict(scores=[1.0], item_matrix=[[3.0]]), "points and favorable are needed"),
        (
            dict(scores=[1.0, 2.0], item_matrix=[[3.0]], points=POINTS, favorable=FAVORABLE),
            "1 rows but scores has 2",
        ),
        (
            dict(scores=[1.0], item_matrix=[[3.5]], points=POINTS, favorable=FAVORABLE),
            "value 3.5 at row 0, column 0 is not a point of the scale",
        ),
        (
            dict(scores=[1.0], item_matrix=[[3.0]], points=POINTS, favorable=[6]),
            "must be among the points",
        ),
        (dict(scores=[1.0], item_matrix=[[3.0]], points=[1, 1, 2], favorable=[2]), "distinct"),
        (
            dict(
                scores=[1.0],
                item_matrix=[[3.0]],
                points=POINTS,
                favorable=FAVORABLE,
                na_mask=[[True]],
            ),
            "marked not applicable but holds an answer",
        ),
        (dict(scores=[1.0], na_mask=[[1]]), "must be booleans"),
        (dict(scores=[1.0], na_mask=[[True], [False]]), "with 1 rows"),
        (
            dict(scores=[1.0], item_matrix=np.empty((1, 0)), points=POINTS, favorable=FAVORABLE),
            "no columns",
        ),
        (dict(scores=[1.0], confidence=95), "strictly between 0 and 1"),
    ],
)
def test_group_summary_rejects_malformed_input(kwargs, message):
    with pytest.raises(ScoringError, match=message):
        group_summary(**kwargs)


@pytest.mark.parametrize(
    ("labels", "groups", "message"),
    [
        (["a"], None, "one group per respondent"),
        ([1.0, np.nan], None, "labels hold nan"),
        (["a", "c"], ["a", "b"], "label 'c' is not one of the groups"),
        (["a", "a"], ["a", "a"], "distinct labels"),
    ],
)
def test_group_summaries_rejects_bad_labels(labels, groups, message):
    with pytest.raises(ScoringError, match=message):
        group_summaries([1.0, 2.0], labels, groups=groups)


def test_summary_of_an_unknown_group():
    g = group_summaries([1.0], ["a"])
    with pytest.raises(ScoringError, match="no group 'z'"):
        g.summary("z")
