"""storage.round_service and storage.paper_import on SQLite and PostgreSQL: the round lifecycle,
the units snapshot, codes and links, response rates withheld below k, paper import all or
nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storage.access_codes import ALPHABET, CODE_BITS, hash_code, normalize_code
from storage.engine import transaction
from storage.errors import Conflict, InvalidInput
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import AccessCode, AuditEvent, Response, Round, RoundStatus, UnitLink
from storage.organization_repo import add_unit, create_organization, import_units, move_unit
from storage.paper_import import ImportProblems, import_paper_responses, template_header
from storage.round_service import (
    UnitInvitation,
    close_round,
    code_counts,
    create_round,
    create_unit_link,
    get_round,
    issue_codes,
    list_rounds,
    open_round,
    publish_round,
    response_rates,
    response_total,
)
from storage.survey_service import DraftUpdate, submit_response


@pytest.fixture
def seed(make_instrument):
    """``seed(session, invited=(12, 3))``: an agency with a region over two teams, and a draft
    round of ti-test over the two teams."""

    def make(session, *, invited=(12, 3)):
        return _seed(session, make_instrument(), invited)

    return make


def _seed(session, instrument, invited):
    sync_library(session, [instrument])
    version = get_instrument_version(session, "ti-test", "1.0.0")
    org = create_organization(session, "Test Agency")
    region = add_unit(session, org, "North Region")
    intake = add_unit(session, org, "Intake", parent=region)
    small = add_unit(session, org, "Small team", parent=region)
    round_ = create_round(
        session,
        org,
        name="Spring",
        instrument_version=version,
        invitations=[UnitInvitation(intake, invited[0]), UnitInvitation(small, invited[1])],
        languages=["en", "es"],
    )
    return org, round_


def test_create_snapshots_chosen_units_and_their_ancestors(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        org, round_ = seed(session)
        snapshot = {unit.code: unit for unit in round_.units}
        assert set(snapshot) == {"north-region", "intake", "small-team"}
        assert snapshot["north-region"].invited == 0
        assert snapshot["intake"].parent_id == snapshot["north-region"].id
        assert round_.status == RoundStatus.DRAFT.value
        assert [event.action for event in session.scalars(sa.select(AuditEvent))] == [
            "round.create"
        ]


def test_snapshot_does_not_follow_later_renames_or_moves(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        org, round_ = seed(session)
        intake = next(u for u in org.units if u.code == "intake")
        intake.name = "Renamed"
        move_unit(session, intake, None)
        session.flush()
        session.expire_all()
        snapshot = {unit.code: unit for unit in get_round(session, org, round_.id).units}
        assert snapshot["intake"].name == "Intake"
        assert snapshot["intake"].parent_id == snapshot["north-region"].id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_group_size": 2}, "minimum group size must be a whole number from 3 to 10"),
        ({"min_group_size": 11}, "from 3 to 10"),
        ({"min_comment_group_size": 4}, "at least the minimum group size (5)"),
        ({"languages": ["fr"]}, "not available in fr"),
        ({"invitations": []}, "choose at least one unit"),
    ],
)
def test_create_refuses_bad_settings(session_factory, make_instrument, changes, message):
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument()])
        version = get_instrument_version(session, "ti-test", "1.0.0")
        org = create_organization(session, "Agency")
        unit = add_unit(session, org, "Team")
        settings = {
            "name": "Spring",
            "instrument_version": version,
            "invitations": [UnitInvitation(unit, 8)],
        } | changes
        with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
            create_round(session, org, **settings)


def test_draft_instrument_cannot_be_used(session_factory, make_instrument):
    with transaction(session_factory, write=True) as session:
        sync_library(session, [make_instrument(status="draft")])
        org = create_organization(session, "Agency")
        unit = add_unit(session, org, "Team")
        with pytest.raises(InvalidInput, match="only use a published instrument version"):
            create_round(
                session,
                org,
                name="Spring",
                instrument_version=get_instrument_version(session, "ti-test", "1.0.0"),
                invitations=[UnitInvitation(unit, 8)],
            )


def test_lifecycle_moves_forward_only(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        org, round_ = seed(session)
        with pytest.raises(Conflict, match="only a open round can become closed"):
            close_round(session, round_)
        open_round(session, round_)
        assert round_.opened_at is not None
        with pytest.raises(Conflict, match="is open; only a draft round can become open"):
            open_round(session, round_)
        with pytest.raises(Conflict, match="only a closed round can become published"):
            publish_round(session, round_)
        close_round(session, round_)
        publish_round(session, round_)
        assert round_.status == RoundStatus.PUBLISHED.value
        with pytest.raises(Conflict, match="no new codes or links"):
            issue_codes(session, round_, round_.units[1], 1)
        actions = [e.action for e in session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
        assert actions == ["round.create", "round.open", "round.close", "round.publish"]
        assert [r.name for r in list_rounds(session, org)] == ["Spring"]


def test_a_round_that_invites_nobody_does_not_open(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session, invited=(0, 0))
        with pytest.raises(InvalidInput, match="invites nobody"):
            open_round(session, round_)


def test_codes_are_long_unambiguous_and_stored_only_as_hashes(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session)
        intake = next(u for u in round_.units if u.code == "intake")
        codes = issue_codes(session, round_, intake, 40)
        stored = set(session.scalars(sa.select(AccessCode.code_hash)))
    assert CODE_BITS >= 60
    assert len(set(codes)) == 40
    for code in codes:
        raw = code.replace("-", "")
        assert len(raw) == 15 and set(raw) <= set(ALPHABET)
        assert not set(raw) & set("0O1IL5SUV")
        assert code not in stored and raw not in stored
        assert hash_code(normalize_code(code.lower().replace("-", " "))) in stored
    assert len(stored) == 40


def test_a_new_unit_link_retires_the_old_one(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session)
        intake = next(u for u in round_.units if u.code == "intake")
        first = create_unit_link(session, round_, intake)
        second = create_unit_link(session, round_, intake)
        links = {link.active for link in session.scalars(sa.select(UnitLink))}
        assert first != second and links == {True, False}


def answers_for(value: int) -> DraftUpdate:
    return DraftUpdate(
        answers={"SAF-01": value, "SAF-02": "NA"},
        comments={},
        role=None,
        language="en",
        current_page=0,
    )


def test_response_rates_are_withheld_below_k_invited(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session, invited=(12, 3))
        open_round(session, round_)
        by_code = {u.code: u for u in round_.units}
        intake_codes = issue_codes(session, round_, by_code["intake"], 6)
        small_codes = issue_codes(session, round_, by_code["small-team"], 3)
    for code in intake_codes[:5] + small_codes[:2]:
        with transaction(session_factory, write=True) as session:
            submit_response(session, code, answers_for(4))
    with transaction(session_factory) as session:
        round_ = session.merge(round_)
        rates = {rate.code: rate for rate in response_rates(session, round_)}
        counts = code_counts(session, round_)
        assert response_total(session, round_) == (7, 15)
    assert not rates["small-team"].shown
    assert rates["small-team"].responses is None and rates["small-team"].rate is None
    # complementary suppression: with the small team withheld, the region minus the intake team
    # would give the small team's count, so the intake team is withheld too
    assert not rates["intake"].shown and rates["intake"].responses is None
    # the region counts its subtree: 15 invited, 7 responses
    assert rates["north-region"].invited == 15 and rates["north-region"].responses == 7
    assert rates["north-region"].rate == pytest.approx(7 / 15)
    assert rates["north-region"].depth == 0 and rates["intake"].depth == 1
    intake_id = by_code["intake"].id
    # every code issued, none started (no draft), five sealed: the ledger rows are untouched
    assert counts[intake_id] == {"issued": 6, "started": 0, "submitted": 5}


def test_paper_import_is_all_or_nothing_with_row_and_column(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session)
        open_round(session, round_)
        header = template_header(round_)
    assert header == ["unit", "role", "language", "SAF-01", "SAF-02"]
    bad = "unit,role,language,SAF-01,SAF-02\nintake,,en,4,NA\nintake,boss,en,9,\nnowhere,,,,\n"
    with transaction(session_factory, write=True) as session:
        round_ = session.merge(round_)
        with pytest.raises(ImportProblems) as caught:
            import_paper_responses(session, round_, bad, source="paper.csv")
    problems = caught.value.problems
    assert "paper.csv row 3, column role: 'boss' is not one of" in problems[0]
    assert problems[1].startswith("paper.csv row 3, column SAF-01: '9' is not a point")
    assert problems[2].startswith("paper.csv row 4, column unit: 'nowhere' is not a unit")
    assert problems[3] == "paper.csv row 4: no item is answered; leave blank forms out"
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0

    good = "\ufeffunit,role,SAF-01,SAF-02\nintake,frontline,4,na\nsmall-team,,2,\n"
    with transaction(session_factory, write=True) as session:
        round_ = session.merge(round_)
        report = import_paper_responses(session, round_, good, source="paper.csv")
    assert report.responses == 2 and report.by_unit == {"intake": 1, "small-team": 1}
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0, (
            "paper forms are sealed like web ones until the round closes"
        )
    with transaction(session_factory, write=True) as session:
        close_round(session, session.merge(round_))
    with transaction(session_factory) as session:
        modes = session.execute(sa.select(Response.mode, Response.seconds_per_item_bucket)).all()
        assert sorted(modes) == [("paper", None), ("paper", None)]


def test_paper_forms_never_pad_a_unit_past_its_invited_count(session_factory, seed):
    """The padding attack: an admin types made-up forms so that one real colleague's answers
    can be subtracted out. A unit takes at most invited − already submitted (web and paper)."""
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session, invited=(12, 3))
        open_round(session, round_)
        by_code = {u.code: u for u in round_.units}
        [web_code] = issue_codes(session, round_, by_code["small-team"], 1)
        round_id = round_.id
    with transaction(session_factory, write=True) as session:
        submit_response(session, web_code, answers_for(5))
    padded = "unit,SAF-01\n" + "small-team,4\n" * 3
    with transaction(session_factory, write=True) as session:
        with pytest.raises(ImportProblems) as caught:
            import_paper_responses(session, session.get(Round, round_id), padded, source="fake.csv")
    [problem] = caught.value.problems
    assert "small-team" in problem and "3 paper forms" in problem
    assert "at most 2" in problem and "3 invited, 1 already submitted" in problem
    with transaction(session_factory, write=True) as session:
        import_paper_responses(
            session, session.get(Round, round_id), "unit,SAF-01\n" + "small-team,4\n" * 2
        )
    with transaction(session_factory, write=True) as session:
        with pytest.raises(ImportProblems, match="at most 0"):
            import_paper_responses(
                session, session.get(Round, round_id), "unit,SAF-01\nsmall-team,1\n"
            )
    with transaction(session_factory, write=True) as session:
        close_round(session, session.get(Round, round_id))
    with transaction(session_factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 3
    with transaction(session_factory, write=True) as session:
        with pytest.raises(InvalidInput, match="only while the round is open"):
            import_paper_responses(session, session.get(Round, round_id), "unit,SAF-01\nintake,1\n")


def test_paper_import_refuses_unknown_columns(session_factory, seed):
    with transaction(session_factory, write=True) as session:
        _, round_ = seed(session)
        open_round(session, round_)
        with pytest.raises(ImportProblems, match="row 1, column 'SAF-99': not an item"):
            import_paper_responses(session, round_, "unit,SAF-99\nintake,3\n", source="f.csv")


def test_unit_import_names_row_and_column_and_adds_nothing_on_error(session_factory):
    with transaction(session_factory, write=True) as session:
        org = create_organization(session, "Agency")
        add_unit(session, org, "East")
        text = "name,code,parent\nWest,,\nWest intake,west-intake,west\nOrphan,,nowhere\n"
        with pytest.raises(InvalidInput, match="f.csv row 4, column parent: no unit 'nowhere'"):
            import_units(session, org, text, source="f.csv")
        assert [u.code for u in org.units] == ["east"]
        added = import_units(session, org, text.rsplit("Orphan", 1)[0], source="f.csv")
        assert [(u.code, u.parent_id is not None) for u in added] == [
            ("west", False),
            ("west-intake", True),
        ]


def test_a_unit_cannot_move_under_its_own_descendant(session_factory):
    with transaction(session_factory, write=True) as session:
        org = create_organization(session, "Agency")
        top = add_unit(session, org, "Top")
        child = add_unit(session, org, "Child", parent=top)
        with pytest.raises(InvalidInput, match="one of its own sub-units"):
            move_unit(session, top, child)
        with pytest.raises(InvalidInput, match="which is itself"):
            move_unit(session, top, top)
