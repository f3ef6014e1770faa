"""Text an attacker types into the survey, and text an older tisa stored, on SQLite and
PostgreSQL.

Promises attacked (storage/survey_service.py, instruments/text.py):

- a comment holding NUL, an escape sequence or a bidirectional override, sent by anyone holding
  a code or a unit link, is kept without those characters: the draft and the sealed payload
  never hold them, and the round's release at close succeeds (PostgreSQL cannot store NUL in
  text, so one such comment used to make the whole release fail);
- an over-long comment is refused with a message naming the question and the limit, and
  nothing is stored;
- a sealed row an older tisa stored with control characters, or broken, never stops a release:
  the comment is cleaned, a broken row is skipped, both are counted in the close's audit event
  (counts only, nothing about a respondent), and the rest is released; start-up
  (`storage.bootstrap.initialize`) releases left-behind rows of closed rounds the same way.
"""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from instruments.text import COMMENT_MAX, first_unwanted
from storage.bootstrap import initialize
from storage.engine import transaction
from storage.errors import InvalidInput
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import (
    AuditEvent,
    CodeClaim,
    Comment,
    Draft,
    Response,
    Round,
    RoundStatus,
    SealedSubmission,
    random_id,
)
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    issue_codes,
    open_round,
)
from storage.survey_service import (
    CLOSING_COMMENT,
    DraftUpdate,
    open_survey,
    save_draft,
    submit_response,
)

HOSTILE_COMMENTS = {
    "nul": "Good\x00 team",
    "escape": "Good \x1b[2J\x1b[31mteam",
    "bidi": "Good \u202eteam\u202c \u2066x\u2069",
    "c1": "Good \x85\x9bteam",
    "bell": "Good\x07 team\x7f",
    "lone_surrogate": "Good \ud800team",
}


def _open_round(
    factory: sessionmaker[Session], n_codes: int, agency: str = "Test Agency"
) -> tuple[int, list[str], str]:
    with transaction(factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, agency)
        unit = add_unit(session, organization, "North office")
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session,
            organization,
            name="Spring",
            instrument_version=version,
            invitations=[UnitInvitation(unit, 80)],
            languages=("en", "es"),
        )
        open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], n_codes)
        domain = version.instrument().domains[0].id
        return round_.id, codes, domain


def _update(comments: dict[str, str]) -> DraftUpdate:
    return DraftUpdate(
        answers={}, comments=comments, role=None, language="en", current_page=0, added_seconds=5
    )


def _counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Draft, CodeClaim, SealedSubmission, Response, Comment, AuditEvent)
    }


def _close(factory: sessionmaker[Session], round_id: int) -> None:
    with transaction(factory, write=True) as session:
        close_round(session, session.get(Round, round_id))


def _clean(text: str) -> bool:
    return first_unwanted(text, multiline=True) is None and "\r" not in text


@pytest.mark.parametrize("case", sorted(HOSTILE_COMMENTS))
def test_a_hostile_comment_is_kept_clean_and_the_round_releases(session_factory, case):
    round_id, codes, domain = _open_round(session_factory, 2)
    hostile = HOSTILE_COMMENTS[case]
    with transaction(session_factory, write=True) as session:
        save_draft(session, codes[0], _update({domain: hostile, CLOSING_COMMENT: hostile}))
    with transaction(session_factory) as session:
        draft = open_survey(session, codes[0])
    assert all(_clean(text) for text in draft.comments.values())
    assert draft.comments[domain].startswith("Good")
    with transaction(session_factory, write=True) as session:
        submit_response(session, codes[0], _update({domain: hostile, CLOSING_COMMENT: hostile}))
    with transaction(session_factory, write=True) as session:  # a later respondent still can
        submit_response(session, codes[1], _update({CLOSING_COMMENT: "Thanks"}))
    with transaction(session_factory) as session:
        payloads = session.scalars(sa.select(SealedSubmission.payload)).all()
    assert all(_clean(text) for p in payloads for text in p["comments"].values())

    _close(session_factory, round_id)
    with transaction(session_factory) as session:
        texts = session.scalars(sa.select(Comment.text)).all()
        assert session.get(Round, round_id).status == RoundStatus.CLOSED.value
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 2
    assert len(texts) == 3
    assert all(_clean(text) for text in texts)
    assert "Thanks" in texts


def test_an_over_long_comment_is_refused_and_nothing_is_stored(session_factory):
    round_id, codes, domain = _open_round(session_factory, 1)
    with transaction(session_factory) as session:
        before = _counts(session)
    for step in (save_draft, submit_response):
        with pytest.raises(InvalidInput) as refused:
            with transaction(session_factory, write=True) as session:
                step(session, codes[0], _update({domain: "x" * 100_000}))
        message = str(refused.value)
        assert f"the comment on {domain} is 100000 characters long" in message
        assert f"the limit is {COMMENT_MAX}" in message
        with transaction(session_factory) as session:
            assert _counts(session) == before


