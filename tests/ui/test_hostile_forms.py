"""Every text field of the app's forms, fed what an attacker would type (see tests/hostile.py),
under AppTest against a real SQLite database.

For every field and every case: the page never shows an exception; the form either refuses
with a short message and leaves the row count of every table exactly as it was, or accepts and
stores only clean text; a name that was accepted is then shown as text on the page that lists
it (no Markdown emphasis, no math, no HTML).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit as st
from hypothesis import HealthCheck, given, settings
from streamlit import config
from streamlit.testing.v1 import AppTest

from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.organization_repo import add_unit, resolve_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    get_round,
    issue_codes,
    list_rounds,
    open_round,
)
from storage.user_repo import get_user
from tests.hostile import ANY_TEXT, HOSTILE_TEXTS, assert_clean_store, row_counts

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
MESSAGE_MAX = 1_000
# The cases a form sees (the command-line suite takes every case of tests/hostile.py).
FORM_CASES = [
    "nul", "escape_sequence", "right_to_left_override", "formula_equals", "mathtext", "markup",
    "huge", "blank", "line_break",
]
# Text that would render as emphasis or math if a page put a name into Markdown unescaped.
RENDERED_MARKERS = ("**bold**", "$x^$", "<script>")


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'tisa.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    initialize(url, admin_user="ana", admin_password=PASSWORD, organization_name="River County")
    with transaction(shared_factory(url), write=True) as session:
        add_unit(session, resolve_organization(session), "Intake", code="intake")
    st.cache_resource.clear()
    st.cache_data.clear()
    return url


def open_page(url: str, page: str, username: str | None = "ana") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if username is not None:
        with transaction(shared_factory(url), write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, username)
            )
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"ui/{page}").run()
    assert not at.exception, at.exception
    return at


def shown_markdown(at: AppTest) -> list[str]:
    """The raw Markdown of every element that renders Markdown."""
    elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.success,
                *at.info, *at.warning, *at.error]
    return [element.value for element in elements if isinstance(element.value, str)]


def assert_shown_as_text(at: AppTest, what: str) -> None:
    for value in shown_markdown(at):
        for marker in RENDERED_MARKERS:
            assert marker not in value, f"{what}: {marker!r} reaches Markdown unescaped"


@dataclass(frozen=True)
class Form:
    page: str
    submit: str
    fields: tuple[str, ...]
    filled: dict[str, str] = field(default_factory=dict)


FORMS = {
    "units.add": Form("units_page.py", "units.add.submit", ("units.add.name", "units.add.code"),
                      {"units.add.name": "Foster care"}),
    "units.rename": Form("units_page.py", "units.rename.submit", ("units.rename.name",)),
    "users.add": Form(
        "users_page.py", "users.add.submit",
        ("users.add.username", "users.add.name", "users.add.password"),
        {"users.add.username": "mo", "users.add.password": PASSWORD,
         "users.add.password2": PASSWORD},
    ),
    "rounds.create": Form("rounds_page.py", "rounds.create.submit", ("rounds.create.name",),
                          {"rounds.create.name": "Spring"}),
}
FIELD_CASES = [
    pytest.param(form, name, case, id=f"{name}-{case}")
    for form, spec in FORMS.items()
    for name in spec.fields
    for case in FORM_CASES
]


def submit_form(url: str, form: Form, name: str, text: str) -> tuple[AppTest, bool]:
    """Fill the form with `text` in field `name` and submit it. Returns the app and whether the
    form refused; a refusal leaves every table's row count as it was before the submit."""
    at = open_page(url, form.page)
    before = row_counts(url)
    for key, value in form.filled.items():
        at.text_input(key=key).input(value)
    if name == "users.add.password":
        at.text_input(key="users.add.password2").input(text)
    at.text_input(key=name).input(text)
    at.button(key=form.submit).click().run()
    assert not at.exception, f"{name}: {at.exception}"
    refused = bool(at.error)
    for error in at.error:
        assert len(error.value) < MESSAGE_MAX, f"{name}: a {len(error.value)}-character message"
    if refused:
        assert row_counts(url) == before, f"{name}: a refused form changed stored rows"
    return at, refused


