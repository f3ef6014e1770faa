"""Change since the previous round says what it can, on real databases.

- **Composition.** A round covering 3 units compared with one covering 12, "whole agency":
  the change is computed on the 3 units present in both rounds and the report names them;
  raw totals of different units would read as change (here: as a large improvement).
- **Anonymity of the common units.** A number on "the scope minus some units" set beside the
  scope's own number gives the left-out part by subtraction, so the common units are compared
  only when what is left out is a union of shown cells (each of at least k), else the change
  is withheld with `reports.builder.CHANGED_UNITS`. Attacked with random unit trees and random
  coverage of two rounds, in the style of `test_disclosure_properties`: every released change
  rests on at least k respondents in each round and leaves 0 or at least k out; and two
  databases that differ only in how respondents are split between withheld units (sizes
  kept), in either round, give byte-identical change output.
- **Old frozen reports.** A report frozen before the four verdicts (no minimum detectable
  effect, no units, the verdict "no clear change") still decodes and renders everywhere.
"""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date
from html import escape

import numpy as np
import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from reports.builder import AGENCY, CHANGED_UNITS, build_report, build_round_reports
from reports.document import report_document
from reports.figures import change_chart
from reports.frozen import decode_report, encode_report
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.table_export import aggregate_records, report_csv, report_xlsx
from reports.words import listing, reason_text, word
from scoring.change import (
    DECLINED,
    IMPROVED,
    NO_CLEAR_CHANGE,
    STABLE,
    TOO_FEW,
    compare_domains,
)
from scoring.disclosure import SHOWN, WITHHELD
from scoring.matrix import domain_scores, key_items
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Answer, Response, Round, RoundStatus
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, create_round, open_round
from tests.reports.test_disclosure_properties import (
    INSTRUMENT,
    SETTINGS,
    Agency,
    Respondent,
    Truth,
    respondents,
    unit_index,
)
from tests.reports.test_disclosure_properties import fresh_database as _fresh_database

# the attack's databases: a copy of a migrated SQLite file, and a schema of PostgreSQL when a
# server is there (the fixture of the disclosure attacks, registered here too)
fresh_database = _fresh_database

NEW_FIELDS = ("hedges_g_ci", "mde_g", "mde_points", "mid_points", "units")


# -- writing two rounds of one agency ---------------------------------------------------------


def write_rounds(url: str, k: int, parent: tuple[int, ...],
                 rounds: list[tuple[tuple[bool, ...], list[Respondent]]]) -> None:
    """One agency with units "Unit i" (`parent`: each unit's parent, −1 under the agency) and
    one closed round per entry of `rounds`, oldest first: (which units are invited, people)."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            org = create_organization(session, "Change agency")
            units = []
            for i, p in enumerate(parent):
                units.append(add_unit(session, org, f"Unit {i}",
                                      parent=None if p == -1 else units[p]))
            version = get_instrument_version(session, *INSTRUMENT)
            for r, (invited, people) in enumerate(rounds):
                round_ = create_round(
                    session, org, name=f"Round {r + 1}", instrument_version=version,
                    invitations=[UnitInvitation(u, 12) for u, on in zip(units, invited,
                                                                        strict=True) if on],
                    opens_on=date(2026, 1 + 5 * r, 1), closes_on=date(2026, 1 + 5 * r, 28),
                    min_group_size=k, min_comment_group_size=k + 2,
                )
                open_round(session, round_)
                snapshot = {ru.unit_id: ru.id for ru in round_.units}
                for person in people:
                    response = Response(
                        round_id=round_.id, round_unit_id=snapshot[units[person.unit].id],
                        role=person.role, language="en", mode="web",
                        submitted_on=date(2026, 1 + 5 * r, 15), seconds_per_item_bucket=None,
                        quality_flags=[],
                    )
                    session.add(response)
                    session.flush()
                    for item_id, (value, na) in person.answers.items():
                        session.add(Answer(response_id=response.id, item_id=item_id,
                                           value=value, not_applicable=na))
                round_.status = RoundStatus.CLOSED.value
    finally:
        engine.dispose()


def read_round_reports(url: str) -> list[tuple[dict, dict[int, str]]]:
    """Every round's reports of every scope, with its round units' names, oldest first."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            out = []
            for round_ in session.scalars(sa.select(Round).order_by(Round.opens_on)):
                out.append((build_round_reports(session, round_),
                            {ru.id: ru.name for ru in round_.units}))
            return out
    finally:
        engine.dispose()


def pulse():
    from instruments.registry import resolve

    return resolve(f"{INSTRUMENT[0]}@{INSTRUMENT[1]}")


