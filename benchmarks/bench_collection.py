"""Collection benchmark: 3,200 people submitting at once to a round of 400 units, then close.

The agency: 400 units of 10 invited people each, a round of ``ti-staff`` 1.1.0 with k = 10;
8 codes issued per unit (3,200 codes). Seeding (not timed) uses the round services.

Timed, on a temporary SQLite file and, when ``TISA_TEST_DATABASE_URL`` names a PostgreSQL
server on this machine (loopback only), in a temporary database on it:

* ``THREADS`` threads submit the 3,200 codes as fast as they can, each submission one
  `storage.survey_service.submit_response` in its own ``transaction(write=True)``, every item
  answered, one in five with a comment: submissions per second, refusals (with their reasons),
  and the longest single submission, waits for locks included;
* ``close_round`` writing every sealed submission into responses, answers and comments (one
  transaction; as long as it runs, no other submission can be stored), and after it
  ``scrub_after_close``.

Run: ``.venv/bin/python -m benchmarks collection``.
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from benchmarks.databases import run_on_postgres
from benchmarks.machine import machine
from storage.bootstrap import initialize
from storage.engine import make_engine, session_factory, transaction
from storage.instrument_repo import get_instrument_version
from storage.models import Answer, Comment, Response, Round
from storage.organization_repo import create_organization, import_units
from storage.round_service import UnitInvitation, close_round, create_round, issue_codes, open_round
from storage.scrub import scrub_after_close
from storage.survey_service import DraftUpdate, SurveyUnavailable, submit_response

N_UNITS = 400
INVITED = 10
K = 10
SUBMISSIONS_PER_UNIT = 8
THREADS = 32
SEED = 20261203


def seed(url: str) -> tuple[int, list[str]]:
    """The round and its codes (see the module docstring)."""
    initialize(url)
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            organization = create_organization(session, "Collection benchmark")
            units = import_units(
                session,
                organization,
                "code,name\n" + "".join(f"u{n:03d},Team {n:03d}\n" for n in range(N_UNITS)),
            )
            round_ = create_round(
                session,
                organization,
                name="Collection",
                instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
                invitations=[UnitInvitation(unit, INVITED) for unit in units],
                languages=("en",),
                min_group_size=K,
                min_comment_group_size=K,
            )
            open_round(session, round_)
            codes = [
                code
                for unit in round_.units
                for code in issue_codes(session, round_, unit, SUBMISSIONS_PER_UNIT)
            ]
            return round_.id, codes
    finally:
        engine.dispose()


def run(url: str, label: str) -> None:
    start = time.perf_counter()
    round_id, codes = seed(url)
    print(f"  {label}: seeding (not timed) {time.perf_counter() - start:.1f} s", flush=True)
    rng = np.random.default_rng(SEED)
    engine = make_engine(url, pool_size=THREADS, max_overflow=4)
    factory = session_factory(engine)
    try:
        with transaction(factory) as session:
            instrument = session.get(Round, round_id).instrument_version.instrument()
        item_ids = instrument.item_ids()
        order = list(codes)
        secrets.SystemRandom().shuffle(order)
        updates = [
            DraftUpdate(
                answers=dict(
                    zip(item_ids, map(int, rng.integers(1, 6, len(item_ids))), strict=True)
                ),
                comments={"": f"comment {n}"} if n % 5 == 0 else {},
                role=None,
                language="en",
                current_page=0,
                added_seconds=int(rng.integers(60, 900)),
            )
            for n in range(len(order))
        ]
        waits: list[float] = []
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()

        def submit(n: int) -> None:
            began = time.perf_counter()
            try:
                with transaction(factory, write=True) as session:
                    submit_response(session, order[n], updates[n])
                outcome = "stored"
            except SurveyUnavailable as refused:
                outcome = f"refused: {refused.reason}"
            except Exception as error:  # noqa: BLE001 - counted and shown, never hidden
                outcome = f"failed: {type(error).__name__}: {str(error).splitlines()[0]}"
            took = time.perf_counter() - began
            with lock:
                waits.append(took)
                outcomes[outcome] += 1

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            list(pool.map(submit, range(len(order))))
        elapsed = time.perf_counter() - start
        stored = outcomes["stored"]
        ordered = sorted(waits)
        print(
            f"  {label}: {len(order)} submissions from {THREADS} threads in {elapsed:.1f} s: "
            f"{stored / elapsed:.0f} stored/s; outcomes {dict(outcomes)}; one submission "
            f"median {statistics.median(ordered) * 1000:.0f} ms, 99th percentile "
            f"{ordered[int(len(ordered) * 0.99)] * 1000:.0f} ms, longest {ordered[-1]:.2f} s",
            flush=True,
        )

        start = time.perf_counter()
        with transaction(factory, write=True) as session:
            close_round(session, session.get(Round, round_id))
        closing = time.perf_counter() - start
        start = time.perf_counter()
        scrubbed = scrub_after_close(engine)
        scrubbing = time.perf_counter() - start
        with transaction(factory) as session:
            counts = [
                session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (Response, Answer, Comment)
            ]
        print(
            f"  {label}: close_round released {counts[0]} responses, {counts[1]} answers, "
            f"{counts[2]} comments in {closing:.2f} s (one transaction); scrub_after_close "
            f"{scrubbing:.2f} s ({scrubbed.detail})",
            flush=True,
        )
    finally:
        engine.dispose()


def main() -> None:
    print(f"  machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite")
    run_on_postgres(run)
