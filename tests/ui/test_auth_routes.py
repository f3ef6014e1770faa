"""The sign-in routes and the middleware of ``asgi.py`` through Starlette's TestClient, against a
real SQLite file.

The client talks to `asgi.app` in-process (no server, no Streamlit runtime: the routes need
neither). What the routes did is checked in the database through the storage services; the
words expected on the page come from ``ui.i18n``. The attacks: a flood of made-up sign-ins
while staff save their answers, telling real usernames from made-up ones, a stranger keeping
the owner out, Streamlit's metrics, and a WebSocket opened from another origin.
"""

from __future__ import annotations

import html
import threading
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

import asgi
from storage.auth_service import token_hash, user_for_token
from storage.bootstrap import initialize
from storage.engine import (
    DATABASE_URL_VARIABLE,
    make_engine,
    session_factory,
    shared_factory,
    transaction,
)
from storage.instrument_repo import get_instrument_version
from storage.models import LoginSession, utc_now
from storage.organization_repo import add_unit, get_organization
from storage.round_service import UnitInvitation, create_round, issue_codes, open_round
from storage.signin_limits import PAIR
from storage.survey_service import DraftUpdate, save_draft, submit_response
from storage.user_repo import get_user
from ui.i18n import t

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


def client_from(address: str, base_url: str = BASE) -> TestClient:
    """A browser at `address` (its own cookies)."""
    return TestClient(asgi.app, base_url=base_url, client=(address, 50000))


def sign_in(client: TestClient, password: str = PASSWORD, username: str = "zoe", **form: str):
    data = {"username": username, "password": password, **form}
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


def session_cookie(response) -> dict[str, str]:
    """The attributes of the ``tisa_session`` cookie a response sets."""
    [cookie] = [
        cookie_attributes(value)
        for value in response.headers.get_list("set-cookie")
        if value.startswith("tisa_session=")
    ]
    return cookie


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
    cookie = session_cookie(response)
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
    assert "secure" in session_cookie(response)


def test_a_forwarded_https_header_from_anyone_is_not_believed(client) -> None:
    response = client.post(
        "/api/login",
        data={"username": "zoe", "password": PASSWORD},
        headers={"origin": BASE, "x-forwarded-proto": "https"},
        follow_redirects=False,
    )
    assert "secure" not in session_cookie(response)
    assert "strict-transport-security" not in response.headers


