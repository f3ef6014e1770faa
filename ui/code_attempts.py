"""How many codes that did not work a browser session may try before it has to wait.

Codes carry about 71 bits (`storage.access_codes`), so guessing one is hopeless anyway; the
limit keeps a typo-prone person from being told "unknown" fifty times a minute and makes
scripted guessing through the page pointless. It lives in the memory of the browser session
(``st.session_state``), so nothing about the person is stored: no IP address, no cookie, no row
in the database.

Only codes the database does not know count as failures; a used code or a closed round is a
real code with a plain answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_FAILURES = 5
WAIT_SECONDS = 60.0


@dataclass
class CodeAttempts:
    """Failed code attempts of one browser session, against a monotonic clock in seconds."""

    max_failures: int = MAX_FAILURES
    wait_seconds: float = WAIT_SECONDS
    failures: int = 0
    blocked_until: float | None = None

    def seconds_to_wait(self, now: float) -> int:
        """Whole seconds (rounded up) before another code may be tried; 0 when it may now."""
        if self.blocked_until is None or now >= self.blocked_until:
            return 0
        return math.ceil(self.blocked_until - now)

    def failed(self, now: float) -> None:
        """A code was not found. The `max_failures`-th failure in a row starts the wait, and
        the count starts again after it."""
        if self.blocked_until is not None and now >= self.blocked_until:
            self.blocked_until = None
        self.failures += 1
        if self.failures >= self.max_failures:
            self.blocked_until = now + self.wait_seconds
            self.failures = 0

    def succeeded(self) -> None:
        """A code was found: the failures before it are forgotten."""
        self.failures = 0
        self.blocked_until = None
