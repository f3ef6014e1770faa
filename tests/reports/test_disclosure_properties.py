"""The disclosure rule attacked with random data (hypothesis), on SQLite and PostgreSQL.

Each example builds an agency with a random unit tree (two to four levels below the agency),
0–12 respondents filed on each unit, random roles, random "not applicable" and skip patterns
per item (items almost everyone skips among them) and a threshold k from 3 to 6, as a closed
round written row by row, then builds the report of every scope
(`reports.builder.build_round_reports`) and renders every export (CSV, XLSX, HTML and the
document the PDF is drawn from). Three attacks a reader of the reports would run:

1. **Every released number rests on at least k answers.** For each number an export shows,
   the respondents behind it are recomputed from the raw rows (an item: who answered it in
   the scope's subtree; a domain: who has its score; reliability: who answered every item; a
   unit's mean: who is in its subtree and has the score; a role's mean: who gave the role and
   has the score), and there must be at least k of them.
2. **Nothing can be worked out by subtraction.** For every shown cell and every measure
   (responses, each domain's scored respondents, each item's answers), its count minus the
   counts of its nearest shown descendants for that measure is 0 or at least k; the same for
   the roles under the agency.
3. **Indistinguishability.** A second database differs only in how respondents are split
   between withheld units that share the same nearest shown unit (sizes kept): every report
   of every scope and every export is identical (comments, shuffled on purpose, compared as
   sorted lists).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import secrets
import shutil
from datetime import date

import numpy as np
import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.builder import AGENCY, build_round_reports
from reports.document import report_document
from reports.html_export import report_html
from reports.table_export import report_csv, report_xlsx
from scoring.disclosure import SHOWN
from scoring.matrix import domain_scores, key_items
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Answer, Comment, Response, Round, RoundStatus
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, create_round, open_round

INSTRUMENT = ("ti-pulse", "1.0.0")
ROLES = ("frontline", "supervisor", "manager", "support", "other", None)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)


# -- the data -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Agency:
    k: int
    parent: tuple[int, ...]  # each unit's parent unit, −1 under the agency
    own: tuple[int, ...]  # respondents filed directly on each unit
    skip: tuple[float, ...]  # per item: chance an answer is left empty
    not_applicable: tuple[float, ...]  # per item: chance of "not applicable"
    role_weights: tuple[float, ...]
    seed: int


@st.composite
def agencies(draw) -> Agency:
    k = draw(st.integers(3, 6))
    levels = draw(st.integers(2, 4))
    n_units = draw(st.integers(levels, 9))
    parent: list[int] = []
    depth: list[int] = []
    for i in range(n_units):
        if i < levels:  # one chain that reaches the deepest level
            choices = [i - 1]
        else:
            choices = [-1] + [j for j in range(i) if depth[j] < levels]
        p = draw(st.sampled_from(choices))
        parent.append(p)
        depth.append(1 if p == -1 else depth[p] + 1)
    own = draw(st.lists(st.integers(0, 12), min_size=n_units, max_size=n_units))
    rates = st.sampled_from([0.0, 0.0, 0.05, 0.2, 0.5, 0.85, 0.95, 1.0])
    skip = draw(st.lists(rates, min_size=12, max_size=12))
    na = draw(st.lists(st.sampled_from([0.0, 0.1, 0.4, 0.9]), min_size=12, max_size=12))
    weights = draw(st.lists(st.sampled_from([0.0, 0.05, 0.3, 1.0]), min_size=len(ROLES),
                            max_size=len(ROLES)).filter(lambda w: sum(w) > 0))
    seed = draw(st.integers(0, 2**32 - 1))
    return Agency(k, tuple(parent), tuple(own), tuple(skip), tuple(na), tuple(weights), seed)


@dataclasses.dataclass
class Respondent:
    unit: int  # index into Agency.parent
    role: str | None
    answers: dict[str, tuple[int | None, bool]]  # item id → (value, not applicable)
    flagged: bool


def respondents(agency: Agency, item_ids: list[str]) -> list[Respondent]:
    rng = np.random.default_rng(agency.seed)
    weights = np.array(agency.role_weights) / sum(agency.role_weights)
    out = []
    for unit, n in enumerate(agency.own):
        for _ in range(n):
            answers = {}
            for j, item_id in enumerate(item_ids):
                u = rng.random()
                if u < agency.skip[j]:
                    continue
                if rng.random() < agency.not_applicable[j]:
                    answers[item_id] = (None, True)
                else:
                    answers[item_id] = (int(rng.integers(1, 6)), False)
            role = ROLES[int(rng.choice(len(ROLES), p=weights))]
            out.append(Respondent(unit, role, answers, bool(rng.random() < 0.2)))
    return out


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def fresh_database(request, tmp_path_factory):
    """A callable giving the URL of a new, empty, migrated database for every example: a copy
    of one migrated SQLite file, or a new schema of this test session's PostgreSQL database."""
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("template") / "empty.db"
        initialize(f"sqlite:///{template}")

        def sqlite_copy() -> str:
            path = tmp_path_factory.mktemp("attack") / "a.db"
            shutil.copy(template, path)
            return f"sqlite:///{path}"

        return sqlite_copy
    database = request.getfixturevalue("postgres_database")

    def postgres_schema() -> str:
        schema = f"p_{secrets.token_hex(6)}"
        setup = sa.create_engine(database, poolclass=sa.pool.NullPool)
        try:
            with setup.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        finally:
            setup.dispose()
        url = database.update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
        initialize(url)
        return url

    return postgres_schema


