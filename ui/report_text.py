"""How the report pages write numbers, verdicts and withheld cells.

Numbers are rounded only here, with the language's decimal mark, by the same functions the
exports use (`reports.words`), so a page and its PDF show the same digits. A withheld cell and
an empty one never look alike: withheld is "🔒 fewer than k", empty is "— no responses".
"""

from __future__ import annotations

from reports.figures import VERDICT_SYMBOL
from reports.words import number, percent
from scoring.disclosure import NO_DATA, WITHHELD
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


def status_text(status: str, k: int) -> str:
    """What a table shows in place of numbers for a withheld or an empty group."""
    if status == WITHHELD:
        return f"{WITHHELD_MARK} {t('report.cell.withheld', k=k)}"
    if status == NO_DATA:
        return f"{EMPTY_MARK} {t('report.cell.no_data')}"
    return ""
