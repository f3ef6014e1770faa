"""Report overview (managers and admins): responses, response rate, domain scores with their
95% confidence intervals and % favorable, strengths and priorities, and how many responses the
data-quality checks flagged."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports import display
from reports.figures import domain_scores_chart
from scoring.disclosure import SHOWN, WITHHELD
from ui.i18n import t, tn
from ui.markdown_text import escape
from ui.report_context import ReportPage, open_report
from ui.report_text import ci_text, mean_text, pct_text, status_text


def show_numbers(page: ReportPage) -> None:
    report, lang = page.report, page.lang
    responses, rate, flagged = st.columns(3)
    responses.metric(t("report.overview.responses"), report.n_responses)
    if report.response_rate is not None:
        rate.metric(t("report.overview.rate"), pct_text(100 * report.response_rate, lang),
                    help=t("report.overview.rate_help", invited=report.invited))
    else:
        rate.metric(t("report.overview.rate"), "—",
                    help=t("report.overview.rate_withheld", k=report.min_group_size))
    if report.n_flagged is not None:
        flagged.metric(t("report.overview.flagged"), report.n_flagged,
                       help=t("report.overview.flagged_help"))
    else:  # withheld on its own: the count would rest on too few, or give one away
        flagged.metric(t("report.overview.flagged"), "🔒",
                       help=t("report.overview.flagged_withheld", k=report.min_group_size))


def show_strengths_and_priorities(page: ReportPage) -> None:
    report, lang = page.report, page.lang
    means = {d.domain_id: d.mean for d in report.domains}
    strengths, priorities = st.columns(2)
    with strengths:
        st.header(t("report.overview.strengths"), anchor=False)
        st.caption(t("report.overview.strengths_help"))
        st.markdown("\n".join(
            f"- **{escape(page.domain_title(d))}** · {mean_text(means[d], lang)}"
            for d in report.strengths
        ) or t("report.none"))
    with priorities:
        st.header(t("report.overview.priorities"), anchor=False)
        st.caption(t("report.overview.priorities_help"))
        st.markdown("\n".join(
            f"- **{escape(page.domain_title(d))}** · {mean_text(means[d], lang)}"
            for d in report.priorities
        ) or t("report.none"))


# At 1366 px wide (a laptop, the menu open) the table shows its columns and all the domains
# without a scroll bar of its own; long names and a withheld cell's reason wrap within their
# row (Streamlit wraps text in rows taller than 4rem).
DOMAIN_ROW_HEIGHT = 66
DOMAIN_WIDTHS = {
    "report.col.domain": 330, "report.col.mean": 90, "report.col.ci": 120,
    "report.col.favorable": 230, "report.col.scored": 110,
}


def domain_table(page: ReportPage) -> pd.DataFrame:
    lang = page.lang
    k = page.report.min_group_size
    rows = []
    for domain in page.report.domains:
        if domain.status != SHOWN:
            held = status_text(domain.status, k, domain.reason)
            rows.append({
                t("report.col.domain"): f"{domain.domain_id} · "
                f"{page.domain_title(domain.domain_id)}",
                t("report.col.mean"): held, t("report.col.ci"): held,
                t("report.col.favorable"): held, t("report.col.scored"): held,
            })
            continue
        favorable = pct_text(display.favorable(domain), lang)
        if domain.pct_favorable_reason:  # withheld beside a shown mean
            favorable = status_text("withheld", k, domain.pct_favorable_reason)
        rows.append({
            t("report.col.domain"): f"{domain.domain_id} · {page.domain_title(domain.domain_id)}",
            t("report.col.mean"): mean_text(domain.mean, lang),
            t("report.col.ci"): ci_text(display.mean_ci(domain), lang),
            t("report.col.favorable"): favorable,
            t("report.col.scored"): str(domain.n_scored),
        })
    return pd.DataFrame(rows)


def render() -> None:
    page = open_report("report.page.overview")
    if page is None or not page.shown:
        return
    show_numbers(page)
    show_strengths_and_priorities(page)
    st.header(t("report.overview.domains"), anchor=False)
    st.caption(t("report.overview.domains_help"))
    chart = domain_scores_chart(page.report, page.lang)
    st.pyplot(chart.figure, alt=chart.alt)
    st.dataframe(domain_table(page), hide_index=True, height="content",
                 row_height=DOMAIN_ROW_HEIGHT, column_config={
                     t(key): st.column_config.TextColumn(t(key), width=width)
                     for key, width in DOMAIN_WIDTHS.items()})
    for note in display.notes(page.report.domains, page.lang):
        st.caption(note)
    withheld = sum(1 for cell in page.report.units if cell.status == WITHHELD)
    if withheld:
        st.caption(tn("report.overview.withheld_units", withheld, k=page.report.min_group_size))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
