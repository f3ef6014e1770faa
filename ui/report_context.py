"""What every report page shares: choosing the round and the scope, checking them, and the
report itself, restricted to what the viewer may see.

The choice lives in the page address (``/report?round=3&unit=north-region``; no ``unit`` is the
whole agency), so a link reopens the same report, and in Session State, so moving between the
report pages through the menu (which clears the address) keeps it. The address is **checked on
every run**: a round of another organization, a round that is not closed yet, or a unit
outside a manager's scope stops the page with a clear error, before anything of that round or
unit is read.

Who sees what:

- nobody, admins included, sees results of a draft or open round: the round choice lists closed
  and published rounds only, and an address naming another round is refused (admins follow the
  response rates of an open round on the Access page). The report read is the one computed when
  the round closed (`reports.frozen`), never the responses as they stand;
- admins: every closed and published round and every unit of it;
- managers: the same rounds; the agency as a whole and the round units whose living unit is in
  their scope (`SignedInUser.scope_unit_ids`, descendants included). When a manager reads the
  agency as a whole, the heat map rows and the agreement flags that name units are limited to
  their own units (`viewer_report`), and so is every export they download, which is drawn from
  the same restricted report.

Disclosure itself is never decided here: the report comes from `reports.report_cache` with its
cells already withheld on the whole round tree, the same for every viewer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

import streamlit as st

from instruments import Instrument
from instruments.model import SOURCE_LANGUAGE
from reports.builder import AGENCY, Report
from reports.report_cache import cached_report
from reports.words import long_date
from scoring.disclosure import NO_DATA, SHOWN, WITHHELD
from storage.auth_service import SignedInUser
from storage.errors import StorageError
from storage.models import Round, RoundStatus
from storage.round_service import chronological_key, list_rounds, round_units_in_order
from ui.admin_actions import admin_work, indented
from ui.i18n import current_language, t
from ui.markdown_text import escape
from ui.navigation import ADMIN, MANAGER, page_path
from ui.report_text import reason_words
from ui.session_user import require_role

ROUND_PARAM = "round"
UNIT_PARAM = "unit"
AGENCY_CODE = ""  # the scope choice "the whole agency" (no ?unit= in the address)

ROUND_PICK_KEY = "report.round_pick"  # the widgets' keys start with these
UNIT_PICK_KEY = "report.unit_pick"
CHOSEN_KEY = "report.chosen"  # (round id, unit code) of the last valid choice, across pages
ROUND_CHANGED_KEY = "report.round_changed"  # the round was just changed in its selector
OVERVIEW_SCRIPT = "report_overview_page.py"

READABLE = (RoundStatus.CLOSED.value, RoundStatus.PUBLISHED.value)  # for everyone
ACCESS_SCRIPT = "access_page.py"  # where admins follow an open round's response rates


@dataclass(frozen=True)
class RoundChoice:
    id: int
    name: str
    status: str
    opens_on: date | None


@dataclass(frozen=True)
class ScopeChoice:
    code: str  # the unit's code, AGENCY_CODE for the agency
    round_unit_id: int | None  # None for the agency
    name: str
    depth: int
    unit_id: int | None = None  # the living unit (None for the agency or a deleted unit)


@dataclass(frozen=True)
class ReportPage:
    """A report page's run: who looks, in which language, at which report."""

    user: SignedInUser
    lang: str
    report: Report  # restricted to the viewer (`viewer_report`)
    instrument: Instrument
    round: RoundChoice
    scope: ScopeChoice
    scopes: tuple[ScopeChoice, ...]  # what the viewer may choose in this round

    @property
    def shown(self) -> bool:
        return self.report.shown

    def domain_title(self, domain_id: str) -> str:
        if domain_id == "":
            return t("report.comments.closing")
        for domain in self.report.domains:
            if domain.domain_id == domain_id:
                return localized(domain.title, self.lang)
        for domain in self.instrument.domains:
            if domain.id == domain_id:
                return localized(domain.title, self.lang)
        return domain_id


def localized(text: dict[str, str], lang: str) -> str:
    """Instrument text in `lang`, else in the instrument's source language."""
    return text.get(lang) or text.get(SOURCE_LANGUAGE) or next(iter(text.values()), "")


class ReportRefused(Exception):
    """The address asks for a report the viewer may not read (or that does not exist)."""


class RoundNotClosed(ReportRefused):
    """The address names an open round: it has no results yet, for anybody."""


# -- what the viewer may choose ----------------------------------------------------------------


def readable_rounds(rounds: list[Round], user: SignedInUser) -> list[RoundChoice]:
    """The rounds `user` may read (closed and published ones), newest first."""
    chosen = [r for r in rounds if r.status in READABLE]
    chosen.sort(key=chronological_key, reverse=True)
    return [RoundChoice(r.id, r.name, r.status, r.opens_on) for r in chosen]


