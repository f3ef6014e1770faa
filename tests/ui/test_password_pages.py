"""Changing your own password (the account page) and resetting someone else's (the users page),
under AppTest against a real SQLite database. A test signs in with a real login token in
``st.session_state["login_token"]`` (AppTest cannot send the cookie)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from storage.audit_repo import list_audit_events
from storage.auth_service import create_login_session, user_for_token
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.organization_repo import resolve_organization
from storage.passwords import verify_password
from storage.user_repo import add_user, get_user
from ui.i18n import t
from ui.session_user import LOGIN_TOKEN_KEY

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
NEW = "seven purple kites over the lake"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """River County with the admin ``zoe`` and the manager ``mo``."""
    url = f"sqlite:///{tmp_path / 'passwords.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    initialize(url, admin_user="zoe", admin_password=PASSWORD, organization_name="River County")
    with transaction(shared_factory(url), write=True) as session:
        add_user(session, resolve_organization(session), "mo", PASSWORD, role="manager")
    return url


def token_for(url: str, username: str) -> str:
    with transaction(shared_factory(url), write=True) as session:
        return create_login_session(session, get_user(session, username))


def signed_in(url: str, token: str) -> bool:
    with transaction(shared_factory(url)) as session:
        return user_for_token(session, token) is not None


def stored_hash(url: str, username: str) -> str:
    with transaction(shared_factory(url)) as session:
        return get_user(session, username).password_hash


def open_page(token: str, script: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.session_state[LOGIN_TOKEN_KEY] = token
    at.run()
    at.switch_page(f"ui/{script}").run()
    assert not at.exception, at.exception
    return at


def submit(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def change(at: AppTest, current: str, new: str, again: str) -> AppTest:
    at.text_input(key="account.password.current").input(current)
    at.text_input(key="account.password.new").input(new)
    at.text_input(key="account.password.again").input(again)
    return submit(at, "account.password.submit")


def errors(at: AppTest) -> str:
    return "\n".join(element.value for element in at.error)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_manager_changes_their_password_and_their_other_logins_end(db, lang) -> None:
    here, elsewhere = token_for(db, "mo"), token_for(db, "mo")
    at = open_page(here, "account_page.py", lang)
    assert t("account.password.title", lang) in [h.value for h in at.subheader]
    change(at, PASSWORD, NEW, NEW)
    assert t("account.password.changed", lang) in [s.value for s in at.success]
    assert verify_password(stored_hash(db, "mo"), NEW)
    assert signed_in(db, here) and not signed_in(db, elsewhere)
    with transaction(shared_factory(db)) as session:
        events = list_audit_events(session, resolve_organization(session))
    assert events[0].action == "user.password_changed" and events[0].target == "mo"
    # The fields are emptied: nothing typed stays in the page.
    assert at.text_input(key="account.password.current").value == ""


@pytest.mark.parametrize(
    ("current", "new", "again", "expected"),
    [
        ("not my password at all", NEW, NEW, "current password is not right"),
        (PASSWORD, "aaaaaaaaaaaa", "aaaaaaaaaaaa", "pattern"),
        (PASSWORD, "sunshine2024!", "sunshine2024!", "common"),
        (PASSWORD, "short", "short", "at least 12"),
        (PASSWORD, NEW, NEW + "!", None),
        (PASSWORD, "", "", None),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(db, current, new, again, expected):
    before = stored_hash(db, "mo")
    token = token_for(db, "mo")
    at = change(open_page(token, "account_page.py"), current, new, again)
    shown = errors(at)
    if expected is None:
        assert shown in {t("account.password.mismatch", "en"), t("account.password.missing", "en")}
    else:
        assert expected in shown and "has not changed" in shown
    assert stored_hash(db, "mo") == before
    assert signed_in(db, token)


def test_an_admin_resets_a_managers_password_and_signs_them_out(db) -> None:
    mo = token_for(db, "mo")
    at = open_page(token_for(db, "zoe"), "users_page.py")
    at.selectbox(key="users.reset.user").set_value("mo")
    at.text_input(key="users.reset.password").input("password1234")
    at.text_input(key="users.reset.password2").input("password1234")
    submit(at, "users.reset.submit")
    assert "common" in errors(at)
    assert signed_in(db, mo)

    at.text_input(key="users.reset.password").input(NEW)
    at.text_input(key="users.reset.password2").input(NEW)
    submit(at, "users.reset.submit")
    assert any("mo" in s.value for s in at.success)
    assert verify_password(stored_hash(db, "mo"), NEW)
    assert not signed_in(db, mo)
    with transaction(shared_factory(db)) as session:
        zoe = get_user(session, "zoe")
        [event] = [
            e for e in list_audit_events(session, resolve_organization(session))
            if e.action == "user.password_reset"
        ]
        assert (event.target, event.user_id) == ("mo", zoe.id)


def test_an_admin_lifts_a_sign_in_delay(db) -> None:
    at = open_page(token_for(db, "zoe"), "users_page.py")
    at.selectbox(key="users.access.user").set_value("mo")
    submit(at, "users.access.lift")
    assert any("mo" in s.value for s in at.success)
    with transaction(shared_factory(db)) as session:
        actions = [e.action for e in list_audit_events(session, resolve_organization(session))]
    assert actions[0] == "user.unlock"
