"""The `tisa` command: the same services as the web app, for analysts, IT and scripts.

Bad input prints one clear line per problem on stderr and exits with status 2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from sqlalchemy.pool import NullPool

from instruments import Instrument, InstrumentError, content_hash, load_instrument
from instruments.diff import diff_instruments
from instruments.registry import UnknownInstrument, library, resolve
from instruments.text import shorten

DEFAULT_ROUND_DAYS = 21  # storage.round_service.DEFAULT_ROUND_DAYS, said in --help

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.models import Round, User

REPO_ROOT = Path(__file__).resolve().parent
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="tisa",
    help="Trauma-Informed Self-Assessment: instruments, rounds, analysis and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
instruments_app = typer.Typer(
    help="List, show, validate and compare instruments.", no_args_is_help=True
)
app.add_typer(instruments_app, name="instruments")


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="text for people, json for scripts")
]


def fail(*lines: str) -> NoReturn:
    """Print each problem on its own line on stderr and exit with status 2. A line that quotes
    what was typed is shortened (`instruments.text.shorten`)."""
    for line in lines:
        typer.echo(shorten(line), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def load_ref_or_path(ref: str) -> Instrument:
    """An instrument named as ``ID[@VERSION]`` from the library, or a path to a YAML file."""
    try:
        if ref.endswith((".yaml", ".yml")) or os.sep in ref:
            return load_instrument(ref)
        return resolve(ref)
    except InstrumentError as exc:
        fail(*(str(p) for p in exc.problems))
    except UnknownInstrument as exc:
        fail(str(exc))


# -- database ---------------------------------------------------------------------------------

ADMIN_PASSWORD_VARIABLE = "TISA_ADMIN_PASSWORD"


def storage_failure(exc: Exception) -> NoReturn:
    """Turn a refusal from storage (bad input, a conflict, an unreachable database) into exit 2;
    a refusal that lists several problems prints one line each."""
    problems = getattr(exc, "problems", None)
    if problems:
        fail(*problems)
    fail(*(f"error: {line}" for line in str(exc).splitlines()))


def ask_password(username: str) -> str | None:
    """The password for a new user: from TISA_ADMIN_PASSWORD, else asked on a terminal."""
    from_env = os.environ.get(ADMIN_PASSWORD_VARIABLE)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        return None
    return typer.prompt(f"password for {username}", hide_input=True, confirmation_prompt=True)


@app.command()
def init(
    admin_user: Annotated[
        str | None, typer.Option("--admin-user", help="also add this admin (the first user)")
    ] = None,
    admin_password: Annotated[
        str | None,
        typer.Option(
            "--admin-password",
            help=f"the admin's password (else {ADMIN_PASSWORD_VARIABLE}, else asked on a terminal)",
        ),
    ] = None,
    organization: Annotated[
        str | None, typer.Option(help="name of the organization, when none exists yet")
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="load the demo agency into an empty database")
    ] = False,
) -> None:
    """Create or upgrade the database and store the bundled instrument library."""
    from storage.bootstrap import has_admin, initialize
    from storage.errors import StorageError

    password = admin_password
    if admin_user is not None and password is None:
        password = ask_password(admin_user)
        if password is None:
            typer.echo(
                f"no password for {admin_user!r} (no terminal and {ADMIN_PASSWORD_VARIABLE} "
                "unset): migrating only. Add the admin later with "
                f"`{ADMIN_PASSWORD_VARIABLE}=... tisa init --admin-user {admin_user}`",
                err=True,
            )
            admin_user = None
    try:
        report = initialize(
            admin_user=admin_user,
            admin_password=password,
            organization_name=organization,
            demo=demo,
        )
    except InstrumentError as exc:
        fail(*(str(p) for p in exc.problems))
    except StorageError as exc:
        storage_failure(exc)
    for line in report.lines():
        typer.echo(line)
    if demo:  # the demo's rounds were closed in storage: compute and keep their results now
        from reports.frozen import freeze_closed_rounds

        with unit_of_work() as session:
            frozen = freeze_closed_rounds(session)
        if frozen:
            typer.echo(f"results of {frozen} closed round(s) computed and kept")
    if report.admin is None and not has_admin():
        typer.echo(
            "no admin yet: add one with `tisa init --admin-user NAME` "
            f"(the password from --admin-password, {ADMIN_PASSWORD_VARIABLE} or a prompt)"
        )


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="port to listen on")] = 8501,
    address: Annotated[str, typer.Option(help="address to bind")] = "localhost",
) -> None:
    """Start the web app (http://localhost:8501 by default), with its sign-in routes."""
    streamlit = Path(sys.executable).with_name("streamlit")
    args = [
        str(streamlit), "run", str(REPO_ROOT / "asgi.py"),
        "--server.port", str(port), "--server.address", address,
    ]
    os.chdir(REPO_ROOT)
    # Uvicorn believes X-Forwarded-For/-Proto from FORWARDED_ALLOW_IPS (by default 127.0.0.1,
    # so any local program could pose as any client): only from the proxies tisa is told of.
    os.environ.setdefault("FORWARDED_ALLOW_IPS", os.environ.get("TISA_TRUSTED_PROXIES", ""))
    os.execv(args[0], args)


# -- organization, rounds, codes and paper responses ------------------------------------------

OrgOption = Annotated[
    str | None, typer.Option("--org", help="organization slug (needed only when there are several)")
]


@contextmanager
def unit_of_work(*, write: bool = True) -> Iterator[Session]:
    """One transaction on the configured database; storage refusals exit 2 with their message."""
    from storage.engine import make_engine, session_factory, transaction
    from storage.errors import StorageError

    engine = make_engine(poolclass=NullPool)
    try:
        with transaction(session_factory(engine), write=write) as session:
            yield session
    except StorageError as exc:
        storage_failure(exc)
    finally:
        engine.dispose()


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date; write it as YYYY-MM-DD")


def round_data(round_: Round) -> dict[str, object]:
    version = round_.instrument_version
    return {
        "id": round_.id,
        "name": round_.name,
        "status": round_.status,
        "instrument": version.instrument_id,
        "version": version.version,
        "languages": list(round_.languages),
        "opens_on": round_.opens_on.isoformat() if round_.opens_on else None,
        "closes_on": round_.closes_on.isoformat() if round_.closes_on else None,
        "created_at": round_.created_at.isoformat(),
        "opened_at": round_.opened_at.isoformat() if round_.opened_at else None,
        "closed_at": round_.closed_at.isoformat() if round_.closed_at else None,
        "published_at": round_.published_at.isoformat() if round_.published_at else None,
        "min_group_size": round_.min_group_size,
        "min_comment_group_size": round_.min_comment_group_size,
        "units": [
            {"code": unit.code, "name": unit.name, "invited": unit.invited}
            for unit in round_.units
        ],
    }


units_app = typer.Typer(help="The organization's units (a tree).", no_args_is_help=True)
app.add_typer(units_app, name="units")


@units_app.command("add")
def units_add(
    name: Annotated[str, typer.Argument(help="the unit's name")],
    code: Annotated[
        str | None, typer.Option(help="short code (default: made from the name)")
    ] = None,
    parent: Annotated[str | None, typer.Option(help="code of the unit above it")] = None,
    org: OrgOption = None,
) -> None:
    """Add a unit."""
    from storage.organization_repo import add_unit, get_unit, resolve_organization

    with unit_of_work() as session:
        organization = resolve_organization(session, org)
        above = get_unit(session, organization, parent) if parent else None
        unit = add_unit(session, organization, name, code=code, parent=above)
        typer.echo(f"added unit {unit.code} ({unit.name})")


@units_app.command("import")
def units_import(
    path: Annotated[Path, typer.Argument(help="CSV with columns name, code, parent")],
    org: OrgOption = None,
) -> None:
    """Add units from a CSV file, all or nothing."""
    from storage.organization_repo import import_units, resolve_organization

    text = read_units_file(path)
    with unit_of_work() as session:
        added = import_units(session, resolve_organization(session, org), text, source=str(path))
        typer.echo(f"added {len(added)} units")


@units_app.command("list")
def units_list(org: OrgOption = None, output: FormatOption = OutputFormat.TEXT) -> None:
    """The unit tree."""
    from storage.organization_repo import resolve_organization, unit_tree

    with unit_of_work(write=False) as session:
        tree = unit_tree(session, resolve_organization(session, org))
    rows = [
        {"code": node.code, "name": node.name, "depth": depth, "active": node.active}
        for root in tree
        for depth, node in root.walk()
    ]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"{'  ' * row['depth']}{row['code']:<24} {row['name']}")


