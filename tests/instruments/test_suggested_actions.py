"""The bundled library of suggested actions: cited, bilingual, and enough for every domain."""

from __future__ import annotations

import pytest

from instruments.registry import library
from instruments.suggestions import (
    SuggestionError,
    citation,
    parse_suggestions,
    suggested_actions,
    suggestions_for,
)

LANGUAGES = ("en", "es")


def test_every_domain_of_every_bundled_instrument_has_two_suggestions_in_both_languages():
    domains = {domain.id for instrument in library() for domain in instrument.domains}
    assert len(domains) == 12
    for domain_id in sorted(domains):
        found = suggestions_for(domain_id)
        assert len(found) >= 2, domain_id
        for suggestion in found:
            for text in (suggestion.title, suggestion.description, suggestion.indicator):
                assert set(text) == set(LANGUAGES), suggestion.id
                assert all(text[lang].strip() for lang in LANGUAGES), suggestion.id
            assert text["en"] != text["es"], f"{suggestion.id} is not translated"


def test_every_suggestion_names_its_sources():
    bundled = suggested_actions()
    for suggestion in bundled.suggestions:
        assert suggestion.sources, suggestion.id
        for key in suggestion.sources:
            source = bundled.sources[key]
            assert source.author and source.title and source.publisher
            assert source.title in citation(source)
    assert len({s.id for s in bundled.suggestions}) == len(bundled.suggestions)


def test_the_libraries_named_in_the_product_design_are_cited():
    cited = " ".join(f"{s.author} {s.title} {s.publisher}"
                     for s in suggested_actions().sources.values())
    assert "HHS Publication No. (SMA) 14-4884" in cited
    assert "National Child Traumatic Stress Network" in cited
    assert "Chadwick" in cited and "Child Welfare Information Gateway" in cited


def test_the_suggestions_the_agencies_asked_for_are_there():
    titles = {s.domain: " ".join(x.title["en"].lower() for x in suggestions_for(s.domain))
              for s in suggested_actions().suggestions}
    assert "reflective supervision" in titles["WEL"]
    assert "secondary traumatic stress" in titles["WEL"]
    assert "equity" in titles["EQU"] and "race and language" in titles["EQU"]
    assert "advisory" in titles["VOI"]
    assert "screening" in titles["SCR"] and "referral" in titles["SCR"]


def test_a_citation_reads_as_a_reference():
    source = suggested_actions().sources["samhsa-2014"]
    assert citation(source) == (
        "Substance Abuse and Mental Health Services Administration (2014). SAMHSA's Concept "
        "of Trauma and Guidance for a Trauma-Informed Approach. HHS Publication No. (SMA) "
        "14-4884. Rockville, MD: SAMHSA."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: {}\nsuggestions: [{id: SAF-9, domain: SAF, title: {en: a, es: b}, "
         "description: {en: a, es: b}, indicator: {en: a, es: b}, sources: [nowhere]}]",
         "unknown source 'nowhere'"),
        ("sources: {}\nsuggestions: [{id: SAF-9, domain: SAF, title: {en: a}, "
         "description: {en: a, es: b}, indicator: {en: a, es: b}, sources: []}]",
         "es"),
        ("sources: {}\nsuggestions: [{id: SAF-9, domain: SAF, title: {en: a, es: b}, "
         "description: {en: a, es: b}, indicator: {en: a, es: b}, sources: []}]",
         "at least one source"),
        ("suggestions: [\n  &a {}]", "alias"),
    ],
)
def test_a_broken_library_is_refused_with_a_message(text, message):
    with pytest.raises(SuggestionError, match=message):
        parse_suggestions(text)
