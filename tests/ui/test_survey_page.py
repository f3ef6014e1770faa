"""The survey page under AppTest, against a seeded temporary SQLite database.

Each test gets its own database (a new URL, hence a new engine from `shared_factory`), with an
organization, a unit and an open round of ti-staff 1.1.0 with codes. Expected words come from
the instrument and from ui.i18n, never typed in here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
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
from storage.models import (
    AccessCode,
    Answer,
    CodeState,
    Comment,
    Draft,
    Response,
    Round,
    SealedSubmission,
)
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    create_unit_link,
    issue_codes,
    open_round,
)
from storage.survey_service import NOT_APPLICABLE
from ui.i18n import t, tn
from ui.markdown_text import unescape
from ui.survey_flow import ROLE_KEY, answer_key, comment_key, option_labels, scale_range

ROOT = Path(__file__).resolve().parents[2]
SURVEY = "ui/survey_page.py"
UNIT_NAME = "North office"
CLOSES_ON = date(2099, 6, 30)


@dataclass(frozen=True)
class Seeded:
    url: str
    round_id: int
    codes: list[str]
    link: str
    instrument: Instrument


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> Seeded:
    """A fresh database with an open round of ti-staff 1.1.0, five codes and a unit link."""
    url = f"sqlite:///{tmp_path / 'tisa.db'}"
    initialize(url)
    with transaction(shared_factory(url), write=True) as session:
        organization = create_organization(session, "Test Agency")
        unit = add_unit(session, organization, UNIT_NAME)
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        round_ = create_round(
            session,
            organization,
            name="Spring 2099",
            instrument_version=version,
            invitations=[UnitInvitation(unit, 20)],
            languages=("en", "es"),
            closes_on=CLOSES_ON,
        )
        open_round(session, round_)
        codes = issue_codes(session, round_, round_.units[0], 5)
        link = create_unit_link(session, round_, round_.units[0])
        instrument = version.instrument()
        round_id = round_.id
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return Seeded(url, round_id, codes, link, instrument)


def open_survey_page(locale: str | None = None, **query: str) -> AppTest:
    """The survey page in a new browser session; `locale` is the browser's language."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if locale is not None:
        at.context["locale"] = locale
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    at.switch_page(SURVEY).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def heading(at: AppTest) -> str:
    return unescape(at.header[0].value)


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def markdown_text(at: AppTest) -> str:
    return "\n".join(unescape(m.value) for m in at.markdown)


def rows(url: str, model) -> list:
    with transaction(shared_factory(url)) as session:
        return list(session.scalars(sa.select(model)))


def submitted(url: str) -> int:
    """Submissions stored: released responses and those sealed while the round is open."""
    return len(rows(url, Response)) + len(rows(url, SealedSubmission))


def close_and_release(url: str, round_id: int) -> None:
    """Closing the round releases every sealed response with its comments."""
    with transaction(shared_factory(url), write=True) as session:
        close_round(session, session.get(Round, round_id))


def test_page_runs_and_asks_for_a_code(seeded):
    at = open_survey_page()
    assert at.title[0].value == t("survey.title", "en")
    assert at.text_input(key="survey_code_input").label == t("survey.entry.label", "en")
    assert not at.error


