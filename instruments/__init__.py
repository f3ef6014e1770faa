"""The instrument language: models, loader, library registry and version diff."""

from instruments.loader import (
    InstrumentError,
    Problem,
    canonical_json,
    content_hash,
    instrument_from_json,
    load_instrument,
    parse_instrument,
)
from instruments.model import Domain, Form, Instrument, Item, Scale, Status

__all__ = [
    "Domain",
    "Form",
    "Instrument",
    "InstrumentError",
    "Item",
    "Problem",
    "Scale",
    "Status",
    "canonical_json",
    "content_hash",
    "instrument_from_json",
    "load_instrument",
    "parse_instrument",
]