def at_level(units: list[int], n: int, level: float, seed: int) -> list[Respondent]:
    """`n` people in each of `units` answering every item around `level` (keyed), with some
    spread so that every domain varies."""
    instrument = pulse()
    items = [item for _, item in instrument.items()]
    rng = np.random.default_rng(seed)
    out = []
    for unit in units:
        values = np.clip(np.rint(level + rng.normal(0, 0.8, (n, len(items)))), 1, 5)
        for row in values.astype(int):
            answers = {item.id: (int(6 - v if item.reverse else v), False)
                       for item, v in zip(items, row, strict=True)}
            out.append(Respondent(unit, None, answers, False))
    return out


def scores_of(people: list[Respondent], units: set[int]) -> np.ndarray:
    """Domain scores (respondents × domains) of the people filed on `units`."""
    instrument = pulse()
    items = [item for _, item in instrument.items()]
    chosen = [p for p in people if p.unit in units]
    values = np.array([[p.answers[i.id][0] for i in items] for p in chosen], dtype=float)
    keyed = key_items(values, [i.reverse for i in items],
                      [instrument.scale_of(i).minimum for i in items],
                      [instrument.scale_of(i).maximum for i in items])
    start, columns = 0, []
    for domain in instrument.domains:
        stop = start + len(domain.items)
        columns.append(domain_scores(keyed[:, start:stop], instrument.scoring.min_answered).scores)
        start = stop
    return np.column_stack(columns)


# -- a round of 3 units against one of 12 -----------------------------------------------------

TWELVE = tuple([-1] * 12)


@pytest.fixture(scope="module")
def three_of_twelve(tmp_path_factory):
    """Round 1 covers 12 units: units 0–2 around 3.5, units 3–11 around 2; round 2 covers
    units 0–2 only, around 3.5 again. Nothing changed where both rounds looked; raw totals
    would call every domain improved."""
    url = f"sqlite:///{tmp_path_factory.mktemp('three') / 'three.db'}"
    initialize(url)
    first = at_level([0, 1, 2], 8, 3.5, 1) + at_level(list(range(3, 12)), 8, 2.0, 2)
    second = at_level([0, 1, 2], 8, 3.5, 3)
    write_rounds(url, 5, TWELVE, [
        (tuple([True] * 12), first),
        (tuple(i < 3 for i in range(12)), second),
    ])
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            round_ = session.scalars(sa.select(Round).where(Round.name == "Round 2")).one()
            report = build_report(session, round_)
    finally:
        engine.dispose()
    return report, first, second


def test_a_round_of_three_units_is_compared_on_the_three_units_it_shares(three_of_twelve):
    report, first, second = three_of_twelve
    assert report.change and all(c.verdict != WITHHELD for c in report.change)
    assert {c.units for c in report.change} == {("Unit 0", "Unit 1", "Unit 2")}
    # the numbers are those of the same test on the common units' respondents alone
    expected = compare_domains(scores_of(first, {0, 1, 2}), scores_of(second, {0, 1, 2}),
                               [d.id for d in pulse().domains]).by_domain()
    for c in report.change:
        e = expected[c.domain_id]
        assert (c.n_before, c.n_after) == (e.change.n_before, e.change.n_after) == (24, 24)
        assert c.mean_before == pytest.approx(e.change.mean_before, abs=1e-12)
        assert c.diff == pytest.approx(e.change.diff, abs=1e-12)
        assert c.p_adjusted == pytest.approx(e.p_adjusted, abs=1e-12)
        assert c.verdict == e.verdict
        assert c.mde_g == pytest.approx(e.change.mde_g) and c.mde_points == pytest.approx(
            e.change.mde_points)
    # raw totals (12 units before, 3 now) would have read a composition change as improvement
    raw = compare_domains(scores_of(first, set(range(12))), scores_of(second, {0, 1, 2}))
    assert all(d.verdict == IMPROVED for d in raw.domains)
    assert not any(c.verdict in (IMPROVED, DECLINED) for c in report.change)


