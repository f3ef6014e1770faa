"""reports.builder on real SQLite files: disclosure decided once on the whole tree, differencing
attempts that recover nothing, scopes that agree with the agency view, and the change verdicts
on a constructed pair of rounds."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import sqlalchemy as sa

from reports.builder import AGENCY, build_report, comparable_pairs
from scoring.change import DECLINED, IMPROVED, STABLE, TOO_FEW, minimum_detectable_effect
from scoring.disclosure import NO_DATA, SHOWN, WITHHELD
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Response, ResponseMode, Round
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, close_round, create_round, open_round
from storage.survey_service import seal_response


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def demo_rounds(session):
    return list(session.scalars(sa.select(Round).order_by(Round.id)))


def test_every_shown_total_minus_its_shown_parts_is_zero_or_at_least_k(demo):
    """The attack of subtracting shown children from a shown parent (and shown roles from the
    agency) never isolates a group of fewer than k responses."""
    with transaction(demo) as session:
        for round_ in demo_rounds(session):
            report = build_report(session, round_)
            k = report.min_group_size
            rows = list(report.units)
            assert any(row.status == WITHHELD for row in rows), "the demo has withheld units"
            for i, row in enumerate(rows):
                if row.status != SHOWN:
                    continue
                children = []
                for other in rows[i + 1 :]:
                    if other.depth <= row.depth:
                        break
                    if other.depth == row.depth + 1:
                        children.append(other)
                shown_children = sum(c.n for c in children if c.status == SHOWN)
                remainder = row.n - shown_children
                assert remainder == 0 or remainder >= k, (round_.name, row.name, remainder)
            shown_roles = sum(r.n for r in report.roles if r.status == SHOWN)
            remainder = report.n_responses - shown_roles
            assert remainder == 0 or remainder >= k


def test_withheld_cells_carry_no_numbers(demo):
    with transaction(demo) as session:
        report = build_report(session, demo_rounds(session)[-1])
    withheld = [row for row in report.units if row.status == WITHHELD]
    assert withheld
    for row in withheld + [r for r in report.roles if r.status != SHOWN]:
        assert row.n is None and row.means == {}


def test_a_scope_report_shows_what_the_agency_report_shows_for_that_unit(demo):
    """A narrower view (a manager's scope) is the same decision and the same numbers, so
    comparing views tells nothing new."""
    with transaction(demo) as session:
        round_ = demo_rounds(session)[-1]
        agency = build_report(session, round_)
        by_key = {row.key: row for row in agency.units}
        for row in agency.units:
            if row.key == AGENCY:
                continue
            scoped = build_report(session, round_, row.key)
            assert scoped.scope_status == row.status
            if row.status == SHOWN:
                assert scoped.n_responses == row.n
                for domain in scoped.domains:
                    assert domain.mean == pytest.approx(row.means[domain.domain_id], abs=1e-12)
                assert [(c.key, c.status, c.n) for c in scoped.units] == [
                    (c.key, by_key[c.key].status, by_key[c.key].n) for c in scoped.units
                ]
            else:
                assert scoped.n_responses is None
                assert scoped.domains == () and scoped.change == ()
                assert scoped.response_rate is None


def test_comments_come_only_from_groups_of_at_least_the_comment_threshold(demo):
    with transaction(demo) as session:
        round_ = demo_rounds(session)[-1]
        agency = build_report(session, round_)
        small = [u for u in round_.units if u.code == "south-family-support"][0]
        scoped = build_report(session, round_, small.id)
    assert sum(len(v) for v in agency.comments.values()) > 0
    assert scoped.comments == {} and scoped.comments_withheld


def test_the_demo_shows_improvement_a_decline_and_a_split_unit(demo):
    with transaction(demo) as session:
        report = build_report(session, demo_rounds(session)[-1])
    verdicts = {c.domain_id: c.verdict for c in report.change}
    assert verdicts["SAF"] == "improved" and verdicts["WEL"] == "declined"
    wel = next(c for c in report.change if c.domain_id == "WEL")
    assert (wel.n_items_compared, wel.n_items) == (4, 5)  # WEL-04 changed meaning in 1.1.0
    assert "North Ongoing Services" in report.domain("FND").split_units
    assert report.previous_round_name.startswith("Six-month")
    assert [point.status for point in report.trend] == [SHOWN, SHOWN, SHOWN]
    assert {a.domain_id for a in report.actions_before} == {"WEL", "DAT"}
    assert all(a.change is not None for a in report.actions_before)


def test_comparable_pairs_follow_lineage():
    from instruments.registry import resolve

    pairs = comparable_pairs(resolve("ti-staff@1.0.0"), resolve("ti-staff@1.1.0"))
    assert ("WEL-04", "WEL-06") not in pairs["WEL"] and len(pairs["WEL"]) == 4
    assert ("SAF-04", "SAF-04") in pairs["SAF"]  # reworded stays comparable
    assert all(after != "VOI-06" for _, after in pairs["VOI"])  # added: nothing to compare


# -- a constructed pair of rounds -------------------------------------------------------------


def _answers(instrument, level: dict[str, float], rng, n: int) -> list[dict[str, int]]:
    out = []
    for _ in range(n):
        answers = {}
        for domain in instrument.domains:
            for item in domain.items:
                value = level.get(domain.id, 3.0) + rng.normal(0, 0.5)
                if item.reverse:
                    value = 6 - value
                answers[item.id] = int(np.clip(np.rint(value), 1, 5))
        out.append(answers)
    return out


def test_change_verdicts_on_a_constructed_pair_of_rounds(tmp_path):
    """SAF rises by a full point, WEL falls by one, the others stay: improved, declined, and
    stable or too few to tell (BH-adjusted p < .05 and |g| ≥ 0.2 required for the first two)."""
    url = f"sqlite:///{tmp_path / 'pair.db'}"
    initialize(url)
    engine = make_engine(url)
    rng = np.random.default_rng(7)
    try:
        factory = session_factory(engine)
        with transaction(factory, write=True) as session:
            org = create_organization(session, "Pair agency")
            team = add_unit(session, org, "Team")
            rounds = []
            for name, version, opens, level in (
                ("Before", "1.0.0", date(2026, 1, 10), {}),
                ("After", "1.1.0", date(2026, 7, 10), {"SAF": 4.0, "WEL": 2.0}),
            ):
                round_ = create_round(
                    session, org, name=name,
                    instrument_version=get_instrument_version(session, "ti-staff", version),
                    invitations=[UnitInvitation(team, 80)], opens_on=opens,
                )
                open_round(session, round_)
                instrument = round_.instrument_version.instrument()
                for answers in _answers(instrument, level, rng, 60):
                    seal_response(
                        session, round_, round_.units[0].id, instrument, answers, {},
                        role=None, language="en", mode=ResponseMode.PAPER, seconds=None,
                    )
                close_round(session, round_)
                rounds.append(round_)
        with transaction(factory) as session:
            report = build_report(session, session.merge(rounds[1]))
    finally:
        engine.dispose()
    verdicts = {c.domain_id: c.verdict for c in report.change}
    assert verdicts.pop("SAF") == IMPROVED
    assert verdicts.pop("WEL") == DECLINED
    # the others did not move: stable where the interval of g lies within ± 0.5, else too
    # few to tell, each with the smallest change its group sizes could detect
    assert STABLE in verdicts.values() and set(verdicts.values()) <= {STABLE, TOO_FEW}
    for c in report.change:
        assert c.mde_g == pytest.approx(minimum_detectable_effect(c.n_before, c.n_after))
        assert c.mde_points == pytest.approx(c.mde_g * 2 * c.mid_points)  # mid = SD / 2
        low, high = c.hedges_g_ci
        assert (c.verdict == STABLE) == (c.verdict not in (IMPROVED, DECLINED)
                                         and -0.5 < low and high < 0.5)
        assert c.units == ()  # one team in both rounds: nothing left out
    saf = next(c for c in report.change if c.domain_id == "SAF")
    assert saf.diff == pytest.approx(1.0, abs=0.2) and saf.hedges_g > 0.2
    assert saf.n_before == saf.n_after == 60
    assert report.previous_round_name == "Before"


def test_an_empty_round_is_reported_as_no_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    initialize(url)
    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        with transaction(factory, write=True) as session:
            org = create_organization(session, "Quiet agency")
            team = add_unit(session, org, "Team")
            round_ = create_round(
                session, org, name="Nobody yet",
                instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
                invitations=[UnitInvitation(team, 9)],
            )
            open_round(session, round_)
            close_round(session, round_)
        with transaction(factory) as session:
            report = build_report(session, session.get(Round, round_.id))
    finally:
        engine.dispose()
    assert report.scope_status == NO_DATA and report.n_responses is None
    assert report.scope_reason == "no_data"
    assert report.domains == () and report.change == () and report.comments == {}


def test_the_demo_report_reads_the_same_on_sqlite_and_postgresql(db_url):
    """The builder reads answers straight from the driver's cursor: both drivers' plain values
    (SQLite's 0/1, psycopg's booleans) give the same report."""
    initialize(db_url, demo=True)
    engine = make_engine(db_url)
    try:
        with transaction(session_factory(engine)) as session:
            round_ = demo_rounds(session)[-1]
            report = build_report(session, round_)
            stored = session.scalar(sa.select(sa.func.count()).select_from(Response).where(
                Response.round_id == round_.id))
    finally:
        engine.dispose()
    assert report.n_responses == stored > 0
    assert {c.domain_id: c.verdict for c in report.change}["WEL"] == "declined"
    na_share = [item.pct_na for d in report.domains for item in d.items]
    assert all(p is not None and 0 <= p < 15 for p in na_share)
    assert sum(p > 0 for p in na_share) > len(na_share) / 2  # "not applicable" read as such
