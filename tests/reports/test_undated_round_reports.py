"""Reports of rounds whose dates were left empty, attacked on SQLite and PostgreSQL.

Rounds stored before dates were required may have no opening or closing date (the columns stay
nullable for them). Such a round must close, freeze and report like any other, in every format
and on every page, and so must every round before and after it on the same instrument: rounds
are placed in time by `storage.round_service.chronological_key`, which never compares a missing
date, and a missing date is shown as a dash.

The world is the demo agency (three published, dated rounds of ti-staff) in the test's own
database, whose first two rounds are made to look closed before reports were kept (their
frozen reports removed, so they are computed on first read); then "Undated" (no dates, as
older versions stored it) is opened, answered on paper, closed and published, and then
"Spring 2027" (dated) after it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from streamlit import config
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cli import app
from reports.frozen import frozen_report
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.round_close import close_round_now
from reports.table_export import report_csv, report_xlsx
from reports.words import WORDS
from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, make_engine, session_factory, transaction
from storage.instrument_repo import list_instrument_versions
from storage.models import Base, Round, RoundReport, RoundStatus
from storage.organization_repo import list_units, resolve_organization
from storage.paper_import import csv_text, import_paper_responses, template_header
from storage.round_service import (
    UnitInvitation,
    chronological_key,
    create_round,
    list_rounds,
    open_round,
    publish_round,
)
from storage.user_repo import get_user
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCRIPTS = [spec.script for spec in PAGES if spec.section == "report.section"]
PAPER = {"north-intake": 7, "north-ongoing": 6}
INVITED = {"north-intake": 12, "north-ongoing": 10}

runner = CliRunner()


@dataclass(frozen=True)
class World:
    url: str
    factory: object  # sessionmaker
    undated_id: int
    dated_id: int
    round_ids: tuple[int, ...]  # every round, oldest first


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


def answered_round(factory, name: str, *, opens_on: date | None, closes_on: date | None,
                   rng: np.random.Generator) -> int:
    """A round of the newest ti-staff opened, answered on paper, closed and published; with
    `opens_on`/`closes_on` None its dates are cleared the way older versions stored them."""
    with transaction(factory, write=True) as session:
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        version = list_instrument_versions(session, "ti-staff", status="published")[-1]
        round_ = create_round(
            session, organization, name=name, instrument_version=version,
            invitations=[UnitInvitation(units[code], n) for code, n in INVITED.items()],
        )
        round_.opens_on, round_.closes_on = opens_on, closes_on
        open_round(session, round_)
        instrument = round_.instrument_version.instrument()
        rows = [template_header(round_)]
        for code, n in PAPER.items():
            for _ in range(n):
                points = [int(rng.integers(2, 6)) for _ in instrument.item_ids()]
                rows.append([code, "", "en", *points])
        import_paper_responses(session, round_, csv_text(rows), source="forms.csv")
        round_id = round_.id
        organization_ref = organization
    close_round_now(factory, organization_ref, round_id)
    with transaction(factory, write=True) as session:
        publish_round(session, session.get(Round, round_id))
    return round_id


@pytest.fixture(scope="module", params=[
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
])
def built_world(request, tmp_path_factory) -> World:
    """Built once per database kind (the tests only read it); see the module docstring."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('dates') / 'tisa.db'}"
    else:
        database = request.getfixturevalue("postgres_database")
        schema = f"t_{secrets.token_hex(6)}"
        setup = sa.create_engine(database, poolclass=sa.pool.NullPool)
        with setup.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        setup.dispose()
        url = database.update_query_dict({"options": f"-csearch_path={schema}"}
                                         ).render_as_string(hide_password=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATABASE_URL_VARIABLE, url)
        initialize(url, demo=True)
        engine = make_engine(url)
        factory = session_factory(engine)
        with transaction(factory, write=True) as session:
            demo = list_rounds(session, resolve_organization(session))
            session.execute(sa.delete(RoundReport).where(
                RoundReport.round_id.in_([demo[0].id, demo[1].id])))
        rng = np.random.default_rng(10)
        undated = answered_round(factory, "Undated", opens_on=None, closes_on=None, rng=rng)
        dated = answered_round(factory, "Spring 2027", opens_on=date(2027, 4, 1),
                               closes_on=date(2027, 4, 30), rng=rng)
        with transaction(factory) as session:
            ids = tuple(r.id for r in list_rounds(session, resolve_organization(session)))
        yield World(url, factory, undated, dated, ids)
        engine.dispose()


