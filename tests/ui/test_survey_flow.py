"""The survey's bookkeeping without Streamlit: steps, unanswered items, widget values, time
counted, and the limit on codes that did not work."""

from __future__ import annotations

import pytest

from instruments.registry import resolve
from storage.survey_service import CLOSING_COMMENT, NOT_APPLICABLE, RESPONDENT_ROLES
from ui.code_attempts import CodeAttempts
from ui.survey_flow import (
    MAX_GAP_SECONDS,
    PREFER_NOT_TO_SAY,
    ROLE_KEY,
    ROLE_OPTIONS,
    ActiveClock,
    Steps,
    answer_key,
    answers_from,
    comment_key,
    comments_from,
    option_labels,
    options,
    role_from,
    unanswered,
    widget_values,
)

STAFF = resolve("ti-staff@1.1.0")


def test_steps_run_welcome_domains_role_review():
    steps = Steps(len(STAFF.domains))
    kinds = [steps.kind(step) for step in range(steps.review + 1)]
    assert kinds == ["welcome"] + ["domain"] * len(STAFF.domains) + ["role", "review"]
    assert steps.domain_index(steps.domain_step(4)) == 4
    with pytest.raises(ValueError):
        steps.kind(steps.review + 1)


def test_progress_counts_domains():
    steps = Steps(12)
    assert steps.progress(0) == 0.0
    assert steps.progress(3) == 3 / 12
    assert steps.progress(12) == 1.0
    assert steps.progress(steps.role) == steps.progress(steps.review) == 1.0


@pytest.mark.parametrize(
    ("saved", "resumed"), [(0, 0), (5, 5), (14, 14), (99, 14), (-3, 0), (None, 0), (True, 0)]
)
def test_a_saved_page_is_clamped_into_the_survey(saved, resumed):
    assert Steps(12).clamp(saved) == resumed


def test_every_item_offers_its_scale_and_not_applicable_with_labels():
    for _, item in STAFF.items():
        scale = STAFF.scale_of(item)
        assert options(STAFF, item) == [*scale.points, NOT_APPLICABLE]
        for lang in ("en", "es"):
            labels = option_labels(STAFF, item, lang)
            assert [labels[p] for p in scale.points] == scale.labels[lang]
            assert labels[NOT_APPLICABLE] == STAFF.not_applicable[lang]


def test_answers_and_comments_are_read_from_widget_keys():
    first, second = STAFF.domains[0].items[:2]
    values = {
        answer_key(first.id): 4,
        answer_key(second.id): NOT_APPLICABLE,
        answer_key(STAFF.domains[1].items[0].id): None,
        comment_key(STAFF.domains[0].id): "  a thought  ",
        comment_key(STAFF.domains[1].id): "   ",
        comment_key(CLOSING_COMMENT): "last words",
        "unrelated": 3,
    }
    assert answers_from(STAFF, values) == {first.id: 4, second.id: NOT_APPLICABLE}
    assert comments_from(STAFF, values) == {
        STAFF.domains[0].id: "a thought",
        CLOSING_COMMENT: "last words",
    }


def test_unanswered_lists_missing_items_by_domain_and_counts_not_applicable_as_answered():
    answers = {item.id: 3 for _, item in STAFF.items()}
    assert unanswered(STAFF, answers) == []
    skipped = STAFF.domains[2].items[1]
    answers.pop(skipped.id)
    answers[STAFF.domains[5].items[0].id] = NOT_APPLICABLE
    [gap] = unanswered(STAFF, answers)
    assert gap.domain_index == 2 and gap.domain is STAFF.domains[2]
    assert gap.items == (skipped,)
    everything = unanswered(STAFF, {})
    assert [g.domain_index for g in everything] == list(range(len(STAFF.domains)))
    assert sum(len(g.items) for g in everything) == len(STAFF.item_ids())


def test_widget_values_restore_a_draft_and_clear_the_rest():
    item = STAFF.domains[0].items[0]
    values = widget_values(STAFF, {item.id: 2}, {CLOSING_COMMENT: "bye"}, "support")
    assert values[answer_key(item.id)] == 2
    assert values[answer_key(STAFF.domains[0].items[1].id)] is None
    assert values[comment_key(CLOSING_COMMENT)] == "bye"
    assert values[comment_key(STAFF.domains[0].id)] == ""
    assert values[ROLE_KEY] == "support"
    assert len(values) == len(STAFF.item_ids()) + len(STAFF.domains) + 2


def test_prefer_not_to_say_is_stored_as_no_role():
    assert ROLE_OPTIONS == (*RESPONDENT_ROLES, PREFER_NOT_TO_SAY)
    assert role_from(PREFER_NOT_TO_SAY) is None
    assert role_from(None) is None
    assert role_from("frontline") == "frontline"


def test_active_time_caps_each_pause():
    clock = ActiveClock().tick(100.0)  # the first action starts the clock
    assert clock.pending == 0.0
    clock = clock.tick(130.5).tick(1_000.0).tick(1_010.0)  # 30.5 + capped break + 10
    assert clock.pending == pytest.approx(30.5 + MAX_GAP_SECONDS + 10)
    assert clock.whole_seconds() == int(30.5 + MAX_GAP_SECONDS + 10)
    after_save = clock.sent(clock.whole_seconds())
    assert after_save.pending == pytest.approx(0.5)
    assert after_save.tick(1_010.0).pending == pytest.approx(0.5)
    assert ActiveClock(last=50.0).tick(40.0).pending == 0.0  # a clock never runs backwards


def test_five_wrong_codes_mean_a_wait_then_trying_again():
    attempts = CodeAttempts()
    for n in range(4):
        attempts.failed(10.0 + n)
        assert attempts.seconds_to_wait(10.0 + n) == 0
    attempts.failed(14.0)
    assert attempts.seconds_to_wait(14.0) == 60
    assert attempts.seconds_to_wait(73.5) == 1
    assert attempts.seconds_to_wait(74.0) == 0
    # after the wait, another five are allowed
    for n in range(4):
        attempts.failed(80.0 + n)
    assert attempts.seconds_to_wait(84.0) == 0
    attempts.failed(84.0)
    assert attempts.seconds_to_wait(84.0) == 60


def test_a_code_that_works_forgets_earlier_failures():
    attempts = CodeAttempts()
    for n in range(4):
        attempts.failed(float(n))
    attempts.succeeded()
    attempts.failed(5.0)
    assert attempts.seconds_to_wait(5.0) == 0
    assert attempts.failures == 1


def test_each_question_says_its_own_scale_from_lowest_to_highest_label():
    from ui.survey_flow import scale_range

    ranges = {
        item.id: scale_range(STAFF, item, "es") for _, item in STAFF.items()
    }
    for _, item in STAFF.items():
        labels = STAFF.scale_of(item).labels["es"]
        assert labels[0] in ranges[item.id] and labels[-1] in ranges[item.id]
    # a section that mixes two scales shows two different descriptions
    mixed = next(d for d in STAFF.domains if len({i.scale for i in d.items}) > 1)
    assert len({ranges[item.id] for item in mixed.items}) == 2


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("es-MX", "es"),
        ("es", "es"),
        ("ES-es", "es"),
        ("en-US", "en"),
        ("fr-FR", "en"),
        ("", "en"),
        (None, "en"),
        (42, "en"),
        ("e", "en"),
    ],
)
def test_the_browser_locale_gives_the_first_language(locale, lang):
    from ui.i18n import language_from_locale

    assert language_from_locale(locale) == lang
