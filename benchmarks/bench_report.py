"""Report benchmark: an agency of 20 units with three rounds of 2,000 responses each.

The agency: 4 regions of 4 teams (20 units), one team with only 3 responses a round (so a
withheld cell and complementary suppression are part of the work). Three published rounds,
like the demo's: a baseline and a six-month round on ``ti-staff`` 1.0.0 and a twelve-month
round on 1.1.0 (so the change and the trend go through item lineage). Answers come from a
one-factor model per domain with a team effect, about 4% "not applicable" and 4% skipped.

Seeding (not timed) uses the round services for the units and rounds and bulk inserts through
SQLAlchemy (``session.execute(insert(Model), rows)``) for the 6,000 responses and their
~390,000 answers, into a temporary SQLite file.

Timed, each ``REPEATS`` times after one warm-up call (best and median printed; the best is the
least disturbed by other processes):

* ``build_report`` of the last round for the whole agency (reads all three rounds);
* ``build_report`` for one region (a unit subtree);
* ``build_round_reports``: the report of every scope (the agency and each unit), which closing a
  round computes once and keeps (``reports.frozen``);
* ``report_pdf`` of the agency's report (charts drawn and laid out), and for comparison
  ``report_html`` and ``report_xlsx``.

Run: ``.venv/bin/python -m benchmarks report``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from benchmarks.machine import machine
from reports.builder import build_report, build_round_reports
from reports.html_export import report_html
from reports.pdf_export import report_pdf
from reports.table_export import report_xlsx
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Answer, Response, ResponseMode, Round, random_id
from storage.organization_repo import add_unit, create_organization
from storage.round_service import (
    UnitInvitation,
    close_round,
    create_round,
    open_round,
    publish_round,
)
from storage.survey_service import RESPONDENT_ROLES

N_REGIONS = 4
TEAMS_PER_REGION = 4
RESPONSES_PER_ROUND = 2_000
SMALL_TEAM_RESPONSES = 3
REPEATS = 3
SEED = 20261201
ROUNDS = (
    ("Baseline", "1.0.0", date(2025, 10, 6)),
    ("Six-month follow-up", "1.0.0", date(2026, 4, 6)),
    ("Twelve-month follow-up", "1.1.0", date(2026, 10, 5)),
)


def seed(url: str) -> None:
    """The benchmark agency with its three rounds (see the module docstring)."""
    initialize(url)
    rng = np.random.default_rng(SEED)
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            organization = create_organization(session, "Benchmark agency")
            teams = []
            for r in range(N_REGIONS):
                region = add_unit(session, organization, f"Region {r + 1}")
                for t in range(TEAMS_PER_REGION):
                    teams.append(add_unit(session, organization, f"Team {r + 1}.{t + 1}",
                                          parent=region))
            for index, (name, version, opens_on) in enumerate(ROUNDS):
                instrument_version = get_instrument_version(session, "ti-staff", version)
                round_ = create_round(
                    session, organization, name=name, instrument_version=instrument_version,
                    invitations=[UnitInvitation(team, 160) for team in teams],
                    opens_on=opens_on, closes_on=opens_on.replace(day=28),
                )
                open_round(session, round_)
                _responses(session, round_, rng, drift=0.15 * index)
                close_round(session, round_)
                publish_round(session, round_)
    finally:
        engine.dispose()


def _responses(session, round_: Round, rng: np.random.Generator, drift: float) -> None:
    instrument = round_.instrument_version.instrument()
    teams = sorted((u for u in round_.units if u.parent_id is not None), key=lambda u: u.code)
    small, others = teams[0], teams[1:]
    weights = rng.dirichlet(np.full(len(others), 8.0))
    counts = rng.multinomial(RESPONSES_PER_ROUND - SMALL_TEAM_RESPONSES, weights)
    unit_of = np.concatenate([
        np.full(SMALL_TEAM_RESPONSES, small.id),
        *(np.full(n, unit.id) for n, unit in zip(counts, others, strict=True)),
    ])
    n = unit_of.size
    team_effect = {unit.id: rng.normal(0, 0.25) for unit in teams}
    effect = np.array([team_effect[u] for u in unit_of])
    response_ids = [random_id() for _ in range(n)]
    roles = rng.choice([*RESPONDENT_ROLES, None], size=n, p=[0.6, 0.12, 0.05, 0.15, 0.03, 0.05])
    languages = rng.choice(["en", "es"], size=n, p=[0.8, 0.2])
    session.execute(sa.insert(Response), [
        {"id": response_ids[i], "round_id": round_.id, "round_unit_id": int(unit_of[i]),
         "role": None if roles[i] is None else str(roles[i]), "language": str(languages[i]),
         "mode": ResponseMode.WEB.value, "submitted_on": round_.opens_on,
         "seconds_per_item_bucket": "5-10", "quality_flags": []}
        for i in range(n)
    ])
    answers = []
    for domain in instrument.domains:
        latent = 3.2 + drift + effect + rng.normal(0, 0.7, size=n)
        for item in domain.items:
            raw = np.clip(np.rint(latent + rng.normal(0, 0.7, size=n)), 1, 5).astype(int)
            values = 6 - raw if item.reverse else raw
            kind = rng.random(n)
            for i in range(n):
                if kind[i] < 0.04:
                    continue  # skipped
                answers.append({
                    "response_id": response_ids[i], "item_id": item.id,
                    "value": None if kind[i] < 0.08 else int(values[i]),
                    "not_applicable": bool(kind[i] < 0.08),
                })
    session.execute(sa.insert(Answer), answers)


def timed(label: str, call, repeats: int = REPEATS) -> tuple[str, float, float]:
    call()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"  {label:<52} best {best:7.3f} s   median {median:7.3f} s", flush=True)
    return label, best, median


def main() -> None:
    print(f"  machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        start = time.perf_counter()
        seed(url)
        print(f"  seeding (not timed below): {time.perf_counter() - start:.1f} s", flush=True)
        engine = make_engine(url)
        factory = session_factory(engine)
        try:
            with transaction(factory) as session:
                round_ = session.scalar(sa.select(Round).where(
                    Round.name == ROUNDS[-1][0]))
                region = next(u for u in round_.units if u.parent_id is None)
                agency = build_report(session, round_)
                print(f"  agency: {agency.n_responses} responses, "
                      f"{len(agency.units) - 1} units, "
                      f"{sum(c.status == 'withheld' for c in agency.units)} withheld, "
                      f"{len(agency.change)} domains compared", flush=True)
                timed("build_report, whole agency", lambda: build_report(session, round_))
                timed(f"build_report, one region ({region.name})",
                      lambda: build_report(session, round_, region.id))
                timed("build_round_reports, every scope (what close freezes)",
                      lambda: build_round_reports(session, round_), repeats=1)
            size = len(report_pdf(agency, "en"))
            timed(f"report_pdf, whole agency ({size / 1e6:.1f} MB)",
                  lambda: report_pdf(agency, "en"))
            timed("report_html, whole agency", lambda: report_html(agency, "en"))
            timed("report_xlsx, whole agency", lambda: report_xlsx(agency, "en"))
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
