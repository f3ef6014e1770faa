"""A round's results over its life, attacked on SQLite and PostgreSQL.

The attacker is an admin who wants to read an open round's numbers early (so as to compare the
report before and after the last few people answer): every door is tried, the report service,
`tisa report` in every format, `tisa responses export`, every report page and the staff summary,
and each must refuse without a number. Then the round closes: its report is computed once, for
the agency and every unit, and kept. Then it is published, actions are planned, someone tries to
answer late on the web and on paper, and what pages and exports show must stay byte for byte
what was frozen at close (actions aside, which are shown as they stand).

The world is the demo agency (`tisa init --demo`) in the test's own database (`db_url` of
``tests/conftest.py``) with a new round, "Spring 2027", open in two North Region teams and
answered by 14 people on the web and 2 on paper.
"""

from __future__ import annotations

import csv
import io
import threading
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
from reports.builder import AGENCY, ResultsNotReady
from reports.frozen import (
    AlreadyFrozen,
    attach_actions,
    decode_report,
    digest,
    encode_report,
    freeze_round,
    frozen_report,
    results_only,
    schema_problems,
)
from reports.html_export import report_html
from reports.report_cache import cached_report
from reports.round_close import close_round_now
from reports.table_export import report_csv
from storage.action_service import ActionInput, create_action
from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, make_engine, session_factory, transaction
from storage.errors import Conflict, StorageError
from storage.instrument_repo import list_instrument_versions
from storage.models import AuditEvent, Response, Round, RoundReport, RoundStatus
from storage.organization_repo import list_units, resolve_organization
from storage.paper_import import csv_text, import_paper_responses, template_header
from storage.round_service import (
    UnitInvitation,
    create_round,
    get_round_unit,
    issue_codes,
    open_round,
    publish_round,
    response_rates,
)
from storage.survey_service import DraftUpdate, SurveyUnavailable, submit_response
from storage.user_repo import get_user
from ui.i18n import t
from ui.markdown_text import unescape
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCRIPTS = [spec.script for spec in PAGES if spec.section == "report.section"]
ADMIN_USER = "director"
ROUND_NAME = "Spring 2027"
WEB = {"north-intake": 8, "north-ongoing": 6}  # web submissions per unit
PAPER = {"north-ongoing": 2}
INVITED = {"north-intake": 12, "north-ongoing": 10}
SPARE_CODES = 2  # issued and never used while the round is open
OPEN_MESSAGE = (f"error: round {ROUND_NAME!r} is open: results are computed when it closes; "
                "until then only response rates are shown")

runner = CliRunner()


@dataclass(frozen=True)
class Spring:
    url: str
    factory: object  # sessionmaker
    round_id: int
    spare: tuple[str, ...]  # unused codes of north-intake


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


def answers_for(instrument, rng: np.random.Generator) -> dict[str, int | str]:
    out: dict[str, int | str] = {}
    for domain in instrument.domains:
        for item in domain.items:
            points = instrument.scales[item.scale].points
            out[item.id] = int(rng.choice(points[1:]))  # a favorable-leaning team
    return out


@pytest.fixture
def spring(db_url, monkeypatch) -> Spring:
    """The demo agency with "Spring 2027" open and answered (see the module docstring)."""
    initialize(db_url, demo=True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, db_url)
    engine = make_engine(db_url)
    factory = session_factory(engine)
    rng = np.random.default_rng(2027)
    with transaction(factory, write=True) as session:
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        version = list_instrument_versions(session, "ti-staff", status="published")[-1]
        round_ = create_round(
            session, organization, name=ROUND_NAME, instrument_version=version,
            invitations=[UnitInvitation(units[code], n) for code, n in INVITED.items()],
            opens_on=date(2027, 4, 1), closes_on=date(2027, 4, 30),
        )
        open_round(session, round_)
        round_id = round_.id
        codes = {
            code: issue_codes(session, round_, get_round_unit(session, round_, code),
                              n + (SPARE_CODES if code == "north-intake" else 0))
            for code, n in WEB.items()
        }
        instrument = round_.instrument_version.instrument()
    for code, n in WEB.items():
        for typed in codes[code][:n]:
            with transaction(factory, write=True) as session:
                submit_response(session, typed, DraftUpdate(
                    answers=answers_for(instrument, rng), comments={}, role="frontline",
                    language="en", current_page=0, added_seconds=600,
                ))
    with transaction(factory, write=True) as session:
        round_ = session.get(Round, round_id)
        rows = [template_header(round_)]
        for code, n in PAPER.items():
            for _ in range(n):
                answers = answers_for(instrument, rng)
                rows.append([code, "", "en", *(answers[i] for i in instrument.item_ids())])
        import_paper_responses(session, round_, csv_text(rows), source="forms.csv")
    yield Spring(db_url, factory, round_id, tuple(codes["north-intake"][WEB["north-intake"]:]))
    engine.dispose()


