"""Your access: who you are signed in as, your role, which units you can see, and changing
your own password (`storage.auth_service.change_password`: the current password is checked like
a sign-in, and every other login of yours ends)."""

from __future__ import annotations

import streamlit as st

from storage.auth_service import (
    SignedInUser,
    assigned_units,
    change_password,
    device_place,
    idle_timeout,
)
from storage.engine import database_url, shared_factory, transaction
from storage.errors import StorageError
from storage.passwords import MIN_PASSWORD_LENGTH
from ui.admin_actions import done, show_done
from ui.i18n import t
from ui.markdown_text import escape
from ui.navigation import ADMIN, MANAGER
from ui.session_user import login_token, require_role, role_label

_PASSWORD_FIELDS = ("account.password.current", "account.password.new", "account.password.again")


def assigned_unit_names(user: SignedInUser) -> list[str]:
    with transaction(shared_factory(database_url())) as session:
        return [unit.name for unit in assigned_units(session, user)]


def render() -> None:
    user = require_role(ADMIN, MANAGER)
    st.title(t("account.title"), anchor=False)
    show_done()
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
    st.caption(t("account.session", idle=int(idle_timeout().total_seconds() // 60)))

    st.subheader(t("account.password.title"), anchor=False, divider="gray")
    password_form(user)


def password_form(user: SignedInUser) -> None:
    st.markdown(t("account.password.lead"))
    with st.form("account.password", enter_to_submit=False):
        current = st.text_input(
            t("account.password.current"), type="password", key="account.password.current",
            autocomplete="current-password",
        )
        new = st.text_input(
            t("account.password.new"), type="password", key="account.password.new",
            help=t("account.password.help", n=MIN_PASSWORD_LENGTH), autocomplete="new-password",
        )
        again = st.text_input(
            t("account.password.again"), type="password", key="account.password.again",
            autocomplete="new-password",
        )
        submitted = st.form_submit_button(
            t("account.password.submit"), type="primary", key="account.password.submit"
        )
    if not submitted:
        return
    if not current or not new or not again:
        st.error(t("account.password.missing"))
        return
    if new != again:
        st.error(t("account.password.mismatch"))
        return
    address = st.context.ip_address  # under AppTest a stand-in object, not a string
    place = device_place(address if isinstance(address, str) and address else "unknown", None)
    try:
        change_password(
            shared_factory(database_url()), user.id, current, new, place,
            keep_token=login_token(),
        )
    except StorageError as error:
        st.error(t("account.password.refused", problem=escape(str(error))))
    else:
        done(t("account.password.changed"), reset=_PASSWORD_FIELDS)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
