"""The report's figures: matplotlib `Figure` objects (never pyplot) with alt text.

Every chart is a pure function of a `reports.builder.Report` and a language, so the pages and
every export draw exactly the same picture from the same disclosure decision. Colours are the
Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), the cividis colour map
(Nuñez, Anderton & Renslow 2018) for scores and ColorBrewer's purple–orange (Harrower & Brewer
2003) for differences, all readable with the common colour-vision deficiencies, and no meaning
rests on colour alone: values are written on the chart (in black or white, whichever contrasts
more with the cell), verdicts carry a symbol and a word, withheld cells a hatch and a label.
The alt text states the key numbers in words.

Every number has its own disclosure (`reports.builder`): a withheld domain draws no bar, a
withheld item no stacked bar, a withheld heat-map cell or trend point no value, and each says
why in words on the chart and in the alt text ("fewer than k answered", "withheld to protect a
smaller group", "no data": `reports.words.reason_text`), never with a number of its own.

Streamlit's script runner calls ``pyplot.close("all")`` after every run, and pyplot's state is
not thread-safe, which is why only the object-oriented `Figure` API is used here (see
``shared/reference/streamlit.md`` section 6).
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from reports import display
from reports.builder import Report
from reports.figure_text import PlainTextFigure
from reports.words import (
    change_reading,
    listing,
    mde_text,
    month_year,
    number,
    percent,
    reason_text,
    role_name,
    verdict_name,
    withheld_words,
    word,
)
from scoring.change import DECLINED, IMPROVED, NO_CLEAR_CHANGE, STABLE, TOO_FEW
from scoring.disclosure import NO_DATA, NO_RESPONSES, SHOWN, WITHHELD

__all__ = [
    "Chart",
    "change_chart",
    "domain_scores_chart",
    "heatmap_chart",
    "item_chart",
    "png_bytes",
    "rgba_pixels",
    "role_chart",
    "summary_chart",
    "svg_text",
    "trend_chart",
]

# Okabe–Ito
BLUE = "#0072B2"
SKY = "#56B4E9"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
BLACK = "#000000"
GREY = "#777777"
LIGHT_GREY = "#DDDDDD"
WITHHELD_FILL = "#EEEEEE"

VERDICT_STYLE = {  # marker, colour, filled
    IMPROVED: ("^", BLUE, True),
    DECLINED: ("v", VERMILLION, True),
    STABLE: ("D", BLACK, True),
    TOO_FEW: ("o", GREY, False),
    NO_CLEAR_CHANGE: ("o", GREY, True),  # legacy: reports frozen before the four verdicts
}
VERDICT_SYMBOL = {IMPROVED: "▲", DECLINED: "▼", STABLE: "◆", TOO_FEW: "○", NO_CLEAR_CHANGE: "●"}
VERDICTS = (IMPROVED, DECLINED, STABLE, TOO_FEW)
ROLE_STYLE = [("o", BLUE), ("s", ORANGE), ("D", GREEN), ("^", PURPLE), ("v", VERMILLION)]
SCALE_MIN, SCALE_MAX = 1.0, 5.0
FONT = 9


@dataclass(frozen=True)
class Chart:
    """A figure and the text that says what it shows, for readers who cannot see it."""

    figure: Figure
    alt: str


def png_bytes(chart: Chart | Figure, dpi: int = 170) -> bytes:
    """The figure as PNG. The figures lay themselves out ("constrained"), so no second
    drawing pass to crop them ("tight") is needed."""
    figure = chart.figure if isinstance(chart, Chart) else chart
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def rgba_pixels(chart: Chart | Figure, dpi: int) -> tuple[bytes, int, int]:
    """The figure drawn once as raw RGBA bytes, with its width and height in pixels (for
    writers that compress images themselves, such as the PDF)."""
    figure = chart.figure if isinstance(chart, Chart) else chart
    buffer = io.BytesIO()
    figure.savefig(buffer, format="rgba", dpi=dpi, facecolor="white")
    width, height = (round(v * dpi) for v in figure.get_size_inches())
    return buffer.getvalue(), width, height


def svg_text(chart: Chart | Figure) -> str:
    """The figure as an SVG document (text kept as paths, so no font is needed to read it)."""
    figure = chart.figure if isinstance(chart, Chart) else chart
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", facecolor="white")
    return buffer.getvalue()


# -- helpers ---------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _title(d: dict[str, str], lang: str) -> str:
    return d.get(lang) or d.get("en") or next(iter(d.values()), "")


def _message_chart(message: str, alt: str, width: float = 7.5, height: float = 1.6) -> Chart:
    figure = PlainTextFigure(figsize=(width, height), layout="constrained")
    ax = figure.subplots()
    ax.axis("off")
    ax.text(0.5, 0.5, _wrap(message, 80), ha="center", va="center", fontsize=FONT + 1,
            transform=ax.transAxes)
    return Chart(figure, alt)


def _scope_message(report: Report, lang: str) -> Chart | None:
    """A chart saying why there is nothing to draw, when the scope is not shown."""
    if report.shown and report.domains:
        return None
    if report.scope_status == WITHHELD:
        text = word("fig.withheld_scope", lang, scope=report.scope_name,
                    reason=reason_text(report.scope_reason, lang, report.min_group_size))
    else:
        text = word("fig.no_data_scope", lang, scope=report.scope_name)
    return _message_chart(text, text)


def _domain_titles(report: Report, lang: str) -> dict[str, str]:
    return {d.domain_id: _title(d.title, lang) for d in report.domains}


def _luminance(rgba: tuple[float, ...]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour (0 black to 1 white)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(rgba: tuple[float, ...]) -> str:
    """Black or white, whichever contrasts more with the cell colour ``rgba`` (at least 4.58:1
    on any colour)."""
    return "black" if contrast((0, 0, 0, 1), rgba) >= contrast((1, 1, 1, 1), rgba) else "white"


# -- domain scores ---------------------------------------------------------------------------


def domain_scores_chart(report: Report, lang: str) -> Chart:
    """Horizontal bars of the domain means (1–5) with 95% CI whiskers and % favorable."""
    message = _scope_message(report, lang)
    if message is not None:
        return message
    domains = report.domains
    figure = PlainTextFigure(figsize=(7.5, 0.32 * len(domains) + 1.3), layout="constrained")
    ax = figure.subplots()
    y = np.arange(len(domains))
    means = np.array([d.mean if d.mean is not None else np.nan for d in domains])
    ax.barh(y, np.nan_to_num(means - SCALE_MIN), left=SCALE_MIN, color=SKY, edgecolor=BLUE,
            height=0.6)
    details = []
    k = report.min_group_size
    for i, d in enumerate(domains):
        title = _title(d.title, lang)
        fav = percent(display.favorable(d), lang)
        ci = display.mean_ci(d)  # held within the scale
        if d.status != SHOWN or d.mean is None:
            reason = withheld_words(d.reason or NO_RESPONSES, lang, k)
            ax.add_patch(Rectangle((SCALE_MIN, i - 0.3), SCALE_MAX - SCALE_MIN, 0.6,
                                   facecolor=WITHHELD_FILL, edgecolor=GREY, hatch="///",
                                   linewidth=0.5))
            ax.text(SCALE_MIN + 0.05, i, reason, va="center", fontsize=FONT - 1,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
            details.append(word("fig.withheld_item", lang, what=title, reason=reason))
            continue
        no_fav = display.favorable(d) is None  # withheld beside the mean: said, no dash
        if ci is not None:
            ax.errorbar(d.mean, i, xerr=[[d.mean - ci[0]], [ci[1] - d.mean]], fmt="none",
                        ecolor=BLACK, capsize=3, linewidth=1)
            details.append(word("disp.fig.alt_item_no_fav" if no_fav else "fig.domains.alt_item",
                                lang, domain=title, mean=number(d.mean, lang),
                                low=number(ci[0], lang), high=number(ci[1], lang), fav=fav))
        else:
            details.append(word("fig.domains.alt_item_no_ci", lang, domain=title,
                                mean=number(d.mean, lang), fav=fav))
        right = ci[1] if ci is not None else d.mean
        ax.text(min(right + 0.06, SCALE_MAX + 0.05), i,
                number(d.mean, lang) if no_fav else
                word("fig.domains.label", lang, mean=number(d.mean, lang), fav=fav),
                va="center", fontsize=FONT - 1)
    ax.set_yticks(y, [_wrap(_title(d.title, lang), 34) for d in domains], fontsize=FONT - 1)
    ax.invert_yaxis()
    ax.set_xlim(SCALE_MIN, SCALE_MAX + 1.35)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.axvline(3, color=LIGHT_GREY, linewidth=0.8, zorder=0)
    ax.set_xlabel(word("fig.domains.xlabel", lang), fontsize=FONT - 1)
    ax.set_title(word("fig.domains.title", lang, scope=report.scope_name), fontsize=FONT + 1,
                 loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    alt = word("fig.domains.alt", lang, n=len(domains), scope=report.scope_name,
               round=report.round_name, details="; ".join(details) + ".")
    return Chart(figure, alt)


# -- the summary's key chart -----------------------------------------------------------------


def summary_chart(report: Report, lang: str) -> Chart:
    """The board summary's one chart: each domain's mean (1–5) as a bar with its value, and
    beside it the change since the previous round (verdict symbol, word and signed difference),
    withheld domains hatched and said in words."""
    message = _scope_message(report, lang)
    if message is not None:
        return message
    domains = report.domains
    k = report.min_group_size
    change = {c.domain_id: c for c in report.change}
    has_change = bool(change)
    figure = PlainTextFigure(figsize=(7.5, 0.34 * len(domains) + 1.0), layout="constrained")
    bars, side = figure.subplots(1, 2, sharey=True,
                                 width_ratios=[2.5, 1.3] if has_change else [3.6, 0.2])
    details = []
    for i, d in enumerate(domains):
        title = _title(d.title, lang)
        if d.status != SHOWN or d.mean is None:
            reason = withheld_words(d.reason or NO_RESPONSES, lang, k)
            bars.add_patch(Rectangle((SCALE_MIN, i - 0.32), SCALE_MAX - SCALE_MIN, 0.64,
                                     facecolor=WITHHELD_FILL, edgecolor=GREY, hatch="///",
                                     linewidth=0.5))
            bars.text(SCALE_MIN + 0.05, i, _wrap(reason, 50), va="center", fontsize=FONT - 2,
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            details.append(word("fig.withheld_item", lang, what=title, reason=reason))
        else:
            bars.barh(i, d.mean - SCALE_MIN, left=SCALE_MIN, color=SKY, edgecolor=BLUE,
                      height=0.64)
            bars.text(d.mean + 0.05, i, number(d.mean, lang), va="center", fontsize=FONT - 2)
            details.append(f"{title} {number(d.mean, lang)}")
        c = change.get(d.domain_id)
        if c is None:
            continue
        if c.diff is None:
            said = reason_text(c.reason or NO_RESPONSES, lang, k, short=True)
            side.text(0.02, i, _wrap(said, 26), va="center", fontsize=FONT - 3, color=GREY,
                      transform=side.get_yaxis_transform())
            details[-1] += f" ({word('board.summary.change', lang)}: {said})"
            continue
        marker, colour, _ = VERDICT_STYLE.get(c.verdict, ("o", GREY, True))
        text = (f"{VERDICT_SYMBOL.get(c.verdict, '')} {number(c.diff, lang, 2, signed=True)} "
                f"{verdict_name(c.verdict, lang)}")
        side.text(0.02, i, _wrap(text, 24), va="center", fontsize=FONT - 2,
                  color=colour if colour != GREY else BLACK,
                  transform=side.get_yaxis_transform())
        details[-1] += (f" ({word('board.summary.change', lang)}: "
                        f"{number(c.diff, lang, 2, signed=True)}, "
                        f"{verdict_name(c.verdict, lang)})")
    bars.set_yticks(range(len(domains)), [_wrap(_title(d.title, lang), 40) for d in domains],
                    fontsize=FONT - 2)
    bars.set_ylim(len(domains) - 0.5, -0.5)
    bars.set_xlim(SCALE_MIN, SCALE_MAX + 0.1)
    bars.set_xticks([1, 2, 3, 4, 5])
    bars.tick_params(axis="x", labelsize=FONT - 2)
    bars.axvline(3, color=LIGHT_GREY, linewidth=0.8, zorder=0)
    bars.set_xlabel(word("scale_1_5", lang), fontsize=FONT - 2)
    bars.spines[["top", "right"]].set_visible(False)
    side.axis("off")
    if has_change:
        side.set_title(_wrap(word("board.summary.change_head", lang,
                                  previous=report.previous_round_name), 24),
                       fontsize=FONT - 1, loc="left")
        title = word("board.summary.title_change", lang, scope=report.scope_name,
                     previous=report.previous_round_name)
    else:
        title = word("board.summary.title", lang, scope=report.scope_name)
    figure.suptitle(_wrap(title, 90), fontsize=FONT + 1, x=0.01, ha="left")
    alt = word("board.summary.alt", lang, n=len(domains), scope=report.scope_name,
               round=report.round_name, details="; ".join(details) + ".")
    return Chart(figure, alt)


# -- change since the previous round ---------------------------------------------------------


def change_chart(report: Report, lang: str) -> Chart:
    """The difference of each domain's mean since the previous round, with its 95% CI and a
    shaded band of ± half a standard deviation (the minimal important difference: a change
    within it is "stable"), marked improved / declined / stable / too few to tell by symbol
    and word (the legacy "no clear change" of older frozen reports too), and how many items
    and, when the units covered differ, on how many units present in both rounds it rests.
    The alt text gives each domain's verdict with its reason and its smallest detectable
    change."""
    message = _scope_message(report, lang)
    if message is not None:
        return message
    if not report.change:
        why = word("fig.change.no_previous" if report.previous_round_name is None
                   else "fig.change.no_previous_group", lang)
        text = word("fig.change.none", lang, why=why)
        return _message_chart(text, text)
    titles = _domain_titles(report, lang)
    changes = report.change
    figure = PlainTextFigure(figsize=(7.5, 0.4 * len(changes) + 1.8), layout="constrained")
    ax = figure.subplots()
    spans = [abs(v) for c in changes
             for v in ((c.diff or 0.0), (c.mid_points or 0.0)) + tuple(c.diff_ci or ())]
    reach = max([0.5, *spans]) * 1.15
    details = []
    counts: dict[str, int] = {}
    labels = []
    for i, c in enumerate(changes):
        title = titles.get(c.domain_id, c.domain_id)
        labels.append(_wrap(title, 36) + "\n" + word("fig.change.items", lang,
                                                     n=c.n_items_compared, m=c.n_items))
        marker, colour, filled = VERDICT_STYLE.get(c.verdict, ("o", GREY, True))
        if c.diff is None:
            reason = withheld_words(c.reason or NO_RESPONSES, lang, report.min_group_size)
            ax.text(0, i, _wrap(reason, 60), ha="center", va="center", fontsize=FONT - 1,
                    bbox={"facecolor": "white", "edgecolor": GREY, "pad": 1.5})
            details.append(word("fig.withheld_item", lang, what=title, reason=reason))
            continue
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
        if c.mid_points:
            ax.add_patch(Rectangle((-c.mid_points, i - 0.35), 2 * c.mid_points, 0.7,
                                   facecolor=LIGHT_GREY, edgecolor="none", zorder=0))
        if c.diff_ci is not None:
            ax.hlines(i, c.diff_ci[0], c.diff_ci[1], color=colour, linewidth=1.6)
        ax.plot([c.diff], [i], marker=marker, color=colour, markersize=9, linestyle="none",
                markerfacecolor=colour if filled else "white", markeredgewidth=1.6)
        ax.text(reach * 1.02, i,
                _wrap(f"{VERDICT_SYMBOL.get(c.verdict, '')} {verdict_name(c.verdict, lang)} "
                      f"{number(c.diff, lang, 2, signed=True)}", 20),
                va="center", fontsize=FONT - 1)
        low, high = c.diff_ci if c.diff_ci is not None else (None, None)
        why = change_reading(c, lang)
        details.append(word("fig.change.alt_item", lang, domain=title,
                            verdict=verdict_name(c.verdict, lang),
                            why=why or verdict_name(c.verdict, lang),
                            diff=number(c.diff, lang, 2, signed=True),
                            low=number(low, lang, 2, signed=True),
                            high=number(high, lang, 2, signed=True),
                            mde=mde_text(c, lang), n=c.n_items_compared, m=c.n_items))
    y = np.arange(len(changes))
    ax.set_yticks(y, labels, fontsize=FONT - 2)
    ax.invert_yaxis()
    ax.axvline(0, color=BLACK, linewidth=0.8)
    ax.set_xlim(-reach, reach * 1.9)
    legend = "\n".join(word("fig.change.legend", lang).rsplit("   ", 1))  # the band below
    if NO_CLEAR_CHANGE in counts:
        legend += "\n" + word("fig.change.legend_legacy", lang)
    ax.set_xlabel(_wrap(word("fig.change.xlabel", lang), 80) + "\n" + legend, fontsize=FONT - 1)
    title = word("fig.change.title", lang, previous=report.previous_round_name)
    units = next((c.units for c in changes if c.units), ())
    if units:
        title += " · " + word("fig.change.units", lang, n=len(units))
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ticks = [t for t in ax.get_xticks() if -reach <= t <= reach]
    ax.set_xticks(ticks, [number(t, lang, 1, signed=True) for t in ticks], fontsize=FONT - 1)
    order = [*VERDICTS, NO_CLEAR_CHANGE]
    tally = [word("fig.change.alt_count", lang, n=counts.get(v, 0), verdict=verdict_name(v, lang))
             for v in order if v in VERDICTS or counts.get(v)]
    alt = word("fig.change.alt", lang, n=len(changes), scope=report.scope_name,
               previous=report.previous_round_name, counts=listing(tally, lang),
               details="; ".join(details) + ".")
    if units:
        alt += " " + word("change.units", lang, n=len(units), units=listing(list(units), lang))
    return Chart(figure, alt)


# -- trend over the rounds -------------------------------------------------------------------


def trend_chart(report: Report, lang: str) -> Chart:
    """Small multiples, one per domain: the scope's mean in every round, on comparable items."""
    message = _scope_message(report, lang)
    if message is not None:
        return message
    titles = _domain_titles(report, lang)
    ids = [d.domain_id for d in report.domains]
    points = report.trend
    columns = 4 if len(ids) > 6 else max(1, min(3, len(ids)))
    rows = math.ceil(len(ids) / columns)
    figure = PlainTextFigure(figsize=(7.5, 1.75 * rows + 0.9), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns, sharex=True, sharey=True)).ravel()
    x = np.arange(len(points))
    ticks = [month_year(p.opens_on, lang) if p.opens_on else p.round_name for p in points]
    k = report.min_group_size
    details = []
    for ax, domain_id in zip(axes, ids, strict=False):
        values = np.array([
            p.means.get(domain_id) if p.status == SHOWN and p.means.get(domain_id) is not None
            else np.nan
            for p in points
        ], dtype=float)
        ax.plot(x, values, color=BLUE, marker="o", markersize=4, linewidth=1.4)
        for xi, v in zip(x, values, strict=True):
            if np.isfinite(v):
                ax.annotate(number(float(v), lang), (xi, v), textcoords="offset points",
                            xytext=(0, 5), ha="center", fontsize=FONT - 3)
        ax.set_title(_wrap(titles[domain_id], 28), fontsize=FONT - 2)
        ax.set_ylim(SCALE_MIN, SCALE_MAX)
        ax.set_yticks([1, 3, 5])
        ax.tick_params(labelsize=FONT - 3)
        ax.grid(axis="y", color=LIGHT_GREY, linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        shown = ", ".join(
            f"{tick} {number(float(v), lang)}" if np.isfinite(v)
            else f"{tick} {_point_reason(p, domain_id, lang, k)}"
            for tick, v, p in zip(ticks, values, points, strict=True)
        )
        details.append(word("fig.trend.alt_item", lang, domain=titles[domain_id], values=shown))
    for ax in axes[len(ids):]:
        ax.axis("off")
    for ax in axes:
        ax.set_xticks(x, ticks, rotation=0)
        ax.set_xlim(-0.4, len(points) - 0.6)
    figure.suptitle(word("fig.trend.title", lang, scope=report.scope_name), fontsize=FONT + 1,
                    x=0.01, ha="left")
    if any(p.status != SHOWN or p.reasons for p in points):
        figure.supxlabel(word("fig.trend.gap", lang), fontsize=FONT - 2)
    alt = word("fig.trend.alt", lang, scope=report.scope_name, n=len(points),
               rounds=listing([p.round_name for p in points], lang),
               details="; ".join(details) + ".")
    return Chart(figure, alt)


def _point_reason(point: object, domain_id: str, lang: str, k: int) -> str:
    """Why a trend point is missing: the domain's reason in that round, else the group's."""
    reason = point.reasons.get(domain_id, "")  # type: ignore[attr-defined]
    if not reason and point.status != WITHHELD:  # type: ignore[attr-defined]
        reason = NO_RESPONSES
    return reason_text(reason, lang, k)  # withheld without a reason given: "withheld"


# -- heat map of units -----------------------------------------------------------------------


SCORES = "scores"
DIFFERENCE = "difference"
HEATMAP_VIEWS = (SCORES, DIFFERENCE)
SCORES_CMAP = "cividis"
# ColorBrewer's purple–orange: diverging, with a light middle, and told apart with every common
# colour-vision deficiency (Harrower & Brewer 2003). Purple is higher (better), orange lower.
DIFFERENCE_CMAP = "PuOr"


def _difference_reach(report: Report, ids: list[str]) -> float:
    """Half the width of the difference colour scale: the largest difference shown, at least
    0.5 points, so that 0 sits in the light middle."""
    reference = report.units[0].means if report.units else {}
    spans = [abs(value - reference[i]) for cell in report.units[1:] if cell.status == SHOWN
             for i, value in cell.means.items()
             if value is not None and reference.get(i) is not None and i in ids]
    return max([0.5, *spans])


def heatmap_chart(report: Report, lang: str, view: str = SCORES) -> Chart:
    """Units × domains. In the ``"scores"`` view every shown cell carries its mean on the
    cividis scale; in the ``"difference"`` view it carries its difference from the scope's
    own row (the agency in the agency's report) on a diverging purple (higher, better) to
    orange (lower) scale centred at 0, the scope's row written as its means in white cells.
    Either way withheld rows are hatched and labelled "withheld (< k)", withheld cells are
    hatched grey with their mark and no colour, rows without responses are blank with "—"."""
    if view not in HEATMAP_VIEWS:
        raise ValueError(f"heat map view must be one of {HEATMAP_VIEWS}, not {view!r}")
    message = _scope_message(report, lang)
    if message is not None:
        return message
    ids = [d.domain_id for d in report.domains]
    titles = _domain_titles(report, lang)
    units = report.units
    difference = view == DIFFERENCE
    reference = units[0] if units else None
    reach = _difference_reach(report, ids)
    cmap = colormaps[DIFFERENCE_CMAP if difference else SCORES_CMAP]
    figure = PlainTextFigure(figsize=(7.5 + 0.1 * max(0, len(ids) - 12),
                             0.34 * len(units) + (2.5 if difference else 1.9)),
                             layout="constrained")
    names_ax, ax = figure.subplots(1, 2, sharey=True, width_ratios=[1.0, 2.2])
    k = report.min_group_size
    details = []
    counts = {SHOWN: 0, WITHHELD: 0, NO_DATA: 0}
    for row, cell in enumerate(units):
        counts[cell.status] = counts.get(cell.status, 0) + 1
        if cell.status == WITHHELD:
            reason = withheld_words(cell.reason, lang, k)
            ax.add_patch(Rectangle((-0.5, row - 0.5), len(ids), 1, facecolor=WITHHELD_FILL,
                                   edgecolor=GREY, hatch="///", linewidth=0.5))
            ax.text((len(ids) - 1) / 2, row, reason, ha="center",
                    va="center", fontsize=FONT - 1,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
            details.append(word("fig.heatmap.alt_withheld", lang, unit=cell.name,
                                reason=reason))
            continue
        means = {}
        held: dict[str, list[str]] = {}
        for col, domain_id in enumerate(ids):
            value = cell.means.get(domain_id) if cell.status == SHOWN else None
            if value is None and cell.status == SHOWN:
                code = cell.domain_reasons.get(domain_id, NO_RESPONSES)
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=WITHHELD_FILL,
                                       edgecolor=GREY, hatch="///" if code != NO_RESPONSES
                                       else None, linewidth=0.5))
                ax.text(col, row, _CELL_MARK.get(code, "×"), ha="center", va="center",
                        fontsize=FONT - 1, color=BLACK,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
                held.setdefault(reason_text(code, lang, k), []).append(titles[domain_id])
                continue
            if value is None:
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor="white",
                                       edgecolor=LIGHT_GREY, linewidth=0.5))
                ax.text(col, row, word("dash", lang), ha="center", va="center",
                        fontsize=FONT - 1, color=GREY)
                continue
            means[domain_id] = value
            base = reference.means.get(domain_id) if reference is not None else None
            if difference and (row == 0 or base is None):
                # the reference row itself, or a domain the reference does not show: no colour
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor="white",
                                       edgecolor=GREY, linewidth=0.8))
                ax.text(col, row, number(value, lang), ha="center", va="center",
                        fontsize=FONT - 2, color=BLACK,
                        fontweight="bold" if row == 0 else "normal")
                continue
            if difference:
                diff = value - base
                rgba = cmap(0.5 + diff / (2 * reach))
                label = number(diff, lang, 1, signed=True)
            else:
                rgba = cmap((value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN))
                label = number(value, lang)
            ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=rgba,
                                   edgecolor="white", linewidth=0.8))
            ax.text(col, row, label, ha="center", va="center", fontsize=FONT - 2,
                    color=text_colour(rgba))
        if cell.status == SHOWN and means:
            low = min(means, key=means.get)
            high = max(means, key=means.get)
            details.append(word("fig.heatmap.alt_shown", lang, unit=cell.name, n=cell.n,
                                low_domain=titles[low], low=number(means[low], lang),
                                high_domain=titles[high], high=number(means[high], lang)))
            if difference and row > 0 and reference is not None:
                diffs = [f"{i} {number(means[i] - reference.means[i], lang, 1, signed=True)}"
                         for i in ids if i in means and reference.means.get(i) is not None]
                if diffs:
                    details.append(word("board.heatmap.alt_diff", lang, unit=cell.name,
                                        values=", ".join(diffs)))
        elif cell.status == NO_DATA:
            details.append(word("fig.heatmap.alt_empty", lang, unit=cell.name))
        if held:
            details.append(word("fig.heatmap.alt_cells", lang, unit=cell.name, cells="; ".join(
                f"{listing(names, lang)} ({why})" for why, names in held.items())))
    ax.set_xlim(-0.5, len(ids) - 0.5)
    ax.set_ylim(len(units) - 0.5, -0.5)
    ax.set_xticks(range(len(ids)), ids, fontsize=FONT - 2)
    ax.xaxis.tick_top()
    ax.set_yticks([])
    names_ax.axis("off")
    for row, cell in enumerate(units):
        n = f" (n = {cell.n})" if cell.n is not None else ""
        names_ax.text(0.02 + 0.07 * cell.depth, row, _wrap(cell.name + n, 42), ha="left",
                      va="center", fontsize=FONT - 2,
                      fontweight="bold" if cell.depth == 0 else "normal",
                      transform=names_ax.get_yaxis_transform())
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    scope = report.scope_name
    title = word("board.heatmap.title" if difference else "fig.heatmap.title", lang, scope=scope)
    figure.suptitle(_wrap(title, 95), fontsize=FONT + 1, x=0.01, ha="left")
    legend = word("fig.heatmap.legend", lang, k=k) + " " + word(
        "fig.heatmap.marks", lang, k=k) + "  " + "; ".join(
        f"{i} = {titles[i]}" for i in ids
    )
    if difference:
        legend = legend.replace(word("board.heatmap.darker", lang), "").strip()
        scale = ScalarMappable(norm=Normalize(-reach, reach), cmap=cmap)
        bar = figure.colorbar(scale, ax=ax, orientation="horizontal", location="bottom",
                              fraction=0.05, pad=0.02, aspect=40)
        bar.ax.tick_params(labelsize=FONT - 3)
        ticks = [t for t in bar.get_ticks() if -reach <= t <= reach]
        bar.set_ticks(ticks, labels=[number(t, lang, 1, signed=True) for t in ticks])
        bar.set_label(_wrap(word("board.heatmap.scale", lang, scope=scope), 80),
                      fontsize=FONT - 2)
    figure.supxlabel(_wrap(legend, 150), fontsize=FONT - 3, x=0.01, ha="left")
    alt = word("fig.heatmap.alt", lang, n=len(units), scope=scope,
               shown=counts[SHOWN], withheld=counts[WITHHELD], empty=counts[NO_DATA],
               details="; ".join(details) + ".")
    if difference:
        alt = word("board.heatmap.alt", lang, scope=scope) + " " + alt
    return Chart(figure, alt)


