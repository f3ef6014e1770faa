"""Who is signed in, for the Streamlit pages: resolved from the login token on every run.

The browser signs in through the HTTP form of ``asgi.py`` (``/api/login``), which sets the
HttpOnly cookie `SESSION_COOKIE`. Streamlit sees that cookie in ``st.context.cookies`` (it comes
with the WebSocket handshake), so a reload or a deep link stays signed in. A token can also be
put in ``st.session_state[LOGIN_TOKEN_KEY]`` (tests do that, since AppTest cannot send cookies);
it wins over the cookie.

``app.py`` calls `refresh_current_user` once at the start of every run: the token is looked up
in the database each time, so a disabled user or a revoked login is out at the next click, and
a login left idle longer than ``TISA_IDLE_MINUTES`` is over (the run notes the time it was
seen, at most once a minute). The
result is kept in ``st.session_state`` and `current_user` hands it to the rest of that run.
Staff answering a survey are never signed in, and nothing here is ever asked of them: without a
token there is no database access at all.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from storage.auth_service import SignedInUser, needs_touch, touch_login, user_for_token
from storage.engine import database_url, shared_factory, transaction
from ui.i18n import current_language, t
from ui.markdown_text import escape

SESSION_COOKIE = "tisa_session"
DEVICE_COOKIE = "tisa_device"  # marks a browser that signed in before (sent to /api/login only)
LOGIN_TOKEN_KEY = "login_token"
LOGIN_PATH = "/api/login"
LOGOUT_PATH = "/api/logout"
NEXT_PARAM = "next"  # the sign-in form's "where to go once signed in" (a page's address)
_RESOLVED_KEY = "_signed_in_user"  # {"user": SignedInUser | None}, rewritten on every run


def login_token() -> str | None:
    """The login token of this browser session: session state first, else the cookie."""
    token = st.session_state.get(LOGIN_TOKEN_KEY)
    if not isinstance(token, str) or not token:
        # to_dict(): under AppTest st.context.cookies is a MagicMock whose .get() is truthy.
        token = st.context.cookies.to_dict().get(SESSION_COOKIE)
    return token if isinstance(token, str) and token else None


def refresh_current_user() -> SignedInUser | None:
    """Look the token up again (active user, unexpired and unrevoked login) and keep the answer
    for the rest of this run. Called by ``app.py`` at the start of every run."""
    token = login_token()
    user = None
    if token is not None:
        factory = shared_factory(database_url())
        with transaction(factory) as session:
            user = user_for_token(session, token)
        if user is not None and needs_touch(user):  # at most once a minute: a short write
            with transaction(factory, write=True) as session:
                touch_login(session, token)
    st.session_state[_RESOLVED_KEY] = {"user": user}
    return user


def current_user() -> SignedInUser | None:
    """The signed-in user of this run, or None for a visitor who has not signed in."""
    resolved = st.session_state.get(_RESOLVED_KEY)
    if resolved is None:
        return refresh_current_user()
    return resolved["user"]


def require_role(*roles: str) -> SignedInUser:
    """For the top of a restricted page: the signed-in user when their role is one of `roles`;
    otherwise say why the page is closed and stop the page."""
    user = current_user()
    if user is None:
        st.error(t("access.signin_needed"))
        st.stop()
    if user.role not in roles:
        st.error(t("access.denied", role=role_label(user.role)))
        st.stop()
    return user


def role_label(role: str) -> str:
    """The role in the current language (``admin`` → ``administración``)."""
    return t(f"role.{role}")


def login_url(lang: str | None = None, target: str | None = None) -> str:
    """The address of the sign-in form, in the current language; with `target` (a page's
    address, ``/report-change?round=3``), the form sends the browser there once signed in."""
    lang = lang or current_language()
    params = {} if lang == "en" else {"lang": lang}
    if target:
        params[NEXT_PARAM] = target
    return f"{LOGIN_PATH}?{urlencode(params)}" if params else LOGIN_PATH


def account_box(where: st.delta_generator.DeltaGenerator, user: SignedInUser) -> None:
    """Who is signed in, and a sign-out button (drawn in the sidebar by ``app.py``).

    Signing out is a plain HTML form posting to ``/api/logout``, which ends the login on the
    server and clears the cookie: nothing of it runs in the Streamlit session.
    """
    where.markdown(
        t("account.signed_in_as", name=escape(user.display_name), role=role_label(user.role))
    )
    lang = html.escape(current_language(), quote=True)
    label = html.escape(t("account.sign_out"))
    where.html(
        f'<form method="post" action="{LOGOUT_PATH}" style="margin:0">'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<button type="submit" style="{_BUTTON_STYLE}">{label}</button>'
        "</form>"
    )


_BUTTON_STYLE = (
    "font:inherit;padding:0.3rem 0.8rem;border-radius:0.5rem;cursor:pointer;"
    "border:1px solid rgba(49,51,63,0.3);background:transparent;color:inherit"
)

