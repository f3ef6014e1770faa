"""The report pages and the staff summary under AppTest, on the demo agency.

The demo (`storage.demo`) is loaded once into a template database; every test works on a copy
of it, signs in by storing a real login session and handing its token to the app, and reads
what the pages show. Expected words come from ``ui.i18n``, expected numbers and units from the
database through the same services and the report builder, never typed in here.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from reports.builder import build_report
from reports.frozen import freeze_closed_rounds
from scoring.disclosure import NO_DATA, SHOWN, WITHHELD
from storage.action_service import list_actions
from storage.auth_service import create_login_session, user_for_token
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.instrument_repo import list_instrument_versions
from storage.models import ActionStatus, RoundStatus
from storage.organization_repo import list_units, resolve_organization
from storage.round_service import (
    UnitInvitation,
    create_round,
    list_rounds,
    open_round,
    round_units_in_order,
)
from storage.user_repo import get_user
from ui.i18n import t
from ui.markdown_text import unescape
from ui.navigation import ANYONE, MANAGER, PAGES, REPORT_READERS, specs_for
from ui.report_text import EMPTY_MARK, WITHHELD_MARK, status_text

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCRIPTS = [spec.script for spec in PAGES if spec.section == "report.section"]
TITLES = {spec.script: spec.title for spec in PAGES}
SUMMARY = "results_page.py"
ADMIN_USER, NORTH, SOUTH = "director", "north.manager", "south.manager"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """The demo, its closed rounds' reports frozen once here rather than on each copy's first
    read (`reports.frozen`)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    initialize(f"sqlite:///{path}", demo=True)
    with work(f"sqlite:///{path}", write=True) as session:
        assert freeze_closed_rounds(session) > 0
    return path


@pytest.fixture
def db(demo_template, tmp_path, monkeypatch) -> str:
    """A copy of the demo database of its own, which the app uses."""
    path = tmp_path / "tisa.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    return url


def work(url: str, *, write: bool = False):
    return transaction(shared_factory(url), write=write)


def sign_in(url: str, username: str) -> str:
    with work(url, write=True) as session:
        return create_login_session(session, get_user(session, username))


