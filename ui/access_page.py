"""Access (admin): hand out a round's ways in, and follow its response rates.

For a round in draft or open:

- **Access codes**: single-use codes for one unit, or for every invited unit at once (one per
  invited person who has none yet), downloaded as a CSV (with each code's survey address, for a
  mail merge) or as printable slips (a QR code per language).
  Only the codes' hashes are stored, so they exist in plain text only on this page, right after
  they are issued: they are held in the state of the widget that shows them, which Streamlit
  forgets as soon as the page is left (or "Done" is pressed).
- **Open unit links**: one link per unit; whoever starts from it gets a fresh resume code.
  Making a new link stops the unit's old one.

For every round:

- **Response rates** by unit, shown only for units with at least k invited (DESIGN.md
  section 6), with the ledger (codes issued, started, submitted) under the same rule.

The survey's address comes from ``TISA_PUBLIC_URL`` (default ``http://localhost:8501``); an
address that cannot be printed or encoded is named on the page before anything is issued.
Slips are printed on the paper of ``TISA_PAPER_SIZE`` (Letter unless it says A4).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import streamlit as st
from sqlalchemy.orm import Session

from reports.code_slips import (
    SlipRound,
    SurveyAddressRefused,
    survey_base,
    unit_codes_csv,
    unit_slips_pdf,
)
from storage.auth_service import SignedInUser
from storage.errors import StorageError
from storage.models import CodeState, Round, RoundStatus
from storage.organization_repo import slugify
from storage.round_service import (
    MAX_CODES_PER_CALL,
    active_link_units,
    create_unit_link,
    get_round,
    get_round_unit,
    issue_codes,
    list_rounds,
    response_rates,
    response_total,
    round_units_in_order,
    subtree_code_counts,
)
from storage.unit_codes import issue_codes_for_invited_units, missing_codes
from ui.admin_actions import admin_work, indented, show_done, show_refusal
from ui.i18n import t, tn
from ui.markdown_text import escape
from ui.navigation import ADMIN, page_path
from ui.printed_paper import printed_page
from ui.session_user import require_role

PUBLIC_URL_VARIABLE = "TISA_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://localhost:8501"
ROUND_KEY = "access.round"
CODES_KEY = "access.codes"  # the widget holding the issued codes (forgotten when left)
CODES_FOR_KEY = "access.codes_for"  # what they are for: ((SlipRound, how many), ...) per unit
NEW_CODES_KEY = "access.codes_new"  # codes just issued, moved into CODES_KEY on the next run
LINK_KEY = "access.link"  # the last link made: {"round": id, "unit": name, "url": ...}
ACCEPTING = (RoundStatus.DRAFT.value, RoundStatus.OPEN.value)


def public_url() -> str:
    """The address staff open, without a trailing slash (``TISA_PUBLIC_URL``)."""
    configured = os.environ.get(PUBLIC_URL_VARIABLE, "").strip()
    return (configured or DEFAULT_PUBLIC_URL).rstrip("/")


def survey_url() -> str:
    """The survey's address; raises `SurveyAddressRefused` when ``TISA_PUBLIC_URL`` is unusable."""
    return survey_base(public_url())


def usable_survey_url() -> str | None:
    """The survey's address, or None after saying on the page what is wrong with it."""
    try:
        return survey_url()
    except SurveyAddressRefused as refused:
        st.error(t("admin.access.bad_address", problem=escape(str(refused))))
        return None


def link_url(token: str) -> str:
    return f"{survey_url()}?link={token}"


