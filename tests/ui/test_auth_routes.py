"""The sign-in routes of ``asgi.py`` through Starlette's TestClient, against a real SQLite file.

The client talks to `asgi.app` in-process (no server, no Streamlit runtime: the routes need
neither). What the routes did is checked in the database through the storage services; the
words expected on the page come from ``ui.i18n``.
"""

from __future__ import annotations

import html
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

import asgi
from storage.auth_service import MAX_FAILED_ATTEMPTS, token_hash, user_for_token
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE, shared_factory, transaction
from storage.models import LoginSession, utc_now
from storage.user_repo import get_user
from ui.i18n import t, tn

PASSWORD = "correct horse battery staple"
BASE = "http://testserver"
SAME_ORIGIN = {"origin": BASE}


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """A fresh SQLite database with the admin ``zoe``, named by TISA_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'routes.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    initialize(url, admin_user="zoe", admin_password=PASSWORD, organization_name="River County")
    return url


@pytest.fixture
def client(db) -> TestClient:
    # Not used as a context manager: that would start the Streamlit runtime, which the routes
    # do not need.
    return TestClient(asgi.app, base_url=BASE)


def sign_in(client: TestClient, password: str = PASSWORD, **form: str):
    data = {"username": "zoe", "password": password, **form}
    return client.post("/api/login", data=data, headers=SAME_ORIGIN, follow_redirects=False)


def logins(url: str) -> list[LoginSession]:
    with transaction(shared_factory(url)) as session:
        return list(session.scalars(sa.select(LoginSession).order_by(LoginSession.id)))


def cookie_attributes(set_cookie: str) -> dict[str, str]:
    """``name=value; HttpOnly; Path=/`` → {"tisa_session": value, "httponly": "", "path": "/"}."""
    first, *rest = [part.strip() for part in set_cookie.split(";")]
    name, _, value = first.partition("=")
    attributes = {name: value}
    for part in rest:
        key, _, val = part.partition("=")
        attributes[key.lower()] = val
    return attributes


def alert(page: str) -> str:
    """The text of the form's alert (what went wrong)."""
    start = page.index('role="alert">') + len('role="alert">')
    return html.unescape(page[start : page.index("</p>", start)])


# -- the form --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_form_is_plain_accessible_html_in_the_chosen_language(client, lang) -> None:
    response = client.get("/api/login" if lang == "en" else "/api/login?lang=es")
    assert response.status_code == 200
    page = response.text
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{html.escape(t('login.title', lang))}</h1>" in page
    for field, key, autocomplete in [
        ("username", "login.username", "username"),
        ("password", "login.password", "current-password"),
    ]:
        assert f'<label for="{field}">{html.escape(t(key, lang))}</label>' in page
        assert f'id="{field}" name="{field}"' in page
        assert f'autocomplete="{autocomplete}"' in page
    assert f'<input type="hidden" name="lang" value="{lang}">' in page
    assert html.escape(t("login.lead", lang)) in page
    assert "<script" not in page
    assert response.headers["cache-control"] == "no-store"


def test_an_unknown_language_falls_back_to_english(client) -> None:
    assert '<html lang="en">' in client.get("/api/login?lang=xx").text


def test_every_response_carries_the_security_headers(client) -> None:
    for response in (client.get("/api/login"), sign_in(client, "wrong password, surely")):
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "form-action 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"


# -- signing in ------------------------------------------------------------------------------


def test_signing_in_sets_an_httponly_lax_cookie_and_goes_home(client, db) -> None:
    response = sign_in(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = cookie_attributes(response.headers["set-cookie"])
    token = cookie["tisa_session"]
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) == 12 * 3600
    assert "secure" not in cookie  # plain http: a Secure cookie would never come back

    [login] = logins(db)
    assert login.token_hash == token_hash(token) != token
    assert login.revoked_at is None
    with transaction(shared_factory(db)) as session:
        user = user_for_token(session, token)
    assert user is not None and user.username == "zoe"