round_app = typer.Typer(help="Assessment rounds: create, dates, open, close, publish, list.",
                        no_args_is_help=True)
app.add_typer(round_app, name="round")


@round_app.command("create")
def round_create(
    name: Annotated[str, typer.Argument(help="the round's name, e.g. 'Spring 2027'")],
    instrument: Annotated[str, typer.Option(help="published version, ID@VERSION")],
    unit: Annotated[
        list[str], typer.Option("--unit", help="UNITCODE=INVITED, once per unit in the round")
    ],
    languages: Annotated[str, typer.Option(help="comma-separated, e.g. en,es")] = "en,es",
    opens: Annotated[
        str | None, typer.Option(help="opening date YYYY-MM-DD (default: today)")
    ] = None,
    closes: Annotated[
        str | None,
        typer.Option(help=f"closing date YYYY-MM-DD, on or after the opening date (default: "
                          f"{DEFAULT_ROUND_DAYS} days after the opening date)"),
    ] = None,
    min_group: Annotated[int, typer.Option(help="minimum group size k, 3 to 10")] = 5,
    min_comment_group: Annotated[int, typer.Option(help="minimum group for comments")] = 10,
    org: OrgOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Create a round in draft from a published instrument version.

    Every round has an opening and a closing date: left out, it opens today and closes
    three weeks later. Change them with `tisa round dates` until the round closes.
    """
    from storage.instrument_repo import get_instrument_version
    from storage.organization_repo import get_unit, resolve_organization
    from storage.round_service import UnitInvitation, create_round

    instrument_id, _, version = instrument.partition("@")
    if not version:
        fail(f"--instrument: {instrument!r} must name a version, e.g. ti-staff@1.1.0")
    invitations_raw: list[tuple[str, int]] = []
    for spec in unit:
        code, sep, count = spec.partition("=")
        if not sep or not count.strip().isdigit():
            fail(f"--unit: {spec!r} must be UNITCODE=INVITED, e.g. north-intake=12")
        invitations_raw.append((code.strip(), int(count)))
    opens_on, closes_on = parse_date(opens, "--opens"), parse_date(closes, "--closes")
    with unit_of_work() as session:
        organization = resolve_organization(session, org)
        invitations = [
            UnitInvitation(get_unit(session, organization, code), count)
            for code, count in invitations_raw
        ]
        round_ = create_round(
            session,
            organization,
            name=name,
            instrument_version=get_instrument_version(session, instrument_id, version),
            invitations=invitations,
            languages=[lang.strip() for lang in languages.split(",") if lang.strip()],
            opens_on=opens_on,
            closes_on=closes_on,
            min_group_size=min_group,
            min_comment_group_size=min_comment_group,
        )
        data = round_data(round_)
    if output is OutputFormat.JSON:
        print_json(data)
    else:
        units = len(data["units"])
        typer.echo(f"round {data['id']} {data['name']!r} created (draft, {units} units), "
                   f"opens {data['opens_on']}, closes {data['closes_on']}")


@round_app.command("dates")
def round_dates(
    round_id: Annotated[int, typer.Argument(help="the round's id (see `tisa round list`)")],
    opens: Annotated[
        str | None, typer.Option(help="new opening date YYYY-MM-DD (default: as it is)")
    ] = None,
    closes: Annotated[
        str | None, typer.Option(help="new closing date YYYY-MM-DD (default: as it is)")
    ] = None,
    org: OrgOption = None,
) -> None:
    """Change a draft or open round's opening and closing dates (a closed round keeps the
    dates its report states). The closing date must be on or after the opening date."""
    from storage.organization_repo import resolve_organization
    from storage.round_service import get_round, set_round_dates

    if opens is None and closes is None:
        fail("give --opens, --closes or both: the new dates, YYYY-MM-DD")
    opens_on, closes_on = parse_date(opens, "--opens"), parse_date(closes, "--closes")
    with unit_of_work() as session:
        round_ = get_round(session, resolve_organization(session, org), round_id)
        opens_on = opens_on if opens_on is not None else round_.opens_on
        closes_on = closes_on if closes_on is not None else round_.closes_on
        if opens_on is None or closes_on is None:
            missing = "--opens" if opens_on is None else "--closes"
            fail(f"{missing}: round {round_.id} {round_.name!r} has no "
                 f"{'opening' if opens_on is None else 'closing'} date yet; give one")
        set_round_dates(session, round_, opens_on=opens_on, closes_on=closes_on)
        typer.echo(f"round {round_.id} {round_.name!r} opens {round_.opens_on.isoformat()}, "
                   f"closes {round_.closes_on.isoformat()}")


def _round_transition(round_id: int, org: str | None, step: str) -> None:
    from storage import round_service
    from storage.organization_repo import resolve_organization

    if step == "close":
        _close(round_id, org)
        return
    move = {"open": round_service.open_round, "publish": round_service.publish_round}[step]
    with unit_of_work() as session:
        round_ = round_service.get_round(session, resolve_organization(session, org), round_id)
        move(session, round_)
        typer.echo(f"round {round_.id} {round_.name!r} is now {round_.status}")


def _close(round_id: int, org: str | None) -> None:
    """Close, scrub and compute the report once (`reports.round_close.close_round_now`)."""
    from reports.round_close import close_round_now
    from storage.engine import make_engine, session_factory
    from storage.errors import StorageError
    from storage.organization_repo import resolve_organization

    with unit_of_work(write=False) as session:
        organization = resolve_organization(session, org)
    engine = make_engine(poolclass=NullPool)
    try:
        round_ = close_round_now(session_factory(engine), organization, round_id)
    except StorageError as exc:
        storage_failure(exc)
    finally:
        engine.dispose()
    typer.echo(f"round {round_.id} {round_.name!r} is now {round_.status}; its report is "
               "computed and kept as it is")


RoundArg = Annotated[int, typer.Argument(help="the round's id (see `tisa round list`)")]


@round_app.command("open")
def round_open(round_id: RoundArg, org: OrgOption = None) -> None:
    """Launch a draft round: settings are frozen and staff can answer."""
    _round_transition(round_id, org, "open")


@round_app.command("close")
def round_close(round_id: RoundArg, org: OrgOption = None) -> None:
    """Close an open round: nothing more is accepted."""
    _round_transition(round_id, org, "close")


@round_app.command("publish")
def round_publish(round_id: RoundArg, org: OrgOption = None) -> None:
    """Publish a closed round's results to staff."""
    _round_transition(round_id, org, "publish")


