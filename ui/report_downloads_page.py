"""Downloads (managers and admins): the report of the chosen round and scope as a PDF, a
self-contained HTML page, an XLSX workbook and a CSV of the aggregates.

Each file is drawn from the same report the pages show, restricted to the viewer in the same way
(`ui.report_context.viewer_report`), so an export never holds a cell a page withholds. The files
are built only when a button is clicked (``data=`` is a callable, run on the click). Like the
pages, they hold the report computed when the round closed; an open round offers no download.
The PDF is on the paper chosen here, US Letter or A4, by default the setting ``TISA_PAPER_SIZE``
(Letter when it is not set).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from reports.builder import Report
from reports.html_export import report_html
from reports.pdf_export import DEFAULT_PAPER, PAPERS, paper_size, report_pdf
from reports.table_export import report_csv, report_xlsx
from reports.words import word
from storage.organization_repo import slugify
from ui.i18n import t
from ui.report_context import AGENCY_CODE, ReportPage, open_report


def file_stem(page: ReportPage) -> str:
    scope = page.scope.code if page.scope.code != AGENCY_CODE else "agency"
    return f"tisa-{slugify(page.report.round_name)}-{scope}-{page.lang}"


@dataclass(frozen=True)
class Download:
    key: str  # the i18n keys report.download.<key> and <key>_help
    suffix: str
    mime: str
    build: Callable[[Report, str], bytes]


DOWNLOADS = (
    Download("pdf", ".pdf", "application/pdf", report_pdf),
    Download("html", ".html", "text/html", lambda r, lang: report_html(r, lang).encode("utf-8")),
    Download(
        "xlsx", ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_xlsx,
    ),
    Download("csv", ".csv", "text/csv", lambda r, lang: report_csv(r, lang)[0]),
    Download("codebook", "-codebook.csv", "text/csv", lambda r, lang: report_csv(r, lang)[1]),
)


def deferred(download: Download, report: Report, lang: str,
             paper: str = DEFAULT_PAPER) -> Callable[[], bytes]:
    """The file, built only when its button is clicked (on Streamlit's download thread); the
    PDF on `paper`."""
    if download.key == "pdf":
        return lambda: report_pdf(report, lang, paper)
    return lambda: download.build(report, lang)


def default_paper() -> str:
    """The setting's paper, Letter when the setting is not one tisa knows."""
    try:
        return paper_size()
    except ValueError:
        return DEFAULT_PAPER


def render() -> None:
    page = open_report("report.page.downloads")
    if page is None or not page.shown:
        return
    st.markdown(t("report.download.lead"))
    stem = file_stem(page)
    papers = tuple(PAPERS)
    paper = st.radio(word("board.paper", page.lang), papers,
                     index=papers.index(default_paper()), horizontal=True,
                     format_func=lambda p: word(f"board.paper.{p}", page.lang),
                     key="report.download.paper") or default_paper()
    for download in DOWNLOADS:
        with st.container(border=True):
            st.download_button(
                t(f"report.download.{download.key}"),
                data=deferred(download, page.report, page.lang, paper),
                file_name=f"{stem}{download.suffix}",
                mime=download.mime,
                on_click="ignore",
                key=f"report.download.{download.key}",
                type="primary" if download.key == "pdf" else "secondary",
            )
            st.markdown(t(f"report.download.{download.key}_help"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
