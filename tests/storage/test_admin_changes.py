"""What the leadership pages need of the storage services, on SQLite and PostgreSQL: changes
made by a signed-in admin (the ``actor``) are recorded in the audit log, changes without one
are not; the ledger of a unit counts the codes of the units below it, like its response rate."""

from __future__ import annotations

from storage.audit_repo import list_audit_events
from storage.engine import transaction
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import CodeState
from storage.organization_repo import (
    add_unit,
    create_organization,
    get_organization,
    import_units,
    move_unit,
    rename_unit,
)
from storage.paper_import import import_paper_responses, template_header
from storage.round_service import (
    UnitInvitation,
    create_round,
    issue_codes,
    open_round,
    round_units_in_order,
    subtree_code_counts,
)
from storage.user_repo import add_user, disable_user, enable_user, set_unit_scope

PASSWORD = "correct horse battery staple"


def events(session) -> list[tuple[str, str, str | None, dict]]:
    """(action, target, username of the actor, detail), oldest first."""
    organization = get_organization(session, "river-county")
    found = list_audit_events(session, organization)
    names = {user.id: user.username for user in organization.users}
    return [(e.action, e.target, names.get(e.user_id), e.detail) for e in reversed(found)]


def test_changes_by_an_admin_are_audited_and_changes_without_one_are_not(session_factory):
    with transaction(session_factory, write=True) as session:
        org = create_organization(session, "River County")
        zoe = add_user(session, org, "zoe", PASSWORD, role="admin")
        quiet = add_unit(session, org, "Quiet office")  # no actor: not recorded
        north = add_unit(session, org, "North", code="north", actor=zoe)
        rename_unit(session, north, "North region", actor=zoe)
        move_unit(session, quiet, north, actor=zoe)
        import_units(session, org, "name,parent\nIntake,north\n", source="units.csv", actor=zoe)
        mo = add_user(session, org, "mo", PASSWORD, role="manager", actor=zoe)
        set_unit_scope(session, mo, [north], actor=zoe)
        disable_user(session, "mo", actor=zoe)
        enable_user(session, "mo", actor=zoe)
        disable_user(session, "mo")  # no actor: not recorded
    with transaction(session_factory) as session:
        assert events(session) == [
            ("unit.add", "north", "zoe", {"name": "North", "parent": None}),
            ("unit.rename", "north", "zoe", {"from": "North", "to": "North region"}),
            ("unit.move", "quiet-office", "zoe", {"parent": "north"}),
            ("units.import", "units.csv", "zoe", {"count": 1, "units": ["intake"]}),
            ("user.add", "mo", "zoe", {"role": "manager"}),
            ("user.scope", "mo", "zoe", {"units": ["north"]}),
            ("user.disable", "mo", "zoe", {}),
            ("user.enable", "mo", "zoe", {}),
        ]


def test_a_paper_import_by_an_admin_is_audited_with_its_unit_and_count_only(
    session_factory, make_instrument
):
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        org = create_organization(session, "River County")
        zoe = add_user(session, org, "zoe", PASSWORD, role="admin")
        unit = add_unit(session, org, "North", code="north")
        round_ = create_round(
            session,
            org,
            name="Spring",
            instrument_version=get_instrument_version(session, "ti-test", "1.0.0"),
            invitations=[UnitInvitation(unit, 8)],
            languages=["en"],
        )
        open_round(session, round_)
        item = template_header(round_)[3]
        import_paper_responses(session, round_, f"unit,{item}\nnorth,4\nnorth,2\n", actor=zoe)
        round_id = round_.id
    with transaction(session_factory) as session:
        recorded = events(session)
        assert [e[0] for e in recorded] == ["round.create", "round.open", "responses.import"]
        _, target, actor, detail = recorded[-1]
        assert (target, actor) == ("Spring", "zoe")
        assert detail == {"round": round_id, "unit": "north", "count": 2, "source": "the file"}


def test_the_ledger_of_a_unit_counts_the_units_below_it(session_factory, make_instrument):
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        org = create_organization(session, "River County")
        region = add_unit(session, org, "Region", code="region")
        intake = add_unit(session, org, "Intake", code="intake", parent=region)
        small = add_unit(session, org, "Small", code="small", parent=region)
        round_ = create_round(
            session,
            org,
            name="Spring",
            instrument_version=get_instrument_version(session, "ti-test", "1.0.0"),
            invitations=[UnitInvitation(intake, 8), UnitInvitation(small, 3)],
            languages=["en"],
        )
        units = {unit.code: unit for unit in round_units_in_order(round_)}
        issue_codes(session, round_, units["intake"], 4)
        issue_codes(session, round_, units["small"], 2)
        ledger = subtree_code_counts(session, round_)
        issued = {code: ledger[unit.id][CodeState.ISSUED.value] for code, unit in units.items()}
        assert issued == {"region": 6, "intake": 4, "small": 2}
        assert {ledger[unit.id][CodeState.SUBMITTED.value] for unit in units.values()} == {0}
