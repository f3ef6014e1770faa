"""Waiting for Streamlit in a real browser.

While a script run is drawing the next step, the elements of the previous step stay in the page
(marked stale) until the run ends; a button that sits at another place in the new step is then
present twice. Steps are therefore taken only once the run has finished.
"""

from __future__ import annotations


def settled(page) -> None:
    """Wait until Streamlit has finished the run and drawn the page."""
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    page.wait_for_selector('[data-testid="stStatusWidget"] :text("Running")', state="detached")


def press(page, name: str) -> None:
    """Click the one button called `name` once the page has settled."""
    settled(page)
    page.get_by_role("button", name=name, exact=True).click()
