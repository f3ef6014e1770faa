"""The anonymous survey service on SQLite and PostgreSQL: drafts, submission, exactly one
response per code under concurrency, release at close, and anonymity checked on every stored
value. The attacks on storage below the columns are in test_storage_attacks.py."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from instruments import Instrument
from storage.access_codes import hash_code, hash_token, normalize_code
from storage.engine import transaction
from storage.errors import InvalidInput
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import (
    SECONDS_PER_ITEM_BUCKETS,
    AccessCode,
    Answer,
    CodeClaim,
    CodeState,
    Comment,
    Draft,
    LoginSession,
    Response,
    Round,
    RoundUnit,
    SealedSubmission,
    Unit,
    utc_now,
)
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    code_counts,
    create_round,
    create_unit_link,
    issue_codes,
    open_round,
)
from storage.survey_service import (
    CLOSING_COMMENT,
    NOT_APPLICABLE,
    DraftUpdate,
    SurveyUnavailable,
    claim_hash,
    open_survey,
    save_draft,
    start_from_link,
    submit_response,
)
from storage.user_repo import add_user

TODAY = date(2031, 5, 14)


def release_all(factory: sessionmaker[Session], round_id: int) -> int:
    """Close the round: its sealed submissions become responses; returns how many."""
    with transaction(factory, write=True) as session:
        close_round(session, session.get(Round, round_id))
    with transaction(factory) as session:
        return session.scalar(
            sa.select(sa.func.count()).select_from(Response).where(Response.round_id == round_id)
        )


@dataclass(frozen=True)
class OpenRound:
    round_id: int
    round_unit_id: int
    codes: list[str]
    link: str
    instrument: Instrument


def open_round_with_codes(
    factory: sessionmaker[Session], n_codes: int, *, status: str = "open"
) -> OpenRound:
    """An organization, a unit and a round of ti-staff 1.1.0 over it with `n_codes` codes."""
    with transaction(factory, write=True) as session:
        sync_library(session)
        organization = create_organization(session, "Test Agency")
        unit = add_unit(session, organization, "North office")
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session,
            organization,
            name="Spring",
            instrument_version=version,
            invitations=[UnitInvitation(unit, 80)],
            languages=("en", "es"),
        )
        open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], n_codes)
        link = create_unit_link(session, round_, round_.units[0])
        if status == "closed":
            close_round(session, round_)
        return OpenRound(round_.id, round_.units[0].id, codes, link, version.instrument())


def update(
    answers: dict[str, int | str] | None = None,
    comments: dict[str, str] | None = None,
    *,
    role: str | None = None,
    language: str = "en",
    page: int = 0,
    seconds: int = 0,
) -> DraftUpdate:
    return DraftUpdate(
        answers=answers or {},
        comments=comments or {},
        role=role,
        language=language,
        current_page=page,
        added_seconds=seconds,
    )


def full_answers(instrument: Instrument, number: int) -> dict[str, int | str]:
    """Every item answered, in a pattern unique to `number` (0..124): its base-5 digits in
    the first three items, then a fixed pattern with every seventh item not applicable."""
    item_ids = instrument.item_ids()
    answers: dict[str, int | str] = {}
    for k, item_id in enumerate(item_ids):
        if k < 3:
            answers[item_id] = (number // 5**k) % 5 + 1
        elif k % 7 == 0:
            answers[item_id] = NOT_APPLICABLE
        else:
            answers[item_id] = k % 5 + 1
    return answers


def stored_answers(session: Session) -> dict[str, dict[str, int | str]]:
    """response id → item id → value or "NA", as stored."""
    out: dict[str, dict[str, int | str]] = {}
    for answer in session.scalars(sa.select(Answer)):
        value = NOT_APPLICABLE if answer.not_applicable else answer.value
        out.setdefault(answer.response_id, {})[answer.item_id] = value
    return out


def code_state(session: Session, code: str) -> str:
    digest = hash_code(normalize_code(code) or "")
    return session.scalar(sa.select(AccessCode.state).where(AccessCode.code_hash == digest))


# -- drafts ------------------------------------------------------------------------------------


def test_a_draft_is_saved_and_restored(session_factory):
    seeded = open_round_with_codes(session_factory, 2)
    code = seeded.codes[0]
    first, second = seeded.instrument.domains[0].items[:2]
    domain = seeded.instrument.domains[0].id
    with transaction(session_factory) as session:
        fresh = open_survey(session, code.lower().replace("-", " "))
    assert fresh.code == code
    assert (fresh.answers, fresh.comments, fresh.role, fresh.language) == ({}, {}, None, None)
    assert fresh.current_page == 0
    assert fresh.unit_name == "North office"
    assert fresh.languages == ("en", "es")
    assert fresh.min_group_size == 5

    with transaction(session_factory, write=True) as session:
        save_draft(session, code, update({first.id: 4}, page=1, seconds=30, language="es"))
    with transaction(session_factory, write=True) as session:
        save_draft(
            session,
            code,
            update(
                {first.id: 5, second.id: NOT_APPLICABLE},
                {domain: "  Más apoyo, por favor. ", CLOSING_COMMENT: "Gracias"},
                role="supervisor",
                language="es",
                page=3,
                seconds=45,
            ),
        )
    with transaction(session_factory) as session:
        restored = open_survey(session, code)
        # the ledger is never written by a respondent; the draft is under the keyed hash
        assert code_state(session, code) == CodeState.ISSUED.value
        assert code_state(session, seeded.codes[1]) == CodeState.ISSUED.value
        round_ = session.get(Round, seeded.round_id)
        [draft] = session.scalars(sa.select(Draft)).all()
        assert draft.claim_hash == claim_hash(round_, normalize_code(code) or "")
        assert draft.claim_hash != hash_code(normalize_code(code) or "")
        assert code_counts(session, round_)[seeded.round_unit_id] == {
            CodeState.ISSUED.value: 2,
            CodeState.STARTED.value: 1,
            CodeState.SUBMITTED.value: 0,
        }
    assert restored.answers == {first.id: 5, second.id: NOT_APPLICABLE}
    assert restored.comments == {domain: "Más apoyo, por favor.", CLOSING_COMMENT: "Gracias"}
    assert restored.role == "supervisor"
    assert restored.language == "es"
    assert restored.current_page == 3
    assert restored.active_seconds == 75


def test_submission_writes_one_response_and_deletes_the_draft(session_factory):
    seeded = open_round_with_codes(session_factory, 2)
    code = seeded.codes[0]
    answers = full_answers(seeded.instrument, 7)
    some_domain = seeded.instrument.domains[3].id
    with transaction(session_factory, write=True) as session:
        save_draft(session, code, update({}, page=2, seconds=400))
    with transaction(session_factory, write=True) as session:
        submit_response(
            session,
            code,
            update(answers, {some_domain: "We need more time."}, role="frontline", seconds=20),
            today=TODAY,
        )
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0, (
            "sealed until the round closes"
        )
        assert session.scalar(sa.select(sa.func.count()).select_from(SealedSubmission)) == 1
        assert session.scalars(sa.select(Draft)).all() == []
        assert code_state(session, code) == CodeState.ISSUED.value
        assert code_counts(session, session.get(Round, seeded.round_id))[
            seeded.round_unit_id
        ][CodeState.SUBMITTED.value] == 1
    assert release_all(session_factory, seeded.round_id) == 1
    with transaction(session_factory) as session:
        [response] = session.scalars(sa.select(Response)).all()
        assert response.round_id == seeded.round_id
        assert response.round_unit_id == seeded.round_unit_id
        assert response.role == "frontline"
        assert response.language == "en"
        assert response.mode == "web"
        assert response.submitted_on == TODAY
        n_answered = sum(isinstance(v, int) for v in answers.values())
        # 420 seconds over the answered items: a coarse bucket, never the seconds
        assert response.seconds_per_item_bucket == SECONDS_PER_ITEM_BUCKETS[2]
        assert 5 <= 420 / n_answered < 10
        assert stored_answers(session) == {response.id: answers}
        [comment] = session.scalars(sa.select(Comment)).all()
        assert (comment.domain_id, comment.text) == (some_domain, "We need more time.")
        assert comment.round_unit_id == seeded.round_unit_id
        assert session.scalars(sa.select(Draft)).all() == []
        assert session.scalars(sa.select(CodeClaim)).all() == []
        assert session.scalars(sa.select(SealedSubmission)).all() == []
        assert session.get(Round, seeded.round_id).claim_key is None
        assert code_state(session, code) == CodeState.ISSUED.value


def test_a_second_submission_with_the_same_code_is_refused(session_factory):
    seeded = open_round_with_codes(session_factory, 1)
    code = seeded.codes[0]
    with transaction(session_factory, write=True) as session:
        submit_response(session, code, update(full_answers(seeded.instrument, 1)))
    for attempt in (
        lambda s: submit_response(s, code, update(full_answers(seeded.instrument, 2))),
        lambda s: save_draft(s, code, update({})),
        lambda s: open_survey(s, code),
    ):
        with pytest.raises(SurveyUnavailable) as refused:
            with transaction(session_factory, write=True) as session:
                attempt(session)
        assert refused.value.reason == "used"
    assert release_all(session_factory, seeded.round_id) == 1
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
        assert list(stored_answers(session).values()) == [full_answers(seeded.instrument, 1)]


@pytest.mark.parametrize(
    ("value", "named"),
    [(7, "SAF-0"), (0, "SAF-0"), ("4", "SAF-0"), (True, "SAF-0"), (3.0, "SAF-0")],
)
def test_an_answer_outside_the_scale_is_refused_naming_the_item(session_factory, value, named):
    seeded = open_round_with_codes(session_factory, 1)
    code = seeded.codes[0]
    item = seeded.instrument.domain("SAF").items[0]
    good = seeded.instrument.domains[0].items[0]
    with pytest.raises(InvalidInput, match=item.id) as refused:
        with transaction(session_factory, write=True) as session:
            submit_response(session, code, update({good.id: 3, item.id: value}))
    assert named in str(refused.value)
    with pytest.raises(InvalidInput, match=item.id):
        with transaction(session_factory, write=True) as session:
            save_draft(session, code, update({item.id: value}))
    # nothing of either attempt was kept; the code still works
    with transaction(session_factory) as session:
        assert session.scalars(sa.select(Response)).all() == []
        assert session.scalars(sa.select(Draft)).all() == []
        assert code_state(session, code) == CodeState.ISSUED.value


def test_an_unknown_item_a_bad_role_or_language_is_refused(session_factory):
    seeded = open_round_with_codes(session_factory, 1)
    code = seeded.codes[0]
    for bad, named in (
        (update({"XXX-99": 3}), "XXX-99"),
        (update(role="director"), "director"),
        (update(language="fr"), "fr"),
        (update(comments={"NOPE": "x"}), "NOPE"),
    ):
        with pytest.raises(InvalidInput, match=named):
            with transaction(session_factory, write=True) as session:
                submit_response(session, code, bad)
    with transaction(session_factory) as session:
        assert code_state(session, code) == CodeState.ISSUED.value


def test_unknown_codes_closed_rounds_and_rounds_not_open_are_refused(session_factory):
    seeded = open_round_with_codes(session_factory, 2)
    with pytest.raises(SurveyUnavailable) as unknown:
        with transaction(session_factory) as session:
            open_survey(session, "AAAAA-AAAAA-AAAAA")
    assert unknown.value.reason == "unknown"
    with pytest.raises(SurveyUnavailable) as malformed:
        with transaction(session_factory) as session:
            open_survey(session, "hello")
    assert malformed.value.reason == "unknown"

    with transaction(session_factory, write=True) as session:
        save_draft(session, seeded.codes[0], update({}, page=2))
        close_round(session, session.get(Round, seeded.round_id))
    for attempt in (
        lambda s: open_survey(s, seeded.codes[0]),  # a saved draft, resumed after closing
        lambda s: save_draft(s, seeded.codes[0], update({})),
        lambda s: submit_response(s, seeded.codes[1], update({})),
        lambda s: start_from_link(s, seeded.link),
    ):
        with pytest.raises(SurveyUnavailable) as closed:
            with transaction(session_factory, write=True) as session:
                attempt(session)
        assert closed.value.reason == "closed"
    with transaction(session_factory) as session:
        assert session.scalars(sa.select(Response)).all() == []


def test_a_round_not_open_yet_is_refused(session_factory):
    seeded = open_round_with_codes(session_factory, 1)
    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, seeded.round_id)
        draft_round = create_round(
            session,
            round_.organization,
            name="Autumn",
            instrument_version=round_.instrument_version,
            invitations=[UnitInvitation(session.get(Unit, round_.units[0].unit_id), 8)],
        )
        [code] = issue_codes(session, draft_round, draft_round.units[0], 1)
    with pytest.raises(SurveyUnavailable) as refused:
        with transaction(session_factory) as session:
            open_survey(session, code)
    assert refused.value.reason == "not_open"


def test_a_unit_link_issues_a_started_resume_code(session_factory):
    seeded = open_round_with_codes(session_factory, 1)
    with transaction(session_factory, write=True) as session:
        code = start_from_link(session, seeded.link)
    with transaction(session_factory) as session:
        state = open_survey(session, code)
        ledger = session.scalar(
            sa.select(AccessCode).where(
                AccessCode.code_hash == hash_code(normalize_code(code) or "")
            )
        )
        assert (ledger.kind, ledger.state) == ("link", CodeState.ISSUED.value)
        assert isinstance(ledger.issued_on, date)
        assert session.scalars(sa.select(Draft)).all() == [], "the draft comes at the first save"
    assert state.language is None
    assert state.round_id == seeded.round_id
    with transaction(session_factory, write=True) as session:
        submit_response(session, code, update(full_answers(seeded.instrument, 3), language="es"))
    with pytest.raises(SurveyUnavailable) as inactive:
        with transaction(session_factory, write=True) as session:
            start_from_link(session, "not-a-link")
    assert inactive.value.reason == "link_inactive"
    # a new link for the unit retires the old one
    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, seeded.round_id)
        create_unit_link(session, round_, round_.units[0])
    with pytest.raises(SurveyUnavailable) as replaced:
        with transaction(session_factory, write=True) as session:
            start_from_link(session, seeded.link)
    assert replaced.value.reason == "link_inactive"


# -- concurrency -------------------------------------------------------------------------------

N_CODES = 30
N_DUPLICATES = 20


def test_fifty_simultaneous_submissions_give_exactly_one_response_per_code(session_factory):
    seeded = open_round_with_codes(session_factory, N_CODES)
    instrument = seeded.instrument
    # 30 codes; the first 20 are submitted twice, each time with different answers
    jobs = [(i, 0) for i in range(N_CODES)] + [(i, 1) for i in range(N_DUPLICATES)]
    assert len(jobs) == 50
    jobs.sort(key=lambda job: (job[0] * 7 + job[1] * 13) % 50)  # duplicates apart in the queue
    start = threading.Barrier(len(jobs))

    def submit(job: tuple[int, int]) -> tuple[tuple[int, int], str]:
        index, attempt = job
        number = 2 * index + attempt
        answers = full_answers(instrument, number)
        comments = {instrument.domains[0].id: f"comment {number}"}
        start.wait()
        try:
            with transaction(session_factory, write=True) as session:
                submit_response(session, seeded.codes[index], update(answers, comments))
        except SurveyUnavailable as refused:
            return job, refused.reason
        return job, "submitted"

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes = dict(pool.map(submit, jobs))

    assert Counter(outcomes.values()) == {"submitted": N_CODES, "used": N_DUPLICATES}
    winners = {index for (index, _), outcome in outcomes.items() if outcome == "submitted"}
    assert winners == set(range(N_CODES)), "every code submitted once"
    won = {2 * index + attempt for (index, attempt), o in outcomes.items() if o == "submitted"}
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CodeClaim)) == N_CODES
    release_all(session_factory, seeded.round_id)

    with transaction(session_factory) as session:
        responses = session.scalars(sa.select(Response)).all()
        assert len(responses) == N_CODES
        assert len({r.id for r in responses}) == N_CODES
        stored = stored_answers(session)
        assert set(stored) == {r.id for r in responses}
        # every answer of every winning submission, and nothing of a refused one
        assert sorted(map(_pattern, stored.values())) == sorted(
            _pattern(full_answers(instrument, number)) for number in won
        )
        comments = sorted(session.scalars(sa.select(Comment.text)))
        assert comments == sorted(f"comment {number}" for number in won)
        states = Counter(
            session.scalars(
                sa.select(AccessCode.state).where(AccessCode.round_id == seeded.round_id)
            )
        )
        assert states == {CodeState.ISSUED.value: N_CODES}, "the ledger is never written"
        assert session.scalars(sa.select(Draft)).all() == []
        assert session.scalars(sa.select(CodeClaim)).all() == []


def _pattern(answers: dict[str, int | str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((item_id, str(value)) for item_id, value in answers.items()))


# -- anonymity ---------------------------------------------------------------------------------

ANONYMOUS_TABLES = ("responses", "answers", "comments")
# The columns of anonymous tables that may hold a number: references to the round and its unit
# snapshot, the answer's point on its scale, and a flag (SQLite hands booleans back as 0 / 1).
NUMBER_COLUMNS = {
    "responses": {"round_id", "round_unit_id"},
    "answers": {"value", "not_applicable"},
    "comments": {"round_id", "round_unit_id"},
}


def _all_rows(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the schema, as plain mappings."""
    tables = sa.inspect(session.connection()).get_table_names()
    return {
        table: [dict(row._mapping) for row in session.execute(sa.text(f'SELECT * FROM "{table}"'))]
        for table in tables
    }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def test_no_stored_value_links_a_code_draft_session_or_login_to_a_response(session_factory):
    seeded = open_round_with_codes(session_factory, 8)
    instrument = seeded.instrument
    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, seeded.round_id)
        admin = add_user(
            session, round_.organization, "ana.admin", secrets.token_urlsafe(16), role="admin"
        )
        login_token = secrets.token_urlsafe(32)
        session.add(
            LoginSession(
                token_hash=hash_token(login_token),
                user_id=admin.id,
                expires_at=utc_now() + timedelta(hours=1),
            )
        )
        link_codes = [start_from_link(session, seeded.link) for _ in range(4)]
    codes = seeded.codes + link_codes
    # everyone saves a draft first (in a shuffled order), then submits
    order = sorted(range(len(codes)), key=lambda n: (n * 5) % len(codes))
    for n in order:
        with transaction(session_factory, write=True) as session:
            save_draft(
                session,
                codes[n],
                update({}, {CLOSING_COMMENT: f"draft {n}"}, page=n, seconds=60 + n),
            )

    with transaction(session_factory) as session:
        before = _all_rows(session)
        round_ = session.get(Round, seeded.round_id)
        keyed = {claim_hash(round_, normalize_code(code) or "") for code in codes}
        claim_key = round_.claim_key
    secrets_to_hide: set[str] = {hash_token(seeded.link), seeded.link, login_token, claim_key}
    secrets_to_hide |= keyed
    for code in codes:
        secrets_to_hide |= {code, normalize_code(code) or "", hash_code(normalize_code(code))}
    for table in ("access_codes", "drafts", "unit_links", "login_sessions", "users"):
        for row in before[table]:
            for column in ("code_hash", "claim_hash", "token_hash", "password_hash", "username"):
                if row.get(column):
                    secrets_to_hide.add(row[column])
    draft_keys = {row["claim_hash"] for row in before["drafts"]}
    assert draft_keys == keyed

    submitted_numbers = []
    for n in order:  # the order of submission, which must not be recoverable
        with transaction(session_factory, write=True) as session:
            submit_response(
                session,
                codes[n],
                update(
                    full_answers(instrument, n),
                    {instrument.domains[1].id: f"said {n}"},
                    role="support" if n % 2 else None,
                    seconds=90,
                ),
                today=TODAY,
            )
        submitted_numbers.append(n)
    release_all(session_factory, seeded.round_id)

    with transaction(session_factory) as session:
        after = _all_rows(session)
        by_response = stored_answers(session)

    # drafts, claims, sealed rows and the claim key are gone; the ledger never changed
    assert after["drafts"] == [] and after["code_claims"] == []
    assert after["sealed_submissions"] == []
    assert [row["claim_key"] for row in after["rounds"]] == [None]
    assert after["access_codes"] == before["access_codes"]
    new_events = [row for row in after["audit_events"] if row not in before["audit_events"]]
    assert [row["action"] for row in new_events] == ["round.close"], (
        "survey activity is never audited"
    )

    responses = after["responses"]
    response_ids = {row["id"] for row in responses}
    assert len(responses) == len(codes)
    for table in ANONYMOUS_TABLES:
        round_units = {row["id"] for row in after["round_units"]}
        for row in after[table]:
            for column, value in row.items():
                text = _text(value)
                # no code, code hash, draft key, link token or hash, login token or hash,
                # user name or password hash, whole or inside a value
                leaked = [s for s in secrets_to_hide if s and s in text]
                assert not leaked, f"{table}.{column} holds {leaked}"
                if isinstance(value, int) and not isinstance(value, bool):
                    assert column in NUMBER_COLUMNS[table], f"{table}.{column} = {value}"
                    if column == "not_applicable":
                        assert value in (0, 1)
                    if column == "value":
                        assert 1 <= value <= 5
            if "round_unit_id" in row:
                assert row["round_unit_id"] in round_units
                assert row["round_id"] == seeded.round_id
    # nothing outside the response's own answers points at a response
    for table, table_rows in after.items():
        for row in table_rows:
            for column, value in row.items():
                if (table, column) in {("responses", "id"), ("answers", "response_id")}:
                    continue
                assert not [r for r in response_ids if r in _text(value)], f"{table}.{column}"
    # a response carries a date, never a time; its ids are random, not a counter
    assert {row["submitted_on"] for row in responses} <= {TODAY, TODAY.isoformat()}
    assert all(uuid.UUID(row["id"]).version == 4 for row in responses)
    assert all(uuid.UUID(row["id"]).version == 4 for row in after["comments"])
    # the ids, sorted, do not give the order of submission
    number_of = {rid: _number_of(instrument, answers) for rid, answers in by_response.items()}
    assert [number_of[rid] for rid in sorted(response_ids)] != submitted_numbers