def test_the_units_compared_are_named_in_every_output(three_of_twelve):
    report = three_of_twelve[0]
    for lang in ("en", "es"):
        sentence = word("change.units", lang, n=3,
                        units=listing(["Unit 0", "Unit 1", "Unit 2"], lang))
        assert escape(sentence) in report_html(report, lang)
        chart = change_chart(report, lang)
        assert word("fig.change.units", lang, n=3) in chart.figure.axes[0].get_title("left")
        assert sentence in chart.alt
        book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, lang)))
        assert {row[-1] for row in book["change"].iter_rows(min_row=2, values_only=True)} == {
            "Unit 0; Unit 1; Unit 2"}
    units = [r.value for r in aggregate_records(report) if r.statistic == "units_compared"]
    assert set(units) == {"Unit 0; Unit 1; Unit 2"}
    # the trend keeps each round's own units, and says that round 1 covered others
    assert [p.same_units for p in report.trend] == [False, True]
    for lang in ("en", "es"):
        assert escape(word("trend.other_units", lang, rounds="Round 1")) in report_html(
            report, lang)


def test_common_units_are_not_compared_when_what_is_left_out_is_a_small_group(tmp_path):
    """Round 1 covers 4 units, one of them answered by 2 people (withheld at k = 5): the
    common units' number, set beside the agency's, would give those 2 away."""
    url = f"sqlite:///{tmp_path / 'small.db'}"
    initialize(url)
    first = at_level([0, 1, 2], 8, 3.5, 1) + at_level([3], 2, 1.0, 2)
    second = at_level([0, 1, 2], 8, 3.5, 3)
    write_rounds(url, 5, (-1, -1, -1, -1), [
        ((True, True, True, True), first), ((True, True, True, False), second),
    ])
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            round_ = session.scalars(sa.select(Round).where(Round.name == "Round 2")).one()
            report = build_report(session, round_)
    finally:
        engine.dispose()
    assert report.change and all(
        c.verdict == WITHHELD and c.reason == CHANGED_UNITS and c.diff is None
        and c.n_before is None and c.mde_points is None for c in report.change)
    records = [r for r in aggregate_records(report) if r.section == "change"
               and r.statistic not in ("n_items_compared", "n_items", "units_compared")]
    assert records and all(r.value is None and r.status == WITHHELD
                           and r.reason == CHANGED_UNITS for r in records)
    for lang in ("en", "es"):
        assert escape(word("reason.changed_units", lang)) in report_html(report, lang)
        book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, lang)))
        held = reason_text(CHANGED_UNITS, lang, 5, short=True)
        assert all(row[4] == held for row in book["change"].iter_rows(min_row=2,
                                                                       values_only=True))
        codebook, = [c for c in report_csv(report, lang)[1:]]
        assert word("cb.reason.changed_units", lang, k=5).encode() in codebook


# -- the adversary ----------------------------------------------------------------------------


def test_who_has_a_score_inside_withheld_units_does_not_decide_the_comparison(tmp_path):
    """Under a shown unit Z, a withheld team of 2 (present in both rounds) and one of 4 (not
    asked in round 2), k = 3. Whether the team of 2 holds the people who skipped a domain or
    some who answered it is a split between withheld units (sizes kept): the change must not
    tell the two apart, whichever it shows."""
    instrument = pulse()
    skipped = {item.id for item in instrument.domains[0].items}

    def without_first_domain(people: list[Respondent]) -> list[Respondent]:
        return [dataclasses.replace(p, answers={i: a for i, a in p.answers.items()
                                                if i not in skipped}) for p in people]

    parent = (-1, 0, 0, -1)  # Z, its teams W1 and W2, and A
    skippers = without_first_domain(at_level([1, 1], 1, 3.0, 4))
    answering = at_level([2], 4, 3.0, 5)
    second = at_level([1], 2, 3.0, 6) + at_level([3], 8, 3.0, 7)
    outputs = []
    for split in (skippers + answering,  # W1 = the 2 who skipped, W2 = the 4 who answered
                  [dataclasses.replace(p, unit=2) for p in skippers]
                  + [dataclasses.replace(p, unit=u) for p, u in zip(answering, (1, 1, 2, 2),
                                                                    strict=True)]):
        url = f"sqlite:///{tmp_path / f'split{len(outputs)}.db'}"
        initialize(url)
        first = split + at_level([3], 8, 3.0, 8)
        write_rounds(url, 3, parent, [((True,) * 4, first), ((True, True, False, True),
                                                                second)])
        (before, names), (reports, _) = read_round_reports(url)
        statuses = {c.name: c.status for c in before[None].units}
        assert statuses["Unit 0"] == SHOWN and statuses["Unit 1"] == statuses["Unit 2"] == (
            WITHHELD)
        outputs.append(change_output(reports))
    assert outputs[0] == outputs[1]
    agency = outputs[0][0]
    assert CHANGED_UNITS in agency[0]  # the left-out team is not a union of shown cells




