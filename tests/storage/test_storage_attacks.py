"""Attacks on storage itself, on SQLite and PostgreSQL, by someone who reads the database.

Each test is written as the attack: what an admin who also reads the database (and holds
the list of codes handed out) would run to tie a code to what was answered with it.

- While a round is open: joining the ledger to claims, drafts and sealed submissions by hash,
  by PostgreSQL transaction id (``xmin``, and the transactions just before and after).
- After close and `scrub_after_close`: reading the raw bytes of the SQLite file and its
  write-ahead log, or of PostgreSQL's table, TOAST and index files, for the comments of drafts
  that were overwritten or abandoned and for the keyed hashes of claims.
- A database error during a submission: reading the logs and the error's text.
- Many people submitting at once, some with the same code, while the round closes.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from instruments import Instrument
from storage.access_codes import hash_code, normalize_code
from storage.engine import transaction
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import Answer, CodeClaim, Comment, Draft, Response, Round, SealedSubmission
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    create_unit_link,
    issue_codes,
    open_round,
)
from storage.scrub import SCRUBBED_TABLES, scrub_after_close
from storage.survey_service import (
    CLOSING_COMMENT,
    NOT_APPLICABLE,
    DraftUpdate,
    SubmissionFailed,
    SurveyUnavailable,
    claim_hash,
    save_draft,
    start_from_link,
    submit_response,
)

CODES_PER_UNIT = 8


@dataclass(frozen=True)
class Collecting:
    """An open round over two units, each with `CODES_PER_UNIT` codes issued at once."""

    round_id: int
    units: tuple[int, int]
    codes: dict[int, list[str]]  # round unit id → codes
    link: str
    instrument: Instrument

    @property
    def all_codes(self) -> list[str]:
        return [code for codes in self.codes.values() for code in codes]


def _collecting(factory: sessionmaker[Session], codes_per_unit: int = CODES_PER_UNIT) -> Collecting:
    with transaction(factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Attack Agency")
        north = add_unit(session, organization, "North office")
        south = add_unit(session, organization, "South office")
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session,
            organization,
            name="Spring",
            instrument_version=version,
            invitations=[UnitInvitation(north, 200), UnitInvitation(south, 200)],
            languages=("en", "es"),
        )
        open_round(session, round_)
        units = tuple(unit.id for unit in round_.units)
        codes = {
            unit.id: issue_codes(session, round_, unit, codes_per_unit) for unit in round_.units
        }
        link = create_unit_link(session, round_, round_.units[0])
        return Collecting(round_.id, units, codes, link, version.instrument())


def _update(
    answers: dict[str, int | str] | None = None,
    comments: dict[str, str] | None = None,
    *,
    page: int = 1,
    seconds: int = 30,
) -> DraftUpdate:
    return DraftUpdate(
        answers=answers or {},
        comments=comments or {},
        role=None,
        language="en",
        current_page=page,
        added_seconds=seconds,
    )


def _answers(instrument: Instrument, number: int) -> dict[str, int | str]:
    """Every item answered, in a pattern unique to `number` (0..124)."""
    answers: dict[str, int | str] = {}
    for k, item_id in enumerate(instrument.item_ids()):
        if k < 3:
            answers[item_id] = (number // 5**k) % 5 + 1
        elif k % 7 == 0:
            answers[item_id] = NOT_APPLICABLE
        else:
            answers[item_id] = k % 5 + 1
    return answers


def _marker(kind: str) -> str:
    return f"MARKER-{kind}-{secrets.token_hex(8).upper()}"


def _claim_hashes(factory: sessionmaker[Session], round_id: int, codes: list[str]) -> set[str]:
    """What someone holding the database and the code list computes while the round is open."""
    with transaction(factory) as session:
        round_ = session.get(Round, round_id)
        return {claim_hash(round_, normalize_code(code) or "") for code in codes}


def _rows_as_text(session: Session, table: str) -> list[str]:
    return [
        json.dumps([str(value) for value in row], ensure_ascii=False)
        for row in session.execute(sa.text(f"SELECT * FROM {table}"))
    ]


# -- (a) while the round is open: no query joins a code to what was written with it -----------


def test_no_query_joins_a_claimed_codes_ledger_row_to_its_claim_draft_or_answers(
    session_factory: sessionmaker[Session],
) -> None:
    seeded = _collecting(session_factory)
    instrument = seeded.instrument
    codes = seeded.all_codes
    with transaction(session_factory) as session:
        ledger_before = sorted(_rows_as_text(session, "access_codes"))
    # people start, save and submit, interleaved; some keep a draft; two start from the link
    with transaction(session_factory, write=True) as session:
        link_codes = [start_from_link(session, seeded.link) for _ in range(2)]
    with transaction(session_factory) as session:
        link_rows = {
            row
            for row in _rows_as_text(session, "access_codes")
            if row not in ledger_before
        }
    people = codes[:10] + link_codes
    for n, code in enumerate(people):
        with transaction(session_factory, write=True) as session:
            save_draft(session, code, _update({}, {CLOSING_COMMENT: f"draft {n}"}, page=n))
    for n, code in enumerate(people):
        if n % 3 == 2:
            continue  # keeps a draft
        with transaction(session_factory, write=True) as session:
            submit_response(
                session, code, _update(_answers(instrument, n), {CLOSING_COMMENT: f"said {n}"})
            )

    dialect = session_factory.kw["bind"].dialect.name
    with transaction(session_factory) as session:
        # the ledger is exactly as issued: nobody's start, save or submit changed a row of it
        ledger_after = sorted(_rows_as_text(session, "access_codes"))
        assert sorted(set(ledger_after) - link_rows) == ledger_before
        ledger_hashes = set(session.scalars(sa.text("SELECT code_hash FROM access_codes")))
        assert {hash_code(normalize_code(code) or "") for code in people} <= ledger_hashes
        written = {
            table: _rows_as_text(session, table)
            for table in ("code_claims", "drafts", "sealed_submissions")
        }
        assert written["code_claims"] and written["drafts"] and written["sealed_submissions"]
        for table, rows in written.items():
            for row in rows:
                leaked = [h for h in ledger_hashes if h in row]
                leaked += [c for c in people if c in row or (normalize_code(c) or "") in row]
                assert not leaked, f"{table} holds a ledger hash or a code: {row}"
        if dialect == "postgresql":
            _no_transaction_id_singles_out_a_code(session)


def _no_transaction_id_singles_out_a_code(session: Session) -> None:
    """The attack that worked before: ``access_codes JOIN sealed_submissions ON xmin``, and
    the transactions just before and after. A ledger row may only fall in a window together
    with every code issued in the same transaction (a whole batch, which tells nothing);
    a window holding one single code alone would tie that code to the row."""
    batch = dict(
        session.execute(
            sa.text(
                "SELECT xmin::text, count(*) FROM access_codes WHERE kind = 'single' "
                "GROUP BY xmin::text"
            )
        ).all()
    )
    assert min(batch.values()) >= CODES_PER_UNIT, batch  # issued in batches, as handed out
    # nor did anyone lock a ledger row: a lock leaves the locker's transaction id (xmax)
    locked = session.scalar(sa.text("SELECT count(*) FROM access_codes WHERE xmax <> '0'"))
    assert locked == 0, "a ledger row carries the transaction id of someone who locked it"
    for table in ("sealed_submissions", "drafts", "code_claims"):
        exact = session.execute(
            sa.text(
                f"SELECT a.code_hash FROM access_codes a JOIN {table} t "
                "ON a.xmin = t.xmin"
            )
        ).all()
        assert exact == [], f"a ledger row shares its transaction with a row of {table}"
        near = session.execute(
            sa.text(
                f"SELECT t.xmin::text, a.xmin::text, count(*) FROM access_codes a "
                f"JOIN {table} t ON a.kind = 'single' AND "
                "a.xmin::text::bigint BETWEEN t.xmin::text::bigint - 1 "
                "AND t.xmin::text::bigint + 1 GROUP BY t.xmin::text, a.xmin::text"
            )
        ).all()
        for _, ledger_xmin, n in near:
            assert n == batch[ledger_xmin], (
                f"a row of {table} is next to the transaction of fewer codes than a batch"
            )


# -- (b) after close and scrub: nothing at rest -----------------------------------------------


def test_after_close_and_scrub_no_draft_claim_or_sealed_row_is_left_in_the_files(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    dialect = engine.dialect.name
    if dialect == "postgresql":
        _require_file_reading(engine)
    seeded = _collecting(session_factory)
    instrument = seeded.instrument
    codes = seeded.all_codes
    overwritten: list[str] = []
    abandoned: list[str] = []
    submitted: list[str] = []
    # six people submit, each after writing (and then rewriting) a comment in their draft;
    # four more write a comment and never submit
    for n, code in enumerate(codes[:10]):
        first = _marker("OVERWRITTEN")
        with transaction(session_factory, write=True) as session:
            save_draft(session, code, _update({}, {CLOSING_COMMENT: first}, page=1))
        if n < 6:
            overwritten.append(first)
            second = _marker("OVERWRITTEN")
            overwritten.append(second)
            with transaction(session_factory, write=True) as session:
                save_draft(session, code, _update({}, {CLOSING_COMMENT: second}, page=2))
            final = _marker("SUBMITTED")
            submitted.append(final)
            with transaction(session_factory, write=True) as session:
                submit_response(
                    session, code, _update(_answers(instrument, n), {CLOSING_COMMENT: final})
                )
        else:
            abandoned.append(first)
    claims = _claim_hashes(session_factory, seeded.round_id, codes[:10])
    # the reading works: what is stored now is found in the files
    live = _stored_bytes(engine)
    assert abandoned[0].encode() in live, "the test must be able to read what is stored"

    with transaction(session_factory, write=True) as session:
        close_round(session, session.get(Round, seeded.round_id))
    report = scrub_after_close(engine)
    assert report.complete, report.detail

    stored = _stored_bytes(engine)
    for marker in overwritten + abandoned:
        assert marker.encode() not in stored, f"{marker} (never submitted) is still stored"
    for digest in claims:
        assert digest.encode() not in stored, "a claim's keyed hash is still stored"
    if dialect == "sqlite":
        for marker in submitted:  # once, in the released comments: no older copy anywhere
            assert stored.count(marker.encode()) == 1, marker
    with transaction(session_factory) as session:
        for model in (SealedSubmission, Draft, CodeClaim):
            assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
        assert session.get(Round, seeded.round_id).claim_key is None
        released = set(session.scalars(sa.select(Comment.text)))
        assert released == set(submitted)
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 6


def _require_file_reading(engine: Engine) -> None:
    with engine.connect() as connection:
        missing = [
            role
            for role in ("pg_checkpoint", "pg_read_server_files", "pg_read_all_settings")
            if not connection.scalar(
                sa.text("SELECT pg_has_role(current_user, :role, 'MEMBER')"), {"role": role}
            )
        ]
        if not connection.scalar(
            sa.text("SELECT has_function_privilege('pg_read_binary_file(text)', 'EXECUTE')")
        ):
            missing.append("EXECUTE on pg_read_binary_file(text)")
    if missing:
        pytest.skip(
            f"reading PostgreSQL's files needs {', '.join(missing)} "
            "(GRANT pg_checkpoint, pg_read_server_files, pg_read_all_settings TO tisa; "
            "GRANT EXECUTE ON FUNCTION pg_read_binary_file(text) TO tisa; bash .ci/run "
            "grants them)"
        )


def _stored_bytes(engine: Engine) -> bytes:
    """Every byte the database keeps of the tables that held drafts, claims and sealed rows:
    SQLite's whole file and write-ahead log; PostgreSQL's files of those tables, their TOAST
    tables and their indexes, after a CHECKPOINT writes every page out."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    out = b""
    with engine.connect() as connection:
        connection.exec_driver_sql("CHECKPOINT")
        for table in SCRUBBED_TABLES:
            relations = connection.execute(
                sa.text(
                    "SELECT c.oid FROM pg_class c WHERE c.oid = CAST(:t AS regclass) "
                    "UNION SELECT c.reltoastrelid FROM pg_class c "
                    "WHERE c.oid = CAST(:t AS regclass) AND c.reltoastrelid <> 0 "
                    "UNION SELECT i.indexrelid FROM pg_index i "
                    "WHERE i.indrelid = CAST(:t AS regclass) "
                    "UNION SELECT i.indexrelid FROM pg_index i JOIN pg_class c "
                    "ON i.indrelid = c.reltoastrelid WHERE c.oid = CAST(:t AS regclass)"
                ),
                {"t": table},
            ).scalars()
            for oid in relations:
                out += connection.scalar(
                    sa.text(
                        "SELECT pg_read_binary_file(current_setting('data_directory') || '/' "
                        "|| pg_relation_filepath(CAST(:oid AS oid)))"
                    ),
                    {"oid": oid},
                ) or b""
        connection.rollback()
    return bytes(out)