def _seal_old_rows(session: Session, round_id: int) -> None:
    """Rows an older tisa could have sealed: control characters in comments and role, and a
    row whose payload is broken."""
    round_ = session.get(Round, round_id)
    unit_id = round_.units[0].id
    good = {
        "answers": {},
        "comments": {"": "Old\x00 comment\x1b[0m \u202eok"},
        "role": None,
        "language": "en",
        "mode": "web",
        "bucket": None,
        "flags": [],
        "submitted_on": "2031-05-14",
    }
    held_back = {"comments": {"": "held\x00 back"}}  # comments released after their response
    broken = {"answers": "not a mapping", "comments": {"": 7}, "submitted_on": "yesterday"}
    for payload in (good, held_back, broken):
        session.add(
            SealedSubmission(
                id=random_id(), round_id=round_id, round_unit_id=unit_id, payload=payload
            )
        )


def test_old_sealed_rows_with_controls_do_not_stop_the_release(session_factory):
    round_id, codes, _ = _open_round(session_factory, 1)
    with transaction(session_factory, write=True) as session:
        _seal_old_rows(session, round_id)
        submit_response(session, codes[0], _update({CLOSING_COMMENT: "New"}))
    _close(session_factory, round_id)
    with transaction(session_factory) as session:
        assert session.get(Round, round_id).status == RoundStatus.CLOSED.value
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 2
        texts = set(session.scalars(sa.select(Comment.text)))
        assert texts == {"Old comment[0m ok", "held back", "New"}
        assert session.scalar(sa.select(sa.func.count()).select_from(SealedSubmission)) == 0
        event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "round.close"))
    assert event.detail["responses"] == 2
    assert event.detail["cleaned"] == 2
    assert event.detail["skipped"] == 1
    assert set(event.detail) <= {"round", "responses", "cleaned", "skipped"}


def test_start_up_releases_left_behind_rows_with_controls(session_factory, db_url):
    round_id, _, _ = _open_round(session_factory, 1)
    with transaction(session_factory, write=True) as session:
        _seal_old_rows(session, round_id)
        round_ = session.get(Round, round_id)
        round_.status = RoundStatus.CLOSED.value  # an interrupted release left rows behind
    initialize(db_url)
    initialize(db_url)  # and again: nothing left, nothing fails
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SealedSubmission)) == 0
        texts = set(session.scalars(sa.select(Comment.text)))
    assert texts == {"Old comment[0m ok", "held back"}


def test_an_old_draft_with_controls_opens_saves_submits_and_releases(session_factory):
    """A draft an older tisa saved with NUL and escape sequences in its comments (JSON holds
    them, even on PostgreSQL): the survey still opens it, the next save and the submission
    store it cleaned, and the round releases."""
    round_id, codes, domain = _open_round(session_factory, 1)
    with transaction(session_factory, write=True) as session:
        save_draft(session, codes[0], _update({domain: "draft"}))
        session.execute(
            sa.update(Draft).values(comments={domain: "Old\x00 draft\x1b[1m", "": "\u202ebye"})
        )
    with transaction(session_factory) as session:
        state = open_survey(session, codes[0])
    assert state.comments[domain] == "Old\x00 draft\x1b[1m"  # shown back to its writer only
    with transaction(session_factory, write=True) as session:
        save_draft(session, codes[0], _update(state.comments))
    with transaction(session_factory) as session:
        assert all(_clean(text) for text in open_survey(session, codes[0]).comments.values())
    with transaction(session_factory, write=True) as session:
        submit_response(session, codes[0], _update(state.comments))
    _close(session_factory, round_id)
    with transaction(session_factory) as session:
        texts = set(session.scalars(sa.select(Comment.text)))
    assert texts == {"Old draft[1m", "bye"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(st.text(max_size=120), min_size=1, max_size=3))
def test_whatever_a_respondent_types_is_stored_clean_and_released(session_factory, texts):
    """Fuzzed comments through the whole survey path: saved, submitted and released without
    error, every stored and released text clean."""
    round_id, codes, domain = _open_round(session_factory, 1, f"Agency {secrets.token_hex(4)}")
    comments = dict(zip([domain, CLOSING_COMMENT, domain], texts, strict=False))
    with transaction(session_factory, write=True) as session:
        save_draft(session, codes[0], _update(comments))
    with transaction(session_factory, write=True) as session:
        submit_response(session, codes[0], _update(comments))
    _close(session_factory, round_id)
    with transaction(session_factory) as session:
        released = session.scalars(
            sa.select(Comment.text).where(Comment.round_id == round_id)
        ).all()
        assert session.get(Round, round_id).status == RoundStatus.CLOSED.value
    assert all(_clean(text) and text == text.strip() and text for text in released)