@dataclasses.dataclass(frozen=True)
class TwoRounds:
    k: int
    parent: tuple[int, ...]
    invited: tuple[tuple[bool, ...], tuple[bool, ...]]
    rounds: tuple[Agency, Agency]  # own counts per round (0 where not invited)


@st.composite
def two_rounds(draw) -> TwoRounds:
    k = draw(st.integers(3, 5))
    n_units = draw(st.integers(2, 8))
    parent: list[int] = []
    for i in range(n_units):
        parent.append(draw(st.sampled_from([-1, *range(i)])))
    rounds, invited = [], []
    for r in range(2):
        on = draw(st.lists(st.booleans(), min_size=n_units, max_size=n_units).filter(any))
        own = [draw(st.integers(0, 10)) if o else 0 for o in on]
        skip = tuple(draw(st.lists(st.sampled_from([0.0, 0.0, 0.1, 0.6]), min_size=12,
                                   max_size=12)))
        rounds.append(Agency(k, tuple(parent), tuple(own), skip, (0.0,) * 12, (1.0,) * 6,
                             draw(st.integers(0, 2**32 - 1)) + r))
        invited.append(tuple(on))
    return TwoRounds(k, tuple(parent), (invited[0], invited[1]), (rounds[0], rounds[1]))


def snapshot_units(parent: tuple[int, ...], invited: tuple[bool, ...]) -> set[int]:
    """The units of a round's snapshot: those invited and every unit above them."""
    out = set()
    for unit, on in enumerate(invited):
        while on and unit != -1 and unit not in out:
            out.add(unit)
            unit = parent[unit]
    return out


def written(fresh, case: TwoRounds, people: list[list[Respondent]]):
    url = fresh()
    write_rounds(url, case.k, case.parent, [(case.invited[r], people[r]) for r in range(2)])
    return read_round_reports(url)


def people_of(case: TwoRounds) -> list[list[Respondent]]:
    item_ids = [item.id for _, item in pulse().items()]
    return [respondents(case.rounds[r], item_ids) for r in range(2)]


@SETTINGS
@given(case=two_rounds())
def test_every_released_change_rests_on_k_and_leaves_out_none_or_k(fresh_database, case):
    people = people_of(case)
    (_, _), (reports, names) = written(fresh_database, case, people)
    truths = [Truth(case.rounds[r], people[r], pulse()) for r in range(2)]
    snapshots = [snapshot_units(case.parent, case.invited[r]) for r in range(2)]
    index = unit_index(names)
    k = case.k
    for key, report in reports.items():
        scope = None if key is None else index[key]
        below = truths[1].subtree(scope) & snapshots[1]
        if scope is not None and scope not in snapshots[0]:
            assert report.change == ()
            continue
        common = below & truths[0].subtree(scope) & snapshots[0]
        differs = (truths[0].subtree(scope) & snapshots[0]) != below
        for c in report.change:
            if c.verdict == WITHHELD:
                assert c.diff is None and c.n_before is None and c.mean_after is None
                continue
            assert set(c.units) == ({f"Unit {u}" for u in common} if differs else set())
            for side, n in ((0, c.n_before), (1, c.n_after)):
                truth = truths[side]
                scored = truth.scored[c.domain_id]
                in_common = np.isin(truth.unit, sorted(common)) & scored
                in_scope = truth.rows(scope) & scored
                assert n == int(in_common.sum()) >= k, (report.scope_name, c.domain_id, side)
                left_out = int(in_scope.sum()) - n
                assert left_out == 0 or left_out >= k, (
                    f"{c.domain_id} of {report.scope_name}: the common units leave out "
                    f"{left_out} in round {side + 1}, between 1 and k − 1 = {k - 1}")


def swapped(agency: Agency, people: list[Respondent], reports, names) -> list[Respondent]:
    """People moved between withheld units of the round's snapshot that share their nearest
    shown unit, each unit keeping its size (as `test_disclosure_properties.swapped`, for a
    round that covers some of the agency's units only)."""
    index = unit_index(names)
    agency_report = reports[None]
    status = {index[c.key]: c.status for c in agency_report.units if c.key != AGENCY}
    agency_shown = agency_report.scope_status == SHOWN

    def nearest_shown(unit: int) -> int | None:
        while unit != -1:
            if status[unit] == SHOWN:
                return unit
            unit = agency.parent[unit]
        return -1 if agency_shown else None

    groups: dict[int | None, list[int]] = {}
    for unit in sorted(status):
        if status[unit] != SHOWN:
            groups.setdefault(nearest_shown(unit), []).append(unit)
    rng = np.random.default_rng(agency.seed + 1)
    moved = [dataclasses.replace(p) for p in people]
    for units in groups.values():
        members = [i for i, p in enumerate(people) if p.unit in units]
        slots = [people[i].unit for i in members]
        for slot, i in zip(slots, (members[j] for j in rng.permutation(len(members))),
                           strict=True):
            moved[i].unit = slot
    return moved


