"""The leadership pages in words a person reads: the audit log names every action (en/es),
the rounds page gives the instrument's title in the page's language, the new-round form lists
every problem at once, and the demo's rounds read in the order things happened.

Real SQLite per test (the admin page tests' fixtures); words come from ``ui.i18n``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.audit_repo import record_audit
from storage.demo import load_demo
from storage.models import Comment, Round
from storage.organization_repo import get_organization, resolve_organization
from tests.ui import test_admin_pages as admin_pages
from tests.ui.test_admin_pages import add_units, errors, open_app, open_round_with, work
from ui.audit_page import action_label
from ui.i18n import STRINGS, t
from ui.markdown_text import unescape

db = admin_pages.db  # the fixtures of the admin page tests
_in_repo_root = admin_pages._in_repo_root
ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r"""(?:record_audit|_audit)\(\s*\w+,\s*[\w.]+,\s*"([a-z_]+\.[a-z_.]+)\"""")


def recorded_actions() -> set[str]:
    """Every action key the code records, as written in its calls (and the keys chosen at run
    time by the unit, user and round services)."""
    found = set()
    for path in [*ROOT.glob("storage/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("reports/*.py"),
                 ROOT / "cli.py"]:
        found |= set(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found | {"unit.add", "unit.rename", "unit.move", "user.add", "user.scope",
                    "user.disable", "user.enable", "round.open", "round.close", "round.publish",
                    "round.dates"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_recorded_action_has_a_label(lang):
    assert {"action.create", "codes.issue", "user.signin"} <= recorded_actions()
    missing = sorted(a for a in recorded_actions() if f"admin.audit.action.{a}" not in STRINGS)
    assert missing == []
    assert t("admin.audit.action.action.create", lang) != "action.create"


def test_an_unknown_action_stays_readable():
    assert action_label("widget.frobbed_twice") == "widget.frobbed_twice"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_audit_log_shows_labels_never_keys(db, lang):
    with work(db, write=True) as session:
        organization = resolve_organization(session)
        for action in ("action.create", "action.update", "action.delete", "round.dates",
                       "user.unlock", "responses.export"):
            record_audit(session, organization, action, target="x")
    at = open_app(db, "audit_page.py", lang=lang)
    column = t("admin.audit.col.action", lang)
    [shown] = [list(f.value[column]) for f in at.dataframe if column in f.value.columns]
    assert shown[-1] == t("admin.audit.action.action.create", lang)
    assert not [label for label in shown if re.fullmatch(r"[a-z_]+\.[a-z_.]+", label)]


def test_spanish_rounds_page_gives_the_instrument_title_in_spanish(db):
    add_units(db, ("North office", "north", None))
    open_round_with(db, {"north": 8})
    with work(db) as session:
        [round_] = session.scalars(sa.select(Round)).all()
        title = round_.instrument_version.instrument().title
    at = open_app(db, "rounds_page.py", lang="es")
    said = unescape("\n".join(m.value for m in at.markdown))
    assert title["es"] in said and title["en"] not in said
    box = at.selectbox(key="rounds.create.instrument")
    assert title["es"] in box.format_func(box.value)


def test_the_new_round_form_lists_every_problem_at_once(db):
    add_units(db, ("North office", "north", None))
    at = open_app(db, "rounds_page.py")
    at.multiselect(key="rounds.create.languages").set_value([])
    at.number_input(key="rounds.create.k").set_value(8)
    at.number_input(key="rounds.create.comment_k").set_value(6)
    at.button(key="rounds.create.submit").click().run()
    assert not at.exception, at.exception
    said = errors(at)
    for problem in ("admin.rounds.problem.name", "admin.rounds.problem.languages",
                    "admin.rounds.problem.units"):
        assert t(problem, "en") in said, problem
    assert t("admin.rounds.problem.comment_k", "en", k=8) in said
    with work(db) as session:
        assert session.scalars(sa.select(Round)).all() == []


def test_the_demo_rounds_were_created_before_they_were_launched(db):
    with work(db, write=True) as session:
        load_demo(session)
    with work(db) as session:
        organization = get_organization(session, "riverbend-demo")
        rounds = session.scalars(sa.select(Round).where(
            Round.organization_id == organization.id)).all()
        assert len(rounds) == 3
        for round_ in rounds:
            assert round_.created_at <= round_.opened_at <= round_.closed_at \
                <= round_.published_at, round_.name
        # each comment of a round is written once, not two or three times
        for round_ in rounds:
            texts = list(session.scalars(sa.select(Comment.text).where(
                Comment.round_id == round_.id)))
            assert texts and len(texts) == len(set(texts)), round_.name