def round_of(session, spring: Spring) -> Round:
    return session.get(Round, spring.round_id)


def scopes_of(round_: Round) -> list[int | None]:
    return [None, *(unit.id for unit in round_.units)]


def cli(*args: str):
    return runner.invoke(app, list(args))


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- pages -------------------------------------------------------------------------------------


def open_page(spring: Spring, page: str, username: str | None = ADMIN_USER, **query: str
              ) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    for name, value in query.items():
        at.query_params[name] = value
    if username is not None:
        with transaction(spring.factory, write=True) as session:
            at.session_state["login_token"] = create_login_session(
                session, get_user(session, username))
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"ui/{page}").run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    return "\n".join(unescape(e.value) for kind in (
        at.markdown, at.caption, at.info, at.warning, at.success, at.error
    ) for e in kind)


def numbers_shown(at: AppTest) -> int:
    return len(at.metric) + len(at.dataframe) + len(at.table) + len(at.get("image"))


def page_snapshot(at: AppTest) -> tuple:
    """Everything a page shows that carries results: metrics, tables, words."""
    return (
        tuple((m.label, m.value) for m in at.metric),
        tuple(frame.value.to_csv() for frame in at.dataframe),
        shown_text(at),
    )


# -- the attack while the round is open ---------------------------------------------------------


def test_an_admin_cannot_read_an_open_rounds_numbers_through_the_services(spring):
    with transaction(spring.factory) as session:
        round_ = round_of(session, spring)
        assert round_.status == RoundStatus.OPEN.value
        for scope in scopes_of(round_):
            for read in (frozen_report, cached_report):
                with pytest.raises(ResultsNotReady) as refused:
                    read(session, round_, scope)
                assert f"error: {refused.value}" == OPEN_MESSAGE
        with pytest.raises(ResultsNotReady):
            freeze_round(session, round_)
        rates = {rate.code: rate for rate in response_rates(session, round_)}
    # what admins may follow: response rates, and only those
    assert rates["north-intake"].responses == WEB["north-intake"]
    assert rates["north-ongoing"].responses == WEB["north-ongoing"] + PAPER["north-ongoing"]
    with transaction(spring.factory) as session:
        stored = session.scalar(sa.select(sa.func.count()).select_from(RoundReport).where(
            RoundReport.round_id == spring.round_id))
    assert stored == 0, "nothing of the open round was computed"


@pytest.mark.parametrize("output", ["pdf", "html", "xlsx", "csv"])
def test_tisa_report_refuses_an_open_round_in_every_format(spring, tmp_path, output):
    for unit in (None, "north-intake"):
        out = tmp_path / f"report-{unit}.{output}"
        args = ["report", str(spring.round_id), "--format", output, "--out", str(out)]
        if unit is not None:
            args += ["--unit", unit]
        assert one_error_line(cli(*args)) == OPEN_MESSAGE
        assert not out.exists()
        assert not (tmp_path / f"report-{unit}.codebook.csv").exists()


def test_tisa_responses_export_refuses_an_open_round(spring, tmp_path):
    out = tmp_path / "rows.csv"
    assert one_error_line(cli("responses", "export", str(spring.round_id),
                              "--out", str(out))) == OPEN_MESSAGE
    assert not out.exists() and not (tmp_path / "rows.codebook.csv").exists()
    with transaction(spring.factory) as session:
        exports = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "responses.export"))
    assert exports == 0


