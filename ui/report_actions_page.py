"""Action plan (managers and admins): what will be done about what this round found, and what
came of the actions planned after the previous round.

- Last round's actions are shown beside the change of their domain since then, so a manager
  sees whether an action moved anything (the change is on comparable items only).
- A new action is planned from a domain (priorities first) or one of its items, with a
  description, an owner, a due date, an indicator to watch and a status. The bundled library
  of suggested actions (`instruments.suggestions`) offers cited practices for the chosen
  domain; one click fills the form with a suggestion, in the page's language.
- An action can later be changed in every field, or deleted after a confirmation.

An action belongs to the scope it was planned in: a unit (managers plan for their own units
and the units below them) or the agency as a whole (planned by leadership), and only those who
may plan for a scope change or delete its actions (`storage.action_service.may_plan` enforces
it; this page offers the editor only for those actions). Managers see the agency's actions and
those of their units.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date

import pandas as pd
import streamlit as st

from instruments.suggestions import Suggestion, citation, suggested_actions, suggestions_for
from storage.action_service import (
    ActionInput,
    create_action,
    delete_action,
    list_actions,
    update_action,
)
from storage.errors import StorageError
from storage.models import ActionStatus
from storage.round_service import get_round
from ui.admin_actions import admin_work, done, show_done, show_refusal
from ui.i18n import t
from ui.markdown_text import escape
from ui.navigation import ADMIN
from ui.report_context import ReportPage, localized, open_report
from ui.report_text import diff_text, verdict_text

STATUSES = [s.value for s in ActionStatus]
WHOLE_DOMAIN = ""  # the item choice "the whole domain"
NEW_DOMAIN_KEY = "report.action.domain"
NEW_KEYS = {
    "item": "report.action.item",
    "title": "report.action.title",
    "description": "report.action.description",
    "owner": "report.action.owner",
    "due": "report.action.due",
    "indicator": "report.action.indicator",
    "status": "report.action.status",
}
EDIT_PICK_KEY = "report.action.edit_pick"
EDIT_STATUS_KEY = "report.action.edit_status"
EDIT_KEYS = {
    "about": "report.action.edit_about",
    "title": "report.action.edit_title",
    "description": "report.action.edit_description",
    "owner": "report.action.edit_owner",
    "due": "report.action.edit_due",
    "indicator": "report.action.edit_indicator",
    "status": EDIT_STATUS_KEY,
}
EDIT_LOADED_KEY = "report.action.edit_loaded"  # the action whose fields the editor holds
DELETE_PENDING_KEY = "report.action.delete_pending"  # the action waiting for a confirmation


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
    description: str = ""

    def input(self, **changes: object) -> ActionInput:
        fields = {
            "domain_id": self.domain_id, "item_id": self.item_id, "title": self.title,
            "description": self.description, "owner": self.owner, "due_on": self.due_on,
            "indicator": self.indicator, "status": self.status, "unit_id": self.unit_id,
        }
        fields.update(changes)
        return ActionInput(**fields)


def status_label(status: str) -> str:
    return t(f"report.action.status.{status}")


def visible(page: ReportPage, unit_id: int | None) -> bool:
    """Whether the viewer sees an action of the living unit `unit_id` (None: the agency)."""
    return unit_id is None or page.user.role == ADMIN or unit_id in page.user.scope_unit_ids


def editable(page: ReportPage, row: ActionRow) -> bool:
    """Whether the viewer may plan for the action's scope (the same rule as
    `storage.action_service.may_plan`, which enforces it)."""
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
                                      a.owner, a.due_on, a.indicator, a.status, a.unit_id,
                                      a.description))
    return [row for row in rows if visible(page, row.unit_id)]


def what(page: ReportPage, domain_id: str, item_id: str | None) -> str:
    title = f"{domain_id} · {page.domain_title(domain_id)}"
    return f"{title} · {item_id}" if item_id else title


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def columns(widths: dict[str, int]) -> dict[str, object]:
    """Column widths in pixels that keep every column of a table in view at 1366 pixels
    (long texts are cut in the cell and shown whole on hover)."""
    return {t(key): st.column_config.TextColumn(width=width) for key, width in widths.items()}


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
            t("report.col.status"): status_label(action.status),
            t("report.col.change"): verdict_text(change.verdict) if change is not None
            else t("report.action.no_change"),
            t("report.col.diff"): diff_text(change.diff, page.lang) if change is not None
            else "—",
            t("report.col.comparable"): t("report.change.n_of", n=change.n_items_compared,
                                          m=change.n_items) if change is not None else "—",
            t("report.col.domain"): what(page, action.domain_id, action.item_id),
            t("report.col.unit"): unit_label(page, units[action.id]),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=columns({
        "report.col.action": 240, "report.col.status": 100, "report.col.change": 110,
        "report.col.diff": 70, "report.col.comparable": 80, "report.col.domain": 150,
        "report.col.unit": 110,
    }))
    st.caption(t("report.action.before_note"))


# -- this round's actions ----------------------------------------------------------------------


def show_now(page: ReportPage, rows: list[ActionRow]) -> None:
    st.header(t("report.action.now"), anchor=False)
    if not rows:
        st.info(t("report.action.now_none"))
        return
    table = [{
        t("report.col.action"): row.title,
        t("report.col.status"): status_label(row.status),
        t("report.col.due"): day(row.due_on),
        t("report.col.owner"): row.owner or "—",
        t("report.col.domain"): what(page, row.domain_id, row.item_id),
        t("report.col.unit"): unit_label(page, row.unit_id),
        t("report.col.indicator"): row.indicator or "—",
    } for row in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, column_config=columns({
        "report.col.action": 210, "report.col.status": 90, "report.col.due": 90,
        "report.col.owner": 105, "report.col.domain": 135, "report.col.unit": 100,
        "report.col.indicator": 130,
    }))
    mine = [row for row in rows if editable(page, row)]
    if mine:
        show_editor(page, mine)


def about_options(page: ReportPage) -> tuple[list[str], dict[str, str]]:
    """What an action can be about: each domain (its id) and each of its items (their ids),
    with how each reads."""
    options, labels = [], {}
    for domain in page.instrument.domains:
        options.append(domain.id)
        labels[domain.id] = f"{domain.id} · {page.domain_title(domain.id)} · " \
            f"{t('report.action.whole_domain')}"
        for item in domain.items:
            options.append(item.id)
            labels[item.id] = f"{item.id} · {localized(item.text, page.lang)}"
    return options, labels


def domain_of(page: ReportPage, about: str) -> tuple[str, str | None]:
    """(domain id, item id or None) of an `about_options` choice."""
    for domain in page.instrument.domains:
        if about == domain.id:
            return domain.id, None
        if any(item.id == about for item in domain.items):
            return domain.id, about
    return about, None


def load_editor(row: ActionRow) -> None:
    """Fill the editor's fields with the action as stored (before its widgets exist)."""
    state = st.session_state
    state[EDIT_KEYS["about"]] = row.item_id or row.domain_id
    state[EDIT_KEYS["title"]] = row.title
    state[EDIT_KEYS["description"]] = row.description
    state[EDIT_KEYS["owner"]] = row.owner
    state[EDIT_KEYS["due"]] = row.due_on
    state[EDIT_KEYS["indicator"]] = row.indicator
    state[EDIT_KEYS["status"]] = row.status
    state[EDIT_LOADED_KEY] = loaded(row)