def test_under_https_the_cookie_is_secure(db) -> None:
    client = TestClient(asgi.app, base_url="https://testserver")
    response = client.post(
        "/api/login",
        data={"username": "zoe", "password": PASSWORD},
        headers={"origin": "https://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "secure" in cookie_attributes(response.headers["set-cookie"])


def test_behind_a_tls_proxy_the_cookie_is_secure(client) -> None:
    response = client.post(
        "/api/login",
        data={"username": "zoe", "password": PASSWORD},
        headers={"origin": BASE, "x-forwarded-proto": "https"},
        follow_redirects=False,
    )
    assert "secure" in cookie_attributes(response.headers["set-cookie"])


def test_signing_in_in_spanish_goes_home_in_spanish(client) -> None:
    response = sign_in(client, lang="es")
    assert response.headers["location"] == "/?lang=es"


def test_signing_in_again_ends_the_previous_login(client, db) -> None:
    sign_in(client)
    sign_in(client)  # the client sends the first cookie along
    first, second = logins(db)
    assert first.revoked_at is not None
    assert second.revoked_at is None


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["zoe", "nobody"])
def test_a_wrong_password_or_unknown_user_shows_the_form_again_with_401(
    client, db, username
) -> None:
    response = client.post(
        "/api/login",
        data={"username": username, "password": "not the password at all"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert alert(response.text) == t("login.refused", "en")
    assert f'value="{username}"' in response.text  # the username is kept, the password not
    assert "not the password at all" not in response.text
    assert logins(db) == []


def test_a_refusal_is_told_in_spanish(client) -> None:
    response = sign_in(client, "no es la contraseña", lang="es")
    assert alert(response.text) == t("login.refused", "es")
    assert '<html lang="es">' in response.text


def test_an_empty_field_is_named_as_the_problem(client) -> None:
    response = sign_in(client, "")
    assert response.status_code == 401
    assert alert(response.text) == t("login.missing", "en")


def test_failed_attempts_are_counted_and_lock_the_account(client, db) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        assert alert(sign_in(client, "wrong password, surely").text) == t("login.refused", "en")
    with transaction(shared_factory(db)) as session:
        assert get_user(session, "zoe").failed_attempts == MAX_FAILED_ATTEMPTS - 1

    locked = sign_in(client, "wrong password, surely")
    assert locked.status_code == 401
    assert alert(locked.text) == tn("login.locked", 15, "en")
    # Now even the right password is refused, saying how long the lock lasts.
    right = sign_in(client)
    assert right.status_code == 401
    assert "set-cookie" not in right.headers
    assert alert(right.text) in {tn("login.locked", n, "en") for n in (14, 15)}
    with transaction(shared_factory(db)) as session:
        assert get_user(session, "zoe").locked_until > utc_now()


@pytest.mark.parametrize(
    "headers",
    [{"origin": "http://evil.example"}, {"referer": "http://evil.example/page"},
     {"origin": "null"}],
    ids=["origin", "referer", "opaque origin"],
)
def test_a_sign_in_posted_from_another_site_is_refused(client, db, headers) -> None:
    response = client.post(
        "/api/login",
        data={"username": "zoe", "password": PASSWORD},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert alert(response.text) == t("login.cross_origin", "en")
    assert logins(db) == []
    with transaction(shared_factory(db)) as session:
        assert get_user(session, "zoe").failed_attempts == 0


# -- signing out -----------------------------------------------------------------------------


def test_signing_out_revokes_the_login_and_clears_the_cookie(client, db) -> None:
    token = cookie_attributes(sign_in(client).headers["set-cookie"])["tisa_session"]
    response = client.post("/api/logout", data={"lang": "es"}, headers=SAME_ORIGIN,
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?lang=es"
    cleared = cookie_attributes(response.headers["set-cookie"])
    assert cleared["tisa_session"] in {"", '""'}
    assert "httponly" in cleared and cleared["path"] == "/"
    assert int(cleared.get("max-age", "0")) <= 0 or (
        parsedate_to_datetime(cleared["expires"]) < utc_now()
    )
    [login] = logins(db)
    assert login.revoked_at is not None
    with transaction(shared_factory(db)) as session:
        assert user_for_token(session, token) is None


def test_signing_out_without_a_login_is_harmless(client) -> None:
    response = client.post("/api/logout", headers=SAME_ORIGIN, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_a_sign_out_posted_from_another_site_is_refused(client, db) -> None:
    sign_in(client)
    response = client.post(
        "/api/logout", headers={"origin": "http://evil.example"}, follow_redirects=False
    )
    assert response.status_code == 403
    [login] = logins(db)
    assert login.revoked_at is None
