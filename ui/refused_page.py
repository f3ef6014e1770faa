"""What a visitor sees at the address of a page they may not open (registered by
``ui/navigation.py`` in place of the page itself, hidden from the menu).

- Not signed in: the page needs a sign-in; the link to the sign-in form carries the page's
  address (with its query, ``/report-change?round=3``), so the visitor lands there once signed
  in.
- Signed in with another role: the page is for leadership (or for managers), with a link home.
- Signed in, at the sign-in page: they are signed in already.

Nothing of the page itself runs: its script is not even registered for this visitor.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from ui.i18n import t
from ui.navigation import ADMIN, MANAGER, PageSpec, default_spec, safe_target
from ui.session_user import current_user, login_url

_LINK_STYLE = (
    "display:inline-block;padding:0.5rem 1rem;border-radius:0.5rem;font-weight:600;"
    "border:1px solid currentColor;color:inherit;text-decoration:none"
)


def target_of(spec: PageSpec) -> str | None:
    """The address this visitor opened: the page and its query (the language left out: the
    sign-in form carries it on its own)."""
    query = {key: st.query_params.get(key) for key in st.query_params if key != "lang"}
    base = f"/{spec.url_path}"
    return safe_target(f"{base}?{urlencode(query)}" if query else base)


def message_key(spec: PageSpec, role: str | None) -> str:
    """The i18n key of why `spec` is closed to `role`."""
    if role is None:
        return "refused.signin"
    if ADMIN in spec.roles:
        return "refused.leadership"
    if MANAGER in spec.roles:
        return "refused.managers"
    return "refused.signed_in"


def render(spec: PageSpec) -> None:
    user = current_user()
    role = user.role if user is not None else None
    st.title(t(spec.title), anchor=False)
    st.warning(t(message_key(spec, role)))
    if role is None:
        href = html.escape(login_url(target=target_of(spec)), quote=True)
        st.html(f'<a href="{href}" style="{_LINK_STYLE}">{html.escape(t("signin.go"))}</a>')
    else:
        home = default_spec(role)
        st.page_link(home.path, label=t("refused.home"), icon=home.icon)


def refusal(spec: PageSpec) -> Callable[[], None]:
    """The page registered at `spec`'s address for a visitor who may not open it."""

    def refused() -> None:
        render(spec)

    refused.__name__ = f"refused_{spec.url_path.replace('-', '_')}"
    return refused