@round_app.command("list")
def round_list(org: OrgOption = None, output: FormatOption = OutputFormat.TEXT) -> None:
    """Every round, oldest first."""
    from storage.organization_repo import resolve_organization
    from storage.round_service import list_rounds

    with unit_of_work(write=False) as session:
        rows = [round_data(r) for r in list_rounds(session, resolve_organization(session, org))]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    typer.echo(f"{'ID':>4}  {'STATUS':<10}{'INSTRUMENT':<22}{'OPENS':<12}{'CLOSES':<12}NAME")
    for r in rows:
        ref = f"{r['instrument']}@{r['version']}"
        typer.echo(
            f"{r['id']:>4}  {r['status']:<10}{ref:<22}{r['opens_on'] or '-':<12}"
            f"{r['closes_on'] or '-':<12}{r['name']}"
        )


def printed_page(paper: PaperSize | None) -> tuple[float, float]:
    """Width and height of the paper for a printed form: --paper, else the setting."""
    from reports.pdf_export import page_size, paper_size

    try:
        return page_size(paper.value if paper is not None else paper_size())
    except ValueError as exc:
        fail(str(exc))


codes_app = typer.Typer(help="Single-use access codes for staff.", no_args_is_help=True)
app.add_typer(codes_app, name="codes")


@codes_app.command("issue")
def codes_issue(
    round_id: RoundArg,
    out: Annotated[Path, typer.Option(help="file to write: .csv, or .pdf for printable slips")],
    unit: Annotated[str | None, typer.Option(help="the unit's code")] = None,
    count: Annotated[int | None, typer.Option(help="how many codes for --unit")] = None,
    all_units: Annotated[
        bool,
        typer.Option(
            "--all-units",
            help="a code for each invited person of every unit who has none yet",
        ),
    ] = False,
    base_url: Annotated[
        str,
        typer.Option(
            envvar="TISA_PUBLIC_URL",
            help="the app's web address, printed and encoded on the slips and in the CSV",
        ),
    ] = "http://localhost:8501",
    org: OrgOption = None,
    paper: PaperOption = None,
) -> None:
    """Issue codes for a unit, or for every invited unit of the round at once, and write them
    to a CSV (with each code's survey address, for a mail merge) or printable slips (PDF, a QR
    code per language).

    The codes are shown only this once: only their hashes are stored.
    """
    from reports.code_slips import (
        SlipRound,
        SurveyAddressRefused,
        survey_base,
        unit_codes_csv,
        unit_slips_pdf,
    )
    from storage.organization_repo import resolve_organization
    from storage.round_service import get_round, get_round_unit, issue_codes
    from storage.unit_codes import issue_codes_for_invited_units

    if all_units and (unit is not None or count is not None):
        fail("--all-units issues codes for every unit (one per invited person); leave out "
             "--unit and --count")
    if not all_units and unit is None:
        fail("give --unit UNIT --count N, or --all-units")
    if unit is not None and count is None:
        fail(f"--count: how many codes for {unit}? give --count N")
    if out.exists():
        fail(f"--out: {out} exists; choose a new file (codes are never overwritten)")
    if out.suffix.lower() not in {".csv", ".pdf"}:
        fail(f"--out: {out} must end in .csv or .pdf")
    try:
        survey_url = survey_base(base_url)
    except SurveyAddressRefused as refused:
        fail(f"--base-url: {refused}")
    page = printed_page(paper) if out.suffix.lower() == ".pdf" else None
    with unit_of_work() as session:
        organization = resolve_organization(session, org)
        round_ = get_round(session, organization, round_id)
        if all_units:
            issued = issue_codes_for_invited_units(session, round_)
            if not issued:
                fail("every invited unit already has a code for each person invited; issue "
                     "more for one unit with --unit UNIT --count N")
        else:
            round_unit = get_round_unit(session, round_, unit or "")
            issued = [(round_unit, issue_codes(session, round_, round_unit, count or 0))]
        batches = [
            (
                SlipRound(
                    organization=organization.name,
                    round_name=round_.name,
                    unit_name=round_unit.name,
                    closes_on=round_.closes_on,
                    languages=tuple(round_.languages),
                    survey_url=survey_url,
                    min_group_size=round_.min_group_size,
                ),
                codes,
            )
            for round_unit, codes in issued
        ]
        data = unit_slips_pdf(batches, page_size=page) if page else unit_codes_csv(batches)
        try:
            out.write_bytes(data)
        except OSError as exc:
            fail(f"--out: cannot write {out}: {exc.strerror}")  # the transaction rolls back
        total = sum(len(codes) for _, codes in issued)
        whom = unit if not all_units else f"{len(issued)} units"
    typer.echo(f"{total} codes for {whom} written to {out}")


