"""The app's pages under Streamlit's AppTest, against the real bundled library.

Expected words are taken from the loaded instruments and from ui.i18n, never typed in here, so
the tests follow the library as it is revised.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from instruments.diff import diff_instruments
from instruments.registry import previous_version, resolve
from ui.i18n import t
from ui.markdown_text import unescape
from ui.navigation import specs_for

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = "ui/library_page.py"
HOME = "ui/home_page.py"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


def open_app(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def expander_labels(at: AppTest) -> list[str]:
    return [unescape(expander.label) for expander in at.expander]


def selectbox(at: AppTest, label_key: str, lang: str = "en"):
    [found] = [box for box in at.selectbox if box.label == t(label_key, lang)]
    return found


def tables_with_column(at: AppTest, column: str) -> list:
    """The tables (as DataFrames) that have ``column``."""
    return [table.value for table in at.table if column in table.value.columns]


def table_with_column(at: AppTest, column: str):
    tables = tables_with_column(at, column)
    assert len(tables) == 1, f"expected one table with a {column!r} column, found {len(tables)}"
    return tables[0]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("spec", specs_for(None), ids=lambda spec: spec.url_path)
def test_every_page_runs(spec, lang):
    at = open_app(None if spec.default else f"ui/{spec.script}", lang=lang)
    assert at.title, "every page starts with a title"
    assert not at.error


def test_home_page_is_the_default_and_links_to_the_library():
    at = open_app(lang="en")
    assert at.title[0].value == t("home.title", "en")
    assert any(link.label == t("home.library_link", "en") for link in at.get("page_link"))


def test_library_shows_the_staff_form_and_its_domains():
    staff = resolve("ti-staff")
    at = open_app(LIBRARY)
    assert at.title[0].value == t("library.title", "en")
    assert at.header[0].value == staff.title["en"]
    labels = expander_labels(at)
    assert len(labels) == len(staff.domains)
    for label, domain in zip(labels, staff.domains, strict=True):
        assert domain.id in label and domain.title["en"] in label
    assert at.query_params["instrument"] == "ti-staff"
    assert at.query_params["version"] == staff.version


def test_library_shows_items_with_reverse_keyed_marker():
    staff = resolve("ti-staff")
    at = open_app(LIBRARY)
    for domain in staff.domains:
        [rows] = [
            table
            for table in tables_with_column(at, t("library.col.id", "en"))
            if table[t("library.col.id", "en")].iloc[0] == f"`{domain.items[0].id}`"
        ]
        statements = [unescape(text) for text in rows[t("library.col.statement", "en")]]
        assert statements == [item.text["en"] for item in domain.items]
        marker = t("library.reverse", "en")
        keying = [marker in cell for cell in rows[t("library.col.keying", "en")]]
        assert keying == [item.reverse for item in domain.items]


def test_spanish_switches_instrument_text_and_page_labels():
    staff = resolve("ti-staff")
    at = open_app(LIBRARY)
    at.segmented_control(key="lang").set_value("es").run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("library.title", "es")
    assert at.header[0].value == staff.title["es"]
    labels = expander_labels(at)
    for label, domain in zip(labels, staff.domains, strict=True):
        assert domain.title["es"] in label
        assert domain.title["en"] not in label
    assert selectbox(at, "library.pick_instrument", "es").value == "ti-staff"
    assert at.query_params["lang"] == "es"


def test_language_choice_follows_to_other_pages():
    at = open_app(LIBRARY)
    at.segmented_control(key="lang").set_value("es").run()
    at.switch_page(HOME).run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("home.title", "es")


def test_version_change_section_lists_the_reworded_items():
    after = resolve("ti-staff@1.1.0")
    before = previous_version(after)
    assert before is not None
    reworded = {
        d.after_id for d in diff_instruments(before, after).items if str(d.change) == "reworded"
    }
    assert reworded, "ti-staff 1.1.0 should reword at least one item"

    at = open_app(LIBRARY, instrument="ti-staff", version="1.1.0")
    tab_labels = [tab.label for tab in at.tabs]
    assert t("library.tab.changes", "en", version=before.version) in tab_labels
    changes = table_with_column(at, t("changes.col.change", "en"))
    shown = {
        unescape(item).strip("`")
        for change, item in zip(
            changes[t("changes.col.change", "en")], changes[t("changes.col.item", "en")],
            strict=True,
        )
        if t("change.reworded", "en") in change
    }
    assert shown == reworded

    domains = table_with_column(at, t("changes.col.verdict", "en"))
    assert len(domains) == len(after.domains)


def test_first_version_has_nothing_to_compare():
    first = resolve("ti-staff@1.0.0")
    at = open_app(LIBRARY, instrument="ti-staff", version="1.0.0")
    assert at.header[0].value == first.title["en"]
    assert [tab.label for tab in at.tabs] == [
        f"{t('library.tab.domains', 'en')} ({len(first.domains)})",
        t("library.tab.scales", "en"),
    ]
    assert t("library.first_version", "en") in [caption.value for caption in at.caption]


def test_a_link_opens_an_instrument_and_choosing_another_resets_the_version():
    pulse = resolve("ti-pulse")
    at = open_app(LIBRARY, instrument="ti-pulse", lang="es")
    assert at.header[0].value == pulse.title["es"]

    selectbox(at, "library.pick_instrument", "es").set_value("ti-staff").run()
    staff = resolve("ti-staff")
    assert at.header[0].value == staff.title["es"]
    assert selectbox(at, "library.pick_version", "es").value == staff.version
    selectbox(at, "library.pick_version", "es").set_value("1.0.0").run()
    assert at.query_params["version"] == "1.0.0"
    # switching language keeps the chosen version
    at.segmented_control(key="lang").set_value("en").run()
    assert selectbox(at, "library.pick_version", "en").value == "1.0.0"


def test_pages_not_registered_cannot_be_opened():
    at = open_app()
    with pytest.raises(ValueError):
        at.switch_page("ui/navigation.py")
