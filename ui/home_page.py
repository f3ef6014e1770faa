"""About tisa: what it is and for whom. The page served at "/"."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.navigation import page_path


def render() -> None:
    st.title(t("home.title"), anchor=False)
    st.markdown(f"##### {t('home.lead')}")

    st.subheader(t("home.who"), anchor=False, divider="gray")
    for column, role in zip(
        st.columns(3, gap="large"), ("leadership", "staff", "managers"), strict=True
    ):
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{t(f'home.{role}.title')}**")
            st.markdown(t(f"home.{role}.text"))

    st.subheader(t("home.safety.title"), anchor=False, divider="gray")
    st.markdown(t("home.safety.text"))

    st.page_link(page_path("library_page.py"), label=t("home.library_link"), icon="📚")


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
