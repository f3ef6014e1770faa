"""Item detail (managers and admins): for one domain at a time, each item's answers per point of
its scale, % favorable and % "not applicable / unable to rate".

A high share of "not applicable" is a finding in itself (DESIGN.md section 8): staff may not
see the practice at all, or the item may not fit their work; the page points it out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports import display
from reports.builder import DomainResult
from reports.figures import item_chart
from scoring.disclosure import SHOWN
from ui.i18n import t
from ui.markdown_text import escape
from ui.report_context import ReportPage, localized, open_report
from ui.report_text import mean_text, pct_text, status_text

DOMAIN_KEY = "report.items.domain"
HIGH_NOT_APPLICABLE = 20.0  # % of answers: from here "not applicable" is pointed out


def point_labels(page: ReportPage, scale_id: str) -> list[str]:
    scale = page.instrument.scales[scale_id]
    labels = scale.labels.get(page.lang) or next(iter(scale.labels.values()))
    return [f"{point} {label}" for point, label in zip(scale.points, labels, strict=True)]


def items_table(page: ReportPage, domain: DomainResult) -> pd.DataFrame:
    lang = page.lang
    k = page.report.min_group_size
    rows = []
    for item in domain.items:
        shown = item.status == SHOWN and item.n is not None
        held = status_text(item.status if item.status != SHOWN else "withheld", k,
                           item.reason)
        row = {
            t("report.col.item"): item.item_id,
            t("report.col.statement"): localized(item.text, lang)
            + (f" {t('report.items.reverse')}" if item.reverse else ""),
            t("report.col.answered"): str(item.n) if shown else held,
            t("report.col.mean"): mean_text(item.mean, lang) if shown else held,
            t("report.col.favorable"): pct_text(item.pct_favorable, lang) if shown else held,
            t("report.col.na"): pct_text(item.pct_na, lang)
            + (" ⚠" if (item.pct_na or 0) >= HIGH_NOT_APPLICABLE else ""),
        }
        labels = point_labels(page, item.scale)
        counts = item.distribution if shown and item.distribution else [held] * len(labels)
        for label, count in zip(labels, counts, strict=True):
            row[label] = str(count)
        rows.append(row)
    return pd.DataFrame(rows)


def render() -> None:
    page = open_report("report.page.items")
    if page is None or not page.shown:
        return
    report = page.report
    ids = [d.domain_id for d in report.domains]
    # priorities first: that is where a manager looks for what to act on
    ordered = [*report.priorities, *(i for i in ids if i not in report.priorities)]
    if st.session_state.get(DOMAIN_KEY) not in ordered:
        st.session_state[DOMAIN_KEY] = ordered[0]
    domain_id = st.selectbox(
        t("report.items.pick"),
        options=ordered,
        format_func=lambda d: (
            f"{d} · {page.domain_title(d)}"
            + (f" ({t('report.items.priority')})" if d in report.priorities else "")
        ),
        key=DOMAIN_KEY,
    )
    domain = report.domain(domain_id)
    why = localized(domain.why, page.lang)
    if why:
        st.caption(escape(why))
    if domain.status == SHOWN:
        st.markdown(t("report.items.lead", mean=mean_text(domain.mean, page.lang),
                      fav=pct_text(display.favorable(domain), page.lang)))
    else:
        st.markdown(t("report.items.domain_withheld", reason=status_text(
            domain.status, report.min_group_size, domain.reason)))
    chart = item_chart(report, domain_id, page.lang)
    st.pyplot(chart.figure, alt=chart.alt)
    st.dataframe(items_table(page, domain), hide_index=True)
    high = [i for i in domain.items if (i.pct_na or 0) >= HIGH_NOT_APPLICABLE]
    for item in high:
        st.warning(t("report.items.high_na", item=escape(item.item_id),
                     pct=pct_text(item.pct_na, page.lang)))
    st.caption(t("report.items.na_note", pct=pct_text(HIGH_NOT_APPLICABLE, page.lang)))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
