"""The report of a round, computed once when the round closes and kept as it was.

The promise (DESIGN.md section 6, "No live results; frozen reports"), kept here:

- **Nobody reads results of a round that is not closed.** `frozen_report` (and
  `reports.report_cache.cached_report`, which every page uses) refuses a draft or open round
  with `reports.builder.ResultsNotReady`, before anything of its responses is read; so does
  `freeze_round`.
  While a round is open only its response rates are shown (`storage.round_service`).
- **Computed once.** The report of the agency and of every unit of the round's snapshot is
  built from one reading of the closed round (`reports.builder.build_round_reports`) and each
  is stored as JSON with its SHA-256 in ``round_reports``, one row per (round, scope), under a
  unique key: a scope is stored at most once and never rewritten, and `freeze_round` refuses a
  round already frozen (`AlreadyFrozen`). `reports.round_close` freezes a round right after it
  closes, computing in a read-only transaction and storing in a short write one; rounds closed
  before frozen reports existed are frozen on their first read (one writer wins the unique
  key; the others read what it stored).
- **Kept as it was.** Pages, exports, the CLI and the staff summary read the stored JSON back
  (checked against its SHA-256), never the responses, so what is shown after publishing is what
  was computed at close, byte for byte, whatever happens later. Action items are not results
  but the plan made from them: they are attached when the report is read (`attach_actions`),
  from the live table, so planning after close shows up without changing a single result.
  The stored report's `round_status` is the status it was computed in ("closed").

The codec (`encode_report`, `decode_report`) is generic: it follows the type hints of the frozen
dataclasses of `reports.builder` (``Report`` and everything in it), so a field added there is
frozen without a change here. JSON holds: dataclasses as objects (field order kept), tuples and
lists as arrays, dicts with string keys as objects and other dicts as arrays of [key, value]
pairs, dates as ISO text, enums by value. A float that is not finite (nan) is stored as null and
read back as None where the field allows None, else as nan: "no number" either way. A union of
types must be told apart by its JSON kind (`schema_problems` lists those that cannot). A field
added later needs a default (reports stored before lack it); a renamed field is listed in
`RENAMED_FIELDS`, so that the old key is read into it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import numbers
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reports.action_views import action_views
from reports.builder import AGENCY, Report, build_round_reports, require_results
from reports.builder import RESULT_STATUSES as FINISHED
from storage.engine import WRITE_TRANSACTION_OPTION, session_factory, transaction
from storage.errors import Conflict, StorageError
from storage.models import Round, RoundReport

# -- refusals ----------------------------------------------------------------------------------


class AlreadyFrozen(Conflict):
    """The round's report was computed already; it is never computed again."""


class FrozenReportDamaged(StorageError):
    """A stored report does not match its SHA-256 or cannot be read by this version of tisa."""


# -- the codec ---------------------------------------------------------------------------------


class FrozenFormatError(ValueError):
    """A value cannot be written as, or read back from, frozen JSON; the message names where."""


_NONE = type(None)

#: Fields renamed since reports were first frozen, per dataclass: a report stored before
#: holds the old key, read into the field of the new name.
RENAMED_FIELDS: dict[str, dict[str, str]] = {
    "DomainResult": {"polarized_units": "split_units"},
}


