"""Reports cached per round and scope, as they were frozen when the round closed.

A report is computed once, when its round closes, and stored (`reports.frozen`); reading it
back means decoding its JSON, so pages and exports share one cache per process of the decoded
results. The key is the database, the round, the scope and the stored report's SHA-256, which
never changes once written. Action items are plans, not results: they are attached on every
read, as they stand. The cache holds plain frozen data, the same for every viewer: disclosure
control never depends on who is looking.

A draft or open round has no report: `cached_report` raises `reports.builder.ResultsNotReady`
before anything of it is read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.orm import Session

from reports.builder import Report
from reports.frozen import attach_actions, read_results, stored_report
from storage.models import Round

MAX_ENTRIES = 64

_lock = threading.Lock()
_entries: OrderedDict[tuple, Report] = OrderedDict()


def cached_report(session: Session, round_: Round, scope_unit_id: int | None = None) -> Report:
    """The frozen report of the closed round `round_` for the scope, with today's actions.

    Raises `reports.builder.ResultsNotReady` for a draft or open round."""
    stored = stored_report(session, round_, scope_unit_id, text=False)
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (url, round_.id, scope_unit_id, stored.sha256)
    with _lock:
        results = _entries.get(key)
        if results is not None:
            _entries.move_to_end(key)
    if results is None:
        if stored.text is None:
            stored = stored_report(session, round_, scope_unit_id)
        results = read_results(stored)
        with _lock:
            _entries[key] = results
            _entries.move_to_end(key)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return attach_actions(session, round_, results)


def clear() -> None:
    with _lock:
        _entries.clear()
