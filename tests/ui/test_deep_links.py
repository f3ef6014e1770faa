"""Deep links through sign-in, at the HTTP level of ``asgi.py`` (Starlette's TestClient, a real
SQLite file): a browser without a login opening a page for signed-in people is sent to the
sign-in form, which carries the page's address and, once the password is right, sends the
browser there and nowhere else."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

import asgi
from storage.bootstrap import initialize
from storage.engine import DATABASE_URL_VARIABLE

PASSWORD = "correct horse battery staple"
BASE = "http://testserver"


@pytest.fixture
def client(tmp_path, monkeypatch) -> TestClient:
    url = f"sqlite:///{tmp_path / 'links.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    initialize(url, admin_user="zoe", admin_password=PASSWORD, organization_name="River County")
    return TestClient(asgi.app, base_url=BASE)


def sign_in(client: TestClient, **form: str):
    data = {"username": "zoe", "password": PASSWORD, **form}
    return client.post("/api/login", data=data, headers={"origin": BASE},
                       follow_redirects=False)


def test_a_report_link_opened_signed_out_goes_to_sign_in_with_the_page(client):
    answer = client.get("/report-change?round=3", follow_redirects=False)
    assert answer.status_code == 303
    where = urlsplit(answer.headers["location"])
    assert where.path == "/api/login"
    assert parse_qs(where.query) == {"next": ["/report-change?round=3"]}


def test_the_language_of_the_link_is_kept(client):
    answer = client.get("/rounds?lang=es", follow_redirects=False)
    where = urlsplit(answer.headers["location"])
    assert parse_qs(where.query) == {"lang": ["es"], "next": ["/rounds"]}


@pytest.mark.parametrize("path", ["/survey?code=ABCD", "/", "/library", "/results",
                                  "/no-such-page"])
def test_public_pages_and_unknown_addresses_are_served_as_they_are(client, path):
    assert client.get(path, follow_redirects=False).status_code == 200


def test_a_browser_with_a_login_cookie_is_left_to_the_app(client):
    client.cookies.set("tisa_session", "whatever")
    assert client.get("/report-change?round=3", follow_redirects=False).status_code == 200


def test_the_form_carries_the_page_and_signing_in_opens_it(client):
    form = client.get("/api/login?next=%2Freport-change%3Fround%3D3")
    assert 'name="next" value="/report-change?round=3"' in form.text
    answer = sign_in(client, next="/report-change?round=3")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/report-change?round=3"


def test_in_spanish_the_page_opens_in_spanish(client):
    answer = sign_in(client, next="/report-change?round=3", lang="es")
    assert answer.headers["location"] == "/report-change?round=3&lang=es"


def test_a_wrong_password_keeps_the_page_for_the_next_try(client):
    answer = sign_in(client, password="wrong", next="/rounds")
    assert answer.status_code == 401
    assert 'name="next" value="/rounds"' in answer.text


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "/unknown",
     'x" autofocus onfocus="alert(1)', "/rounds#x"],
)
def test_signing_in_never_leads_to_another_site(client, target):
    form = client.get("/api/login", params={"next": target})
    assert 'name="next"' not in form.text
    answer = sign_in(client, next=target)
    assert answer.headers["location"] == "/"


def test_the_language_switch_of_the_form_keeps_the_page(client):
    form = client.get("/api/login", params={"next": "/rounds"})
    assert 'href="/api/login?lang=es&amp;next=%2Frounds"' in form.text
