"""The audit log of admin actions (who did what to which thing, when).

Services record an event in the same transaction as the change it describes. Survey activity
(codes redeemed, answers saved, responses submitted) is never recorded here: it would tie a
time to a person's participation.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.models import AuditEvent, Organization, User


def record_audit(
    session: Session,
    organization: Organization,
    action: str,
    *,
    user: User | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event, e.g. ``record_audit(s, org, "round.open", user=admin, target="Spring")``;
    `user` is None for actions from the command line."""
    event = AuditEvent(
        organization_id=organization.id,
        user_id=user.id if user is not None else None,
        action=action,
        target=target,
        detail=dict(detail or {}),
    )
    session.add(event)
    session.flush()
    return event


def list_audit_events(
    session: Session, organization: Organization, *, limit: int = 200
) -> list[AuditEvent]:
    """The organization's most recent events, newest first."""
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.organization_id == organization.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
