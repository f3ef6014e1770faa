"""tisa's web app: the Streamlit entry point (`tisa serve`, or `streamlit run app.py`).

On every run it sets up the page, does the once-per-process start-up work, draws the language
switch and hands `st.navigation` the pages of the visitor's role (see `ui/navigation.py` for how
pages are registered). The pages themselves live in `ui/`.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import language_selector
from ui.navigation import pages_for

st.set_page_config(page_title="tisa", page_icon="🧭", layout="wide")


@st.cache_resource
def startup() -> None:
    """Start-up work: runs once per server process, before the first page is served.

    This is where the database will be brought up to date (DESIGN.md section 4: migrations
    run on start), e.g. ``storage.migrate.upgrade(database_url())`` with the URL from
    ``TISA_DATABASE_URL``. Nothing needs doing yet.
    """


def current_role() -> str | None:
    """The signed-in user's role; None for visitors who are not signed in (sign-in comes later)."""
    return None


startup()
language_selector(st.sidebar)
st.navigation(pages_for(current_role()), position="sidebar").run()
