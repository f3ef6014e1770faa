"""What staff are promised, and the statement that backs it, hold to the design.

Three attacks on the words themselves (DESIGN.md section 6, docs/anonymity.md):

- a promise stronger than the design keeps ("completely anonymous", "nobody can ever", "never",
  "encrypted") anywhere on the survey's welcome or thank-you page, or in the survey's privacy
  texts, in English or Spanish; and each promise that does hold (the minimum group size k for
  every number, the comment threshold, no results while the round is open, leadership cannot
  see who answered or which answers came with which code, no link to the code after close,
  where to read more) shown on those pages with the round's own thresholds;
- a threat model that leaves out a party (a manager, an admin, anyone holding an export, a
  reader of the database or a backup after close, a database administrator during an open
  round, someone with both the database and the code list), or for one of them leaves out what
  they can learn, what tisa guarantees or what it cannot prevent;
- a command, option, setting or database statement named in the statement (or in the README's
  summary of it) that tisa does not have or does not run.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
import typer.main
from streamlit import config
from streamlit.testing.v1 import AppTest

from cli import app as cli_app
from reports.code_slips import CODES_CSV_COLUMNS
from storage.bootstrap import initialize
from storage.engine import (
    DATABASE_URL_VARIABLE,
    DEFAULT_SQLITE_FILE,
    make_engine,
    shared_factory,
    transaction,
)
from storage.instrument_repo import get_instrument_version
from storage.models import Role
from storage.organization_repo import add_unit, create_organization
from storage.round_service import UnitInvitation, create_round, issue_codes, open_round
from ui.i18n import STRINGS, UI_LANGUAGES, t
from ui.markdown_text import unescape
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = ROOT / "docs" / "anonymity.md"
README = ROOT / "README.md"
SURVEY = "ui/survey_page.py"

# Thresholds no default shares, so that a text showing a default instead fails.
K = 4
COMMENT_THRESHOLD = 7

# -- promises stronger than the design keeps --------------------------------------------------

OVERPROMISES = {
    "en": [
        r"\b(completely|fully|totally|truly|perfectly|absolutely|100\s*%)\s+"
        r"(anonymous|private|safe|secure|confidential|untraceable)",
        r"\b(no one|no-one|nobody)\b",
        r"\b(never|forever|permanently)\b",
        r"\bencrypt",
        r"\bguarantee",
        r"\bimpossible\b",
        r"\buntraceable\b",
        r"\bcannot be (traced|identified)\b",
        r"\bsecure(ly)?\b",
        r"\bno trace\b",
        r"\bnot (stored|kept|saved|recorded) with your answers\b",
    ],
    "es": [
        r"\b(completamente|totalmente|absolutamente|100\s*%)\s+"
        r"(anónim|privad|segur|confidencial|irrastreable)",
        r"\bnadie\b",
        r"\b(nunca|jamás|para siempre|permanentemente)\b",
        r"\b(cifrad[oa]s?|encriptad[oa]s?)\b",
        r"\bgarantiz",
        r"\bimposible\b",
        r"\birrastreable\b",
        r"\bsegur[oa]s?\b",
        r"\bningún rastro\b",
        r"\bno se guarda con sus respuestas\b",
    ],
}

PROMISE_PREFIXES = ("survey.welcome.", "survey.thanks.", "survey.privacy.", "survey.code.")
PROMISE_KEYS = sorted(
    key
    for key in STRINGS
    if key.startswith(PROMISE_PREFIXES) or key in {"survey.entry.privacy", "survey.role.note"}
)


def overpromises(text: str, lang: str) -> list[str]:
    return [
        match.group(0)
        for pattern in OVERPROMISES[lang]
        for match in re.finditer(pattern, text, flags=re.IGNORECASE)
    ]


def test_the_checked_texts_include_the_welcome_and_thanks():
    assert "survey.welcome.privacy.groups" in PROMISE_KEYS
    assert "survey.thanks.received" in PROMISE_KEYS


@pytest.mark.parametrize("lang", UI_LANGUAGES)
@pytest.mark.parametrize("key", PROMISE_KEYS)
def test_no_survey_text_promises_more_than_the_design_keeps(key, lang):
    text = STRINGS[key][lang]
    assert not overpromises(text, lang), f"{key} [{lang}]: {overpromises(text, lang)}: {text}"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Your answers are completely anonymous.", "en"),
        ("No one can ever link your answers to you.", "en"),
        ("Answers are encrypted.", "en"),
        ("Sus respuestas son totalmente anónimas.", "es"),
        ("Nadie puede relacionar sus respuestas con usted.", "es"),
        ("Las respuestas se guardan cifradas.", "es"),
    ],
)
def test_the_check_catches_overpromises(text, lang):
    assert overpromises(text, lang)


# -- the pages as a respondent sees them ----------------------------------------------------


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def codes(tmp_path, monkeypatch) -> list[str]:
    """An open round of ti-staff 1.1.0 with k = 4 and a comment threshold of 7; two codes."""
    url = f"sqlite:///{tmp_path / 'tisa.db'}"
    initialize(url)
    with transaction(shared_factory(url), write=True) as session:
        organization = create_organization(session, "Test Agency")
        unit = add_unit(session, organization, "North office")
        round_ = create_round(
            session,
            organization,
            name="Spring 2099",
            instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
            invitations=[UnitInvitation(unit, 20)],
            languages=("en", "es"),
            closes_on=date(2099, 6, 30),
            min_group_size=K,
            min_comment_group_size=COMMENT_THRESHOLD,
        )
        open_round(session, round_)
        issued = issue_codes(session, round_, round_.units[0], 2)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return issued


def survey_at(code: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["code"] = code
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    at.switch_page(SURVEY).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def page_text(at: AppTest) -> str:
    """Everything the respondent reads on the page."""
    parts = [
        *at.title, *at.header, *at.subheader, *at.markdown, *at.caption,
        *at.success, *at.info, *at.warning, *at.error,
    ]
    return "\n".join(unescape(part.value) for part in parts)


def welcome_promises(lang: str) -> list[str]:
    return [
        t("survey.welcome.privacy.leadership", lang),
        t("survey.welcome.privacy.groups", lang, k=K),
        t("survey.welcome.privacy.comments", lang, k=COMMENT_THRESHOLD),
        t("survey.welcome.privacy.open", lang),
        t("survey.welcome.privacy.closed", lang),
        t("survey.privacy.more", lang),
        t("survey.welcome.code", lang),
    ]


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_welcome_states_what_holds_and_nothing_more(codes, lang):
    at = survey_at(codes[0], lang)
    assert unescape(at.header[0].value) == t("survey.welcome.heading", lang)
    text = page_text(at)
    for promise in welcome_promises(lang):
        assert promise in text, f"[{lang}] the welcome does not say: {promise}"
    assert str(K) in t("survey.welcome.privacy.groups", lang, k=K)
    assert str(COMMENT_THRESHOLD) in t("survey.welcome.privacy.comments", lang, k=COMMENT_THRESHOLD)
    assert not overpromises(text, lang), overpromises(text, lang)


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_thanks_state_what_holds_and_nothing_more(codes, lang):
    at = survey_at(codes[1], lang)
    click(at, "survey_next")  # from the welcome to the first section
    for _ in range(100):  # the sections, the role, then the review
        if _has(at, "survey_submit"):
            break
        click(at, "survey_next")
    click(at, "survey_submit")
    assert unescape(at.header[0].value) == t("survey.thanks.heading", lang)
    text = page_text(at)
    closes = t("survey.date", lang, day=30, month=t("survey.month.6", lang), year=2099)
    for promise in [
        t("survey.thanks.received", lang),
        t("survey.thanks.private", lang),
        t("survey.thanks.next_dated", lang, date=closes, k=K),
        t("survey.privacy.more", lang),
    ]:
        assert promise in text, f"[{lang}] the thanks do not say: {promise}"
    assert not overpromises(text, lang), overpromises(text, lang)


def _has(at: AppTest, key: str) -> bool:
    return any(button.key == key for button in at.button)


# -- the threat model -----------------------------------------------------------------------

PARTIES = (
    "A manager",
    "An admin",
    "Anyone holding an export",
    "Anyone reading the database or a backup after a round is closed",
    "A database administrator watching a live server during an open round",
    "Someone holding both the database and the admin's downloaded code list during an open round",
)
EACH_PARTY_SAYS = (
    "**What they can learn.**",
    "**What tisa guarantees, and how.**",
    "**What tisa cannot prevent.**",
)
# What the agency must do: each as words the section must hold (lower case).
AGENCY_DUTIES = {
    "slips handed out at random": "hand out slips at random",
    "the database administrator outside line management": "outside line management",
    "backups of open rounds short-lived": "backups of open rounds short-lived",
    "autovacuum on": "autovacuum on",
    "no unit with fewer than k invited": "do not invite fewer than *k* people to a unit",
    "unit links where names on slips are a worry": "unit links",
}


def sections(markdown: str, level: str) -> dict[str, str]:
    """Heading text → the text under it, for headings of exactly `level` ("##", "###")."""
    out: dict[str, str] = {}
    current = None
    for line in markdown.splitlines():
        heading = re.match(r"(#+) (.*)", line)
        if heading and len(heading.group(1)) <= len(level):
            current = heading.group(2).strip() if heading.group(1) == level else None
            if current is not None:
                out[current] = ""
            continue
        if current is not None:
            out[current] += line + "\n"
    return out


def test_the_statement_has_a_section_for_each_party():
    parties = sections(STATEMENT.read_text(encoding="utf-8"), "###")
    missing = [party for party in PARTIES if party not in parties]
    assert not missing, f"docs/anonymity.md has no section for: {missing}"


@pytest.mark.parametrize("party", PARTIES)
def test_each_party_is_told_what_they_learn_what_holds_and_what_does_not(party):
    body = sections(STATEMENT.read_text(encoding="utf-8"), "###").get(party, "")
    for part in EACH_PARTY_SAYS:
        assert part in body, f"{party!r}: no {part}"
        after = body.split(part, 1)[1].strip()
        assert after and not after.startswith("**"), f"{party!r}: {part} says nothing"


def test_the_statement_says_what_the_agency_should_do():
    todo = sections(STATEMENT.read_text(encoding="utf-8"), "##").get(
        "What the agency should do", ""
    )
    missing = [duty for duty, words in AGENCY_DUTIES.items() if words not in todo.lower()]
    assert not missing, f"docs/anonymity.md does not ask the agency for: {missing}"


def test_the_readme_summarizes_the_statement_and_links_to_it():
    summary = sections(README.read_text(encoding="utf-8"), "##").get("How anonymity is kept", "")
    assert "(docs/anonymity.md)" in summary
    assert "What it cannot do" in summary and "What the agency does" in summary


# -- every name the statement uses exists ---------------------------------------------------

# What tisa itself runs or sets: the statement it runs, as it must appear in storage/ (the
# engine option is checked on a real engine instead).
MECHANISMS = {
    "VACUUM FULL": "VACUUM FULL",
    "PRAGMA wal_checkpoint(TRUNCATE)": "PRAGMA wal_checkpoint(TRUNCATE)",
    "secure_delete": "PRAGMA secure_delete=ON",
    "hide_parameters=True": None,
}
POSTGRES_SETTING = re.compile(r"[a-z][a-z_]+")


def named() -> list[str]:
    """Every `quoted` name in the statement and in the README's summary of it."""
    readme = sections(README.read_text(encoding="utf-8"), "##").get("How anonymity is kept", "")
    texts = STATEMENT.read_text(encoding="utf-8") + readme
    return sorted(set(re.findall(r"`([^`\n]+)`", texts)))


