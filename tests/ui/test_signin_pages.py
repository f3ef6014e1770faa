"""Sign-in and roles in the Streamlit app, under AppTest, against a real SQLite database.

AppTest cannot send the HttpOnly cookie, so a test signs in the way the app also accepts: a real
login token, made by `storage.auth_service.create_login_session` in the test's database, put in
``st.session_state["login_token"]``. The app resolves it on every run like the cookie.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from storage.auth_service import create_login_session, revoke
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.organization_repo import add_unit, resolve_organization
from storage.user_repo import add_user, disable_user, get_user, set_unit_scope
from ui.i18n import t
from ui.navigation import ADMIN, ANYONE, MANAGER, PAGES, SIGNED_OUT
from ui.session_user import LOGIN_TOKEN_KEY

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
SIGNIN = "ui/signin_page.py"
ACCOUNT = "ui/account_page.py"


def restricted_to(role: str) -> list[str]:
    """Scripts of the pages `role` may open and a visitor who is not signed in may not."""
    return [
        f"ui/{spec.script}" for spec in PAGES if role in spec.roles and ANYONE not in spec.roles
    ]


def closed_to(role: str | None) -> list[str]:
    """Scripts of the pages a visitor with `role` must not be able to open."""
    return [f"ui/{spec.script}" for spec in PAGES if not spec.visible_to(role)]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """AppTest reads .streamlit/config.toml from the working directory; show full errors."""
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """River County with the admin ``zoe`` and the manager ``mo`` (scoped to North, which has
    a unit below it)."""
    url = f"sqlite:///{tmp_path / 'signin.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    initialize(url, admin_user="zoe", admin_password=PASSWORD, organization_name="River County")
    with transaction(shared_factory(url), write=True) as session:
        organization = resolve_organization(session)
        north = add_unit(session, organization, "North region", code="north")
        add_unit(session, organization, "North office", code="north-office", parent=north)
        add_unit(session, organization, "South region", code="south")
        manager = add_user(
            session, organization, "mo", PASSWORD, role="manager", display_name="Mo Díaz"
        )
        set_unit_scope(session, manager, [north])
    return url


def token_for(url: str, username: str) -> str:
    with transaction(shared_factory(url), write=True) as session:
        return create_login_session(session, get_user(session, username))


def open_app(token: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if token is not None:
        at.session_state[LOGIN_TOKEN_KEY] = token
    at.run()
    assert not at.exception, at.exception
    return at


def sidebar_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.sidebar.markdown)


def signed_in_line(name: str, role: str, lang: str = "en") -> str:
    return t("account.signed_in_as", lang, name=name, role=t(f"role.{role}", lang))


def can_open(at: AppTest, script: str) -> bool:
    try:
        at.switch_page(script)
    except ValueError:
        return False
    return True


# -- visitors who are not signed in ----------------------------------------------------------


def test_a_visitor_sees_the_sign_in_page_and_no_restricted_page(db) -> None:
    at = open_app()
    assert "Signed in" not in sidebar_text(at)
    assert not at.sidebar.html  # no sign-out form
    assert can_open(at, SIGNIN)
    for script in closed_to(None):
        with pytest.raises(ValueError):
            at.switch_page(script)
    assert ACCOUNT in closed_to(None)
    assert set(restricted_to(ADMIN)) <= set(closed_to(None))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sign_in_page_links_to_the_form_and_says_staff_never_sign_in(db, lang) -> None:
    at = open_app(lang=lang)
    at.switch_page(SIGNIN).run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("signin.title", lang)
    expected_href = "/api/login" if lang == "en" else "/api/login?lang=es"
    [link] = [element.value for element in at.html if "/api/login" in element.value]
    assert f'href="{expected_href}"' in link
    assert t("signin.go", lang) in link
    assert t("signin.staff.text", lang) in [element.value for element in at.markdown]


def test_a_token_that_was_never_issued_signs_nobody_in(db) -> None:
    at = open_app("made-up-token")
    assert can_open(at, SIGNIN)
    with pytest.raises(ValueError):
        at.switch_page(ACCOUNT)


# -- admins and managers ---------------------------------------------------------------------


def test_a_signed_in_admin_sees_the_admin_pages_and_who_is_signed_in(db) -> None:
    at = open_app(token_for(db, "zoe"))
    assert signed_in_line("zoe", ADMIN) in sidebar_text(at)
    [sign_out] = at.sidebar.html
    assert 'action="/api/logout"' in sign_out.value and 'method="post"' in sign_out.value
    assert t("account.sign_out", "en") in sign_out.value

    admin_pages = restricted_to(ADMIN)
    assert ACCOUNT in admin_pages
    for script in admin_pages:
        assert can_open(at, script), f"{script} should be open to an admin"
    with pytest.raises(ValueError):
        at.switch_page(SIGNIN)  # the sign-in page is for visitors who are not signed in

    at.switch_page(ACCOUNT).run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("account.title", "en")
    assert not at.error
    assert t("account.scope.admin", "en") in [element.value for element in at.markdown]


def test_a_manager_sees_their_pages_and_units_but_no_admin_page(db) -> None:
    at = open_app(token_for(db, "mo"), lang="es")
    assert signed_in_line("Mo Díaz", MANAGER, "es") in sidebar_text(at)
    admin_only = [script for script in restricted_to(ADMIN) if script not in restricted_to(MANAGER)]
    for script in admin_only:
        with pytest.raises(ValueError):
            at.switch_page(script)
    at.switch_page(ACCOUNT).run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("account.title", "es")
    markdown = [element.value for element in at.markdown]
    assert t("account.scope.units", "es") in markdown
    assert "- North region" in markdown  # the unit given, not the units below it


def test_a_disabled_user_is_out_at_the_next_rerun(db) -> None:
    at = open_app(token_for(db, "mo"))
    at.switch_page(ACCOUNT).run()
    assert at.title[0].value == t("account.title", "en")
    with transaction(shared_factory(db), write=True) as session:
        disable_user(session, "mo")
    at.run()
    assert not at.exception, at.exception
    assert "Signed in" not in sidebar_text(at)
    with pytest.raises(ValueError):
        at.switch_page(ACCOUNT)


def test_a_revoked_login_is_out_at_the_next_rerun(db) -> None:
    token = token_for(db, "zoe")
    at = open_app(token)
    assert can_open(at, ACCOUNT)
    with transaction(shared_factory(db), write=True) as session:
        revoke(session, token)
    at.run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError):
        at.switch_page(ACCOUNT)
    assert can_open(at, SIGNIN)


# -- the guard at the top of a restricted page ------------------------------------------------


def _admin_only_script() -> None:
    import streamlit as st

    from ui.session_user import require_role

    user = require_role("admin")
    st.write(f"inside as {user.username}")


def run_guarded(token: str | None) -> AppTest:
    at = AppTest.from_function(_admin_only_script, default_timeout=60)
    if token is not None:
        at.session_state[LOGIN_TOKEN_KEY] = token
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_guard_lets_the_right_role_in(db) -> None:
    at = run_guarded(token_for(db, "zoe"))
    assert not at.error
    assert [element.value for element in at.markdown] == ["inside as zoe"]


def test_the_guard_stops_another_role_and_says_why(db) -> None:
    at = run_guarded(token_for(db, "mo"))
    assert [element.value for element in at.error] == [
        t("access.denied", "en", role=t("role.manager", "en"))
    ]
    assert not at.markdown


def test_the_guard_stops_a_visitor_and_asks_them_to_sign_in(db) -> None:
    at = run_guarded(None)
    assert [element.value for element in at.error] == [t("access.signin_needed", "en")]
    assert not at.markdown


def test_signed_out_is_a_role_of_its_own(db) -> None:
    signin = next(spec for spec in PAGES if spec.script == "signin_page.py")
    assert signin.roles == frozenset({SIGNED_OUT})
    assert signin.visible_to(None)
    assert not signin.visible_to(ADMIN) and not signin.visible_to(MANAGER)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sign_in_page_lists_the_demo_sign_ins_only_while_the_demo_is_loaded(
    db, tmp_path, monkeypatch, lang
) -> None:
    from storage.demo import DEMO_SIGN_INS

    at = open_app(lang=lang)
    at.switch_page(SIGNIN).run()
    assert t("signin.demo.title", lang) not in "\n".join(m.value for m in at.markdown)

    demo_url = f"sqlite:///{tmp_path / 'demo.db'}"
    initialize(demo_url, demo=True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, demo_url)
    at = open_app(lang=lang)
    at.switch_page(SIGNIN).run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert t("signin.demo.title", lang) in text
    for sign_in in DEMO_SIGN_INS:
        assert f"**{sign_in.username}** / `{sign_in.password}`" in text
    assert t("signin.demo.everything", lang) in text