responses_app = typer.Typer(
    help="Paper responses and the anonymized response export.", no_args_is_help=True
)
app.add_typer(responses_app, name="responses")


@responses_app.command("import")
def responses_import(
    round_id: RoundArg,
    path: Annotated[Path, typer.Argument(help="CSV: unit, role, language and one column per item")],
    org: OrgOption = None,
) -> None:
    """Import paper responses, all or nothing; every problem is named by row and column.

    At most 50,000 forms and 20 MB per file. The file is checked with no transaction open;
    storing it is one short write, so web respondents are not held up."""
    from storage.engine import make_engine, session_factory
    from storage.errors import StorageError
    from storage.organization_repo import resolve_organization
    from storage.paper_import import import_paper_file, read_paper_file
    from storage.round_service import get_round

    try:
        text = read_paper_file(path)
    except StorageError as exc:
        storage_failure(exc)
    engine = make_engine(poolclass=NullPool)
    try:
        report = import_paper_file(
            session_factory(engine),
            lambda session: get_round(session, resolve_organization(session, org), round_id),
            text,
            source=str(path),
        )
    except StorageError as exc:
        storage_failure(exc)
    finally:
        engine.dispose()
    by_unit = ", ".join(f"{code} {n}" for code, n in sorted(report.by_unit.items()))
    typer.echo(
        f"imported {report.responses} paper responses ({by_unit}); like web answers they are "
        "kept sealed until the round closes"
    )