def loaded(row: ActionRow) -> tuple:
    """The action as the editor was filled with it, as plain values (this module's classes
    are new objects on every run, so the row itself would never compare equal)."""
    return astuple(row)


def show_editor(page: ReportPage, rows: list[ActionRow]) -> None:
    by_id = {row.id: row for row in rows}
    st.subheader(t("report.action.edit"), anchor=False)
    if st.session_state.get(EDIT_PICK_KEY) not in by_id:
        st.session_state[EDIT_PICK_KEY] = rows[0].id
    action_id = st.selectbox(
        t("report.action.edit_pick"), options=list(by_id),
        format_func=lambda i: by_id[i].title, key=EDIT_PICK_KEY,
    )
    row = by_id[action_id]
    if st.session_state.get(EDIT_LOADED_KEY) != loaded(row):  # another action, or changed
        load_editor(row)
    if st.session_state.get(DELETE_PENDING_KEY) == row.id:
        confirm_delete(page, row)
        return
    options, labels = about_options(page)
    with st.form("report.action.edit", border=True, enter_to_submit=False):
        about = st.selectbox(t("report.action.item"), options=options,
                             format_func=labels.__getitem__, key=EDIT_KEYS["about"])
        title = st.text_input(t("report.action.title"), key=EDIT_KEYS["title"], max_chars=300)
        description = st.text_area(t("report.action.description"),
                                   key=EDIT_KEYS["description"], max_chars=4000)
        left, middle, right = st.columns(3)
        owner = left.text_input(t("report.action.owner"), key=EDIT_KEYS["owner"],
                                max_chars=200)
        due = middle.date_input(t("report.action.due"), key=EDIT_KEYS["due"])
        status = right.selectbox(t("report.action.edit_status"), options=STATUSES,
                                 format_func=status_label, key=EDIT_KEYS["status"])
        indicator = st.text_input(t("report.action.indicator"), key=EDIT_KEYS["indicator"],
                                  help=t("report.action.indicator_help"))
        save_col, delete_col = st.columns(2)
        saved = save_col.form_submit_button(t("report.action.edit_save"), type="primary",
                                            key="report.action.save")
        deleting = delete_col.form_submit_button(t("report.action.delete_button"),
                                                 key="report.action.delete")
    if deleting:
        st.session_state[DELETE_PENDING_KEY] = row.id
        st.rerun()
    if not saved:
        return
    if not (title or "").strip():
        st.error(t("report.action.title_needed"))
        return
    domain_id, item_id = domain_of(page, about)
    data = row.input(
        domain_id=domain_id, item_id=item_id, title=title, description=description or "",
        owner=owner or "", due_on=due if isinstance(due, date) else None,
        indicator=indicator or "", status=status,
    )
    try:
        with admin_work(page.user, write=True) as work:
            round_ = get_round(work.session, work.organization, row.round_id)
            saved_title = update_action(work.session, round_, row.id, data,
                                        user=work.admin).title
    except StorageError as error:
        show_refusal(error)
    else:
        st.session_state.pop(EDIT_LOADED_KEY, None)
        done(t("report.action.saved", title=escape(saved_title)))