def default_round(rounds: list[RoundChoice]) -> RoundChoice:
    """The newest closed or published round."""
    return rounds[0]


def readable_scopes(round_: Round, user: SignedInUser) -> list[ScopeChoice]:
    """The agency, then the round's units `user` may read, in tree order."""
    agency = ScopeChoice(AGENCY_CODE, None, "", 0)
    depth: dict[int, int] = {}
    units = []
    for unit in round_units_in_order(round_):
        depth[unit.id] = 0 if unit.parent_id is None else depth[unit.parent_id] + 1
        if user.role == ADMIN or (unit.unit_id is not None and unit.unit_id in
                                  user.scope_unit_ids):
            units.append(
                ScopeChoice(unit.code, unit.id, unit.name, depth[unit.id], unit.unit_id)
            )
    return [agency, *units]


def viewer_report(report: Report, scopes: list[ScopeChoice], user: SignedInUser) -> Report:
    """The report as `user` may see it: for a manager, heat map rows and agreement flags of
    units outside their scope are left out (the agency row and every number of the agency as a
    whole stay)."""
    if user.role == ADMIN:
        return report
    allowed_ids = {s.round_unit_id for s in scopes if s.round_unit_id is not None}
    allowed_names = {s.name for s in scopes if s.round_unit_id is not None}
    units = tuple(
        cell for cell in report.units
        if cell.key == AGENCY or cell.key == report.scope_key or cell.key in allowed_ids
    )
    domains = tuple(
        dataclasses.replace(
            domain,
            low_agreement_units=tuple(n for n in domain.low_agreement_units if n in allowed_names),
            split_units=tuple(n for n in domain.split_units if n in allowed_names),
            unit_agreement=tuple(u for u in domain.unit_agreement if u.unit in allowed_names),
        )
        for domain in report.domains
    )
    return dataclasses.replace(report, units=units, domains=domains)


# -- the choice in the address -------------------------------------------------------------------


def _requested() -> tuple[str | None, str | None]:
    """(round, unit) the page should show: from the address when it names a round, else the
    last valid choice of this browser session (the menu clears the address)."""
    if ROUND_PARAM in st.query_params:
        return st.query_params.get(ROUND_PARAM), st.query_params.get(UNIT_PARAM, AGENCY_CODE)
    chosen = st.session_state.get(CHOSEN_KEY)
    if chosen is not None:
        return str(chosen[0]), chosen[1]
    return None, None


def _pick_round(rounds: list[RoundChoice], stored: list[Round], requested: str | None
                ) -> RoundChoice:
    if requested is None:
        return default_round(rounds)
    found = [r for r in rounds if str(r.id) == requested.strip()]
    if found:
        return found[0]
    unreadable = [r for r in stored if str(r.id) == requested.strip()]
    if unreadable and unreadable[0].status == RoundStatus.OPEN.value:
        raise RoundNotClosed(t("report.error.round_open", round=escape(unreadable[0].name)))
    if unreadable and unreadable[0].status == RoundStatus.DRAFT.value:
        raise ReportRefused(t("report.error.round_draft", round=escape(unreadable[0].name)))
    raise ReportRefused(t("report.error.round", value=escape(requested)))


def _pick_scope(scopes: list[ScopeChoice], requested: str | None, user: SignedInUser,
                round_name: str) -> ScopeChoice:
    code = (requested or AGENCY_CODE).strip()
    found = [s for s in scopes if s.code == code]
    if found:
        return found[0]
    if user.role == ADMIN:
        raise ReportRefused(t("report.error.unit_unknown", unit=escape(code),
                              round=escape(round_name)))
    raise ReportRefused(t("report.error.unit_outside", unit=escape(code)))


def _round_picked(key: str) -> None:
    st.query_params[ROUND_PARAM] = str(st.session_state[key])
    st.session_state[ROUND_CHANGED_KEY] = True


def _unit_picked(key: str, round_id: int) -> None:
    code = st.session_state[key]
    st.query_params[ROUND_PARAM] = str(round_id)
    if code == AGENCY_CODE:
        st.query_params.pop(UNIT_PARAM, None)
    else:
        st.query_params[UNIT_PARAM] = code


def _show_in_address(round_id: int, code: str) -> None:
    if st.query_params.get(ROUND_PARAM) != str(round_id):
        st.query_params[ROUND_PARAM] = str(round_id)
    if code == AGENCY_CODE:
        st.query_params.pop(UNIT_PARAM, None)
    elif st.query_params.get(UNIT_PARAM) != code:
        st.query_params[UNIT_PARAM] = code


# -- the page header -------------------------------------------------------------------------------


