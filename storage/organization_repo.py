"""Organizations and their units (a tree): create, find, list.

A change made by a signed-in admin passes that admin as `actor` and is then recorded in the
audit log (``unit.add``, ``unit.rename``, ``unit.move``, ``units.import``).

Slugs and unit codes are what people type (``tisa codes issue ROUND --unit north-office``):
lower-case letters and digits joined by hyphens, made from the name when not given.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments.csv_file import CsvLimits, CsvRefused, check_text
from instruments.text import NAME_MAX
from storage.audit_repo import record_audit
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import Organization, Unit, User
from storage.text_fields import checked_name, lookup_key, shown

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SLUG_MAX = 64
_NAME_MAX = NAME_MAX
_PROBLEMS_SHOWN = 50  # problems listed in one message; the rest are counted
# A units file: at most 5 MB and 10,000 units (instruments.csv_file holds the limits).
UNIT_LIMITS = CsvLimits("a file of units", max_bytes=5 * 1024 * 1024, max_rows=10_000)


@dataclass(frozen=True)
class UnitNode:
    """A unit in the organization's tree, as plain data (usable after the session closes)."""

    id: int
    code: str
    name: str
    active: bool
    parent_id: int | None
    children: tuple[UnitNode, ...] = ()

    def walk(self, depth: int = 0) -> Iterator[tuple[int, UnitNode]]:
        """This unit and every unit below it, depth first, with their depth (0 for this one)."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)

    def subtree_ids(self) -> set[int]:
        """The ids of this unit and of every unit below it."""
        return {node.id for _, node in self.walk()}


def slugify(text: str) -> str:
    """``"Región Norte"`` → ``"region-norte"``: accents dropped, words joined by hyphens."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", unaccented).strip("-")[:_SLUG_MAX].strip("-")


def _slug_for(name: str, kind: str) -> str:
    """The slug made from a name; a name with no Latin letter or digit to make one from (東京,
    "$$") gets ``kind`` and a short digest of the name, the same every time."""
    made = slugify(name)
    if made:
        return made
    return f"{kind}-{hashlib.sha256(name.encode('utf-8', 'replace')).hexdigest()[:8]}"


# -- organizations ---------------------------------------------------------------------------


def create_organization(session: Session, name: str, slug: str | None = None) -> Organization:
    """Store a new organization; its slug is made from the name unless given."""
    name = _clean_name(name, what="organization")
    slug = _clean_slug(
        slug if slug is not None else _slug_for(name, "organization"), what="organization slug"
    )
    if session.scalar(sa.select(Organization.id).where(Organization.slug == slug)) is not None:
        raise Conflict(f"an organization with the slug {slug!r} already exists; choose another")
    organization = Organization(name=name, slug=slug)
    session.add(organization)
    session.flush()
    return organization


def get_organization(session: Session, slug: str) -> Organization:
    key = lookup_key(slug)
    organization = (
        session.scalar(sa.select(Organization).where(Organization.slug == key))
        if key is not None
        else None
    )
    if organization is None:
        known = ", ".join(org.slug for org in list_organizations(session)) or "none yet"
        raise NotFound(f"no organization {shown(slug)}; organizations: {known}")
    return organization


def list_organizations(session: Session) -> list[Organization]:
    return list(session.scalars(sa.select(Organization).order_by(Organization.name)))


def resolve_organization(session: Session, slug: str | None = None) -> Organization:
    """The organization named by `slug`, or the only one when `slug` is None.

    For the command line, where most deployments hold one agency: `NotFound` when there is none
    yet, `InvalidInput` naming the choices when there are several and no slug was given.
    """
    if slug is not None:
        return get_organization(session, slug)
    organizations = list_organizations(session)
    if not organizations:
        raise NotFound("no organization yet: run `tisa init --admin-user NAME` first")
    if len(organizations) > 1:
        choices = ", ".join(org.slug for org in organizations)
        raise InvalidInput(f"several organizations are stored ({choices}); pick one with --org")
    return organizations[0]


# -- units -----------------------------------------------------------------------------------


def add_unit(
    session: Session,
    organization: Organization,
    name: str,
    *,
    code: str | None = None,
    parent: Unit | None = None,
    actor: User | None = None,
) -> Unit:
    """Add a unit to the organization, at the top or under `parent`.

    `code` is made from the name unless given, and must be unique within the organization.
    """
    unit = _new_unit(session, organization, name, code=code, parent=parent)
    _audit(
        session,
        organization,
        actor,
        "unit.add",
        unit,
        {"name": unit.name, "parent": parent.code if parent is not None else None},
    )
    return unit


