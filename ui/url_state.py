"""Keep a widget's value in the page address, so a link can reopen the same view.

Streamlit's own ``bind="query-params"`` writes the *displayed* label into the URL
(``?lang=Español``, an instrument's whole title); these helpers keep short codes there instead
(``?lang=es&instrument=ti-staff&version=1.1.0``). Call `seed_from_url` before drawing the
widget and `show_in_url` after it.
"""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st


def seed_from_url(
    key: str, allowed: Collection[str], default: str, *, param: str | None = None
) -> None:
    """Give the widget ``key`` its first value: ``?param=`` (default: ``?key=``) when the URL
    has a valid one, otherwise ``default``. A valid value the widget already has is kept.

    The value is set through Session State, so the widget must be drawn without a default.
    """
    if st.session_state.get(key) in allowed:
        return
    from_url = st.query_params.get(param or key)
    st.session_state[key] = from_url if from_url in allowed else default


def show_in_url(key: str, value: str, default: str | None = None) -> None:
    """Put ``value`` in the URL as ``?key=value``; leave it out when it is the default."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