def change_output(reports) -> list:
    """Everything the reports of every scope say about change, to the last bit: the results,
    the notes, and the change rows of the aggregates."""
    return [(repr(r.change), r.notes,
             [dataclasses.astuple(x) for x in aggregate_records(r) if x.section == "change"])
            for _, r in sorted(reports.items(), key=lambda kv: (kv[0] is not None, kv[1]
                                                                  .scope_name))]


@SETTINGS
@given(case=two_rounds())
def test_splitting_withheld_units_differently_in_either_round_changes_no_change(
        fresh_database, case):
    people = people_of(case)
    rounds = written(fresh_database, case, people)
    moved = [swapped(case.rounds[r], people[r], *rounds[r]) for r in range(2)]
    if [[p.unit for p in side] for side in moved] == [[p.unit for p in side] for side in people]:
        return  # no two withheld units to split differently
    again = written(fresh_database, case, moved)
    assert change_output(again[1][0]) == change_output(rounds[1][0])


# -- a report frozen before the four verdicts -------------------------------------------------


def legacy_text(report) -> str:
    """`report` as it was frozen before the four verdicts: the change entries without the
    fields added since, every verdict that is neither improved nor declined "no clear
    change"."""
    data = json.loads(encode_report(report))
    for entry in data["change"]:
        for name in NEW_FIELDS:
            entry.pop(name)
        if entry["verdict"] in (STABLE, TOO_FEW):
            entry["verdict"] = NO_CLEAR_CHANGE
    for point in data["trend"]:
        point.pop("same_units")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_a_report_frozen_before_the_four_verdicts_still_renders(three_of_twelve):
    report = decode_report(legacy_text(three_of_twelve[0]))
    assert {c.verdict for c in report.change} == {NO_CLEAR_CHANGE}
    assert all(c.mde_g is None and c.units == () and c.hedges_g_ci is None
               for c in report.change)
    assert all(p.same_units for p in report.trend)  # said of nothing, so nothing is claimed
    for lang in ("en", "es"):
        html = report_html(report, lang)
        assert escape(word("verdict.no clear change", lang)) in html
        assert escape(word("change.legacy", lang)) in html
        assert escape(word("sum.change_legacy", lang, n=len(report.change))) in html
        chart = change_chart(report, lang)
        assert word("fig.change.legend_legacy", lang) in chart.figure.axes[0].get_xlabel()
        assert word("verdict.no clear change", lang) in chart.alt
        assert report_pdf(report, lang).startswith(b"%PDF")
        report_csv(report, lang)
        book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, lang)))
        assert {row[18] for row in book["change"].iter_rows(min_row=2, values_only=True)} == {
            word("verdict.no clear change", lang)}
        report_document(report, lang, item_charts=False)
    verdicts = {r.value for r in aggregate_records(report) if r.statistic == "verdict"}
    assert verdicts == {NO_CLEAR_CHANGE}


def test_every_output_states_the_verdicts_and_that_rounds_are_independent(three_of_twelve):
    report = three_of_twelve[0]
    assert {c.verdict for c in report.change} <= {STABLE, TOO_FEW}
    for lang in ("en", "es"):
        html = report_html(report, lang)
        assert escape(word("change.independent", lang)) in html
        assert escape(word("change.verdicts", lang)) in html
        for c in report.change:
            reading = word(f"change.why.{c.verdict}", lang,
                           points=_two(c.mid_points, lang), n_before=c.n_before,
                           n_after=c.n_after, mde=_two(c.mde_points, lang))
            assert escape(reading) in html
            assert reading in change_chart(report, lang).alt
        book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, lang)))
        about = {row[0]: row[1] for row in book["codebook"].iter_rows(values_only=True)}
        assert about["change"] == word("xl.about.change", lang)
        csv_codebook = report_csv(report, lang)[1].decode("utf-8-sig")
        assert word("cb.verdict", lang) in csv_codebook


def _two(value: float, lang: str) -> str:
    from reports.words import number

    return number(value, lang, 2)


def test_the_adversary_finds_the_shown_state(three_of_twelve):
    """The fixture's agency is shown in both rounds (so the composition test is not vacuous)."""
    report = three_of_twelve[0]
    assert report.scope_status == SHOWN and len(report.change) == len(pulse().domains)
