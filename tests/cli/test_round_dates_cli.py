"""`tisa round create` dates and `tisa round dates`, on SQLite and PostgreSQL: the defaults are
said in --help and applied, dates out of order or unreadable get one line naming the option,
and a closed round keeps its dates; a refused command leaves every table as it was."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import cli
from cli import app
from storage import round_service
from storage.engine import make_engine
from storage.models import AuditEvent, Base, today_utc

runner = CliRunner()
PASSWORD = "a long enough password for tests"


def run(*args: str):
    return runner.invoke(app, list(args))


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def agency(db_url, monkeypatch) -> str:
    monkeypatch.setenv("TISA_DATABASE_URL", db_url)
    ok("init", "--admin-user", "ana", "--admin-password", PASSWORD, "--organization", "Agency")
    ok("units", "add", "Intake")
    return db_url


def create(*extra: str) -> dict:
    result = ok("round", "create", "Spring 2027", "--instrument", "ti-staff@1.1.0",
                "--unit", "intake=12", "--format", "json", *extra)
    return json.loads(result.stdout)


def test_the_defaults_are_said_in_help_and_match_the_service():
    result = run("round", "create", "--help")
    words = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    assert "default: today" in words
    assert f"default: {round_service.DEFAULT_ROUND_DAYS} days after the opening date" in words
    assert cli.DEFAULT_ROUND_DAYS == round_service.DEFAULT_ROUND_DAYS
    assert "tisa round dates" in words


def test_a_round_created_without_dates_gets_the_defaults(agency):
    data = create()
    today = today_utc()
    assert data["opens_on"] == today.isoformat()
    assert data["closes_on"] == (today + timedelta(days=21)).isoformat()
    text = run("round", "list").output
    assert today.isoformat() in text


@pytest.mark.parametrize(("extra", "message"), [
    (("--opens", "2027-04-30", "--closes", "2027-04-01"),
     "error: the closing date 2027-04-01 is before the opening date 2027-04-30: choose a "
     "closing date on or after the opening date"),
    (("--opens", "30/04/2027"), "--opens: '30/04/2027' is not a date; write it as "
     "YYYY-MM-DD"),
    (("--closes", "2000-01-01"), "error: the closing date 2000-01-01 is before the opening date"),
])
def test_bad_dates_at_creation_are_one_line(agency, extra, message):
    before = row_counts(agency)
    result = run("round", "create", "Spring 2027", "--instrument", "ti-staff@1.1.0",
                 "--unit", "intake=12", *extra)
    assert one_error_line(result).startswith(message)
    assert row_counts(agency) == before


def test_round_dates_changes_a_draft_and_an_open_round(agency):
    round_id = str(create("--opens", "2027-04-01", "--closes", "2027-04-30")["id"])
    result = ok("round", "dates", round_id, "--closes", "2027-05-15")
    assert result.stdout.strip() == ("round 1 'Spring 2027' opens 2027-04-01, closes "
                                     "2027-05-15")
    ok("round", "open", round_id)
    ok("round", "dates", round_id, "--opens", "2027-04-02", "--closes", "2027-05-20")
    [data] = json.loads(ok("round", "list", "--format", "json").stdout)
    assert (data["opens_on"], data["closes_on"]) == ("2027-04-02", "2027-05-20")
    engine = make_engine(agency)
    try:
        with engine.connect() as connection:
            audited = connection.execute(sa.select(sa.func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "round.dates")).scalar_one()
    finally:
        engine.dispose()
    assert audited == 2


@pytest.mark.parametrize(("extra", "message"), [
    ((), "give --opens, --closes or both: the new dates, YYYY-MM-DD"),
    (("--opens", "2027-05-01"),
     "error: the closing date 2027-04-30 is before the opening date 2027-05-01"),
    (("--closes", "tomorrow"), "--closes: 'tomorrow' is not a date"),
])
def test_round_dates_refusals_are_one_line(agency, extra, message):
    round_id = str(create("--opens", "2027-04-01", "--closes", "2027-04-30")["id"])
    before = row_counts(agency)
    assert one_error_line(run("round", "dates", round_id, *extra)).startswith(message)
    assert row_counts(agency) == before


def test_a_closed_round_keeps_its_dates(agency):
    round_id = str(create("--opens", "2027-04-01", "--closes", "2027-04-30")["id"])
    ok("round", "open", round_id)
    ok("round", "close", round_id)
    before = row_counts(agency)
    line = one_error_line(run("round", "dates", round_id, "--closes", "2027-06-01"))
    assert line.startswith("error: round 'Spring 2027' is closed: its dates are kept")
    assert row_counts(agency) == before
    assert one_error_line(run("round", "dates", "99", "--closes", "2027-06-01")).startswith(
        "error: no round 99")