def _number_of(instrument: Instrument, answers: dict[str, int | str]) -> int:
    """The `full_answers` number a stored answer set was made from."""
    item_ids = instrument.item_ids()
    return sum((int(answers[item_ids[k]]) - 1) * 5**k for k in range(3))


def test_round_units_referenced_by_responses_are_the_snapshot(session_factory):
    """The unit a response names is the round's frozen snapshot, the same for everyone in it."""
    seeded = open_round_with_codes(session_factory, 2)
    with transaction(session_factory, write=True) as session:
        for code in seeded.codes:
            submit_response(session, code, update(full_answers(seeded.instrument, 0)))
    release_all(session_factory, seeded.round_id)
    with transaction(session_factory) as session:
        unit_ids = set(session.scalars(sa.select(Response.round_unit_id)))
        assert unit_ids == {seeded.round_unit_id}
        assert session.get(RoundUnit, seeded.round_unit_id).round_id == seeded.round_id


def test_storage_order_and_transaction_ids_do_not_link_responses(session_factory):
    """Below the columns: the order rows are stored in, and (PostgreSQL) the id of the
    transaction that wrote them, must not tie a response to its code or to its comments."""
    seeded = open_round_with_codes(session_factory, 10)
    instrument = seeded.instrument
    dialect = session_factory.kw["bind"].dialect.name
    for n, code in enumerate(seeded.codes):
        with transaction(session_factory, write=True) as session:
            submit_response(
                session,
                code,
                update(full_answers(instrument, n), {instrument.domains[0].id: f"said {n}"}),
            )
    with transaction(session_factory, write=True) as session:
        close_round(session, session.get(Round, seeded.round_id))  # releases them all
    submitted = list(range(len(seeded.codes)))
    physical = "ctid" if dialect == "postgresql" else None
    with transaction(session_factory) as session:
        by_response = stored_answers(session)
        order = sa.text(f"ORDER BY {physical}") if physical else sa.text("")
        response_ids = [
            row[0] for row in session.execute(sa.text(f"SELECT id FROM responses {order}"))
        ]
        comment_texts = [
            row[0] for row in session.execute(sa.text(f"SELECT text FROM comments {order}"))
        ]
        stored_order = [_number_of(instrument, by_response[rid]) for rid in response_ids]
        assert stored_order != submitted
        assert [int(text.split()[1]) for text in comment_texts] != submitted
        if dialect == "postgresql":

            def xmins(table: str, where: str = "") -> set[str]:
                query = f"SELECT xmin::text FROM {table} {where}"
                return set(session.scalars(sa.text(query)))

            assert not xmins("responses") & xmins("access_codes")
            # every response, answer and comment was written by the closing transaction: one
            # transaction id shared by all of them ties none to another
            assert len(xmins("responses") | xmins("answers") | xmins("comments")) == 1