def test_full_flow_from_a_typed_code_to_thanks(seeded):
    instrument = seeded.instrument
    at = open_survey_page()
    at.text_input(key="survey_code_input").input(seeded.codes[0].lower().replace("-", ""))
    click(at, "survey_code_submit")
    # welcome: the promises, the threshold, the time, support
    assert heading(at) == t("survey.welcome.heading", "en")
    text = markdown_text(at)
    assert t("survey.welcome.privacy.groups", "en", k=5) in text
    assert t("survey.welcome.time", "en", minutes=instrument.minutes) in text
    assert "Employee Assistance Program" in text
    assert at.query_params["code"] == seeded.codes[0]

    click(at, "survey_next")
    skipped: dict[str, list[str]] = {}
    for n, domain in enumerate(instrument.domains, start=1):
        assert at.progress[0].proto.text == t(
            "survey.progress", "en", n=n, total=len(instrument.domains)
        )
        assert heading(at) == domain.title["en"]
        radios = {radio.key: radio for radio in at.radio}
        first, *rest = domain.items
        assert unescape(radios[answer_key(first.id)].label) == first.text["en"]
        radios[answer_key(first.id)].set_value(4)
        if rest:
            radios[answer_key(rest[0].id)].set_value(NOT_APPLICABLE)
        skipped[domain.id] = [item.id for item in rest[1:]]
        at.text_area(key=comment_key(domain.id)).input(f"About {domain.id}")
        click(at, "survey_next")

    # role
    assert heading(at) == t("survey.role.heading", "en")
    at.radio(key=ROLE_KEY).set_value("supervisor")
    click(at, "survey_next")

    # review: how many are unanswered in each domain, with a way back
    assert heading(at) == t("survey.review.heading", "en")
    n_missing = sum(len(ids) for ids in skipped.values())
    assert tn("survey.review.missing", n_missing, "en") in [info.value for info in at.info]
    text = markdown_text(at)
    for domain in instrument.domains:
        count = tn("survey.review.section_missing", len(skipped[domain.id]), "en")
        listed = f"**{domain.title['en']}** · {count}" in text
        assert listed == bool(skipped[domain.id]), domain.id
        for item in domain.items:
            assert item.text["en"] not in text, "counts, not every statement"
    go_back = {button.key for button in at.button if button.key.startswith("survey_goto_")}
    assert go_back == {f"survey_goto_{d}" for d, ids in skipped.items() if ids}

    # going back to a domain keeps its answers
    target = next(d for d in instrument.domains if skipped[d.id])
    click(at, f"survey_goto_{target.id}")
    assert heading(at) == target.title["en"]
    assert at.radio(key=answer_key(target.items[0].id)).value == 4
    at.radio(key=answer_key(skipped[target.id][0])).set_value(2)
    for _ in range(len(instrument.domains) - instrument.domains.index(target) + 1):
        click(at, "survey_next")
    assert heading(at) == t("survey.review.heading", "en")
    assert tn("survey.review.missing", n_missing - 1, "en") in [info.value for info in at.info]

    click(at, "survey_submit")
    assert heading(at) == t("survey.thanks.heading", "en")
    assert "code" not in at.query_params
    assert rows(seeded.url, Response) == [] and submitted(seeded.url) == 1, "sealed below k"
    assert rows(seeded.url, Draft) == []

    # a second click on submit changes nothing
    assert not at.exception
    at.run()
    assert heading(at) == t("survey.thanks.heading", "en")
    assert submitted(seeded.url) == 1

    close_and_release(seeded.url, seeded.round_id)
    [response] = rows(seeded.url, Response)
    assert response.role == "supervisor"
    assert response.language == "en"
    answers = {a.item_id: a for a in rows(seeded.url, Answer)}
    assert (
        len(answers)
        == 2 * len(instrument.domains) - sum(1 for d in instrument.domains if len(d.items) < 2) + 1
    )
    assert answers[target.items[0].id].value == 4
    assert answers[skipped[target.id][0]].value == 2
    assert answers[target.items[1].id].not_applicable
    comments = {c.domain_id: c.text for c in rows(seeded.url, Comment)}
    assert comments == {d.id: f"About {d.id}" for d in instrument.domains}
    assert rows(seeded.url, SealedSubmission) == []


def answer_first_domains(at: AppTest, instrument: Instrument, n_domains: int) -> dict[str, int]:
    """Start, answer the first item of each of the first `n_domains` domains, move on."""
    given: dict[str, int] = {}
    click(at, "survey_next")
    for n, domain in enumerate(instrument.domains[:n_domains]):
        item = domain.items[0]
        at.radio(key=answer_key(item.id)).set_value(1 + n % 5)
        given[item.id] = 1 + n % 5
        click(at, "survey_next")
    return given