@pytest.fixture
def world(built_world, monkeypatch) -> World:
    """The world, with the CLI and the app reading its database. (Not autouse: the test of
    empty columns builds a database of its own and must not run once per world.)"""
    monkeypatch.setenv(DATABASE_URL_VARIABLE, built_world.url)
    return built_world


def test_an_undated_round_closes_freezes_and_is_published(world):
    with transaction(world.factory) as session:
        round_ = session.get(Round, world.undated_id)
        assert round_.status == RoundStatus.PUBLISHED.value
        assert (round_.opens_on, round_.closes_on) == (None, None)
        stored = session.scalar(sa.select(sa.func.count()).select_from(RoundReport).where(
            RoundReport.round_id == world.undated_id))
        assert stored == 1 + len(round_.units)


def test_every_report_of_every_round_builds_in_every_format(world):
    with transaction(world.factory) as session:
        for round_id in world.round_ids:
            round_ = session.get(Round, round_id)
            units = {unit.code: unit.id for unit in round_.units}
            for scope in (None, units.get("north-intake")):
                report = frozen_report(session, round_, scope)
                assert report_csv(report, "en")
                assert report_xlsx(report, "en")
                assert report_html(report, "en")
        undated = frozen_report(session, session.get(Round, world.undated_id))
    for lang in ("en", "es"):
        assert report_pdf(undated, lang).startswith(b"%PDF")
        assert report_xlsx(undated, lang) and report_csv(undated, lang)


def test_the_undated_round_shows_a_dash_for_its_dates(world):
    with transaction(world.factory) as session:
        report = frozen_report(session, session.get(Round, world.undated_id))
    assert (report.opens_on, report.closes_on) == (None, None)
    html = report_html(report, "en")
    assert f"{WORDS['dash']['en']} – {WORDS['dash']['en']}" in html
    assert "None" not in report_csv(report, "en")


def test_rounds_are_placed_in_time_with_or_without_dates(world):
    """The undated round opened after the demo's rounds and before Spring 2027: the trend of
    Spring 2027 lists it in that place, and its own trend ends with it."""
    with transaction(world.factory) as session:
        rounds = [session.get(Round, i) for i in world.round_ids]
        keys = [chronological_key(r) for r in rounds]
        assert keys == sorted(keys)
        spring = frozen_report(session, session.get(Round, world.dated_id))
        undated = frozen_report(session, session.get(Round, world.undated_id))
    assert [p.round_id for p in spring.trend] == list(world.round_ids)
    assert [p.round_id for p in undated.trend] == list(world.round_ids[:-1])
    assert spring.previous_round_name == "Undated"


def test_tisa_report_works_for_every_round(world, tmp_path):
    for round_id in world.round_ids:
        formats = ("pdf", "html", "xlsx", "csv") if round_id in (
            world.undated_id, world.round_ids[0]) else ("csv",)
        for output in formats:
            out = tmp_path / f"r{round_id}.{output}"
            result = runner.invoke(app, ["report", str(round_id), "--format", output,
                                         "--out", str(out)])
            assert result.exit_code == 0, (round_id, output, result.output)
            assert out.stat().st_size > 0
    out = tmp_path / "unit.html"
    result = runner.invoke(app, ["report", str(world.undated_id), "--unit", "north-intake",
                                 "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_tisa_round_list_shows_a_dash_for_missing_dates(world):
    result = runner.invoke(app, ["round", "list"])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.endswith("Undated")]
    assert line.split()[3:5] == ["-", "-"]


def open_page(world: World, script: str, username: str | None = "director",
              **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    for name, value in query.items():
        at.query_params[name] = value
    if username is not None:
        with transaction(world.factory, write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, username))
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"ui/{script}").run()
    assert not at.exception, (script, query, at.exception)
    return at