def write_round(url: str, agency: Agency, people: list[Respondent],
                comments: list[tuple[int, str | None, str]]) -> None:
    """A closed round of `agency` with `people` and `comments`, written row by row."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            org = create_organization(session, "Attack agency")
            units = []
            for i, p in enumerate(agency.parent):
                units.append(add_unit(session, org, f"Unit {i}",
                                      parent=None if p == -1 else units[p]))
            round_ = create_round(
                session, org, name="Round",
                instrument_version=get_instrument_version(session, *INSTRUMENT),
                invitations=[UnitInvitation(u, max(1, n)) for u, n in zip(units, agency.own,
                                                                          strict=True)],
                opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 31),
                min_group_size=agency.k, min_comment_group_size=agency.k + 2,
            )
            open_round(session, round_)
            snapshot = {ru.unit_id: ru.id for ru in round_.units}
            unit_of = [snapshot[u.id] for u in units]
            for person in people:
                response = Response(
                    round_id=round_.id, round_unit_id=unit_of[person.unit], role=person.role,
                    language="en", mode="web", submitted_on=date(2026, 3, 15),
                    seconds_per_item_bucket=None,
                    quality_flags=["longstring"] if person.flagged else [],
                )
                session.add(response)
                session.flush()
                for item_id, (value, na) in person.answers.items():
                    session.add(Answer(response_id=response.id, item_id=item_id, value=value,
                                       not_applicable=na))
            for unit, domain_id, text in comments:
                session.add(Comment(round_id=round_.id, round_unit_id=unit_of[unit],
                                    domain_id=domain_id, text=text))
            round_.status = RoundStatus.CLOSED.value
    finally:
        engine.dispose()


def read_reports(url: str):
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine)) as session:
            round_ = session.scalars(sa.select(Round)).one()
            reports = build_round_reports(session, round_)
            names = {ru.id: ru.name for ru in round_.units}
            instrument = round_.instrument_version.instrument()
    finally:
        engine.dispose()
    return reports, names, instrument


# -- what a reader of the raw rows can count ---------------------------------------------------


class Truth:
    """The respondents behind every number, recomputed from the raw rows."""

    def __init__(self, agency: Agency, people: list[Respondent], instrument) -> None:
        self.k = agency.k
        self.parent = agency.parent
        self.item_ids = [item.id for _, item in instrument.items()]
        self.domains = {d.id: [i.id for i in d.items] for d in instrument.domains}
        n = len(people)
        values = np.full((n, len(self.item_ids)), np.nan)
        for r, person in enumerate(people):
            for j, item_id in enumerate(self.item_ids):
                value, _ = person.answers.get(item_id, (None, False))
                if value is not None:
                    values[r, j] = value
        self.answered = np.isfinite(values)
        items = [item for _, item in instrument.items()]
        keyed = key_items(values, [i.reverse for i in items],
                          [instrument.scale_of(i).minimum for i in items],
                          [instrument.scale_of(i).maximum for i in items])
        self.scored = {}
        self.complete = {}
        for domain_id, ids in self.domains.items():
            cols = [self.item_ids.index(i) for i in ids]
            scores = domain_scores(keyed[:, cols], instrument.scoring.min_answered).scores
            self.scored[domain_id] = np.isfinite(scores)
            self.complete[domain_id] = self.answered[:, cols].all(axis=1)
        self.unit = np.array([p.unit for p in people], dtype=int)
        self.role = [p.role for p in people]
        self.flagged = np.array([p.flagged for p in people], dtype=bool)
        self.n = n

    def subtree(self, unit: int | None) -> set[int]:
        """Units at or below `unit` (None: the agency, every unit)."""
        if unit is None:
            return set(range(len(self.parent)))
        out = {unit}
        changed = True
        while changed:
            changed = False
            for i, p in enumerate(self.parent):
                if p in out and i not in out:
                    out.add(i)
                    changed = True
        return out

    def rows(self, unit: int | None) -> np.ndarray:
        return np.isin(self.unit, sorted(self.subtree(unit))) if self.n else np.zeros(0, bool)

    def item(self, unit: int | None, item_id: str) -> int:
        return int((self.rows(unit) & self.answered[:, self.item_ids.index(item_id)]).sum())

    def domain(self, unit: int | None, domain_id: str) -> int:
        return int((self.rows(unit) & self.scored[domain_id]).sum())

    def role_rows(self, role: str) -> np.ndarray:
        return np.array([r == role for r in self.role], dtype=bool)


def unit_index(names: dict[int, str]) -> dict[int, int]:
    """Round unit id → index into Agency.parent (units are named "Unit i")."""
    return {key: int(name.split()[-1]) for key, name in names.items()}


def records(report) -> list[dict[str, str]]:
    aggregates, _ = report_csv(report, "en")
    return list(csv.DictReader(io.StringIO(aggregates.decode("utf-8-sig"))))


# -- attack 1: every number rests on k ----------------------------------------------------------


def check_every_number_rests_on_k(reports, names, truth: Truth) -> None:
    k = truth.k
    index = unit_index(names)
    by_name = {name: index[key] for key, name in names.items()}
    for key, report in reports.items():
        scope = None if key is None else index[key]

        def at_least(n: int, what: str, name: str = report.scope_name) -> None:
            if n < k:
                pytest.fail(f"{what} in the report of {name} rests on {n} answer(s), fewer "
                            f"than k = {k}")

        rows = truth.rows(scope)
        for r in records(report):
            if r["value"] == "" or r["statistic"] in ("min_group_size",
                                                      "min_comment_group_size", "invited"):
                continue
            what = f"{r['section']} {r['group']} {r['domain']} {r['item']} {r['statistic']}"
            if r["section"] == "overview":
                if r["statistic"] == "n_flagged":
                    n = int((rows & truth.flagged).sum())
                    if n:
                        at_least(n, what)
                else:
                    at_least(int(rows.sum()), what)
            elif r["section"] == "domain":
                if r["statistic"] in ("n_complete", "alpha", "alpha_ci_low", "alpha_ci_high",
                                      "alpha_ci_method", "omega", "omega_ci_low",
                                      "omega_ci_high", "omega_rmsr"):
                    at_least(int((rows & truth.complete[r["domain"]]).sum()), what)
                elif r["statistic"] == "pct_favorable":
                    shown = [i.item_id for i in report.domain(r["domain"]).items
                             if i.n is not None]
                    behind = np.zeros(truth.n, bool)
                    for item_id in shown:  # the scored respondents' answers (the mean's base)
                        behind |= (rows & truth.scored[r["domain"]]
                                   & truth.answered[:, truth.item_ids.index(item_id)])
                    at_least(int(behind.sum()), what)
                else:
                    at_least(truth.domain(scope, r["domain"]), what)
            elif r["section"] == "item":
                if r["statistic"] in ("n_na", "pct_na"):
                    at_least(int(rows.sum()), what)
                else:
                    at_least(truth.item(scope, r["item"]), what)
            elif r["section"] == "agreement":  # per unit of the shown partition
                if r["statistic"] == "n":
                    at_least(int(float(r["value"])), what)
                at_least(truth.domain(by_name.get(r["group"]), r["domain"]), what)
            elif r["section"] == "unit":
                unit = by_name.get(r["group"])  # the agency's row: None
                if r["statistic"] == "n":
                    at_least(int(truth.rows(unit).sum()), what)
                else:
                    at_least(truth.domain(unit, r["domain"]), what)
            elif r["section"] == "role":
                members = truth.role_rows(r["group"])
                if r["statistic"] == "n":
                    at_least(int(members.sum()), what)
                else:
                    at_least(int((members & truth.scored[r["domain"]]).sum()), what)
            elif r["section"] == "trend":
                if r["statistic"] == "mean":
                    at_least(truth.domain(scope, r["domain"]), what)
        for d in report.domains:  # agreement: flags name units, each over its shown group
            if d.icc1 is not None:
                at_least(truth.domain(scope, d.domain_id), f"ICC of {d.domain_id}")
            for unit_name in (*d.low_agreement_units, *d.split_units):
                at_least(truth.domain(by_name.get(unit_name), d.domain_id),
                         f"agreement flag of {unit_name} on {d.domain_id}")


# -- attack 2: subtraction ----------------------------------------------------------------------


def check_no_subtraction(reports, names, truth: Truth) -> None:
    k = truth.k
    index = unit_index(names)
    scope_of = {(None if key is None else index[key]): report for key, report in reports.items()}
    children: dict[int | None, list[int]] = {}
    for i, p in enumerate(truth.parent):
        children.setdefault(None if p == -1 else p, []).append(i)
    measures: list[tuple[str, str]] = [("responses", "")]
    measures += [("domain", d) for d in truth.domains]
    measures += [("item", i) for i in truth.item_ids]

    def shown_count(unit: int | None, measure: tuple[str, str]) -> int | None:
        report = scope_of[unit]
        kind, name = measure
        if kind == "responses":
            return report.n_responses if report.scope_status == SHOWN else None
        if report.scope_status != SHOWN:
            return None
        if kind == "domain":
            return report.domain(name).n_scored
        for d in report.domains:
            for item in d.items:
                if item.item_id == name:
                    return item.n
        return None

    def true_count(unit: int | None, measure: tuple[str, str]) -> int:
        kind, name = measure
        if kind == "responses":
            return int(truth.rows(unit).sum())
        return truth.domain(unit, name) if kind == "domain" else truth.item(unit, name)

    for measure in measures:
        for unit in scope_of:
            count = shown_count(unit, measure)
            if count is None:
                continue
            assert count == true_count(unit, measure), (unit, measure)
            frontier, stack = [], list(children.get(unit, []))
            while stack:
                below = stack.pop()
                if shown_count(below, measure) is not None:
                    frontier.append(below)
                else:
                    stack.extend(children.get(below, []))
            residual = count - sum(true_count(f, measure) for f in frontier)
            assert residual == 0 or residual >= k, (
                f"{measure} of {scope_of[unit].scope_name} ({count}) minus its nearest shown "
                f"units below leaves {residual}, between 1 and k − 1 = {k - 1}")
    agency = scope_of[None]
    if agency.scope_status != SHOWN:
        return
    for measure in [("responses", "")] + [("domain", d) for d in truth.domains]:
        kind, name = measure
        total = true_count(None, measure)
        covered = 0
        for cell in agency.roles:
            if cell.status != SHOWN:
                continue
            members = truth.role_rows(str(cell.key))
            if kind == "responses":
                covered += int(members.sum())
            elif cell.means.get(name) is not None:
                covered += int((members & truth.scored[name]).sum())
        residual = total - covered
        if kind == "domain" and next(
            (d for d in agency.domains if d.domain_id == name and d.mean is None), None
        ):
            continue  # the agency's own number is withheld: nothing to subtract from
        assert residual == 0 or residual >= k, (
            f"{measure} of the agency minus its shown roles leaves {residual}")


# -- attack 3: indistinguishability -----------------------------------------------------------


def swapped(agency: Agency, people: list[Respondent], reports, names,
            comments: list[tuple[int, str | None, str]]):
    """People (and comments) moved between withheld units that share their nearest shown
    unit, each unit keeping its size; None when no two such units hold anyone."""
    index = unit_index(names)
    agency_report = reports[None]
    status = {index[c.key]: c.status for c in agency_report.units if c.key != AGENCY}
    agency_shown = agency_report.scope_status == SHOWN

    def nearest_shown(unit: int) -> int | None:
        while unit != -1:
            if status[unit] == SHOWN:
                return unit
            unit = agency.parent[unit]
        return -1 if agency_shown else None

    groups: dict[int | None, list[int]] = {}
    for unit in range(len(agency.parent)):
        if status[unit] != SHOWN:
            groups.setdefault(nearest_shown(unit), []).append(unit)
    rng = np.random.default_rng(agency.seed + 1)
    moved = [dataclasses.replace(p) for p in people]
    new_comments = list(comments)
    changed = False
    for units in groups.values():
        members = [i for i, p in enumerate(people) if p.unit in units]
        if len({people[i].unit for i in members}) < 2:
            continue
        slots = [people[i].unit for i in members]
        order = rng.permutation(len(members))
        for slot, i in zip(slots, (members[j] for j in order), strict=True):
            if moved[i].unit != slot:
                changed = True
            moved[i].unit = slot
        texts = [c for c in comments if c[0] in units]
        homes = [c[0] for c in texts]
        for c, home in zip(texts, rng.permutation(homes), strict=True):
            new_comments[new_comments.index(c)] = (int(home), c[1], c[2])
    return (moved, new_comments) if changed else None


def plain(value):
    """A report as plain values, comments sorted (their order is shuffled on purpose) and
    floats to 9 decimals: responses are read in the order of their random ids, so sums are
    added up in a different order in each database (a difference in the 16th digit)."""
    if dataclasses.is_dataclass(value):
        out = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if "comments" in out:
            out["comments"] = {key: sorted(texts) for key, texts in value.comments.items()}
        return out
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 9)
    return value


def csv_values(report) -> list[tuple[str, ...]]:
    """The aggregates CSV as a reader parses it, numbers to 9 decimals."""
    out = []
    for row in records(report):
        value = row["value"]
        try:
            value = repr(round(float(value), 9)) if "." in value or "e" in value else value
        except ValueError:
            pass
        out.append(tuple({**row, "value": value}.values()))
    return out


def without_comments(html: str, report) -> str:
    """The page with each comment's text taken out (texts are bracketed, so no comment is
    part of another), leaving how many are listed under each heading."""
    for texts in report.comments.values():
        for text in texts:
            html = html.replace(f"<li>{text}</li>", "<li></li>")
    return html


def xlsx_values(report) -> list:
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, "en")))
    return [(name, plain(list(book[name].iter_rows(values_only=True))))
            for name in book.sheetnames]


def document_text(report, lang: str) -> str:
    document = report_document(report, lang, item_charts=False)
    return repr([(s.key, [b if not hasattr(b, "chart") else b.chart.alt for b in s.blocks])
                 for s in document.sections if s.key != "comments"])


# -- the tests ----------------------------------------------------------------------------------


def make_comments(agency: Agency) -> list[tuple[int, str | None, str]]:
    rng = np.random.default_rng(agency.seed + 2)
    out = []
    for unit, n in enumerate(agency.own):
        for c in range(int(rng.integers(0, n + 1)) if n else 0):
            out.append((unit, None if c % 2 else "SAF", f"[comment {unit}-{c}]"))
    return out


def built(fresh_database, agency: Agency):
    """The closed round of `agency` in a fresh database: its reports of every scope, the
    round units' names, and what the raw rows say."""
    from instruments.registry import resolve

    instrument = resolve(f"{INSTRUMENT[0]}@{INSTRUMENT[1]}")
    people = respondents(agency, [item.id for _, item in instrument.items()])
    url = fresh_database()
    write_round(url, agency, people, make_comments(agency))
    reports, names, instrument = read_reports(url)
    return reports, names, Truth(agency, people, instrument)