def test_every_report_page_refuses_an_open_round_to_an_admin(spring):
    expected = t("report.error.round_open", "en", round=ROUND_NAME)
    for script in REPORT_SCRIPTS:
        for unit in (None, "north-intake"):
            query = {"round": str(spring.round_id)} | ({"unit": unit} if unit else {})
            at = open_page(spring, script, **query)
            assert [unescape(e.value) for e in at.error] == [expected], script
            assert numbers_shown(at) == 0, script
            assert not at.get("download_button"), script
    default = open_page(spring, "report_overview_page.py")
    assert default.query_params["round"] != str(spring.round_id)
    [rounds] = [box for box in default.selectbox if box.label == t("report.pick.round", "en")]
    assert ROUND_NAME not in " ".join(rounds.options), "the open round is not offered"


def test_the_staff_summary_never_shows_an_open_round(spring):
    at = open_page(spring, "results_page.py", None, round=str(spring.round_id))
    assert ROUND_NAME not in shown_text(at)
    assert at.query_params["round"] != str(spring.round_id)


def test_a_draft_round_has_no_results_either(spring, tmp_path):
    with transaction(spring.factory, write=True) as session:
        organization = resolve_organization(session)
        units = {unit.code: unit for unit in list_units(session, organization)}
        version = list_instrument_versions(session, "ti-staff", status="published")[-1]
        draft = create_round(session, organization, name="Autumn 2027",
                             instrument_version=version,
                             invitations=[UnitInvitation(units["south-intake"], 9)])
        draft_id = draft.id
    with transaction(spring.factory) as session:
        with pytest.raises(ResultsNotReady, match="has not opened yet"):
            frozen_report(session, session.get(Round, draft_id))
    result = cli("report", str(draft_id), "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert "has not opened yet" in one_error_line(result)


# -- close, publish, and the report never changes ----------------------------------------------


def stored_reports(spring: Spring) -> dict[int, tuple[str, str]]:
    with transaction(spring.factory) as session:
        rows = session.execute(
            sa.select(RoundReport.scope_key, RoundReport.report, RoundReport.sha256)
            .where(RoundReport.round_id == spring.round_id)
        ).all()
    return {key: (text, sha) for key, text, sha in rows}


def close(spring: Spring) -> None:
    with transaction(spring.factory) as session:
        organization = resolve_organization(session)
    closed = close_round_now(spring.factory, organization, spring.round_id)
    assert closed.status == RoundStatus.CLOSED.value


def test_closing_freezes_the_report_of_the_agency_and_of_every_unit_once(spring):
    close(spring)
    stored = stored_reports(spring)
    with transaction(spring.factory) as session:
        round_ = round_of(session, spring)
        assert set(stored) == {AGENCY, *(unit.id for unit in round_.units)}
        for key, (text, sha) in stored.items():
            assert digest(text) == sha
            report = decode_report(text)
            assert report.scope_key == key and report.round_id == spring.round_id
            assert report.actions_before == () and report.actions_now == ()
        agency = decode_report(stored[AGENCY][0])
        assert agency.shown
        assert agency.n_responses == sum(WEB.values()) + sum(PAPER.values())
        with pytest.raises(AlreadyFrozen):
            freeze_round(session, round_)
    with transaction(spring.factory) as session:
        organization = resolve_organization(session)
    with pytest.raises(Conflict):
        close_round_now(spring.factory, organization, spring.round_id)
    assert stored_reports(spring) == stored, "a second close changes nothing"


@pytest.mark.parametrize("door", ["rounds page", "tisa round close"])
def test_closing_from_the_rounds_page_or_the_command_line_freezes_the_report(spring, door):
    if door == "rounds page":
        at = open_page(spring, "rounds_page.py")
        at.selectbox(key="rounds.selected").set_value(spring.round_id).run()
        at.button(key="rounds.close").click().run()
        at.button(key="rounds.close.yes").click().run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
    else:
        result = cli("round", "close", str(spring.round_id))
        assert result.exit_code == 0, result.output
        assert "is now closed" in result.stdout
    with transaction(spring.factory) as session:
        round_ = round_of(session, spring)
        assert round_.status == RoundStatus.CLOSED.value
        expected = {AGENCY, *(unit.id for unit in round_.units)}
    assert set(stored_reports(spring)) == expected


def cli_files(spring: Spring, folder: Path, name: str, output: str, *extra: str
              ) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{name}.{output}"
    result = cli("report", str(spring.round_id), "--format", output, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return {path.name: path.read_bytes() for path in folder.iterdir()
            if path.name.startswith(name)}


def export_rows(spring: Spring, folder: Path) -> list[tuple[str, ...]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "rows.csv"
    result = cli("responses", "export", str(spring.round_id), "--out", str(out))
    assert result.exit_code == 0, result.output
    return sorted(tuple(row) for row in csv.reader(io.StringIO(
        out.read_text(encoding="utf-8-sig"))))


def late_answers(spring: Spring) -> None:
    """Someone answers after the close, on the web with an unused code and on paper: both are
    refused."""
    with transaction(spring.factory) as session:
        instrument = round_of(session, spring).instrument_version.instrument()
    answers = answers_for(instrument, np.random.default_rng(1))
    with pytest.raises(SurveyUnavailable), transaction(spring.factory, write=True) as session:
        submit_response(session, spring.spare[0], DraftUpdate(
            answers=answers, comments={}, role=None, language="en", current_page=0,
        ))
    with pytest.raises(StorageError), transaction(spring.factory, write=True) as session:
        round_ = round_of(session, spring)
        rows = [template_header(round_),
                ["north-intake", "", "en", *(answers[i] for i in instrument.item_ids())]]
        import_paper_responses(session, round_, csv_text(rows), source="late.csv")


def test_the_published_report_is_the_one_frozen_at_close_byte_for_byte(spring, tmp_path):
    close(spring)
    at_close = stored_reports(spring)
    csv_at_close = cli_files(spring, tmp_path / "close", "agency", "csv")
    unit_csv_at_close = cli_files(spring, tmp_path / "close", "intake", "csv",
                                  "--unit", "north-intake")
    rows_at_close = export_rows(spring, tmp_path / "close-rows")
    pages_at_close = {
        script: page_snapshot(open_page(spring, script, round=str(spring.round_id)))
        for script in ("report_overview_page.py", "report_units_page.py",
                       "report_items_page.py", "report_reliability_page.py")
    }
    with transaction(spring.factory) as session:
        responses_at_close = session.scalar(sa.select(sa.func.count()).select_from(Response)
                                            .where(Response.round_id == spring.round_id))

    with transaction(spring.factory, write=True) as session:
        publish_round(session, round_of(session, spring))
    with transaction(spring.factory, write=True) as session:
        round_ = round_of(session, spring)
        domain = decode_report(at_close[AGENCY][0]).priorities[0]
        create_action(session, round_, ActionInput(domain_id=domain,
                                                   title="Weekly debrief after hard visits"))
    late_answers(spring)

    assert stored_reports(spring) == at_close, "the stored reports are untouched"
    with transaction(spring.factory) as session:
        round_ = round_of(session, spring)
        assert session.scalar(sa.select(sa.func.count()).select_from(Response).where(
            Response.round_id == spring.round_id)) == responses_at_close
        for scope in scopes_of(round_):
            key = AGENCY if scope is None else scope
            for read in (frozen_report, cached_report):
                report = read(session, round_, scope)
                assert encode_report(results_only(report)) == at_close[key][0]
                assert [a.title for a in report.actions_now] == [
                    "Weekly debrief after hard visits"], "actions are shown as they stand"
        agency = frozen_report(session, round_)
        expected_html = report_html(attach_actions(session, round_,
                                                   decode_report(at_close[AGENCY][0])), "en")
    assert cli_files(spring, tmp_path / "after", "agency", "csv") == csv_at_close
    assert cli_files(spring, tmp_path / "after", "intake", "csv",
                     "--unit", "north-intake") == unit_csv_at_close
    html = cli_files(spring, tmp_path / "after", "agency", "html")["agency.html"]
    assert html == expected_html.encode("utf-8") == report_html(agency, "en").encode("utf-8")
    assert "Weekly debrief after hard visits" in html.decode("utf-8")
    assert report_csv(agency, "en")[0] == csv_at_close["agency.csv"]
    assert export_rows(spring, tmp_path / "after-rows") == rows_at_close
    for script, snapshot in pages_at_close.items():
        assert page_snapshot(open_page(spring, script, round=str(spring.round_id))) == \
            snapshot, script
    actions = open_page(spring, "report_actions_page.py", round=str(spring.round_id))
    assert "Weekly debrief after hard visits" in "".join(
        frame.value.to_csv() for frame in actions.dataframe)
    summary = open_page(spring, "results_page.py", None, round=str(spring.round_id))
    assert t("results.responses", "en", n=agency.n_responses,
             organization=agency.organization) in shown_text(summary)
    assert "Weekly debrief after hard visits" in shown_text(summary)


def test_responses_changed_under_a_published_round_do_not_move_its_report(spring, tmp_path):
    """Computed once: should a closed round's responses ever change (a restore gone wrong, a
    hand-made UPDATE), the report that was published does not follow them."""
    close(spring)
    at_close = stored_reports(spring)
    csv_at_close = cli_files(spring, tmp_path / "close", "agency", "csv")
    with transaction(spring.factory, write=True) as session:
        publish_round(session, round_of(session, spring))
    with transaction(spring.factory, write=True) as session:
        session.execute(sa.delete(Response).where(Response.round_id == spring.round_id))
    assert cli_files(spring, tmp_path / "after", "agency", "csv") == csv_at_close
    with transaction(spring.factory) as session:
        report = frozen_report(session, round_of(session, spring))
    assert encode_report(results_only(report)) == at_close[AGENCY][0]
    assert report.n_responses == sum(WEB.values()) + sum(PAPER.values())


def test_a_report_tampered_with_after_close_is_refused_not_shown(spring, tmp_path):
    close(spring)
    with transaction(spring.factory, write=True) as session:
        session.execute(
            sa.update(RoundReport)
            .where(RoundReport.round_id == spring.round_id, RoundReport.scope_key == AGENCY)
            .values(report=RoundReport.report + " ")
        )
    result = cli("report", str(spring.round_id), "--format", "csv",
                 "--out", str(tmp_path / "x.csv"))
    assert "does not match" in one_error_line(result)
    assert not (tmp_path / "x.csv").exists()


def test_a_round_closed_before_reports_were_frozen_is_frozen_on_first_read(spring):
    """The demo's rounds were closed without `close_round_now`: the first read freezes them,
    every scope at once, and later reads find the same report."""
    with transaction(spring.factory) as session:
        first = min(session.scalars(sa.select(Round).where(
            Round.status == RoundStatus.PUBLISHED.value)), key=lambda r: r.opens_on)
        assert not session.scalar(sa.select(sa.func.count()).select_from(RoundReport).where(
            RoundReport.round_id == first.id))
        report = frozen_report(session, first)
        again = frozen_report(session, first)
        units = len(first.units)
    assert encode_report(report) == encode_report(again)
    with transaction(spring.factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RoundReport).where(
            RoundReport.round_id == first.id)) == units + 1


def test_two_first_readers_at_once_get_the_one_report_that_was_stored(spring):
    """Two processes read an unfrozen round at the same moment: both compute it, one stores
    it (the unique key on round and scope), and both show what was stored."""
    with transaction(spring.factory) as session:
        first = min(session.scalars(sa.select(Round).where(
            Round.status == RoundStatus.PUBLISHED.value)), key=lambda r: r.opens_on).id
    start = threading.Barrier(2)
    shown: list[str] = []
    failures: list[BaseException] = []

    def read() -> None:
        engine = make_engine(spring.url)
        try:
            with transaction(session_factory(engine)) as session:
                round_ = session.get(Round, first)
                start.wait(timeout=30)
                shown.append(encode_report(results_only(frozen_report(session, round_))))
        except BaseException as exc:  # handed to the test below
            failures.append(exc)
        finally:
            engine.dispose()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=300)
    assert not failures, failures
    with transaction(spring.factory) as session:
        stored = session.execute(sa.select(RoundReport.report).where(
            RoundReport.round_id == first, RoundReport.scope_key == AGENCY)).scalars().all()
    assert len(stored) == 1
    assert shown == [stored[0], stored[0]]


def test_every_field_of_the_report_can_be_frozen_and_read_back():
    assert schema_problems() == []
