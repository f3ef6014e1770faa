"""Sign in: for leadership and managers who have not signed in yet (staff never sign in).

The form itself is a plain HTML page served by ``asgi.py`` at ``/api/login``, so the password
never passes through the Streamlit session and the login lands in an HttpOnly cookie.
"""

from __future__ import annotations

import html

import streamlit as st

from storage.demo import demo_sign_ins
from storage.engine import database_url, shared_factory, transaction
from ui.i18n import t
from ui.session_user import login_url, role_label

_LINK_STYLE = (
    "display:inline-block;padding:0.5rem 1rem;border-radius:0.5rem;font-weight:600;"
    "border:1px solid currentColor;color:inherit;text-decoration:none"
)


def render() -> None:
    st.title(t("signin.title"), anchor=False)
    st.markdown(t("signin.lead"))
    href = html.escape(login_url(), quote=True)
    st.html(f'<a href="{href}" style="{_LINK_STYLE}">{html.escape(t("signin.go"))}</a>')

    with transaction(shared_factory(database_url())) as session:
        demo = demo_sign_ins(session)
    if demo:
        with st.container(border=True):
            st.markdown(f"**{t('signin.demo.title')}**")
            st.markdown(t("signin.demo.text"))
            st.markdown(
                "\n".join(
                    "- " + t(
                        "signin.demo.row",
                        username=s.username,
                        password=s.password,
                        role=role_label(s.role),
                        sees=t("signin.demo.everything") if s.role == "admin" else s.sees,
                    )
                    for s in demo
                )
            )

    with st.container(border=True):
        st.markdown(f"**{t('signin.staff.title')}**")
        st.markdown(t("signin.staff.text"))

    with st.expander(t("signin.setup.title")):
        st.markdown(t("signin.setup.text"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