def test_resume_in_a_new_session_restores_answers_comments_role_language_and_page(seeded):
    instrument = seeded.instrument
    code = seeded.codes[1]
    at = open_survey_page(code=code)
    at.radio(key="survey_language_pick").set_value("es").run()
    assert heading(at) == t("survey.welcome.heading", "es")
    assert at.query_params["lang"] == "es"
    given = answer_first_domains(at, instrument, 3)
    domain = instrument.domains[3]
    at.text_area(key=comment_key(domain.id)).input("Un comentario")
    at.radio(key=answer_key(domain.items[1].id)).set_value(NOT_APPLICABLE)
    click(at, "survey_back")  # a page change saves: back on domain 3
    [draft] = rows(seeded.url, Draft)
    assert draft.language == "es"
    assert draft.current_page == 3
    del at

    again = open_survey_page(code=code.lower())  # a new browser session, the code typed loosely
    assert not again.warning, [w.value for w in again.warning]
    assert again.query_params["lang"] == "es"
    assert heading(again) == instrument.domains[2].title["es"]
    assert again.query_params["code"] == code
    for item_id, value in given.items():
        if item_id in {i.id for i in instrument.domains[2].items}:
            assert again.radio(key=answer_key(item_id)).value == value
    click(again, "survey_next")
    assert again.radio(key=answer_key(domain.items[1].id)).value == NOT_APPLICABLE
    assert again.text_area(key=comment_key(domain.id)).value == "Un comentario"
    # the earlier domains kept their answers too
    click(again, "survey_back")
    click(again, "survey_back")
    first = instrument.domains[1].items[0]
    assert again.radio(key=answer_key(first.id)).value == given[first.id]
    assert unescape(again.radio(key=answer_key(first.id)).label) == first.text["es"]


def test_role_is_restored(seeded):
    code = seeded.codes[2]
    at = open_survey_page(code=code)
    n = len(seeded.instrument.domains)
    click(at, "survey_next")
    for _ in range(n):
        click(at, "survey_next")
    at.radio(key=ROLE_KEY).set_value("frontline")
    click(at, "survey_next")
    again = open_survey_page(code=code)
    assert heading(again) == t("survey.review.heading", "en")
    assert again.session_state[ROLE_KEY] == "frontline"
    click(again, "survey_change_role")
    assert again.radio(key=ROLE_KEY).value == "frontline"


def test_a_used_code_is_refused(seeded):
    code = seeded.codes[0]
    at = open_survey_page(code=code)
    click(at, "survey_next")
    for _ in range(len(seeded.instrument.domains) + 1):
        click(at, "survey_next")
    click(at, "survey_submit")
    assert heading(at) == t("survey.thanks.heading", "en")

    again = open_survey_page(code=code)
    assert errors(again) == [t("survey.error.used", "en")]
    assert "code" not in again.query_params
    assert again.text_input(key="survey_code_input")  # they can type another code
    assert submitted(seeded.url) == 1


def test_a_closed_round_is_refused_also_for_a_saved_draft(seeded):
    code = seeded.codes[3]
    at = open_survey_page(code=code)
    answer_first_domains(at, seeded.instrument, 2)
    assert len(rows(seeded.url, Draft)) == 1
    with transaction(shared_factory(seeded.url), write=True) as session:
        close_round(session, session.get(Round, seeded.round_id))

    # the open session: the next page change is refused, plainly
    at.button(key="survey_next").click().run()
    assert errors(at) == [t("survey.error.closed", "en")]
    assert "code" not in at.query_params
    # a new session with the saved draft's code
    again = open_survey_page(code=code, lang="es")
    assert errors(again) == [t("survey.error.closed", "es")]
    assert submitted(seeded.url) == 0


def test_a_round_not_open_yet_is_refused(seeded):
    with transaction(shared_factory(seeded.url), write=True) as session:
        organization = session.get(Round, seeded.round_id).organization
        version = get_instrument_version(session, "ti-staff", "1.1.0")
        unit = add_unit(session, organization, "South office")
        later = create_round(
            session,
            organization,
            name="Autumn 2099",
            instrument_version=version,
            invitations=[UnitInvitation(unit, 8)],
        )
        [code] = issue_codes(session, later, later.units[0], 1)
    at = open_survey_page(code=code)
    assert errors(at) == [t("survey.error.not_open", "en")]


def test_an_unknown_code_is_explained_and_five_wrong_codes_mean_a_wait(seeded):
    at = open_survey_page(lang="es")
    for n in range(5):
        at.text_input(key="survey_code_input").input(f"AAAAA-AAAAA-AAAA{n + 2}")
        click(at, "survey_code_submit")
        assert errors(at) == [t("survey.error.unknown", "es")]
    # now even a good code waits
    at.text_input(key="survey_code_input").input(seeded.codes[0])
    click(at, "survey_code_submit")
    [message] = errors(at)
    wait = re.escape(t("survey.entry.wait", "es", seconds=999)).replace("999", r"\d+")
    assert re.fullmatch(wait, message), message
    assert "code" not in at.query_params