paper_app = typer.Typer(help="The printable paper questionnaire.", no_args_is_help=True)
app.add_typer(paper_app, name="paper")


@paper_app.command("form")
def paper_form(
    round_id: RoundArg,
    out: Annotated[Path, typer.Option(help="the PDF to write")],
    lang: Annotated[
        str | None, typer.Option(help="a language of the round (default: its first)")
    ] = None,
    org: OrgOption = None,
    paper: PaperOption = None,
) -> None:
    """Write the round's questionnaire for staff who answer on paper, in one of its languages.

    Its item codes, unit and role values are the columns and values of the CSV that
    `tisa responses import` reads, so the forms are typed in as they are."""
    from reports.paper_form import paper_form_pdf, questionnaire_for
    from storage.organization_repo import resolve_organization
    from storage.round_service import get_round

    if out.exists():
        fail(f"--out: {out} exists; choose a new file")
    if out.suffix.lower() != ".pdf":
        fail(f"--out: {out} must end in .pdf")
    page = printed_page(paper)
    with unit_of_work(write=False) as session:
        form = questionnaire_for(get_round(session, resolve_organization(session, org), round_id))
    chosen = lang if lang is not None else form.languages[0]
    if chosen not in form.languages:
        fail(f"--lang: {chosen!r} is not a language of the round; choose one of "
             f"{', '.join(form.languages)}")
    try:
        out.write_bytes(paper_form_pdf(form, chosen, page_size=page))
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror}")
    typer.echo(f"the questionnaire in {chosen} written to {out}")


def read_units_file(path: Path) -> str:
    """A CSV file of units, within its limits (5 MB, UTF-8, no NUL), or one line and exit 2."""
    from instruments.csv_file import CsvRefused, read_csv_file
    from storage.organization_repo import UNIT_LIMITS

    try:
        return read_csv_file(path, UNIT_LIMITS)
    except CsvRefused as refused:
        fail(str(refused))


# -- instruments ------------------------------------------------------------------------------


@instruments_app.command("list")
def instruments_list(output: FormatOption = OutputFormat.TEXT) -> None:
    """Every bundled instrument version."""
    rows = [
        {
            "id": i.id,
            "version": i.version,
            "status": i.status.value,
            "form": i.form.value,
            "title": i.title["en"],
            "domains": len(i.domains),
            "items": len(i.item_ids()),
            "languages": i.languages,
            "sha256": content_hash(i),
        }
        for i in library()
    ]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    typer.echo(f"{'ID@VERSION':<24}{'STATUS':<11}{'FORM':<12}{'DOMAINS':>8}{'ITEMS':>7}  TITLE")
    for r in rows:
        ref = f"{r['id']}@{r['version']}"
        typer.echo(
            f"{ref:<24}{r['status']:<11}{r['form']:<12}{r['domains']:>8}{r['items']:>7}"
            f"  {r['title']}"
        )


