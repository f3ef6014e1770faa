"""Action plan (managers and admins): what will be done about what this round found, and what
came of the actions planned after the previous round.

- Last round's actions are shown beside the change of their domain since then, so a manager
  sees whether an action moved anything (the change is on comparable items only).
- A new action is planned from a domain (priorities first) or one of its items, with an owner,
  a due date, an indicator to watch and a status; the status of an action can be changed later.

An action belongs to the scope it was planned in: a unit (managers plan for their own units) or
the agency as a whole (planned by admins). Managers see the agency's actions and those of their
units, and change the status of their units' actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from storage.action_service import ActionInput, create_action, list_actions, update_action
from storage.errors import StorageError
from storage.models import ActionStatus
from storage.round_service import get_round
from ui.admin_actions import admin_work, done, show_done, show_refusal
from ui.i18n import t
from ui.markdown_text import escape
from ui.navigation import ADMIN
from ui.report_context import ReportPage, open_report
from ui.report_text import diff_text, verdict_text

STATUSES = [s.value for s in ActionStatus]
WHOLE_DOMAIN = ""  # the item choice "the whole domain"
NEW_DOMAIN_KEY = "report.action.domain"
NEW_KEYS = {
    "item": "report.action.item",
    "title": "report.action.title",
    "owner": "report.action.owner",
    "due": "report.action.due",
    "indicator": "report.action.indicator",
    "status": "report.action.status",
}
EDIT_PICK_KEY = "report.action.edit_pick"
EDIT_STATUS_KEY = "report.action.edit_status"


@dataclass(frozen=True)
class ActionRow:
    """An action as plain data for the page."""

    id: int
    round_id: int
    domain_id: str
    item_id: str | None
    title: str
    owner: str
    due_on: date | None
    indicator: str
    status: str
    unit_id: int | None

    def input(self, **changes: object) -> ActionInput:
        fields = {
            "domain_id": self.domain_id, "item_id": self.item_id, "title": self.title,
            "owner": self.owner, "due_on": self.due_on, "indicator": self.indicator,
            "status": self.status, "unit_id": self.unit_id,
        }
        fields.update(changes)
        return ActionInput(**fields)


def status_label(status: str) -> str:
    return t(f"report.action.status.{status}")


def visible(page: ReportPage, unit_id: int | None) -> bool:
    """Whether the viewer sees an action of the living unit `unit_id` (None: the agency)."""
    return unit_id is None or page.user.role == ADMIN or unit_id in page.user.scope_unit_ids


def editable(page: ReportPage, row: ActionRow) -> bool:
    if page.user.role == ADMIN:
        return True
    return row.unit_id is not None and row.unit_id in page.user.scope_unit_ids


def unit_label(page: ReportPage, unit_id: int | None) -> str:
    if unit_id is None:
        return t("report.action.agency")
    names = {s.unit_id: s.name for s in page.scopes if s.unit_id is not None}
    return names.get(unit_id, t("report.action.other_unit"))


def load_actions(page: ReportPage, round_ids: set[int]) -> list[ActionRow]:
    rows = []
    with admin_work(page.user) as work:
        for round_id in sorted(round_ids):
            round_ = get_round(work.session, work.organization, round_id)
            for a in list_actions(work.session, round_):
                rows.append(ActionRow(a.id, a.round_id, a.domain_id, a.item_id, a.title,
                                      a.owner, a.due_on, a.indicator, a.status, a.unit_id))
    return [row for row in rows if visible(page, row.unit_id)]


def what(page: ReportPage, domain_id: str, item_id: str | None) -> str:
    title = f"{domain_id} · {page.domain_title(domain_id)}"
    return f"{title} · {item_id}" if item_id else title


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


# -- last round's actions ----------------------------------------------------------------------


def show_before(page: ReportPage) -> None:
    report = page.report
    st.header(t("report.action.before", previous=escape(report.previous_round_name or "")),
                 anchor=False)
    round_ids = {a.round_id for a in report.actions_before}
    units = {row.id: row.unit_id for row in load_actions(page, round_ids)} if round_ids else {}
    shown = [a for a in report.actions_before if a.id in units]
    if not shown:
        st.info(t("report.action.before_none"))
        return
    rows = []
    for action in shown:
        change = action.change
        rows.append({
            t("report.col.action"): action.title,
            t("report.col.domain"): what(page, action.domain_id, action.item_id),
            t("report.col.unit"): unit_label(page, units[action.id]),
            t("report.col.status"): status_label(action.status),
            t("report.col.change"): verdict_text(change.verdict) if change is not None
            else t("report.action.no_change"),
            t("report.col.diff"): diff_text(change.diff, page.lang) if change is not None
            else "—",
            t("report.col.comparable"): t("report.change.n_of", n=change.n_items_compared,
                                          m=change.n_items) if change is not None else "—",
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(t("report.action.before_note"))


# -- this round's actions ----------------------------------------------------------------------


def show_now(page: ReportPage, rows: list[ActionRow]) -> None:
    st.header(t("report.action.now"), anchor=False)
    if not rows:
        st.info(t("report.action.now_none"))
        return
    table = [{
        t("report.col.action"): row.title,
        t("report.col.domain"): what(page, row.domain_id, row.item_id),
        t("report.col.unit"): unit_label(page, row.unit_id),
        t("report.col.owner"): row.owner or "—",
        t("report.col.due"): day(row.due_on),
        t("report.col.indicator"): row.indicator or "—",
        t("report.col.status"): status_label(row.status),
    } for row in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True)
    mine = [row for row in rows if editable(page, row)]
    if mine:
        show_status_editor(page, mine)


def show_status_editor(page: ReportPage, rows: list[ActionRow]) -> None:
    by_id = {row.id: row for row in rows}
    with st.form("report.action.edit", border=True, enter_to_submit=False):
        st.markdown(f"**{t('report.action.edit')}**")
        left, right = st.columns([3, 1])
        action_id = left.selectbox(
            t("report.action.edit_pick"), options=list(by_id),
            format_func=lambda i: by_id[i].title, key=EDIT_PICK_KEY,
        )
        status = right.selectbox(
            t("report.action.edit_status"), options=STATUSES, format_func=status_label,
            key=EDIT_STATUS_KEY,
        )
        saved = st.form_submit_button(t("report.action.edit_save"), key="report.action.save")
    if saved and action_id is not None:
        row = by_id[action_id]
        try:
            with admin_work(page.user, write=True) as work:
                round_ = get_round(work.session, work.organization, row.round_id)
                update_action(work.session, round_, row.id, row.input(status=status),
                              user=work.admin)
        except StorageError as error:
            show_refusal(error)
        else:
            done(t("report.action.updated", title=escape(row.title),
                   status=status_label(status)))


# -- a new action ------------------------------------------------------------------------------


def show_new(page: ReportPage) -> None:
    st.header(t("report.action.new"), anchor=False)
    report = page.report
    if page.scope.round_unit_id is None and page.user.role != ADMIN:
        st.info(t("report.action.agency_admins"))
        return
    if page.scope.round_unit_id is not None and page.scope.unit_id is None:
        st.info(t("report.action.unit_gone"))
        return
    st.caption(t("report.action.for_scope", scope=escape(page.scope.name)))
    ids = [d.id for d in page.instrument.domains]
    ordered = [*report.priorities, *(i for i in ids if i not in report.priorities)]
    if st.session_state.get(NEW_DOMAIN_KEY) not in ordered:
        st.session_state[NEW_DOMAIN_KEY] = ordered[0]
    domain_id = st.selectbox(
        t("report.action.domain"), options=ordered, key=NEW_DOMAIN_KEY,
        format_func=lambda d: f"{d} · {page.domain_title(d)}"
        + (f" ({t('report.items.priority')})" if d in report.priorities else ""),
    )
    domain = next(d for d in page.instrument.domains if d.id == domain_id)
    items = [WHOLE_DOMAIN, *(item.id for item in domain.items)]
    texts = {item.id: item.text.get(page.lang) or item.text["en"] for item in domain.items}
    with st.form("report.action.new", border=True, enter_to_submit=False):
        item_id = st.selectbox(
            t("report.action.item"), options=items, key=NEW_KEYS["item"],
            format_func=lambda i: t("report.action.whole_domain") if i == WHOLE_DOMAIN
            else f"{i} · {texts[i]}",
        )
        title = st.text_input(t("report.action.title"), key=NEW_KEYS["title"], max_chars=300)
        left, right = st.columns(2)
        owner = left.text_input(t("report.action.owner"), key=NEW_KEYS["owner"], max_chars=200)
        due = right.date_input(t("report.action.due"), value=None, key=NEW_KEYS["due"])
        indicator = st.text_input(t("report.action.indicator"), key=NEW_KEYS["indicator"],
                                  help=t("report.action.indicator_help"))
        status = st.selectbox(t("report.action.status"), options=STATUSES,
                              format_func=status_label, key=NEW_KEYS["status"])
        created = st.form_submit_button(t("report.action.create"), type="primary",
                                        key="report.action.create")
    if not created:
        return
    data = ActionInput(
        domain_id=domain_id,
        item_id=item_id or None,
        title=title or "",
        owner=owner or "",
        due_on=due if isinstance(due, date) else None,
        indicator=indicator or "",
        status=status,
        unit_id=page.scope.unit_id,
    )
    try:
        with admin_work(page.user, write=True) as work:
            round_ = get_round(work.session, work.organization, page.round.id)
            action = create_action(work.session, round_, data, user=work.admin)
            title_saved = action.title
    except StorageError as error:
        show_refusal(error)
    else:
        written = [NEW_KEYS[field] for field in ("title", "owner", "indicator", "due")]
        done(t("report.action.created", title=escape(title_saved)), reset=written)


def render() -> None:
    page = open_report("report.page.actions")
    if page is None:
        return
    show_done()
    if page.report.previous_round_name is not None:
        show_before(page)
    show_now(page, load_actions(page, {page.round.id}))
    show_new(page)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
