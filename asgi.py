"""tisa's web server: the Streamlit app (``app.py``) with its sign-in routes and security headers.

``tisa serve`` runs ``streamlit run asgi.py``, which finds `app` below and serves it with
Uvicorn (one process; see DESIGN.md section 10 for replicas).

- ``GET /api/login``: a plain HTML sign-in form (``?lang=es`` for Spanish) for admins and
  managers. It needs no JavaScript and sends the password in an ordinary form post, never over
  the Streamlit WebSocket. ``?next=/report-change%3Fround%3D3`` names the page to open once
  signed in: only the address of a page of this app (`ui.navigation.safe_target`), never
  another site.
- ``POST /api/login``: checks the password (`storage.auth_service.sign_in`, in a worker thread;
  Argon2 runs outside any database transaction), stores a login, sets the HttpOnly cookie
  ``tisa_session`` and sends the browser to the ``next`` page, else to ``/`` (the home of
  the person's role). It also sets ``tisa_device``, which marks
  this browser as a usual place of the account, so a stranger's wrong passwords elsewhere
  never slow its owner down here (`storage.signin_limits`). Every refusal (unknown user, wrong
  password, disabled account, too many attempts) is the same page with status 401.
- ``POST /api/logout``: ends the login on the server, clears the cookie, back to ``/``.

Both POST routes refuse a request whose ``Origin`` (or, lacking it, ``Referer``) is another site
than this one: a foreign page must not sign a browser in or out (login CSRF).

The middleware `SecurityHeaders` wraps everything Streamlit serves too:

- a browser without a login cookie that opens a page for signed-in people only
  (``/report-change?round=3``) is sent to the sign-in form, which brings it back there;

- every HTTP response gets `SECURITY_HEADERS` (a Content-Security-Policy that lets the page
  load nothing from another host among them), and ``Strict-Transport-Security`` under HTTPS;
- ``/_stcore/metrics`` answers 404 to everybody (``/_stcore/health`` and
  ``/_stcore/host-config`` stay: health checks and the page itself need them);
- a WebSocket handshake (``/_stcore/stream``) whose ``Origin`` is not this very site, scheme,
  host and port, is refused before Streamlit sees it: another page in the browser, even one
  served from this machine on another port, cannot drive a signed-in session.

Settings (environment):

- ``TISA_SECURE_COOKIES=1``: the site is served over HTTPS (by a proxy in front of tisa): the
  cookies are marked ``Secure`` and every response carries ``Strict-Transport-Security``.
  Without it, HTTPS is recognised when tisa itself serves TLS, or when a trusted proxy says so.
- ``TISA_TRUSTED_PROXIES``: comma-separated addresses of the reverse proxies in front of tisa.
  Only a request coming from one of them has its ``X-Forwarded-For`` (the client's address,
  used for sign-in throttling) and ``X-Forwarded-Proto`` believed; from anyone else these
  headers are ignored. ``tisa serve`` sets Uvicorn's own ``FORWARDED_ALLOW_IPS`` to the same
  list (Uvicorn would otherwise believe them from any program on 127.0.0.1).
"""

from __future__ import annotations

import html
import ipaddress
import logging
import os
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.auth_service import SESSION_LIFETIME, device_place, revoke, sign_in
from storage.engine import database_url, shared_factory, transaction
from storage.errors import SignInRefused
from storage.signin_limits import TRUST_FOR
from ui.i18n import UI_LANGUAGES, t
from ui.navigation import restricted_paths, safe_target
from ui.session_user import (
    DEVICE_COOKIE,
    LOGIN_PATH,
    LOGOUT_PATH,
    NEXT_PARAM,
    SESSION_COOKIE,
    login_url,
)

log = logging.getLogger("tisa.signin")

SECURE_COOKIES_VARIABLE = "TISA_SECURE_COOKIES"
TRUSTED_PROXIES_VARIABLE = "TISA_TRUSTED_PROXIES"

# The inline `window.prerenderReady = false` script of Streamlit 1.67's index.html, allowed by
# its hash so that the browser console stays clean; everything else must come from this host.
_STREAMLIT_INLINE_SCRIPT = "'sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA='"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {_STREAMLIT_INLINE_SCRIPT}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000"  # a year (OWASP's HSTS cheat sheet)
CLOSED_PATHS = ("/_stcore/metrics",)  # Streamlit's own, closed to everybody
USERNAME_MAX = 64
PASSWORD_MAX = 1024


