"""Leadership's home (admins land here after signing in): the current round(s), their status
and progress, and the next thing to do, one click away.

A current round is one that is not published yet (draft, open or closed); without one, the
newest published round is shown with the way to the next. Progress is the round's responses
out of those invited, shown only when at least k are invited, the rule of the Access page's
response rates (DESIGN.md section 6): a small round shows no count that could point at
someone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from storage.models import Round, RoundStatus
from storage.round_service import chronological_key, list_rounds, response_total
from ui.admin_actions import admin_work
from ui.i18n import t
from ui.markdown_text import escape
from ui.navigation import ADMIN, page_path
from ui.session_user import require_role

ACCESS_ROUND_KEY = "access.round"  # the Access page's round choice (ui/access_page.py)
ROUND_PARAM = "round"  # the rounds and report pages open the round named by ?round=


@dataclass(frozen=True)
class RoundProgress:
    """A round as the home page shows it; `responses` is None where it may not be shown."""

    id: int
    name: str
    status: str
    opens_on: date | None
    closes_on: date | None
    invited: int
    responses: int | None
    k: int

    @classmethod
    def of(cls, session, round_: Round) -> RoundProgress:
        responses, invited = response_total(session, round_)
        shown = invited >= round_.min_group_size and round_.status != RoundStatus.DRAFT.value
        return cls(round_.id, round_.name, round_.status, round_.opens_on, round_.closes_on,
                   invited, responses if shown else None, round_.min_group_size)


def current_rounds(rounds: list[Round]) -> list[Round]:
    """The rounds not yet published, newest first; else the newest published one."""
    ordered = sorted(rounds, key=chronological_key, reverse=True)
    current = [r for r in ordered if r.status != RoundStatus.PUBLISHED.value]
    return current or ordered[:1]


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("lhome.title"), anchor=False)
    st.markdown(t("lhome.lead"))
    with admin_work(signed) as work:
        rounds = list_rounds(work.session, work.organization)
        shown = [RoundProgress.of(work.session, r) for r in current_rounds(rounds)]
    if not shown:
        st.info(t("lhome.none"))
        st.page_link(page_path("rounds_page.py"), label=t("lhome.do.create"), icon="🗓️")
        return
    for progress in shown:
        round_card(progress)
    st.page_link(page_path("rounds_page.py"), label=t("lhome.all_rounds"), icon="🗓️")


def round_card(progress: RoundProgress) -> None:
    with st.container(border=True):
        st.subheader(escape(progress.name), anchor=False)
        status = t(f"admin.round_status.{progress.status}")
        dates = " → ".join(d.isoformat() if d else "—"
                           for d in (progress.opens_on, progress.closes_on))
        st.markdown(t("lhome.status", status=status, dates=dates))
        show_progress(progress)
        st.markdown(f"**{t('lhome.next')}** {t(f'lhome.next.{progress.status}')}")
        next_links(progress)


def show_progress(progress: RoundProgress) -> None:
    if progress.status == RoundStatus.DRAFT.value:
        st.caption(t("lhome.invited", invited=progress.invited))
    elif progress.responses is None:
        st.caption(t("lhome.withheld", invited=progress.invited, k=progress.k))
    else:
        share = progress.responses / progress.invited if progress.invited else 0.0
        st.progress(min(share, 1.0), text=t("lhome.progress", responses=progress.responses,
                                             invited=progress.invited, pct=f"{share:.0%}"))


def next_links(progress: RoundProgress) -> None:
    query = {ROUND_PARAM: str(progress.id)}
    rounds = page_path("rounds_page.py")
    report = page_path("report_overview_page.py")
    columns = iter(st.columns(3))
    if progress.status == RoundStatus.DRAFT.value:
        access_button(next(columns), progress, "lhome.do.codes")
        next(columns).page_link(rounds, label=t("lhome.do.launch"), icon="🚀",
                                query_params=query)
    elif progress.status == RoundStatus.OPEN.value:
        access_button(next(columns), progress, "lhome.do.rates")
        next(columns).page_link(rounds, label=t("lhome.do.close"), icon="🔒",
                                query_params=query)
    elif progress.status == RoundStatus.CLOSED.value:
        next(columns).page_link(rounds, label=t("lhome.do.publish"), icon="📣",
                                query_params=query)
        next(columns).page_link(report, label=t("lhome.do.report"), icon="📊",
                                query_params=query)
    else:
        next(columns).page_link(report, label=t("lhome.do.report"), icon="📊",
                                query_params=query)
        next(columns).page_link(page_path("report_actions_page.py"), label=t("lhome.do.plan"),
                                icon="✅", query_params=query)
        next(columns).page_link(rounds, label=t("lhome.do.next_round"), icon="🗓️")


def access_button(where, progress: RoundProgress, label: str) -> None:
    """Open the Access page on this round (it keeps its round choice in Session State)."""
    if where.button(t(label), icon="🎟️", key=f"lhome.access.{progress.id}"):
        st.session_state[ACCESS_ROUND_KEY] = progress.id
        st.switch_page(page_path("access_page.py"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