@instruments_app.command("show")
def instruments_show(
    ref: Annotated[str, typer.Argument(help="ID, ID@VERSION or a path to a YAML file")],
    lang: Annotated[str, typer.Option(help="language of the texts")] = "en",
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """One instrument version: domains and items."""
    instrument = load_ref_or_path(ref)
    if lang not in instrument.languages:
        fail(f"{instrument.ref} has no language {lang!r}; it has {', '.join(instrument.languages)}")
    if output is OutputFormat.JSON:
        data = instrument.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["sha256"] = content_hash(instrument)
        print_json(data)
        return
    typer.echo(f"{instrument.ref}  {instrument.title[lang]}  ({instrument.status.value}, "
               f"{instrument.form.value} form, about {instrument.minutes} minutes)")
    typer.echo(f"sha256 {content_hash(instrument)}")
    for scale_id, scale in instrument.scales.items():
        labels = ", ".join(
            f"{p} {label}" for p, label in zip(scale.points, scale.labels[lang], strict=True)
        )
        typer.echo(f"scale {scale_id}: {labels}; favorable {scale.favorable}")
    for domain in instrument.domains:
        typer.echo(f"\n{domain.id}  {domain.title[lang]}")
        typer.echo(f"    {domain.why[lang]}")
        for item in domain.items:
            mark = " (reverse-keyed)" if item.reverse else ""
            typer.echo(f"  {item.id:<8}[{item.scale}] {item.text[lang]}{mark}")


@instruments_app.command("validate")
def instruments_validate(
    paths: Annotated[list[Path], typer.Argument(help="instrument YAML files")],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Check instrument files; print one line per problem and exit 2 if any."""
    problems: list[str] = []
    valid: list[dict[str, str]] = []
    for path in paths:
        try:
            instrument = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(str(p) for p in exc.problems)
        else:
            valid.append(
                {"path": str(path), "ref": instrument.ref, "sha256": content_hash(instrument)}
            )
    if output is OutputFormat.JSON:
        print_json({"valid": valid, "problems": problems})
        if problems:
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    if problems:
        fail(*problems)
    for v in valid:
        typer.echo(f"{v['path']}: {v['ref']} is valid (sha256 {v['sha256'][:12]})")


@instruments_app.command("diff")
def instruments_diff(
    before: Annotated[str, typer.Argument(help="earlier version: ID@VERSION or a YAML path")],
    after: Annotated[str, typer.Argument(help="later version: ID@VERSION or a YAML path")],
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Classify every item between two versions and say which domains remain comparable."""
    result = diff_instruments(load_ref_or_path(before), load_ref_or_path(after))
    if output is OutputFormat.JSON:
        print_json(result.to_dict())
        return
    typer.echo(f"{result.before} -> {result.after}")
    changed = result.changed_items()
    unchanged = len(result.items) - len(changed)
    typer.echo(f"\nItems: {unchanged} unchanged, {len(changed)} differ")
    for d in changed:
        ids = d.after_id if d.before_id in (None, d.after_id) else f"{d.before_id} -> {d.after_id}"
        if d.after_id is None:
            ids = d.before_id or ""
        typer.echo(f"  {d.change.value:<10}{ids:<18}{d.domain_id:<6}{d.reason}")
    typer.echo("\nDomains")
    for domain in result.domains:
        typer.echo(f"  {domain.summary}")


# -- analyze ----------------------------------------------------------------------------------


class CiMethod(StrEnum):
    """The reliability intervals `tisa analyze` offers (scoring.reliability's CI_FELDT and
    CI_BOOTSTRAP; the reports' "auto" rule is theirs)."""

    FELDT = "feldt"
    BOOTSTRAP = "bootstrap"


@app.command("analyze")
def analyze_csv(
    csv_path: Annotated[
        Path, typer.Argument(metavar="CSV", help="one column per item id; empty = missing, NA")
    ],
    instrument_ref: Annotated[
        str, typer.Option("--instrument", help="ID@VERSION from the library or a YAML path")
    ],
    group_col: Annotated[
        str | None, typer.Option("--group-col", help="column of units: adds ICC and rwg(j)")
    ] = None,
    compare_col: Annotated[
        str | None,
        typer.Option("--compare-col", help="column with two values (rounds): adds change"),
    ] = None,
    output: FormatOption = OutputFormat.JSON,
    ci: Annotated[
        CiMethod,
        typer.Option(
            "--ci",
            help="reliability intervals: feldt (alpha by Feldt's F interval, fast, as R psych) "
            "or bootstrap (BCa for alpha and omega, from 30 complete responses)",
        ),
    ] = CiMethod.FELDT,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            min=0,
            help="seed of the bootstrap (default: the library's fixed seed, so a run repeats)",
        ),
    ] = None,
) -> None:
    """Scores, reliability, agreement and change from a CSV of answers (DESIGN section 9).

    The JSON keeps raw values (a negative alpha or ICC, a mean's interval outside the scale)
    with a "display:" note for each; --format text shows them as the reports do.
    """
    from reports.analysis import AnalysisInputError, analyze, render_text
    from reports.csv_input import CsvInputError, read_analysis_csv

    instrument = load_ref_or_path(instrument_ref)
    try:
        table = read_analysis_csv(
            csv_path, instrument, group_col=group_col, compare_col=compare_col
        )
        result = analyze(
            instrument,
            table.answers,
            table.not_applicable,
            groups=table.groups,
            compare=table.compare,
            ci=ci.value,
            **({} if seed is None else {"seed": seed}),  # else analyze's BOOTSTRAP_SEED
        )
    except (CsvInputError, AnalysisInputError) as exc:
        fail(str(exc))
    if output is OutputFormat.JSON:
        print_json(result.to_dict())
        return
    typer.echo(render_text(result))


# -- users ------------------------------------------------------------------------------------

USER_PASSWORD_VARIABLE = "TISA_USER_PASSWORD"

users_app = typer.Typer(
    help="The people who sign in: admins and managers (staff answering surveys never do).",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")


class UserRole(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"


def user_password(username: str, given: str | None) -> str:
    """--password, else TISA_USER_PASSWORD, else asked (hidden, twice) on a terminal."""
    if given:
        return given
    from_env = os.environ.get(USER_PASSWORD_VARIABLE)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return typer.prompt(f"password for {username}", hide_input=True, confirmation_prompt=True)
    fail(
        f"no password for {username!r}: pass --password, set {USER_PASSWORD_VARIABLE}, or run "
        "the command on a terminal to be asked"
    )


def user_data(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "active": user.active,
        "units": [unit.code for unit in user.scope_units],
        "failed_attempts": user.failed_attempts,
        "created_at": user.created_at.isoformat(),
    }


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="what they type to sign in (lower-case)")],
    role: Annotated[UserRole, typer.Option("--role", help="admin or manager")],
    name: Annotated[str | None, typer.Option("--name", help="name shown in the app")] = None,
    units: Annotated[
        list[str] | None,
        typer.Option("--unit", help="a unit a manager may read (with the units below it); repeat"),
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            help=f"the password (else {USER_PASSWORD_VARIABLE}, else asked on a terminal)"
        ),
    ] = None,
    org: OrgOption = None,
) -> None:
    """Add an admin or a manager who signs in with a password."""
    from storage.audit_repo import record_audit
    from storage.organization_repo import get_unit, resolve_organization
    from storage.user_repo import add_user, set_unit_scope

    secret = user_password(username, password)
    with unit_of_work() as session:
        organization = resolve_organization(session, org)
        scope = [get_unit(session, organization, code) for code in units or []]
        user = add_user(
            session, organization, username, secret, role=role.value, display_name=name
        )
        if scope:
            set_unit_scope(session, user, scope)
        record_audit(
            session,
            organization,
            "user.add",
            target=user.username,
            detail={"role": user.role, "units": [unit.code for unit in scope]},
        )
        summary = (
            f"added {user.role} {user.username!r} ({user.display_name}) to {organization.slug}"
        )
        if scope:
            summary += f"; units: {', '.join(unit.code for unit in scope)}"
    typer.echo(summary)