def _new_unit(
    session: Session,
    organization: Organization,
    name: str,
    *,
    code: str | None,
    parent: Unit | None,
) -> Unit:
    name = _clean_name(name, what="unit")
    code = _clean_slug(code if code is not None else _slug_for(name, "unit"), what="unit code")
    if parent is not None and parent.organization_id != organization.id:
        raise InvalidInput(
            f"unit {parent.code!r} belongs to another organization and cannot be the parent "
            f"of a unit of {organization.slug!r}"
        )
    taken = session.scalar(
        sa.select(Unit.id).where(Unit.organization_id == organization.id, Unit.code == code)
    )
    if taken is not None:
        raise Conflict(
            f"{organization.slug!r} already has a unit with the code {code!r}; give this unit "
            "another code"
        )
    unit = Unit(
        organization_id=organization.id,
        parent_id=parent.id if parent is not None else None,
        name=name,
        code=code,
    )
    session.add(unit)
    session.flush()
    return unit


def get_unit(session: Session, organization: Organization, code: str) -> Unit:
    key = lookup_key(code)
    unit = (
        session.scalar(
            sa.select(Unit).where(Unit.organization_id == organization.id, Unit.code == key)
        )
        if key is not None
        else None
    )
    if unit is None:
        known = ", ".join(u.code for u in list_units(session, organization)) or "none yet"
        raise NotFound(f"{organization.slug!r} has no unit {shown(code)}; its units: {known}")
    return unit


def rename_unit(session: Session, unit: Unit, name: str, *, actor: User | None = None) -> Unit:
    """Give a unit a new name; rounds already launched keep the name they froze."""
    before = unit.name
    unit.name = _clean_name(name, what="unit")
    session.flush()
    _audit(
        session, unit.organization, actor, "unit.rename", unit, {"from": before, "to": unit.name}
    )
    return unit


def move_unit(
    session: Session, unit: Unit, new_parent: Unit | None, *, actor: User | None = None
) -> Unit:
    """Put a unit (with everything below it) under `new_parent`, or at the top for None.

    Refuses to put a unit under itself or under one of its own descendants.
    """
    if new_parent is not None:
        if new_parent.organization_id != unit.organization_id:
            raise InvalidInput(f"unit {new_parent.code!r} belongs to another organization")
        current: Unit | None = new_parent
        while current is not None:
            if current.id == unit.id:
                raise InvalidInput(
                    f"unit {unit.code!r} cannot move under {new_parent.code!r}, which is "
                    f"{'itself' if new_parent.id == unit.id else 'one of its own sub-units'}"
                )
            current = session.get(Unit, current.parent_id) if current.parent_id else None
    unit.parent_id = new_parent.id if new_parent is not None else None
    session.flush()
    parent_code = new_parent.code if new_parent is not None else None
    _audit(session, unit.organization, actor, "unit.move", unit, {"parent": parent_code})
    return unit


