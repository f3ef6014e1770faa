"""Access codes for every invited unit of a round at once, in the caller's one transaction.

A unit with people invited gets one single-use code per invited person it has no code for
yet (its invited count minus the single codes already issued to it), so that issuing for the
whole round twice hands out nothing twice; a unit with nobody invited gets none. Each unit's
codes are issued by `storage.round_service.issue_codes`, the same step as issuing for one
unit: the round must be a draft or open, only the codes' hashes are stored, every unit's
issue is an audit event (unit and count, never a code), and a clash with a stored code is
refused. The codes are returned once, here; nothing links a code to the slip or person it
goes to.

The caller runs this in one write transaction (`storage.engine.transaction`): a refusal for
any unit leaves no code of any unit stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.models import AccessCode, CodeKind, Round, RoundUnit, User
from storage.round_service import MAX_CODES_PER_CALL, issue_codes, round_units_in_order


def missing_codes(session: Session, round_: Round) -> dict[int, int]:
    """Per round unit id, how many invited people have no single code yet (only units where
    that number is above zero)."""
    issued = dict(
        session.execute(
            sa.select(AccessCode.round_unit_id, sa.func.count())
            .where(AccessCode.round_id == round_.id, AccessCode.kind == CodeKind.SINGLE.value)
            .group_by(AccessCode.round_unit_id)
        ).all()
    )
    missing = {unit.id: (unit.invited or 0) - issued.get(unit.id, 0) for unit in round_.units}
    return {unit_id: n for unit_id, n in missing.items() if n > 0}


def issue_codes_for_invited_units(
    session: Session, round_: Round, *, user: User | None = None
) -> list[tuple[RoundUnit, list[str]]]:
    """Codes for every unit of the round that has invited people without one, units in the
    round's order (parents first, siblings by name); an empty list when none is missing."""
    missing = missing_codes(session, round_)
    issued: list[tuple[RoundUnit, list[str]]] = []
    for unit in round_units_in_order(round_):
        count = missing.get(unit.id, 0)
        codes: list[str] = []
        while len(codes) < count:
            step = min(MAX_CODES_PER_CALL, count - len(codes))
            codes += issue_codes(session, round_, unit, step, user=user)
        if codes:
            issued.append((unit, codes))
    return issued
