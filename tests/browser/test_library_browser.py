"""The instrument library in a real browser: language switch, deep links, and no internet."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from instruments.registry import resolve

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOT = "/tmp/library.png"


def _outside_requests(urls: list[str]) -> list[str]:
    """URLs that leave the machine (data: and blob: URLs never do)."""
    return [
        url
        for url in urls
        if urlparse(url).scheme not in {"data", "blob", "about"}
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]


def test_library_switches_language_and_stays_offline(server, page):
    from playwright.sync_api import expect

    staff = resolve("ti-staff")
    first, second = staff.domains[0], staff.domains[1]
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda websocket: requested.append(websocket.url))

    page.goto(f"{server}/library")
    expect(page.get_by_role("heading", name="Instrument library")).to_be_visible()
    expect(page.get_by_text(first.title["en"]).first).to_be_visible()
    expect(page.get_by_text(second.title["en"]).first).to_be_visible()
    # the first domain is open: its items are on the page
    expect(page.get_by_text(first.items[0].text["en"])).to_be_visible()

    page.get_by_role("radiogroup", name=re.compile("Language")).get_by_text(
        "Español", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Biblioteca de instrumentos")).to_be_visible()
    expect(page.get_by_text(first.title["es"]).first).to_be_visible()
    expect(page.get_by_text(first.items[0].text["es"])).to_be_visible()
    expect(page.get_by_text(first.title["en"])).to_have_count(0)
    expect(page).to_have_url(re.compile(r"lang=es"))

    page.wait_for_load_state("networkidle")
    # Streamlit scrolls inside the page, so a full-page shot is only as tall as the window
    page.set_viewport_size({"width": 1400, "height": 2000})
    expect(page.get_by_role("table").first).to_be_visible()
    page.screenshot(path=SCREENSHOT)
    assert requested, "no request was recorded: the listener is not working"
    assert _outside_requests(requested) == []


def test_a_link_opens_one_version_in_spanish(server, page):
    from playwright.sync_api import expect

    older = resolve("ti-staff@1.0.0")
    page.goto(f"{server}/library?instrument=ti-staff&version=1.0.0&lang=es")
    expect(page.get_by_role("heading", name="Biblioteca de instrumentos")).to_be_visible()
    expect(page.get_by_role("heading", name=older.title["es"])).to_be_visible()
    expect(page.get_by_text(older.ref, exact=True)).to_be_visible()
    # the first version has nothing to compare with
    expect(page.get_by_role("tab", name=re.compile("Qué cambió"))).to_have_count(0)


def test_home_page_links_to_the_library(server, page):
    from playwright.sync_api import expect

    page.goto(server)
    title = page.get_by_role("heading", name=re.compile("Trauma-Informed Self-Assessment"))
    expect(title).to_be_visible()
    page.get_by_role("link", name=re.compile("instrument library")).first.click()
    expect(page.get_by_role("heading", name="Instrument library")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/library"))