# -- (c) a database error during a submission tells nothing ----------------------------------


def test_a_database_error_during_submit_logs_no_code_hash_answer_or_comment(
    engine: Engine, session_factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    seeded = _collecting(session_factory)
    code = seeded.all_codes[0]
    comment = _marker("LOGGED")
    answers = _answers(seeded.instrument, 42)
    with transaction(session_factory, write=True) as session:
        save_draft(session, code, _update(answers, {CLOSING_COMMENT: comment}))
    [keyed] = _claim_hashes(session_factory, seeded.round_id, [code])
    # the database refuses every sealed row: PostgreSQL quotes the refused row in its error
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(
                "ALTER TABLE sealed_submissions ADD CONSTRAINT forced_failure "
                "CHECK (round_id < 0) NOT VALID"
            )
        else:
            connection.exec_driver_sql(
                "CREATE TRIGGER forced_failure BEFORE INSERT ON sealed_submissions "
                "BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
            )
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    with pytest.raises(Exception) as failed:  # noqa: B017 - its type is checked below
        with transaction(session_factory, write=True) as session:
            submit_response(session, code, _update(answers, {CLOSING_COMMENT: comment}))
    told = "\n".join(
        [caplog.text, str(failed.value), *traceback.format_exception(failed.value)]
    )
    normalized = normalize_code(code) or ""
    secrets_ = {
        "the code": code,
        "the normalized code": normalized,
        "the ledger hash": hash_code(normalized),
        "the keyed hash": keyed,
        "the comment": comment,
        "the answers": json.dumps(answers)[1:60],
    }
    leaked = [name for name, value in secrets_.items() if value in told]
    assert not leaked, f"the error or the logs hold {leaked}"
    assert isinstance(failed.value, SubmissionFailed), "the respondent is told to submit again"
    assert "parameters hidden" in caplog.text or not caplog.records
    # nothing was kept, and the code still works once the database takes rows again
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "ALTER TABLE sealed_submissions DROP CONSTRAINT forced_failure"
            if engine.dialect.name == "postgresql"
            else "DROP TRIGGER forced_failure"
        )
    with transaction(session_factory, write=True) as session:
        submit_response(session, code, _update(answers, {CLOSING_COMMENT: comment}))
    # a second submission of the code is refused as used, not by a unique violation that the
    # database would log with the key it refused
    caplog.clear()
    with pytest.raises(SurveyUnavailable) as used:
        with transaction(session_factory, write=True) as session:
            submit_response(session, code, _update(answers, {CLOSING_COMMENT: comment}))
    assert used.value.reason == "used"
    told = "\n".join([caplog.text, str(used.value), *traceback.format_exception(used.value)])
    assert not [name for name, value in secrets_.items() if value in told]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


