"""Which pages exist, who sees them, and the page list `st.navigation` gets on every run.

To add a page, write ``ui/<name>_page.py`` (a script: Streamlit runs it as ``__main__``) and add
one `PageSpec` to `PAGES`. Give it the roles that may open it; `pages_for` registers only the
pages of the current role, and a page that is not registered cannot be opened, not even by URL.
Restricted pages still check the role at their top (``ui.session_user.require_role``), in case
of a mistake here. `SIGNED_OUT` pages (the sign-in page) are for visitors who are not signed in.

Each role has a home, the page served at ``/``: leadership and managers get a page of their
own (``home_of``), visitors who are not signed in the About page (``default``). A default page
cannot be opened at its own URL, so a page that links point to (the survey,
``/survey?code=...``) must never be the default.

A page the visitor may not open is still registered, hidden from the menu, under its own
address, with a page that says why it is closed instead of the page itself (`refused_page`):
a signed-out visitor opening ``/report-change?round=3`` is asked to sign in and brought back
there (`safe_target` checks where "back" is), a manager opening ``/rounds`` reads that the
page is for leadership. Only an address of no page at all gets Streamlit's "page not found".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

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
    default: bool = False  # served at "/" to visitors who are not signed in
    home_of: frozenset[str] = frozenset()  # the roles this page is the home ("/") of

    @property
    def path(self) -> Path:
        return UI_DIR / self.script

    def visible_to(self, role: str | None) -> bool:
        if ANYONE in self.roles:
            return True
        if role is None:
            return SIGNED_OUT in self.roles
        return role in self.roles

    def is_default_for(self, role: str | None) -> bool:
        """Whether this page is served at "/" to a visitor with `role`."""
        if role is not None and any(role in spec.home_of for spec in PAGES):
            return role in self.home_of
        return self.default and self.visible_to(role)


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "home_page.py", "about", "page.home", "🏠", "section.start",
        frozenset({ANYONE}), default=True,
    ),
    PageSpec(
        "leadership_home_page.py", "leadership", "page.home_leadership", "🧭",
        "section.start", frozenset({ADMIN}), home_of=frozenset({ADMIN}),
    ),
    PageSpec(
        "manager_home_page.py", "my-units", "page.home_manager", "🧭",
        "section.start", frozenset({MANAGER}), home_of=frozenset({MANAGER}),
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


def default_spec(role: str | None) -> PageSpec:
    """The page served at "/" to a visitor with `role`: their home."""
    return next(spec for spec in specs_for(role) if spec.is_default_for(role))


def pages_for(
    role: str | None, refused: Callable[[PageSpec], Callable[[], None]] | None = None
) -> dict[str, list[st.Page]]:
    """The `st.navigation` argument for ``role``: menu sections (translated) and their pages.

    With `refused`, every page `role` may not open is registered too, hidden from the menu,
    under its own address, running ``refused(spec)`` (which says why) instead of the page."""
    sections: dict[str, list[st.Page]] = {}
    closed: list[st.Page] = []
    for spec in PAGES:
        if spec.visible_to(role):
            page = st.Page(
                spec.path,
                title=t(spec.title),
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.is_default_for(role),
            )
            sections.setdefault(t(spec.section), []).append(page)
        elif refused is not None:
            closed.append(
                st.Page(refused(spec), title=t(spec.title), icon=spec.icon,
                        url_path=spec.url_path, visibility="hidden")
            )
    if closed:
        next(iter(sections.values())).extend(closed)
    return sections


# -- where to go back after signing in ---------------------------------------------------------

TARGET_MAX = 2000  # characters of a target address
TARGET_PARAMS_MAX = 20  # query parameters kept


def safe_target(value: object) -> str | None:
    """`value` when it is the address of a page of this app (``/report-change?round=3``),
    rebuilt from its parts; otherwise None. Only a path of a known page and its query are
    kept: no scheme, host, fragment or other path, so a link cannot send a browser that has
    just signed in to another site (no open redirect)."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > TARGET_MAX:
        return None
    if value.startswith("//") or "\\" in value or any(ord(c) < 32 or ord(c) == 127
                                                       for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    name = parts.path[1:]
    if name not in {spec.url_path for spec in PAGES}:
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)[:TARGET_PARAMS_MAX]
    query = urlencode(pairs)
    return f"/{name}?{query}" if query else f"/{name}"


def restricted_paths() -> frozenset[str]:
    """The addresses (``/rounds``) of pages only signed-in people may open."""
    return frozenset(f"/{spec.url_path}" for spec in PAGES if not spec.visible_to(None))


def page_path(script: str) -> Path:
    """The path `st.page_link` / `st.switch_page` take for a page of ui/."""
    return UI_DIR / script
