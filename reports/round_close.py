"""Closing a round, all of it: the one service both the Rounds page and ``tisa round close``
call.

In order, each step in a transaction of its own:

1. `storage.round_service.close_round` in one write transaction: the round accepts nothing more,
   and its sealed submissions become its responses;
2. `storage.scrub.scrub_after_close` on the engine: what the database keeps of the rows the
   close deleted is cleared (it needs a connection of its own, outside any transaction);
3. the round's report is frozen (`reports.frozen`): computed for the agency and every unit in a
   read-only transaction (it takes seconds on a large round, and holds no lock meanwhile),
   then stored in one short write transaction, and kept as it is from then on.

When step 2 or 3 fails the round stays closed (step 1 has committed): the error is raised after
the remaining step has run, and a round without a frozen report is frozen on its first read.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from reports.frozen import compute_round_reports, store_round_reports
from storage.engine import transaction
from storage.models import Organization, Round, User
from storage.round_service import close_round, get_round
from storage.scrub import scrub_after_close


def close_round_now(
    factory: sessionmaker[Session],
    organization: Organization,
    round_id: int,
    user: User | None = None,
) -> Round:
    """Close the open round `round_id` of `organization`, scrub, and freeze its report (see the
    module docstring). `user` is the admin recorded in the audit log (None from the command
    line). Returns the closed round (detached). Raises what `close_round` raises when the round
    cannot be closed, and then changes nothing."""
    with transaction(factory, write=True) as session:
        round_ = get_round(session, session.get(Organization, organization.id), round_id)
        actor = session.get(User, user.id) if user is not None else None
        close_round(session, round_, user=actor)
    try:
        scrub_after_close(factory.kw["bind"])
    finally:
        freeze_now(factory, round_id)
    return round_


def freeze_now(factory: sessionmaker[Session], round_id: int) -> int:
    """Freeze the closed round `round_id`: compute its reports while only reading, then store
    those not stored yet in one write transaction. Returns how many were stored."""
    with transaction(factory) as session:
        texts = compute_round_reports(session, session.get(Round, round_id))
    with transaction(factory, write=True) as session:
        return store_round_reports(session, session.get(Round, round_id), texts)
