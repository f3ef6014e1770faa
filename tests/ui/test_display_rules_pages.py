"""The display rules (`reports.display`) on the report pages (AppTest): the edge-case round of
`tests.display_rules_world`, added to the demo agency and frozen as at close, read on the
overview and the reliability pages in English and Spanish. The same words as the PDF, HTML and
spreadsheet (`reports.display`), and no number where the rules say there is none."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from reports.frozen import frozen_report
from reports.words import word
from storage.auth_service import create_login_session
from storage.bootstrap import initialize
from storage.engine import (
    DATABASE_URL_VARIABLE,
    make_engine,
    session_factory,
    shared_factory,
    transaction,
)
from storage.models import Round
from storage.organization_repo import resolve_organization
from storage.user_repo import get_user
from tests.display_rules_world import add_display_round
from ui.i18n import t
from ui.markdown_text import unescape

ROOT = Path(__file__).resolve().parents[2]
ADMIN_USER = "director"
NUMBER = re.compile(r"[−-]?\d+[.,]\d\d")


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, int]:
    """The demo with the edge-case round added and closed; its report frozen."""
    path = tmp_path_factory.mktemp("display-pages") / "tisa.db"
    url = f"sqlite:///{path}"
    initialize(url, demo=True)
    engine = make_engine(url)
    try:
        factory = session_factory(engine)
        with transaction(factory, write=True) as session:
            round_id = add_display_round(session, resolve_organization(session)).id
        with transaction(factory, write=True) as session:
            frozen_report(session, session.get(Round, round_id))
    finally:
        engine.dispose()  # the WAL is checkpointed into the file that is copied
    return path, round_id


@pytest.fixture
def db(template, tmp_path, monkeypatch) -> tuple[str, int]:
    path, round_id = template
    copy = tmp_path / "tisa.db"
    shutil.copy(path, copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    return url, round_id


def report_of(url: str, round_id: int):
    with transaction(shared_factory(url)) as session:
        return frozen_report(session, session.get(Round, round_id))


def open_page(url: str, round_id: int, page: str, lang: str) -> AppTest:
    with transaction(shared_factory(url), write=True) as session:
        token = create_login_session(session, get_user(session, ADMIN_USER))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["round"] = str(round_id)
    at.session_state["login_token"] = token
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"ui/{page}").run()
    assert not at.exception, at.exception
    return at


def texts(*lists) -> str:
    return "\n".join(unescape(element.value) for elements in lists for element in elements)


def rows_by_domain(frame, lang: str) -> dict[str, dict[str, str]]:
    column = t("report.col.domain", lang)
    return {row[column].split(" · ")[0]: row for row in frame.to_dict("records")}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_reliability_page_follows_the_display_rules(db, lang):
    url, round_id = db
    report = report_of(url, round_id)
    at = open_page(url, round_id, "report_reliability_page.py", lang)
    boxes = texts(at.error, at.warning, at.success)
    negative = word("disp.alpha.negative", lang)
    assert negative[:1].upper() + negative[1:] in boxes  # FND: alpha below zero, in words
    assert word("disp.omega.reversed_many", lang,
                items=f"FND-05 {word('and', lang)} FND-06") in boxes
    frames = [frame.value for frame in at.dataframe]
    numbers = next(f for f in frames if t("report.col.alpha", lang) in f.columns)
    rows = rows_by_domain(numbers, lang)
    alpha, omega = t("report.col.alpha", lang), t("report.col.omega", lang)
    assert rows["FND"][alpha] == negative
    fnd_alpha = report.domain("FND").alpha
    assert f"{fnd_alpha:.2f}"[1:] not in " ".join(str(v) for v in rows["FND"].values())
    too_few = word("disp.rel.needs", lang, min=30, n=5)
    assert rows["TRU"][alpha] == too_few and rows["TRU"][omega] == "—"
    assert rows["WEL"][alpha] == word("disp.rel.needs_below_k", lang, min=30, k=5)
    for domain_id in ("FND", "TRU", "WEL"):
        assert not NUMBER.search(rows[domain_id][alpha])
    icc = t("report.col.icc", lang)
    assert rows["SAF"][icc].startswith(word("disp.icc.not_reliable", lang, values="")[:20])
    raw = f"{abs(report.domain('SAF').icc2):.2f}"
    assert raw not in rows["SAF"][icc] and raw.replace(".", ",") not in rows["SAF"][icc]
    saf = report.domain("SAF")
    rmsr = word("disp.omega.rmsr_short", lang, rmsr=f"{saf.omega_rmsr:.2f}".replace(
        ".", "," if lang == "es" else "."))
    assert rmsr in rows["SAF"][omega]
    units = next(f for f in frames if t("report.col.band", lang) in f.columns)
    tru = [r for r in units.to_dict("records") if r[t("report.col.domain", lang)].startswith(
        "TRU")]
    assert [r[t("report.col.band", lang)] for r in tru] == [word("disp.band.lack", lang)]
    assert "two camps" not in boxes and "dos bandos" not in boxes


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_overview_clips_intervals_and_shows_favorable_only_beside_a_mean(db, lang):
    url, round_id = db
    at = open_page(url, round_id, "report_overview_page.py", lang)
    [frame] = [frame.value for frame in at.dataframe]
    rows = rows_by_domain(frame, lang)
    ci, favorable = t("report.col.ci", lang), t("report.col.favorable", lang)
    assert rows["TRU"][ci] == ("1.00 – 5.00" if lang == "en" else "1,00 – 5,00")
    assert "%" not in rows["VOI"][favorable]  # nobody scored: no mean, no % favorable
    assert "%" not in rows["EQU"][favorable] and "🔒" in rows["EQU"][favorable]
    assert "%" in rows["TRN"][favorable]
    note = word("disp.note.ci_clipped", lang, domains="TRU", low="1", high="5")
    assert note in texts(at.caption)
