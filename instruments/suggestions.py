"""Suggested actions: a bundled, bilingual and cited library of trauma-informed organizational
practices, by domain, from which a manager can start an action plan.

The library is data (``suggested_actions.yaml`` beside this module), read with the same strict
YAML reader as the instruments (`instruments.safe_yaml`) and validated by the models below:

- every suggestion belongs to one domain id, has a title, a description and an indicator to
  watch, each in English and Spanish;
- every suggestion names at least one source, and every source it names is listed, with its
  author, title and publisher (and its year where the publication has one).

The wording of the suggestions is ours; the sources are where the practice is described.
This module imports nothing of the project but `instruments`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError, model_validator

from instruments.model import DomainId, Localized, Strict, Text
from instruments.safe_yaml import YamlRefused, load_yaml, read_yaml

LIBRARY_FILE = Path(__file__).parent / "suggested_actions.yaml"
LANGUAGES = ("en", "es")

SourceKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
SuggestionId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}-[0-9]{1,3}$")]


class SuggestionError(ValueError):
    """The library file is not valid; the message says where and what is wrong."""


class Source(Strict):
    """A publication a suggestion rests on, as a reference list names it."""

    author: Text
    title: Text
    year: int | None = Field(default=None, ge=1900, le=2100)
    publisher: Text


def _bilingual(text: dict[str, str], field: str) -> None:
    missing = [lang for lang in LANGUAGES if lang not in text]
    if missing:
        raise ValueError(f"{field} has no {', '.join(missing)} text")


class Suggestion(Strict):
    """One practice suggested for a domain."""

    id: SuggestionId
    domain: DomainId
    title: Localized
    description: Localized
    indicator: Localized
    sources: list[SourceKey]

    @model_validator(mode="after")
    def _complete(self) -> Suggestion:
        for field in ("title", "description", "indicator"):
            _bilingual(getattr(self, field), field)
        if not self.sources:
            raise ValueError("a suggestion names at least one source")
        return self


class SuggestionLibrary(Strict):
    sources: dict[SourceKey, Source]
    suggestions: list[Suggestion]

    @model_validator(mode="after")
    def _references(self) -> SuggestionLibrary:
        seen: set[str] = set()
        for suggestion in self.suggestions:
            if suggestion.id in seen:
                raise ValueError(f"suggestion {suggestion.id} is listed twice")
            seen.add(suggestion.id)
            for key in suggestion.sources:
                if key not in self.sources:
                    raise ValueError(
                        f"suggestion {suggestion.id} names an unknown source {key!r}; list it "
                        "under sources"
                    )
        return self


def parse_suggestions(text: str, source: str = "<text>") -> SuggestionLibrary:
    """Validate a library given as YAML text; raise `SuggestionError`."""
    try:
        data = load_yaml(text)
    except YamlRefused as exc:
        raise SuggestionError(f"{source}: {exc}") from None
    return _validated(data, source)


def _validated(data: Any, source: str) -> SuggestionLibrary:
    try:
        return SuggestionLibrary.model_validate(data)
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(part) for part in error['loc']) or 'the file'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise SuggestionError(f"{source}: " + "; ".join(lines)) from None


@cache
def suggested_actions() -> SuggestionLibrary:
    """The bundled library (read once)."""
    try:
        data = read_yaml(LIBRARY_FILE)
    except YamlRefused as exc:
        raise SuggestionError(f"{LIBRARY_FILE.name}: {exc}") from None
    return _validated(data, LIBRARY_FILE.name)


def suggestions_for(domain_id: str) -> list[Suggestion]:
    """The bundled suggestions for a domain, in the library's order."""
    return [s for s in suggested_actions().suggestions if s.domain == domain_id]


def citation(source: Source) -> str:
    """A reference-list line, "Author (year). Title. Publisher.", the same in every language:
    a work is cited as it was published."""
    year = f" ({source.year})" if source.year is not None else ""
    return f"{source.author}{year}. {source.title}. {source.publisher}."
