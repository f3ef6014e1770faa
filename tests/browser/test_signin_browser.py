"""Signing in and out for real: `streamlit run asgi.py`, the HTML form, the HttpOnly cookie.

AppTest cannot send cookies and TestClient runs no Streamlit session, so this is where the whole
path is seen working: the form sets the cookie, the Streamlit session reads it (a reload and a
deep link stay signed in), and signing out ends the login on the server.

The server here runs ``asgi.py`` (what ``tisa serve`` runs), not ``app.py``, on a database with
the admin ``zoe``. `test_the_server_answers_with_security_headers` needs no browser.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from storage.bootstrap import initialize

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
START_SECONDS = 60
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def asgi_server(tmp_path_factory: pytest.TempPathFactory, start_tisa) -> Iterator[str]:
    """The base URL of `streamlit run asgi.py` on a fresh database with the admin ``zoe``."""
    tmp = tmp_path_factory.mktemp("asgi")
    url = f"sqlite:///{tmp / 'tisa.db'}"
    initialize(url, admin_user="zoe", admin_password=PASSWORD, organization_name="River County")
    with start_tisa("asgi.py", url, tmp / "streamlit.log") as base:
        yield base


def test_the_server_answers_with_security_headers(asgi_server) -> None:
    status, _, body = _get(f"{asgi_server}/_stcore/health")
    assert (status, body) == (200, "ok")
    status, headers, body = _get(f"{asgi_server}/")
    assert status == 200 and "<div id=\"root\">" in body
    headers = {name.lower(): value for name, value in headers.items()}
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    status, _, body = _get(f"{asgi_server}/api/login?lang=es")
    assert status == 200 and '<html lang="es">' in body
    assert _get(f"{asgi_server}/_stcore/metrics")[0] == 404


def test_the_real_server_refuses_a_websocket_from_another_local_origin(asgi_server) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    stream = asgi_server.replace("http://", "ws://") + "/_stcore/stream"
    port = urlparse(asgi_server).port
    with pytest.raises(InvalidStatus) as refused:
        connect(stream, origin=f"http://localhost:{port + 1}", open_timeout=10)
    assert refused.value.response.status_code == 403
    with connect(stream, origin=asgi_server, open_timeout=10) as socket:  # this site: let in
        assert socket.protocol.state.name == "OPEN"


@pytest.mark.browser
def test_sign_in_stays_through_a_reload_and_sign_out_ends_it(asgi_server, page) -> None:
    from playwright.sync_api import expect

    from ui.i18n import t

    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))

    page.goto(f"{asgi_server}/signin?lang=es")
    page.get_by_role("link", name=t("signin.go", "es")).click()
    page.get_by_label(t("login.username", "es")).fill("zoe")
    page.get_by_label(t("login.password", "es")).fill("not the password")
    page.get_by_role("button", name=t("login.submit", "es")).click()
    expect(page.get_by_role("alert")).to_have_text(t("login.refused", "es"))

    # The refusal repeats nothing typed (not even the username, so that a real and a made-up
    # name get the same page): both are typed again.
    expect(page.get_by_label(t("login.username", "es"))).to_have_value("")
    page.get_by_label(t("login.username", "es")).fill("zoe")
    page.get_by_label(t("login.password", "es")).fill(PASSWORD)
    page.get_by_role("button", name=t("login.submit", "es")).click()
    expect(page.get_by_text("Sesión iniciada como")).to_be_visible()
    [cookie] = [c for c in page.context.cookies() if c["name"] == "tisa_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    # A deep link and a reload are new Streamlit sessions: the cookie keeps them signed in.
    page.goto(f"{asgi_server}/account")
    expect(page.get_by_role("heading", name=t("account.title", "en"))).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name=t("account.title", "en"))).to_be_visible()

    page.get_by_role("button", name=t("account.sign_out", "en")).click()
    expect(page.get_by_role("link", name=t("page.signin", "en"))).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "tisa_session"]
    page.goto(f"{asgi_server}/account")  # for signed-in people: the sign-in form instead
    expect(page.get_by_label(t("login.username", "en"))).to_be_visible()
    expect(page.get_by_role("heading", name=t("account.title", "en"))).to_have_count(0)

    outside = [
        url for url in requested
        if urlparse(url).scheme not in {"data", "blob", "about"}
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]
    assert outside == []
