"""What we heard, what we will do: the staff-facing summary of a published round, open to
everyone (staff are never signed in), linked from the survey's thank-you step.

Only published rounds: how many people answered, the domains that came out strongest and
those to work on, in words, and the actions leadership planned for the agency as a whole (with
what became of the actions planned after the round before). The same disclosure rule holds:
an agency with fewer than k responses shows nothing. The numbers are those of the report
computed when the round closed (`reports.frozen`); a round that is not published, open ones
above all, is never chosen, whatever the address says.

Staff may choose their unit (``?unit=CODE``, a unit of the round's snapshot). A unit's
strengths, priorities and actions are shown exactly when that unit's own frozen report is
shown, the decision made once for the round (k and complementary suppression), the same for
every viewer; for a withheld unit the page says so and shows nothing of it, not even its
actions, which would describe what its few people said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st
from sqlalchemy.orm import Session

from reports.builder import Report
from reports.report_cache import cached_report
from reports.words import long_date, percent
from storage.action_service import list_actions
from storage.engine import database_url, shared_factory, transaction
from storage.errors import StorageError
from storage.models import Round, RoundStatus, RoundUnit
from storage.organization_repo import resolve_organization
from storage.round_service import chronological_key, list_rounds, round_units_in_order
from ui.i18n import current_language, t
from ui.markdown_text import escape
from ui.report_context import localized
from ui.url_state import show_in_url

ROUND_PARAM = "round"
ORG_PARAM = "org"
ROUND_KEY = "results.round"
UNIT_PARAM = "unit"
UNIT_KEY = "results.unit"
AGENCY = ""  # the unit choice "the agency as a whole"


@dataclass(frozen=True)
class PlannedAction:
    title: str
    domain_id: str
    due_on: date | None
    status: str


@dataclass(frozen=True)
class UnitSummary:
    """One unit of the round as its staff read it: its report and actions only when its
    results are shown."""

    code: str
    name: str
    report: Report | None  # None when the unit's results are withheld
    actions: tuple[PlannedAction, ...] = ()


@dataclass(frozen=True)
class Summary:
    """A published round as staff read it."""

    rounds: tuple[tuple[int, str], ...]  # (id, name) of the published rounds, newest first
    report: Report
    agency_actions: frozenset[int]  # ids of actions planned for the agency as a whole
    units: tuple[tuple[str, str], ...] = ()  # (code, name) of the round's units, in tree order
    unit: UnitSummary | None = None  # the unit chosen, if any


def load(round_id: str | None, unit_code: str | None = None) -> Summary | str:
    """The summary of the published round `round_id` (default: the newest), with the unit
    `unit_code` of that round when there is one, or the i18n key of why there is none."""
    try:
        with transaction(shared_factory(database_url())) as session:
            organization = resolve_organization(session, st.query_params.get(ORG_PARAM))
            published = [
                r for r in list_rounds(session, organization)
                if r.status == RoundStatus.PUBLISHED.value
            ]
            if not published:
                return "results.none"
            published.sort(key=chronological_key, reverse=True)
            chosen = next((r for r in published if str(r.id) == round_id), published[0])
            report = cached_report(session, chosen, None)
            agency = {
                a.id
                for r in published
                if r.id in {chosen.id, *(x.round_id for x in report.actions_before)}
                for a in list_actions(session, r)
                if a.unit_id is None
            }
            units = round_units_in_order(chosen)
            unit = next((unit_summary(session, chosen, u) for u in units if u.code == unit_code),
                        None)
    except StorageError:
        return "results.no_agency"
    return Summary(tuple((r.id, r.name) for r in published), report, frozenset(agency),
                   tuple((u.code, u.name) for u in units), unit)


def unit_summary(session: Session, round_: Round, unit: RoundUnit) -> UnitSummary:
    """The unit's frozen report and the actions planned for it after `round_`, or nothing but
    its name when its results are withheld."""
    report = cached_report(session, round_, unit.id)
    if not report.shown:
        return UnitSummary(unit.code, unit.name, None)
    actions = tuple(
        PlannedAction(a.title, a.domain_id, a.due_on, a.status)
        for a in list_actions(session, round_)
        if unit.unit_id is not None and a.unit_id == unit.unit_id
    )
    return UnitSummary(unit.code, unit.name, report, actions)


def domain_lines(report: Report, ids: tuple[str, ...], lang: str) -> str:
    lines = []
    for domain_id in ids:
        domain = report.domain(domain_id)
        why = localized(domain.why, lang)
        lines.append(f"- **{escape(localized(domain.title, lang))}**"
                     + (f": {escape(why)}" if why else ""))
    return "\n".join(lines)


def action_lines(actions, report: Report, lang: str) -> str:
    """A Markdown list of actions: title, domain, due date and status."""
    return "\n".join(
        f"- **{escape(a.title)}** ({escape(localized(report.domain(a.domain_id).title, lang))}"
        + (f"; {t('results.due', date=long_date(a.due_on, lang))}" if a.due_on else "")
        + f") · {t(f'report.action.status.{a.status}')}"
        for a in actions
    )


def show_unit(unit: UnitSummary, k: int, lang: str) -> None:
    report = unit.report
    if report is None:
        st.info(t("results.unit_withheld", k=k))
        return
    st.header(t("results.unit_heard", unit=escape(unit.name)), anchor=False)
    st.subheader(t("results.strengths"), anchor=False)
    st.markdown(domain_lines(report, report.strengths, lang))
    st.subheader(t("results.priorities"), anchor=False)
    st.markdown(domain_lines(report, report.priorities, lang))
    st.subheader(t("results.unit_will_do", unit=escape(unit.name)), anchor=False)
    if unit.actions:
        st.markdown(action_lines(unit.actions, report, lang))
    else:
        st.info(t("results.unit_no_actions"))


def show_heard(report: Report, lang: str) -> None:
    st.header(t("results.heard"), anchor=False)
    st.markdown(t("results.responses", n=report.n_responses,
                  organization=escape(report.organization)))
    if report.response_rate is not None:
        st.markdown(t("results.rate", pct=percent(100 * report.response_rate, lang)))
    st.subheader(t("results.strengths"), anchor=False)
    st.markdown(domain_lines(report, report.strengths, lang))
    st.subheader(t("results.priorities"), anchor=False)
    st.markdown(domain_lines(report, report.priorities, lang))


def show_will_do(summary: Summary, lang: str) -> None:
    report = summary.report
    st.header(t("results.will_do"), anchor=False)
    now = [a for a in report.actions_now if a.id in summary.agency_actions]
    if now:
        st.markdown(action_lines(now, report, lang))
    else:
        st.info(t("results.no_actions"))
    before = [a for a in report.actions_before if a.id in summary.agency_actions]
    if before:
        st.subheader(t("results.before", previous=escape(report.previous_round_name or "")),
                     anchor=False)
        st.markdown("\n".join(
            f"- **{escape(a.title)}** · {t(f'report.action.status.{a.status}')}" for a in before
        ))


def render() -> None:
    lang = current_language()
    st.title(t("results.title"), anchor=False)
    st.markdown(t("results.lead"))
    requested = st.session_state.get(ROUND_KEY) or st.query_params.get(ROUND_PARAM)
    unit_code = st.session_state.get(UNIT_KEY, st.query_params.get(UNIT_PARAM))
    summary = load(str(requested) if requested is not None else None, unit_code)
    if isinstance(summary, str):
        st.info(t(summary))
        return
    names = dict(summary.rounds)
    if len(summary.rounds) > 1:
        st.session_state[ROUND_KEY] = summary.report.round_id
        st.selectbox(t("results.pick"), options=list(names), format_func=names.__getitem__,
                     key=ROUND_KEY)
    show_in_url(ROUND_PARAM, str(summary.report.round_id))
    units = dict(summary.units)
    st.session_state[UNIT_KEY] = summary.unit.code if summary.unit is not None else AGENCY
    st.selectbox(t("results.unit"), options=[AGENCY, *units], key=UNIT_KEY,
                 format_func=lambda code: units.get(code) or t("results.unit_all"))
    show_in_url(UNIT_PARAM, st.session_state[UNIT_KEY], default=AGENCY)
    report = summary.report
    st.caption(t("results.round", round=escape(report.round_name),
                 closes=long_date(report.closes_on, lang)))
    if not report.shown:
        st.info(t("results.withheld", k=report.min_group_size))
        return
    if summary.unit is not None:
        show_unit(summary.unit, report.min_group_size, lang)
    show_heard(report, lang)
    show_will_do(summary, lang)
    st.caption(t("results.protection", k=report.min_group_size))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
