"""The instrument language: pydantic models for an instrument, its scales, domains and items.

An instrument is data, not code (DESIGN.md section 3). These models hold one version of one
instrument exactly as its YAML file says; `instruments.loader` turns files into these models and
every problem into a line that names the place.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SOURCE_LANGUAGE = "en"
KNOWN_LANGUAGES = {"en": "English", "es": "Español"}

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")

InstrumentId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=40),
]
DomainId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}-[0-9]{2,3}[a-z]?$")]
ScaleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# Text in every language of the instrument, keyed by language code.
Localized = dict[LanguageCode, Text]


class Strict(BaseModel):
    """Base for every model: unknown fields are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Form(StrEnum):
    STAFF = "staff"
    LEADERSHIP = "leadership"
    PULSE = "pulse"


class Change(StrEnum):
    """How an item relates to the item it came from in the previous version."""

    UNCHANGED = "unchanged"
    REWORDED = "reworded"  # same construct and anchors: scores remain comparable
    CHANGED = "changed"  # anchors or meaning changed: not comparable


class Scale(Strict):
    """A response scale: its points, a label per point in each language, the favorable points."""

    points: list[int] = Field(min_length=2, max_length=11)
    labels: dict[LanguageCode, list[Text]]
    favorable: list[int] = Field(min_length=1)

    @field_validator("points")
    @classmethod
    def _points_consecutive(cls, points: list[int]) -> list[int]:
        if points != list(range(points[0], points[0] + len(points))):
            raise ValueError(f"points must be consecutive whole numbers in order, got {points}")
        return points

    @model_validator(mode="after")
    def _labels_and_favorable(self) -> Scale:
        for lang, labels in self.labels.items():
            if len(labels) != len(self.points):
                raise ValueError(
                    f"labels.{lang} has {len(labels)} labels but the scale has "
                    f"{len(self.points)} points"
                )
        outside = [p for p in self.favorable if p not in self.points]
        if outside:
            raise ValueError(f"favorable points {outside} are not among the points {self.points}")
        return self

    @property
    def minimum(self) -> int:
        return self.points[0]

    @property
    def maximum(self) -> int:
        return self.points[-1]


class Lineage(Strict):
    """Where an item came from in the previous version, when that differs from 'same id, same
    text'."""

    from_: ItemId = Field(alias="from")
    change: Change


class Item(Strict):
    id: ItemId
    text: Localized
    scale: ScaleId
    reverse: bool = False
    lineage: Lineage | None = None


class Domain(Strict):
    id: DomainId
    title: Localized
    why: Localized
    items: list[Item] = Field(min_length=1)


class ScoringRules(Strict):
    min_answered: float = Field(default=0.75, gt=0, le=1)


class Instrument(Strict):
    """One version of one instrument."""

    id: InstrumentId
    version: str
    status: Status = Status.DRAFT
    form: Form
    title: Localized
    description: Localized
    minutes: int = Field(ge=1, le=120, description="how long answering takes, for the welcome")
    languages: list[LanguageCode] = Field(min_length=1)
    scales: dict[ScaleId, Scale] = Field(min_length=1)
    not_applicable: Localized
    scoring: ScoringRules = ScoringRules()
    domains: list[Domain] = Field(min_length=1)

    @field_validator("version")
    @classmethod
    def _semver(cls, version: str) -> str:
        if not _SEMVER.match(version):
            raise ValueError(f"version must be a semantic version like 1.0.0, got {version!r}")
        return version

    @field_validator("languages")
    @classmethod
    def _languages(cls, languages: list[str]) -> list[str]:
        if SOURCE_LANGUAGE not in languages:
            raise ValueError(f"languages must include {SOURCE_LANGUAGE!r}, the source language")
        if len(set(languages)) != len(languages):
            raise ValueError("languages lists a language twice")
        return languages

    # -- derived views -----------------------------------------------------------------------

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def version_key(self) -> tuple[int, int, int]:
        major, minor, patch = (int(part) for part in self.version.split("."))
        return major, minor, patch

    def items(self) -> list[tuple[Domain, Item]]:
        """Every item with its domain, in questionnaire order."""
        return [(domain, item) for domain in self.domains for item in domain.items]

    def item_ids(self) -> list[str]:
        return [item.id for _, item in self.items()]

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(f"{self.ref} has no domain {domain_id!r}")

    def item(self, item_id: str) -> Item:
        for _, item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(f"{self.ref} has no item {item_id!r}")

    def scale_of(self, item: Item) -> Scale:
        return self.scales[item.scale]


# Every place a localized text sits in an instrument, for the translation check.
TextPlace = tuple[tuple[str | int, ...], dict[str, str]]


def localized_places(instrument: Instrument) -> list[TextPlace]:
    """(location, text-by-language) for every translatable text, locations as pydantic locs."""
    places: list[TextPlace] = [
        (("title",), instrument.title),
        (("description",), instrument.description),
        (("not_applicable",), instrument.not_applicable),
    ]
    for scale_id, scale in instrument.scales.items():
        places.append((("scales", scale_id, "labels"), dict.fromkeys(scale.labels, "x")))
    for d, domain in enumerate(instrument.domains):
        places.append((("domains", d, "title"), domain.title))
        places.append((("domains", d, "why"), domain.why))
        for i, item in enumerate(domain.items):
            places.append((("domains", d, "items", i, "text"), item.text))
    return places

