"""Units (admin): the organization's unit tree; add, rename and move units, or import many
from a CSV file, all or nothing.

Reports and rounds are built on this tree: a unit's results include the units below it.
"""

from __future__ import annotations

import streamlit as st

from storage.auth_service import SignedInUser
from storage.errors import StorageError
from storage.organization_repo import (
    UnitNode,
    add_unit,
    get_unit,
    import_units,
    move_unit,
    rename_unit,
    unit_tree,
)
from ui.admin_actions import (
    admin_work,
    done,
    indented,
    show_done,
    show_refusal,
    uploaded_csv,
)
from ui.i18n import t, tn
from ui.markdown_text import escape
from ui.navigation import ADMIN
from ui.session_user import require_role

TOP = ""  # the "parent" choice that puts a unit at the top of the tree
CSV_EXAMPLE = "name,code,parent\nNorth region,north,\nNorth intake,north-intake,north\n"


def tree_markdown(rows: list[tuple[int, UnitNode]]) -> str:
    """The tree as a nested Markdown list: name in bold, then the code."""
    lines = []
    for depth, node in rows:
        inactive = f" · _{t('admin.units.inactive')}_" if not node.active else ""
        lines.append(f"{'  ' * depth}- **{escape(node.name)}** · `{node.code}`{inactive}")
    return "\n".join(lines)


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("admin.units.title"), anchor=False)
    st.markdown(t("admin.units.lead"))
    show_done()

    with admin_work(signed) as work:
        tree = unit_tree(work.session, work.organization)
        organization = work.organization.name
    rows = [(depth, node) for root in tree for depth, node in root.walk()]
    labels = {node.code: indented(depth, f"{node.name} ({node.code})") for depth, node in rows}

    st.subheader(t("admin.units.tree", organization=escape(organization)), anchor=False)
    # One container whatever the tree holds, so the forms below keep their place in the page
    # (and their state in the browser) when the first unit is added.
    with st.container():
        if rows:
            st.markdown(tree_markdown(rows))
            st.caption(tn("admin.units.count", len(rows)))
        else:
            st.info(t("admin.units.empty"))

    add_tab, rename_tab, move_tab, import_tab = st.tabs(
        [
            t("admin.units.tab.add"),
            t("admin.units.tab.rename"),
            t("admin.units.tab.move"),
            t("admin.units.tab.import"),
        ]
    )
    with add_tab:
        add_form(signed, labels)
    with rename_tab:
        if labels:
            rename_form(signed, labels)
        else:
            st.info(t("admin.units.none_yet"))
    with move_tab:
        if labels:
            move_form(signed, labels)
        else:
            st.info(t("admin.units.none_yet"))
    with import_tab:
        import_section(signed)


def parent_choice(label: str, labels: dict[str, str], key: str) -> str:
    return st.selectbox(
        label,
        [TOP, *labels],
        format_func=lambda code: t("admin.units.top_level") if code == TOP else labels[code],
        key=key,
    )


def add_form(signed: SignedInUser, labels: dict[str, str]) -> None:
    with st.form("units.add", enter_to_submit=False):
        name = st.text_input(t("admin.units.name"), key="units.add.name")
        code = st.text_input(
            t("admin.units.code"), help=t("admin.units.code_help"), key="units.add.code"
        )
        parent = parent_choice(t("admin.units.parent"), labels, "units.add.parent")
        submitted = st.form_submit_button(
            t("admin.units.add"), type="primary", key="units.add.submit"
        )
    if not submitted:
        return
    try:
        with admin_work(signed, write=True) as work:
            above = get_unit(work.session, work.organization, parent) if parent else None
            unit = add_unit(
                work.session,
                work.organization,
                name,
                code=code.strip() or None,
                parent=above,
                actor=work.admin,
            )
            message = t("admin.units.added", name=escape(unit.name), code=unit.code)
    except StorageError as error:
        show_refusal(error)
    else:
        done(message, reset=("units.add.name", "units.add.code"))


def rename_form(signed: SignedInUser, labels: dict[str, str]) -> None:
    with st.form("units.rename", enter_to_submit=False):
        code = st.selectbox(
            t("admin.units.which"), list(labels), format_func=labels.get, key="units.rename.unit"
        )
        name = st.text_input(t("admin.units.new_name"), key="units.rename.name")
        submitted = st.form_submit_button(t("admin.units.rename"), key="units.rename.submit")
    if not submitted:
        return
    try:
        with admin_work(signed, write=True) as work:
            unit = rename_unit(
                work.session, get_unit(work.session, work.organization, code), name,
                actor=work.admin,
            )
            message = t("admin.units.renamed", code=unit.code, name=escape(unit.name))
    except StorageError as error:
        show_refusal(error)
    else:
        done(message, reset=("units.rename.name",))


def move_form(signed: SignedInUser, labels: dict[str, str]) -> None:
    with st.form("units.move", enter_to_submit=False):
        code = st.selectbox(
            t("admin.units.which"), list(labels), format_func=labels.get, key="units.move.unit"
        )
        parent = parent_choice(t("admin.units.new_parent"), labels, "units.move.parent")
        st.caption(t("admin.units.move_note"))
        submitted = st.form_submit_button(t("admin.units.move"), key="units.move.submit")
    if not submitted:
        return
    try:
        with admin_work(signed, write=True) as work:
            unit = get_unit(work.session, work.organization, code)
            above = get_unit(work.session, work.organization, parent) if parent else None
            move_unit(work.session, unit, above, actor=work.admin)
            where = above.name if above is not None else t("admin.units.top_level")
            message = t("admin.units.moved", name=escape(unit.name), where=escape(where))
    except StorageError as error:
        show_refusal(error)
    else:
        done(message)


def import_section(signed: SignedInUser) -> None:
    st.markdown(t("admin.units.import_help"))
    st.code(CSV_EXAMPLE, language="text")
    upload = uploaded_csv(
        t("admin.units.import_file"), "units.import.file", t("admin.units.import"),
        "units.import.submit",
    )
    if upload is None:
        return
    try:
        with admin_work(signed, write=True) as work:
            added = import_units(
                work.session, work.organization, upload.text, source=upload.name,
                actor=work.admin,
            )
            message = tn("admin.units.imported", len(added), file=escape(upload.name))
    except StorageError as error:
        st.markdown(t("admin.nothing_imported"))
        show_refusal(error)
    else:
        upload.fresh_uploader()
        done(message)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
