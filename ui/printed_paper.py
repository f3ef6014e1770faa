"""The paper of the forms printed from the admin pages (code slips, the paper questionnaire):
the setting ``TISA_PAPER_SIZE``, Letter when it is not set, as for the PDF report."""

from __future__ import annotations

import streamlit as st

from reports.pdf_export import page_size, paper_size
from ui.markdown_text import escape


def printed_page() -> tuple[float, float] | None:
    """Width and height of the paper, or None after showing why the setting cannot be used."""
    try:
        return page_size(paper_size())
    except ValueError as refused:
        st.error(escape(str(refused)))
        return None