def confirm_delete(page: ReportPage, row: ActionRow) -> None:
    st.warning(t("report.action.delete_confirm", title=escape(row.title)))
    yes, keep = st.columns(2)
    if keep.button(t("report.action.delete_keep"), key="report.action.delete_keep"):
        st.session_state.pop(DELETE_PENDING_KEY, None)
        st.rerun()
    if not yes.button(t("report.action.delete_yes"), type="primary",
                      key="report.action.delete_yes"):
        return
    st.session_state.pop(DELETE_PENDING_KEY, None)
    try:
        with admin_work(page.user, write=True) as work:
            round_ = get_round(work.session, work.organization, row.round_id)
            delete_action(work.session, round_, row.id, user=work.admin)
    except StorageError as error:
        show_refusal(error)
    else:
        st.session_state.pop(EDIT_PICK_KEY, None)
        st.session_state.pop(EDIT_LOADED_KEY, None)
        done(t("report.action.deleted", title=escape(row.title)))


# -- a new action ------------------------------------------------------------------------------


def use_suggestion(suggestion: Suggestion, lang: str) -> None:
    """Fill the new action's form with a suggestion (a button's callback: it runs before the
    form's widgets exist)."""
    st.session_state[NEW_KEYS["item"]] = WHOLE_DOMAIN
    st.session_state[NEW_KEYS["title"]] = localized(suggestion.title, lang)
    st.session_state[NEW_KEYS["description"]] = localized(suggestion.description, lang)
    st.session_state[NEW_KEYS["indicator"]] = localized(suggestion.indicator, lang)


def show_suggestions(page: ReportPage, domain_id: str) -> None:
    found = suggestions_for(domain_id)
    if not found:
        return
    sources = suggested_actions().sources
    with st.expander(t("report.action.suggestions", n=len(found),
                       domain=escape(page.domain_title(domain_id))), expanded=True):
        st.caption(t("report.action.suggestions_lead"))
        for suggestion in found:
            with st.container(border=True):
                st.markdown(f"**{escape(localized(suggestion.title, page.lang))}**  \n"
                            f"{escape(localized(suggestion.description, page.lang))}")
                st.caption(t("report.action.suggested_indicator",
                             indicator=escape(localized(suggestion.indicator, page.lang))))
                st.caption(t("report.action.sources") + " " + " · ".join(
                    escape(citation(sources[key])) for key in suggestion.sources))
                st.button(t("report.action.use_suggestion"),
                          key=f"report.action.suggest.{suggestion.id}",
                          on_click=use_suggestion, args=(suggestion, page.lang))


def show_new(page: ReportPage) -> None:
    st.header(t("report.action.new"), anchor=False)
    report = page.report
    if page.scope.round_unit_id is None:
        st.caption(t("report.action.who_plans"))
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
    show_suggestions(page, domain_id)
    domain = next(d for d in page.instrument.domains if d.id == domain_id)
    items = [WHOLE_DOMAIN, *(item.id for item in domain.items)]
    if st.session_state.get(NEW_KEYS["item"]) not in items:
        st.session_state[NEW_KEYS["item"]] = WHOLE_DOMAIN
    texts = {item.id: localized(item.text, page.lang) for item in domain.items}
    with st.form("report.action.new", border=True, enter_to_submit=False):
        item_id = st.selectbox(
            t("report.action.item"), options=items, key=NEW_KEYS["item"],
            format_func=lambda i: t("report.action.whole_domain") if i == WHOLE_DOMAIN
            else f"{i} · {texts[i]}",
        )
        title = st.text_input(t("report.action.title"), key=NEW_KEYS["title"], max_chars=300)
        description = st.text_area(t("report.action.description"),
                                   key=NEW_KEYS["description"], max_chars=4000)
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
    if not (title or "").strip():
        st.error(t("report.action.title_needed"))
        return
    data = ActionInput(
        domain_id=domain_id,
        item_id=item_id or None,
        title=title,
        description=description or "",
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
        written = [NEW_KEYS[field] for field in ("title", "description", "owner", "indicator",
                                                 "due")]
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
