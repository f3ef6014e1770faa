"""Stored instrument versions: keeping them in step with the bundled library, and finding them.

A version is stored once, frozen (`storage.models.InstrumentVersion`). The rules of
DESIGN.md section 3:

- a published (or retired) version never changes its content: a library file that now says
  something else for the same id and version is refused with `ImmutableVersion`;
- its lifecycle may move on: draft → published → retired (never back to draft), which updates
  the stored status only;
- a draft may still change, unless a round already uses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments import Instrument, canonical_json, content_hash
from instruments.registry import library
from storage.errors import Conflict, ImmutableVersion, NotFound
from storage.models import InstrumentOrigin, InstrumentStatus, InstrumentVersion, Round

_FROZEN = {InstrumentStatus.PUBLISHED.value, InstrumentStatus.RETIRED.value}


@dataclass(frozen=True)
class SyncReport:
    """What `sync_library` did, by reference (``id@version``)."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def sync_library(session: Session, instruments: Iterable[Instrument] | None = None) -> SyncReport:
    """Store every bundled instrument version that is new, and move lifecycles on.

    `instruments` defaults to the bundled library (`instruments.registry.library()`). Nothing
    is written unless every version can be synced: the first refusal raises, and the caller's
    transaction rolls back.

    Raises `ImmutableVersion` when the content of a stored published or retired version differs
    from its file, or a file moves a published version back to draft; `Conflict` when an
    uploaded instrument already has a bundled version's id and version.
    """
    found: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    for instrument in library() if instruments is None else instruments:
        found[_sync_one(session, instrument)].append(instrument.ref)
    session.flush()
    return SyncReport(
        added=tuple(found["added"]),
        updated=tuple(found["updated"]),
        unchanged=tuple(found["unchanged"]),
    )


def list_instrument_versions(
    session: Session,
    instrument_id: str | None = None,
    *,
    status: InstrumentStatus | str | None = None,
) -> list[InstrumentVersion]:
    """Stored versions, by instrument id and then version (oldest first, 1.9.0 before 1.10.0)."""
    query = sa.select(InstrumentVersion)
    if instrument_id is not None:
        query = query.where(InstrumentVersion.instrument_id == instrument_id)
    if status is not None:
        query = query.where(InstrumentVersion.status == str(status))
    rows = session.scalars(query).all()
    return sorted(rows, key=lambda row: (row.instrument_id, row.version_key))


def get_instrument_version(session: Session, instrument_id: str, version: str) -> InstrumentVersion:
    """One stored version; `NotFound` says which versions of that instrument there are."""
    row = session.scalar(
        sa.select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == instrument_id,
            InstrumentVersion.version == version,
        )
    )
    if row is not None:
        return row
    known = [row.version for row in list_instrument_versions(session, instrument_id)]
    if known:
        raise NotFound(
            f"{instrument_id} has no stored version {version}; stored versions: {', '.join(known)}"
        )
    raise NotFound(
        f"no instrument {instrument_id!r} is stored; run `tisa init` to store the bundled "
        "library, or check the id with `tisa instruments list`"
    )


def _sync_one(session: Session, instrument: Instrument) -> str:
    row = session.scalar(
        sa.select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == instrument.id,
            InstrumentVersion.version == instrument.version,
        )
    )
    if row is None:
        session.add(
            InstrumentVersion(
                instrument_id=instrument.id,
                version=instrument.version,
                origin=InstrumentOrigin.LIBRARY.value,
                **_frozen_fields(instrument),
            )
        )
        return "added"

    if row.origin != InstrumentOrigin.LIBRARY.value:
        raise Conflict(
            f"{instrument.ref} is already stored as an uploaded instrument, and the bundled "
            f"library has a version with the same id and version. Give the uploaded "
            "instrument another id before upgrading tisa"
        )

    new_status = instrument.status.value
    same_content = _content(row.definition) == _content(canonical_json(instrument))
    if same_content and row.status == new_status:
        return "unchanged"

    if row.status in _FROZEN:
        if not same_content:
            raise ImmutableVersion(
                f"{instrument.ref} is {row.status} and stored with SHA-256 {row.sha256}, but "
                f"its library file now has SHA-256 {content_hash(instrument)}: a published "
                "version never changes, so rounds keep what respondents saw. Restore the file "
                "as it was and publish the change under a new version number"
            )
        if new_status == InstrumentStatus.DRAFT.value:
            raise ImmutableVersion(
                f"{instrument.ref} is {row.status} in the database but its library file says "
                "draft: a published version cannot become a draft again. Set the file's "
                f"status back to {row.status}, or make the draft a new version"
            )
        # The lifecycle moves on; the frozen definition stays exactly as it was published.
        row.status = new_status
        return "updated"

    # A draft may change, as long as no round has used it.
    if not same_content and _used_by_a_round(session, row):
        raise ImmutableVersion(
            f"{instrument.ref} is a draft that a round already uses, so its content cannot "
            "change; publish the change under a new version number"
        )
    for field, value in _frozen_fields(instrument).items():
        setattr(row, field, value)
    return "updated"


def _frozen_fields(instrument: Instrument) -> dict[str, Any]:
    return {
        "title": instrument.title.get("en") or next(iter(instrument.title.values())),
        "form": instrument.form.value,
        "status": instrument.status.value,
        "definition": canonical_json(instrument),
        "sha256": content_hash(instrument),
    }


def _content(definition: str) -> dict[str, Any]:
    """A definition without its lifecycle status: what must never change once published."""
    data = json.loads(definition)
    data.pop("status", None)
    return data


def _used_by_a_round(session: Session, row: InstrumentVersion) -> bool:
    used = session.scalar(sa.select(sa.exists().where(Round.instrument_version_id == row.id)))
    return bool(used)
