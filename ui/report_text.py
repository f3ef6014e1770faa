"""How the report pages write numbers, verdicts and withheld cells.

Numbers are rounded only here, with the language's decimal mark, by the same functions the
exports use (`reports.words`), so a page and its PDF show the same digits. A withheld cell and
an empty one never look alike, and the two reasons for withholding are told apart: "🔒 fewer
than k answered", "🔒 withheld to protect a smaller group", "— no data" (the reason codes of
`scoring.disclosure` that every number of the report carries).
"""

from __future__ import annotations

from reports.builder import CHANGED_UNITS
from reports.figures import VERDICT_SYMBOL
from reports.words import number, percent
from scoring.disclosure import BELOW_K, NO_DATA, NO_RESPONSES, PROTECTS_SMALLER, WITHHELD
from ui.i18n import t

MEAN_DIGITS = 2
WITHHELD_MARK = "🔒"
EMPTY_MARK = "—"


def mean_text(value: float | None, lang: str) -> str:
    return number(value, lang, MEAN_DIGITS)


def pct_text(value: float | None, lang: str) -> str:
    """A percentage already on 0–100."""
    return percent(value, lang)


def ci_text(ci: tuple[float, float] | None, lang: str, digits: int = MEAN_DIGITS) -> str:
    if ci is None:
        return EMPTY_MARK
    return f"{number(ci[0], lang, digits)} – {number(ci[1], lang, digits)}"


def diff_text(value: float | None, lang: str) -> str:
    return number(value, lang, MEAN_DIGITS, signed=True)


def verdict_text(verdict: str) -> str:
    """The verdict as a symbol and words: "▲ improved", "▼ declined", "● no clear change"."""
    return f"{VERDICT_SYMBOL.get(verdict, '')} {t(f'report.verdict.{verdict}')}".strip()


def reason_words(reason: str, k: int) -> str:
    """Why a number is not shown, in words; a reason the report does not give reads
    "withheld", never a guessed reason."""
    if reason == CHANGED_UNITS:  # a change between rounds that cover different units
        return t("report.change.reason.changed_units")
    if reason not in (BELOW_K, PROTECTS_SMALLER, NO_RESPONSES):
        return t("report.verdict.withheld")
    return t(f"report.reason.{reason}", k=k)


def withheld_text(reason: str, k: int) -> str:
    """What a table shows in place of a withheld number: the mark and the reason."""
    if reason == NO_RESPONSES:
        return f"{EMPTY_MARK} {reason_words(NO_RESPONSES, k)}"
    return f"{WITHHELD_MARK} {reason_words(reason, k)}"


def status_text(status: str, k: int, reason: str = "") -> str:
    """What a table shows in place of numbers for a withheld or an empty group."""
    if status == WITHHELD:
        return withheld_text(reason, k)
    if status == NO_DATA:
        return withheld_text(NO_RESPONSES, k)
    return ""
