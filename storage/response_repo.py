"""Reading a round's submitted responses as arrays, for the report builder and exports.

Two queries per round (responses, then answers), turned into a respondents × items matrix with
numpy: no Python loop over answers beyond decoding the rows the database returns. Responses
are in a random order (their ids are random), which is also the order of the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from storage.models import ActionItem, Answer, Comment, Response, Round


@dataclass(frozen=True)
class RoundResponses:
    """The responses of one round as plain arrays, indexed by respondent.

    `values` holds the raw scale point (not reverse-keyed), NaN where skipped or not
    applicable; `not_applicable` marks the latter. `round_unit_ids` are ids of the round's
    units snapshot; `roles` None for "prefer not to say".
    """

    item_ids: tuple[str, ...]
    values: np.ndarray  # float, (n, items)
    not_applicable: np.ndarray  # bool, (n, items)
    round_unit_ids: np.ndarray  # int, (n,)
    roles: tuple[str | None, ...]
    languages: tuple[str, ...]
    modes: tuple[str, ...]
    quality_flags: tuple[tuple[str, ...], ...]

    @property
    def n(self) -> int:
        return int(self.values.shape[0])


@dataclass(frozen=True)
class RoundComment:
    round_unit_id: int
    domain_id: str | None
    text: str


def round_responses(session: Session, round_: Round, item_ids: tuple[str, ...]) -> RoundResponses:
    """Every submitted response of the round, with answers to `item_ids` (answers to other
    items, if any, are ignored)."""
    rows = session.execute(
        sa.select(
            Response.id,
            Response.round_unit_id,
            Response.role,
            Response.language,
            Response.mode,
            Response.quality_flags,
        )
        .where(Response.round_id == round_.id)
        .order_by(Response.id)
    ).all()
    index = {row.id: i for i, row in enumerate(rows)}
    column = {item_id: j for j, item_id in enumerate(item_ids)}
    values = np.full((len(rows), len(item_ids)), np.nan)
    not_applicable = np.zeros((len(rows), len(item_ids)), dtype=bool)
    # A round has sixty answers per response: they are read straight from the driver's cursor
    # (plain tuples of str, int and bool, which these columns need no conversion from).
    result = session.connection().execute(
        sa.select(Answer.response_id, Answer.item_id, Answer.value, Answer.not_applicable)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_.id, Answer.item_id.in_(item_ids))
    )
    try:
        answers = result.cursor.fetchall()
    finally:
        result.close()
    if answers:
        response_ids, answer_items, answer_values, answer_na = zip(*answers, strict=True)
        r = np.fromiter(map(index.__getitem__, response_ids), np.int64, len(answers))
        c = np.fromiter(map(column.__getitem__, answer_items), np.int64, len(answers))
        values[r, c] = np.array(answer_values, dtype=float)  # None becomes nan
        not_applicable[r, c] = np.array(answer_na, dtype=bool)
    return RoundResponses(
        item_ids=tuple(item_ids),
        values=values,
        not_applicable=not_applicable,
        round_unit_ids=np.array([row.round_unit_id for row in rows], dtype=np.int64),
        roles=tuple(row.role for row in rows),
        languages=tuple(row.language for row in rows),
        modes=tuple(row.mode for row in rows),
        quality_flags=tuple(tuple(row.quality_flags or ()) for row in rows),
    )


def round_comments(session: Session, round_: Round) -> list[RoundComment]:
    """The round's comments (in the database's order: callers shuffle before showing)."""
    rows = session.execute(
        sa.select(Comment.round_unit_id, Comment.domain_id, Comment.text).where(
            Comment.round_id == round_.id
        )
    ).all()
    return [RoundComment(row.round_unit_id, row.domain_id, row.text) for row in rows]


def round_data_version(session: Session, round_: Round) -> tuple[int, int, str]:
    """What a cached report of the round depends on: its responses, comments and actions.

    Responses and comments are only ever added, so their counts change whenever new data
    arrive; actions are edited, so the newest change time of any of the organization's actions
    counts too.
    """
    responses = session.scalar(
        sa.select(sa.func.count()).select_from(Response).where(Response.round_id == round_.id)
    )
    comments = session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(Comment.round_id == round_.id)
    )
    actions = session.scalar(
        sa.select(sa.func.max(ActionItem.updated_at)).where(
            ActionItem.organization_id == round_.organization_id
        )
    )
    return int(responses or 0), int(comments or 0), actions.isoformat() if actions else ""