def test_an_unknown_code_in_the_address(seeded):
    at = open_survey_page(code="not-a-code")
    assert errors(at) == [t("survey.error.unknown", "en")]
    assert "code" not in at.query_params


def test_a_unit_link_issues_a_resume_code_shown_and_put_in_the_address(seeded):
    at = open_survey_page(link=seeded.link)
    assert "link" not in at.query_params
    code = at.query_params["code"]
    assert code
    assert t("survey.code.write_down", "en", code=code) in [info.value for info in at.info]
    [ledger] = [row for row in rows(seeded.url, AccessCode) if row.kind == "link"]
    assert ledger.state == CodeState.ISSUED.value, "a respondent never writes the ledger"
    answer_first_domains(at, seeded.instrument, 1)
    # coming back with the resume code
    again = open_survey_page(code=code)
    first = seeded.instrument.domains[0].items[0]
    click(again, "survey_back")
    assert again.radio(key=answer_key(first.id)).value == 1


def test_an_inactive_link_is_refused(seeded):
    at = open_survey_page(link="no-such-link")
    assert errors(at) == [t("survey.error.link_inactive", "en")]


def test_visiting_another_page_and_coming_back_keeps_unsaved_answers(seeded):
    instrument = seeded.instrument
    at = open_survey_page(code=seeded.codes[4])
    click(at, "survey_next")
    first, second = instrument.domains[0].items[:2]
    at.radio(key=answer_key(first.id)).set_value(2)
    click(at, "survey_next")  # saved
    at.radio(key=answer_key(instrument.domains[1].items[0].id)).set_value(5)  # not saved yet
    at.switch_page("ui/home_page.py").run()
    at.switch_page(SURVEY).run()
    assert not at.exception, at.exception
    assert at.query_params["code"] == seeded.codes[4]
    assert heading(at) == instrument.domains[1].title["en"]
    assert at.radio(key=answer_key(instrument.domains[1].items[0].id)).value == 5
    click(at, "survey_back")
    assert at.radio(key=answer_key(first.id)).value == 2
    [draft] = rows(seeded.url, Draft)
    assert draft.answers == {first.id: 2, instrument.domains[1].items[0].id: 5}


def test_after_thanks_another_person_can_answer_with_another_code(seeded):
    at = open_survey_page(code=seeded.codes[0])
    click(at, "survey_next")
    at.radio(key=answer_key(seeded.instrument.domains[0].items[0].id)).set_value(3)
    for _ in range(len(seeded.instrument.domains) + 1):
        click(at, "survey_next")
    click(at, "survey_submit")
    assert heading(at) == t("survey.thanks.heading", "en")
    # nothing of the first person's answers is left in the session
    assert answer_key(seeded.instrument.domains[0].items[0].id) not in at.session_state
    click(at, "survey_another")
    at.text_input(key="survey_code_input").input(seeded.codes[1])
    click(at, "survey_code_submit")
    assert heading(at) == t("survey.welcome.heading", "en")
    click(at, "survey_next")
    assert at.radio(key=answer_key(seeded.instrument.domains[0].items[0].id)).value is None


def test_each_answer_and_comment_is_saved_as_it_is_given(seeded):
    """No page change is needed: a reload, a dropped connection or a closed tab in the middle
    of a section loses nothing."""
    instrument = seeded.instrument
    code = seeded.codes[1]
    at = open_survey_page(code=code)
    click(at, "survey_next")
    domain = instrument.domains[0]
    first, second = domain.items[:2]
    at.radio(key=answer_key(first.id)).set_value(3).run()
    [draft] = rows(seeded.url, Draft)
    assert draft.answers == {first.id: 3}
    assert draft.current_page == 1
    at.radio(key=answer_key(second.id)).set_value(NOT_APPLICABLE).run()
    at.text_area(key=comment_key(domain.id)).input("Falta tiempo").run()
    assert not at.exception, at.exception
    [draft] = rows(seeded.url, Draft)
    assert draft.answers == {first.id: 3, second.id: NOT_APPLICABLE}
    assert draft.comments == {domain.id: "Falta tiempo"}
    # still tied to the code's keyed hash only, never to the ledger's hash of the code
    ledger = {row.code_hash for row in rows(seeded.url, AccessCode)}
    assert draft.claim_hash not in ledger
    del at

    again = open_survey_page(code=code)  # a new browser session
    assert heading(again) == domain.title["en"]
    assert again.radio(key=answer_key(first.id)).value == 3
    assert again.radio(key=answer_key(second.id)).value == NOT_APPLICABLE
    assert again.text_area(key=comment_key(domain.id)).value == "Falta tiempo"
    # taking an answer back is saved too
    again.radio(key=answer_key(first.id)).set_value(None).run()
    [draft] = rows(seeded.url, Draft)
    assert draft.answers == {second.id: NOT_APPLICABLE}


