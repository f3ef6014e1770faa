"""Which pages exist, who sees them, and the page list `st.navigation` gets on every run.

To add a page, write ``ui/<name>_page.py`` (a script: Streamlit runs it as ``__main__``) and add
one `PageSpec` to `PAGES`. Give it the roles that may open it; `pages_for` registers only the
pages of the current role, and a page that is not registered cannot be opened, not even by URL.
Restricted pages still check the role at their top (``ui.session_user.require_role``), in case
of a mistake here. `SIGNED_OUT` pages (the sign-in page) are for visitors who are not signed in.

Only the page marked ``default`` is served at ``/``; a default page cannot be opened at its own
URL, so a page that links point to (the survey, ``/survey?code=...``) must never be the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui.i18n import t

UI_DIR = Path(__file__).resolve().parent

ANYONE = "anyone"  # every visitor, signed in or not (staff answering a survey are never signed in)
SIGNED_OUT = "signed out"  # only visitors who have not signed in (the sign-in page)
ADMIN = "admin"
MANAGER = "manager"
SIGNED_IN = frozenset({ADMIN, MANAGER})
REPORT_READERS = SIGNED_IN  # who may open the report pages


@dataclass(frozen=True)
class PageSpec:
    """One page of the app."""

    script: str  # file name in ui/
    url_path: str  # the page's address: /<url_path>; unique, no "/"
    title: str  # i18n key of the title shown in the menu
    icon: str  # an emoji: material icons would fetch a web font from the internet
    section: str  # i18n key of the menu section
    roles: frozenset[str]  # who may open it: ANYONE, SIGNED_OUT, or roles like ADMIN, MANAGER
    default: bool = False  # served at "/"

    @property
    def path(self) -> Path:
        return UI_DIR / self.script

    def visible_to(self, role: str | None) -> bool:
        if ANYONE in self.roles:
            return True
        if role is None:
            return SIGNED_OUT in self.roles
        return role in self.roles


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "home_page.py", "about", "page.home", "🏠", "section.start",
        frozenset({ANYONE}), default=True,
    ),
    PageSpec(
        "library_page.py", "library", "page.library", "📚", "section.instruments",
        frozenset({ANYONE}),
    ),
    PageSpec(
        "survey_page.py", "survey", "survey.page", "📝", "section.start",
        frozenset({ANYONE}),
    ),
    PageSpec(
        "results_page.py", "results", "results.page", "📣", "section.start",
        frozenset({ANYONE}),
    ),
    # -- leadership (admin only) -------------------------------------------------------------
    PageSpec(
        "rounds_page.py", "rounds", "admin.page.rounds", "🗓️", "admin.section.leadership",
        frozenset({ADMIN}),
    ),
    PageSpec(
        "access_page.py", "access", "admin.page.access", "🎟️", "admin.section.leadership",
        frozenset({ADMIN}),
    ),
    PageSpec(
        "paper_page.py", "paper", "admin.page.paper", "📄", "admin.section.leadership",
        frozenset({ADMIN}),
    ),
    PageSpec(
        "units_page.py", "units", "admin.page.units", "🏢", "admin.section.leadership",
        frozenset({ADMIN}),
    ),
    PageSpec(
        "users_page.py", "users", "admin.page.users", "👥", "admin.section.leadership",
        frozenset({ADMIN}),
    ),
    PageSpec(
        "audit_page.py", "audit", "admin.page.audit", "📜", "admin.section.leadership",
        frozenset({ADMIN}),
    ),
    # -- reports (managers: their units and the agency as a whole; admins: everything) ----
    PageSpec(
        "report_overview_page.py", "report", "report.page.overview", "📊",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_change_page.py", "report-change", "report.page.change", "📈",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_reliability_page.py", "report-reliability", "report.page.reliability", "🎯",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_units_page.py", "report-units", "report.page.units", "🗺️",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_roles_page.py", "report-roles", "report.page.roles", "🪪",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_items_page.py", "report-items", "report.page.items", "🔍",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_comments_page.py", "report-comments", "report.page.comments", "💬",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_actions_page.py", "report-actions", "report.page.actions", "✅",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "report_downloads_page.py", "report-downloads", "report.page.downloads", "⬇️",
        "report.section", REPORT_READERS,
    ),
    PageSpec(
        "signin_page.py", "signin", "page.signin", "🔑", "section.account",
        frozenset({SIGNED_OUT}),
    ),
    PageSpec(
        "account_page.py", "account", "page.account", "👤", "section.account", SIGNED_IN,
    ),
)


def specs_for(role: str | None) -> list[PageSpec]:
    """The pages a visitor with ``role`` (None: not signed in) may open, in menu order."""
    return [spec for spec in PAGES if spec.visible_to(role)]


def pages_for(role: str | None) -> dict[str, list[st.Page]]:
    """The `st.navigation` argument for ``role``: menu sections (translated) and their pages."""
    sections: dict[str, list[st.Page]] = {}
    for spec in specs_for(role):
        page = st.Page(
            spec.path,
            title=t(spec.title),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
        )
        sections.setdefault(t(spec.section), []).append(page)
    return sections


def page_path(script: str) -> Path:
    """The path `st.page_link` / `st.switch_page` take for a page of ui/."""
    return UI_DIR / script