@dataclass(frozen=True)
class AccessView:
    """A round and its units as plain data for the page."""

    id: int
    name: str
    status: str
    organization: str
    languages: tuple[str, ...]
    closes_on: date | None
    min_group_size: int
    units: tuple[tuple[int, str, str, int], ...]  # depth, code, name, own invited
    linked: frozenset[str]  # codes of units with a working open link
    missing: tuple[int, int]  # codes to issue for every invited person without one, units


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("admin.access.title"), anchor=False)
    st.markdown(t("admin.access.lead"))
    show_done()

    with admin_work(signed) as work:
        rounds = [
            (r.id, r.name, r.status)
            for r in list_rounds(work.session, work.organization)
        ]
    issued_codes()  # first, so that codes issued just now stay in view whatever is chosen below
    if not rounds:
        st.info(t("admin.access.no_round"))
        st.page_link(page_path("rounds_page.py"), label=t("admin.access.to_rounds"), icon="🗓️")
        return
    names = {rid: f"{name} · {t(f'admin.round_status.{status}')}" for rid, name, status in rounds}
    if st.session_state.get(ROUND_KEY) not in names:
        open_ones = [rid for rid, _, status in rounds if status == RoundStatus.OPEN.value]
        st.session_state[ROUND_KEY] = (open_ones or [rid for rid, _, _ in rounds])[-1]
    chosen = st.selectbox(
        t("admin.access.round"), list(reversed(names)), format_func=names.get, key=ROUND_KEY
    )
    with admin_work(signed) as work:
        round_ = get_round(work.session, work.organization, chosen)
        view = access_view(work.session, round_)
    if view.status == RoundStatus.DRAFT.value:
        st.info(t("admin.access.draft_note"))
    accepting = view.status in ACCEPTING

    codes_tab, links_tab, rates_tab = st.tabs(
        [t("admin.access.tab.codes"), t("admin.access.tab.links"), t("admin.access.tab.rates")]
    )
    with codes_tab:
        if accepting:
            codes_section(signed, view)
        else:
            st.info(t("admin.access.closed_note", status=t(f"admin.round_status.{view.status}")))
    with links_tab:
        if accepting:
            links_section(signed, view)
        else:
            st.info(t("admin.access.closed_note", status=t(f"admin.round_status.{view.status}")))
    with rates_tab:
        rates_section(signed, view.id)


def access_view(session: Session, round_: Round) -> AccessView:
    depth: dict[int, int] = {}
    units = []
    for unit in round_units_in_order(round_):
        depth[unit.id] = 0 if unit.parent_id is None else depth[unit.parent_id] + 1
        units.append((depth[unit.id], unit.code, unit.name, unit.invited or 0))
    linked = active_link_units(session, round_)
    missing = missing_codes(session, round_)
    return AccessView(
        id=round_.id,
        name=round_.name,
        status=round_.status,
        organization=round_.organization.name,
        languages=tuple(round_.languages),
        closes_on=round_.closes_on,
        min_group_size=round_.min_group_size,
        units=tuple(units),
        linked=frozenset(unit.code for unit in round_.units if unit.id in linked),
        missing=(sum(missing.values()), len(missing)),
    )


def unit_choice(view: AccessView, key: str) -> str:
    labels = {
        code: indented(depth, f"{name} ({code})") for depth, code, name, _ in view.units
    }
    invited = [code for _, code, _, n in view.units if n > 0]  # a unit staff belong to
    first = list(labels).index(invited[0]) if invited else 0
    return st.selectbox(
        t("admin.access.unit"), list(labels), index=first, format_func=labels.get, key=key
    )


# -- access codes ----------------------------------------------------------------------------


def codes_section(signed: SignedInUser, view: AccessView) -> None:
    st.markdown(t("admin.access.codes_help"))
    address = usable_survey_url()
    if address is None:
        return
    with st.form("access.issue", enter_to_submit=False):
        code = unit_choice(view, "access.issue.unit")
        count = st.number_input(
            t("admin.access.count"), min_value=1, max_value=MAX_CODES_PER_CALL, value=10,
            step=1, key="access.issue.count",
        )
        submitted = st.form_submit_button(
            t("admin.access.issue"), type="primary", key="access.issue.submit"
        )
    if submitted:
        try:
            with admin_work(signed, write=True) as work:
                round_ = get_round(work.session, work.organization, view.id)
                round_unit = get_round_unit(work.session, round_, code)
                codes = issue_codes(
                    work.session, round_, round_unit, int(count), user=work.admin
                )
                issued = [(round_unit.name, codes)]
        except StorageError as error:
            show_refusal(error)
        else:
            hold_codes(view, address, issued)
    all_units_section(signed, view, address)