def open_report(title_key: str) -> ReportPage | None:
    """Title, round and scope choice, and the report for a report page.

    Returns None when there is nothing to show (no round yet); stops the page with an error
    when the address asks for a report the viewer may not read. A withheld scope returns the
    page with ``shown`` False after saying so: the caller then shows nothing else numeric.
    """
    user = require_role(ADMIN, MANAGER)
    lang = current_language()
    st.title(t(title_key), anchor=False)
    round_changed = st.session_state.pop(ROUND_CHANGED_KEY, False)
    requested_round, requested_unit = _requested()
    with admin_work(user) as work:
        stored = list_rounds(work.session, work.organization)
        rounds = readable_rounds(stored, user)
        try:
            if not rounds:
                if requested_round is not None:  # an open round, say, is named: say why not
                    _pick_round(rounds, stored, requested_round)
                st.info(t("report.no_rounds" if user.role == ADMIN else
                          "report.no_rounds_manager"))
                return None
            chosen_round = _pick_round(rounds, stored, requested_round)
            round_ = next(r for r in stored if r.id == chosen_round.id)
            scopes = readable_scopes(round_, user)
            if round_changed and requested_unit not in {s.code for s in scopes}:
                requested_unit = AGENCY_CODE  # the new round has no such unit: the agency
            scope = _pick_scope(scopes, requested_unit, user, round_.name)
        except RoundNotClosed as refused:
            _refuse(str(refused), back=bool(rounds), rates=user.role == ADMIN)
        except ReportRefused as refused:
            _refuse(str(refused), back=bool(rounds))
        try:
            report = cached_report(work.session, round_, scope.round_unit_id)
        except StorageError as error:  # not closed after all, or a damaged stored report
            _refuse(escape(str(error)))
        instrument = round_.instrument_version.instrument()
    st.session_state[CHOSEN_KEY] = (chosen_round.id, scope.code)
    _show_in_address(chosen_round.id, scope.code)
    report = viewer_report(report, scopes, user)
    scopes = [dataclasses.replace(scopes[0], name=report.organization), *scopes[1:]]
    scope = next(s for s in scopes if s.code == scope.code)
    _selectors(rounds, chosen_round, scopes, scope, lang)
    page = ReportPage(user, lang, report, instrument, chosen_round, scope, tuple(scopes))
    _cover(page)
    return page


def _refuse(message: str, *, back: bool = True, rates: bool = False) -> NoReturn:
    """Say why the report cannot be shown, offer the default report (and, to admins refused an
    open round, its response rates), and stop the page."""
    st.error(message)
    if rates:
        st.page_link(page_path(ACCESS_SCRIPT), label=t("report.error.rates"))
    if back:
        st.page_link(page_path(OVERVIEW_SCRIPT), label=t("report.error.back"))
    st.stop()


def _selectors(rounds: list[RoundChoice], chosen: RoundChoice, scopes: list[ScopeChoice],
               scope: ScopeChoice, lang: str) -> None:
    by_id = {r.id: r for r in rounds}
    by_code = {s.code: s for s in scopes}

    def scope_label(code: str) -> str:
        choice = by_code[code]
        if code == AGENCY_CODE:
            return t("report.scope.agency", name=choice.name)
        return indented(choice.depth + 1, choice.name)

    # A widget per checked choice (its key names the choice), starting on that choice: the
    # address, not a widget's leftover state, decides what is shown.
    round_key = f"{ROUND_PICK_KEY}.{chosen.id}"
    unit_key = f"{UNIT_PICK_KEY}.{chosen.id}.{scope.code}"
    round_ids = [r.id for r in rounds]
    codes = [s.code for s in scopes]
    left, right = st.columns(2)
    left.selectbox(
        t("report.pick.round"),
        options=round_ids,
        index=round_ids.index(chosen.id),
        format_func=lambda round_id: _round_label(by_id[round_id]),
        key=round_key,
        on_change=_round_picked,
        args=(round_key,),
    )
    right.selectbox(
        t("report.pick.scope"),
        options=codes,
        index=codes.index(scope.code),
        format_func=scope_label,
        key=unit_key,
        on_change=_unit_picked,
        args=(unit_key, chosen.id),
    )


def _round_label(choice: RoundChoice) -> str:
    status = t(f"admin.round_status.{choice.status}")
    return f"{choice.name} ({status})"


def _cover(page: ReportPage) -> None:
    """Round, dates, instrument version, threshold; the notes every page needs."""
    report, lang = page.report, page.lang
    st.caption(
        t(
            "report.cover",
            instrument=escape(localized(report.instrument_title, lang)),
            ref=escape(report.instrument_ref),
            opens=long_date(report.opens_on, lang),
            closes=long_date(report.closes_on, lang),
            k=report.min_group_size,
        )
    )
    if report.scope_status == WITHHELD:
        why = reason_words(report.scope_reason, report.min_group_size)
        st.warning(t("report.withheld", why=why, scope=escape(report.scope_name)))
    elif report.scope_status == NO_DATA:
        st.info(t("report.no_data", scope=escape(report.scope_name)))
    elif report.scope_status != SHOWN:  # a status this page does not know: show nothing
        st.error(t("report.unknown_status"))
        st.stop()