def open_app(url: str, page: str | None, username: str | None = ADMIN_USER, *,
             lang: str = "en", **query: str) -> AppTest:
    """The app as `username` (None: not signed in), switched to ``ui/<page>``, with `query`
    in the address."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for name, value in query.items():
        at.query_params[name] = value
    if username is not None:
        at.session_state["login_token"] = sign_in(url, username)
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"ui/{page}").run()
        assert not at.exception, at.exception
    return at


def texts(*lists) -> str:
    """What the elements of `lists` say, as a person reads it (Markdown escapes undone)."""
    return "\n".join(unescape(element.value) for elements in lists for element in elements)


def errors(at: AppTest) -> str:
    return texts(at.error)


def selectbox(at: AppTest, label_key: str):
    [found] = [box for box in at.selectbox if box.label == t(label_key, "en")]
    return found


def numbers_shown(at: AppTest) -> int:
    """How many elements that carry results the page drew: metrics, tables, charts."""
    return len(at.metric) + len(at.dataframe) + len(at.table) + len(at.get("image"))


def newest_round_id(url: str) -> int:
    with work(url) as session:
        rounds = list_rounds(session, resolve_organization(session))
        return max(
            (r for r in rounds if r.status == RoundStatus.PUBLISHED.value),
            key=lambda r: r.opens_on,
        ).id


def round_unit_names(url: str, round_id: int, username: str) -> dict[str, str]:
    """Code → name of the round units `username` may read (their scope)."""
    token = sign_in(url, username)
    with work(url) as session:
        user = user_for_token(session, token)
        round_ = next(
            r for r in list_rounds(session, resolve_organization(session)) if r.id == round_id
        )
        return {
            u.code: u.name for u in round_units_in_order(round_)
            if user.role != MANAGER or u.unit_id in user.scope_unit_ids
        }


def scope_report(url: str, round_id: int, code: str | None):
    with work(url) as session:
        round_ = next(
            r for r in list_rounds(session, resolve_organization(session)) if r.id == round_id
        )
        unit = None if code is None else next(u.id for u in round_.units if u.code == code)
        return build_report(session, round_, unit)


# -- who may open what -----------------------------------------------------------------------


def test_the_report_pages_are_registered_for_managers_and_admins():
    assert set(REPORT_SCRIPTS) == {
        "report_overview_page.py", "report_change_page.py", "report_reliability_page.py",
        "report_units_page.py", "report_roles_page.py", "report_items_page.py",
        "report_comments_page.py", "report_actions_page.py", "report_downloads_page.py",
    }
    assert all(spec.roles == REPORT_READERS for spec in PAGES if spec.script in REPORT_SCRIPTS)
    assert [s.script for s in specs_for(None) if s.script in REPORT_SCRIPTS] == []
    [summary] = [spec for spec in PAGES if spec.script == SUMMARY]
    assert summary.roles == frozenset({ANYONE}) and summary.url_path == "results"
    assert not summary.default


@pytest.mark.parametrize("script", REPORT_SCRIPTS)
@pytest.mark.parametrize(("username", "lang"), [(ADMIN_USER, "en"), (NORTH, "en"), (NORTH, "es")])
def test_every_report_page_runs(db, script, username, lang):
    at = open_app(db, script, username, lang=lang)
    assert [title.value for title in at.title] == [t(TITLES[script], lang)]
    assert not at.error, errors(at)
    if script not in ("report_downloads_page.py", "report_comments_page.py"):
        assert numbers_shown(at) > 0, "the demo has results to show on this page"
    assert at.query_params["round"] == str(newest_round_id(db)), "the newest published round"
    assert "unit" not in at.query_params, "the agency as a whole by default"


@pytest.mark.parametrize("script", REPORT_SCRIPTS)
def test_visitors_cannot_open_a_report_page_by_menu_or_directly(db, script):
    at = open_app(db, None, None)
    with pytest.raises(ValueError):
        at.switch_page(f"ui/{script}")
    direct = AppTest.from_file(str(ROOT / "ui" / script), default_timeout=60)
    direct.run()
    assert not direct.exception, direct.exception
    assert [e.value for e in direct.error] == [t("access.signin_needed", "en")]
    assert numbers_shown(direct) == 0


def test_visitors_can_open_the_summary_of_the_newest_published_round(db):
    at = open_app(db, SUMMARY, None)
    assert [title.value for title in at.title] == [t("results.title", "en")]
    assert not at.error, errors(at)
    report = scope_report(db, newest_round_id(db), None)
    page = texts(at.markdown)
    assert t("results.responses", "en", n=report.n_responses,
             organization=report.organization) in page
    for domain_id in (*report.strengths, *report.priorities):
        assert report.domain(domain_id).title["en"] in page
    for unit in report.units[1:]:  # nothing here names a unit
        assert unit.name not in page
    assert at.query_params["round"] == str(report.round_id)


# -- choosing the round and the scope --------------------------------------------------------


def test_a_managers_scope_selector_lists_the_agency_and_their_units_only(db):
    at = open_app(db, "report_overview_page.py", NORTH)
    round_id = newest_round_id(db)
    mine = round_unit_names(db, round_id, NORTH)
    everyone = round_unit_names(db, round_id, ADMIN_USER)
    assert "north-region" in mine and "south-region" not in mine
    scope = selectbox(at, "report.pick.scope")
    assert scope.value == ""  # the agency
    labels = [unescape(option).replace("\u00a0", "").lstrip("└") for option in scope.options]
    assert labels[1:] == list(mine.values())
    assert labels[0] == t("report.scope.agency", "en",
                          name=scope_report(db, round_id, None).organization)
    for code, name in everyone.items():
        if code not in mine:
            assert name not in labels

    admin = open_app(db, "report_overview_page.py", ADMIN_USER)
    assert len(selectbox(admin, "report.pick.scope").options) == len(everyone) + 1


def test_choosing_a_unit_puts_it_in_the_address_and_other_pages_keep_it(db):
    at = open_app(db, "report_overview_page.py", NORTH)
    selectbox(at, "report.pick.scope").set_value("north-ongoing").run()
    assert not at.exception, at.exception
    assert at.query_params["unit"] == "north-ongoing"
    assert selectbox(at, "report.pick.scope").value == "north-ongoing"
    at.switch_page("ui/report_units_page.py").run()
    assert not at.exception, at.exception
    assert selectbox(at, "report.pick.scope").value == "north-ongoing"
    assert at.query_params["unit"] == "north-ongoing"


def test_changing_the_round_keeps_the_unit(db):
    newest = newest_round_id(db)
    at = open_app(db, "report_change_page.py", NORTH, round=str(newest), unit="north-ongoing")
    with work(db) as session:
        baseline = min(list_rounds(session, resolve_organization(session)),
                       key=lambda r: r.opens_on).id
    selectbox(at, "report.pick.round").set_value(baseline).run()
    assert not at.exception, at.exception
    assert (at.query_params["round"], at.query_params["unit"]) == (str(baseline), "north-ongoing")
    assert t("report.change.no_previous", "en") in texts(at.info), "the baseline is the first"


@pytest.mark.parametrize("script", REPORT_SCRIPTS)
def test_a_manager_asking_for_another_regions_unit_by_address_gets_an_error_and_no_numbers(
    db, script
):
    round_id = newest_round_id(db)
    at = open_app(db, script, NORTH, round=str(round_id), unit="south-region")
    assert errors(at) == t("report.error.unit_outside", "en", unit="south-region")
    assert numbers_shown(at) == 0
    shown = texts(at.markdown, at.caption, at.info, at.warning, at.success)
    assert "South Region" not in shown
    assert not at.selectbox, "no selector of that round's units either"


def test_a_round_that_does_not_exist_is_refused(db):
    at = open_app(db, "report_overview_page.py", NORTH, round="9999")
    assert errors(at) == t("report.error.round", "en", value="9999")
    assert numbers_shown(at) == 0


def open_a_new_round(url: str) -> int:
    with work(url, write=True) as session:
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        version = list_instrument_versions(session, "ti-staff", status="published")[-1]
        round_ = create_round(
            session, organization, name="Spring 2027", instrument_version=version,
            invitations=[UnitInvitation(units["north-intake"], 12)],
            opens_on=date(2027, 4, 1),
        )
        open_round(session, round_)
        return round_.id


@pytest.mark.parametrize("username", [ADMIN_USER, NORTH])
def test_an_open_round_is_refused_to_admins_and_managers_alike(db, username):
    round_id = open_a_new_round(db)
    at = open_app(db, "report_overview_page.py", username, round=str(round_id))
    assert errors(at) == t("report.error.round_open", "en", round="Spring 2027")
    assert numbers_shown(at) == 0
    links = [link.label for link in at.get("page_link")]
    assert (t("report.error.rates", "en") in links) == (username == ADMIN_USER), \
        "admins are pointed to the response rates, which they may follow"
    default = open_app(db, "report_overview_page.py", username)
    assert default.query_params["round"] == str(newest_round_id(db)), \
        "the default stays the newest published round"
    labels = selectbox(default, "report.pick.round")
    assert "Spring 2027" not in " ".join(labels.options)


# -- withheld cells ----------------------------------------------------------------------------


def test_the_heat_map_marks_withheld_units_and_shows_no_number_for_them(db):
    round_id = newest_round_id(db)
    report = scope_report(db, round_id, "south-region")
    withheld = [cell.name for cell in report.units if cell.status == WITHHELD]
    assert withheld, "the demo has withheld units in the South Region"
    reasons = {cell.name: cell.reason for cell in report.units}
    at = open_app(db, "report_units_page.py", SOUTH, round=str(round_id), unit="south-region")
    assert not at.error, errors(at)
    [table] = [frame.value for frame in at.dataframe]
    unit_column = t("report.col.unit", "en")
    n_column = t("report.col.n", "en")
    rows = {name.replace("\u00a0", "").lstrip("└"): row for name, row in
            zip(table[unit_column], table.to_dict("records"), strict=True)}
    for name in withheld:
        row = rows[name]
        assert row[n_column] == status_text(WITHHELD, report.min_group_size, reasons[name])
        domain_cells = [value for key, value in row.items() if key not in (unit_column, n_column)]
        assert domain_cells and all(value == WITHHELD_MARK for value in domain_cells)
    for cell in report.units:
        if cell.status == SHOWN:
            assert rows[cell.name][n_column] == str(cell.n)
    assert t("report.units.legend", "en", withheld=WITHHELD_MARK, empty=EMPTY_MARK,
             k=report.min_group_size) in texts(at.markdown)
    assert [image for image in at.get("image")], "the heat map chart is drawn"


def test_withheld_and_empty_cells_read_differently():
    withheld, empty = status_text(WITHHELD, 5, "below_k"), status_text(NO_DATA, 5)
    protecting = status_text(WITHHELD, 5, "protects_smaller")
    assert withheld.startswith(WITHHELD_MARK) and empty.startswith(EMPTY_MARK)
    assert withheld != empty and "5" in withheld
    assert protecting.startswith(WITHHELD_MARK) and "fewer" not in protecting
    assert len({withheld, protecting, empty}) == 3


@pytest.mark.parametrize("script", REPORT_SCRIPTS)
def test_a_withheld_unit_shows_the_withheld_message_and_nothing_numeric(db, script):
    round_id = newest_round_id(db)
    report = scope_report(db, round_id, "south-family-support")
    assert report.scope_status == WITHHELD
    at = open_app(db, script, SOUTH, round=str(round_id), unit="south-family-support")
    assert not at.error, errors(at)
    why = t(f"report.reason.{report.scope_reason}", "en", k=report.min_group_size)
    assert t("report.withheld", "en", why=why, scope="South Family Support") in texts(at.warning)
    # a unit withheld to protect a smaller one is not said to have fewer than k
    sibling = scope_report(db, round_id, "south-intake")
    assert sibling.scope_reason == "protects_smaller"
    sibling_at = open_app(db, script, SOUTH, round=str(round_id), unit="south-intake")
    assert not any("fewer than" in text for text in texts(sibling_at.warning))
    assert len(at.metric) + len(at.get("image")) == 0
    if script != "report_actions_page.py":  # actions are plans, not results
        assert numbers_shown(at) == 0


def test_a_manager_reading_the_agency_sees_only_their_units_in_the_heat_map(db):
    at = open_app(db, "report_units_page.py", NORTH)
    [table] = [frame.value for frame in at.dataframe]
    names = {name.replace("\u00a0", "").lstrip("└") for name in table[t("report.col.unit", "en")]}
    round_id = newest_round_id(db)
    agency = scope_report(db, round_id, None)
    assert names == {agency.organization, *round_unit_names(db, round_id, NORTH).values()}
    reliability = open_app(db, "report_reliability_page.py", SOUTH)
    split = {u for d in agency.domains for u in (*d.split_units, *d.low_agreement_units)}
    assert split, "the demo has a split unit (in the North Region)"
    page = texts(reliability.warning, reliability.markdown, reliability.success)
    tables = " ".join(str(frame.value.to_dict()) for frame in reliability.dataframe)
    assert not [unit for unit in split if unit in page or unit in tables]


# -- the pages' content ------------------------------------------------------------------------


def test_the_overview_shows_the_numbers_of_the_report(db):
    at = open_app(db, "report_overview_page.py", NORTH)
    report = scope_report(db, newest_round_id(db), None)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics[t("report.overview.responses", "en")] == str(report.n_responses)
    assert metrics[t("report.overview.rate", "en")] == f"{round(100 * report.response_rate)}%"
    [table] = [frame.value for frame in at.dataframe]
    assert len(table) == len(report.domains)
    page = texts(at.markdown)
    for domain_id in (*report.strengths, *report.priorities):
        assert report.domain(domain_id).title["en"] in page


def test_change_shows_arrows_with_words_and_how_many_items_compare(db):
    at = open_app(db, "report_change_page.py", NORTH)
    report = scope_report(db, newest_round_id(db), None)
    compared = sum(c.n_items_compared for c in report.change)
    total = sum(c.n_items for c in report.change)
    assert compared < total, "the demo's last round changed some items"
    assert t("report.change.lead", "en", previous=report.previous_round_name,
             n=compared, m=total) in texts(at.markdown)
    change, trend = [frame.value for frame in at.dataframe]
    verdicts = list(change[t("report.col.verdict", "en")])
    assert "▲ " + t("report.verdict.improved", "en") in verdicts
    assert "▼ " + t("report.verdict.declined", "en") in verdicts
    assert len(trend.columns) == 1 + len(report.trend)


def test_reliability_speaks_plainly(db):
    at = open_app(db, "report_reliability_page.py", ADMIN_USER)
    assert t("report.rel.good_list", "en") in texts(at.success)
    report = scope_report(db, newest_round_id(db), None)
    [split] = {u for d in report.domains for u in d.split_units}
    assert f"The answers of staff in **{split}** fall into two separate groups on" \
        in texts(at.warning)
    assert "two camps" not in texts(at.warning) and "disagree strongly" not in texts(at.warning)


def test_item_detail_shows_each_item_with_not_applicable(db):
    at = open_app(db, "report_items_page.py", NORTH)
    report = scope_report(db, newest_round_id(db), None)
    assert selectbox(at, "report.items.pick").value == report.priorities[0]
    [table] = [frame.value for frame in at.dataframe]
    domain = report.domain(report.priorities[0])
    assert list(table[t("report.col.item", "en")]) == [item.item_id for item in domain.items]
    assert t("report.col.na", "en") in table.columns


def test_comments_are_listed_and_the_threshold_explained(db):
    at = open_app(db, "report_comments_page.py", ADMIN_USER)
    report = scope_report(db, newest_round_id(db), None)
    assert t("report.comments.lead", "en", m=report.min_comment_group_size) in texts(at.markdown)
    page = texts(at.markdown)
    for comments in report.comments.values():
        for comment in comments:
            assert comment.replace("\n", "  \n") in page or comment in page


def test_comments_of_a_small_unit_are_not_shown_and_the_page_says_so(db):
    round_id = newest_round_id(db)
    report = scope_report(db, round_id, "north-foster")
    assert report.shown and report.comments_withheld
    at = open_app(db, "report_comments_page.py", NORTH, round=str(round_id),
                  unit="north-foster")
    assert t("report.comments.withheld", "en", m=report.min_comment_group_size) in \
        texts(at.info)


def test_roles_are_agency_wide_and_say_why(db):
    at = open_app(db, "report_roles_page.py", NORTH, round=str(newest_round_id(db)),
                  unit="north-region")
    report = scope_report(db, newest_round_id(db), None)
    assert t("report.roles.why", "en", k=report.min_group_size,
             organization=report.organization) in texts(at.info)
    [table] = [frame.value for frame in at.dataframe]
    withheld = [c for c in report.roles if c.status == WITHHELD]
    assert withheld
    column = list(table[t("report.col.n", "en")])
    for cell in withheld:  # each says why: fewer than k answered, or protecting a smaller group
        assert status_text(WITHHELD, report.min_group_size, cell.reason) in column


# -- the action plan ---------------------------------------------------------------------------


def fill_action(at: AppTest, title: str, *, item: str | None = None) -> AppTest:
    if item is not None:
        at.selectbox(key="report.action.item").set_value(item)
    at.text_input(key="report.action.title").input(title)
    at.text_input(key="report.action.owner").input("Quality lead")
    at.date_input(key="report.action.due").set_value(date(2027, 3, 1))
    at.text_input(key="report.action.indicator").input("WEL domain score")
    at.button(key="report.action.create").click().run()
    assert not at.exception, at.exception
    return at


def stored_actions(url: str, round_id: int):
    with work(url) as session:
        round_ = next(
            r for r in list_rounds(session, resolve_organization(session)) if r.id == round_id
        )
        return [(a.title, a.domain_id, a.item_id, a.unit_id, a.owner, a.due_on, a.status)
                for a in list_actions(session, round_)]


def test_an_admin_plans_an_agency_action_from_a_priority_and_it_appears(db):
    round_id = newest_round_id(db)
    report = scope_report(db, round_id, None)
    at = open_app(db, "report_actions_page.py", ADMIN_USER)
    assert at.selectbox(key="report.action.domain").value == report.priorities[0]
    at = fill_action(at, "Protect time for peer support", item=None)
    assert t("report.action.created", "en", title="Protect time for peer support") in \
        texts(at.success)
    [(title, domain, item, unit, owner, due, status)] = stored_actions(db, round_id)
    assert (title, domain, item, unit) == (
        "Protect time for peer support", report.priorities[0], None, None
    )
    assert (owner, due, status) == ("Quality lead", date(2027, 3, 1), "planned")
    frames = [frame.value for frame in at.dataframe]
    assert any("Protect time for peer support" in list(frame.get(t("report.col.action", "en"),
                                                                  [])) for frame in frames)


def test_a_manager_plans_an_action_for_their_unit_and_changes_its_status(db):
    round_id = newest_round_id(db)
    agency = open_app(db, "report_actions_page.py", NORTH)
    assert t("report.action.agency_admins", "en") in texts(agency.info)
    assert not [b for b in agency.button if b.key == "report.action.create"]

    at = open_app(db, "report_actions_page.py", NORTH, round=str(round_id),
                  unit="north-ongoing")
    domain = at.selectbox(key="report.action.domain").value
    first_item = at.selectbox(key="report.action.item").options[1].split(" · ")[0]
    at = fill_action(at, "Team conversation about the split", item=first_item)
    [(title, stored_domain, item, unit, *_)] = stored_actions(db, round_id)
    assert (title, stored_domain, item) == ("Team conversation about the split", domain,
                                            first_item)
    with work(db) as session:
        units = {u.code: u.id for u in list_units(session, resolve_organization(session))}
    assert unit == units["north-ongoing"]

    at.selectbox(key="report.action.edit_status").set_value(ActionStatus.IN_PROGRESS.value)
    at.button(key="report.action.save").click().run()
    assert not at.exception, at.exception
    assert stored_actions(db, round_id)[0][-1] == ActionStatus.IN_PROGRESS.value

    south = open_app(db, "report_actions_page.py", SOUTH)
    frames = [frame.value for frame in south.dataframe]
    assert not any("Team conversation about the split" in frame.to_string() for frame in frames)


def test_last_rounds_actions_are_shown_beside_their_domains_change(db):
    at = open_app(db, "report_actions_page.py", NORTH)
    report = scope_report(db, newest_round_id(db), None)
    assert report.actions_before
    before = [frame.value for frame in at.dataframe][0]
    assert list(before[t("report.col.action", "en")]) == [a.title for a in report.actions_before]
    changes = list(before[t("report.col.change", "en")])
    for action, shown in zip(report.actions_before, changes, strict=True):
        assert t(f"report.verdict.{action.change.verdict}", "en") in shown


def test_the_summary_lists_the_agencys_planned_actions(db):
    round_id = newest_round_id(db)
    at = open_app(db, "report_actions_page.py", ADMIN_USER)
    fill_action(at, "Monthly listening sessions")
    summary = open_app(db, SUMMARY, None)
    assert "Monthly listening sessions" in texts(summary.markdown)
    assert summary.query_params["round"] == str(round_id)


# -- downloads ---------------------------------------------------------------------------------


def test_downloads_offer_every_format(db):
    at = open_app(db, "report_downloads_page.py", NORTH)
    labels = [button.label for button in at.get("download_button")]
    assert labels == [t(f"report.download.{key}", "en")
                      for key in ("pdf", "html", "xlsx", "csv", "codebook")]


def test_a_managers_exports_of_the_agency_hold_only_their_units(db):
    """The files are drawn from the viewer's report: at the agency level a manager's heat map
    rows (and so every export) leave out the units outside their scope."""
    from reports.html_export import report_html
    from reports.table_export import report_csv
    from ui.report_context import readable_scopes, viewer_report

    round_id = newest_round_id(db)
    token = sign_in(db, NORTH)
    with work(db) as session:
        user = user_for_token(session, token)
        round_ = next(
            r for r in list_rounds(session, resolve_organization(session)) if r.id == round_id
        )
        scopes = readable_scopes(round_, user)
        full = build_report(session, round_, None)
    mine = viewer_report(full, scopes, user)
    others = [c.name for c in full.units if c.name not in {s.name for s in scopes}
              and c.key != full.scope_key]
    assert "South Region" in others
    html = report_html(mine, "en")
    aggregates = report_csv(mine, "en")[0].decode("utf-8-sig")
    for name in others:
        assert name not in html and name not in aggregates
    assert "North Ongoing Services" in html
    assert "South Region" in report_html(full, "en"), "the unrestricted report has them"


def test_the_surveys_thank_you_step_links_to_the_summary(db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["survey_thanks"] = {"min_group_size": 5, "closes_on": None}
    at.run()
    at.switch_page("ui/survey_page.py").run()
    assert not at.exception, at.exception
    links = [link for link in at.get("page_link") if link.label == t("results.link", "en")]
    assert len(links) == 1
    at.switch_page("ui/results_page.py").run()  # and a visitor may open it
    assert [title.value for title in at.title] == [t("results.title", "en")]
