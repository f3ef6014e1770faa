"""Load instrument files: YAML text → a validated `Instrument`, or a list of located problems.

Every problem becomes one line that names the file, the domain, the item and the field, and says
what is wrong, e.g.::

    custom.yaml: domain SAF, item SAF-03, field text: the 'es' translation is missing

The checks run in two passes: the pydantic models (types, required fields, forms of ids), then
the cross-references a single field cannot see (unknown scales, duplicate ids, translations).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from instruments.model import Instrument, localized_places
from instruments.safe_yaml import YamlRefused, load_yaml, read_yaml
from instruments.text import shorten


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an instrument file, with its place."""

    source: str
    message: str
    domain: str | None = None
    item: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        place = []
        if self.line is not None:
            place.append(f"line {self.line}")
        if self.domain is not None:
            place.append(f"domain {self.domain}")
        if self.item is not None:
            place.append(f"item {self.item}")
        if self.field is not None:
            place.append(f"field {self.field}")
        where = ", ".join(place)
        if where:
            return f"{self.source}: {where}: {self.message}"
        return f"{self.source}: {self.message}"


MAX_PROBLEMS = 50  # listed in one error; the rest are counted


class InstrumentError(ValueError):
    """An instrument could not be loaded; `problems` says every place that needs fixing."""

    def __init__(self, problems: Sequence[Problem]):
        problems = list(problems)
        if len(problems) > MAX_PROBLEMS:  # a hostile file can have a hundred thousand
            more = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [
                Problem(problems[MAX_PROBLEMS].source, f"... and {more:,} more problems")
            ]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in self.problems))


_ID_HINTS = {
    "id": "an instrument id is lower-case words joined by hyphens, e.g. ti-staff",
    "domain": "a domain id is 2 to 10 capital letters or digits starting with a letter, e.g. SAF",
    "item": "an item id is its domain id, a hyphen and two or three digits, e.g. SAF-03",
    "scale": "a scale id is lower-case letters, digits or _, e.g. agree5",
    "language": "a language is a two-letter code, e.g. es",
}


