"""Issue 4's acceptance flow in a real browser, the way leadership and staff live it.

An admin signs in through the form of ``/api/login``, adds two units, creates a round of
ti-staff 1.1.0 over them with invited counts, launches it, issues codes for one unit and
downloads them as CSV. A staff member opens the survey with one of the codes in a private
window (a browser context of its own: fresh cookies), answers part of it and closes the window;
in another private window they type the code, find their answers again, finish and submit. The
admin sees the unit's response rate move; the code cannot be used again, and once the round is
closed an unused code is refused too.

The server is `streamlit run asgi.py` (the app with its sign-in routes) on a database of its
own, so that the units and the round made here touch no other test's data.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from instruments.registry import resolve
from storage.bootstrap import initialize
from tests.browser.streamlit_page import press, settled
from ui.i18n import t, tn
from ui.survey_flow import option_labels

pytestmark = pytest.mark.browser

LANG = "en"
ADMIN = "lead"
PASSWORD = "correct horse battery staple"
ORGANIZATION = "Lakeside Family Services"
INSTRUMENT = "ti-staff@1.1.0"
ROUND_NAME = "Spring check-in"
# Two units under the agency, both with at least k (5) invited, so that complementary
# suppression withholds neither unit's response rate.
UNITS = {"North office": 8, "South office": 9}
CODED_UNIT = "North office"
CODES = 3
TIMEOUT = 20_000  # ms, for every action and every expect
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def plain(markdown: str) -> str:
    """The text a message shows once its Markdown (bold, code) is drawn."""
    return re.sub(r"\*\*|`", "", markdown)


@pytest.fixture(scope="module")
def leadership_server(tmp_path_factory: pytest.TempPathFactory, start_tisa) -> Iterator[str]:
    """`streamlit run asgi.py` on a fresh database whose only user is the admin ``lead``."""
    tmp = tmp_path_factory.mktemp("leadership")
    url = f"sqlite:///{tmp / 'tisa.db'}"
    initialize(url, admin_user=ADMIN, admin_password=PASSWORD, organization_name=ORGANIZATION)
    with start_tisa("asgi.py", url, tmp / "streamlit.log") as base:
        yield base


@pytest.fixture
def patient_expect() -> Iterator[None]:
    """Every `expect` of this test waits up to TIMEOUT (Streamlit draws after each rerun)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT)
    try:
        yield
    finally:
        expect.set_options(timeout=None)  # back to Playwright's default for other tests


