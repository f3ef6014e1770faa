"""The action plan page and the staff summary's actions under AppTest, on a copy of the demo.

What is attacked: an action is changed in every field and deleted from the page by those who
may plan for its scope, and only by them; a title left empty is a message, not a change; the
agency scope says who plans; a suggested action from the bundled library fills the form in
one click, in the page's language; and a unit's actions reach that unit's staff on /results
exactly when the unit's results are shown there.
"""

from __future__ import annotations

from datetime import date

import pytest
import test_report_pages as report_pages
from test_report_pages import (
    ADMIN_USER,
    NORTH,
    SOUTH,
    SUMMARY,
    newest_round_id,
    open_app,
    stored_actions,
    texts,
    work,
)

from instruments.suggestions import suggestions_for
from storage.action_service import ActionInput, create_action
from storage.organization_repo import list_units, resolve_organization
from storage.round_service import list_rounds
from ui.i18n import t

# the demo database copied for each test, in the repository's root (fixtures of the report pages)
_in_repo_root = report_pages._in_repo_root
demo_template = report_pages.demo_template
db = report_pages.db

PAGE = "report_actions_page.py"
NORTH_UNIT = "north-ongoing"  # shown in the demo's rounds
WITHHELD_UNIT = "south-family-support"  # fewer than k answered: withheld


def unit_ids(url: str) -> dict[str, int]:
    with work(url) as session:
        return {u.code: u.id for u in list_units(session, resolve_organization(session))}


def plan(url: str, title: str, unit: str | None, domain: str = "WEL", **fields) -> None:
    """An action stored as the command line would store it."""
    round_id = newest_round_id(url)
    unit_id = unit_ids(url)[unit] if unit is not None else None
    with work(url, write=True) as session:
        round_ = next(r for r in list_rounds(session, resolve_organization(session))
                      if r.id == round_id)
        create_action(session, round_, ActionInput(domain_id=domain, title=title,
                                                   unit_id=unit_id, **fields))


def open_unit(url: str, username: str, unit: str = NORTH_UNIT, **kwargs):
    return open_app(url, PAGE, username, round=str(newest_round_id(url)), unit=unit, **kwargs)


def edit_options(at) -> list[str]:
    boxes = [box for box in at.selectbox if box.key == "report.action.edit_pick"]
    return [] if not boxes else list(boxes[0].options)


# -- changing and deleting ---------------------------------------------------------------------


def test_a_manager_changes_every_field_of_their_units_action(db):
    plan(db, "Reflective supervision", NORTH_UNIT, owner="Supervisor", indicator="WEL score")
    at = open_unit(db, NORTH)
    assert edit_options(at) == ["Reflective supervision"]
    at.selectbox(key="report.action.edit_about").set_value("SAF-01")
    at.text_input(key="report.action.edit_title").input("Debrief after critical incidents")
    at.text_area(key="report.action.edit_description").input("Within a day.\nBy a peer.")
    at.text_input(key="report.action.edit_owner").input("")
    at.date_input(key="report.action.edit_due").set_value(date(2027, 5, 31))
    at.text_input(key="report.action.edit_indicator").input("Debriefs held")
    at.selectbox(key="report.action.edit_status").set_value("done")
    at.button(key="report.action.save").click().run()
    assert not at.exception, at.exception
    assert t("report.action.saved", "en", title="Debrief after critical incidents") in \
        texts(at.success)
    [(title, domain, item, unit, owner, due, status)] = stored_actions(db, newest_round_id(db))
    assert (title, domain, item, unit, owner, due, status) == (
        "Debrief after critical incidents", "SAF", "SAF-01", unit_ids(db)[NORTH_UNIT], "",
        date(2027, 5, 31), "done")
    # the form shows the action as stored now
    assert at.text_input(key="report.action.edit_title").value == \
        "Debrief after critical incidents"
    assert at.text_area(key="report.action.edit_description").value == \
        "Within a day.\nBy a peer."


def test_an_empty_title_is_a_message_and_nothing_changes(db):
    plan(db, "Reflective supervision", NORTH_UNIT)
    at = open_unit(db, NORTH)
    at.text_input(key="report.action.edit_title").input("   ")
    at.button(key="report.action.save").click().run()
    assert t("report.action.title_needed", "en") in texts(at.error)
    assert [row[0] for row in stored_actions(db, newest_round_id(db))] == \
        ["Reflective supervision"]


