"""What the leadership (admin) pages share: one transaction as the signed-in admin, refusals
shown as they are, and a success message that survives the rerun after a change.

A page reads its widgets, runs one service inside `admin_work`, and then either calls `done`
(the change is committed; the page reruns and shows the message at its top through
`show_done`) or `show_refusal` (the service refused; nothing was changed)::

    try:
        with admin_work(signed, write=True) as work:
            unit = add_unit(work.session, work.organization, name, actor=work.admin)
    except StorageError as error:
        show_refusal(error)
    else:
        done(t("admin.units.added", name=escape(unit.name)))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NoReturn

import streamlit as st
from sqlalchemy.orm import Session

from instruments.text import shorten
from storage.auth_service import SignedInUser
from storage.engine import database_url, shared_factory, transaction
from storage.errors import StorageError
from storage.models import Organization, User
from storage.user_repo import get_user
from ui.i18n import t
from ui.markdown_text import escape

_RESET_KEY = "admin.reset"  # widget keys to empty at the top of the next run
_DONE_KEY = "admin.done"
NBSP = "\u00a0"


@dataclass(frozen=True)
class AdminWork:
    """One unit of work of the signed-in admin: the session, the admin as stored (the actor
    recorded in the audit log) and their organization."""

    session: Session
    admin: User
    organization: Organization


@contextmanager
def admin_work(signed: SignedInUser, *, write: bool = False) -> Iterator[AdminWork]:
    """One transaction as `signed`: committed when the block ends, rolled back if it raises."""
    with transaction(shared_factory(database_url()), write=write) as session:
        admin = get_user(session, signed.username)
        yield AdminWork(session, admin, admin.organization)


def show_refusal(error: StorageError) -> None:
    """Say that nothing was changed and why, one line per problem the service named."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    show_problems(lines)


def show_problems(lines: Iterable[str]) -> None:
    """An error box with every problem on its own line (escaped: messages quote user input)."""
    problems = [shorten(line) for line in lines]
    if len(problems) == 1:
        st.error(t("admin.refused", problem=escape(problems[0])))
        return
    listed = "\n".join(f"- {escape(problem)}" for problem in problems)
    st.error(f"{t('admin.refused_many', n=len(problems))}\n\n{listed}")


def done(message: str, *, reset: Iterable[str] = ()) -> NoReturn:
    """The change is committed: rerun the page (so everything shows the new state) with
    `message` at its top. `reset` names the keys of a form's text, multiselect and other
    free inputs to empty (not of choices like a selectbox, whose empty value is no option);
    they are emptied at the top of the next run by `show_done`, before the widgets exist."""
    st.session_state[_RESET_KEY] = list(reset)
    st.session_state[_DONE_KEY] = message
    st.rerun()


def show_done() -> None:
    """Empty the inputs of the form just submitted and show its message, once. Call it at the
    top of the page, before any widget.

    An input is emptied by giving it an empty value, not by forgetting its key: a browser
    keeps what was typed and would send it again with the next submit.
    """
    for key in st.session_state.pop(_RESET_KEY, []):
        value = st.session_state.get(key)
        if isinstance(value, str):
            st.session_state[key] = ""
        elif isinstance(value, list):
            st.session_state[key] = []
        else:
            st.session_state.pop(key, None)
    message = st.session_state.pop(_DONE_KEY, None)
    if message:
        st.success(message)


@dataclass(frozen=True)
class UploadedCsv:
    """A CSV file chosen and sent with the button: its name and its text."""

    name: str
    text: str
    round_key: str  # `fresh_uploader` empties the uploader after a successful import

    def fresh_uploader(self) -> None:
        st.session_state[self.round_key] = st.session_state.get(self.round_key, 0) + 1


def uploaded_csv(label: str, key: str, button: str, button_key: str) -> UploadedCsv | None:
    """A CSV file uploader (keyed `key`.N, a new one after each import) with its import
    button; the file's UTF-8 text once the button is pressed with a file chosen, else None
    (saying what is missing or wrong)."""
    round_key = f"{key}.round"
    upload_round = st.session_state.get(round_key, 0)
    uploaded = st.file_uploader(label, type=["csv"], key=f"{key}.{upload_round}")
    if not st.button(button, type="primary", key=button_key):
        return None
    if uploaded is None:
        st.warning(t("admin.choose_file"))
        return None
    try:
        text = uploaded.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        show_problems([t("admin.not_utf8", file=uploaded.name)])
        return None
    return UploadedCsv(uploaded.name, text, round_key)


def indented(depth: int, text: str) -> str:
    """``text`` indented by tree depth, for tables and menus (plain text, not Markdown)."""
    return f"{NBSP * 4 * depth}{'└' + NBSP if depth else ''}{text}"


def format_time(moment: datetime | None) -> str:
    """A stored time as people read it, in UTC (``2027-03-01 14:05 UTC``); "—" for none."""
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
