"""Change and trend (managers and admins): the change of each domain since the previous round
and its trend over all rounds, on comparable items only ("comparable on N of M items").

Each domain gets one of four verdicts (`scoring.change`, DESIGN.md section 7): ▲ improved or
▼ declined when the change is both statistically clear (Welch's test, Benjamini–Hochberg
adjusted p < .05) and large enough to matter (|Hedges' g| ≥ 0.2); ◆ stable when the change is
smaller than half a standard deviation (the 95% interval of g within ± 0.5, stated in points);
○ too few to tell otherwise, with the smallest change the group sizes could detect. Reports
frozen before these four keep their "● no clear change". The page says that rounds are
compared as independent groups, which is conservative when many of the same people answer
both, and, when the units covered differ between the rounds, on which units present in both
the change was computed. The verdicts come with the report.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.builder import ChangeResult
from reports.figures import VERDICTS, change_chart, trend_chart
from reports.words import change_reading, listing, mde_text
from scoring.change import NO_CLEAR_CHANGE
from scoring.disclosure import NO_RESPONSES, SHOWN, WITHHELD
from ui.i18n import t
from ui.markdown_text import escape
from ui.report_context import ReportPage, open_report
from ui.report_text import (
    ci_text,
    diff_text,
    mean_text,
    status_text,
    verdict_text,
    withheld_text,
)


def _reason(change: ChangeResult, k: int) -> str:
    """What a withheld change shows: the mark and its reason in words."""
    return withheld_text(change.reason, k)


def change_table(page: ReportPage) -> pd.DataFrame:
    lang = page.lang
    k = page.report.min_group_size
    rows = []
    for change in page.report.change:
        comparable = t("report.change.n_of", n=change.n_items_compared, m=change.n_items)
        domain = f"{change.domain_id} · {page.domain_title(change.domain_id)}"
        if change.verdict == WITHHELD:
            held = _reason(change, k)
            rows.append({
                t("report.col.domain"): domain, t("report.col.verdict"): held,
                t("report.col.reading"): held, t("report.col.before"): held,
                t("report.col.now"): held, t("report.col.diff"): held,
                t("report.col.diff_ci"): held, t("report.col.g"): held,
                t("report.col.mde"): held, t("report.col.comparable"): comparable,
            })
            continue
        rows.append({
            t("report.col.domain"): domain,
            t("report.col.verdict"): verdict_text(change.verdict),
            t("report.col.reading"): change_reading(change, lang),
            t("report.col.before"): mean_text(change.mean_before, lang),
            t("report.col.now"): mean_text(change.mean_after, lang),
            t("report.col.diff"): diff_text(change.diff, lang),
            t("report.col.diff_ci"): ci_text(change.diff_ci, lang),
            t("report.col.g"): diff_text(change.hedges_g, lang),
            t("report.col.mde"): mde_text(change, lang),
            t("report.col.comparable"): comparable,
        })
    return pd.DataFrame(rows)


# At 1366 px wide (a laptop, the menu open) the change table shows every column and every
# domain without a scroll bar of its own: fixed widths that add up to the page's width, and
# rows tall enough for the longer texts (the reading, the detectable change) to wrap
# (Streamlit wraps text in rows taller than 4rem).
CHANGE_ROW_HEIGHT = 74
CHANGE_WIDTHS = {
    "report.col.domain": 150, "report.col.verdict": 95, "report.col.reading": 190,
    "report.col.before": 52, "report.col.now": 52, "report.col.diff": 56,
    "report.col.diff_ci": 92, "report.col.g": 50, "report.col.mde": 92,
    "report.col.comparable": 60,
}


def change_columns() -> dict[str, st.column_config.Column]:
    return {t(key): st.column_config.TextColumn(t(key), width=width)
            for key, width in CHANGE_WIDTHS.items()}


def show_change(page: ReportPage) -> None:
    report = page.report
    st.header(t("report.change.heading"), anchor=False)
    if report.previous_round_name is None:
        st.info(t("report.change.no_previous"))
        return
    if not report.change:
        st.info(t("report.change.no_group", previous=escape(report.previous_round_name)))
        return
    compared = sum(c.n_items_compared for c in report.change)
    total = sum(c.n_items for c in report.change)
    st.markdown(t("report.change.lead", previous=escape(report.previous_round_name),
                  n=compared, m=total))
    units = next((c.units for c in report.change if c.units), ())
    if units:
        st.info(t("report.change.units", n=len(units),
                  units=escape(listing(list(units), page.lang))))
    legacy = any(c.verdict == NO_CLEAR_CHANGE for c in report.change)
    shown = [*VERDICTS, NO_CLEAR_CHANGE] if legacy else list(VERDICTS)
    counts = {v: sum(1 for c in report.change if c.verdict == v) for v in shown}
    st.markdown(" · ".join(
        f"{verdict_text(verdict)}: **{n}**" for verdict, n in counts.items()
    ))
    chart = change_chart(report, page.lang)
    st.pyplot(chart.figure, alt=chart.alt)
    st.dataframe(change_table(page), hide_index=True, height="content",
                 row_height=CHANGE_ROW_HEIGHT, column_config=change_columns())
    st.caption(t("report.change.method"))
    if legacy:
        st.caption(t("report.change.legacy"))
    st.caption(t("report.change.independent"))


TREND_DOMAIN_WIDTH = 230


def trend_table(page: ReportPage) -> pd.DataFrame:
    report, lang = page.report, page.lang
    rows = []
    for domain in report.domains:
        row = {t("report.col.domain"): f"{domain.domain_id} · "
               f"{page.domain_title(domain.domain_id)}"}
        for point in report.trend:
            mean = point.means.get(domain.domain_id)
            if point.status != SHOWN:
                value = status_text(point.status, report.min_group_size,
                                    point.reasons.get(domain.domain_id, ""))
            elif mean is None:
                value = withheld_text(point.reasons.get(domain.domain_id, NO_RESPONSES),
                                      report.min_group_size)
            else:
                value = mean_text(mean, lang)
                comparable = point.comparable_items.get(domain.domain_id, 0)
                if comparable < domain.n_items:
                    value += " " + t("report.trend.partial", n=comparable, m=domain.n_items)
            row[point.round_name] = value
        rows.append(row)
    return pd.DataFrame(rows)


def show_trend(page: ReportPage) -> None:
    report = page.report
    st.header(t("report.trend.heading"), anchor=False)
    if len(report.trend) < 2:
        st.info(t("report.trend.single"))
        return
    st.markdown(t("report.trend.lead", n=len(report.trend)))
    other = [escape(p.round_name) for p in report.trend if not p.same_units]
    if other:
        st.info(t("report.trend.other_units", rounds=listing(other, page.lang)))
    chart = trend_chart(report, page.lang)
    st.pyplot(chart.figure, alt=chart.alt)
    st.dataframe(trend_table(page), hide_index=True, height="content",
                 column_config={t("report.col.domain"): st.column_config.TextColumn(
                     t("report.col.domain"), width=TREND_DOMAIN_WIDTH)})


def render() -> None:
    page = open_report("report.page.change")
    if page is None or not page.shown:
        return
    show_change(page)
    show_trend(page)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