def test_behind_a_trusted_tls_proxy_the_cookie_is_secure_with_hsts(db, monkeypatch) -> None:
    monkeypatch.setenv("TISA_TRUSTED_PROXIES", "10.9.0.0/24")
    proxy = client_from("10.9.0.2")
    response = proxy.post(
        "/api/login",
        data={"username": "zoe", "password": PASSWORD},
        headers={"origin": BASE, "x-forwarded-proto": "https", "x-forwarded-for": "192.0.2.7"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookies = [cookie_attributes(value) for value in response.headers.get_list("set-cookie")]
    assert all("secure" in cookie and "httponly" in cookie for cookie in cookies)
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_tisa_secure_cookies_marks_every_cookie_secure_and_adds_hsts(client, monkeypatch) -> None:
    monkeypatch.setenv("TISA_SECURE_COOKIES", "1")
    assert client.get("/api/login").headers["strict-transport-security"] == "max-age=31536000"
    response = sign_in(client)
    cookies = [cookie_attributes(value) for value in response.headers.get_list("set-cookie")]
    assert {next(iter(cookie)) for cookie in cookies} == {"tisa_session", "tisa_device"}
    for cookie in cookies:
        assert "secure" in cookie and "httponly" in cookie
        assert cookie["samesite"].lower() in {"lax", "strict"}


def test_signing_in_in_spanish_goes_home_in_spanish(client) -> None:
    response = sign_in(client, lang="es")
    assert response.headers["location"] == "/?lang=es"


def test_signing_in_again_ends_the_previous_login(client, db) -> None:
    sign_in(client)
    sign_in(client)  # the client sends the first cookie along
    # The first login is ended and, being over, purged; the second is the one left.
    [second] = logins(db)
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
    token = session_cookie(sign_in(client))["tisa_session"]
    response = client.post("/api/logout", data={"lang": "es"}, headers=SAME_ORIGIN,
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?lang=es"
    cleared = session_cookie(response)
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


# -- attacks on signing in -------------------------------------------------------------------

MADE_UP_FLOOD = 24


def open_code(url: str) -> str:
    """A unit and an open round of ti-staff 1.1.0 in the database at `url`; one access code."""
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            organization = get_organization(session, "river-county")
            unit = add_unit(session, organization, "North office")
            round_ = create_round(
                session,
                organization,
                name="Spring",
                instrument_version=get_instrument_version(session, "ti-staff", "1.1.0"),
                invitations=[UnitInvitation(unit, 20)],
                opens_on=date.today(),
                closes_on=date.today() + timedelta(days=30),
            )
            open_round(session, round_)
            [code] = issue_codes(session, round_, round_.units[0], 1)
        return code
    finally:
        engine.dispose()


def test_a_flood_of_made_up_sign_ins_never_stops_a_survey_from_saving(db) -> None:
    """24 browsers keep signing in as made-up users while a respondent saves and submits from
    another connection to the same SQLite file (as another tisa process would): checking
    passwords holds no database lock, so the respondent's writes go through."""
    code = open_code(db)
    client_from("198.18.255.1").get("/api/login")  # the app is built once, before the flood
    stop = threading.Event()
    started = threading.Barrier(MADE_UP_FLOOD + 1, timeout=120)
    answers: list[int] = []
    problems: list[BaseException] = []

    def made_up(n: int) -> None:
        try:
            browser = client_from(f"198.18.{n}.1")
            started.wait()
            for _ in range(50):  # bounded, whatever happens to the respondent
                if stop.is_set():
                    break
                response = sign_in(browser, "a made-up password", username=f"nobody{n}")
                answers.append(response.status_code)
        except BaseException as problem:  # noqa: BLE001 - reported by the test below
            problems.append(problem)
            started.abort()

    flood = [threading.Thread(target=made_up, args=(n,)) for n in range(MADE_UP_FLOOD)]
    for thread in flood:
        thread.start()
    survey = make_engine(db)  # a connection pool of its own: another process's writer
    try:
        started.wait()
        factory = session_factory(survey)
        update = DraftUpdate(
            answers={"SAF-01": 4}, comments={}, role=None, language="en", current_page=1,
            added_seconds=30,
        )
        for _ in range(3):
            with transaction(factory, write=True) as session:
                save_draft(session, code, update)
        with transaction(factory, write=True) as session:
            submit_response(session, code, update)
    finally:
        stop.set()
        for thread in flood:
            thread.join(timeout=300)
        survey.dispose()
    assert problems == []
    assert answers and set(answers) == {401}


@pytest.mark.parametrize("throttled", [False, True], ids=["fresh", "throttled"])
def test_a_real_and_a_made_up_username_get_byte_identical_answers(db, throttled) -> None:
    """Status and body are the same for `zoe` and for a name nobody has, whether or not the
    attempts already have to wait."""
    pages = {}
    for name in ("zoe", "nobody"):
        browser = client_from(f"192.0.2.{len(pages) + 10}")
        tries = PAIR.free + 1 if throttled else 1
        for _ in range(tries):
            response = sign_in(browser, "wrong password, surely", username=name)
        pages[name] = (response.status_code, response.text, "set-cookie" in response.headers)
    assert pages["zoe"] == pages["nobody"]
    status, text, sets_cookie = pages["zoe"]
    assert status == 401 and not sets_cookie
    assert alert(text) == t("login.refused", "en")


def test_a_stranger_flooding_wrong_passwords_never_locks_the_owner_out(db) -> None:
    owner = client_from("10.20.30.40")
    assert sign_in(owner).status_code == 303  # her usual place
    stranger = client_from("203.0.113.66")
    for _ in range(3 * PAIR.free):
        assert sign_in(stranger, "wrong password, surely").status_code == 401
    # Even the right password waits at the stranger's place, with the same refusal…
    assert alert(sign_in(stranger).text) == t("login.refused", "en")
    # …but the owner signs in from her usual place, and from a new place too.
    assert sign_in(owner).status_code == 303
    assert sign_in(client_from("10.20.30.99")).status_code == 303
    with transaction(shared_factory(db)) as session:
        assert get_user(session, "zoe").active


# -- Streamlit's own routes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/_stcore/metrics", "/_stcore/metrics?families=x", "/_stcore/metrics/", "/_stcore//metrics"],
)
def test_streamlit_metrics_are_closed_to_everybody(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://localhost:9999", "http://testserver:8502", "null",
     "https://testserver.evil.example"],
)
def test_a_websocket_from_another_origin_is_refused(client, origin) -> None:
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/_stcore/stream", headers={"origin": origin}):
            pass
    assert refused.value.code == 1008


def test_health_checks_stay_open_and_metrics_stay_closed(client) -> None:
    assert (client.get("/_stcore/health").status_code, client.get("/_stcore/health").text) == (
        200, "ok"
    )
    assert client.get("/_stcore/host-config").status_code == 200
    assert client.get("/_stcore/metrics").status_code == 404


async def _accepting_app(scope, receive, send) -> None:
    """Stands for Streamlit's WebSocket endpoint: accepts, then closes normally."""
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": 1000})


@pytest.mark.parametrize(
    ("origin", "secure", "accepted"),
    [
        (None, False, True),  # no browser: carries no browser's cookies
        ("http://testserver", False, True),
        ("https://testserver", False, True),  # behind a proxy not named as trusted
        ("http://testserver", True, False),  # TISA_SECURE_COOKIES: only https is this site
        ("https://testserver", True, True),
        ("http://testserver:9999", False, False),
        ("http://localhost:8501", False, False),
    ],
)
def test_the_middleware_lets_only_this_sites_websockets_through(
    monkeypatch, origin, secure, accepted
) -> None:
    if secure:
        monkeypatch.setenv("TISA_SECURE_COOKIES", "1")
    guarded = TestClient(asgi.SecurityHeaders(_accepting_app))
    headers = {"origin": origin} if origin else {}
    if accepted:
        with guarded.websocket_connect("/_stcore/stream", headers=headers) as socket:
            assert socket is not None
    else:
        with pytest.raises(WebSocketDisconnect) as refused:
            with guarded.websocket_connect("/_stcore/stream", headers=headers):
                pass
        assert refused.value.code == 1008


@pytest.mark.parametrize(
    "setting",
    ["TISA_SECURE_COOKIES", "TISA_TRUSTED_PROXIES", "TISA_IDLE_MINUTES", "TISA_PASSWORD_CHECKS"],
)
def test_every_sign_in_setting_is_documented_in_the_readme(setting) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"| `{setting}` |" in readme
