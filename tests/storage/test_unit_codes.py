"""storage.unit_codes on SQLite and PostgreSQL: codes for every invited unit of a round at once.

- Every unit with people invited gets one code per invited person it does not have a code for
  yet; units with nobody invited get none; a second call issues nothing more.
- The codes are stored only as hashes, as single codes of their unit, with one audit event per
  unit, exactly as issuing unit by unit does.
- It is one transaction: a refusal part-way (a closed round, a clashing code) stores nothing.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.access_codes import hash_code, normalize_code
from storage.engine import transaction
from storage.errors import Conflict
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import AccessCode, AuditEvent, Base, CodeKind, Round
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    get_round_unit,
    issue_codes,
    open_round,
)
from storage.unit_codes import issue_codes_for_invited_units


@pytest.fixture
def round_id(session_factory, make_instrument):
    """An open round over an agency (nobody invited at its top), intake (3), foster (2) and
    an empty team (0)."""
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        version = get_instrument_version(session, "ti-test", "1.0.0")
        org = create_organization(session, "Test Agency")
        top = add_unit(session, org, "Agency")
        intake = add_unit(session, org, "Intake", parent=top)
        foster = add_unit(session, org, "Foster care", code="foster", parent=top)
        empty = add_unit(session, org, "Empty team", parent=top)
        round_ = create_round(
            session, org, name="Spring", instrument_version=version,
            invitations=[UnitInvitation(top, 0), UnitInvitation(intake, 3),
                         UnitInvitation(foster, 2), UnitInvitation(empty, 0)],
            languages=["en", "es"],
        )
        open_round(session, round_)
        return round_.id


def row_counts(session_factory) -> dict[str, int]:
    with transaction(session_factory) as session:
        return {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def issue_all(session_factory, round_id):
    with transaction(session_factory, write=True) as session:
        issued = issue_codes_for_invited_units(session, session.get(Round, round_id))
        return [(unit.code, unit.name, codes) for unit, codes in issued]


def test_every_invited_unit_gets_a_code_per_invited_person(session_factory, round_id):
    issued = issue_all(session_factory, round_id)
    assert [(code, len(codes)) for code, _, codes in issued] == [("foster", 2), ("intake", 3)]
    with transaction(session_factory) as session:
        stored = session.execute(
            sa.select(AccessCode.code_hash, AccessCode.kind, AccessCode.round_unit_id)
        ).all()
        units = {
            code: get_round_unit(session, session.get(Round, round_id), code).id
            for code in ("intake", "foster")
        }
        events = session.scalars(
            sa.select(AuditEvent.detail).where(AuditEvent.action == "codes.issue")
        ).all()
    expected = {
        (hash_code(normalize_code(code)), CodeKind.SINGLE.value, units[unit])
        for unit, _, codes in issued
        for code in codes
    }
    assert set(stored) == expected and len(stored) == 5
    assert sorted((e["unit"], e["count"]) for e in events) == [("foster", 2), ("intake", 3)]


def test_units_that_have_codes_get_only_the_missing_ones(session_factory, round_id):
    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, round_id)
        issue_codes(session, round_, get_round_unit(session, round_, "intake"), 2)
    issued = issue_all(session_factory, round_id)
    assert [(code, len(codes)) for code, _, codes in issued] == [("foster", 2), ("intake", 1)]
    before = row_counts(session_factory)
    assert issue_all(session_factory, round_id) == []
    assert row_counts(session_factory) == before


def test_a_closed_round_gets_no_codes(session_factory, round_id):
    with transaction(session_factory, write=True) as session:
        close_round(session, session.get(Round, round_id))
    before = row_counts(session_factory)
    with pytest.raises(Conflict, match="no new codes or links can be made"):
        issue_all(session_factory, round_id)
    assert row_counts(session_factory) == before


def test_a_refusal_part_way_stores_no_code_of_any_unit(session_factory, round_id, monkeypatch):
    """The second unit's first code clashes with a code already stored: the first unit's codes,
    issued earlier in the same call, are not stored either."""
    import storage.round_service as round_service

    with transaction(session_factory, write=True) as session:
        round_ = session.get(Round, round_id)
        [taken] = issue_codes(session, round_, get_round_unit(session, round_, "intake"), 1)
    fresh = iter(["AAAAA-BBBBB-CCCCC", "AAAAA-BBBBB-CCCCD", taken, "AAAAA-BBBBB-CCCCE"])
    monkeypatch.setattr(round_service, "new_code", lambda: next(fresh))
    before = row_counts(session_factory)
    with pytest.raises(Conflict, match="already in use"):
        issue_all(session_factory, round_id)
    assert row_counts(session_factory) == before