def encode_report(report: Report) -> str:
    """`report` as canonical JSON text (compact, field order kept, no NaN)."""
    return json.dumps(encode(report, Report), ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def decode_report(text: str) -> Report:
    """The `Report` that `encode_report` wrote."""
    return decode(json.loads(text), Report)


def digest(text: str) -> str:
    """The SHA-256 of a frozen report's text, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _is_dataclass_type(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _string_keyed(key_hint: Any) -> bool:
    return key_hint is str or (isinstance(key_hint, type) and issubclass(key_hint, str))


def encode(value: Any, hint: Any, path: str = "report") -> Any:
    """`value`, declared as `hint`, as JSON-ready data (see the module docstring)."""
    if hint is Any or hint is object:
        return _plain(value, path)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if _is_union(hint):
        if value is None:
            if _NONE in args:
                return None
            raise FrozenFormatError(f"{path}: None is not a {hint}")
        arms = [a for a in args if a is not _NONE]
        for strict in (True, False):
            for arm in arms:
                if _accepts(arm, value, strict=strict):
                    return encode(value, arm, path)
        raise FrozenFormatError(f"{path}: {value!r} is not a {hint}")
    if value is None:
        raise FrozenFormatError(f"{path}: None where a {hint} is declared")
    if _is_dataclass_type(hint):
        if not isinstance(value, hint):
            raise FrozenFormatError(f"{path}: {type(value).__name__} is not a {hint.__name__}")
        hints = _hints(hint)
        return {
            f.name: encode(getattr(value, f.name), hints[f.name], f"{path}.{f.name}")
            for f in dataclasses.fields(hint)
        }
    if hint is bool:
        if not _accepts(bool, value, strict=True):
            raise FrozenFormatError(f"{path}: {value!r} is not a bool")
        return bool(value)
    if hint is int:
        if not _accepts(int, value, strict=True):
            raise FrozenFormatError(f"{path}: {value!r} is not an int")
        return int(value)
    if hint is float:
        if not _accepts(float, value, strict=False):
            raise FrozenFormatError(f"{path}: {value!r} is not a float")
        number = float(value)
        return number if math.isfinite(number) else None
    if hint is datetime or hint is date:
        if not _accepts(hint, value, strict=True):
            raise FrozenFormatError(f"{path}: {value!r} is not a {hint.__name__}")
        return value.isoformat()
    if isinstance(hint, type) and issubclass(hint, Enum):
        if not isinstance(value, hint):
            raise FrozenFormatError(f"{path}: {value!r} is not a {hint.__name__}")
        return value.value
    if hint is str:
        if not isinstance(value, str):
            raise FrozenFormatError(f"{path}: {value!r} is not a str")
        return str(value)
    if origin is typing.Literal:
        if value not in args:
            raise FrozenFormatError(f"{path}: {value!r} is none of {args}")
        return value
    if origin in (tuple, list, set, frozenset) or hint in (tuple, list):
        if not isinstance(value, (tuple, list, set, frozenset)):
            raise FrozenFormatError(f"{path}: {type(value).__name__} is not a {hint}")
        items = list(value)
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            if args == ((),):
                args = ()
            if len(items) != len(args):
                raise FrozenFormatError(f"{path}: {len(items)} values where {hint} has "
                                        f"{len(args)}")
            return [encode(v, a, f"{path}[{i}]")
                    for i, (v, a) in enumerate(zip(items, args, strict=True))]
        element = args[0] if args else Any
        encoded = [encode(v, element, f"{path}[{i}]") for i, v in enumerate(items)]
        if origin in (set, frozenset):  # no order of its own: a stable one
            encoded.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return encoded
    if origin in (dict, Mapping) or hint is dict:
        if not isinstance(value, Mapping):
            raise FrozenFormatError(f"{path}: {type(value).__name__} is not a {hint}")
        key_hint, value_hint = args if args else (Any, Any)
        if _string_keyed(key_hint):
            return {
                encode(k, key_hint, f"{path} key"): encode(v, value_hint, f"{path}[{k!r}]")
                for k, v in value.items()
            }
        return [
            [encode(k, key_hint, f"{path} key"), encode(v, value_hint, f"{path}[{k!r}]")]
            for k, v in value.items()
        ]
    raise FrozenFormatError(f"{path}: cannot freeze a value declared as {hint!r}")


def _accepts(hint: Any, value: Any, *, strict: bool) -> bool:
    """Whether `value` is of the union arm `hint` (strict: an int is not taken for a float)."""
    if hint is Any or hint is object:
        return True
    if _is_union(hint):
        return any(_accepts(a, value, strict=strict) for a in typing.get_args(hint))
    if hint is _NONE:
        return value is None
    if _is_dataclass_type(hint):
        return isinstance(value, hint)
    if hint is bool:
        return isinstance(value, bool) or type(value).__name__ == "bool_"
    if hint is int:
        return isinstance(value, numbers.Integral) and not _accepts(bool, value, strict=True)
    if hint is float:
        if _accepts(bool, value, strict=True):
            return False
        if strict:
            return isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral)
        return isinstance(value, numbers.Real)
    if hint is datetime:
        return isinstance(value, datetime)
    if hint is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return isinstance(value, hint)
    if hint is str:
        return isinstance(value, str) and not isinstance(value, Enum)
    origin = typing.get_origin(hint) or hint
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if origin is tuple:
        return isinstance(value, tuple)
    if origin is list:
        return isinstance(value, list)
    if origin in (set, frozenset):
        return isinstance(value, (set, frozenset))
    if origin in (dict, Mapping):
        return isinstance(value, Mapping)
    return False


def _plain(value: Any, path: str) -> Any:
    """A value declared as Any: only JSON's own kinds are frozen."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {k: _plain(v, f"{path}[{k!r}]") for k, v in value.items()}
    raise FrozenFormatError(f"{path}: cannot freeze {type(value).__name__} without a type hint")


def decode(data: Any, hint: Any, path: str = "report") -> Any:
    """The value of type `hint` that `encode` wrote as `data`."""
    if hint is Any or hint is object:
        return data
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if _is_union(hint):
        if data is None:
            if _NONE in args:
                return None
            if float in args:
                return math.nan
            raise FrozenFormatError(f"{path}: null is not a {hint}")
        arms = [a for a in args if a is not _NONE]
        exact = [a for a in arms if _fits(a, data, exact=True)]
        candidates = exact or [a for a in arms if _fits(a, data, exact=False)]
        if len(candidates) != 1:
            why = "none" if not candidates else "more than one"
            raise FrozenFormatError(f"{path}: {why} of {hint} fits {data!r}")
        return decode(data, candidates[0], path)
    if hint is float:
        if data is None:
            return math.nan
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise FrozenFormatError(f"{path}: {data!r} is not a number")
        return float(data)
    if data is None:
        raise FrozenFormatError(f"{path}: null where a {hint} is declared")
    if _is_dataclass_type(hint):
        if not isinstance(data, dict):
            raise FrozenFormatError(f"{path}: {hint.__name__} expects an object")
        hints = _hints(hint)
        renamed = RENAMED_FIELDS.get(hint.__name__, {})
        if renamed:
            data = {renamed.get(key, key): value for key, value in data.items()}
        values = {}
        for f in dataclasses.fields(hint):
            if not f.init:
                continue
            if f.name in data:
                values[f.name] = decode(data[f.name], hints[f.name], f"{path}.{f.name}")
            elif (f.default is dataclasses.MISSING
                  and f.default_factory is dataclasses.MISSING):
                raise FrozenFormatError(f"{path}: {hint.__name__}.{f.name} is missing")
        return hint(**values)
    if hint is bool:
        if not isinstance(data, bool):
            raise FrozenFormatError(f"{path}: {data!r} is not true or false")
        return data
    if hint is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise FrozenFormatError(f"{path}: {data!r} is not a whole number")
        return data
    if hint in (str, datetime, date) or (isinstance(hint, type) and issubclass(hint, Enum)):
        if isinstance(hint, type) and issubclass(hint, Enum):
            return hint(data)
        if not isinstance(data, str):
            raise FrozenFormatError(f"{path}: {data!r} is not text")
        if hint is datetime:
            return datetime.fromisoformat(data)
        if hint is date:
            return date.fromisoformat(data)
        return data
    if origin is typing.Literal:
        if data not in args:
            raise FrozenFormatError(f"{path}: {data!r} is none of {args}")
        return data
    if origin in (tuple, list, set, frozenset) or hint in (tuple, list):
        if not isinstance(data, list):
            raise FrozenFormatError(f"{path}: {hint} expects an array")
        container = origin or hint
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            if args == ((),):
                args = ()
            if len(data) != len(args):
                raise FrozenFormatError(f"{path}: {len(data)} values where {hint} has "
                                        f"{len(args)}")
            return tuple(decode(v, a, f"{path}[{i}]")
                         for i, (v, a) in enumerate(zip(data, args, strict=True)))
        element = args[0] if args else Any
        return container(decode(v, element, f"{path}[{i}]") for i, v in enumerate(data))
    if origin in (dict, Mapping) or hint is dict:
        key_hint, value_hint = args if args else (Any, Any)
        if _string_keyed(key_hint):
            if not isinstance(data, dict):
                raise FrozenFormatError(f"{path}: {hint} expects an object")
            pairs = list(data.items())
        else:
            if not isinstance(data, list) or not all(
                isinstance(p, list) and len(p) == 2 for p in data
            ):
                raise FrozenFormatError(f"{path}: {hint} expects an array of [key, value]")
            pairs = data
        return {
            decode(k, key_hint, f"{path} key"): decode(v, value_hint, f"{path}[{k!r}]")
            for k, v in pairs
        }
    raise FrozenFormatError(f"{path}: cannot read a value declared as {hint!r}")


def _kinds(hint: Any) -> tuple[set[str], set[str]]:
    """(exact, loose): the JSON kinds a value of `hint` is written as, and those it is also
    read from (a float from a whole number, a float from null)."""
    if hint is Any or hint is object:
        kinds = {"null", "bool", "int", "float", "str", "array", "object"}
        return kinds, kinds
    if _is_union(hint):
        exact: set[str] = set()
        loose: set[str] = set()
        for arm in typing.get_args(hint):
            e, lo = _kinds(arm)
            exact |= e
            loose |= lo
        return exact, loose
    if hint is _NONE:
        return {"null"}, {"null"}
    if hint is bool:
        return {"bool"}, {"bool"}
    if hint is int:
        return {"int"}, {"int"}
    if hint is float:
        return {"float", "null"}, {"float", "null", "int"}
    if hint in (str, date, datetime):
        return {"str"}, {"str"}
    if isinstance(hint, type) and issubclass(hint, Enum):
        kinds = {_kind(member.value) for member in hint}
        return kinds, kinds
    if _is_dataclass_type(hint):
        return {"object"}, {"object"}
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        kinds = {_kind(v) for v in args}
        return kinds, kinds
    if origin in (tuple, list, set, frozenset) or hint in (tuple, list):
        return {"array"}, {"array"}
    if origin in (dict, Mapping) or hint is dict:
        kind = "object" if _string_keyed(args[0] if args else str) else "array"
        return {kind}, {kind}
    return set(), set()


def _kind(data: Any) -> str:
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "bool"
    if isinstance(data, int):
        return "int"
    if isinstance(data, float):
        return "float"
    if isinstance(data, str):
        return "str"
    return "array" if isinstance(data, list) else "object"


def _fits(hint: Any, data: Any, *, exact: bool) -> bool:
    exact_kinds, loose_kinds = _kinds(hint)
    return _kind(data) in (exact_kinds if exact else loose_kinds)


def schema_problems(root: type = Report) -> list[str]:
    """Where the type hints under `root` cannot be frozen and read back unambiguously: a type
    the codec does not know, or a union two of whose types are written as the same JSON kind
    (say ``date | str``). Empty when every field can be frozen."""
    problems: list[str] = []
    seen: set[type] = set()

    def walk(hint: Any, path: str) -> None:
        if _is_dataclass_type(hint):
            if hint in seen:
                return
            seen.add(hint)
            for name, field_hint in _hints(hint).items():
                walk(field_hint, f"{hint.__name__}.{name}")
            return
        if _is_union(hint):
            arms = [a for a in typing.get_args(hint) if a is not _NONE]
            for i, a in enumerate(arms):
                for b in arms[i + 1:]:
                    shared = (_kinds(a)[0] & _kinds(b)[0]) - {"null"}
                    if shared:
                        problems.append(f"{path}: {a} and {b} are both written as "
                                        f"{', '.join(sorted(shared))}")
            for a in arms:
                walk(a, path)
            return
        if not _kinds(hint)[0]:
            problems.append(f"{path}: {hint!r} cannot be frozen")
            return
        for arg in typing.get_args(hint):
            if arg is not Ellipsis and typing.get_origin(hint) is not typing.Literal:
                walk(arg, path)

    walk(root, root.__name__)
    return problems


# -- freezing ----------------------------------------------------------------------------------


def results_only(report: Report) -> Report:
    """The report without its action items (plans, attached when the report is read)."""
    return dataclasses.replace(report, actions_before=(), actions_now=())


def compute_round_reports(session: Session, round_: Round) -> dict[int, str]:
    """The frozen JSON of the report of every scope of the closed `round_` (the agency under
    `reports.builder.AGENCY`, then each round unit by id), computed from one reading of the
    round (`reports.builder.build_round_reports`). Reads only: the caller's transaction may be
    read-only, and so holds no lock while this runs (it takes seconds on a large round).

    Raises `ResultsNotReady` for a draft or open round."""
    require_results(round_)
    return {
        AGENCY if scope is None else scope: encode_report(results_only(report))
        for scope, report in build_round_reports(session, round_).items()
    }


def store_round_reports(session: Session, round_: Round, texts: dict[int, str]) -> int:
    """Store the reports `compute_round_reports` gave for the scopes not stored yet, in the
    caller's write transaction; returns how many were stored. A scope stored meanwhile (by
    a first read racing with the close) is kept as it is: both were computed from the same
    closed round. Raises `ResultsNotReady` for a draft or open round."""
    require_results(round_)
    present = set(session.scalars(
        sa.select(RoundReport.scope_key).where(RoundReport.round_id == round_.id)
    ))
    missing = [key for key in texts if key not in present]
    session.add_all(
        RoundReport(round_id=round_.id, scope_key=key, report=texts[key],
                    sha256=digest(texts[key]))
        for key in missing
    )
    session.flush()
    return len(missing)


def freeze_round(session: Session, round_: Round) -> int:
    """Compute and store the report of the closed round `round_` for the agency and for every
    unit of its snapshot, in the caller's write transaction. Returns how many were stored.

    Raises `ResultsNotReady` for a draft or open round and `AlreadyFrozen` when the round's
    reports were stored before.
    """
    require_results(round_)
    if _frozen_scopes(session, round_.id) >= _scope_keys(round_):
        raise AlreadyFrozen(
            f"the report of round {round_.name!r} was computed when it closed and is kept "
            "as it is"
        )
    return store_round_reports(session, round_, compute_round_reports(session, round_))


def freeze_closed_rounds(session: Session) -> int:
    """Freeze every closed or published round that has no frozen report yet (rounds closed
    before reports were frozen, a demo loaded without the close service), in the caller's
    write transaction. Returns how many rounds were frozen."""
    frozen = sa.select(RoundReport.round_id)
    rounds = session.scalars(
        sa.select(Round).where(Round.status.in_(FINISHED), Round.id.not_in(frozen))
        .order_by(Round.id)
    ).all()
    for round_ in rounds:
        freeze_round(session, round_)
    return len(rounds)


def _scope_keys(round_: Round) -> set[int]:
    return {AGENCY, *(unit.id for unit in round_.units)}


def _frozen_scopes(session: Session, round_id: int) -> set[int]:
    return set(session.scalars(
        sa.select(RoundReport.scope_key).where(RoundReport.round_id == round_id)
    ))


# -- reading -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StoredReport:
    """A frozen report as stored: its SHA-256 and (when read) its text."""

    sha256: str
    text: str | None


def _scope_key(round_: Round, scope_unit_id: int | None) -> int:
    if scope_unit_id is None:
        return AGENCY
    if scope_unit_id not in {unit.id for unit in round_.units}:
        raise LookupError(f"round {round_.name!r} has no unit {scope_unit_id}")
    return scope_unit_id


def _stored(session: Session, round_id: int, scope_key: int, *, text: bool) -> StoredReport | None:
    columns = [RoundReport.sha256] + ([RoundReport.report] if text else [])
    row = session.execute(
        sa.select(*columns).where(
            RoundReport.round_id == round_id, RoundReport.scope_key == scope_key
        )
    ).first()
    if row is None:
        return None
    return StoredReport(row[0], row[1] if text else None)


def stored_report(
    session: Session, round_: Round, scope_unit_id: int | None, *, text: bool = True
) -> StoredReport:
    """The frozen report of `round_` for the scope (`scope_unit_id` None: the agency), with
    its text when `text`. A round closed before reports were frozen is frozen now (see the
    module docstring). Raises `ResultsNotReady` for a draft or open round."""
    require_results(round_)
    key = _scope_key(round_, scope_unit_id)
    found = _stored(session, round_.id, key, text=text)
    if found is not None:
        return found
    return _freeze_late(session, round_, key)


def _freeze_late(session: Session, round_: Round, scope_key: int) -> StoredReport:
    """Freeze a round that closed without its report (every scope at once: one reading of the
    round serves them all), and return the scope's.

    The reports are computed in the caller's transaction, which only reads, and stored in a
    short transaction of its own: the caller's may be read-only, and on SQLite its snapshot
    would not see rows written after it began, so the report is returned from what was stored.
    When the caller's transaction already writes (and so holds SQLite's lock), they are stored
    there, in a savepoint. Of two processes freezing at once, one wins the unique key
    (round, scope); the other reads what the winner stored.
    """
    texts = compute_round_reports(session, round_)
    if session.connection().get_execution_options().get(WRITE_TRANSACTION_OPTION):
        try:
            with session.begin_nested():
                store_round_reports(session, round_, texts)
        except IntegrityError:
            pass
        return _must_exist(_stored(session, round_.id, scope_key, text=True), round_.id)
    bind = session.get_bind()
    factory = session_factory(getattr(bind, "engine", bind))
    try:
        with transaction(factory, write=True) as own:
            store_round_reports(own, own.get(Round, round_.id), texts)
            found = _stored(own, round_.id, scope_key, text=True)
    except IntegrityError:  # another process stored it first (PostgreSQL)
        with transaction(factory) as own:
            found = _stored(own, round_.id, scope_key, text=True)
    return _must_exist(found, round_.id)


def _must_exist(found: StoredReport | None, round_id: int) -> StoredReport:
    if found is None:
        raise FrozenReportDamaged(f"round {round_id} was frozen without this scope's report")
    return found


def read_results(stored: StoredReport) -> Report:
    """The results of a stored report, checked against its SHA-256."""
    if stored.text is None or digest(stored.text) != stored.sha256:
        raise FrozenReportDamaged(
            "the stored report does not match the fingerprint taken when the round closed; "
            "restore the database from a backup"
        )
    try:
        return decode_report(stored.text)
    except (FrozenFormatError, ValueError, TypeError) as exc:
        raise FrozenReportDamaged(
            f"the stored report cannot be read by this version of tisa ({exc})"
        ) from exc


def attach_actions(session: Session, round_: Round, results: Report) -> Report:
    """`results` with the action items planned after this round and after the round it is
    compared with, as they stand now (`reports.action_views`)."""
    names = {point.round_id: point.round_name for point in results.trend}
    names[round_.id] = round_.name
    previous_id = None
    if results.previous_round_name is not None:
        previous_id = next(
            (p.round_id for p in reversed(results.trend)
             if p.round_id != round_.id and p.round_name == results.previous_round_name),
            None,
        )
    before, now = action_views(
        session, round_.organization_id, round_.id, previous_id, names,
        {change.domain_id: change for change in results.change},
    )
    return dataclasses.replace(results, actions_before=before, actions_now=now)


def frozen_report(session: Session, round_: Round, scope_unit_id: int | None = None) -> Report:
    """The report of the closed round `round_` for the scope, as computed when it closed, with
    today's action items. Raises `ResultsNotReady` for a draft or open round."""
    results = read_results(stored_report(session, round_, scope_unit_id))
    return attach_actions(session, round_, results)
