"""instruments.safe_yaml: what a good instrument file keeps, and where a bad one is refused.

The hostile files themselves (expansion bombs, deep nesting, tags...) are fed to the command
line, memory-capped, in tests/cli/test_hostile_yaml.py; here the reader is checked directly.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from instruments import InstrumentError, content_hash, load_instrument, parse_instrument
from instruments.loader import instrument_from_data
from instruments.safe_yaml import MAX_DEPTH, MAX_FILE_BYTES, TEXT_MAX, YamlRefused, load_yaml

HERE = Path(__file__).parent
MINIMAL = HERE / "data" / "minimal.yaml"
LIBRARY = sorted((HERE.parents[1] / "instruments" / "library").glob("*.yaml"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_the_bundled_library_reads_the_same_as_plain_yaml(path):
    """The strict reader changes nothing in a good file: the same definition, the same hash
    (rounds already frozen keep matching their instrument)."""
    strict = load_instrument(path)
    plain = instrument_from_data(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert strict == plain
    assert content_hash(strict) == content_hash(plain)


def test_a_byte_order_mark_at_the_start_is_allowed(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_instrument(path) == load_instrument(MINIMAL)


def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused():
    assert load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(YamlRefused, match=rf"more than {MAX_DEPTH} levels") as refused:
        load_yaml("a:\n  " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert (refused.value.line, refused.value.column) == (2, MAX_DEPTH + 2)


@pytest.mark.parametrize(
    ("character", "name"),
    [("\u202e", "U+202E"), ("\x1b", "U+001B"), ("\u2066", "U+2066"), ("\u200f", "U+200F")],
)
def test_a_control_or_bidirectional_character_in_a_text_is_refused_with_its_place(
    character, name
):
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "I feel safe at work.", f'"I feel {character}safe at work."'
    )
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(text, source="tiny.yaml")
    (line,) = str(caught.value).splitlines()
    assert line.startswith("tiny.yaml: line 23: ")
    assert name in line
    if character != "\x1b":  # the YAML reader itself refuses C0 controls, wherever they are
        assert "domains[1].items[1].text.en" in line


def test_a_next_line_character_is_a_line_break_in_yaml_and_never_stored():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "I feel safe at work.", '"I feel \x85safe at work."'
    )
    stored = parse_instrument(text).item("SAF-01").text["en"]
    assert stored == "I feel safe at work."  # folded like any line break in a quoted text


def test_a_control_character_in_a_key_is_refused():
    with pytest.raises(YamlRefused, match=r"key of title.*U\+202E"):
        load_yaml('title: {"e\\u202en": x}\n')


def test_texts_are_normalised_to_nfc_like_every_text_tisa_stores():
    decomposed = unicodedata.normalize("NFD", "pequeño")
    assert decomposed != "pequeño"
    text = MINIMAL.read_text(encoding="utf-8").replace("pequeño", decomposed)
    assert parse_instrument(text).title["es"] == "Un instrumento pequeño"


def test_an_over_long_text_is_refused():
    long = "x" * (TEXT_MAX + 1)
    with pytest.raises(YamlRefused, match=rf"value of description\.en.*limit is {TEXT_MAX}"):
        load_yaml(f"description: {{en: {long}}}\n")


def test_text_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(InstrumentError, match=r"<text>: the file is larger than 2 MB"):
        parse_instrument("# " + "x" * MAX_FILE_BYTES)


def test_a_file_that_never_ends_is_read_only_up_to_the_limit():
    """A device or a growing file has no honest size: reading stops one byte past the limit."""
    with pytest.raises(InstrumentError, match=r"/dev/zero: the file is larger than 2 MB"):
        load_instrument("/dev/zero")


def test_a_folder_is_named(tmp_path):
    with pytest.raises(InstrumentError, match=r"is a folder"):
        load_instrument(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",
        "a: *x\n",
        "<<: {a: 1}\n",
        "a: !!int 1\n",
        "a: ! 1\n",
        "a: 1\na: 1\n",
        "1: a\n01: b\n",
        "? {a: 1}\n: b\n",
        "a: 1\n---\na: 2\n",
    ],
)
def test_every_refusal_has_one_line_and_a_place(text):
    with pytest.raises(YamlRefused) as refused:
        load_yaml(text)
    assert "\n" not in str(refused.value)
    assert refused.value.line is not None


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("minutes: " + "9" * 5000 + "\n", r"cannot be read|larger than"),
        ("minutes: 0x" + "f" * 5000 + "\n", r"larger than 1,000,000,000,000"),
        ("minutes: 0b" + "1" * 20000 + "\n", r"larger than|cannot be read"),
        ("version: 2001-13-45\n", r"cannot be read \(month must be in 1\.\.12\)"),
        ("domains: [{id: X, when: 2001-02-30}]\n", r"day is out of range"),
    ],
)
def test_values_yaml_would_build_into_huge_or_broken_objects_are_refused(text, pattern):
    with pytest.raises(YamlRefused, match=pattern) as refused:
        load_yaml(text)
    assert refused.value.line is not None


def test_a_file_with_thousands_of_problems_lists_fifty_and_counts_the_rest():
    text = MINIMAL.read_text(encoding="utf-8") + "".join(f"extra{i}: 1\n" for i in range(5000))
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(text, source="many.yaml")
    lines = str(caught.value).splitlines()
    assert len(lines) == 51
    assert lines[-1] == "many.yaml: ... and 4,950 more problems"
