"""Action items changed and removed after they are planned, on SQLite and PostgreSQL.

The promises of `storage.action_service` attacked here: every field of an action can be
changed (and every optional one emptied) in one transaction that is audited; an action can be
deleted, audited too; a refused change changes nothing; typed text goes through the one input
rule; and only those who may plan for an action's scope may change or delete it (admins for
every scope, a manager for the units of their scope and the units below them, never for the
agency as a whole).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from storage.action_service import (
    ActionInput,
    NotAllowedToPlan,
    create_action,
    delete_action,
    list_actions,
    may_plan,
    update_action,
)
from storage.engine import transaction
from storage.errors import InvalidInput, NotFound
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import ActionItem, AuditEvent, Organization, Round, Unit, User
from storage.organization_repo import add_unit, create_organization, get_unit
from storage.round_service import UnitInvitation, create_round
from storage.user_repo import add_user, get_user, set_unit_scope

PASSWORD = "correct horse battery staple"
PLAN = ActionInput(domain_id="WEL", title="Reflective supervision", owner="Quality lead",
                   description="Monthly, for every caseworker.", due_on=date(2027, 3, 1),
                   indicator="WEL domain score")


@pytest.fixture
def agency(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """An agency with North (and North East below it) and South, a round over them, an admin
    and a manager scoped to North."""
    with transaction(session_factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Test Agency", slug="test")
        north = add_unit(session, organization, "North", code="north")
        add_unit(session, organization, "North East", code="north-east", parent=north)
        south = add_unit(session, organization, "South", code="south")
        create_round(
            session, organization, name="Spring",
            instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
            invitations=[UnitInvitation(north, 6), UnitInvitation(south, 6)],
        )
        add_user(session, organization, "director", PASSWORD, role="admin")
        manager = add_user(session, organization, "ana", PASSWORD, role="manager")
        set_unit_scope(session, manager, [north])
    return session_factory


def _round(session: Session) -> Round:
    return session.scalar(sa.select(Round))


def _unit(session: Session, code: str) -> int:
    organization = session.scalar(sa.select(Organization))
    return get_unit(session, organization, code).id


def _plan(factory: sessionmaker[Session], unit: str | None, **fields: object) -> int:
    with transaction(factory, write=True) as session:
        unit_id = _unit(session, unit) if unit is not None else None
        data = replace(PLAN, unit_id=unit_id, **fields)
        return create_action(session, _round(session), data,
                             user=get_user(session, "director")).id


def _stored(factory: sessionmaker[Session]) -> list[tuple]:
    with transaction(factory) as session:
        return [(a.id, a.title, a.description, a.owner, a.due_on, a.indicator, a.domain_id,
                 a.item_id, a.status, a.unit_id) for a in list_actions(session, _round(session))]


def _audit(factory: sessionmaker[Session]) -> list[tuple[str, str, dict]]:
    with transaction(factory) as session:
        return [(e.action, e.target, e.detail) for e in
                session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
                if e.action.startswith("action.")]


def _edit(factory: sessionmaker[Session], action_id: int, username: str,
          **changes: object) -> None:
    with transaction(factory, write=True) as session:
        action = session.get(ActionItem, action_id)
        data = ActionInput(
            domain_id=action.domain_id, item_id=action.item_id, title=action.title,
            description=action.description, owner=action.owner, due_on=action.due_on,
            indicator=action.indicator, status=action.status, unit_id=action.unit_id,
        )
        update_action(session, _round(session), action_id, replace(data, **changes),
                      user=get_user(session, username))


def _delete(factory: sessionmaker[Session], action_id: int, username: str) -> None:
    with transaction(factory, write=True) as session:
        delete_action(session, _round(session), action_id, user=get_user(session, username))


def test_every_field_of_an_action_can_be_changed_and_the_change_is_audited(agency):
    action_id = _plan(agency, "north")
    _edit(agency, action_id, "ana", title="Peer support after critical incidents",
          description="Within a day of any incident.", owner="North supervisor",
          due_on=date(2027, 6, 30), indicator="STS screening rate", domain_id="SAF",
          item_id="SAF-01", status="in progress")
    [(_, title, description, owner, due, indicator, domain, item, status, unit)] = \
        _stored(agency)
    assert (title, description, owner, due, indicator, domain, item, status) == (
        "Peer support after critical incidents", "Within a day of any incident.",
        "North supervisor", date(2027, 6, 30), "STS screening rate", "SAF", "SAF-01",
        "in progress")
    with transaction(agency) as session:
        assert unit == _unit(session, "north")
    [created, updated] = _audit(agency)
    assert created[0] == "action.create" and updated[0] == "action.update"
    assert updated[1] == "Peer support after critical incidents"
    assert set(updated[2]["changed"]) == {"title", "description", "owner", "due_on",
                                          "indicator", "domain_id", "item_id", "status"}


def test_every_optional_field_may_be_emptied(agency):
    action_id = _plan(agency, None)
    _edit(agency, action_id, "director", description="", owner="", due_on=None,
          indicator="", item_id=None)
    [(_, title, description, owner, due, indicator, _domain, item, _status, _unit)] = \
        _stored(agency)
    assert (title, description, owner, due, indicator, item) == (
        "Reflective supervision", "", "", None, "", None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "action title"),
        ({"description": "Monthly\x1b[31m"}, "action description contains a control character"),
        ({"owner": "Ana\u202e"}, "action owner contains a bidirectional control"),
        ({"domain_id": "XYZ"}, "has no domain 'XYZ'"),
        ({"domain_id": "SAF", "item_id": "WEL-01"}, "domain SAF has no item 'WEL-01'"),
        ({"status": "finished"}, "unknown status 'finished'"),
    ],
)
def test_a_refused_change_says_what_is_wrong_and_changes_nothing(agency, changes, message):
    action_id = _plan(agency, "north")
    before, audit = _stored(agency), _audit(agency)
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        _edit(agency, action_id, "director", **changes)
    assert _stored(agency) == before and _audit(agency) == audit


def test_a_multiline_description_keeps_its_lines(agency):
    action_id = _plan(agency, None, description="First step.\nSecond step.")
    assert _stored(agency)[0][2] == "First step.\nSecond step."
    _edit(agency, action_id, "director", description="Only one step.")
    assert _stored(agency)[0][2] == "Only one step."


def test_an_action_can_be_deleted_and_the_deletion_is_audited(agency):
    kept = _plan(agency, None, title="Family advisory council")
    gone = _plan(agency, "north-east")
    _delete(agency, gone, "ana")
    assert [row[0] for row in _stored(agency)] == [kept]
    assert _audit(agency)[-1][:2] == ("action.delete", "Reflective supervision")
    with pytest.raises(NotFound, match=f"no action {gone}"):
        _delete(agency, gone, "director")


def test_an_action_of_another_round_is_not_found(agency):
    action_id = _plan(agency, None)
    with transaction(agency, write=True) as session:
        organization = session.scalar(sa.select(Organization))
        other = create_round(
            session, organization, name="Autumn",
            instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
            invitations=[UnitInvitation(get_unit(session, organization, "south"), 6)],
        )
    with pytest.raises(NotFound), transaction(agency, write=True) as session:
        delete_action(session, session.get(Round, other.id), action_id)
    assert [row[0] for row in _stored(agency)] == [action_id]


@pytest.mark.parametrize("unit", [None, "south"])
def test_a_manager_cannot_change_or_delete_an_action_outside_their_units(agency, unit):
    action_id = _plan(agency, unit)
    before, audit = _stored(agency), _audit(agency)
    with pytest.raises(NotAllowedToPlan, match="ana may plan only for"):
        _edit(agency, action_id, "ana", title="Changed by a manager")
    with pytest.raises(NotAllowedToPlan):
        _delete(agency, action_id, "ana")
    assert _stored(agency) == before and _audit(agency) == audit


def test_a_manager_cannot_move_their_action_out_of_their_units(agency):
    action_id = _plan(agency, "north")
    with transaction(agency) as session:
        south = _unit(session, "south")
    for unit_id in (None, south):
        with pytest.raises(NotAllowedToPlan):
            _edit(agency, action_id, "ana", unit_id=unit_id)
    with pytest.raises(NotAllowedToPlan), transaction(agency, write=True) as session:
        create_action(session, _round(session), replace(PLAN, unit_id=south),
                      user=get_user(session, "ana"))
    assert len(_stored(agency)) == 1


def test_who_may_plan_for_a_scope(agency):
    with transaction(agency) as session:
        admin, manager = get_user(session, "director"), get_user(session, "ana")
        units = {u.code: u.id for u in session.scalars(sa.select(Unit))}
        assert all(may_plan(session, admin, unit) for unit in [None, *units.values()])
        assert may_plan(session, None, None)  # the command line
        assert [code for code, unit in sorted(units.items())
                if may_plan(session, manager, unit)] == ["north", "north-east"]
        assert not may_plan(session, manager, None)
        assert isinstance(manager, User)
