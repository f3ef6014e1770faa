"""The app on PostgreSQL with rows an older tisa stored with NUL and control characters.

PostgreSQL cannot store NUL in text, but JSON keeps it: a respondent's draft and a sealed
submission left behind in a closed round (a release interrupted by such a comment) can hold one.
With those rows in the database, the app starts (its start-up releases what was left behind),
``/survey`` resumes the draft and saves it cleaned, and every page an admin can open runs.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Comment, Draft, Round, RoundStatus, SealedSubmission, random_id
from storage.organization_repo import add_unit, resolve_organization
from storage.round_service import UnitInvitation, create_round, issue_codes, open_round
from storage.survey_service import DraftUpdate, save_draft
from storage.user_repo import get_user
from ui.i18n import t
from ui.navigation import ADMIN, specs_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def postgres_url(postgres_database, monkeypatch) -> str:
    """A schema of its own in the test session's PostgreSQL database, used by the app."""
    schema = f"t_{secrets.token_hex(6)}"
    setup = sa.create_engine(postgres_database, poolclass=sa.pool.NullPool)
    with setup.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    setup.dispose()
    url = postgres_database.update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, rendered)
    st.cache_resource.clear()
    return rendered


def _round(session, organization, name: str, unit) -> Round:
    round_ = create_round(
        session,
        organization,
        name=name,
        instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
        invitations=[UnitInvitation(unit, 20)],
    )
    open_round(session, round_)
    return round_


@pytest.fixture
def old_rows(postgres_url) -> str:
    """An open round with a draft holding NUL, and a closed round with sealed rows left
    behind, one of them with NUL in a comment; returns a code of the open round."""
    initialize(postgres_url, admin_user="director", admin_password=PASSWORD)
    with transaction(shared_factory(postgres_url), write=True) as session:
        organization = resolve_organization(session)
        unit = add_unit(session, organization, "North office")
        open_one = _round(session, organization, "Spring", unit)
        [code] = issue_codes(session, open_one, open_one.units[0], 1)
        domain = get_instrument_version(session, "ti-staff", "1.1.0").instrument().domains[0].id
        save_draft(session, code, DraftUpdate({}, {domain: "x"}, None, "en", 1, 3))
        session.execute(sa.update(Draft).values(comments={domain: "Old\x00 draft\x1b[1m"}))
        closed = _round(session, organization, "Autumn", unit)
        for text in ("left\x00 behind", "fine"):
            session.add(
                SealedSubmission(
                    id=random_id(),
                    round_id=closed.id,
                    round_unit_id=closed.units[0].id,
                    payload={"comments": {"": text}},
                )
            )
        closed.status = RoundStatus.CLOSED.value
    return code


def _app(url: str, *, signed_in: bool, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    if signed_in:
        with transaction(shared_factory(url), write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, "director")
            )
    at.run()
    assert not at.exception, at.exception
    return at


def test_start_up_and_the_survey_work_with_old_rows(postgres_url, old_rows):
    at = _app(postgres_url, signed_in=False, code=old_rows)
    at.switch_page("ui/survey_page.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    with transaction(shared_factory(postgres_url)) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SealedSubmission)) == 0
        assert set(session.scalars(sa.select(Comment.text))) == {"left behind", "fine"}
    at.button(key="survey_next").click().run()  # a save of the resumed draft
    assert not at.exception, at.exception
    with transaction(shared_factory(postgres_url)) as session:
        [draft] = session.scalars(sa.select(Draft)).all()
    assert all("\x00" not in text and "\x1b" not in text for text in draft.comments.values())


@pytest.mark.parametrize("spec", specs_for(ADMIN), ids=lambda spec: spec.url_path or "home")
def test_every_page_runs_with_old_rows(postgres_url, old_rows, spec):
    at = _app(postgres_url, signed_in=True)
    if not spec.default:
        at.switch_page(f"ui/{spec.script}").run()
    assert not at.exception, f"{spec.script}: {at.exception}"


def test_a_save_postgresql_refuses_shows_a_plain_message(postgres_url, old_rows, caplog):
    """The database refuses every write of a draft (a trigger raising an error): the respondent
    reads the survey's own words, never PostgreSQL's."""
    at = _app(postgres_url, signed_in=False, code=old_rows)
    at.switch_page("ui/survey_page.py").run()
    assert not at.exception, at.exception
    engine = shared_factory(postgres_url).kw["bind"]
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
            "'refused by the database'; END $$ LANGUAGE plpgsql"
        )
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse_drafts BEFORE INSERT OR UPDATE ON drafts "
            "FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    at.button(key="survey_next").click().run()
    assert not at.exception, at.exception
    assert t("survey.error.storage", "en") in [error.value for error in at.error]
    shown = "\n".join(str(e.value) for kind in ("error", "markdown", "caption")
                      for e in getattr(at, kind))
    assert "refused by the database" not in shown and "psycopg" not in shown
    assert any(r.name == "tisa.survey" for r in caplog.records)