@pytest.mark.parametrize("script", REPORT_SCRIPTS)
def test_every_report_page_shows_every_round(world, script):
    for round_id in (world.undated_id, world.dated_id, world.round_ids[0]):
        open_page(world, script, round=str(round_id))
    open_page(world, script, round=str(world.undated_id), unit="north-intake")


def test_the_managers_overview_and_the_staff_summary(world):
    open_page(world, "report_overview_page.py", "north.manager")
    open_page(world, "results_page.py", None)
    open_page(world, "results_page.py", None, round=str(world.undated_id))
    open_page(world, "rounds_page.py")


# -- every nullable column a report reads, left empty ---------------------------------------------

READ_BY_REPORTS = ("rounds", "round_units", "responses", "comments", "action_items")


def nullable_columns() -> list[tuple[str, str]]:
    """(table, column) of every column that may hold NULL in the tables reports read, straight
    from the models, so that a column added later is walked too."""
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables if table.name in READ_BY_REPORTS
        for column in table.columns if column.nullable and not column.primary_key
    ]


def test_the_walk_covers_what_reports_read():
    walked = set(nullable_columns())
    assert {("rounds", "opens_on"), ("rounds", "closes_on"), ("rounds", "opened_at"),
            ("round_units", "invited"), ("round_units", "unit_id"), ("responses", "role"),
            ("comments", "domain_id"), ("action_items", "due_on"),
            ("action_items", "item_id")} <= walked


def test_every_report_works_with_every_nullable_column_empty(db_url, monkeypatch, tmp_path):
    """The demo with every nullable column of what reports read set to NULL (and the action
    items' optional texts empty), its frozen reports removed so that they are computed from
    those rows: every report of every round builds in every format, `tisa report` writes it,
    and the report pages show it."""
    initialize(db_url, demo=True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, db_url)
    engine = make_engine(db_url)
    factory = session_factory(engine)
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    with transaction(factory, write=True) as session:
        session.execute(sa.delete(RoundReport))
        for table, column in nullable_columns():
            session.execute(sa.update(tables[table]).values({column: None}))
        session.execute(sa.update(tables["action_items"]).values(owner="", indicator=""))
        ids = [r.id for r in list_rounds(session, resolve_organization(session))]
    try:
        with transaction(factory) as session:
            for round_id in ids:
                round_ = session.get(Round, round_id)
                assert (round_.opens_on, round_.opened_at, round_.closed_at) == (None,) * 3
                for scope in (None, round_.units[-1].id):
                    report = frozen_report(session, round_, scope)
                    assert report_csv(report, "en") and report_xlsx(report, "es")
                    html = report_html(report, "en")
                    assert "None" not in html.replace("NoneType", "")
            newest = frozen_report(session, session.get(Round, ids[-1]))
            assert [p.round_id for p in newest.trend] == ids
            assert report_pdf(newest, "en").startswith(b"%PDF")
            assert newest.actions_now or newest.actions_before
        out = tmp_path / "newest.xlsx"
        result = runner.invoke(app, ["report", str(ids[-1]), "--format", "xlsx",
                                     "--out", str(out)])
        assert result.exit_code == 0, result.output
    finally:
        engine.dispose()
    world = World(db_url, factory, ids[-1], ids[-1], tuple(ids))
    for script in REPORT_SCRIPTS:
        open_page(world, script, round=str(ids[-1]))
    open_page(world, "results_page.py", None)
