"""A round's dates, on SQLite and PostgreSQL: always set when a round is created (today and
three weeks later when left out), in order, changeable while the round is a draft or open
(audited), kept once it closes; a refused change leaves every table as it was; rounds with and
without dates are placed in time together (`chronological_key`)."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from storage.engine import transaction
from storage.errors import Conflict, InvalidInput
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import (
    AuditEvent,
    Base,
    InstrumentVersion,
    Organization,
    Round,
    RoundStatus,
    Unit,
    today_utc,
)
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    DEFAULT_ROUND_DAYS,
    UnitInvitation,
    chronological_key,
    close_round,
    create_round,
    open_round,
    publish_round,
    set_round_dates,
)

APRIL_1, APRIL_30 = date(2027, 4, 1), date(2027, 4, 30)


@pytest.fixture
def agency(session_factory, make_instrument):
    """(organization id, instrument version id, unit id): an agency with one team."""
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        version = get_instrument_version(session, "ti-test", "1.0.0")
        org = create_organization(session, "Test Agency")
        team = add_unit(session, org, "Intake")
        return org.id, version.id, team.id


def new_round(session, agency, name="Spring", **dates):
    org_id, version_id, unit_id = agency
    return create_round(
        session, session.get(Organization, org_id), name=name,
        instrument_version=session.get(InstrumentVersion, version_id),
        invitations=[UnitInvitation(session.get(Unit, unit_id), 12)], **dates,
    )


def row_counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_a_round_created_without_dates_opens_today_and_closes_in_three_weeks(
        session_factory, agency):
    with transaction(session_factory, write=True) as session:
        round_ = new_round(session, agency)
        today = today_utc()
        assert (round_.opens_on, round_.closes_on) == (
            today, today + timedelta(days=DEFAULT_ROUND_DAYS))
        only_opens = new_round(session, agency, "Autumn", opens_on=APRIL_1)
        assert only_opens.closes_on == APRIL_1 + timedelta(days=DEFAULT_ROUND_DAYS)
        explicit_none = new_round(session, agency, "Winter", opens_on=None, closes_on=None)
        assert explicit_none.opens_on is not None and explicit_none.closes_on is not None


@pytest.mark.parametrize(("dates", "message"), [
    ({"opens_on": APRIL_30, "closes_on": APRIL_1},
     "the closing date 2027-04-01 is before the opening date 2027-04-30"),
    ({"opens_on": "2027-04-01", "closes_on": APRIL_30}, "the opening date must be a date"),
    ({"opens_on": APRIL_1, "closes_on": 20270430}, "the closing date must be a date"),
    ({"closes_on": date(2000, 1, 1)}, "the closing date 2000-01-01 is before the opening date"),
])
def test_dates_out_of_order_or_not_dates_are_refused_by_name(
        session_factory, agency, dates, message):
    with transaction(session_factory) as session:
        before = row_counts(session)
    with pytest.raises(InvalidInput, match=message):
        with transaction(session_factory, write=True) as session:
            new_round(session, agency, **dates)
    with transaction(session_factory) as session:
        assert row_counts(session) == before


def test_one_day_rounds_are_fine(session_factory, agency):
    with transaction(session_factory, write=True) as session:
        round_ = new_round(session, agency, opens_on=APRIL_1, closes_on=APRIL_1)
        assert round_.closes_on == round_.opens_on


def test_dates_change_while_draft_and_open_and_each_change_is_audited(session_factory, agency):
    with transaction(session_factory, write=True) as session:
        round_id = new_round(session, agency, opens_on=APRIL_1, closes_on=APRIL_30).id
    with transaction(session_factory, write=True) as session:
        set_round_dates(session, session.get(Round, round_id), opens_on=date(2027, 4, 5),
                        closes_on=date(2027, 5, 5))
    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, round_id)
        open_round(session, round_)
        set_round_dates(session, round_, opens_on=date(2027, 4, 5),
                        closes_on=datetime(2027, 5, 20, 9, tzinfo=UTC))
    with transaction(session_factory) as session:
        round_ = session.get(Round, round_id)
        assert (round_.opens_on, round_.closes_on) == (date(2027, 4, 5), date(2027, 5, 20))
        events = list(session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "round.dates").order_by(AuditEvent.id)))
    assert [e.detail for e in events] == [
        {"round": round_id, "opens_on": "2027-04-05", "closes_on": "2027-05-05",
         "before": ["2027-04-01", "2027-04-30"]},
        {"round": round_id, "opens_on": "2027-04-05", "closes_on": "2027-05-20",
         "before": ["2027-04-05", "2027-05-05"]},
    ]
    assert events[0].target == "Spring"


def test_a_round_stored_without_dates_gets_them(session_factory, agency):
    with transaction(session_factory, write=True) as session:
        round_ = new_round(session, agency)
        round_.opens_on = round_.closes_on = None
        round_id = round_.id
    with transaction(session_factory, write=True) as session:
        set_round_dates(session, session.get(Round, round_id), opens_on=APRIL_1,
                        closes_on=APRIL_30)
    with transaction(session_factory) as session:
        assert session.get(Round, round_id).closes_on == APRIL_30


@pytest.mark.parametrize(("opens_on", "closes_on", "message"), [
    (APRIL_30, APRIL_1, "the closing date 2027-04-01 is before the opening date 2027-04-30"),
    (None, APRIL_30, "the opening date is missing"),
    (APRIL_1, None, "the closing date is missing"),
    ("soon", APRIL_30, "the opening date must be a date"),
])
def test_a_bad_change_is_refused_and_changes_nothing(
        session_factory, agency, opens_on, closes_on, message):
    with transaction(session_factory, write=True) as session:
        round_id = new_round(session, agency, opens_on=APRIL_1, closes_on=APRIL_30).id
    with transaction(session_factory) as session:
        before = row_counts(session)
    with pytest.raises(InvalidInput, match=message):
        with transaction(session_factory, write=True) as session:
            set_round_dates(session, session.get(Round, round_id), opens_on=opens_on,
                            closes_on=closes_on)
    with transaction(session_factory) as session:
        assert row_counts(session) == before
        round_ = session.get(Round, round_id)
        assert (round_.opens_on, round_.closes_on) == (APRIL_1, APRIL_30)


def test_dates_are_kept_once_the_round_has_closed(session_factory, agency):
    with transaction(session_factory, write=True) as session:
        round_ = new_round(session, agency, opens_on=APRIL_1, closes_on=APRIL_30)
        round_id = round_.id
        open_round(session, round_)
    for step in (close_round, publish_round):
        with transaction(session_factory, write=True) as session:
            step(session, session.get(Round, round_id))
        with transaction(session_factory) as session:
            before = row_counts(session)
            status = session.get(Round, round_id).status
        assert status in (RoundStatus.CLOSED.value, RoundStatus.PUBLISHED.value)
        with pytest.raises(Conflict, match=f"round 'Spring' is {status}: its dates are kept"):
            with transaction(session_factory, write=True) as session:
                set_round_dates(session, session.get(Round, round_id),
                                opens_on=APRIL_1, closes_on=date(2027, 6, 1))
        with transaction(session_factory) as session:
            assert row_counts(session) == before
            assert session.get(Round, round_id).closes_on == APRIL_30


def test_rounds_with_and_without_dates_sort_together(session_factory, agency):
    """Every mix of set and missing dates and launch times has one order, and it never
    raises; a round with an opening date is placed by it."""
    with transaction(session_factory, write=True) as session:
        rounds = []
        for i, (opens, launched) in enumerate(itertools.product(
                (None, date(2026, 1, 1), date(2027, 1, 1)), (None, True))):
            round_ = new_round(session, agency, f"R{i}")
            round_.opens_on = opens
            round_.closes_on = None if opens is None else opens + timedelta(days=1)
            if launched:
                round_.opened_at = datetime(2026, 6, 1, tzinfo=UTC)
            rounds.append(round_)
        session.flush()
        ordered = sorted(rounds, key=chronological_key)
        assert sorted(reversed(rounds), key=chronological_key) == ordered
        dated = [r for r in ordered if r.opens_on is not None]
        assert [r.opens_on for r in dated] == sorted(r.opens_on for r in dated)
        launched_undated = next(r for r in rounds if r.opens_on is None and r.opened_at)
        assert chronological_key(launched_undated)[0] == date(2026, 6, 1)


_DAYS = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31)))
_MOMENTS = st.one_of(st.none(), st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31),
                                             timezones=st.just(UTC)))


@given(st.lists(st.tuples(_DAYS, _MOMENTS, st.datetimes(
    datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))),
    min_size=1, max_size=12))
def test_chronological_key_is_a_total_order_whatever_is_missing(rows):
    """Any mix of missing opening dates and launch times: every pair of rounds is ordered one
    way, sorting never raises, and no part of a key is None."""
    rounds = [Round(id=i + 1, opens_on=opens, opened_at=opened, created_at=created)
              for i, (opens, opened, created) in enumerate(rows)]
    keys = [chronological_key(r) for r in rounds]
    assert all(part is not None for key in keys for part in key)
    assert len(set(keys)) == len(keys)
    ordered = sorted(rounds, key=chronological_key)
    assert sorted(reversed(rounds), key=chronological_key) == ordered
    for earlier, later in itertools.pairwise(ordered):
        assert chronological_key(earlier) < chronological_key(later)


def test_a_change_racing_a_close_is_refused_after_it(session_factory, agency):
    """The close holds the round's row (``FOR UPDATE`` on PostgreSQL, the write lock on
    SQLite) until it commits; a date change started meanwhile waits, then sees a closed round
    and is refused: a closed round never gets dates other than those its report states."""
    with transaction(session_factory, write=True) as session:
        round_ = new_round(session, agency, opens_on=APRIL_1, closes_on=APRIL_30)
        open_round(session, round_)
        round_id = round_.id
    outcome: list[BaseException | None] = []
    closing = threading.Event()

    def change() -> None:
        closing.wait()
        try:
            with transaction(session_factory, write=True) as session:
                set_round_dates(session, session.get(Round, round_id), opens_on=APRIL_1,
                                closes_on=date(2027, 6, 1))
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=change)
    worker.start()
    with transaction(session_factory, write=True) as session:
        close_round(session, session.get(Round, round_id))
        closing.set()
        time.sleep(0.5)  # the change is now waiting for the close to commit
    worker.join(timeout=60)
    assert len(outcome) == 1 and isinstance(outcome[0], Conflict), outcome
    with transaction(session_factory) as session:
        assert session.get(Round, round_id).closes_on == APRIL_30