@users_app.command("list")
def users_list(org: OrgOption = None, output: FormatOption = OutputFormat.TEXT) -> None:
    """The organization's users, by username."""
    from storage.organization_repo import resolve_organization
    from storage.user_repo import list_users

    with unit_of_work(write=False) as session:
        rows = [user_data(user) for user in list_users(session, resolve_organization(session, org))]
    if output is OutputFormat.JSON:
        print_json(rows)
        return
    if not rows:
        typer.echo("no users yet: add one with `tisa users add USERNAME --role admin`")
        return
    typer.echo(f"{'USERNAME':<24}{'ROLE':<9}{'STATUS':<10}{'NAME':<28}UNITS")
    for row in rows:
        status = "active" if row["active"] else "disabled"
        units = ", ".join(row["units"]) or ("all" if row["role"] == "admin" else "-")
        typer.echo(
            f"{row['username']:<24}{row['role']:<9}{status:<10}{row['display_name']:<28}{units}"
        )


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="the user to disable")],
) -> None:
    """Stop a user from signing in; their open logins end at once."""
    from storage.audit_repo import record_audit
    from storage.user_repo import disable_user

    with unit_of_work() as session:
        user = disable_user(session, username)
        record_audit(session, user.organization, "user.disable", target=user.username)
        name = user.username
    typer.echo(f"disabled {name!r}: they can no longer sign in and their open logins have ended")


@users_app.command("enable")
def users_enable(
    username: Annotated[str, typer.Argument(help="the user to enable or unlock")],
) -> None:
    """Let a disabled user sign in again; also lifts the account's sign-in delay."""
    from storage.audit_repo import record_audit
    from storage.user_repo import enable_user

    with unit_of_work() as session:
        user = enable_user(session, username)
        record_audit(session, user.organization, "user.enable", target=user.username)
        name = user.username
    typer.echo(f"enabled {name!r}: they can sign in again")


@users_app.command("reset-password")
def users_reset_password(
    username: Annotated[str, typer.Argument(help="whose password to set")],
) -> None:
    """Set a new password for a user: asked twice on a terminal, else read from standard input
    (one line). The user is signed out everywhere; the audit log records it."""
    from storage.auth_service import reset_password
    from storage.engine import make_engine, session_factory
    from storage.errors import StorageError

    if sys.stdin.isatty():
        secret = typer.prompt(
            f"new password for {username}", hide_input=True, confirmation_prompt=True
        )
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
        if not secret:
            fail(f"no password for {username!r}: give it on standard input (one line)")
    engine = make_engine(poolclass=NullPool)
    try:
        name = reset_password(session_factory(engine), username, secret)
    except StorageError as exc:
        storage_failure(exc)
    finally:
        engine.dispose()
    typer.echo(f"new password set for {name!r}: they are signed out everywhere")


# -- reports and the anonymized response export ---------------------------------------------


class ReportFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"
    XLSX = "xlsx"
    CSV = "csv"


class ReportLanguage(StrEnum):
    EN = "en"
    ES = "es"


class PaperSize(StrEnum):
    LETTER = "letter"
    A4 = "a4"


PaperOption = Annotated[  # the printed forms' paper (code slips, the paper questionnaire)
    PaperSize | None,
    typer.Option(help="the PDF's paper: letter or a4 (default: TISA_PAPER_SIZE, else letter)"),
]


LangOption = Annotated[
    ReportLanguage, typer.Option("--lang", help="language of the report's words")
]


def codebook_path(out: Path) -> Path:
    """Where a CSV's codebook goes: beside it, ``NAME.codebook.csv``."""
    return out.with_name(f"{out.stem}.codebook.csv")


def check_new_files(*paths: Path) -> None:
    """Refuse to overwrite a file or to write into a folder that does not exist."""
    for path in paths:
        if path.exists():
            fail(f"--out: {path} exists; choose a new file (reports are never overwritten)")
        if not path.parent.is_dir():
            fail(f"--out: the folder {path.parent} does not exist")