def all_units_section(signed: SignedInUser, view: AccessView, address: str) -> None:
    """One action for a code per invited person without one, in every invited unit."""
    st.markdown(f"**{t('admin.access.all_units_title')}**")
    to_issue, units = view.missing
    if to_issue:
        st.caption(t("admin.access.all_units_help", n=to_issue, units=units))
    else:
        st.caption(t("admin.access.all_units_none"))
    if not st.button(t("admin.access.issue_all"), disabled=not to_issue, key="access.issue_all"):
        return
    try:
        with admin_work(signed, write=True) as work:
            round_ = get_round(work.session, work.organization, view.id)
            issued = [
                (round_unit.name, codes)
                for round_unit, codes in issue_codes_for_invited_units(
                    work.session, round_, user=work.admin
                )
            ]
    except StorageError as error:
        show_refusal(error)
        return
    hold_codes(view, address, issued)


def hold_codes(view: AccessView, address: str, issued: list[tuple[str, list[str]]]) -> None:
    """Keep codes just issued (by unit name) for `issued_codes` to show at the top."""
    st.session_state[CODES_FOR_KEY] = tuple(
        (
            SlipRound(
                organization=view.organization,
                round_name=view.name,
                unit_name=unit_name,
                closes_on=view.closes_on,
                languages=view.languages,
                survey_url=address,
                min_group_size=view.min_group_size,
            ),
            len(codes),
        )
        for unit_name, codes in issued
    )
    st.session_state[NEW_CODES_KEY] = "\n".join(code for _, codes in issued for code in codes)
    st.rerun()  # shown at the top by `issued_codes`


def forget_codes() -> None:
    for key in (CODES_KEY, CODES_FOR_KEY, NEW_CODES_KEY):
        st.session_state.pop(key, None)


def issued_codes() -> None:
    """The codes issued just now, with their downloads; gone once the page is left."""
    if NEW_CODES_KEY in st.session_state:  # before the widget holding them is drawn
        st.session_state[CODES_KEY] = st.session_state.pop(NEW_CODES_KEY)
    held = st.session_state.get(CODES_KEY)
    units = st.session_state.get(CODES_FOR_KEY)
    codes = held.splitlines() if held else []
    if not codes or not isinstance(units, tuple) or sum(n for _, n in units) != len(codes):
        st.session_state.pop(CODES_FOR_KEY, None)
        return
    batches, start = [], 0
    for slip, n in units:
        batches.append((slip, codes[start : start + n]))
        start += n
    slip = units[0][0]
    with st.container(border=True):
        if len(units) == 1:
            st.success(
                tn("admin.access.issued", len(codes), unit=escape(slip.unit_name),
                   round=escape(slip.round_name))
            )
        else:
            st.success(
                tn("admin.access.issued_all", len(codes), units=len(units),
                   round=escape(slip.round_name))
            )
        st.warning(t("admin.access.shown_once"))
        whom = (slugify(slip.unit_name) or "unit") if len(units) == 1 else "all-units"
        name = f"codes-{slugify(slip.round_name) or 'round'}-{whom}"
        page = printed_page()
        csv_col, pdf_col, done_col = st.columns(3)
        csv_col.download_button(
            t("admin.access.download_csv"),
            data=unit_codes_csv(batches),
            file_name=f"{name}.csv",
            mime="text/csv",
            on_click="ignore",
            type="primary",
            key="access.download.csv",
        )
        if page is not None:
            pdf_col.download_button(
                t("admin.access.download_pdf"),
                data=lambda: unit_slips_pdf(batches, page_size=page),
                file_name=f"{name}.pdf",
                mime="application/pdf",
                on_click="ignore",
                type="primary",
                key="access.download.pdf",
            )
        done_col.button(t("admin.access.forget"), on_click=forget_codes, key="access.forget")
        st.caption(t("admin.access.mail_merge_note"))
        st.text_area(
            t("admin.access.codes_list"), key=CODES_KEY, disabled=True,
            height=min(80 + 24 * len(codes), 300),
        )


