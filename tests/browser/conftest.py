"""A real tisa server and Debian's chromium for the browser tests.

The server is started once per session with `streamlit run app.py` on a free port, against a
temporary SQLite database, and stopped at the end. Without /usr/bin/chromium every browser test
is skipped with the reason, so a plain `pytest` run on a machine without it stays green and says
why.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("TISA_CHROMIUM", "/usr/bin/chromium"))
# Debian's chromium under Playwright: headless, no sandbox (containers), and none of the
# background traffic (updates, sync, field trials) that would leave the machine.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: bash .ci/run installs it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
            return response.read() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="session")
def server_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database of the `server`, for tests that store what they need in it (a round and
    its codes) through the services, as the server itself would."""
    return f"sqlite:///{tmp_path_factory.mktemp('server_db') / 'tisa.db'}"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_database_url: str) -> Iterator[str]:
    """The base URL of a running tisa (http://127.0.0.1:PORT): ``app.py`` on its own, without
    the sign-in routes of ``asgi.py``."""
    tmp = tmp_path_factory.mktemp("server")
    with running_tisa("app.py", server_database_url, tmp / "streamlit.log") as base:
        yield base


@contextmanager
def running_tisa(script: str, database_url: str, log_path: Path) -> Iterator[str]:
    """`streamlit run <script>` on a free port against `database_url`; yields the base URL and
    stops the server afterwards. ``asgi.py`` adds the sign-in routes to ``app.py``."""
    env = {**os.environ, "TISA_DATABASE_URL": database_url}
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"streamlit did not start (exit {process.poll()}):\n{log_path.read_text()}"
                )
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding the demo agency (`tisa init --demo`): three published rounds, a
    withheld unit, a polarized one, actions, and the demo sign-ins, with the rounds' results
    computed and kept as `tisa init --demo` keeps them."""
    from reports.frozen import freeze_closed_rounds
    from storage.bootstrap import initialize
    from storage.engine import make_engine, session_factory, transaction

    url = f"sqlite:///{tmp_path_factory.mktemp('demo_db') / 'tisa.db'}"
    initialize(url, demo=True)
    engine = make_engine(url)
    try:
        with transaction(session_factory(engine), write=True) as session:
            freeze_closed_rounds(session)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory, demo_database_url: str
                ) -> Iterator[str]:
    """The base URL of `streamlit run asgi.py` (the app with its sign-in routes) on the demo."""
    log_path = tmp_path_factory.mktemp("demo_server") / "streamlit.log"
    with running_tisa("asgi.py", demo_database_url, log_path) as base:
        yield base


@pytest.fixture(scope="session")
def start_tisa():
    """`running_tisa` for a test module that needs a server on a database of its own:
    ``with start_tisa("asgi.py", url, log_path) as base: ...``."""
    return running_tisa


@pytest.fixture
def sign_in():
    """Sign in through the real HTML form of ``/api/login`` (the HttpOnly cookie), then wait
    until the app shows who is signed in: ``sign_in(page, base, username, password)``."""
    from playwright.sync_api import expect

    from ui.i18n import t

    def signed_in(page, base: str, username: str, password: str) -> None:
        page.goto(f"{base}/api/login")
        page.get_by_label(t("login.username", "en")).fill(username)
        page.get_by_label(t("login.password", "en")).fill(password)
        page.get_by_role("button", name=t("login.submit", "en")).click()
        greeting = t("account.signed_in_as", "en").split("**")[0].strip()  # "Signed in as"
        expect(page.get_by_text(greeting)).to_be_visible()

    return signed_in


EXPECT_SECONDS = 30  # a busy machine can take well over Playwright's 5 s to draw a first page


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_SECONDS * 1000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, a new Streamlit session) and its page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
