"""Users (admin): who signs in, with which role, and which units a manager reads reports for;
add a user, change a manager's scope, disable or enable a user, lift an account's sign-in
delay, and reset someone's password (`storage.auth_service.reset_password`: hashed outside the
transaction, every login of that user ends, the audit log records who did it).

Admins see every unit. A manager reads the reports of the units in their scope and of every
unit below them; a manager without units sees agency-wide results only.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from storage.audit_repo import record_audit
from storage.auth_service import SignedInUser, lift_delays, reset_password
from storage.engine import database_url, shared_factory
from storage.errors import StorageError
from storage.models import Role
from storage.organization_repo import get_unit, unit_tree
from storage.passwords import MIN_PASSWORD_LENGTH
from storage.user_repo import add_user, disable_user, enable_user, get_user, list_users
from storage.user_repo import set_unit_scope as store_scope
from ui.admin_actions import admin_work, done, indented, show_done, show_problems, show_refusal
from ui.i18n import t
from ui.markdown_text import escape
from ui.navigation import ADMIN
from ui.session_user import require_role, role_label

ROLES = (Role.MANAGER.value, Role.ADMIN.value)
_ADD_FIELDS = ("users.add.username", "users.add.name", "users.add.password",
               "users.add.password2", "users.add.scope")


@dataclass(frozen=True)
class UserRow:
    username: str
    display_name: str
    role: str
    active: bool
    scope: tuple[str, ...]  # unit codes (managers only)


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("admin.users.title"), anchor=False)
    st.markdown(t("admin.users.lead"))
    show_done()

    with admin_work(signed) as work:
        users = [
            UserRow(
                user.username,
                user.display_name,
                user.role,
                user.active,
                tuple(unit.code for unit in user.scope_units),
            )
            for user in list_users(work.session, work.organization)
        ]
        tree = unit_tree(work.session, work.organization)
    units = {
        node.code: indented(depth, f"{node.name} ({node.code})")
        for root in tree
        for depth, node in root.walk()
    }
    names = {node.code: node.name for root in tree for _, node in root.walk()}

    st.subheader(t("admin.users.list"), anchor=False)
    st.dataframe(
        [
            {
                t("admin.users.col.username"): user.username,
                t("admin.users.col.name"): user.display_name,
                t("admin.users.col.role"): role_label(user.role),
                t("admin.users.col.active"): user.active,
                t("admin.users.col.scope"): scope_text(user, names),
            }
            for user in users
        ],
        hide_index=True,
        key="users.table",
    )

    add_tab, scope_tab, access_tab, password_tab = st.tabs(
        [t("admin.users.tab.add"), t("admin.users.tab.scope"), t("admin.users.tab.access"),
         t("admin.users.tab.password")]
    )
    with add_tab:
        add_form(signed, units)
    with scope_tab:
        scope_section(signed, users, units)
    with access_tab:
        access_section(signed, users)
    with password_tab:
        reset_section(signed, users)


def scope_text(user: UserRow, names: dict[str, str]) -> str:
    if user.role == Role.ADMIN.value:
        return t("admin.users.scope_all")
    if not user.scope:
        return t("admin.users.scope_none")
    return ", ".join(names.get(code, code) for code in user.scope)


def add_form(signed: SignedInUser, units: dict[str, str]) -> None:
    with st.form("users.add", enter_to_submit=False):
        username = st.text_input(
            t("admin.users.username"), help=t("admin.users.username_help"),
            key="users.add.username",
        )
        name = st.text_input(t("admin.users.name"), key="users.add.name")
        role = st.selectbox(
            t("admin.users.role"), ROLES, format_func=role_label, key="users.add.role"
        )
        password = st.text_input(
            t("admin.users.password"),
            type="password",
            help=t("admin.users.password_help", n=MIN_PASSWORD_LENGTH),
            key="users.add.password",
        )
        again = st.text_input(
            t("admin.users.password_again"), type="password", key="users.add.password2"
        )
        scope = st.multiselect(
            t("admin.users.scope"), list(units), format_func=units.get, key="users.add.scope",
            help=t("admin.users.scope_help"), placeholder=t("admin.choose_units"),
        )
        submitted = st.form_submit_button(
            t("admin.users.add"), type="primary", key="users.add.submit"
        )
    if not submitted:
        return
    if password != again:
        show_problems([t("admin.users.password_mismatch")])
        return
    if role == Role.ADMIN.value and scope:
        show_problems([t("admin.users.admin_has_no_scope")])
        return
    try:
        with admin_work(signed, write=True) as work:
            user = add_user(
                work.session, work.organization, username, password, role=role,
                display_name=name, actor=work.admin,
            )
            if scope:
                chosen = [get_unit(work.session, work.organization, code) for code in scope]
                store_scope(work.session, user, chosen, actor=work.admin)
            message = t(
                "admin.users.added", username=escape(user.username), role=role_label(user.role)
            )
    except StorageError as error:
        show_refusal(error)
    else:
        done(message, reset=_ADD_FIELDS)


def scope_section(signed: SignedInUser, users: list[UserRow], units: dict[str, str]) -> None:
    managers = {user.username: user for user in users if user.role == Role.MANAGER.value}
    if not managers:
        st.info(t("admin.users.no_managers"))
        return
    username = st.selectbox(
        t("admin.users.manager"),
        list(managers),
        format_func=lambda name: f"{managers[name].display_name} ({name})",
        key="users.scope.user",
    )
    manager = managers[username]
    chosen = st.multiselect(
        t("admin.users.scope"),
        list(units),
        default=[code for code in manager.scope if code in units],
        format_func=units.get,
        help=t("admin.users.scope_help"),
        placeholder=t("admin.choose_units"),
        key=f"users.scope.units.{username}",
    )
    if not st.button(t("admin.users.save_scope"), type="primary", key="users.scope.submit"):
        return
    try:
        with admin_work(signed, write=True) as work:
            user = get_user(work.session, username)
            store_scope(
                work.session,
                user,
                [get_unit(work.session, work.organization, code) for code in chosen],
                actor=work.admin,
            )
    except StorageError as error:
        show_refusal(error)
    else:
        done(t("admin.users.scope_saved", username=escape(username)))


def access_section(signed: SignedInUser, users: list[UserRow]) -> None:
    others = {user.username: user for user in users if user.username != signed.username}
    if not others:
        st.info(t("admin.users.only_you"))
        return
    username = st.selectbox(
        t("admin.users.which"),
        list(others),
        format_func=lambda name: (
            f"{others[name].display_name} ({name}) · "
            + t("admin.users.is_active" if others[name].active else "admin.users.is_disabled")
        ),
        key="users.access.user",
    )
    st.caption(t("admin.users.not_yourself"))
    user = others[username]
    if user.active:
        st.markdown(t("admin.users.lift_note"))
        if st.button(t("admin.users.lift"), key="users.access.lift"):
            with admin_work(signed, write=True) as work:
                lift_delays(work.session, username)
                record_audit(work.session, work.organization, "user.unlock", user=work.admin,
                             target=username)
            done(t("admin.users.lifted", username=escape(username)))
        st.markdown(t("admin.users.disable_note"))
        clicked = st.button(t("admin.users.disable"), key="users.access.disable")
        change, message = disable_user, "admin.users.disabled"
    else:
        clicked = st.button(t("admin.users.enable"), type="primary", key="users.access.enable")
        change, message = enable_user, "admin.users.enabled"
    if not clicked:
        return
    try:
        with admin_work(signed, write=True) as work:
            change(work.session, username, actor=work.admin)
    except StorageError as error:
        show_refusal(error)
    else:
        done(t(message, username=escape(username)))


_RESET_FIELDS = ("users.reset.password", "users.reset.password2")


def reset_section(signed: SignedInUser, users: list[UserRow]) -> None:
    others = {user.username: user for user in users if user.username != signed.username}
    if not others:
        st.info(t("admin.users.only_you"))
        return
    st.markdown(t("admin.users.reset.lead"))
    with st.form("users.reset", enter_to_submit=False):
        username = st.selectbox(
            t("admin.users.which"),
            list(others),
            format_func=lambda name: f"{others[name].display_name} ({name})",
            key="users.reset.user",
        )
        password = st.text_input(
            t("admin.users.password"), type="password", key="users.reset.password",
            help=t("account.password.help", n=MIN_PASSWORD_LENGTH), autocomplete="new-password",
        )
        again = st.text_input(
            t("admin.users.password_again"), type="password", key="users.reset.password2",
            autocomplete="new-password",
        )
        submitted = st.form_submit_button(
            t("admin.users.reset.submit"), type="primary", key="users.reset.submit"
        )
    if not submitted:
        return
    if password != again:
        show_problems([t("admin.users.password_mismatch")])
        return
    try:
        reset_password(shared_factory(database_url()), username, password, actor_id=signed.id)
    except StorageError as error:
        show_refusal(error)
    else:
        done(t("admin.users.reset.done", username=escape(username)), reset=_RESET_FIELDS)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
