"""Comments (managers and admins): what staff wrote, per domain and for the closing question.

Comments are shown only for groups of at least the round's comment threshold (a unit's comments
are folded into the nearest unit above it that is large enough), shuffled and undated, so that
neither their order nor a date points to a person. The page says when some are not shown.
"""

from __future__ import annotations

import streamlit as st

from storage.survey_service import CLOSING_COMMENT
from ui.i18n import t, tn
from ui.markdown_text import escape
from ui.report_context import ReportPage, open_report


def ordered_groups(page: ReportPage) -> list[str]:
    """Domain ids in the instrument's order, then the closing question."""
    order = [d.id for d in page.instrument.domains] + [CLOSING_COMMENT]
    groups = list(page.report.comments)
    return sorted(groups, key=lambda g: order.index(g) if g in order else len(order))


def show_comment(text: str) -> None:
    with st.container(border=True):
        st.markdown(escape(text).replace("\n", "  \n"))


def render() -> None:
    page = open_report("report.page.comments")
    if page is None or not page.shown:
        return
    report = page.report
    st.markdown(t("report.comments.lead", m=report.min_comment_group_size))
    if report.comments_withheld:
        st.info(t("report.comments.withheld", m=report.min_comment_group_size))
    groups = ordered_groups(page)
    if not groups:
        st.info(t("report.comments.none"))
        return
    for group in groups:
        texts = report.comments[group]
        st.header(escape(page.domain_title(group)), anchor=False)
        st.caption(tn("report.comments.count", len(texts)))
        for text in texts:
            show_comment(text)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
