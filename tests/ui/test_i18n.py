"""The app's own words: every string in every UI language, with the same placeholders."""

from __future__ import annotations

from string import Formatter

import pytest

from ui.i18n import STRINGS, UI_LANGUAGES, t, tn


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_is_translated_with_the_same_placeholders(key):
    texts = STRINGS[key]
    assert set(texts) == set(UI_LANGUAGES), f"{key}: languages {sorted(texts)}"
    assert all(text.strip() for text in texts.values()), f"{key}: an empty text"
    expected = placeholders(texts["en"])
    for lang, text in texts.items():
        assert placeholders(text) == expected, f"{key} [{lang}]: placeholders differ"


def test_counted_strings_have_both_forms():
    counted = {key.rsplit(".", 1)[0] for key in STRINGS if key.endswith((".one", ".other"))}
    for base in counted:
        assert f"{base}.one" in STRINGS and f"{base}.other" in STRINGS


def test_text_in_a_given_language_with_values():
    assert t("library.n_items.other", "es", n=4) == "4 ítems"
    assert tn("library.n_items", 1, "en") == "1 item"
    assert tn("library.n_items", 5, "en") == "5 items"


def test_unknown_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        t("no.such.key", "en")
