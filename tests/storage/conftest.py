"""Fixtures of the storage tests: small instruments and a launched round to store rows under.

Helpers are handed to tests as fixtures (`make_instrument`), never imported from here.

The database fixtures themselves (`db_url`, `engine`, `session_factory`) are in
``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from instruments import Instrument
from instruments.loader import instrument_from_data
from storage.engine import transaction
from storage.instrument_repo import get_instrument_version, sync_library
from storage.models import Round, RoundUnit
from storage.organization_repo import add_unit, create_organization

AGREE_EN = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
AGREE_ES = ["Muy en desacuerdo", "En desacuerdo", "Ni uno ni otro", "De acuerdo", "Muy de acuerdo"]


def build_instrument(
    instrument_id: str = "ti-test",
    version: str = "1.0.0",
    *,
    status: str = "published",
    item_text: str = "Staff can raise a concern without fear.",
) -> Instrument:
    """A valid two-item instrument; `item_text` changes its content, `status` only its
    lifecycle."""
    data: dict[str, Any] = {
        "id": instrument_id,
        "version": version,
        "status": status,
        "form": "staff",
        "title": {"en": "Test form", "es": "Formulario de prueba"},
        "description": {"en": "For tests.", "es": "Para pruebas."},
        "minutes": 5,
        "languages": ["en", "es"],
        "scales": {
            "agree5": {
                "points": [1, 2, 3, 4, 5],
                "labels": {"en": AGREE_EN, "es": AGREE_ES},
                "favorable": [4, 5],
            }
        },
        "not_applicable": {"en": "Not applicable", "es": "No aplica"},
        "domains": [
            {
                "id": "SAF",
                "title": {"en": "Safety", "es": "Seguridad"},
                "why": {"en": "Safety comes first.", "es": "La seguridad es lo primero."},
                "items": [
                    {
                        "id": "SAF-01",
                        "text": {"en": item_text, "es": "El personal puede expresar dudas."},
                        "scale": "agree5",
                    },
                    {
                        "id": "SAF-02",
                        "text": {"en": "I feel safe at work.", "es": "Me siento seguro."},
                        "scale": "agree5",
                        "reverse": True,
                    },
                ],
            }
        ],
    }
    return instrument_from_data(data, source="test instrument")


@dataclass(frozen=True)
class LaunchedRound:
    """Ids of an organization with one unit and a round launched over it."""

    organization_id: int
    unit_id: int
    round_id: int
    round_unit_id: int


def launch_round(session: Session, name: str = "Spring") -> LaunchedRound:
    """Store an organization, a unit and a round over it, the way a launch would."""
    sync_library(session, [build_instrument()])
    version = get_instrument_version(session, "ti-test", "1.0.0")
    organization = create_organization(session, "Test Agency", slug=f"agency-{name.lower()}")
    unit = add_unit(session, organization, "North office")
    round_ = Round(
        organization_id=organization.id,
        instrument_version_id=version.id,
        name=name,
        languages=["en", "es"],
        opens_on=date(2025, 3, 1),
        closes_on=date(2025, 3, 31),
    )
    session.add(round_)
    session.flush()
    round_unit = RoundUnit(
        round_id=round_.id, unit_id=unit.id, code=unit.code, name=unit.name, invited=12
    )
    session.add(round_unit)
    session.flush()
    return LaunchedRound(organization.id, unit.id, round_.id, round_unit.id)


@pytest.fixture
def launched(session_factory: sessionmaker[Session]) -> LaunchedRound:
    with transaction(session_factory) as session:
        return launch_round(session)


@pytest.fixture
def make_instrument() -> Callable[..., Instrument]:
    """`build_instrument`: ``make_instrument("ti-x", "1.2.0", status="draft", item_text=...)``."""
    return build_instrument
