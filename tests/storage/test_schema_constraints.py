"""The database itself refuses what must never be stored: orphans, unknown statuses and roles,
thresholds outside 3-10, an answer that is both a value and "not applicable"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import transaction
from storage.models import (
    AccessCode,
    ActionItem,
    Answer,
    Base,
    CodeClaim,
    Draft,
    InstrumentVersion,
    Response,
    Round,
    RoundUnit,
    Unit,
    User,
)


def _refused(factory: sessionmaker[Session], make_row: Callable[[Session], Base]) -> None:
    with pytest.raises(IntegrityError):
        with transaction(factory) as session:
            session.add(make_row(session))
            session.flush()


def _stored(factory: sessionmaker[Session], make_row: Callable[[Session], Base]) -> None:
    with transaction(factory) as session:
        session.add(make_row(session))
        session.flush()


def test_a_unit_of_a_missing_organization_is_refused(
    session_factory: sessionmaker[Session],
) -> None:
    _refused(session_factory, lambda s: Unit(organization_id=4242, name="Orphan", code="orphan"))


def test_a_response_in_a_missing_round_is_refused(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    _refused(
        session_factory,
        lambda s: Response(
            round_id=4242,
            round_unit_id=launched.round_unit_id,
            language="en",
            mode="web",
            submitted_on=date(2025, 3, 3),
        ),
    )


def _user(**overrides: Any) -> Callable[[Session], User]:
    def make(session: Session) -> User:
        values: dict[str, Any] = {
            "organization_id": session.scalar(sa.text("SELECT id FROM organizations")),
            "username": "someone",
            "display_name": "Someone",
            "role": "manager",
            "password_hash": "$argon2id$not-a-real-hash",
        }
        values.update(overrides)
        return User(**values)

    return make


def test_an_unknown_user_role_is_refused(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    _stored(session_factory, _user(username="manager-ok"))
    _refused(session_factory, _user(username="owner", role="owner"))


def _round(launched: Any, **overrides: Any) -> Callable[[Session], Round]:
    def make(session: Session) -> Round:
        version = session.scalars(sa.select(InstrumentVersion)).first()
        values: dict[str, Any] = {
            "organization_id": launched.organization_id,
            "instrument_version_id": version.id,
            "name": f"Round {overrides}",
        }
        values.update(overrides)
        return Round(**values)

    return make


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "running"},
        {"min_group_size": 2},
        {"min_group_size": 11},
        {"min_group_size": 5, "min_comment_group_size": 4},
        {"opens_on": date(2025, 4, 1), "closes_on": date(2025, 3, 1)},
    ],
    ids=["unknown status", "k below 3", "k above 10", "comments below k", "closes before opens"],
)
def test_a_round_outside_the_rules_is_refused(
    session_factory: sessionmaker[Session], launched: Any, overrides: dict[str, Any]
) -> None:
    _refused(session_factory, _round(launched, **overrides))


@pytest.mark.parametrize("k", [3, 10])
def test_a_round_at_the_edges_of_the_threshold_range_is_stored(
    session_factory: sessionmaker[Session], launched: Any, k: int
) -> None:
    _stored(session_factory, _round(launched, min_group_size=k, min_comment_group_size=10))


def test_a_new_round_takes_the_default_thresholds(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    with transaction(session_factory) as session:
        round_ = session.get(Round, launched.round_id)
        assert (round_.status, round_.min_group_size, round_.min_comment_group_size) == (
            "draft",
            5,
            10,
        )
        assert round_.languages == ["en", "es"]


def _code(launched: Any, **overrides: Any) -> Callable[[Session], AccessCode]:
    def make(session: Session) -> AccessCode:
        values: dict[str, Any] = {
            "round_id": launched.round_id,
            "round_unit_id": launched.round_unit_id,
            "code_hash": "a" * 64,
            "kind": "single",
        }
        values.update(overrides)
        return AccessCode(**values)

    return make


@pytest.mark.parametrize(
    "overrides", [{"state": "used"}, {"kind": "email"}], ids=["unknown state", "unknown kind"]
)
def test_a_ledger_row_outside_the_vocabulary_is_refused(
    session_factory: sessionmaker[Session], launched: Any, overrides: dict[str, Any]
) -> None:
    _refused(session_factory, _code(launched, **overrides))


def test_a_code_hash_is_stored_once(session_factory: sessionmaker[Session], launched: Any) -> None:
    _stored(session_factory, _code(launched))
    _refused(session_factory, _code(launched))


def _response(launched: Any, **overrides: Any) -> Callable[[Session], Response]:
    def make(session: Session) -> Response:
        values: dict[str, Any] = {
            "round_id": launched.round_id,
            "round_unit_id": launched.round_unit_id,
            "language": "es",
            "mode": "web",
            "submitted_on": date(2025, 3, 3),
            "seconds_per_item_bucket": "5-10",
        }
        values.update(overrides)
        return Response(**values)

    return make


@pytest.mark.parametrize(
    "overrides",
    [{"mode": "email"}, {"seconds_per_item_bucket": "7.3"}],
    ids=["unknown mode", "a duration instead of a bucket"],
)
def test_a_response_outside_the_vocabulary_is_refused(
    session_factory: sessionmaker[Session], launched: Any, overrides: dict[str, Any]
) -> None:
    _refused(session_factory, _response(launched, **overrides))


def test_an_answer_cannot_be_both_a_value_and_not_applicable(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    with transaction(session_factory) as session:
        response = _response(launched)(session)
        response.answers = [
            Answer(item_id="SAF-01", value=4),
            Answer(item_id="SAF-02", not_applicable=True),
            Answer(item_id="SAF-03"),  # skipped
        ]
        session.add(response)
        session.flush()
        response_id = response.id
    _refused(
        session_factory,
        lambda s: Answer(response_id=response_id, item_id="SAF-04", value=3, not_applicable=True),
    )
    _refused(session_factory, lambda s: Answer(response_id=response_id, item_id="SAF-01", value=5))


def test_deleting_a_response_deletes_its_answers(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    with transaction(session_factory) as session:
        response = _response(launched)(session)
        response.answers = [Answer(item_id="SAF-01", value=4)]
        session.add(response)
    with transaction(session_factory) as session:
        session.execute(sa.delete(Response))
        assert session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_a_draft_belongs_to_a_unit_of_its_round_and_to_no_ledger_row(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    """Drafts are keyed by the keyed hash, which no ledger row holds: no foreign key to the
    ledger, but to the round and its unit snapshot."""

    def draft(round_unit_id: int) -> Callable[[Session], Draft]:
        return lambda session: Draft(
            claim_hash="b" * 64,
            round_id=launched.round_id,
            round_unit_id=round_unit_id,
            language="en",
        )

    _refused(session_factory, draft(4242))
    _stored(session_factory, draft(launched.round_unit_id))


def test_a_code_is_claimed_once(session_factory: sessionmaker[Session], launched: Any) -> None:
    def claim(session: Session) -> CodeClaim:
        return CodeClaim(claim_hash="d" * 64, round_id=launched.round_id)

    _stored(session_factory, claim)
    _refused(session_factory, claim)


def test_a_draft_notices_answers_changed_in_place(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    with transaction(session_factory) as session:
        session.add(
            Draft(
                claim_hash="c" * 64,
                round_id=launched.round_id,
                round_unit_id=launched.round_unit_id,
                language="en",
            )
        )
    with transaction(session_factory) as session:
        draft = session.get(Draft, "c" * 64)
        draft.answers["SAF-01"] = 4
    with transaction(session_factory) as session:
        assert session.get(Draft, "c" * 64).answers == {"SAF-01": 4}


def test_a_unit_cannot_be_its_own_parent(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    with pytest.raises(IntegrityError):
        with transaction(session_factory) as session:
            unit = session.get(Unit, launched.unit_id)
            unit.parent_id = unit.id
            session.flush()


def test_a_round_unit_is_snapshotted_once_per_round(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    _refused(
        session_factory,
        lambda s: RoundUnit(
            round_id=launched.round_id, unit_id=launched.unit_id, code="again", name="Again"
        ),
    )


def test_an_action_item_status_outside_the_vocabulary_is_refused(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    def action(status: str) -> Callable[[Session], ActionItem]:
        return lambda s: ActionItem(
            organization_id=launched.organization_id,
            round_id=launched.round_id,
            domain_id="SAF",
            title="Debrief after critical incidents",
            status=status,
        )

    _stored(session_factory, action("in progress"))
    _refused(session_factory, action("someday"))
