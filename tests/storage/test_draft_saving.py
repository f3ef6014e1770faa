"""The survey saves its draft as each answer is given, so a save must stay small: one
transaction with one write (the draft's upsert), a few reads, and nothing written anywhere else,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import re

import sqlalchemy as sa

from storage.access_codes import hash_code, normalize_code
from storage.engine import transaction
from storage.models import AccessCode, Draft
from storage.survey_service import NOT_APPLICABLE, save_draft
from tests.storage.test_survey_service import open_round_with_codes, update

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
MOST_STATEMENTS_PER_SAVE = 6  # the code, the round (locked), its instrument, the claim, the upsert


def test_a_save_per_answer_is_one_small_transaction_writing_only_the_draft(
    engine, session_factory
):
    seeded = open_round_with_codes(session_factory, 2)
    code = seeded.codes[0]
    items = [item for _, item in seeded.instrument.items()][:3]
    with transaction(session_factory, write=True) as session:
        save_draft(session, code, update({items[0].id: 2}, page=1))

    statements: list[str] = []
    transactions: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def began(conn):
        transactions.append("begin")

    sa.event.listen(engine, "before_cursor_execute", record)
    sa.event.listen(engine, "begin", began)
    try:
        answers: dict[str, int | str] = {items[0].id: 2}
        for item, value in zip(items[1:], (NOT_APPLICABLE, 5), strict=True):
            answers[item.id] = value
            before = len(statements)
            with transaction(session_factory, write=True) as session:
                save_draft(session, code, update(dict(answers), page=1, seconds=3))
            saved = statements[before:]
            writes = [s for s in saved if WRITE.match(s)]
            assert len(writes) == 1 and "drafts" in writes[0], writes
            assert len(saved) <= MOST_STATEMENTS_PER_SAVE, saved
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
        sa.event.remove(engine, "begin", began)
    assert len(transactions) <= 2, "one transaction per save"

    with transaction(session_factory) as session:
        [draft] = session.scalars(sa.select(Draft)).all()
        assert draft.answers == {items[0].id: 2, items[1].id: NOT_APPLICABLE, items[2].id: 5}
        assert draft.active_seconds == 6
        # the ledger still knows nothing of the draft
        ledger = session.scalars(sa.select(AccessCode.code_hash)).all()
        assert draft.claim_hash not in ledger
        assert hash_code(normalize_code(code) or "") in ledger