def _source(folder: str) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in sorted((ROOT / folder).rglob("*.py"))
    )


def kind(name: str) -> str:
    if name.startswith("tisa "):
        return "command"
    if name.startswith("TISA_"):
        return "environment"
    if name in MECHANISMS:
        return "mechanism"
    if name.startswith("/"):
        return "page"
    if name in {role.value for role in Role}:
        return "role"
    if name == str(DEFAULT_SQLITE_FILE.relative_to(ROOT)):
        return "file"
    if name.startswith("docs/") or name.endswith(".md"):
        return "file"
    if name in CODES_CSV_COLUMNS:  # a column of the codes CSV (reports/code_slips.py)
        return "codes column"
    if POSTGRES_SETTING.fullmatch(name):
        return "postgresql setting"
    return "unknown"


def test_every_name_is_of_a_kind_that_is_checked():
    unknown = [name for name in named() if kind(name) == "unknown"]
    assert not unknown, f"names quoted in docs/anonymity.md that no test checks: {unknown}"


def resolve(words: list[str]) -> tuple[list[str], object]:
    """Walk the `tisa` command tree along `words`; the path found and the last command."""
    command = typer.main.get_command(cli_app)
    path = []
    for word in words:
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        command = sub
        path.append(word)
    return path, command


@pytest.mark.parametrize("name", [n for n in named() if kind(n) == "command"])
def test_every_tisa_command_named_exists(name):
    words = name.split()[1:]
    commands = [w for w in words if re.fullmatch(r"[a-z][a-z-]*", w)]
    path, command = resolve(commands)
    assert path == commands, f"`{name}`: there is no `tisa {' '.join(commands)}`"
    assert not hasattr(command, "commands"), f"`{name}` is a group, not a command"
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"`{name}`: no option {word}"