def test_admin_launches_a_round_and_staff_answer_it_in_private_windows(
    leadership_server, browser, page, sign_in, patient_expect, tmp_path
):
    from playwright.sync_api import expect

    base = leadership_server
    instrument = resolve(INSTRUMENT)
    domains = instrument.domains
    requested: list[str] = []

    def watch(window) -> None:
        window.context.on("request", lambda request: requested.append(request.url))
        window.on("websocket", lambda websocket: requested.append(websocket.url))

    def private_window():
        """A new browser context (no cookies, a new Streamlit session) and its page."""
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        window = context.new_page()
        window.set_default_timeout(TIMEOUT)
        watch(window)
        return context, window

    def menu(where, key: str) -> None:
        where.get_by_role("link", name=t(key, LANG), exact=True).click()

    def message(where, markdown: str):
        return where.get_by_text(plain(markdown), exact=True)

    # -- 1. the admin signs in through the real form -----------------------------------------
    watch(page)
    page.set_default_timeout(TIMEOUT)
    sign_in(page, base, ADMIN, PASSWORD)

    # -- 2a. units -------------------------------------------------------------------------------
    menu(page, "admin.page.units")
    expect(
        page.get_by_role("heading", name=t("admin.units.title", LANG), exact=True)
    ).to_be_visible()
    expect(page.get_by_text(t("admin.units.empty", LANG))).to_be_visible()
    for name in UNITS:
        page.get_by_role("textbox", name=t("admin.units.name", LANG), exact=True).fill(name)
        press(page, t("admin.units.add", LANG))
        settled(page)
        code = name.lower().replace(" ", "-")
        expect(message(page, t("admin.units.added", LANG, name=name, code=code))).to_be_visible()
        # the form is empty again, in the browser too: a second click adds nothing twice
        expect(
            page.get_by_role("textbox", name=t("admin.units.name", LANG), exact=True)
        ).to_have_value("")
    expect(page.get_by_text(tn("admin.units.count", len(UNITS), LANG), exact=True)).to_be_visible()

    # -- 2b. a round of ti-staff 1.1.0 over both units, with invited counts --------------------
    menu(page, "admin.page.rounds")
    expect(page.get_by_role("heading", name=t("admin.rounds.title", LANG))).to_be_visible()
    expect(page.get_by_text(t("admin.rounds.none", LANG))).to_be_visible()
    page.get_by_role("textbox", name=t("admin.rounds.name", LANG), exact=True).fill(ROUND_NAME)
    # the counts before the instrument: once its drop-down list has been used, the grid takes
    # the next focus or click without selecting a cell (a second click would)
    set_invited_counts(page, UNITS)
    version_choice = page.get_by_role("combobox", name=t("admin.rounds.instrument", LANG))
    version_choice.click()
    page.get_by_role("option", name=f"({INSTRUMENT})").click()
    expect(version_choice).to_have_value(f"{instrument.title[LANG]} ({INSTRUMENT})")
    page.get_by_role("button", name=t("admin.rounds.create_submit", LANG)).click()
    expect(message(page, t("admin.rounds.created", LANG, name=ROUND_NAME))).to_be_visible()
    # the round's units with the counts typed in the editor, as stored
    units_table = page.get_by_role("grid", include_hidden=True).filter(
        has_text=t("admin.rounds.col.invited", LANG)
    )
    for name, invited in UNITS.items():
        row = units_table.get_by_role("row", include_hidden=True).filter(has_text=name)
        expect(row.get_by_role("gridcell", include_hidden=True).last).to_have_text(str(invited))

    # -- 2c. launch it, with its confirmation ---------------------------------------------------
    page.get_by_role("button", name=t("admin.rounds.do.open", LANG)).click()
    expect(message(page, t("admin.rounds.confirm.open", LANG, name=ROUND_NAME))).to_be_visible()
    page.get_by_role("button", name=t("admin.rounds.yes.open", LANG)).click()
    opened = t(
        "admin.rounds.moved", LANG, name=ROUND_NAME, status=t("admin.round_status.open", LANG)
    )
    expect(message(page, opened)).to_be_visible()

    # -- 2d. codes for one unit, downloaded as CSV ------------------------------------------------
    menu(page, "admin.page.access")
    expect(page.get_by_role("heading", name=t("admin.access.title", LANG))).to_be_visible()
    page.get_by_role("combobox", name=t("admin.access.unit", LANG)).click()
    page.get_by_role("option", name=CODED_UNIT).click()
    page.get_by_role("spinbutton", name=t("admin.access.count", LANG)).fill(str(CODES))
    page.get_by_role("button", name=t("admin.access.issue", LANG), exact=True).click()
    issued = tn("admin.access.issued", CODES, LANG, unit=CODED_UNIT, round=ROUND_NAME)
    expect(message(page, issued)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name=t("admin.access.download_csv", LANG)).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert [row["unit"] for row in rows] == [CODED_UNIT] * CODES
    assert {row["round"] for row in rows} == {ROUND_NAME}
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == CODES
    assert all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}", code) for code in codes)
    answered_code, unused_code = codes[0], codes[1]

    # nobody has answered yet
    page.get_by_role("tab", name=t("admin.access.tab.rates", LANG)).click()
    expect_rate(page, CODED_UNIT, invited=UNITS[CODED_UNIT], responses=0)

    # -- 3. a private window: the code, the welcome, part of the survey --------------------------
    def group(where, item):
        return where.get_by_role("radiogroup", name=item.text[LANG], exact=True)

    def choice(item, point) -> str:
        return option_labels(instrument, item, LANG)[point]

    def choose(where, item, point) -> None:
        group(where, item).get_by_text(choice(item, point), exact=True).click()
        expect(
            group(where, item).get_by_role("radio", name=choice(item, point), exact=True)
        ).to_be_checked()

    def expect_chosen(where, item, point) -> None:
        expect(
            group(where, item).get_by_role("radio", name=choice(item, point), exact=True)
        ).to_be_checked()

    def section(where, n: int) -> None:
        progress = t("survey.progress", LANG, n=n, total=len(domains))
        expect(where.get_by_text(progress, exact=True)).to_be_visible()
        expect(where.get_by_role("heading", name=domains[n - 1].title[LANG])).to_be_visible()

    def next_page(where) -> None:
        press(where, t("survey.next", LANG))

    comment = "A quiet room for hard calls would help."
    given: dict[str, int | str] = {}
    first_context, first = private_window()
    first.goto(f"{base}/survey?code={answered_code}")
    expect(first.get_by_role("heading", name=t("survey.welcome.heading", LANG))).to_be_visible()
    expect(message(first, t("survey.welcome.unit", LANG, unit=CODED_UNIT))).to_be_visible()
    press(first, t("survey.welcome.start", LANG))
    for n in (1, 2):  # every item of the first section, the first two of the second
        section(first, n)
        items = domains[n - 1].items if n == 1 else domains[n - 1].items[:2]
        for k, item in enumerate(items):
            point = "NA" if (n, k) == (2, 1) else 1 + (n + k) % 5
            choose(first, item, point)
            given[item.id] = point
        if n == 1:
            first.get_by_role("textbox", name=t("survey.comment.label", LANG)).fill(comment)
        next_page(first)  # a change of page saves the draft
    section(first, 3)
    first_context.close()  # the window is closed: nothing of it is left in the browser

    # -- 4. another private window: resume with the typed code, finish, submit -------------------
    second_context, second = private_window()
    second.goto(f"{base}/survey")
    second.get_by_role("textbox", name=t("survey.entry.label", LANG)).fill(answered_code)
    second.get_by_role("button", name=t("survey.entry.submit", LANG)).click()
    section(second, 3)  # back where the person left off
    for n in (2, 1):
        press(second, t("survey.back", LANG))
        section(second, n)
        for item in domains[n - 1].items:
            if item.id in given:
                expect_chosen(second, item, given[item.id])
    expect(second.get_by_role("textbox", name=t("survey.comment.label", LANG))).to_have_value(
        comment
    )
    for n in range(1, len(domains) + 1):
        section(second, n)
        if n == 3:
            choose(second, domains[2].items[0], 4)
        next_page(second)
    expect(second.get_by_role("heading", name=t("survey.role.heading", LANG))).to_be_visible()
    second.get_by_role("radiogroup", name=t("survey.role.question", LANG)).get_by_text(
        t("survey.role_frontline", LANG), exact=True
    ).click()
    next_page(second)
    expect(second.get_by_role("heading", name=t("survey.review.heading", LANG))).to_be_visible()
    press(second, t("survey.submit", LANG))
    expect(second.get_by_role("heading", name=t("survey.thanks.heading", LANG))).to_be_visible()
    expect(second.get_by_text(t("survey.thanks.received", LANG))).to_be_visible()
    second_context.close()

    # -- 5. the admin's response rates count it ----------------------------------------------------
    page.reload()  # a new Streamlit session; the cookie keeps the admin signed in
    expect(page.get_by_role("heading", name=t("admin.access.title", LANG))).to_be_visible()
    page.get_by_role("tab", name=t("admin.access.tab.rates", LANG)).click()
    expect_rate(page, CODED_UNIT, invited=UNITS[CODED_UNIT], responses=1)
    expect_rate(page, "South office", invited=UNITS["South office"], responses=0)

    # -- 6. the used code is refused; after closing, so is an unused one ------------------------
    third_context, third = private_window()
    third.goto(f"{base}/survey?code={answered_code}")
    expect(third.get_by_text(t("survey.error.used", LANG))).to_be_visible()
    expect(third.get_by_role("textbox", name=t("survey.entry.label", LANG))).to_be_visible()

    menu(page, "admin.page.rounds")
    page.get_by_role("button", name=t("admin.rounds.do.close", LANG)).click()
    expect(message(page, t("admin.rounds.confirm.close", LANG, name=ROUND_NAME))).to_be_visible()
    page.get_by_role("button", name=t("admin.rounds.yes.close", LANG)).click()
    closed = t(
        "admin.rounds.moved", LANG, name=ROUND_NAME, status=t("admin.round_status.closed", LANG)
    )
    expect(message(page, closed)).to_be_visible()

    third.get_by_role("textbox", name=t("survey.entry.label", LANG)).fill(unused_code)
    third.get_by_role("button", name=t("survey.entry.submit", LANG)).click()
    expect(third.get_by_text(t("survey.error.closed", LANG))).to_be_visible()
    expect(third.get_by_role("heading", name=t("survey.welcome.heading", LANG))).to_have_count(0)
    third_context.close()

    assert requested, "no request was recorded: the listener is not working"
    outside = [
        url
        for url in requested
        if urlparse(url).scheme not in {"data", "blob", "about"}
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]
    assert outside == [], "the app must make no request off the machine"


