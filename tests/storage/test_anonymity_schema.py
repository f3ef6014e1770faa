"""Anonymity by design (DESIGN.md section 6), checked on the migrated schema itself: nothing
stored with a response can lead back to a code, a draft, a login or the time it was sent."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from storage.engine import make_engine, transaction
from storage.migrate import upgrade
from storage.models import Comment, Response

ANONYMOUS_TABLES = ("responses", "answers", "comments")
IDENTIFYING_TABLES = {
    "access_codes",
    "code_claims",
    "drafts",
    "users",
    "login_sessions",
    "unit_links",
    "sealed_submissions",
}
# What an anonymous row may point at: its round, the round's unit snapshot, its response.
ALLOWED_REFERENCES = {"rounds", "round_units", "responses"}


@pytest.mark.parametrize("table", ANONYMOUS_TABLES)
def test_anonymous_tables_have_no_key_to_codes_drafts_users_sessions_or_links(
    engine: sa.Engine, table: str
) -> None:
    inspector = sa.inspect(engine)
    referred = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
    assert not referred & IDENTIFYING_TABLES
    assert referred <= ALLOWED_REFERENCES
    # Nor a bare column that could hold such a key without a declared foreign key.
    columns = {column["name"] for column in inspector.get_columns(table)}
    suspicious = {
        name
        for name in columns
        if any(word in name for word in ("code", "token", "user", "session", "draft", "link"))
    }
    assert suspicious == set()


@pytest.mark.parametrize("table", ["code_claims", "drafts", "sealed_submissions"])
def test_what_a_respondent_writes_has_no_key_to_the_ledger(engine: sa.Engine, table: str) -> None:
    """Claims, drafts and sealed submissions are keyed by the keyed hash or a random id: no
    foreign key to the ledger, and no column that could hold its hash."""
    inspector = sa.inspect(engine)
    referred = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
    assert referred <= {"rounds", "round_units"}
    columns = {column["name"] for column in inspector.get_columns(table)}
    assert "code_hash" not in columns and not {c for c in columns if "code_id" in c}


@pytest.mark.parametrize("table", ["access_codes", "code_claims", "drafts", "sealed_submissions"])
def test_nothing_next_to_a_respondent_is_timed_finer_than_a_date(
    engine: sa.Engine, table: str
) -> None:
    types = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns(table)}
    assert not [name for name, type_ in types.items() if isinstance(type_, sa.DateTime | sa.Time)]


def test_no_response_column_is_finer_than_a_date(engine: sa.Engine) -> None:
    columns = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns("responses")}
    assert not [name for name, type_ in columns.items() if isinstance(type_, sa.DateTime | sa.Time)]
    assert isinstance(columns["submitted_on"], sa.Date)


@pytest.mark.parametrize("table", ["answers", "comments"])
def test_answers_and_comments_carry_no_date_or_time_at_all(engine: sa.Engine, table: str) -> None:
    types = [c["type"] for c in sa.inspect(engine).get_columns(table)]
    assert not [t for t in types if isinstance(t, sa.Date | sa.DateTime | sa.Time)]


@pytest.mark.parametrize("table", ["responses", "comments"])
def test_anonymous_keys_are_text_not_a_counter(engine: sa.Engine, table: str) -> None:
    inspector = sa.inspect(engine)
    (key,) = inspector.get_pk_constraint(table)["constrained_columns"]
    key_type = next(c["type"] for c in inspector.get_columns(table) if c["name"] == key)
    assert isinstance(key_type, sa.String)


def test_sqlite_keeps_no_hidden_row_counter_for_anonymous_tables(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'tisa.db'}")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            # nor for what respondents write while a round is open
            for table in (*ANONYMOUS_TABLES, "code_claims", "drafts", "sealed_submissions"):
                with pytest.raises(sa.exc.OperationalError, match="rowid"):
                    connection.exec_driver_sql(f"SELECT rowid FROM {table}")
    finally:
        engine.dispose()


def test_response_and_comment_ids_are_random_uuids(
    session_factory: sessionmaker[Session], launched: Any
) -> None:
    with transaction(session_factory) as session:
        responses = [
            Response(
                round_id=launched.round_id,
                round_unit_id=launched.round_unit_id,
                language="en",
                mode="web",
                submitted_on=date(2025, 3, 3),
            )
            for _ in range(30)
        ]
        comment = Comment(
            round_id=launched.round_id, round_unit_id=launched.round_unit_id, text="Thank you."
        )
        session.add_all([*responses, comment])
        session.flush()
        ids = [response.id for response in responses]
        assert all(uuid.UUID(id_).version == 4 for id_ in [*ids, comment.id])
        # Sorting by key does not give back the order of submission (chance 1 in 30!).
        assert sorted(ids) != ids