# -- open unit links -------------------------------------------------------------------------


def links_section(signed: SignedInUser, view: AccessView) -> None:
    st.markdown(t("admin.access.links_help"))
    if usable_survey_url() is None:
        return
    code = unit_choice(view, "access.link.unit")
    has_link = code in view.linked
    st.caption(t("admin.access.has_link" if has_link else "admin.access.no_link"))
    label = t("admin.access.replace_link" if has_link else "admin.access.create_link")
    if st.button(label, key="access.link.submit"):
        try:
            with admin_work(signed, write=True) as work:
                round_ = get_round(work.session, work.organization, view.id)
                round_unit = get_round_unit(work.session, round_, code)
                token = create_unit_link(work.session, round_, round_unit, user=work.admin)
                unit_name = round_unit.name
        except StorageError as error:
            show_refusal(error)
        else:
            st.session_state[LINK_KEY] = {
                "round": view.id, "unit": unit_name, "url": link_url(token)
            }
            st.rerun()
    made = st.session_state.get(LINK_KEY)
    if made and made.get("round") == view.id:
        st.success(t("admin.access.link_made", unit=escape(made["unit"])))
        st.code(made["url"], language=None)
        st.caption(t("admin.access.link_once"))
    if view.linked:
        names = {c: n for _, c, n, _ in view.units}
        st.markdown(
            t("admin.access.linked_units")
            + " "
            + ", ".join(escape(names[c]) for c in sorted(view.linked, key=names.get))
        )


# -- response rates --------------------------------------------------------------------------


@st.fragment(run_every="30s")
def rates_section(signed: SignedInUser, round_id: int) -> None:
    with admin_work(signed) as work:
        round_ = get_round(work.session, work.organization, round_id)
        rates = response_rates(work.session, round_)
        ledger = subtree_code_counts(work.session, round_)
        responses, invited = response_total(work.session, round_)
        k = round_.min_group_size
    st.caption(t("admin.access.rates_help", k=k))
    total_shown = invited >= k
    c1, c2, c3 = st.columns(3)
    c1.metric(t("admin.access.col.invited"), invited)
    c2.metric(
        t("admin.access.col.responses"), responses if total_shown else t("admin.access.withheld")
    )
    c3.metric(
        t("admin.access.col.rate"),
        f"{responses / invited:.0%}" if total_shown else t("admin.access.withheld"),
    )
    withheld = t("admin.access.not_shown", k=k)
    rows = []
    for rate in rates:
        counts = ledger.get(rate.round_unit_id, {})
        shown = rate.shown and rate.rate is not None
        started = counts.get(CodeState.STARTED.value, 0)
        submitted = counts.get(CodeState.SUBMITTED.value, 0)
        issued = counts.get(CodeState.ISSUED.value, 0)  # every code, used or not
        rows.append(
            {
                t("admin.access.col.unit"): indented(rate.depth, rate.name),
                t("admin.access.col.invited"): str(rate.invited),
                t("admin.access.col.responses"): str(rate.responses) if shown else withheld,
                t("admin.access.col.rate"): f"{rate.rate:.0%}" if shown else "",
                t("admin.access.col.issued"): str(issued) if shown else "",
                t("admin.access.col.started"): str(started) if shown else "",
                t("admin.access.col.submitted"): str(submitted) if shown else "",
            }
        )
    st.table(rows)
    st.caption(t("admin.access.rates_note"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