def test_deleting_an_action_asks_first_and_then_deletes_it(db):
    plan(db, "Reflective supervision", NORTH_UNIT)
    plan(db, "Peer support", NORTH_UNIT)
    at = open_unit(db, NORTH)
    at.selectbox(key="report.action.edit_pick").set_value(edit_options(at)[1]).run()
    at.button(key="report.action.delete").click().run()
    assert len(stored_actions(db, newest_round_id(db))) == 2, "not before it is confirmed"
    assert t("report.action.delete_confirm", "en", title="Peer support") in texts(at.warning)
    at.button(key="report.action.delete_keep").click().run()
    assert not at.warning and len(stored_actions(db, newest_round_id(db))) == 2
    at.button(key="report.action.delete").click().run()
    at.button(key="report.action.delete_yes").click().run()
    assert not at.exception, at.exception
    assert [row[0] for row in stored_actions(db, newest_round_id(db))] == \
        ["Reflective supervision"]
    assert t("report.action.deleted", "en", title="Peer support") in texts(at.success)


def test_only_those_who_may_plan_for_a_scope_get_to_change_its_actions(db):
    plan(db, "Agency-wide listening sessions", None)
    plan(db, "South huddles", "south-ongoing")
    plan(db, "North huddles", NORTH_UNIT)
    agency = open_app(db, PAGE, NORTH)
    shown = " ".join(frame.value.to_string() for frame in agency.dataframe)
    assert "Agency-wide listening sessions" in shown and "South huddles" not in shown
    assert edit_options(agency) == ["North huddles"]
    assert edit_options(open_app(db, PAGE, SOUTH)) == ["South huddles"]
    assert sorted(edit_options(open_app(db, PAGE, ADMIN_USER))) == [
        "Agency-wide listening sessions", "North huddles", "South huddles"]


@pytest.mark.parametrize("username", [ADMIN_USER, NORTH])
def test_the_agency_scope_says_who_plans(db, username):
    at = open_app(db, PAGE, username, lang="es")
    assert t("report.action.who_plans", "es") in texts(at.caption, at.info)


# -- suggested actions -------------------------------------------------------------------------


def test_the_suggestions_of_the_first_priority_are_offered_in_the_pages_language(db):
    at = open_unit(db, NORTH, lang="es")
    domain = at.selectbox(key="report.action.domain").value
    shown = texts(at.markdown, at.caption)
    for suggestion in suggestions_for(domain):
        assert suggestion.title["es"] in shown and suggestion.description["es"] in shown
        assert suggestion.title["en"] not in shown
        assert f"report.action.suggest.{suggestion.id}" in [b.key for b in at.button]
    assert t("report.action.sources", "es") in shown


def test_a_suggestion_fills_the_form_in_one_click(db):
    lang = "en"
    at = open_unit(db, NORTH, lang=lang)
    at.selectbox(key="report.action.domain").set_value("WEL").run()
    first, *_ = suggestions_for("WEL")
    shown = texts(at.markdown, at.caption)
    for suggestion in suggestions_for("WEL"):
        assert suggestion.title[lang] in shown
    assert "National Child Traumatic Stress Network" in shown  # each names its source
    at.button(key=f"report.action.suggest.{first.id}").click().run()
    assert not at.exception, at.exception
    assert at.text_input(key="report.action.title").value == first.title[lang]
    assert at.text_area(key="report.action.description").value == first.description[lang]
    assert at.text_input(key="report.action.indicator").value == first.indicator[lang]
    at.button(key="report.action.create").click().run()
    [(title, domain, *_)] = stored_actions(db, newest_round_id(db))
    assert (title, domain) == (first.title[lang], "WEL")


# -- what staff see on /results ----------------------------------------------------------------


def test_staff_see_their_units_actions_where_the_units_results_are_shown(db):
    plan(db, "North huddles", NORTH_UNIT, due_on=date(2027, 2, 1))
    plan(db, "Agency-wide listening sessions", None)
    at = open_app(db, SUMMARY, None, unit=NORTH_UNIT)
    shown = texts(at.markdown)
    assert "North huddles" in shown and "Agency-wide listening sessions" in shown
    assert at.selectbox(key="results.unit").value == NORTH_UNIT
    agency = open_app(db, SUMMARY, None)
    assert "North huddles" not in texts(agency.markdown)
    assert "Agency-wide listening sessions" in texts(agency.markdown)


def test_no_action_of_a_withheld_unit_is_shown(db):
    plan(db, "Family support team retreat", WITHHELD_UNIT)
    at = open_app(db, SUMMARY, None, unit=WITHHELD_UNIT)
    assert not at.exception, at.exception
    assert "Family support team retreat" not in texts(at.markdown, at.info, at.caption)
    assert t("results.unit_withheld", "en", k=5) in texts(at.info)
    at = open_app(db, SUMMARY, None)
    at.selectbox(key="results.unit").set_value(WITHHELD_UNIT).run()
    assert "Family support team retreat" not in texts(at.markdown, at.info, at.caption)
