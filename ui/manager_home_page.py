"""A manager's home (managers land here after signing in): the latest report of their units,
each domain's score with its change since the round before beside it, and what needs attention.

Everything comes from the report the viewer may read (`ui.report_context`: closed and
published rounds only, their own units, restricted as on the report pages) and is written by
the report pages' own rules (`ui.report_text`): a withheld score or change stays withheld, with
its reason. What needs attention: domains that declined, units where agreement is weak or
answers split into two groups, and actions that are not done yet.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.builder import ChangeResult, Report
from reports.report_cache import cached_report
from reports.words import listing
from scoring.change import DECLINED
from scoring.disclosure import SHOWN, WITHHELD
from storage.errors import StorageError
from storage.models import ActionStatus
from storage.round_service import list_rounds
from ui.admin_actions import admin_work
from ui.i18n import current_language, t
from ui.markdown_text import escape
from ui.navigation import MANAGER, page_path
from ui.report_context import (
    ROUND_PARAM,
    UNIT_PARAM,
    ScopeChoice,
    localized,
    readable_rounds,
    readable_scopes,
    viewer_report,
)
from ui.report_text import diff_text, mean_text, status_text, verdict_text, withheld_text
from ui.session_user import require_role

UNIT_KEY = "mhome.unit"
OPEN_ACTIONS = (ActionStatus.PLANNED.value, ActionStatus.IN_PROGRESS.value)


def own_units(scopes: list[ScopeChoice]) -> list[ScopeChoice]:
    """The top units of the manager's scope in this round (North Region, not each of its
    teams); the agency when none of their units took part."""
    units = [s for s in scopes if s.round_unit_id is not None]
    if not units:
        return scopes[:1]
    top = min(s.depth for s in units)
    return [s for s in units if s.depth == top]


def render() -> None:
    user = require_role(MANAGER)
    lang = current_language()
    st.title(t("mhome.title"), anchor=False)
    with admin_work(user) as work:
        rounds = readable_rounds(list_rounds(work.session, work.organization), user)
        if not rounds:
            st.info(t("mhome.none"))
            return
        latest = rounds[0]
        round_ = next(r for r in list_rounds(work.session, work.organization)
                      if r.id == latest.id)
        scopes = readable_scopes(round_, user)
        choices = own_units(scopes)
        scope = choose_unit(choices)
        try:
            report = cached_report(work.session, round_, scope.round_unit_id)
        except StorageError as error:
            st.error(escape(str(error)))
            return
    report = viewer_report(report, scopes, user)
    name = scope.name or report.organization
    st.markdown(t("mhome.lead", round=escape(report.round_name), unit=escape(name)))
    if report.scope_status != SHOWN:
        st.warning(t("mhome.scope_withheld", unit=escape(name),
                     why=status_text(report.scope_status, report.min_group_size,
                                     report.scope_reason)))
    else:
        st.caption(t("mhome.responses", n=report.n_responses))
        st.table(scores_table(report, lang))
        attention(report, lang)
    links(report.round_id, scope)


def choose_unit(choices: list[ScopeChoice]) -> ScopeChoice:
    if len(choices) == 1:
        return choices[0]
    codes = [c.code for c in choices]
    by_code = {c.code: c for c in choices}
    if st.session_state.get(UNIT_KEY) not in codes:
        st.session_state[UNIT_KEY] = codes[0]
    code = st.selectbox(t("mhome.pick_unit"), codes, format_func=lambda c: by_code[c].name,
                        key=UNIT_KEY)
    return by_code[code]


def change_of(report: Report, domain_id: str) -> ChangeResult | None:
    return next((c for c in report.change if c.domain_id == domain_id), None)


def change_cell(change: ChangeResult | None, k: int, lang: str) -> str:
    """The change since the round before, as the change page writes it."""
    if change is None:
        return t("mhome.no_change")
    if change.verdict == WITHHELD:
        return withheld_text(change.reason, k)
    return f"{diff_text(change.diff, lang)} · {verdict_text(change.verdict)}"


def scores_table(report: Report, lang: str) -> pd.DataFrame:
    k = report.min_group_size
    since = (t("mhome.col.change", previous=report.previous_round_name)
             if report.previous_round_name else t("mhome.col.change_none"))
    rows = []
    for domain in report.domains:
        title = f"{domain.domain_id} · {localized(domain.title, lang)}"
        score = (mean_text(domain.mean, lang) if domain.status == SHOWN
                 else status_text(domain.status, k, domain.reason))
        rows.append({
            t("report.col.domain"): title,
            t("report.col.mean"): score,
            since: change_cell(change_of(report, domain.domain_id), k, lang),
        })
    return pd.DataFrame(rows)


def attention_items(report: Report, lang: str) -> list[str]:
    """What needs attention, as Markdown list entries (names escaped)."""
    titles = {d.domain_id: localized(d.title, lang) for d in report.domains}
    items = []
    for change in report.change:
        if change.verdict == DECLINED:
            items.append(t("mhome.attention.declined", domain=escape(titles.get(
                change.domain_id, change.domain_id)), diff=diff_text(change.diff, lang)))
    for domain in report.domains:
        if domain.low_agreement_units:
            items.append(t("mhome.attention.agreement", domain=escape(titles[domain.domain_id]),
                           units=escape(listing(list(domain.low_agreement_units), lang))))
        if domain.split_units:
            items.append(t("mhome.attention.split", domain=escape(titles[domain.domain_id]),
                           units=escape(listing(list(domain.split_units), lang))))
    for action in (*report.actions_before, *report.actions_now):
        if action.status in OPEN_ACTIONS:
            items.append(t("mhome.attention.action", title=escape(action.title),
                           status=t(f"mhome.action_status.{action.status}"),
                           domain=escape(titles.get(action.domain_id, action.domain_id))))
    return items


def attention(report: Report, lang: str) -> None:
    st.subheader(t("mhome.attention"), anchor=False)
    items = attention_items(report, lang)
    st.markdown("\n".join(f"- {item}" for item in items) if items else t("mhome.attention.none"))


def links(round_id: int, scope: ScopeChoice) -> None:
    query = {ROUND_PARAM: str(round_id)}
    if scope.round_unit_id is not None:
        query[UNIT_PARAM] = scope.code
    columns = st.columns(4)
    for column, (script, label, icon) in zip(columns, (
        ("report_overview_page.py", "mhome.to.report", "📊"),
        ("report_change_page.py", "mhome.to.change", "📈"),
        ("report_comments_page.py", "mhome.to.comments", "💬"),
        ("report_actions_page.py", "mhome.to.actions", "✅"),
    ), strict=True):
        column.page_link(page_path(script), label=t(label), icon=icon, query_params=query)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
