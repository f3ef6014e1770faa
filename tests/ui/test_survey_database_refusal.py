"""A respondent never sees a raw database error: when the database refuses a step of the survey
for a reason that is not theirs, the page says so in plain words in the survey's language and
the error is logged on the server without any answer or comment.

The database really refuses here (no mock): a trigger that aborts every write of a draft or a
sealed submission, a table that cannot be read, and a database file locked by another process.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from instruments import Instrument
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Draft, SealedSubmission
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, create_round, issue_codes, open_round
from ui.i18n import t
from ui.survey_flow import answer_key, comment_key

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Seeded:
    url: str
    path: str
    codes: list[str]
    instrument: Instrument


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> Seeded:
    """A SQLite file with an open round of ti-staff 1.1.0 and three codes."""
    path = tmp_path / "tisa.db"
    url = f"sqlite:///{path}"
    initialize(url)
    with transaction(shared_factory(url), write=True) as session:
        organization = create_organization(session, "Test Agency")
        unit = add_unit(session, organization, "North office")
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session,
            organization,
            name="Spring",
            instrument_version=version,
            invitations=[UnitInvitation(unit, 20)],
            languages=("en", "es"),
        )
        open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], 3)
        instrument = version.instrument()
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return Seeded(url, str(path), codes, instrument)


def open_survey_page(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("ui/survey_page.py").run()
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    return at


RAW_MARKERS = ("sqlite3", "IntegrityError", "OperationalError", "INSERT", "SELECT", "Traceback",
               "sqlalchemy", "psycopg", "trigger", "locked", "drafts")
SECRET = "my very private comment 4471"


def _page_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "success",
                 "warning", "error", "exception"):
        parts += [str(element.value) for element in getattr(at, kind)]
    return "\n".join(parts)


def _refuse_writes(path: str, table: str) -> None:
    with sqlite3.connect(path) as connection:
        for event in ("INSERT", "UPDATE"):
            connection.execute(
                f"CREATE TRIGGER refuse_{table}_{event.lower()} BEFORE {event} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
            )


def _opened_at_first_domain(seeded, lang: str) -> AppTest:
    at = open_survey_page(code=seeded.codes[0], lang=lang)
    assert not at.exception, at.exception
    click(at, "survey_next")  # welcome → first domain (a save that works)
    assert not at.exception, at.exception
    domain = seeded.instrument.domains[0].id
    at.text_area(key=comment_key(domain)).input(SECRET)
    return at


def _assert_plain_message(at: AppTest, key: str, lang: str, caplog) -> None:
    assert not at.exception, at.exception
    text = _page_text(at)
    assert t(key, lang) in [error.value for error in at.error]
    for marker in RAW_MARKERS:
        assert marker not in text, f"{marker!r} shown to a respondent"
    logged = [r for r in caplog.records if r.name.startswith("tisa")]
    assert logged, "the failure is logged on the server"
    for record in logged:
        assert SECRET not in record.getMessage()
        assert seeded_code_free(record.getMessage())


def seeded_code_free(message: str) -> bool:
    return "-" not in message or "code" not in message.lower()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_refused_save_shows_a_plain_translated_message(seeded, lang, caplog):
    caplog.set_level(logging.WARNING)
    at = _opened_at_first_domain(seeded, lang)
    _refuse_writes(seeded.path, "drafts")
    click(at, "survey_next")
    _assert_plain_message(at, "survey.error.storage", lang, caplog)
    with transaction(shared_factory(seeded.url)) as session:
        [draft] = session.scalars(sa.select(Draft)).all()
    assert SECRET not in str(draft.comments)  # the refused save kept nothing


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_refused_submission_shows_a_plain_translated_message(seeded, lang, caplog):
    caplog.set_level(logging.WARNING)
    at = _opened_at_first_domain(seeded, lang)
    _refuse_writes(seeded.path, "sealed_submissions")
    at.session_state["survey_submit_requested"] = True
    at.run()
    _assert_plain_message(at, "survey.error.storage", lang, caplog)
    with transaction(shared_factory(seeded.url)) as session:
        assert session.scalars(sa.select(SealedSubmission)).all() == []


def test_a_table_that_cannot_be_read_shows_a_plain_message(seeded, caplog):
    caplog.set_level(logging.WARNING)
    with sqlite3.connect(seeded.path) as connection:
        connection.execute("ALTER TABLE drafts RENAME TO drafts_away")
    at = open_survey_page(code=seeded.codes[1])
    _assert_plain_message(at, "survey.error.unavailable", "en", caplog)
    assert at.query_params.get("code") == seeded.codes[1], "the code is kept to try again"


def test_a_database_locked_by_another_process_shows_a_plain_message(seeded, caplog):
    caplog.set_level(logging.WARNING)
    at = _opened_at_first_domain(seeded, "en")
    holder = sqlite3.connect(seeded.path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        click(at, "survey_next")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _assert_plain_message(at, "survey.error.storage", "en", caplog)


def test_a_save_refused_mid_section_keeps_the_section_and_the_next_answer_saves_both(
    seeded, caplog
):
    """Answers are saved as they are given: a save the database refuses says so, leaves the
    section and its answers on the screen, and the next answer that can be saved carries it."""
    caplog.set_level(logging.WARNING)
    domain = seeded.instrument.domains[0]
    first, second = domain.items[:2]
    at = open_survey_page(code=seeded.codes[2], lang="es")
    click(at, "survey_next")
    _refuse_writes(seeded.path, "drafts")
    at.radio(key=answer_key(first.id)).set_value(2).run()
    _assert_plain_message(at, "survey.error.storage", "es", caplog)
    assert at.header[0].value == domain.title["es"], "the section stays on the screen"
    assert at.radio(key=answer_key(first.id)).value == 2
    with sqlite3.connect(seeded.path) as connection:
        connection.execute("DROP TRIGGER refuse_drafts_insert")
        connection.execute("DROP TRIGGER refuse_drafts_update")
    at.radio(key=answer_key(second.id)).set_value(3).run()
    assert not at.exception, at.exception
    assert not at.error
    with transaction(shared_factory(seeded.url)) as session:
        [draft] = session.scalars(sa.select(Draft)).all()
    assert draft.answers == {first.id: 2, second.id: 3}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_unexpected_failure_shows_our_own_message_not_streamlits(seeded, lang, caplog):
    """Whatever goes wrong, a respondent reads a plain message in the survey's language, never
    Streamlit's English error box; the server log gets the kind of error."""
    caplog.set_level(logging.WARNING)
    at = open_survey_page(code=seeded.codes[1], lang=lang)
    click(at, "survey_next")  # the draft is saved
    with sqlite3.connect(seeded.path) as connection:  # and later found damaged
        connection.execute("UPDATE drafts SET answers = '[1, 2, 3]'")
    again = open_survey_page(code=seeded.codes[1], lang=lang)
    assert not again.exception, again.exception
    assert [error.value for error in again.error] == [t("survey.error.unexpected", lang)]
    assert any(r.name.startswith("tisa") for r in caplog.records), "the failure is logged"
