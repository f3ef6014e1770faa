"""Reports cached per round and scope, rebuilt when new responses, comments or actions arrive.

Building a report reads every response of the round (and of the earlier rounds it compares
with), so pages and exports share one cache per process: the key is the database, the round,
the scope and the round's data version (`storage.response_repo.round_data_version`), which
changes whenever something the report shows changes. Earlier rounds are closed and cannot
change. The cache holds plain frozen data, the same for every viewer: disclosure control never
depends on who is looking.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.orm import Session

from reports.builder import Report, build_report
from storage.models import Round
from storage.response_repo import round_data_version

MAX_ENTRIES = 64

_lock = threading.Lock()
_entries: OrderedDict[tuple, Report] = OrderedDict()


def cached_report(session: Session, round_: Round, scope_unit_id: int | None = None) -> Report:
    """The report of `round_` for the scope, from the cache when the data are unchanged."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (url, round_.id, scope_unit_id, round_data_version(session, round_))
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
            return found
    report = build_report(session, round_, scope_unit_id)
    with _lock:
        _entries[key] = report
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return report


def clear() -> None:
    with _lock:
        _entries.clear()
