"""The change page says what the change can tell, under AppTest on the demo.

Four verdicts with their symbols and, for each domain, why ("the change is smaller than half
a standard deviation (about 0.37 points here)", "with 119 and 138 responses only a change of
about 0.27 points or more could be detected") and the smallest detectable change; that rounds
are compared as independent groups, conservative when the same people answer both; in
English and Spanish. A report frozen before the four verdicts (its stored JSON without the
fields added since, its verdicts "no clear change") still opens, with its old words and a
line that says where they come from. Expected words come from ``ui.i18n`` and
``reports.words``, expected numbers from the report itself.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from reports.builder import AGENCY
from reports.frozen import digest
from reports.words import change_reading, mde_text
from scoring.change import NO_CLEAR_CHANGE, STABLE, TOO_FEW
from storage.models import RoundReport
from tests.ui import test_report_pages as pages
from tests.ui.test_report_pages import newest_round_id, open_app, scope_report, texts, work
from ui.i18n import t

# the report pages' fixtures: the app run from the repository, on a copy of the frozen demo
_in_repo_root = pages._in_repo_root
demo_template = pages.demo_template
db = pages.db

PAGE = "report_change_page.py"
NEW_FIELDS = ("hedges_g_ci", "mde_g", "mde_points", "mid_points", "units")


def change_frame(at):
    change, _trend = [frame.value for frame in at.dataframe]
    return change


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_domain_reads_its_verdict_why_and_the_smallest_detectable_change(db, lang):
    at = open_app(db, PAGE, lang=lang)
    report = scope_report(db, newest_round_id(db), None)
    verdicts = {c.verdict for c in report.change}
    assert {STABLE, TOO_FEW} <= verdicts, "the demo's last round has both"
    frame = change_frame(at)
    rows = {domain.split(" · ")[0]: i for i, domain in enumerate(frame[t("report.col.domain",
                                                                          lang)])}
    for c in report.change:
        row = frame.iloc[rows[c.domain_id]]
        symbol = {STABLE: "◆", TOO_FEW: "○"}.get(c.verdict)
        if symbol is not None:
            assert row[t("report.col.verdict", lang)] == (
                f"{symbol} {t(f'report.verdict.{c.verdict}', lang)}")
        assert row[t("report.col.reading", lang)] == change_reading(c, lang)
        assert row[t("report.col.mde", lang)] == mde_text(c, lang)
    said = texts(at.caption)
    assert t("report.change.independent", lang) in said
    assert t("report.change.method", lang) in said
    assert t("report.change.legacy", lang) not in said
    counts = texts(at.markdown)
    for verdict in (STABLE, TOO_FEW):
        n = sum(c.verdict == verdict for c in report.change)
        assert f"{t(f'report.verdict.{verdict}', lang)}: **{n}**" in counts


def test_a_report_frozen_before_the_four_verdicts_still_opens(db):
    round_id = newest_round_id(db)
    open_app(db, PAGE)  # a round closed before reports were frozen is frozen on first read
    with work(db, write=True) as session:
        row = session.scalars(sa.select(RoundReport).where(
            RoundReport.round_id == round_id, RoundReport.scope_key == AGENCY)).one()
        data = json.loads(row.report)
        for entry in data["change"]:
            for name in NEW_FIELDS:
                entry.pop(name)
            if entry["verdict"] in (STABLE, TOO_FEW):
                entry["verdict"] = NO_CLEAR_CHANGE
        for point in data["trend"]:
            point.pop("same_units")
        row.report = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        row.sha256 = digest(row.report)
    at = open_app(db, PAGE)
    frame = change_frame(at)
    verdicts = list(frame[t("report.col.verdict", "en")])
    old = "● " + t("report.verdict.no clear change", "en")
    assert old in verdicts
    assert set(frame[t("report.col.mde", "en")]) == {"—"}  # no detectable change was kept
    assert t("report.change.legacy", "en") in texts(at.caption)
    assert f"{old}: **{verdicts.count(old)}**" in texts(at.markdown)
    assert not at.error
