"""Roles (managers and admins): domain means by the role respondents gave, for the agency as a
whole only, whatever scope is chosen.

Why agency-wide only: a breakdown by unit *and* role could be subtracted from the unit's total
to reveal a handful of people, so roles are broken down once, for the whole agency, with the
same complementary suppression as units (`reports.builder`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.figures import role_chart
from reports.words import role_name
from scoring.disclosure import NO_RESPONSES, SHOWN
from ui.i18n import t
from ui.markdown_text import escape
from ui.report_context import ReportPage, open_report
from ui.report_text import mean_text, status_text, withheld_text


def roles_table(page: ReportPage) -> pd.DataFrame:
    report, lang = page.report, page.lang
    rows = []
    for cell in report.roles:
        row = {
            t("report.col.role"): role_name(str(cell.key), lang),
            t("report.col.n"): str(cell.n) if cell.status == SHOWN
            else status_text(cell.status, report.min_group_size, cell.reason),
        }
        for domain in report.domains:
            value = cell.means.get(domain.domain_id)
            if cell.status != SHOWN:
                row[domain.domain_id] = ""
            elif value is None:
                row[domain.domain_id] = withheld_text(
                    cell.domain_reasons.get(domain.domain_id, NO_RESPONSES),
                    report.min_group_size)
            else:
                row[domain.domain_id] = mean_text(value, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def render() -> None:
    page = open_report("report.page.roles")
    if page is None:
        return
    st.info(t("report.roles.why", k=page.report.min_group_size,
              organization=escape(page.report.organization)))
    if not page.shown:
        return
    if not page.report.roles:
        st.info(t("report.roles.none"))
        return
    chart = role_chart(page.report, page.lang)
    st.pyplot(chart.figure, alt=chart.alt)
    st.dataframe(roles_table(page), hide_index=True)
    st.caption(" · ".join(
        f"{d.domain_id} = {page.domain_title(d.domain_id)}" for d in page.report.domains
    ))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
