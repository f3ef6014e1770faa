"""The admin-only anonymized response export, attacked the way a reader of the file would:
count the rows that share what one knows about a person (their unit, role, language, mode,
day, time band, quality flags) and look for a group of fewer than k; look for the only manager
of a unit, the only Spanish answer, the only paper form; compare the files of two databases
that differ only in how people are split between withheld units.

Property tests build random unit trees and respondents (hypothesis) in a real database, SQLite
and PostgreSQL (`session_factory` of tests/conftest.py), through the services that create,
open and close a round; the responses of the closed round are written with
`storage.survey_service.store_response`, which sets the day each one was submitted. The demo
agency (SQLite) checks the labels against the reports and the codebook's words.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from instruments.loader import instrument_from_data
from reports.builder import build_report
from reports.response_export import anonymized_responses, responses_csv
from scoring.disclosure import SHOWN, WITHHELD, disclose
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import Response, ResponseMode, Round, Unit
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, close_round, create_round, open_round
from storage.survey_service import RESPONDENT_ROLES, store_response

# What a reader may know of a person, beside the unit; and the values a generalized cell holds.
GENERALIZED = {"not shown", "round"}
ITEMS = ("SAF-01", "SAF-02")
ORGANIZATION = "Test Agency"
OPENS_ON = date(2026, 3, 2)


def quasi_identifiers(export) -> list[str]:
    """Every column that describes a response rather than answering an item."""
    items = {item.item_id for item in export.items}
    return [c for c in export.columns if c not in items]


def combinations(export) -> Counter:
    columns = quasi_identifiers(export)
    at = [export.columns.index(c) for c in columns]
    return Counter(tuple(row[j] for j in at) for row in export.rows)


def candidates(export, known: dict[str, str]) -> int:
    """How many rows could be the person a reader knows `known` of: a row is ruled out only by
    a column that shows a value other than theirs."""
    at = {export.columns.index(c): v for c, v in known.items() if c in export.columns}
    return sum(
        all(row[j] == value or row[j] in GENERALIZED for j, value in at.items())
        for row in export.rows
    )


# --------------------------------------------------------------------------- building rounds


INSTRUMENT = instrument_from_data(
    {
        "id": "ti-export-test",
        "version": "1.0.0",
        "status": "published",
        "form": "staff",
        "title": {"en": "Export test", "es": "Prueba de exportación"},
        "description": {"en": "For tests.", "es": "Para pruebas."},
        "minutes": 2,
        "languages": ["en", "es"],
        "scales": {
            "agree5": {
                "points": [1, 2, 3, 4, 5],
                "labels": {
                    "en": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
                    "es": ["Muy en desacuerdo", "En desacuerdo", "Ni uno ni otro", "De acuerdo",
                           "Muy de acuerdo"],
                },
                "favorable": [4, 5],
            }
        },
        "not_applicable": {"en": "Not applicable", "es": "No aplica"},
        "domains": [
            {
                "id": "SAF",
                "title": {"en": "Safety", "es": "Seguridad"},
                "why": {"en": "Safety first.", "es": "La seguridad primero."},
                "items": [
                    {"id": "SAF-01", "text": {"en": "I can raise a concern.",
                                              "es": "Puedo expresar una duda."},
                     "scale": "agree5"},
                    {"id": "SAF-02", "text": {"en": "I feel safe.", "es": "Me siento seguro."},
                     "scale": "agree5", "reverse": True},
                ],
            }
        ],
    },
    source="export test instrument",
)


@dataclass(frozen=True)
class Person:
    unit: int  # index into the tree's units
    role: str | None
    language: str
    mode: str
    day: int  # days after the round opened
    seconds: float | None  # None: paper
    answers: tuple[int | str | None, ...]


@dataclass(frozen=True)
class Agency:
    parent: tuple[int, ...]  # per unit: the index of its parent unit, −1 under the agency
    people: tuple[Person, ...]
    k: int


def build(session, agency: Agency) -> Round:
    """An organization with the agency's units, and a closed round holding its people's
    responses, stored through the services (create, open, close) and `store_response`."""
    sync_library(session, [INSTRUMENT])
    version = get_instrument_version(session, INSTRUMENT.id, INSTRUMENT.version)
    organization = create_organization(session, ORGANIZATION,
                                       slug=f"agency-{secrets.token_hex(4)}")
    units: list[Unit] = []
    for i, up in enumerate(agency.parent):
        units.append(add_unit(session, organization, f"Unit {i}", code=f"u{i}",
                              parent=units[up] if up >= 0 else None))
    sizes = Counter(person.unit for person in agency.people)
    round_ = create_round(
        session, organization, name="Spring pulse", instrument_version=version,
        invitations=[UnitInvitation(u, max(sizes[i], 1)) for i, u in enumerate(units)],
        opens_on=OPENS_ON, closes_on=OPENS_ON + timedelta(days=20),
        min_group_size=agency.k, min_comment_group_size=max(agency.k, 10),
    )
    open_round(session, round_)
    close_round(session, round_)
    round_unit = {ru.unit_id: ru.id for ru in round_.units}
    for person in agency.people:
        answers = {item: v for item, v in zip(ITEMS, person.answers, strict=True)
                   if v is not None}
        store_response(
            session, round_, round_unit[units[person.unit].id], INSTRUMENT, answers, {},
            role=person.role, language=person.language, mode=ResponseMode(person.mode),
            seconds=person.seconds, today=OPENS_ON + timedelta(days=person.day),
        )
    session.flush()
    return round_


def export_of(factory, agency: Agency):
    with transaction(factory, write=True) as session:
        round_ = build(session, agency)
        export = anonymized_responses(session, round_)
        _, codebook = responses_csv(export, "en")
    return export, codebook


def unit_status(agency: Agency) -> tuple[np.ndarray, np.ndarray]:
    """The round's tree (the agency at index 0) and the reports' unit-level decision, from the
    counts alone: responses, with the web ones as a part of their own (whoever typed the paper
    forms knows those)."""
    n = len(agency.parent)
    parent = np.array([-1] + [up + 1 if up >= 0 else 0 for up in agency.parent])
    own = np.zeros(n + 1, dtype=np.int64)
    web = np.zeros(n + 1, dtype=np.int64)
    for person in agency.people:
        own[person.unit + 1] += 1
        web[person.unit + 1] += person.mode == "web"
    return parent, disclose(parent, own, agency.k, parts=[web]).status


def shown_label(agency: Agency) -> dict[int, str | None]:
    """The label a reader of the reports expects each unit's rows to carry: the nearest unit
    (itself or above) that the reports show, the agency at the root; None when nothing is
    shown. Computed here from the counts alone, with scoring.disclosure."""
    n = len(agency.parent)
    parent, status = unit_status(agency)
    names = [ORGANIZATION] + [f"Unit {i}" for i in range(n)]

    def label(cell: int) -> str | None:
        while cell >= 0 and status[cell] != SHOWN:
            cell = int(parent[cell])
        return names[cell] if cell >= 0 else None

    return {i: label(i + 1) for i in range(n)}


def known_of(person: Person, label: str) -> dict[str, str]:
    """Everything the file could describe of a person, as a colleague may know it."""
    return {
        "unit": label,
        "role": person.role or "prefer not to say",
        "language": person.language,
        "mode": person.mode,
        "submitted_on": (OPENS_ON + timedelta(days=person.day)).isoformat(),
    }


FIELDS = ("role", "language", "mode", "day", "seconds", "answers")  # of a Person, after unit
answers = st.tuples(*[st.one_of(st.none(), st.just("NA"), st.integers(1, 5))] * 2)


@st.composite
def people_in(draw, n_units: int, min_size: int = 0, max_size: int = 40):
    out = []
    for _ in range(draw(st.integers(min_size, max_size))):
        mode = draw(st.sampled_from(["web", "web", "web", "paper"]))
        out.append(Person(
            unit=draw(st.integers(0, n_units - 1)),
            role=draw(st.sampled_from([*RESPONDENT_ROLES, None])),
            language=draw(st.sampled_from(["en", "en", "es"])),
            mode=mode,
            day=draw(st.integers(0, 4)),
            seconds=None if mode == "paper" else draw(st.sampled_from([3.0, 8.0, 15.0, 40.0])),
            answers=draw(answers),
        ))
    return out


@st.composite
def agencies(draw, max_people: int = 40) -> Agency:
    n_units = draw(st.integers(1, 6))
    parent = tuple(draw(st.integers(-1, i - 1)) for i in range(n_units))
    return Agency(parent, tuple(draw(people_in(n_units, 0, max_people))),
                  draw(st.integers(3, 5)))


PROPERTY = settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --------------------------------------------------------------------------- attacks


@PROPERTY
@given(agency=agencies())
def test_every_combination_of_describing_columns_is_shared_by_k_rows(session_factory, agency):
    export, codebook = export_of(session_factory, agency)
    k = agency.k
    counts = combinations(export)
    assert all(n >= k for n in counts.values()), counts
    # each label is a unit the reports show (or the agency), with the rows a reader expects
    label = shown_label(agency)
    expected = Counter(label[p.unit] for p in agency.people if label[p.unit] is not None)
    assert Counter(row[0] for row in export.rows) == expected
    # rows are left out only when the reports show no unit of theirs, not even the agency (the
    # whole round below k, or its web answers between 1 and k − 1), and the file says how many
    n = len(agency.people)
    assert export.n_left_out == sum(label[p.unit] is None for p in agency.people)
    assert len(export.rows) == n - export.n_left_out
    assert f"{export.n_left_out} response(s) left out" in codebook.decode("utf-8-sig")
    # the answers are as given
    if export.n_left_out == 0:
        at = [export.columns.index(item) for item in ITEMS]
        given_answers = Counter(
            tuple("" if v is None else str(v) for v in p.answers) for p in agency.people)
        assert Counter(tuple(row[j] for j in at) for row in export.rows) == given_answers


@st.composite
def one_rare_person(draw):
    """An agency with, in one unit, a single person with a rare role, language or mode; the
    same value is common elsewhere (at least k people in another unit), so it is not rare in
    the round as a whole: only the combination with the unit singles the person out."""
    n_units = draw(st.integers(2, 6))
    parent = tuple(draw(st.integers(-1, i - 1)) for i in range(n_units))
    k = draw(st.integers(3, 5))
    column, rare, common = draw(st.sampled_from([
        ("role", "manager", "frontline"),
        ("language", "es", "en"),
        ("mode", "paper", "web"),
    ]))
    target = draw(st.integers(0, n_units - 1))
    elsewhere = (target + draw(st.integers(1, n_units - 1))) % n_units

    def person(unit: int, value: str) -> Person:
        fields = {"role": "frontline", "language": "en", "mode": "web", column: value}
        return Person(unit=unit, role=fields["role"], language=fields["language"],
                      mode=fields["mode"], day=draw(st.integers(0, 2)),
                      seconds=None if fields["mode"] == "paper" else 15.0,
                      answers=draw(answers))

    colleagues = [person(target, common) for _ in range(draw(st.integers(k, 2 * k)))]
    others = [person(elsewhere, rare) for _ in range(draw(st.integers(k, 2 * k)))]
    background = [
        p for p in draw(people_in(n_units, 0, 15))
        if p.unit != target and getattr(p, column) != rare
    ]
    the_one = person(target, rare)
    agency = Agency(parent, (*colleagues, the_one, *others, *background), k)
    return agency, the_one, column, rare


@PROPERTY
@given(case=one_rare_person())
def test_the_only_manager_spanish_answer_or_paper_form_of_a_unit_cannot_be_singled_out(
    session_factory, case
):
    agency, the_one, column, rare = case
    export, _ = export_of(session_factory, agency)
    label = shown_label(agency)[the_one.unit]
    assert label is not None
    # the reader filters the unit's rows on the rare value: never exactly one (or < k) rows
    at = export.columns.index(column)
    with_value = sum(row[0] == label and row[at] == rare for row in export.rows)
    assert with_value == 0 or with_value >= agency.k, (column, rare, with_value)
    # and everything a colleague knows of the person still leaves at least k rows
    assert candidates(export, known_of(the_one, label)) >= agency.k
    # the same holds for every person of the round
    for person in agency.people:
        assert candidates(export, known_of(person, shown_label(agency)[person.unit])) >= agency.k


@st.composite
def resplit(draw):
    """An agency, and the same agency with its people moved between withheld units that share
    their nearest shown unit, each unit keeping its size."""
    base = draw(agencies(max_people=25))
    k = base.k
    # a unit of at least k with two or three small units under it (each below k, so both
    # withheld, and both carry the label of the same nearest shown unit), anywhere in the tree
    n = len(base.parent)
    top = draw(st.integers(-1, n - 1))
    n_small = draw(st.integers(2, 3))
    parent = (*base.parent, top, *([n] * n_small))
    extra = draw(people_in(n + 1 + n_small, k, k))
    added = [Person(n, *(getattr(p, f) for f in FIELDS)) for p in extra]
    for i in range(n_small):
        for p in draw(people_in(1, 1, k - 1)):
            added.append(Person(n + 1 + i, *(getattr(p, f) for f in FIELDS)))
    agency = Agency(parent, (*base.people, *added), k)
    label = shown_label(agency)
    own = Counter(p.unit for p in agency.people)
    _, status = unit_status(agency)
    pools: dict[str, list[int]] = {}
    for unit in range(len(agency.parent)):
        if status[unit + 1] == WITHHELD and label[unit] is not None:
            pools.setdefault(label[unit], []).append(unit)
    pools = {key: units for key, units in pools.items() if len(units) >= 2}
    assume(pools)
    people = list(agency.people)
    for units in pools.values():
        # each unit keeps its number of responses and of web responses (the web answers are
        # a part of their own in the decision): people trade places with people of their mode
        for mode in ("web", "paper"):
            members = [i for i, p in enumerate(people) if p.unit in units and p.mode == mode]
            slots = [people[i].unit for i in members]
            moved = draw(st.permutations(slots))
            for i, unit in zip(members, moved, strict=True):
                people[i] = Person(unit, *(getattr(people[i], f) for f in FIELDS))
    other = Agency(agency.parent, tuple(people), agency.k)
    assert Counter(p.unit for p in other.people) == own  # sizes kept
    assert Counter((p.unit, p.mode) for p in other.people) == Counter(
        (p.unit, p.mode) for p in agency.people)
    return agency, other


@PROPERTY
@given(pair=resplit())
def test_splitting_people_differently_between_withheld_units_gives_the_same_file(
    session_factory, pair
):
    first, second = pair
    export_1, codebook_1 = export_of(session_factory, first)
    export_2, codebook_2 = export_of(session_factory, second)
    assert export_1.columns == export_2.columns
    assert Counter(export_1.rows) == Counter(export_2.rows)
    assert codebook_1 == codebook_2


def test_rows_carry_no_id_and_their_order_is_not_the_storage_order(session_factory):
    people = tuple(
        Person(unit=0, role="frontline", language="en", mode="web", day=0, seconds=15.0,
               answers=(1 + i % 5, 5 - i % 5))
        for i in range(30)
    )
    agency = Agency((-1,), people, 5)
    with transaction(session_factory, write=True) as session:
        round_ = build(session, agency)
        stored = session.scalar(
            sa.select(sa.func.count()).select_from(Response).where(Response.round_id == round_.id)
        )
        first = anonymized_responses(session, round_)
        second = anonymized_responses(session, round_)
    assert stored == 30
    assert not any("id" == c or c.endswith("_id") for c in first.columns)
    assert Counter(first.rows) == Counter(second.rows)
    assert first.rows != second.rows  # 30! orders: equal only by an astronomically rare draw


# --------------------------------------------------------------------------- the demo agency


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'demo.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def own_counts(session, round_) -> dict[str, int]:
    rows = session.execute(
        sa.select(Response.round_unit_id, sa.func.count())
        .where(Response.round_id == round_.id)
        .group_by(Response.round_unit_id)
    ).all()
    names = {u.id: u.name for u in round_.units}
    return {names[unit]: n for unit, n in rows}


@pytest.mark.parametrize("round_id", [1, 2, 3])
def test_demo_labels_are_the_units_the_reports_show_and_combinations_have_k(demo, round_id):
    with transaction(demo) as session:
        round_ = session.get(Round, round_id)
        report = build_report(session, round_)
        export = anonymized_responses(session, round_)
        own = own_counts(session, round_)
    k = report.min_group_size
    status = {c.name: c.status for c in report.units}
    labels = Counter(row[0] for row in export.rows)
    assert len(export.rows) == sum(own.values()) == report.n_responses
    assert export.n_left_out == 0
    assert all(status[label] == SHOWN and n >= k for label, n in labels.items()), labels
    folded = dict(export.folded)
    for unit in own:
        if status[unit] == SHOWN:
            assert unit not in folded  # a shown unit keeps its own rows under its own label
        else:
            assert folded[unit] in labels and status[folded[unit]] == SHOWN
    assert dict(export.unit_counts) == dict(labels)
    assert all(n >= k for n in combinations(export).values())


def test_demo_round_three_folds_the_small_south_units_into_south_region(demo):
    with transaction(demo) as session:
        round_ = session.get(Round, 3)
        report = build_report(session, round_)
        export = anonymized_responses(session, round_)
        own = own_counts(session, round_)
    withheld = [c.name for c in report.units if c.status == WITHHELD]
    assert sorted(withheld) == ["South Family Support", "South Intake & Assessment"]
    labels = Counter(row[0] for row in export.rows)
    assert not set(withheld) & set(labels)
    assert labels["South Region"] == sum(own.get(u, 0) for u in [*withheld, "South Region"])


def test_demo_answers_as_answered(demo):
    with transaction(demo) as session:
        round_ = session.get(Round, 3)
        export = anonymized_responses(session, round_)
        instrument = round_.instrument_version.instrument()
    n = len(quasi_identifiers(export))
    assert export.columns[n:] == tuple(instrument.item_ids())
    cells = {cell for row in export.rows for cell in row[n:]}
    assert cells <= {"", "NA", "1", "2", "3", "4", "5"}
    assert {"", "NA"} <= cells


def test_csv_and_codebook_say_what_was_generalized_and_why(demo):
    with transaction(demo) as session:
        export = anonymized_responses(session, session.get(Round, 3))
    data, codebook = responses_csv(export, "es")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == export.columns
    assert len(rows) == len(export.rows) + 1
    book = list(csv.reader(io.StringIO(codebook.decode("utf-8-sig"))))
    assert set(export.columns) <= {row[0] for row in book}
    text = codebook.decode("utf-8-sig")
    assert "South Family Support" in text and "«South Region»" in text
    assert "Totalmente de acuerdo" in text  # scale labels in the codebook's language
    assert "redacción inversa" in text
    assert "k-anonimato" in text and "al menos 5 filas" in text
    generalized = [row[1] for row in book if row[0] == "generalizado"]
    for column, n in export.generalized.items():
        if n:
            assert any(g.startswith(f"{column}: {n} fila(s)") for g in generalized), column
    assert "0 respuesta(s) excluidas" in text


def test_a_round_too_small_to_show_is_left_out_and_says_so(session_factory):
    people = tuple(
        Person(unit=0, role=None, language="en", mode="paper", day=0, seconds=None,
               answers=(v, None))
        for v in (4, 2, "NA")
    )
    export, codebook = export_of(session_factory, Agency((-1,), people, 5))
    assert export.rows == ()
    assert export.n_left_out == 3
    assert "3 response(s) left out" in codebook.decode("utf-8-sig")