# -- (d) many at once, while the round closes --------------------------------------------------

N_DISTINCT = 40
N_SHARED = 20


def test_sixty_concurrent_submissions_and_a_close_lose_nothing_and_count_each_code_once(
    session_factory: sessionmaker[Session],
) -> None:
    seeded = _collecting(session_factory, codes_per_unit=N_DISTINCT // 2)
    instrument = seeded.instrument
    codes = seeded.all_codes
    # 40 codes, the first 20 submitted twice (a double click, two tabs), with other answers
    jobs = [(i, 0) for i in range(N_DISTINCT)] + [(i, 1) for i in range(N_SHARED)]
    jobs.sort(key=lambda job: (job[0] * 7 + job[1] * 13) % (N_DISTINCT + N_SHARED))
    start = threading.Barrier(len(jobs) + 1)

    def submit(job: tuple[int, int]) -> tuple[tuple[int, int], str]:
        index, attempt = job
        number = 2 * index + attempt
        start.wait()
        try:
            with transaction(session_factory, write=True) as session:
                submit_response(
                    session,
                    codes[index],
                    _update(_answers(instrument, number), {CLOSING_COMMENT: f"said {number}"}),
                )
        except SurveyUnavailable as refused:
            return job, refused.reason
        return job, "submitted"

    def close() -> str:
        start.wait()
        with transaction(session_factory, write=True) as session:
            close_round(session, session.get(Round, seeded.round_id))
        return "closed"

    with ThreadPoolExecutor(max_workers=len(jobs) + 1) as pool:
        closing = pool.submit(close)
        outcomes = dict(pool.map(submit, jobs))
        assert closing.result() == "closed"

    assert set(outcomes.values()) <= {"submitted", "used", "closed"}, outcomes
    won = {2 * i + a for (i, a), outcome in outcomes.items() if outcome == "submitted"}
    per_code = Counter(i for (i, _), outcome in outcomes.items() if outcome == "submitted")
    assert all(n == 1 for n in per_code.values()), "a code counted twice"
    with transaction(session_factory) as session:
        for model in (SealedSubmission, Draft, CodeClaim):
            assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
        stored: dict[str, dict[str, int | str]] = {}
        for answer in session.scalars(sa.select(Answer)):
            value = NOT_APPLICABLE if answer.not_applicable else answer.value
            stored.setdefault(answer.response_id, {})[answer.item_id] = value
        # every stored submission was released at close, with every answer and its comment
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == len(won)
        assert sorted(map(_pattern, stored.values())) == sorted(
            _pattern(_answers(instrument, number)) for number in won
        )
        assert sorted(session.scalars(sa.select(Comment.text))) == sorted(
            f"said {number}" for number in won
        )


def test_sixty_concurrent_submissions_on_an_open_round_give_one_response_per_code(
    session_factory: sessionmaker[Session],
) -> None:
    """The same crowd without the close: nobody is refused but the second of a pair, and no
    one waits on a lock until it gives up ("database is locked")."""
    seeded = _collecting(session_factory, codes_per_unit=N_DISTINCT // 2)
    instrument = seeded.instrument
    codes = seeded.all_codes
    jobs = [(i, 0) for i in range(N_DISTINCT)] + [(i, 1) for i in range(N_SHARED)]
    jobs.sort(key=lambda job: (job[0] * 7 + job[1] * 13) % (N_DISTINCT + N_SHARED))
    start = threading.Barrier(len(jobs))

    def submit(job: tuple[int, int]) -> str:
        index, attempt = job
        start.wait()
        try:
            with transaction(session_factory, write=True) as session:
                submit_response(
                    session, codes[index], _update(_answers(instrument, 2 * index + attempt))
                )
        except SurveyUnavailable as refused:
            return refused.reason
        return "submitted"

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = Counter(pool.map(submit, jobs))
    assert outcomes == {"submitted": N_DISTINCT, "used": N_SHARED}
    with transaction(session_factory, write=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CodeClaim)) == N_DISTINCT
        close_round(session, session.get(Round, seeded.round_id))
    with transaction(session_factory) as session:
        responses = session.scalar(sa.select(sa.func.count()).select_from(Response))
        assert responses == N_DISTINCT


def _pattern(answers: dict[str, int | str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((item_id, str(value)) for item_id, value in answers.items()))
