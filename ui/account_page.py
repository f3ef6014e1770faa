"""Your access: who you are signed in as, your role, and which units you can see."""

from __future__ import annotations

import streamlit as st

from storage.auth_service import SignedInUser, assigned_units
from storage.engine import database_url, shared_factory, transaction
from ui.i18n import t
from ui.markdown_text import escape
from ui.navigation import ADMIN, MANAGER
from ui.session_user import require_role, role_label


def assigned_unit_names(user: SignedInUser) -> list[str]:
    with transaction(shared_factory(database_url())) as session:
        return [unit.name for unit in assigned_units(session, user)]


def render() -> None:
    user = require_role(ADMIN, MANAGER)
    st.title(t("account.title"), anchor=False)
    st.markdown(
        f"**{t('account.name')}:** {escape(user.display_name)}  \n"
        f"**{t('account.username')}:** `{user.username}`  \n"
        f"**{t('account.role')}:** {role_label(user.role)}"
    )

    st.subheader(t("account.scope.title"), anchor=False, divider="gray")
    if user.is_admin:
        st.markdown(t("account.scope.admin"))
    else:
        names = assigned_unit_names(user)
        if names:
            st.markdown(t("account.scope.units"))
            st.markdown("\n".join(f"- {escape(name)}" for name in names))
        else:
            st.info(t("account.scope.none"))
    st.caption(t("account.session"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