def set_invited_counts(page, counts: dict[str, int]) -> None:
    """Type the invited counts into the round form's table of units (a grid drawn on a canvas)
    the way a keyboard user does: into the grid (its first cell is selected), right twice to
    "Invited", then for each row Enter (the cell's editor opens), the count, and Enter (the
    count is kept and the cell below selected). The grid's accessible table, the one screen
    readers read, tells which cell is selected and what each holds."""
    from playwright.sync_api import expect

    grid = page.get_by_role("grid", include_hidden=True).filter(
        has_text=t("admin.rounds.col.invited", LANG)
    )
    rows = grid.get_by_role("row", include_hidden=True)
    expect(rows).to_have_count(1 + len(counts))  # the header, then one row per unit

    def cell(row: int, column: int):
        return rows.nth(row + 1).get_by_role("gridcell", include_hidden=True).nth(column)

    # into the grid, as with the Tab key: its first cell is selected
    page.get_by_test_id("data-grid-canvas").filter(has=grid).focus()
    expect(cell(0, 0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    for row in range(len(counts)):
        invited = counts[(cell(row, 0).text_content() or "").strip()]
        expect(cell(row, 2)).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Enter")
        editor = page.get_by_test_id("portal").get_by_role("textbox")
        expect(editor).to_be_focused()
        editor.fill(str(invited))
        editor.press("Enter")
        expect(editor).to_have_count(0)
        expect(cell(row, 2)).to_have_text(str(invited))


def expect_rate(page, unit: str, *, invited: int, responses: int) -> None:
    """The response-rate table shows `responses` of `invited` for `unit`."""
    from playwright.sync_api import expect

    table = page.get_by_role("table").filter(has_text=t("admin.access.col.rate", LANG))
    row = table.get_by_role("row").filter(has_text=unit)
    expect(row).to_have_count(1)
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text(unit)
    expect(cells.nth(1)).to_have_text(str(invited))
    expect(cells.nth(2)).to_have_text(str(responses))
    expect(cells.nth(3)).to_have_text(f"{responses / invited:.0%}")