def test_every_setting_named_is_read():
    sources = _source("storage") + _source("ui") + (ROOT / "cli.py").read_text(encoding="utf-8")
    settings = [name for name in named() if kind(name) == "environment"]
    unread = [name for name in settings if f'"{name}"' not in sources]
    assert not unread, f"settings named but read nowhere: {unread}"


@pytest.mark.parametrize("name", [n for n in named() if kind(n) == "mechanism"])
def test_every_database_statement_named_is_run_by_tisa(name, tmp_path):
    statement = MECHANISMS[name]
    if statement is None:  # an engine option: every engine tisa builds has it
        engine = make_engine(f"sqlite:///{tmp_path / 'tisa.db'}")
        try:
            assert engine.hide_parameters is True
        finally:
            engine.dispose()
        return
    assert f'"{statement}' in _source("storage"), f"storage/ never runs `{statement}`"


@pytest.mark.parametrize("name", [n for n in named() if kind(n) == "page"])
def test_every_page_named_exists(name):
    assert name.lstrip("/") in {page.url_path for page in PAGES}


@pytest.mark.parametrize("name", [n for n in named() if kind(n) == "file"])
def test_every_file_named_exists_or_is_the_default_database(name):
    path = ROOT / name
    assert path.exists() or path == DEFAULT_SQLITE_FILE, name


def test_every_postgresql_setting_named_exists():
    configured = os.environ.get("TISA_TEST_DATABASE_URL", "").strip()
    if not configured:
        pytest.skip("TISA_TEST_DATABASE_URL is not set: PostgreSQL settings need a server")
    from storage.engine import normalize_url

    settings = [n for n in named() if kind(n) == "postgresql setting"]
    assert settings
    engine = sa.create_engine(normalize_url(configured), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            known = set(connection.scalars(sa.text("SELECT name FROM pg_settings")))
    finally:
        engine.dispose()
    assert not set(settings) - known, f"not PostgreSQL settings: {set(settings) - known}"