def test_the_role_and_the_closing_comment_are_saved_as_they_are_given(seeded):
    code = seeded.codes[2]
    at = open_survey_page(code=code)
    for _ in range(len(seeded.instrument.domains) + 1):
        click(at, "survey_next")
    assert heading(at) == t("survey.role.heading", "en")
    at.radio(key=ROLE_KEY).set_value("support").run()
    at.text_area(key=comment_key("")).input("Gracias").run()
    [draft] = rows(seeded.url, Draft)
    assert draft.role == "support"
    assert draft.comments == {"": "Gracias"}


@pytest.mark.parametrize(
    ("locale", "query", "lang"),
    [
        ("es-MX", {}, "es"),
        ("fr-FR", {}, "en"),
        ("es-ES", {"lang": "en"}, "en"),  # the address wins
    ],
)
def test_the_first_language_comes_from_the_browser_unless_the_address_has_one(
    seeded, locale, query, lang
):
    at = open_survey_page(locale=locale, code=seeded.codes[0], **query)
    assert at.title[0].value == t("survey.title", lang)
    assert heading(at) == t("survey.welcome.heading", lang)
    assert at.radio(key="survey_language_pick").value == lang


def test_the_language_can_be_switched_on_every_step(seeded):
    instrument = seeded.instrument
    at = open_survey_page()
    at.radio(key="survey_language_pick").set_value("es").run()  # typing the code
    assert at.text_input(key="survey_code_input").label == t("survey.entry.label", "es")
    at.text_input(key="survey_code_input").input(seeded.codes[3])
    click(at, "survey_code_submit")
    click(at, "survey_next")
    assert heading(at) == instrument.domains[0].title["es"]
    at.radio(key="survey_language_pick").set_value("en").run()  # in a section
    assert not at.exception, at.exception
    assert heading(at) == instrument.domains[0].title["en"]
    [draft] = rows(seeded.url, Draft)
    assert draft.language == "en"
    assert draft.current_page == 1


def test_each_question_is_a_vertical_list_that_names_its_scale(seeded):
    instrument = seeded.instrument
    at = open_survey_page(code=seeded.codes[0])
    click(at, "survey_next")
    mixed = next(
        n for n, d in enumerate(instrument.domains) if len({i.scale for i in d.items}) > 1
    )
    for _ in range(mixed):
        click(at, "survey_next")
    domain = instrument.domains[mixed]
    assert heading(at) == domain.title["en"]
    captions = [unescape(c.value) for c in at.caption]
    for item in domain.items:
        radio = at.radio(key=answer_key(item.id))
        assert not radio.horizontal
        shown = [unescape(option) for option in radio.options]
        assert shown == list(option_labels(instrument, item, "en").values())
        assert scale_range(instrument, item, "en") in captions


def test_skipping_everything_the_review_counts_per_section_and_submit_comes_first(seeded):
    instrument = seeded.instrument
    at = open_survey_page(code=seeded.codes[4], lang="es")
    for _ in range(len(instrument.domains) + 2):
        click(at, "survey_next")
    assert heading(at) == t("survey.review.heading", "es")
    total = sum(len(d.items) for d in instrument.domains)
    assert tn("survey.review.missing", total, "es") in [info.value for info in at.info]
    text = markdown_text(at)
    for domain in instrument.domains:
        assert tn("survey.review.section_missing", len(domain.items), "es") in text
        assert all(item.text["es"] not in text for item in domain.items)
    keys = [button.key for button in at.button]
    goto = [keys.index(f"survey_goto_{d.id}") for d in instrument.domains]
    assert keys.index("survey_submit") < min(goto), "Submit comes before the sections"
    third = instrument.domains[2]
    click(at, f"survey_goto_{third.id}")
    assert heading(at) == third.title["es"]