_CELL_MARK = {"below_k": "<k", "protects_smaller": "P", "no_data": "—"}


# -- item detail -----------------------------------------------------------------------------


def _diverging_colours(n: int) -> list[str]:
    """Colours from least to most favorable for an n-point scale (Okabe–Ito, grey middle)."""
    half = n // 2
    low = [VERMILLION, ORANGE, YELLOW][:half] + [YELLOW] * max(0, half - 3)
    high = ([BLUE, SKY, GREEN][:half] + [GREEN] * max(0, half - 3))[::-1]
    return low + ([LIGHT_GREY] if n % 2 else []) + high


def item_chart(report: Report, domain_id: str, lang: str) -> Chart:
    """A diverging stacked bar per item of the domain: shares of the answered points (not
    applicable excluded), less favorable to the left of 0, more favorable to the right, with
    % not applicable beside each bar. Reverse-worded items are flipped so that right is always
    favorable (the distribution in the report is as answered)."""
    message = _scope_message(report, lang)
    if message is not None:
        return message
    found = [d for d in report.domains if d.domain_id == domain_id]
    if not found:
        text = word("fig.items.unknown_domain", lang, domain=domain_id)
        return _message_chart(text, text)
    domain = found[0]
    items = domain.items
    figure = PlainTextFigure(figsize=(7.5, 0.62 * len(items) + 1.7), layout="constrained")
    ax = figure.subplots()
    details = []
    n_points = max(len(i.points) for i in items) if items else 5
    colours = _diverging_colours(n_points)
    k = report.min_group_size
    for row, item in enumerate(items):
        label = f"{item.item_id}"
        if item.status != SHOWN or item.distribution is None:
            reason = withheld_words(item.reason or NO_RESPONSES, lang, k)
            ax.add_patch(Rectangle((-100, row - 0.31), 200, 0.62, facecolor=WITHHELD_FILL,
                                   edgecolor=GREY, hatch="///", linewidth=0.5))
            ax.text(0, row, reason, ha="center", va="center", fontsize=FONT - 1,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
            ax.text(103, row, percent(item.pct_na, lang), va="center", fontsize=FONT - 2)
            details.append(word("fig.withheld_item", lang, what=label, reason=reason))
            continue
        counts = np.array(item.distribution, dtype=float)
        if item.reverse:
            counts = counts[::-1]  # keyed order: left is least favorable
        total = counts.sum()
        if total == 0:
            ax.text(0, row, word("no_data", lang), ha="center", va="center", fontsize=FONT - 1)
            continue
        shares = 100 * counts / total
        n = len(shares)
        half = n // 2
        start = -(shares[:half].sum() + (shares[half] / 2 if n % 2 else 0))
        left = start
        item_colours = _diverging_colours(n)
        for j, share in enumerate(shares):
            ax.barh(row, share, left=left, color=item_colours[j], edgecolor="white",
                    linewidth=0.6, height=0.62)
            if share >= 7:
                ax.text(left + share / 2, row, f"{share:.0f}", ha="center", va="center",
                        fontsize=FONT - 3,
                        color="white" if item_colours[j] in (BLUE, VERMILLION) else "black")
            left += share
        ax.text(103, row, percent(item.pct_na, lang), va="center", fontsize=FONT - 2)
        unfav = 100 * counts[:half].sum() / total
        details.append(word("fig.items.alt_item", lang, item=label,
                            fav=percent(item.pct_favorable, lang), unfav=percent(unfav, lang),
                            na=percent(item.pct_na, lang), n=item.n))
    labels = []
    for item in items:
        text = _title(item.text, lang)
        if item.reverse:
            text += " " + word("fig.items.reverse", lang)
        labels.append(item.item_id + "\n" + _wrap(text, 44))
    ax.set_yticks(range(len(items)), labels, fontsize=FONT - 3)
    ax.set_ylim(len(items) - 0.5, -0.8)
    ax.set_xlim(-100, 118)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100", "50", "0", "50", "100"])
    ax.axvline(0, color=BLACK, linewidth=0.6, zorder=1)
    ax.text(103, -0.75, word("fig.items.na", lang), fontsize=FONT - 2, va="bottom")
    ax.set_xlabel(word("fig.items.xlabel", lang), fontsize=FONT - 2)
    ax.tick_params(axis="x", labelsize=FONT - 2)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_title(word("fig.items.title", lang, domain=_title(domain.title, lang)),
                 fontsize=FONT + 1, loc="left")
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in colours]
    names = [str(i + 1) for i in range(n_points)]
    names[0] += " " + word("fig.items.legend_low", lang)
    names[-1] += " " + word("fig.items.legend_high", lang)
    figure.legend(handles, names, loc="outside lower center", ncols=n_points, fontsize=FONT - 2,
                  frameon=False)
    alt = word("fig.items.alt", lang, n=len(items), domain=_title(domain.title, lang),
               scope=report.scope_name, details="; ".join(details) + ".")
    return Chart(figure, alt)