def load_instrument(path: str | Path) -> Instrument:
    """Read and validate one instrument file; raise `InstrumentError` naming every problem.

    The file is read by `instruments.safe_yaml.read_yaml`: at most 2 MB of UTF-8, plain
    scalars, lists and mappings nested at most 20 deep, no anchors, aliases, merge keys, tags
    or repeated keys, every string cleaned by `instruments.text.clean_text`.
    """
    path = Path(path)
    try:
        data = read_yaml(path)
    except FileNotFoundError:
        raise InstrumentError([Problem(str(path), "file not found")]) from None
    except IsADirectoryError:
        raise InstrumentError([Problem(str(path), "is a folder, not an instrument file")]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InstrumentError([Problem(str(path), f"cannot be read ({reason})")]) from None
    except YamlRefused as exc:
        raise InstrumentError([_refused(str(path), exc)]) from None
    return instrument_from_data(data, source=str(path))


def parse_instrument(text: str, source: str = "<text>") -> Instrument:
    """Validate instrument YAML given as text; `source` names it in messages."""
    try:
        data = load_yaml(text)
    except YamlRefused as exc:
        raise InstrumentError([_refused(source, exc)]) from None
    return instrument_from_data(data, source=source)


def _refused(source: str, exc: YamlRefused) -> Problem:
    message = exc.message if exc.column is None else f"{exc.message} (column {exc.column})"
    return Problem(source, message, line=exc.line)


def instrument_from_data(data: Any, source: str = "<data>") -> Instrument:
    """Validate already-parsed instrument data (a mapping)."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InstrumentError(
            [Problem(source, f"an instrument file must be a mapping of fields; this one is {kind}")]
        )
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as exc:
        raise InstrumentError(
            [_problem_from_pydantic(source, data, error) for error in exc.errors()]
        ) from None
    problems = list(_cross_checks(source, instrument))
    if problems:
        raise InstrumentError(problems)
    return instrument


def content_hash(instrument: Instrument) -> str:
    """SHA-256 of the canonical JSON of the definition: formatting and comments do not count."""
    return hashlib.sha256(canonical_json(instrument).encode("utf-8")).hexdigest()


def canonical_json(instrument: Instrument) -> str:
    """The definition as compact JSON with sorted keys: what a round freezes and hashes."""
    payload = instrument.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def instrument_from_json(text: str, source: str = "<frozen definition>") -> Instrument:
    """Rebuild an instrument from `canonical_json` output (e.g. the copy stored with a round)."""
    return instrument_from_data(json.loads(text), source=source)


# -- locating problems ----------------------------------------------------------------------


def _place(data: Any, loc: Sequence[str | int]) -> tuple[str | None, str | None, str | None]:
    """Turn a pydantic loc into (domain, item, field) using the ids found in the raw data."""
    domain = item = None
    rest: list[str | int] = list(loc)
    if len(rest) >= 2 and rest[0] == "domains" and isinstance(rest[1], int):
        domain = _id_at(data, ["domains", rest[1]], fallback=f"#{rest[1] + 1}")
        if len(rest) >= 4 and rest[2] == "items" and isinstance(rest[3], int):
            item = _id_at(data, ["domains", rest[1], "items", rest[3]], fallback=f"#{rest[3] + 1}")
            rest = rest[4:]
        else:
            rest = rest[2:]
    field = ".".join(str(part) for part in rest) or None
    return domain, item, field


def _id_at(data: Any, path: Iterable[str | int], fallback: str) -> str:
    node = data
    try:
        for key in path:
            node = node[key]
    except (KeyError, IndexError, TypeError):
        return fallback
    if isinstance(node, dict) and isinstance(node.get("id"), str) and node["id"].strip():
        return node["id"]
    return fallback


def _problem_from_pydantic(source: str, data: Any, error: dict[str, Any]) -> Problem:
    loc = [part for part in error["loc"] if not (isinstance(part, str) and "[" in part)]
    domain, item, field = _place(data, loc)
    return Problem(source, _message(error, loc), domain=domain, item=item, field=field)


def _message(error: dict[str, Any], loc: Sequence[str | int]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling, or remove it)"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} is not a valid id: {_id_hint(loc)}"
    if kind == "string_too_short":
        return "must not be empty"
    ctx = error.get("ctx", {})
    if kind == "too_short":
        if ctx.get("min_length") == 1:
            return "must not be empty"
        return f"needs at least {ctx.get('min_length')} entries, has {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} entries, has {ctx.get('actual_length')}"
    bounds = {"greater_than": "greater than", "greater_than_equal": "at least",
              "less_than": "less than", "less_than_equal": "at most"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return f"must be {bounds[kind]} {limit}, got {_shown(value)}"
    if kind in {"int_parsing", "int_from_float", "float_parsing", "bool_parsing", "string_type",
                "int_type", "list_type", "dict_type", "bool_type", "model_type"}:
        expected = error["msg"].lower().replace("input should be", "should be")
        return f"{expected}, got {_shown(value)}"
    if kind == "enum":
        expected = ctx.get("expected", "")
        return f"{_shown(value)} is not allowed; expected {expected}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']} (got {_shown(value)})" if value is not None else error["msg"]


def _shown(value: Any) -> str:
    """A value as a message quotes it: its repr, shortened (a file may hold huge values)."""
    return shorten(repr(value), 80)


def _id_hint(loc: Sequence[str | int]) -> str:
    last = loc[-1] if loc else ""
    if loc and loc[0] == "languages" or last in {"en", "es"} or (
        len(loc) >= 2 and loc[-2] in {"title", "why", "text", "labels", "description"}
    ):
        return _ID_HINTS["language"]
    if "items" in loc and last == "id":
        return _ID_HINTS["item"]
    if "lineage" in loc:
        return _ID_HINTS["item"]
    if "domains" in loc and last == "id":
        return _ID_HINTS["domain"]
    if "scales" in loc or last == "scale":
        return _ID_HINTS["scale"]
    return _ID_HINTS["id"]


# -- checks across fields -------------------------------------------------------------------


def _cross_checks(source: str, instrument: Instrument) -> Iterable[Problem]:
    languages = instrument.languages
    raw_ids = {
        "domains": [
            {"id": d.id, "items": [{"id": i.id} for i in d.items]} for d in instrument.domains
        ]
    }

    def at(loc: tuple[str | int, ...], message: str) -> Problem:
        domain, item, field = _place(raw_ids, loc)
        return Problem(source, message, domain=domain, item=item, field=field)

    for loc, texts in localized_places(instrument):
        for lang in languages:
            if lang not in texts:
                yield at(loc, f"the {lang!r} translation is missing")
        for lang in texts:
            if lang not in languages:
                yield at(
                    loc,
                    f"has text in {lang!r}, which is not among the instrument's languages "
                    f"{', '.join(languages)}",
                )

    seen_domains: set[str] = set()
    seen_items: dict[str, str] = {}
    for d, domain in enumerate(instrument.domains):
        if domain.id in seen_domains:
            yield at(("domains", d, "id"), f"domain id {domain.id} is used twice")
        seen_domains.add(domain.id)
        for i, item in enumerate(domain.items):
            loc = ("domains", d, "items", i)
            if item.id in seen_items:
                yield at(loc + ("id",), f"item id {item.id} is already used in domain "
                         f"{seen_items[item.id]}")
            else:
                seen_items[item.id] = domain.id
            prefix = item.id.split("-", 1)[0]
            if prefix != domain.id:
                yield at(loc + ("id",), f"item id {item.id} must start with its domain id "
                         f"{domain.id}-")
            if item.scale not in instrument.scales:
                known = ", ".join(sorted(instrument.scales))
                yield at(loc + ("scale",), f"unknown scale {item.scale!r}; known scales: {known}")
            if item.lineage is not None and item.lineage.change.value == "unchanged" and (
                item.lineage.from_ == item.id
            ):
                yield at(loc + ("lineage",), "lineage 'unchanged' from the same id says nothing; "
                         "remove it")
