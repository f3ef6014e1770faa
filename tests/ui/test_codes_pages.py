"""The access page's codes for every invited unit, and the paper page's questionnaire (AppTest
against a real SQLite file)."""

from __future__ import annotations

import sqlalchemy as sa

from storage.models import AccessCode
from tests.ui.test_admin_pages import (  # noqa: F401 (fixtures)
    _in_repo_root,
    add_units,
    db,
    errors,
    open_app,
    open_round_with,
    rerun_ok,
    successes,
    work,
)
from ui.i18n import t, tn


def stored_codes(url: str) -> int:
    with work(url) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AccessCode))


def page_with_round(url: str, page: str, lang: str = "en"):
    """`page` for an admin, with an open round over one unit of 8 invited."""
    add_units(url, ("North office", "north", None))
    open_round_with(url, {"north": 8})
    return open_app(url, page, lang=lang)


def test_codes_for_every_invited_unit_in_one_action(db):  # noqa: F811
    add_units(db, ("North office", "north", None), ("South office", "south", None),
              ("Tiny team", "tiny", None))
    open_round_with(db, {"north": 3, "south": 2, "tiny": 0})
    at = open_app(db, "access_page.py")
    help_text = t("admin.access.all_units_help", "en", n=5, units=2)
    assert help_text in [caption.value for caption in at.caption]
    rerun_ok(at.button(key="access.issue_all").click().run())
    assert tn("admin.access.issued_all", 5, "en", units=2, round="Spring 2027") in successes(at)
    [held] = [area for area in at.text_area if area.key == "access.codes"]
    assert len(held.value.splitlines()) == 5
    assert {b.key for b in at.get("download_button")} >= {
        "access.download.csv", "access.download.pdf"
    }
    assert stored_codes(db) == 5
    assert t("admin.access.mail_merge_note", "en") in [caption.value for caption in at.caption]
    # once every invited person has a code, there is nothing left to issue at once
    rerun_ok(at.button(key="access.forget").click().run())
    assert t("admin.access.all_units_none", "en") in [caption.value for caption in at.caption]
    assert at.button(key="access.issue_all").disabled
    assert stored_codes(db) == 5


def test_an_unusable_public_address_is_named_before_any_code_is_issued(db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("TISA_PUBLIC_URL", "tisa.example.org")
    at = page_with_round(db, "access_page.py")
    assert "must start with http:// or https://" in errors(at)
    assert not [b for b in at.button if b.key in {"access.issue_all", "access.issue.submit"}]
    assert stored_codes(db) == 0


def test_the_paper_page_offers_the_questionnaire_in_each_round_language(db):  # noqa: F811
    at = page_with_round(db, "paper_page.py", lang="es")
    buttons = {b.key: b.label for b in at.get("download_button")}
    assert buttons["paper.form.en"] == t("admin.paper.form_download", "es", language="English")
    assert buttons["paper.form.es"] == t("admin.paper.form_download", "es", language="Español")
    shown = " ".join(m.value for m in at.markdown)
    assert "No aplica / no puedo evaluarlo" in shown, "the instrument's own words for NA"


def test_a_bad_paper_setting_is_named_instead_of_a_printed_form(db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("TISA_PAPER_SIZE", "legal")
    at = page_with_round(db, "paper_page.py")
    assert "TISA_PAPER_SIZE must be one of letter, a4" in errors(at)
    assert not [b for b in at.get("download_button") if b.key.startswith("paper.form.")]
    at.switch_page("ui/access_page.py").run()
    rerun_ok(at.button(key="access.issue_all").click().run())
    assert "TISA_PAPER_SIZE must be one of letter, a4" in errors(at)
    keys = {b.key for b in at.get("download_button")}
    assert "access.download.csv" in keys and "access.download.pdf" not in keys
