"""The bundled instrument library and how references like ``ti-staff@1.1.0`` resolve."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from instruments.loader import InstrumentError, Problem, load_instrument
from instruments.model import Instrument, Status

LIBRARY_DIR = Path(__file__).parent / "library"


class UnknownInstrument(LookupError):
    """A reference names no instrument or version in the library."""


@cache
def library() -> tuple[Instrument, ...]:
    """Every bundled instrument version, ordered by id then version.

    Each file is named ``<id>-<version>.yaml``; a file whose name disagrees with its content is
    an error, so a copied file cannot silently shadow another version.
    """
    found: list[Instrument] = []
    problems: list[Problem] = []
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        try:
            instrument = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        expected = f"{instrument.id}-{instrument.version}.yaml"
        if path.name != expected:
            problems.append(
                Problem(str(path), f"file name must be {expected} for its id and version")
            )
        found.append(instrument)
    seen: set[str] = set()
    for instrument in found:
        if instrument.ref in seen:
            problems.append(Problem(str(LIBRARY_DIR), f"{instrument.ref} is defined twice"))
        seen.add(instrument.ref)
    if problems:
        raise InstrumentError(problems)
    return tuple(sorted(found, key=lambda i: (i.id, i.version_key)))


def instrument_ids() -> list[str]:
    return sorted({instrument.id for instrument in library()})


def versions(instrument_id: str) -> list[Instrument]:
    """All bundled versions of one instrument, oldest first."""
    found = [i for i in library() if i.id == instrument_id]
    if not found:
        known = ", ".join(instrument_ids())
        raise UnknownInstrument(f"no instrument {instrument_id!r} in the library; known: {known}")
    return found


def resolve(ref: str) -> Instrument:
    """``ID@VERSION`` names one version; a bare ``ID`` names its newest published version."""
    instrument_id, _, version = ref.strip().partition("@")
    candidates = versions(instrument_id)
    if version:
        for instrument in candidates:
            if instrument.version == version:
                return instrument
        known = ", ".join(i.version for i in candidates)
        raise UnknownInstrument(f"{instrument_id} has no version {version}; versions: {known}")
    published = [i for i in candidates if i.status is Status.PUBLISHED]
    if not published:
        raise UnknownInstrument(f"{instrument_id} has no published version; name one with @VERSION")
    return published[-1]


def previous_version(instrument: Instrument) -> Instrument | None:
    """The bundled version just before this one, if any."""
    older = [i for i in versions(instrument.id) if i.version_key < instrument.version_key]
    return older[-1] if older else None
