"""Every broken instrument file gives exactly the lines a person needs to fix it."""

from pathlib import Path

import pytest

from instruments import (
    InstrumentError,
    canonical_json,
    content_hash,
    instrument_from_json,
    load_instrument,
    parse_instrument,
)

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
MINIMAL = HERE / "data" / "minimal.yaml"

# file name -> the exact lines expected after "<path>: "
EXPECTED = {
    "bad_item_id.yaml": [
        "domain SAF, item saf-2, field id: 'saf-2' is not a valid id: an item id is its domain "
        "id, a hyphen and two or three digits, e.g. SAF-03",
    ],
    "bad_version.yaml": [
        "field version: version must be a semantic version like 1.0.0, got '1.0'",
    ],
    "duplicate_item.yaml": [
        "domain SAF, item SAF-01, field id: item id SAF-01 is already used in domain SAF",
    ],
    "empty.yaml": ["an instrument file must be a mapping of fields; this one is empty"],
    "empty_items.yaml": ["domain TRU, field items: must not be empty"],
    "extra_language.yaml": [
        "domain TRU, field why: has text in 'fr', which is not among the instrument's "
        "languages en, es",
    ],
    "favorable_outside.yaml": [
        "field scales.agree5: favorable points [6] are not among the points [1, 2, 3, 4, 5]",
    ],
    "labels_count.yaml": [
        "field scales.agree5: labels.es has 4 labels but the scale has 5 points",
    ],
    "min_answered_range.yaml": ["field scoring.min_answered: must be at most 1.0, got 1.5"],
    "missing_domain_title.yaml": ["domain TRU, field title: required field is missing"],
    "missing_scale_spanish_labels.yaml": [
        "field scales.agree5.labels: the 'es' translation is missing",
    ],
    "missing_spanish.yaml": [
        "domain SAF, item SAF-02, field text: the 'es' translation is missing"
    ],
    "no_source_language.yaml": [
        "field languages: languages must include 'en', the source language",
    ],
    "non_consecutive_points.yaml": [
        "field scales.agree5.points: points must be consecutive whole numbers in order, "
        "got [1, 2, 4, 5, 6]",
    ],
    "not_a_mapping.yaml": ["an instrument file must be a mapping of fields; this one is a list"],
    "two_problems.yaml": [
        "field status: 'final' is not allowed; expected 'draft', 'published' or 'retired'",
        "domain TRU, field title: required field is missing",
    ],
    "unknown_field.yaml": [
        "domain SAF, item SAF-02, field reversed: unknown field (check the spelling, or remove it)",
    ],
    "unknown_scale.yaml": [
        "domain TRU, item TRU-01, field scale: unknown scale 'agree7'; known scales: agree5",
    ],
    "wrong_prefix.yaml": [
        "domain SAF, item TRU-02, field id: item id TRU-02 must start with its domain id SAF-",
    ],
    "yaml_syntax.yaml": [
        "line 34: YAML syntax error: expected <block end>, but found '<block mapping start>' "
        "(column 6)",
    ],
}


def test_every_broken_file_has_an_expectation():
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_exact_lines(name):
    path = BROKEN / name
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert str(caught.value).splitlines() == [f"{path}: {line}" for line in EXPECTED[name]]


def test_missing_file_is_named():
    with pytest.raises(InstrumentError, match=r"nope\.yaml: file not found"):
        load_instrument(HERE / "nope.yaml")


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.read_text().replace("pequeño", "peque\u00f1o").encode("latin-1"))
    with pytest.raises(InstrumentError, match=r"latin1\.yaml: not UTF-8 text"):
        load_instrument(path)


def test_minimal_instrument_loads():
    instrument = load_instrument(MINIMAL)
    assert instrument.ref == "tiny@1.0.0"
    assert instrument.item_ids() == ["SAF-01", "SAF-02", "TRU-01"]
    assert instrument.item("SAF-02").reverse is True
    assert instrument.scale_of(instrument.item("SAF-01")).favorable == [4, 5]


def test_hash_ignores_formatting_and_comments_but_not_content():
    text = MINIMAL.read_text()
    reformatted = "# a comment\n" + text.replace("minutes: 2\n", "minutes:   2   # short\n")
    assert content_hash(parse_instrument(text)) == content_hash(parse_instrument(reformatted))
    changed = text.replace("I feel safe at work.", "I feel safe at the office.")
    assert content_hash(parse_instrument(text)) != content_hash(parse_instrument(changed))


def test_frozen_definition_round_trips():
    instrument = load_instrument(MINIMAL)
    again = instrument_from_json(canonical_json(instrument))
    assert again == instrument
    assert content_hash(again) == content_hash(instrument)