class SecurityHeaders:
    """Pure ASGI middleware around the whole app, Streamlit's own routes included: the security
    headers (HSTS under HTTPS) on every HTTP response (a header a route set itself is kept),
    404 for `CLOSED_PATHS`, and WebSocket handshakes from another origin refused."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if not same_origin_websocket(HTTPConnection(scope)):
                log.warning("WebSocket handshake from another origin refused")
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        extra = dict(SECURITY_HEADERS)
        if is_https(connection):
            extra["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        path = "/" + "/".join(part for part in scope.get("path", "").split("/") if part)
        if any(path == closed or path.endswith(closed) for closed in CLOSED_PATHS):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send_with_headers)
            return
        to_signin = signin_first(connection, path)
        if to_signin is not None:
            await RedirectResponse(to_signin, status_code=303)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def signin_first(connection: HTTPConnection, path: str) -> str | None:
    """Where to send a browser without a login that opens a page for signed-in people only
    (``/report-change?round=3``): the sign-in form, which brings it back there afterwards.
    None for every other request (a browser with a login cookie, whether still valid or not,
    is left to the app, which says what is wrong)."""
    if connection.scope.get("method") != "GET" or path not in restricted_paths():
        return None
    if connection.cookies.get(SESSION_COOKIE):
        return None
    query = [(k, v) for k, v in connection.query_params.multi_items() if k != "lang"]
    target = safe_target(f"{path}?{urlencode(query)}" if query else path)
    return login_url(_language(connection.query_params.get("lang")), target)


# -- routes ----------------------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    return _form_page(_language(request.query_params.get("lang")),
                      target=safe_target(request.query_params.get(NEXT_PARAM)))


async def login_submit(request: Request) -> Response:
    form = await request.form()
    lang = _language(_text(form.get("lang")))
    target = safe_target(_text(form.get(NEXT_PARAM)))
    if not _same_origin(request):
        return _form_page(lang, t("login.cross_origin", lang), status_code=403)
    username = _text(form.get("username"))[:USERNAME_MAX]
    password = _text(form.get("password"))
    if not username.strip() or not password:
        return _form_page(lang, t("login.missing", lang), status_code=401, target=target)
    if len(password) > PASSWORD_MAX:
        return _form_page(lang, t("login.refused", lang), status_code=401, target=target)
    place = device_place(client_address(request), request.cookies.get(DEVICE_COOKIE))
    previous = request.cookies.get(SESSION_COOKIE)
    try:
        done = await run_in_threadpool(
            sign_in,
            shared_factory(database_url()),
            username,
            password,
            place,
            device_token=request.cookies.get(DEVICE_COOKIE),
            previous_token=previous,
        )
    except SignInRefused:
        # One page for an unknown user, a wrong password, a disabled account and too many
        # attempts; it does not even repeat the username, so no two answers differ.
        return _form_page(lang, t("login.refused", lang), status_code=401, target=target)
    except sa.exc.DBAPIError:
        log.exception("sign-in failed: the database cannot be used")
        return _form_page(lang, t("login.unavailable", lang), status_code=503, target=target)
    secure = is_https(request)
    response = RedirectResponse(_landing(lang, target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        done.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    response.set_cookie(
        DEVICE_COOKIE,
        done.device_token,
        max_age=int(TRUST_FOR.total_seconds()),
        path=LOGIN_PATH,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    return response


async def logout_submit(request: Request) -> Response:
    form = await request.form()
    lang = _language(_text(form.get("lang")))
    if not _same_origin(request):
        return _form_page(lang, t("login.cross_origin", lang), status_code=403)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            await run_in_threadpool(_sign_out, token)
        except sa.exc.DBAPIError:
            log.exception("sign-out failed: the database cannot be used")
            return _form_page(lang, t("login.unavailable", lang), status_code=503)
    response = RedirectResponse(_home(lang), status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )
    return response


def _sign_out(token: str) -> None:
    with transaction(shared_factory(database_url()), write=True) as session:
        revoke(session, token)


# -- where a request comes from --------------------------------------------------------------


def secure_cookies_required() -> bool:
    """Whether ``TISA_SECURE_COOKIES`` says the site is served over HTTPS."""
    return os.environ.get(SECURE_COOKIES_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The networks of ``TISA_TRUSTED_PROXIES`` (an address is a network of one)."""
    networks = []
    for item in os.environ.get(TRUSTED_PROXIES_VARIABLE, "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            log.warning("%s: %r is not an address or a network; ignored",
                        TRUSTED_PROXIES_VARIABLE, item)
    return networks


def _from_trusted_proxy(connection: HTTPConnection) -> bool:
    peer = connection.client.host if connection.client else ""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in trusted_proxies())


def client_address(connection: HTTPConnection) -> str:
    """The client's address: the peer of the connection, or, when the peer is a trusted proxy,
    the last address in ``X-Forwarded-For`` that is not itself a trusted proxy."""
    peer = connection.client.host if connection.client else "unknown"
    if not _from_trusted_proxy(connection):
        return peer
    proxies = trusted_proxies()
    forwarded = [
        part.strip()
        for part in ",".join(connection.headers.getlist("x-forwarded-for")).split(",")
        if part.strip()
    ]
    for candidate in reversed(forwarded):
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            return candidate[:64]
        if not any(address in network for network in proxies):
            return str(address)
    return peer


def is_https(connection: HTTPConnection) -> bool:
    """Whether the browser talks HTTPS to us: ``TISA_SECURE_COOKIES``, TLS served by tisa
    itself, or a trusted proxy's ``X-Forwarded-Proto: https``."""
    if secure_cookies_required() or connection.url.scheme in {"https", "wss"}:
        return True
    if not _from_trusted_proxy(connection):
        return False
    forwarded = connection.headers.get("x-forwarded-proto", "").split(",")[0]
    return forwarded.strip().lower() == "https"