def import_units(
    session: Session,
    organization: Organization,
    text: str,
    *,
    source: str = "the file",
    actor: User | None = None,
) -> list[Unit]:
    """Add units from CSV text with columns ``name``, optional ``code`` and ``parent`` (the
    parent's code, earlier in the file or already stored). All or nothing: every problem is
    reported as ``source row R, column C: what``, and nothing is added unless there is none.
    With an `actor`, one ``units.import`` event names the units added.
    """
    try:  # size, NUL and the number of rows, each refused naming the place
        text = check_text(text, UNIT_LIMITS, source=source)
    except CsvRefused as refused:
        raise InvalidInput(str(refused)) from None
    if text.count("\n") > UNIT_LIMITS.max_rows + 1:
        raise InvalidInput(
            f"{source}: more than {UNIT_LIMITS.max_rows + 1:,} lines (a header and "
            f"{UNIT_LIMITS.max_rows:,} units, the limit for {UNIT_LIMITS.what}); split the file"
        )
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in reader.fieldnames or []]
    except csv.Error as exc:
        raise InvalidInput(f"{source} row 1: not a readable CSV header ({exc})") from None
    problems: list[str] = []
    if "name" not in header:
        raise InvalidInput(f"{source} row 1: the column 'name' is missing (columns: name, "
                           "code, parent)")
    unknown = [column for column in header if column not in {"name", "code", "parent"}]
    if unknown:
        raise InvalidInput(f"{source} row 1, column {shown(unknown[0])}: unknown column "
                           "(columns: name, code, parent)")
    existing = {unit.code: unit for unit in list_units(session, organization)}
    planned: dict[str, tuple[str, str | None]] = {}
    rows = enumerate(reader, start=2)
    while True:
        try:
            line, raw = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{source} row {reader.line_num}: not readable as CSV ({exc})")
            break
        if None in raw:
            problems.append(f"{source} row {line}: more cells than columns in the header")
            continue
        record = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        if not record.get("name"):
            problems.append(f"{source} row {line}, column name: empty")
            continue
        try:
            name = checked_name(record["name"], field="unit name", max_length=_NAME_MAX)
        except InvalidInput as refused:
            problems.append(f"{source} row {line}, column name: {refused}")
            continue
        code = record.get("code") or _slug_for(name, "unit")
        if not _SLUG.fullmatch(code) or len(code) > _SLUG_MAX:
            problems.append(
                f"{source} row {line}, column code: {shown(code)} must be lower-case letters "
                f"and digits joined by hyphens, at most {_SLUG_MAX} characters"
            )
            continue
        if code in existing or code in planned:
            problems.append(f"{source} row {line}, column code: the code {code!r} is taken")
            continue
        parent = record.get("parent") or None
        if parent is not None and parent not in existing and parent not in planned:
            problems.append(
                f"{source} row {line}, column parent: no unit {shown(parent)} above this row "
                "or stored"
            )
            continue
        planned[code] = (name, parent)
    if not planned and not problems:
        problems.append(f"{source}: no rows below the header")
    if problems:
        more = len(problems) - _PROBLEMS_SHOWN
        raise InvalidInput("\n".join(
            problems[:_PROBLEMS_SHOWN] + ([f"... and {more} more problems"] if more > 0 else [])
        ))
    added: list[Unit] = []
    for code, (name, parent_code) in planned.items():
        parent = existing.get(parent_code) if parent_code else None
        unit = _new_unit(session, organization, name, code=code, parent=parent)
        existing[code] = unit
        added.append(unit)
    if actor is not None:
        record_audit(
            session,
            organization,
            "units.import",
            user=actor,
            target=source,
            detail={"count": len(added), "units": [unit.code for unit in added]},
        )
    return added


def list_units(session: Session, organization: Organization) -> list[Unit]:
    """Every unit of the organization in tree order: each parent before its children,
    siblings by name."""
    units = {
        unit.id: unit
        for unit in session.scalars(sa.select(Unit).where(Unit.organization_id == organization.id))
    }
    return [units[node.id] for root in _build_tree(units.values()) for _, node in root.walk()]


def unit_tree(session: Session, organization: Organization) -> list[UnitNode]:
    """The organization's units as a tree: the top-level units, siblings by name."""
    units = session.scalars(sa.select(Unit).where(Unit.organization_id == organization.id))
    return _build_tree(units)


def _build_tree(units: Iterable[Unit]) -> list[UnitNode]:
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)

    def node(unit: Unit) -> UnitNode:
        children = sorted(by_parent.get(unit.id, []), key=_sort_key)
        return UnitNode(
            id=unit.id,
            code=unit.code,
            name=unit.name,
            active=unit.active,
            parent_id=unit.parent_id,
            children=tuple(node(child) for child in children),
        )

    return [node(root) for root in sorted(by_parent.get(None, []), key=_sort_key)]


def _audit(
    session: Session,
    organization: Organization,
    actor: User | None,
    action: str,
    unit: Unit,
    detail: dict[str, object],
) -> None:
    if actor is not None:
        record_audit(session, organization, action, user=actor, target=unit.code, detail=detail)


def _sort_key(unit: Unit) -> tuple[str, str]:
    return unit.name.casefold(), unit.code


def _clean_name(name: str, *, what: str) -> str:
    """The one input rule for names (`storage.text_fields`): no control or bidirectional
    character, at most `_NAME_MAX` characters, not empty."""
    return checked_name(name, field=f"{what} name", max_length=_NAME_MAX)


def _clean_slug(slug: str, *, what: str) -> str:
    cleaned = slug.strip().lower() if isinstance(slug, str) else ""
    if not _SLUG.fullmatch(cleaned) or len(cleaned) > _SLUG_MAX:
        raise InvalidInput(
            f"{what} {shown(slug)} is not usable: use lower-case letters and digits joined by "
            f"hyphens, at most {_SLUG_MAX} characters, e.g. north-office"
        )
    return cleaned
