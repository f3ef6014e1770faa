"""Action items: what the organization will do about a domain (or one item) after a round.

Each function is one step in the caller's `transaction(write=True)`: an action is planned,
changed or deleted whole or not at all, and each change is audited in the same transaction
(who, which action, which fields changed). Typed text goes through the one input rule
(`storage.text_fields`); only the title is required.

Who may plan for a scope (`may_plan`): an admin for the agency as a whole and every unit; a
manager for the units of their scope and every unit below them, never for the agency as a
whole. The same rule holds for planning, changing and deleting, and a change may not move an
action to a scope its author may not plan for. `user` None is the command line, which may
do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments.text import NAME_MAX, NOTE_MAX, TITLE_MAX
from storage.audit_repo import record_audit
from storage.errors import InvalidInput, NotFound, StorageError
from storage.models import ActionItem, ActionStatus, Role, Round, Unit, User
from storage.text_fields import checked_name, checked_text, shown

_TITLE_MAX = TITLE_MAX


@dataclass(frozen=True)
class ActionInput:
    """What a person fills in for an action; `item_id` None for the whole domain."""

    domain_id: str
    title: str
    owner: str = ""
    description: str = ""
    due_on: date | None = None
    indicator: str = ""
    status: str = ActionStatus.PLANNED.value
    item_id: str | None = None
    unit_id: int | None = None


class NotAllowedToPlan(StorageError):
    """The user may not plan for the action's scope."""


def may_plan(session: Session, user: User | None, unit_id: int | None) -> bool:
    """Whether `user` may plan, change and delete the actions of the unit `unit_id` (None: the
    agency as a whole)."""
    if user is None or user.role == Role.ADMIN.value:
        return True
    if unit_id is None:
        return False
    parents = dict(session.execute(
        sa.select(Unit.id, Unit.parent_id).where(Unit.organization_id == user.organization_id)
    ).all())
    roots = {unit.id for unit in user.scope_units}
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:  # up the tree to a unit of the scope
        if current in roots:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _require_planner(session: Session, user: User | None, unit_id: int | None) -> None:
    if user is not None and not may_plan(session, user, unit_id):
        raise NotAllowedToPlan(
            f"{user.username} may plan only for the units of their scope; leadership plans "
            "for the agency as a whole"
        )


def list_actions(session: Session, round_: Round) -> list[ActionItem]:
    """The actions planned after `round_`, by due date, those without one last (on every
    database: SQLite sorts NULL first and PostgreSQL last unless told)."""
    query = (
        sa.select(ActionItem)
        .where(ActionItem.round_id == round_.id)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    return list(session.scalars(query))


def create_action(
    session: Session, round_: Round, data: ActionInput, *, user: User | None = None
) -> ActionItem:
    """Plan an action after a round, for one of its instrument's domains (or items)."""
    _require_planner(session, user, data.unit_id)
    fields = _checked(round_, data)
    action = ActionItem(organization_id=round_.organization_id, round_id=round_.id, **fields)
    session.add(action)
    session.flush()
    record_audit(
        session, round_.organization, "action.create", user=user, target=action.title,
        detail={"round": round_.id, "domain": action.domain_id},
    )
    return action


def update_action(
    session: Session, round_: Round, action_id: int, data: ActionInput, *,
    user: User | None = None,
) -> ActionItem:
    """Change an action's fields (its title, description, domain, owner, due date, status
    ...); the audit event names the fields that changed."""
    action = _action(session, round_, action_id)
    _require_planner(session, user, action.unit_id)
    _require_planner(session, user, data.unit_id)
    changed = []
    for name, value in _checked(round_, data).items():
        if getattr(action, name) != value:
            changed.append(name)
            setattr(action, name, value)
    session.flush()
    record_audit(
        session, round_.organization, "action.update", user=user, target=action.title,
        detail={"round": round_.id, "status": action.status, "changed": changed},
    )
    return action


def delete_action(
    session: Session, round_: Round, action_id: int, *, user: User | None = None
) -> None:
    """Delete an action planned after `round_`."""
    action = _action(session, round_, action_id)
    _require_planner(session, user, action.unit_id)
    record_audit(
        session, round_.organization, "action.delete", user=user, target=action.title,
        detail={"round": round_.id, "domain": action.domain_id},
    )
    session.delete(action)
    session.flush()


def _action(session: Session, round_: Round, action_id: int) -> ActionItem:
    action = session.get(ActionItem, action_id)
    if action is None or action.round_id != round_.id:
        raise NotFound(f"round {round_.name!r} has no action {action_id}")
    return action


def _checked(round_: Round, data: ActionInput) -> dict[str, object]:
    instrument = round_.instrument_version.instrument()
    domains = {d.id: d for d in instrument.domains}
    if data.domain_id not in domains:
        raise InvalidInput(
            f"{instrument.ref} has no domain {shown(data.domain_id)}; its domains: "
            f"{', '.join(domains)}"
        )
    if data.item_id is not None and data.item_id not in {
        i.id for i in domains[data.domain_id].items
    }:
        raise InvalidInput(f"domain {data.domain_id} has no item {shown(data.item_id)}")
    title = checked_name(data.title, field="action title", max_length=_TITLE_MAX)
    owner = checked_text(data.owner, field="action owner", max_length=NAME_MAX)
    description = checked_text(
        data.description, field="action description", max_length=NOTE_MAX, multiline=True
    )
    indicator = checked_text(
        data.indicator, field="action indicator", max_length=NOTE_MAX, multiline=True
    )
    statuses = [s.value for s in ActionStatus]
    if data.status not in statuses:
        raise InvalidInput(f"unknown status {shown(data.status)}; one of {', '.join(statuses)}")
    return {
        "domain_id": data.domain_id,
        "item_id": data.item_id,
        "unit_id": data.unit_id,
        "title": title,
        "description": description,
        "owner": owner,
        "due_on": data.due_on,
        "indicator": indicator,
        "status": data.status,
    }
