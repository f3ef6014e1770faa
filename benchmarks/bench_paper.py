"""Paper import benchmark: files of 10,000 and 50,000 paper forms while respondents submit.

The agency: 10 units of 10,000 invited people each, a round of ``ti-staff`` 1.1.0 (62 items),
open. A file of N forms (N = 10,000 and 50,000, the limit per file) spreads over the 10 units,
every item answered with a point or NA, a few skipped (seed 20261204). Seeding is not timed.

Timed, on a temporary SQLite file and, when ``TISA_TEST_DATABASE_URL`` names a PostgreSQL
server on this machine (loopback only), in a temporary database on it, for each N:

* the three steps of `storage.paper_import.import_paper_file`: reading the round (a read
  transaction), checking the file (no transaction open) and storing it (one write transaction:
  the time the write lock is held); the whole import is their sum;
* meanwhile, one thread submits web responses one after another
  (`storage.survey_service.submit_response`, each in its own ``transaction(write=True)``):
  how many went through during the import and the longest single submission;
* for comparison, the check and the store in one write transaction
  (`storage.paper_import.import_paper_responses`), which is how every import ran before: the
  write lock is then held for the whole of it.

Run: ``.venv/bin/python -m benchmarks paper``.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from benchmarks.databases import run_on_postgres
from benchmarks.machine import machine
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Round
from storage.organization_repo import create_organization, import_units
from storage.paper_import import (
    check_paper_forms,
    csv_text,
    import_paper_responses,
    paper_round,
    store_paper_forms,
    template_header,
)
from storage.round_service import UnitInvitation, create_round, issue_codes, open_round
from storage.survey_service import DraftUpdate, submit_response

SIZES = (10_000, 50_000)
N_UNITS = 10
INVITED = 10_000
WEB_CODES = 2_000
SEED = 20261204


def seed_round(url: str, name: str) -> tuple[int, list[str]]:
    """An open round over the units (made on the first call) and web codes of its last unit."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            organization = create_organization(session, f"Paper {name}", slug=f"paper-{name}")
            units = import_units(
                session,
                organization,
                "code,name\n" + "".join(f"u{n:02d},Team {n:02d}\n" for n in range(N_UNITS))
                + "web,Web team\n",
            )
            round_ = create_round(
                session,
                organization,
                name=name,
                instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
                invitations=[UnitInvitation(unit, INVITED) for unit in units],
                languages=("en", "es"),
            )
            open_round(session, round_)
            web = next(unit for unit in round_.units if unit.code == "web")
            codes = issue_codes(session, round_, web, WEB_CODES)
            return round_.id, codes
    finally:
        engine.dispose()


def forms_file(header: list[str], n: int) -> str:
    rng = np.random.default_rng(SEED + n)
    items = header[3:]
    cells = rng.integers(1, 6, size=(n, len(items))).astype(str)
    cells[rng.random(cells.shape) < 0.03] = "NA"
    cells[rng.random(cells.shape) < 0.03] = ""
    units = np.array([f"u{u:02d}" for u in range(N_UNITS)])[np.arange(n) % N_UNITS]
    roles = np.array(["frontline", "supervisor", ""])[rng.integers(0, 3, size=n)]
    languages = np.array(["en", "es"])[rng.integers(0, 2, size=n)]
    rows = np.column_stack([units, roles, languages, cells]).tolist()
    return csv_text([header, *rows])


class Submitter(threading.Thread):
    """Submits web responses one after another until told to stop."""

    def __init__(self, url: str, codes: list[str]) -> None:
        super().__init__(daemon=True)
        self.factory = session_factory(make_engine(url))
        self.codes = codes
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.failures = 0

    def run(self) -> None:
        update = DraftUpdate(answers={"FND-01": 4}, comments={}, role=None, language="en",
                             current_page=0)
        while not self.stop.is_set() and self.codes:
            code = self.codes.pop()
            started = time.perf_counter()
            try:
                with transaction(self.factory, write=True) as session:
                    submit_response(session, code, update)
            except Exception:  # noqa: BLE001 - counted and reported
                self.failures += 1
            self.latencies.append(time.perf_counter() - started)
            time.sleep(0.01)


def run(url: str, label: str) -> None:
    initialize(url)
    engine = make_engine(url)
    factory = session_factory(engine)
    try:
        for n in SIZES:
            round_id, codes = seed_round(url, f"steps-{n}")
            with transaction(factory) as session:
                header = template_header(session.get(Round, round_id))
            text = forms_file(header, n)
            submitter = Submitter(url, codes)
            submitter.start()
            started = time.perf_counter()
            with transaction(factory) as session:
                paper = paper_round(session.get(Round, round_id))
            read = time.perf_counter()
            checked = check_paper_forms(paper, text, source=f"{n}.csv")
            checked_at = time.perf_counter()
            with transaction(factory, write=True) as session:
                report = store_paper_forms(session, session.get(Round, round_id), checked)
            stored = time.perf_counter()
            submitter.stop.set()
            submitter.join()
            submitter.factory.kw["bind"].dispose()
            assert report.responses == n
            during = len(submitter.latencies)
            longest = max(submitter.latencies) if submitter.latencies else float("nan")
            print(
                f"  {label}: {n:,} forms ({len(text) / 1e6:.1f} MB): whole import "
                f"{stored - started:.2f} s = read round {read - started:.2f} s + check (no "
                f"transaction) {checked_at - read:.2f} s + store (write lock held) "
                f"{stored - checked_at:.2f} s; web submissions meanwhile {during}, failed "
                f"{submitter.failures}, longest {longest:.2f} s",
                flush=True,
            )
            round_id, _ = seed_round(url, f"one-{n}")
            began = time.perf_counter()
            with transaction(factory, write=True) as session:
                import_paper_responses(session, session.get(Round, round_id), text)
            print(
                f"  {label}: {n:,} forms checked and stored in one write transaction: "
                f"{time.perf_counter() - began:.2f} s with the write lock held",
                flush=True,
            )
    finally:
        engine.dispose()


def main() -> None:
    print(f"  machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite")
    run_on_postgres(run)
