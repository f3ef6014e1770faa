"""The action items a report lists: those planned after its round ("now") and those planned
after the round it is compared with ("before"), each of the latter beside the change of its
domain since then.

Actions are plans, not results: they keep changing after a round closes, so a frozen report
(`reports.frozen`) carries none and gets them from here whenever it is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.models import ActionItem

if TYPE_CHECKING:
    from reports.builder import ActionView, ChangeResult


def action_views(
    session: Session,
    organization_id: int,
    round_id: int,
    previous_round_id: int | None,
    round_names: Mapping[int, str],
    changes: Mapping[str, ChangeResult],
) -> tuple[tuple[ActionView, ...], tuple[ActionView, ...]]:
    """(before, now): the organization's actions planned after `previous_round_id` (with the
    change of their domain from `changes`) and after `round_id`, by due date (none
    last)."""
    from reports.builder import ActionView  # the builder imports this module

    actions = list(
        session.scalars(
            sa.select(ActionItem)
            .where(ActionItem.organization_id == organization_id,
                   ActionItem.round_id.in_([round_id, previous_round_id or round_id]))
            # by due date, those without one last, on every database (SQLite sorts NULL
            # first and PostgreSQL last unless told)
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        )
    )

    def view(action: ActionItem, with_change: bool) -> ActionView:
        return ActionView(
            id=action.id, round_id=action.round_id,
            round_name=round_names.get(action.round_id, ""),
            domain_id=action.domain_id, item_id=action.item_id, title=action.title,
            owner=action.owner, due_on=action.due_on, indicator=action.indicator,
            status=action.status,
            change=changes.get(action.domain_id) if with_change else None,
        )

    before = tuple(
        view(a, True) for a in actions
        if previous_round_id is not None and a.round_id == previous_round_id
    )
    now = tuple(view(a, False) for a in actions if a.round_id == round_id)
    return before, now
