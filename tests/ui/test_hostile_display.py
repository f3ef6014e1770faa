"""Every page shows names as text: the demo agency renamed with what an attacker would type.

The organization, every unit (living and in each round's snapshot), every round, the users'
display names, the action items and the comments of the demo are given printable hostile
names (Markdown emphasis, math, HTML, Streamlit directives, spreadsheet formulas) and, for the
old rows an older tisa could have stored, control characters. Then every page an admin can
open, and every report page of every round, runs under AppTest: no page fails, and no element
that Streamlit renders as Markdown (text, captions, titles, alerts, widget labels, expander
and tab labels, radio and segmented-control options) holds one of those names unescaped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit import config
from streamlit.testing.v1 import AppTest

from reports.frozen import freeze_closed_rounds
from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.models import ActionItem, Comment, Organization, Round, RoundUnit, Unit, User
from storage.user_repo import get_user
from ui.navigation import ADMIN, specs_for

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAMES = [
    "**bold** unit",
    "$x^$ unit",
    r"$\frac{1}{2}$ unit",
    "<script>alert(1)</script>",
    ":red[alarm] :material/home: unit",
    "[link](javascript:alert(1))",
    '=HYPERLINK("http://x","y")',
    "# heading unit",
    "Old\x1b[31m unit\u202e",  # stored by an older tisa, before the text rule
]
# What would show rendered if a name reached Markdown unescaped.
MARKERS = ("**bold**", "$x^$", r"$\frac", "<script>", ":red[", "](javascript", "# heading")


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "demo.db"
    url = f"sqlite:///{path}"
    initialize(url, demo=True)
    with transaction(shared_factory(url), write=True) as session:
        session.execute(sa.update(Organization).values(name="**Agency** $x^$"))
        for model in (Unit, RoundUnit):
            for n, row in enumerate(session.scalars(sa.select(model).order_by(model.id))):
                row.name = f"{HOSTILE_NAMES[n % len(HOSTILE_NAMES)]} {n}"
        for n, row in enumerate(session.scalars(sa.select(Round).order_by(Round.id))):
            row.name = f"{HOSTILE_NAMES[n % len(HOSTILE_NAMES)]} round {n}"
        for n, row in enumerate(session.scalars(sa.select(User).order_by(User.id))):
            row.display_name = HOSTILE_NAMES[n % len(HOSTILE_NAMES)]
        for n, row in enumerate(session.scalars(sa.select(ActionItem).order_by(ActionItem.id))):
            row.title = HOSTILE_NAMES[n % len(HOSTILE_NAMES)]
            row.owner = HOSTILE_NAMES[(n + 1) % len(HOSTILE_NAMES)]
            row.indicator = HOSTILE_NAMES[(n + 2) % len(HOSTILE_NAMES)]
        for n, row in enumerate(session.scalars(sa.select(Comment).order_by(Comment.id))):
            row.text = HOSTILE_NAMES[n % len(HOSTILE_NAMES)] + "\x00 old comment"
        freeze_closed_rounds(session)
        rounds = session.scalars(sa.select(Round.id)).all()
    assert rounds
    return path


@pytest.fixture
def db(hostile_template, tmp_path, monkeypatch) -> str:
    path = tmp_path / "tisa.db"
    shutil.copy(hostile_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    return url


def _markdown_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    found: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "success",
                 "warning", "error"):
        found += [element.value for element in getattr(at, kind)]
    for kind in ("expander", "tabs", "metric", "button", "checkbox", "toggle", "text_input",
                 "text_area", "selectbox", "multiselect", "radio", "number_input",
                 "date_input", "slider", "select_slider", "download_button", "page_link",
                 "segmented_control", "pills", "form_submit_button"):
        try:
            elements = at.get(kind)
        except (KeyError, AttributeError):
            continue
        for element in elements:
            label = getattr(element, "label", None)
            if isinstance(label, str):
                found.append(label)
            if kind in ("radio", "segmented_control", "pills"):
                found += [str(option) for option in getattr(element, "options", []) or []]
    return found


def _open(url: str, page: str | None, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    for name, value in query.items():
        at.query_params[name] = value
    with transaction(shared_factory(url), write=True) as session:
        at.session_state["login_token"] = create_login_session(
            session, get_user(session, "director")
        )
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"ui/{page}").run()
    return at


def _assert_names_as_text(at: AppTest, where: str) -> None:
    assert not at.exception, f"{where}: {at.exception}"
    for text in _markdown_texts(at):
        for marker in MARKERS:
            assert marker not in text, f"{where}: {marker!r} reaches Markdown in {text!r}"


ADMIN_PAGES = [spec for spec in specs_for(ADMIN)]


@pytest.mark.parametrize("spec", ADMIN_PAGES, ids=lambda spec: spec.url_path or "home")
def test_every_page_shows_hostile_names_as_text(db, spec):
    at = _open(db, None if spec.default else spec.script)
    _assert_names_as_text(at, spec.script)


@pytest.mark.parametrize("round_id", [1, 2, 3])
@pytest.mark.parametrize(
    "spec",
    [spec for spec in ADMIN_PAGES if spec.section == "report.section"],
    ids=lambda spec: spec.url_path,
)
def test_report_pages_of_every_round_show_names_as_text(db, spec, round_id):
    at = _open(db, spec.script, round=str(round_id))
    _assert_names_as_text(at, f"{spec.script} round {round_id}")