def write_new_files(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        try:
            with path.open("xb") as handle:  # "x": never overwrite, even in a race
                handle.write(data)
        except OSError as exc:
            fail(f"--out: cannot write {path}: {exc.strerror}")


@app.command("report")
def report_command(
    round_id: RoundArg,
    output: Annotated[ReportFormat, typer.Option("--format", help="pdf, html, xlsx or csv")],
    out: Annotated[Path, typer.Option(help="file to write (never overwritten)")],
    unit: Annotated[
        str | None, typer.Option(help="a unit code of the round: that unit and those below it")
    ] = None,
    lang: LangOption = ReportLanguage.EN,
    org: OrgOption = None,
    paper: Annotated[
        PaperSize | None,
        typer.Option(help="the PDF's paper: letter or a4 (default: TISA_PAPER_SIZE, else letter)"),
    ] = None,
) -> None:
    """Write a round's improvement report for the agency or one unit.

    csv writes the long-format aggregates to OUT and their codebook beside it as
    NAME.codebook.csv. Withheld groups are withheld in every format. Only a closed or
    published round has a report: the one computed when it closed. A PDF is on US Letter
    unless --paper or the setting TISA_PAPER_SIZE says a4.
    """
    from reports.frozen import frozen_report
    from storage.organization_repo import resolve_organization
    from storage.round_service import get_round, get_round_unit

    paths = [out] + ([codebook_path(out)] if output is ReportFormat.CSV else [])
    check_new_files(*paths)
    if output is ReportFormat.PDF and paper is None:
        from reports.pdf_export import paper_size

        try:
            paper_size()
        except ValueError as exc:
            fail(str(exc))
    with unit_of_work(write=False) as session:
        round_ = get_round(session, resolve_organization(session, org), round_id)
        scope = get_round_unit(session, round_, unit).id if unit is not None else None
        report = frozen_report(session, round_, scope)
    language = lang.value
    if output is ReportFormat.PDF:
        from reports.pdf_export import report_pdf

        files = {out: report_pdf(report, language, paper.value if paper else None)}
    elif output is ReportFormat.HTML:
        from reports.html_export import report_html

        files = {out: report_html(report, language).encode("utf-8")}
    elif output is ReportFormat.XLSX:
        from reports.table_export import report_xlsx

        files = {out: report_xlsx(report, language)}
    else:
        from reports.table_export import report_csv

        aggregates, codebook = report_csv(report, language)
        files = {out: aggregates, codebook_path(out): codebook}
    write_new_files(files)
    status = "" if report.shown else f" (results {report.scope_status}: fewer than " \
        f"{report.min_group_size} responses)"
    typer.echo(f"{output.value} report of {report.scope_name!r}, {report.round_name!r} "
               f"written to {', '.join(str(p) for p in files)}{status}")


@responses_app.command("export")
def responses_export(
    round_id: RoundArg,
    out: Annotated[Path, typer.Option(help="CSV file to write (never overwritten)")],
    lang: LangOption = ReportLanguage.EN,
    org: OrgOption = None,
) -> None:
    """Export a round's anonymized responses (admins only) with a codebook beside them.

    One row per response in random order; units the reports withhold are folded into the
    nearest shown unit; no dates, durations or ids. The codebook goes to NAME.codebook.csv.
    The export is recorded in the audit log. Closed and published rounds only.
    """
    from reports.frozen import require_results
    from reports.response_export import anonymized_responses, responses_csv
    from storage.audit_repo import record_audit
    from storage.organization_repo import resolve_organization
    from storage.round_service import get_round

    check_new_files(out, codebook_path(out))
    with unit_of_work() as session:
        organization = resolve_organization(session, org)
        round_ = get_round(session, organization, round_id)
        require_results(round_)  # nothing of an open round's responses is read
        export = anonymized_responses(session, round_)
        data, codebook = responses_csv(export, lang.value)
        write_new_files({out: data, codebook_path(out): codebook})
        record_audit(session, organization, "responses.export", target=round_.name,
                     detail={"rows": len(export.rows), "left_out": export.n_left_out})
    typer.echo(f"{len(export.rows)} anonymized responses written to {out}, codebook to "
               f"{codebook_path(out)}")


# -- backup and restore -----------------------------------------------------------------------


@app.command("backup")
def backup_command(
    out: Annotated[
        Path | None, typer.Option(help="the backup file to write (mode 0600)")
    ] = None,
    path: Annotated[
        Path | None, typer.Argument(help="the backup file, when --out is not given")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace OUT if it exists")] = False,
) -> None:
    """Write the whole database to one file, from one consistent snapshot; safe while the app
    runs. The file holds what the database holds (password hashes, hashed codes, an open
    round's drafts and claim key): keep it like the database itself."""
    from storage.backup import write_backup
    from storage.errors import StorageError

    if (out is None) == (path is None):
        fail("name the backup file once: tisa backup --out FILE")
    try:
        report = write_backup(out or path, force=force)
    except StorageError as exc:
        storage_failure(exc)
    typer.echo(report.line())


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="a file written by tisa backup")],
) -> None:
    """Restore a backup into an empty database (TISA_DATABASE_URL: SQLite or PostgreSQL,
    whichever the backup came from). The file is checked first; a damaged file or a database
    that is not empty is refused and nothing is written."""
    from storage.errors import StorageError
    from storage.restore import restore_backup

    try:
        report = restore_backup(file)
    except StorageError as exc:
        storage_failure(exc)
    typer.echo(report.line())


def main() -> None:
    app()


if __name__ == "__main__":
    main()
