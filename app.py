"""tisa's web app: the Streamlit entry point (`tisa serve` runs it inside ``asgi.py``,
which adds the sign-in routes).

On every run it sets up the page, does the once-per-process start-up work, draws the language
switch and hands `st.navigation` the pages of the visitor's role, with the pages they may not
open registered in their place as pages that say why (see `ui/navigation.py` for how pages are
registered). The pages themselves live in `ui/`.
"""

from __future__ import annotations

import streamlit as st

from storage.bootstrap import initialize
from storage.engine import database_url
from ui.i18n import language_selector
from ui.navigation import pages_for
from ui.refused_page import refusal
from ui.session_user import account_box, current_user, refresh_current_user

st.set_page_config(page_title="tisa", page_icon="🧭", layout="wide")


@st.cache_resource
def startup(url: str) -> None:
    """Once per server process and database: migrate it and store the bundled library
    (DESIGN.md section 4: migrations run on start). Raises with a clear message when the
    database cannot be reached."""
    initialize(url)


def current_role() -> str | None:
    """The signed-in user's role; None for visitors who are not signed in."""
    user = current_user()
    return user.role if user is not None else None


startup(database_url())
language_selector(st.sidebar)
signed_in = refresh_current_user()  # from the login cookie, checked again on every run
if signed_in is not None:
    account_box(st.sidebar, signed_in)
# expanded: every page of the menu is one click away (no "View N more")
st.navigation(pages_for(current_role(), refusal), position="sidebar", expanded=True).run()
