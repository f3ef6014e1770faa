"""tisa's web server: the Streamlit app (``app.py``) with its sign-in routes and security headers.

``tisa serve`` runs ``streamlit run asgi.py``, which finds `app` below and serves it with
Uvicorn (one process; see DESIGN.md section 10 for replicas).

- ``GET /api/login``: a plain HTML sign-in form (``?lang=es`` for Spanish) for admins and
  managers. It needs no JavaScript and sends the password in an ordinary form post, never over
  the Streamlit WebSocket.
- ``POST /api/login``: checks the password (`storage.auth_service.authenticate`, in a worker
  thread: Argon2 takes a tenth of a second), stores a login, sets the HttpOnly cookie
  ``tisa_session`` and sends the browser to ``/``. A refusal shows the form again with what was
  wrong, with status 401.
- ``POST /api/logout``: ends the login on the server, clears the cookie, back to ``/``.

Both POST routes refuse a request whose ``Origin`` (or, lacking it, ``Referer``) is another site
than this one: a foreign page must not sign a browser in or out (login CSRF).

Every HTTP response gets the security headers of `SECURITY_HEADERS`, a Content-Security-Policy
among them that lets the page load nothing from another host.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storage.auth_service import (
    SESSION_LIFETIME,
    authenticate,
    create_login_session,
    revoke,
)
from storage.engine import database_url, shared_factory, transaction
from storage.errors import AccountLocked, SignInRefused
from ui.i18n import UI_LANGUAGES, t, tn
from ui.session_user import LOGIN_PATH, LOGOUT_PATH, SESSION_COOKIE

log = logging.getLogger("tisa.signin")

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
USERNAME_MAX = 64
PASSWORD_MAX = 1024


class SecurityHeaders:
    """Pure ASGI middleware: adds `SECURITY_HEADERS` to every HTTP response (a header a route
    set itself is kept). WebSocket traffic passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- routes ----------------------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    return _form_page(_language(request.query_params.get("lang")))


async def login_submit(request: Request) -> Response:
    form = await request.form()
    lang = _language(_text(form.get("lang")))
    if not _same_origin(request):
        return _form_page(lang, t("login.cross_origin", lang), status_code=403)
    username = _text(form.get("username"))[:USERNAME_MAX]
    password = _text(form.get("password"))
    if not username.strip() or not password:
        return _form_page(lang, t("login.missing", lang), username=username, status_code=401)
    if len(password) > PASSWORD_MAX:
        return _form_page(lang, t("login.refused", lang), username=username, status_code=401)
    previous = request.cookies.get(SESSION_COOKIE)
    try:
        token = await run_in_threadpool(_sign_in, username, password, previous)
    except AccountLocked as locked:
        message = tn("login.locked", locked.minutes_left, lang)
        return _form_page(lang, message, username=username, status_code=401)
    except SignInRefused:
        return _form_page(lang, t("login.refused", lang), username=username, status_code=401)
    except sa.exc.DBAPIError:
        log.exception("sign-in failed: the database cannot be used")
        return _form_page(lang, t("login.unavailable", lang), username=username, status_code=503)
    response = RedirectResponse(_home(lang), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_is_https(request),
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
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request)
    )
    return response


def _sign_in(username: str, password: str, previous_token: str | None) -> str:
    """Check the password and store a login, in one transaction; the new login's token.

    A refusal is raised only after the transaction has committed, so the failed attempt is
    counted. A login this browser held before is ended: every sign-in gets a fresh token.
    """
    refused: SignInRefused | None = None
    token = ""
    with transaction(shared_factory(database_url()), write=True) as session:
        try:
            user = authenticate(session, username, password)
        except SignInRefused as exc:
            refused = exc
        else:
            if previous_token:
                revoke(session, previous_token)
            token = create_login_session(session, user)
    if refused is not None:
        raise refused
    return token


def _sign_out(token: str) -> None:
    with transaction(shared_factory(database_url()), write=True) as session:
        revoke(session, token)


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


def _is_https(request: Request) -> bool:
    """Whether the browser talks HTTPS to us, also behind a TLS-terminating proxy (trusting the
    proxy's header can only make the cookie stricter)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _language(value: str | None) -> str:
    return value if value in UI_LANGUAGES else "en"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _home(lang: str) -> str:
    return "/" if lang == "en" else f"/?lang={lang}"


def _form_page(
    lang: str, message: str | None = None, *, username: str = "", status_code: int = 200
) -> HTMLResponse:
    """The sign-in form in `lang`, with `message` (what went wrong) above it when given."""

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    other = next(code for code in UI_LANGUAGES if code != lang)
    other_href = LOGIN_PATH if other == "en" else f"{LOGIN_PATH}?lang={other}"
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
<label for="username">{e(t("login.username", lang))}</label>
<input id="username" name="username" type="text" value="{e(username)}" required
       maxlength="{USERNAME_MAX}" autocomplete="username" autocapitalize="none"
       spellcheck="false"{described_by}{"" if username else " autofocus"}>
<label for="password">{e(t("login.password", lang))}</label>
<input id="password" name="password" type="password" required maxlength="{PASSWORD_MAX}"
       autocomplete="current-password"{described_by}{" autofocus" if username else ""}>
<button type="submit">{e(t("login.submit", lang))}</button>
</form>
<nav>
<a href="{_home(lang)}">{e(t("login.back", lang))}</a>
<a href="{other_href}" lang="{other}" hreflang="{other}">{e(UI_LANGUAGES[other])}</a>
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
