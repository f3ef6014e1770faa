"""A manager reads the report in a real browser: signs in through the HTML form, opens the
report of their region, moves to the downloads through the menu (the choice stays), and
downloads the PDF. A unit of another region typed into the address is refused.

AppTest cannot see downloads, cookies or the address bar; this is where they are seen working.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from storage.demo import DEMO_SIGN_INS
from ui.i18n import t

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
NORTH = next(s for s in DEMO_SIGN_INS if s.username == "north.manager")


def test_a_manager_opens_their_report_and_downloads_the_pdf(demo_server, page, sign_in):
    from playwright.sync_api import expect

    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    sign_in(page, demo_server, NORTH.username, NORTH.password)

    page.get_by_role("link", name=t("report.page.overview", "en")).click()
    expect(page.get_by_role("heading", name=t("report.page.overview", "en"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/report\?round=\d+$"))
    expect(page.get_by_text(t("report.overview.strengths", "en"), exact=True)).to_be_visible()

    # choose the region: it goes into the address
    page.get_by_label(t("report.pick.scope", "en")).click()
    page.get_by_role("option", name=re.compile(r"North Region$")).click()
    expect(page).to_have_url(re.compile(r"unit=north-region"))
    expect(page.get_by_role("img", name=re.compile(r"North Region"))).to_be_visible()

    # the menu clears the address; the report pages keep the choice
    more = page.get_by_role("button", name=re.compile(r"^View \d+ more$"))
    if more.count():  # the menu folds long sections
        more.click()
    page.get_by_role("link", name=t("report.page.downloads", "en")).click()
    expect(page.get_by_role("heading", name=t("report.page.downloads", "en"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/report-downloads\?round=\d+&unit=north-region"))

    with page.expect_download() as download:
        page.get_by_role("button", name=t("report.download.pdf", "en")).click()
    path = Path(download.value.path())
    assert path.read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.endswith("-north-region-en.pdf")

    outside = [
        url for url in requested
        if urlparse(url).scheme not in {"data", "blob", "about"}
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]
    assert outside == []


def test_a_unit_of_another_region_in_the_address_is_refused(demo_server, page, sign_in):
    from playwright.sync_api import expect

    sign_in(page, demo_server, NORTH.username, NORTH.password)
    page.goto(f"{demo_server}/report?unit=south-region&round=3")
    expect(page.get_by_role("alert")).to_have_text(
        t("report.error.unit_outside", "en", unit="south-region")
    )
    expect(page.get_by_role("img")).to_have_count(0)
    expect(page.get_by_text("South Region")).to_have_count(0)
