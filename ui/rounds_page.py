"""Rounds (admin): the organization's assessment rounds; create one from a published
instrument version, then launch (open), close and publish it.

A round moves draft → open → closed → published and never back. Launching locks what
DESIGN.md section 5 lists (the instrument version, the units and how many are invited in each,
the languages and both thresholds), so each step asks for a confirmation first. Closing also
computes the round's report, once, and keeps it (`reports.round_close`): results exist only
from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import streamlit as st

from instruments.model import KNOWN_LANGUAGES
from reports.round_close import close_round_now
from storage.auth_service import SignedInUser
from storage.engine import database_url, shared_factory
from storage.errors import StorageError
from storage.instrument_repo import get_instrument_version, list_instrument_versions
from storage.models import (
    DEFAULT_MIN_COMMENT_GROUP_SIZE,
    DEFAULT_MIN_GROUP_SIZE,
    MIN_GROUP_SIZE_RANGE,
    InstrumentStatus,
    InstrumentVersion,
    Round,
    RoundStatus,
)
from storage.organization_repo import UnitNode, get_unit, unit_tree
from storage.round_service import (
    DATE_EDIT_STATUSES,
    UnitInvitation,
    create_round,
    default_round_dates,
    get_round,
    list_rounds,
    open_round,
    publish_round,
    round_units_in_order,
    set_round_dates,
)
from ui.admin_actions import admin_work, done, format_time, indented, show_done, show_refusal
from ui.i18n import current_language, t
from ui.markdown_text import escape
from ui.navigation import ADMIN
from ui.session_user import require_role

DEFAULT_INSTRUMENT = "ti-staff"
SELECTED_KEY = "rounds.selected"
ROUND_PARAM = "round"  # ?round=3 opens the page on that round
SELECT_NEXT_KEY = "rounds.select_next"  # a round to select on the next run (one just created)
CONFIRM_KEY = "rounds.confirm"  # (round id, step) waiting for "yes"
EDITOR_KEY = "rounds.create.units"
STEPS = {  # the next step from each status, and the service that takes it (None: closing,
    # which is more than one transaction: `reports.round_close.close_round_now`)
    RoundStatus.DRAFT.value: ("open", open_round),
    RoundStatus.OPEN.value: ("close", None),
    RoundStatus.CLOSED.value: ("publish", publish_round),
}


@dataclass(frozen=True)
class RoundView:
    """A round as plain data for the page."""

    id: int
    name: str
    status: str
    instrument: str  # id@version
    instrument_title: str
    languages: tuple[str, ...]
    opens_on: date | None
    closes_on: date | None
    min_group_size: int
    min_comment_group_size: int
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    published_at: datetime | None
    units: tuple[tuple[int, str, str, int], ...]  # depth, code, name, invited

    @classmethod
    def of(cls, round_: Round) -> RoundView:
        depth: dict[int, int] = {}
        units = []
        for unit in round_units_in_order(round_):
            depth[unit.id] = 0 if unit.parent_id is None else depth[unit.parent_id] + 1
            units.append((depth[unit.id], unit.code, unit.name, unit.invited or 0))
        version = round_.instrument_version
        return cls(
            id=round_.id,
            name=round_.name,
            status=round_.status,
            instrument=version.ref,
            instrument_title=instrument_title(version),
            languages=tuple(round_.languages),
            opens_on=round_.opens_on,
            closes_on=round_.closes_on,
            min_group_size=round_.min_group_size,
            min_comment_group_size=round_.min_comment_group_size,
            created_at=round_.created_at,
            opened_at=round_.opened_at,
            closed_at=round_.closed_at,
            published_at=round_.published_at,
            units=tuple(units),
        )


def instrument_title(version: InstrumentVersion) -> str:
    """The instrument's title in the page's language when the instrument has it, else as
    stored (its source language)."""
    title = version.instrument().title
    return title.get(current_language()) or version.title


def status_label(status: str) -> str:
    return t(f"admin.round_status.{status}")


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("admin.rounds.title"), anchor=False)
    st.markdown(t("admin.rounds.lead"))
    show_done()

    with admin_work(signed) as work:
        rounds = [RoundView.of(r) for r in list_rounds(work.session, work.organization)]
        versions = {
            v.ref: instrument_title(v)
            for v in list_instrument_versions(work.session, status=InstrumentStatus.PUBLISHED)
        }
        tree = [(d, node) for root in unit_tree(work.session, work.organization)
                for d, node in root.walk()]

    st.subheader(t("admin.rounds.list"), anchor=False)
    if rounds:
        st.dataframe(
            [
                {
                    t("admin.rounds.col.id"): r.id,
                    t("admin.rounds.col.name"): r.name,
                    t("admin.rounds.col.status"): status_label(r.status),
                    t("admin.rounds.col.instrument"): r.instrument,
                    t("admin.rounds.col.opens"): day(r.opens_on),
                    t("admin.rounds.col.closes"): day(r.closes_on),
                    t("admin.rounds.col.k"): r.min_group_size,
                }
                for r in reversed(rounds)
            ],
            hide_index=True,
            key="rounds.table",
        )
        selected_round(signed, rounds)
    else:
        st.info(t("admin.rounds.none"))

    with st.expander(t("admin.rounds.create"), expanded=not rounds):
        create_form(signed, versions, tree)


# -- one round: settings, timeline, next step ------------------------------------------------


def selected_round(signed: SignedInUser, rounds: list[RoundView]) -> None:
    by_id = {r.id: r for r in rounds}
    if SELECT_NEXT_KEY in st.session_state:
        st.session_state[SELECTED_KEY] = st.session_state.pop(SELECT_NEXT_KEY)
    requested = st.query_params.pop(ROUND_PARAM, None)  # a link's round (the home page's)
    if requested is not None and requested.strip().isdigit() and int(requested) in by_id:
        st.session_state[SELECTED_KEY] = int(requested)
    if st.session_state.get(SELECTED_KEY) not in by_id:
        st.session_state[SELECTED_KEY] = rounds[-1].id
    chosen = st.selectbox(
        t("admin.rounds.pick"),
        [r.id for r in reversed(rounds)],
        format_func=lambda i: f"{by_id[i].name} · {status_label(by_id[i].status)}",
        key=SELECTED_KEY,
    )
    round_ = by_id[chosen]
    st.subheader(escape(round_.name), anchor=False)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(
            "\n".join(
                [
                    f"- {t('admin.rounds.col.status')}: **{status_label(round_.status)}**",
                    f"- {t('admin.rounds.col.instrument')}: {escape(round_.instrument_title)} "
                    f"(`{round_.instrument}`)",
                    f"- {t('admin.rounds.languages')}: "
                    + ", ".join(KNOWN_LANGUAGES.get(lang, lang) for lang in round_.languages),
                    f"- {t('admin.rounds.dates')}: {day(round_.opens_on)} → "
                    f"{day(round_.closes_on)}",
                    f"- {t('admin.rounds.min_group')}: {round_.min_group_size}",
                    f"- {t('admin.rounds.min_comment_group')}: {round_.min_comment_group_size}",
                ]
            )
        )
        if round_.status == RoundStatus.DRAFT.value:
            st.caption(f"🔒 {t('admin.rounds.locked_at_launch')}")
        else:
            st.caption(f"🔒 {t('admin.rounds.locked_now')}")
    with right:
        st.markdown(f"**{t('admin.rounds.timeline')}**")
        st.markdown(timeline(round_))
    if round_.status in DATE_EDIT_STATUSES:
        dates_form(signed, round_)
    else:
        st.caption(f"📅 {t('admin.rounds.dates_kept')}")
    st.dataframe(
        [
            {
                t("admin.rounds.col.unit"): indented(depth, name),
                t("admin.rounds.col.code"): code,
                t("admin.rounds.col.invited"): invited,
            }
            for depth, code, name, invited in round_.units
        ],
        hide_index=True,
        key="rounds.units",
    )
    next_step(signed, round_)


def dates_form(signed: SignedInUser, round_: RoundView) -> None:
    """Change the dates of a draft or open round (a round stored without dates shows the
    defaults of a new round)."""
    default_opens, default_closes = default_round_dates()
    with st.expander(t("admin.rounds.edit_dates")), st.form(
        f"rounds.dates.{round_.id}", enter_to_submit=False
    ):
        start, end = st.columns(2)
        opens_on = start.date_input(t("admin.rounds.opens_on"),
                                    value=round_.opens_on or default_opens,
                                    key=f"rounds.dates.{round_.id}.opens")
        closes_on = end.date_input(t("admin.rounds.closes_on"),
                                   value=round_.closes_on or default_closes,
                                   key=f"rounds.dates.{round_.id}.closes")
        submitted = st.form_submit_button(t("admin.rounds.save_dates"),
                                          key=f"rounds.dates.{round_.id}.save")
    if not submitted or not dates_given(opens_on, closes_on):
        return
    try:
        with admin_work(signed, write=True) as work:
            stored = get_round(work.session, work.organization, round_.id)
            set_round_dates(work.session, stored, opens_on=opens_on, closes_on=closes_on,
                            user=work.admin)
    except StorageError as error:
        show_refusal(error)
    else:
        done(t("admin.rounds.dates_saved", name=escape(round_.name), opens=day(opens_on),
               closes=day(closes_on)))


def dates_given(opens_on: object, closes_on: object) -> bool:
    """Both date fields hold a date; otherwise say which one is empty."""
    for value, label in ((opens_on, "admin.rounds.opens_on"),
                         (closes_on, "admin.rounds.closes_on")):
        if not isinstance(value, date):
            st.error(t("admin.rounds.date_missing", field=t(label)))
            return False
    return True


def timeline(round_: RoundView) -> str:
    steps = [
        ("created", round_.created_at),
        ("opened", round_.opened_at),
        ("closed", round_.closed_at),
        ("published", round_.published_at),
    ]
    return "\n".join(
        f"- {'✅' if moment is not None else '⬜'} {t(f'admin.rounds.step.{step}')}: "
        f"{format_time(moment) if moment is not None else t('admin.rounds.not_yet')}"
        for step, moment in steps
    )


def next_step(signed: SignedInUser, round_: RoundView) -> None:
    if round_.status not in STEPS:
        st.success(t("admin.rounds.all_done"))
        return
    step, move = STEPS[round_.status]
    st.markdown(t(f"admin.rounds.explain.{step}"))
    if st.button(t(f"admin.rounds.do.{step}"), key=f"rounds.{step}"):
        st.session_state[CONFIRM_KEY] = (round_.id, step)
    if st.session_state.get(CONFIRM_KEY) != (round_.id, step):
        return
    with st.container(border=True):
        st.warning(t(f"admin.rounds.confirm.{step}", name=escape(round_.name)))
        yes, no = st.columns(2)
        confirmed = yes.button(
            t(f"admin.rounds.yes.{step}"), type="primary", key=f"rounds.{step}.yes"
        )
        if no.button(t("admin.cancel"), key=f"rounds.{step}.cancel"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()
    if not confirmed:
        return
    st.session_state.pop(CONFIRM_KEY, None)
    try:
        if move is None:  # close, scrub what the database keeps, compute the report once
            with admin_work(signed) as work:
                organization, admin = work.organization, work.admin
            with st.spinner(t("report.computing")):
                closed = close_round_now(shared_factory(database_url()), organization,
                                         round_.id, user=admin)
            status = closed.status
        else:
            with admin_work(signed, write=True) as work:
                stored = get_round(work.session, work.organization, round_.id)
                move(work.session, stored, user=work.admin)
                status = stored.status
    except StorageError as error:
        show_refusal(error)
    else:
        done(t("admin.rounds.moved", name=escape(round_.name), status=status_label(status)))


# -- a new round ------------------------------------------------------------------------------


def form_problems(name: object, languages: list[str], opens_on: object, closes_on: object,
                  counts: dict[str, int], min_group: int, min_comment: int) -> list[str]:
    """Everything wrong with the new-round form, each naming its field, all at once (the
    service checks again, and says the rest: a name taken, a name too long)."""
    problems = []
    if not isinstance(name, str) or not name.strip():
        problems.append(t("admin.rounds.problem.name"))
    if not languages:
        problems.append(t("admin.rounds.problem.languages"))
    for value, label in ((opens_on, "admin.rounds.opens_on"),
                         (closes_on, "admin.rounds.closes_on")):
        if not isinstance(value, date):
            problems.append(t("admin.rounds.problem.date", field=t(label)))
    if isinstance(opens_on, date) and isinstance(closes_on, date) and closes_on < opens_on:
        problems.append(t("admin.rounds.problem.dates_order"))
    if not counts:
        problems.append(t("admin.rounds.problem.units"))
    if min_comment < min_group:
        problems.append(t("admin.rounds.problem.comment_k", k=min_group))
    return problems


def default_version(refs: list[str]) -> int:
    """The newest published version of the staff form (the list is oldest first)."""
    staff = [i for i, ref in enumerate(refs) if ref.split("@")[0] == DEFAULT_INSTRUMENT]
    return staff[-1] if staff else max(len(refs) - 1, 0)


def create_form(
    signed: SignedInUser, versions: dict[str, str], tree: list[tuple[int, UnitNode]]
) -> None:
    if not tree:
        st.info(t("admin.rounds.no_units"))
        return
    if not versions:
        st.info(t("admin.rounds.no_versions"))
        return
    refs = list(versions)
    st.info(t("admin.rounds.locked_at_launch"), icon="🔒")
    units = pd.DataFrame(
        {
            "code": [node.code for _, node in tree],
            "unit": [indented(depth, node.name) for depth, node in tree],
            "invited": [0] * len(tree),
        }
    )
    low, high = MIN_GROUP_SIZE_RANGE
    with st.form("rounds.create", enter_to_submit=False):
        name = st.text_input(t("admin.rounds.name"), key="rounds.create.name",
                             placeholder=t("admin.rounds.name_example"))
        ref = st.selectbox(
            t("admin.rounds.instrument"),
            refs,
            index=default_version(refs),
            format_func=lambda r: f"{versions[r]} ({r})",
            key="rounds.create.instrument",
        )
        languages = st.multiselect(
            t("admin.rounds.languages"),
            list(KNOWN_LANGUAGES),
            default=list(KNOWN_LANGUAGES),
            format_func=KNOWN_LANGUAGES.get,
            placeholder=t("admin.rounds.choose_languages"),
            key="rounds.create.languages",
        )
        start, end = st.columns(2)
        default_opens, default_closes = default_round_dates()
        opens_on = start.date_input(t("admin.rounds.opens_on"), value=default_opens,
                                    key="rounds.create.opens")
        closes_on = end.date_input(t("admin.rounds.closes_on"), value=default_closes,
                                   key="rounds.create.closes")
        st.caption(t("admin.rounds.dates_help"))
        k_col, comment_col = st.columns(2)
        min_group = k_col.number_input(
            t("admin.rounds.min_group"), min_value=low, max_value=high,
            value=DEFAULT_MIN_GROUP_SIZE, step=1, help=t("admin.rounds.min_group_help"),
            key="rounds.create.k",
        )
        min_comment = comment_col.number_input(
            t("admin.rounds.min_comment_group"), min_value=low, max_value=1000,
            value=DEFAULT_MIN_COMMENT_GROUP_SIZE, step=1,
            help=t("admin.rounds.min_comment_group_help"), key="rounds.create.comment_k",
        )
        st.markdown(f"**{t('admin.rounds.units')}**")
        st.caption(t("admin.rounds.units_help"))
        edited = st.data_editor(
            units,
            column_config={
                "code": st.column_config.TextColumn(t("admin.rounds.col.code")),
                "unit": st.column_config.TextColumn(t("admin.rounds.col.unit")),
                "invited": st.column_config.NumberColumn(
                    t("admin.rounds.col.invited"), min_value=0, step=1, format="%d"
                ),
            },
            column_order=("unit", "code", "invited"),
            disabled=("code", "unit"),
            hide_index=True,
            num_rows="fixed",
            key=EDITOR_KEY,
        )
        submitted = st.form_submit_button(
            t("admin.rounds.create_submit"), type="primary", key="rounds.create.submit"
        )
    if not submitted:
        return
    counts = {
        code: int(invited)
        for code, invited in zip(edited["code"], edited["invited"], strict=True)
        if pd.notna(invited) and int(invited) > 0
    }
    problems = form_problems(name, languages, opens_on, closes_on, counts, int(min_group),
                             int(min_comment))
    if problems:
        st.error("\n".join([t("admin.rounds.problems"), *(f"- {p}" for p in problems)]))
        return
    instrument_id, _, version = ref.partition("@")
    try:
        with admin_work(signed, write=True) as work:
            created = create_round(
                work.session,
                work.organization,
                name=name,
                instrument_version=get_instrument_version(work.session, instrument_id, version),
                invitations=[
                    UnitInvitation(get_unit(work.session, work.organization, code), n)
                    for code, n in counts.items()
                ],
                languages=languages,
                opens_on=opens_on,
                closes_on=closes_on,
                min_group_size=int(min_group),
                min_comment_group_size=int(min_comment),
                user=work.admin,
            )
            created_id, created_name = created.id, created.name
    except StorageError as error:
        show_refusal(error)
    else:
        st.session_state[SELECT_NEXT_KEY] = created_id
        done(
            t("admin.rounds.created", name=escape(created_name)),
            reset=("rounds.create.name", EDITOR_KEY),
        )


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