# -- roles -----------------------------------------------------------------------------------


def role_chart(report: Report, lang: str) -> Chart:
    """Domain means for the whole agency by role: one marker shape (and colour) per shown
    role, the withheld roles named beneath."""
    k = report.min_group_size
    shown = [c for c in report.roles if c.status == SHOWN]
    hidden = [f"{role_name(c.name, lang)} ({reason_text(c.reason, lang, k)})"
              for c in report.roles if c.status != SHOWN]
    hidden_text = word("fig.roles.hidden", lang, k=k, roles=listing(hidden, lang)) + "."
    if not shown:
        text = word("fig.roles.none", lang, k=k)
        return _message_chart(text + (" " + hidden_text if hidden else ""), text)
    order = [d.domain_id for d in report.domains]
    ids = sorted({i for c in shown for i in (*c.means, *c.domain_reasons)},
                 key=lambda i: (order.index(i) if i in order else 99, i))
    titles = {d.domain_id: _title(d.title, lang) for d in report.domains}
    figure = PlainTextFigure(figsize=(7.5, 0.4 * len(ids) + 1.9), layout="constrained")
    ax = figure.subplots()
    offsets = np.linspace(-0.22, 0.22, len(shown)) if len(shown) > 1 else [0.0]
    for (marker, colour), cell, offset in zip(ROLE_STYLE * 3, shown, offsets, strict=False):
        values = [cell.means.get(i) for i in ids]
        y = [row + offset for row, v in enumerate(values) if v is not None]
        x = [v for v in values if v is not None]
        ax.plot(x, y, marker=marker, color=colour, linestyle="none", markersize=6,
                label=word("fig.roles.legend", lang, role=role_name(cell.name, lang), n=cell.n))
    ax.set_yticks(range(len(ids)), [_wrap(titles.get(i, i), 34) for i in ids],
                  fontsize=FONT - 2)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    ax.set_xlim(SCALE_MIN, SCALE_MAX)
    ax.grid(axis="x", color=LIGHT_GREY, linewidth=0.6)
    ax.set_xlabel(word("scale_1_5", lang), fontsize=FONT - 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xticks([1, 2, 3, 4, 5])
    figure.suptitle(word("fig.roles.title", lang), fontsize=FONT + 1, x=0.01, ha="left")
    if hidden:
        ax.set_title(_wrap(hidden_text, 110), fontsize=FONT - 2, loc="left")
    figure.legend(loc="outside lower center", ncols=min(3, len(shown)), fontsize=FONT - 2,
                  frameon=False)
    details = []
    for i in ids:
        values = ", ".join(
            f"{role_name(c.name, lang)} {number(c.means[i], lang)}" if c.means.get(i) is not None
            else f"{role_name(c.name, lang)} "
            f"{reason_text(c.domain_reasons.get(i, NO_RESPONSES), lang, k)}"
            for c in shown
        )
        details.append(word("fig.roles.alt_item", lang, domain=titles.get(i, i), values=values))
    roles = listing([word("fig.roles.legend", lang, role=role_name(c.name, lang), n=c.n)
                     for c in shown], lang)
    alt = word("fig.roles.alt", lang, roles=roles, hidden=hidden_text if hidden else "",
               details="; ".join(details) + ".")
    return Chart(figure, alt)
