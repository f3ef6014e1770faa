"""The board report: typography of numbers and ranges, the paper size, and the PDF as a reader
holds it (every text run inside the page's margins, a one-page summary, pages that render).
"""

from __future__ import annotations

from reports import display
from reports.document import ci_text
from reports.words import number

MINUS = "\u2212"


def test_every_negative_number_carries_a_real_minus_sign():
    assert number(-0.77, "en", 2) == f"{MINUS}0.77"
    assert number(-0.77, "es", 2) == f"{MINUS}0,77"
    assert number(-0.5, "en", 2, signed=True) == f"{MINUS}0.50"
    assert number(0.5, "en", 2, signed=True) == "+0.50"
    assert number(-0.001, "en", 2) == "0.00"  # no "−0.00"
    assert "-" not in number(-12.5, "en", 1)


def test_ranges_follow_one_rule_everywhere():
    """A range is "low – high" with an en dash, negatives with a minus sign, whichever part of
    the report writes it (an alpha interval, a change interval)."""
    assert display.ci_words((-0.77, -0.27), "en") == f"{MINUS}0.77 – {MINUS}0.27"
    assert ci_text((-0.77, -0.27), "en", 2) == f"{MINUS}0.77 – {MINUS}0.27"
    assert ci_text((-0.77, -0.27), "es", 2, signed=True) == f"{MINUS}0,77 – {MINUS}0,27"
    assert ci_text((0.2, 0.4), "en", 2, signed=True) == "+0.20 – +0.40"