@SETTINGS
@given(agency=agencies())
def test_every_released_number_rests_on_at_least_k_answers(fresh_database, agency):
    reports, names, truth = built(fresh_database, agency)
    check_every_number_rests_on_k(reports, names, truth)
    document_text(reports[None], "es")  # the other exports render too
    report_csv(reports[None], "es")
    xlsx_values(reports[None])


@settings(SETTINGS, max_examples=40)
@given(agency=agencies())
def test_no_shown_number_minus_shown_numbers_below_it_isolates_fewer_than_k(
        fresh_database, agency):
    reports, names, truth = built(fresh_database, agency)
    check_no_subtraction(reports, names, truth)


@SETTINGS
@given(agency=agencies())
def test_splitting_withheld_units_differently_changes_no_report_and_no_export(
        fresh_database, agency):
    from instruments.registry import resolve

    instrument = resolve(f"{INSTRUMENT[0]}@{INSTRUMENT[1]}")
    people = respondents(agency, [item.id for _, item in instrument.items()])
    comments = make_comments(agency)
    first = fresh_database()
    write_round(first, agency, people, comments)
    reports, names, _ = read_reports(first)
    other = swapped(agency, people, reports, names, comments)
    if other is None:
        return  # no two withheld units to split differently
    second = fresh_database()
    write_round(second, agency, *other)
    again, _, _ = read_reports(second)
    assert set(again) == set(reports)
    for key, report in reports.items():
        theirs = again[key]
        assert plain(theirs) == plain(report), report.scope_name
        assert csv_values(theirs) == csv_values(report), report.scope_name
        assert document_text(theirs, "en") == document_text(report, "en")
    assert xlsx_values(again[None]) == xlsx_values(reports[None])
    assert without_comments(report_html(again[None], "en"), again[None]) == without_comments(
        report_html(reports[None], "en"), reports[None])