def same_origin_websocket(connection: HTTPConnection) -> bool:
    """Whether a WebSocket handshake comes from a page of this very site: its ``Origin`` has
    this host and port, and the scheme that goes with ours (http for ws, https for wss).
    A handshake without Origin is no browser's (browsers always send one) and carries no
    browser's cookies, so it is let through."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    host = connection.headers.get("host", "")
    if not host or parts.netloc.lower() != host.lower():
        return False
    expected = "https" if is_https(connection) else "http"
    if parts.scheme == expected:
        return True
    # Behind a proxy that is not named as trusted, the scheme cannot be known: http or https
    # of this same host and port are both this site.
    return parts.scheme in {"http", "https"} and not secure_cookies_required()


# -- helpers ---------------------------------------------------------------------------------


def _same_origin(request: Request) -> bool:
    """Whether a POST comes from a page of this site, by its Origin header (or, lacking one,
    its Referer). Browsers send Origin with every cross-site POST; a request with neither
    header is not a browser acting for another site."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(source).netloc.lower() == host.lower()


def _language(value: str | None) -> str:
    return value if value in UI_LANGUAGES else "en"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _home(lang: str) -> str:
    return "/" if lang == "en" else f"/?lang={lang}"


def _landing(lang: str, target: str | None) -> str:
    """Where a browser goes once signed in: the page it asked for (`safe_target` checked it),
    in the language of the form, or else its home."""
    if target is None:
        return _home(lang)
    if lang == "en" or "lang=" in urlsplit(target).query:
        return target
    return f"{target}{'&' if '?' in target else '?'}lang={lang}"


def _form_page(lang: str, message: str | None = None, *, status_code: int = 200,
               target: str | None = None) -> HTMLResponse:
    """The sign-in form in `lang`, with `message` (what went wrong) above it when given; with
    `target` (a checked page address), signing in leads there."""

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    other = next(code for code in UI_LANGUAGES if code != lang)
    other_href = login_url(other, target)
    next_field = (f'<input type="hidden" name="{NEXT_PARAM}" value="{e(target)}">\n'
                  if target else "")
    alert = ""
    described_by = ""
    if message:
        alert = f'<p id="problem" class="problem" role="alert">{e(message)}</p>'
        described_by = ' aria-describedby="problem"'
    body = f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{e(t("login.title", lang))} · tisa</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1f2328; }}
  main {{ max-width: 26rem; margin: 3rem auto; padding: 2rem; background: #fff;
         border: 1px solid #d0d7de; border-radius: 0.75rem; }}
  h1 {{ font-size: 1.5rem; margin-top: 0; }}
  label {{ display: block; font-weight: 600; margin-top: 1rem; }}
  input {{ box-sizing: border-box; width: 100%; font: inherit; padding: 0.55rem;
          margin-top: 0.3rem; border: 1px solid #6e7781; border-radius: 0.4rem; }}
  input:focus, button:focus, a:focus {{ outline: 3px solid #0969da; outline-offset: 2px; }}
  button {{ margin-top: 1.5rem; font: inherit; font-weight: 600; padding: 0.6rem 1.2rem;
           color: #fff; background: #0b5cad; border: 0; border-radius: 0.4rem; cursor: pointer; }}
  .problem {{ padding: 0.75rem; border-radius: 0.4rem; background: #fff0f0;
             border: 1px solid #cf222e; color: #82071e; }}
  nav {{ margin-top: 1.5rem; display: flex; justify-content: space-between; }}
  a {{ color: #0b5cad; }}
</style>
</head>
<body>
<main>
<h1>{e(t("login.title", lang))}</h1>
<p>{e(t("login.lead", lang))}</p>
{alert}
<form method="post" action="{LOGIN_PATH}">
<input type="hidden" name="lang" value="{lang}">
{next_field}<label for="username">{e(t("login.username", lang))}</label>
<input id="username" name="username" type="text" required
       maxlength="{USERNAME_MAX}" autocomplete="username" autocapitalize="none"
       spellcheck="false"{described_by} autofocus>
<label for="password">{e(t("login.password", lang))}</label>
<input id="password" name="password" type="password" required maxlength="{PASSWORD_MAX}"
       autocomplete="current-password"{described_by}>
<button type="submit">{e(t("login.submit", lang))}</button>
</form>
<nav>
<a href="{_home(lang)}">{e(t("login.back", lang))}</a>
<a href="{e(other_href)}" lang="{other}" hreflang="{other}">{e(UI_LANGUAGES[other])}</a>
</nav>
</main>
</body>
</html>
"""
    return HTMLResponse(body, status_code=status_code, headers={"Cache-Control": "no-store"})


app = st.App(
    Path(__file__).resolve().with_name("app.py"),
    routes=[
        Route(LOGIN_PATH, login_form, methods=["GET"]),
        Route(LOGIN_PATH, login_submit, methods=["POST"]),
        Route(LOGOUT_PATH, logout_submit, methods=["POST"]),
    ],
    middleware=[Middleware(SecurityHeaders)],
)