@pytest.mark.parametrize(("form", "name", "case"), FIELD_CASES)
def test_every_form_field_answers_hostile_text(db, form, name, case):
    spec = FORMS[form]
    at, _ = submit_form(db, spec, name, HOSTILE_TEXTS[case])
    assert_clean_store(db)
    assert_shown_as_text(at, f"{name} {case}")
    again = open_page(db, spec.page)
    assert_shown_as_text(again, f"{name} {case} (page shown again)")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_fuzzed_unit_names_in_the_app(db, text):
    submit_form(db, FORMS["units.add"], "units.add.name", text)
    assert_clean_store(db)


@pytest.fixture
def survey(db):
    """An open round of ti-staff 1.1.0 on the unit Intake with one code."""
    with transaction(shared_factory(db), write=True) as session:
        organization = resolve_organization(session)
        [unit] = [u for u in organization.units if u.code == "intake"]
        round_ = create_round(
            session, organization, name="Spring",
            instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
            invitations=[UnitInvitation(unit, 20)],
        )
        open_round(session, round_)
        [code] = issue_codes(session, round_, round_.units[0], 1)
        return round_.id, code


@pytest.mark.parametrize("case", FORM_CASES)
def test_survey_code_entry_answers_hostile_text(db, survey, case):
    at = open_page(db, "survey_page.py", username=None)
    before = row_counts(db)
    at.text_input(key="survey_code_input").input(HOSTILE_TEXTS[case])
    at.button(key="survey_code_submit").click().run()
    assert not at.exception, at.exception
    assert row_counts(db) == before
    for error in at.error:
        assert len(error.value) < MESSAGE_MAX
    assert_shown_as_text(at, f"code entry {case}")


@pytest.mark.parametrize("case", FORM_CASES)
def test_survey_comments_answer_hostile_text_and_the_round_still_closes(db, survey, case):
    round_id, code = survey
    at = open_page(db, "survey_page.py", username=None)
    at.text_input(key="survey_code_input").input(code)
    at.button(key="survey_code_submit").click().run()
    at.button(key="survey_next").click().run()
    assert not at.exception, at.exception
    area = next(a for a in at.text_area if a.key.startswith("comment_"))
    area.input(HOSTILE_TEXTS[case])
    # through every section to the review and submit
    for _ in range(40):
        if any(b.key == "survey_submit" for b in at.button):
            break
        at.button(key="survey_next").click().run()
        assert not at.exception, at.exception
    at.button(key="survey_submit").click().run()
    assert not at.exception, at.exception
    for error in at.error:
        assert len(error.value) < MESSAGE_MAX
    with transaction(shared_factory(db), write=True) as session:
        close_round(session, get_round(session, resolve_organization(session), round_id))
    assert_clean_store(db)


# -- action items on a published round of the demo ----------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    initialize(f"sqlite:///{path}", demo=True)
    return path


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch) -> str:
    path = tmp_path / "tisa.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return url


ACTION_FIELDS = ("report.action.title", "report.action.owner", "report.action.indicator")


@pytest.mark.parametrize("case", ["nul", "right_to_left_override", "mathtext", "markup", "huge"])
@pytest.mark.parametrize("name", ACTION_FIELDS)
def test_action_item_fields_answer_hostile_text(demo, name, case):
    with transaction(shared_factory(demo)) as session:
        newest = max(r.id for r in list_rounds(session, resolve_organization(session)))

    def actions_page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.query_params["round"] = str(newest)
        with transaction(shared_factory(demo), write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, "director")
            )
        at.run()
        at.switch_page("ui/report_actions_page.py").run()
        assert not at.exception, at.exception
        return at

    at = actions_page()
    before = row_counts(demo)
    if name != "report.action.title":
        at.text_input(key="report.action.title").input("Debrief after hard visits")
    at.text_input(key=name).input(HOSTILE_TEXTS[case])
    at.button(key="report.action.create").click().run()
    assert not at.exception, at.exception
    for error in at.error:
        assert len(error.value) < MESSAGE_MAX
    if at.error:
        assert row_counts(demo) == before, f"{name} {case}: a refused form changed stored rows"
    assert_clean_store(demo)
    assert_shown_as_text(at, f"{name} {case}")
    assert_shown_as_text(actions_page(), f"{name} {case} (page shown again)")
