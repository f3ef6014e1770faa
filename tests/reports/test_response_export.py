"""The admin-only anonymized response export: units the reports withhold are folded into the
nearest shown unit, no label, role, language or mode covers fewer than k rows, the order is
random, and nothing identifying (dates, durations, ids) is in the file. Against the demo
agency in a temporary SQLite file, plus a round too small to show at all."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from reports.builder import build_report
from reports.response_export import (
    NOT_SHOWN,
    anonymized_responses,
    fold_rare_values,
    responses_csv,
)
from scoring.disclosure import SHOWN, WITHHELD
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Response, Round, Unit
from storage.paper_import import import_paper_responses
from storage.round_service import UnitInvitation, create_round, open_round


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
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
def test_withheld_units_are_folded_into_the_nearest_shown_unit(factory, round_id):
    with transaction(factory) as session:
        round_ = session.get(Round, round_id)
        report = build_report(session, round_)
        export = anonymized_responses(session, round_)
        own = own_counts(session, round_)
    k = report.min_group_size
    status = {c.name: c.status for c in report.units}
    labels = Counter(row[0] for row in export.rows)
    assert len(export.rows) == sum(own.values()) == report.n_responses
    assert export.n_left_out == 0
    assert all(n >= k for n in labels.values()), labels
    assert all(status[label] == SHOWN for label in labels), "no withheld unit as a label"
    folded = dict(export.folded)
    for unit in own:
        if status[unit] == SHOWN:
            # a shown unit keeps its own rows under its own label: never pooled with a
            # withheld unit's rows, which the shown numbers would then give away
            assert unit not in folded
        else:
            assert folded[unit] in labels and status[folded[unit]] == SHOWN
    assert dict(export.unit_counts) == dict(labels)


def test_round_three_folds_the_small_south_units_into_south_region(factory):
    with transaction(factory) as session:
        round_ = session.get(Round, 3)
        report = build_report(session, round_)
        export = anonymized_responses(session, round_)
        own = own_counts(session, round_)
    withheld = [c.name for c in report.units if c.status == WITHHELD]
    assert sorted(withheld) == ["South Family Support", "South Intake & Assessment"]
    labels = Counter(row[0] for row in export.rows)
    assert not set(withheld) & set(labels)
    assert labels["South Region"] == sum(own.get(u, 0) for u in [*withheld, "South Region"])
    assert min(own[u] for u in withheld) < report.min_group_size


def test_rare_roles_languages_and_modes_are_not_shown(factory):
    with transaction(factory) as session:
        round_ = session.get(Round, 3)
        export = anonymized_responses(session, round_)
    k = export.min_group_size
    for column in ("role", "language", "mode"):
        j = export.columns.index(column)
        counts = Counter(row[j] for row in export.rows)
        assert all(n >= k for n in counts.values()), (column, counts)
    roles = Counter(row[1] for row in export.rows)
    assert roles[NOT_SHOWN] >= k
    assert export.hidden_values["role"]  # the demo has rare roles
    assert not set(export.hidden_values["role"]) & set(roles)


def test_no_date_duration_or_id_and_answers_as_answered(factory):
    with transaction(factory) as session:
        round_ = session.get(Round, 3)
        export = anonymized_responses(session, round_)
        instrument = round_.instrument_version.instrument()
    assert export.columns[:4] == ("unit", "role", "language", "mode")
    assert export.columns[4:] == tuple(instrument.item_ids())
    banned = ("date", "time", "second", "duration", "id", "flag", "code")
    assert not any(word in c.lower() for c in export.columns[:4] for word in banned)
    cells = {cell for row in export.rows for cell in row[4:]}
    assert cells <= {"", "NA", "1", "2", "3", "4", "5"}
    assert {"", "NA"} <= cells


def test_the_order_is_random(factory):
    with transaction(factory) as session:
        round_ = session.get(Round, 3)
        first = anonymized_responses(session, round_)
        second = anonymized_responses(session, round_)
    assert sorted(first.rows) == sorted(second.rows)
    assert first.rows != second.rows  # 76! orders: equal only by an astronomically rare draw


def test_csv_and_codebook(factory):
    with transaction(factory) as session:
        export = anonymized_responses(session, session.get(Round, 3))
    data, codebook = responses_csv(export, "es")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == export.columns
    assert len(rows) == len(export.rows) + 1
    book = list(csv.reader(io.StringIO(codebook.decode("utf-8-sig"))))
    names = [row[0] for row in book]
    assert {"unit", "role", "language", "mode", *export.columns[4:]} <= set(names)
    text = codebook.decode("utf-8-sig")
    assert "South Family Support" in text and "«South Region»" in text
    assert "Totalmente de acuerdo" in text  # scale labels in the codebook's language
    assert "redacción inversa" in text
    assert "0 respuesta(s) excluidas" in text


def test_a_round_too_small_to_show_is_left_out_and_says_so(factory):
    with transaction(factory, write=True) as session:
        demo = session.get(Round, 3)
        organization = demo.organization
        unit = session.scalar(sa.select(Unit).where(Unit.organization_id == organization.id,
                                                    Unit.code == "north-foster"))
        small = create_round(
            session, organization, name="A tiny pulse", opens_on=date(2027, 1, 4),
            instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
            invitations=[UnitInvitation(unit, 4)],
        )
        open_round(session, small)
        item = small.instrument_version.instrument().item_ids()[0]
        import_paper_responses(session, small, f"unit,{item}\nnorth-foster,4\nnorth-foster,2\n"
                               "north-foster,NA\n")
        export = anonymized_responses(session, small)
        _, codebook = responses_csv(export, "en")
    assert export.rows == ()
    assert export.n_left_out == 3
    assert "3 response(s) left out" in codebook.decode("utf-8-sig")


def test_fold_rare_values_reaches_k_in_the_not_shown_group():
    values = ["a"] * 8 + ["b"] * 6 + ["c"] * 2
    folded, hidden = fold_rare_values(values, 5)
    assert hidden == ("b", "c")  # "c" alone (2) is too few: the next smallest joins it
    assert Counter(folded) == {"a": 8, NOT_SHOWN: 8}
    same, none = fold_rare_values(["a"] * 5 + ["b"] * 5, 5)
    assert none == () and same == ["a"] * 5 + ["b"] * 5
