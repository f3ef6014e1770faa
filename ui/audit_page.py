"""Audit log (admin): who did what to which thing, and when, newest first.

Admin actions and sign-ins are recorded; what staff do in a survey never is (it would tie a
time to a person's participation), so there is nothing about respondents here.
"""

from __future__ import annotations

import json

import streamlit as st

from storage.audit_repo import list_audit_events
from storage.user_repo import list_users
from ui.admin_actions import admin_work, format_time
from ui.i18n import STRINGS, t
from ui.navigation import ADMIN
from ui.session_user import require_role

LIMITS = (50, 200, 1000)


def action_label(action: str) -> str:
    """The action in words (``round.open`` → "Round opened"); unknown actions as stored."""
    key = f"admin.audit.action.{action}"
    return t(key) if key in STRINGS else action


def detail_text(detail: dict[str, object]) -> str:
    return "; ".join(
        f"{name}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for name, value in detail.items()
    )


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("admin.audit.title"), anchor=False)
    st.markdown(t("admin.audit.lead"))
    limit = st.segmented_control(
        t("admin.audit.limit"), LIMITS, default=LIMITS[1], required=True, key="audit.limit"
    )
    with admin_work(signed) as work:
        names = {user.id: user.username for user in list_users(work.session, work.organization)}
        events = [
            (event.at, event.user_id, event.action, event.target, dict(event.detail or {}))
            for event in list_audit_events(work.session, work.organization, limit=int(limit))
        ]
    if not events:
        st.info(t("admin.audit.empty"))
        return
    st.dataframe(
        [
            {
                t("admin.audit.col.time"): format_time(at),
                t("admin.audit.col.user"): names.get(user_id, t("admin.audit.cli"))
                if user_id is not None else t("admin.audit.cli"),
                t("admin.audit.col.action"): action_label(action),
                t("admin.audit.col.target"): target,
                t("admin.audit.col.detail"): detail_text(detail),
            }
            for at, user_id, action, target, detail in events
        ],
        hide_index=True,
        key="audit.table",
    )
    st.caption(t("admin.audit.count", n=len(events)))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
