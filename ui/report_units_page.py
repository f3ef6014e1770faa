"""Unit heat map (managers and admins): each unit of the scope against each domain.

The manager picks the view: each unit's difference from the scope's own row (the agency in the
agency's report) on a diverging, colour-blind-safe scale whose legend says which side is
better, or the scores themselves (`reports.figures.heatmap_chart`).

A withheld unit (fewer than k responses, or withheld so that a smaller one cannot be worked out
by subtraction) is marked "🔒 withheld", differently from a unit with no responses ("—"); the
legend says which is which. Withholding is decided once per round on the whole unit tree.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.figures import DIFFERENCE, SCORES, heatmap_chart
from reports.words import word
from scoring.disclosure import NO_RESPONSES, SHOWN, WITHHELD
from ui.admin_actions import indented
from ui.i18n import t
from ui.navigation import ADMIN
from ui.report_context import ReportPage, open_report
from ui.report_text import EMPTY_MARK, WITHHELD_MARK, mean_text, status_text, withheld_text


def heatmap_table(page: ReportPage) -> pd.DataFrame:
    report, lang = page.report, page.lang
    top = min((cell.depth for cell in report.units), default=0)
    rows = []
    for cell in report.units:
        row = {
            t("report.col.unit"): indented(cell.depth - top, cell.name),
            t("report.col.n"): str(cell.n) if cell.status == SHOWN else
            status_text(cell.status, report.min_group_size, cell.reason),
        }
        for domain in report.domains:
            column = domain.domain_id
            value = cell.means.get(domain.domain_id)
            if cell.status == SHOWN and value is not None:
                row[column] = mean_text(value, lang)
            elif cell.status == SHOWN:
                row[column] = withheld_text(
                    cell.domain_reasons.get(domain.domain_id, NO_RESPONSES),
                    report.min_group_size)
            else:
                row[column] = WITHHELD_MARK if cell.status == WITHHELD else EMPTY_MARK
        rows.append(row)
    return pd.DataFrame(rows)


def render() -> None:
    page = open_report("report.page.units")
    if page is None or not page.shown:
        return
    report = page.report
    st.markdown(t("report.units.lead"))
    st.markdown(t("report.units.legend", withheld=WITHHELD_MARK, empty=EMPTY_MARK,
                  k=report.min_group_size))
    if page.user.role != ADMIN and page.scope.round_unit_id is None:
        st.caption(t("report.units.only_yours"))
    view = st.radio(word("board.heatmap.view", page.lang), (DIFFERENCE, SCORES), index=0,
                    horizontal=True,
                    format_func=lambda v: word(f"board.heatmap.view.{v}", page.lang,
                                               scope=report.scope_name),
                    key="report.units.view")
    chart = heatmap_chart(report, page.lang, view=view or DIFFERENCE)
    st.pyplot(chart.figure, alt=chart.alt)
    st.dataframe(heatmap_table(page), hide_index=True)
    st.caption(" · ".join(
        f"{d.domain_id} = {page.domain_title(d.domain_id)}" for d in report.domains
    ))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
