"""The report's aggregates as a spreadsheet (XLSX) and as CSV, each with a codebook.

Both are written from the same `aggregate_records(report)`: one record per statistic of a
group, in long format, with its disclosure status. A withheld group's statistics have no
value, only the status "withheld" and its reason (the XLSX writes the reason in words in the
cell: "< k answered", "protects a smaller group"); a group without responses has "no data".
Every number has its own disclosure (`reports.builder`): a withheld domain, item, reliability,
change, trend point or heat-map cell inside a shown group is withheld the same way.
Numbers are kept unrounded (the XLSX only *displays* them
rounded, through a number format), so analysts can recompute from them. The display rules of
`reports.display` hold here as on the pages: no reliability number below 30 complete responses,
no negative alpha, no withheld omega (status "not available" with the reason code
``too_few_complete``, ``negative_alpha``, ``omega_reversed``, ``omega_multidimensional`` or
``not_computed``), mean intervals clipped to the scale, ICCs below 0 written as 0.

- `report_xlsx(report, lang) -> bytes`: sheets summary, domains, agreement (per unit), change,
  trend, units (the heat map), roles, items and codebook. Sheet names are these fixed English
  ids, so scripts find them in every language; headers and words in the cells are in `lang`.
- `report_csv(report, lang) -> tuple[bytes, bytes]`: the aggregates CSV (columns
  ``section, group_type, group, depth, domain, item, statistic, value, status, reason``;
  ``reason`` is ``below_k`` (fewer than k answered), ``protects_smaller`` (withheld to protect a
  smaller group), ``no_data``, or a display-rule code above for a value not shown, empty
  otherwise; identifiers and
  statistic names are fixed English ids whatever the language) and its codebook CSV
  (``column_or_statistic, meaning`` in `lang`, then the domain and item texts). Both are
  UTF-8 with a byte-order mark, so that Excel opens accents correctly.
- `report_csv_zip(report, lang) -> bytes`: the two CSV files in one zip archive (for a single
  download).

Comments are not aggregates and are not exported here (they are in the PDF and HTML reports).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports import display
from reports.builder import CHANGED_UNITS, Cell, DomainResult, Report
from reports.spreadsheet_cells import csv_bytes, safe_row
from reports.words import change_reading, reason_text, role_name, verdict_name, word
from scoring.disclosure import (
    BELOW_K,
    NO_DATA,
    NO_RESPONSES,
    PROTECTS_SMALLER,
    SHOWN,
    WITHHELD,
)

NOT_AVAILABLE = "not available"
CSV_COLUMNS = ("section", "group_type", "group", "depth", "domain", "item", "statistic",
               "value", "status", "reason")

DOMAIN_STATISTICS = ("n_scored", "mean", "sd", "ci_low", "ci_high", "pct_favorable",
                     "n_complete", "alpha", "alpha_ci_low", "alpha_ci_high", "alpha_ci_method",
                     "omega", "omega_ci_low", "omega_ci_high", "omega_rmsr", "icc1", "icc1_n0",
                     "icc_n0", "icc_group_size", "icc2")
UNIT_AGREEMENT_STATISTICS = ("n", "rwg_j", "band", "rwg_j_skewed", "split")
# cells of the XLSX that say in words why reliability is not shown
_RELIABILITY_WORDS = ("alpha", "alpha_ci_low", "alpha_ci_high", "alpha_ci_method", "omega",
                      "omega_ci_low", "omega_ci_high", "omega_rmsr")
#: why a shown domain's statistic has no value under the display rules (reports.display)
DISPLAY_REASONS = (display.TOO_FEW_COMPLETE, display.NEGATIVE_ALPHA, display.OMEGA_REVERSED,
                   display.OMEGA_MULTIDIMENSIONAL, display.NOT_COMPUTED)
ITEM_STATISTICS = ("n", "n_na", "pct_na", "mean", "pct_favorable")
CHANGE_STATISTICS = ("n_items_compared", "n_items", "n_before", "n_after", "mean_before",
                     "mean_after", "diff", "diff_ci_low", "diff_ci_high", "hedges_g",
                     "hedges_g_ci_low", "hedges_g_ci_high", "p_adjusted", "mde_g",
                     "mde_points", "mid_points", "verdict", "units_compared")
# said of a change whether it is shown or withheld: what was compared, not a result
CHANGE_DESCRIPTION = ("n_items_compared", "n_items", "units_compared")

WITHHELD_FILL = PatternFill("darkUp", fgColor="BBBBBB", bgColor="EEEEEE")
HEADER_FILL = PatternFill("solid", fgColor="DCE9F5")
BOLD = Font(bold=True)
ITALIC = Font(italic=True)


@dataclass(frozen=True)
class Record:
    section: str
    group_type: str  # scope, unit, role, round
    group: str
    depth: int | None
    domain: str
    item: str
    statistic: str
    value: float | int | str | None
    status: str
    reason: str = ""  # scoring.disclosure reason code when the value is not shown


def _title(d: dict[str, str], lang: str) -> str:
    return d.get(lang) or d.get("en") or next(iter(d.values()), "")


# -- the long-format records -----------------------------------------------------------------


def _code(status: str, reason: str) -> str:
    """The reason code of a value that is not shown (no data when the group is empty)."""
    if status == NO_DATA:
        return NO_RESPONSES
    return reason


def aggregate_records(report: Report) -> list[Record]:
    """Every statistic of the report, one record each (see the module docstring). A value
    that is not shown has no value, its status and its reason code, never a number."""
    out: list[Record] = []
    scope = report.scope_name
    status = report.scope_status
    scope_reason = _code(status, report.scope_reason)
    k = report.min_group_size

    def add(section: str, group_type: str, group: str, depth: int | None, domain: str,
            item: str, statistic: str, value: object, group_status: str,
            reason: str = "") -> None:
        if group_status != SHOWN:
            value, row_status = None, group_status
            reason = _code(group_status, reason)
        elif value is None:
            row_status, reason = NOT_AVAILABLE, ""
        else:
            row_status, reason = SHOWN, ""
        out.append(Record(section, group_type, group, depth, domain, item, statistic, value,
                          row_status, reason))

    add("overview", "scope", scope, None, "", "", "n_responses", report.n_responses, status,
        scope_reason)
    invited_status = SHOWN if report.invited >= k else WITHHELD
    add("overview", "scope", scope, None, "", "", "invited", report.invited, invited_status,
        BELOW_K)
    if status != SHOWN:
        add("overview", "scope", scope, None, "", "", "response_rate", None, status,
            scope_reason)
    elif report.response_rate is None and report.invited < k:
        add("overview", "scope", scope, None, "", "", "response_rate", None, WITHHELD, BELOW_K)
    else:
        add("overview", "scope", scope, None, "", "", "response_rate",
            None if report.response_rate is None else 100 * report.response_rate, SHOWN)
    add("overview", "scope", scope, None, "", "", "min_group_size", k, SHOWN)
    add("overview", "scope", scope, None, "", "", "min_comment_group_size",
        report.min_comment_group_size, SHOWN)
    if status == SHOWN and report.n_flagged is None:  # withheld on its own (reason not given)
        add("overview", "scope", scope, None, "", "", "n_flagged", None, WITHHELD, "")
    else:
        add("overview", "scope", scope, None, "", "", "n_flagged", report.n_flagged, status,
            scope_reason)
    for d in report.domains:
        for name, (value, why) in _domain_values(d, k).items():
            if d.status != SHOWN:
                add("domain", "scope", scope, None, d.domain_id, "", name, None, d.status,
                    d.reason)
            elif why in (BELOW_K, PROTECTS_SMALLER):
                add("domain", "scope", scope, None, d.domain_id, "", name, None, WITHHELD, why)
            elif why:  # a display rule: shown group, no value, the reason given
                out.append(Record("domain", "scope", scope, None, d.domain_id, "", name, None,
                                  NOT_AVAILABLE, why))
            else:
                add("domain", "scope", scope, None, d.domain_id, "", name, value, SHOWN)
        if d.status == SHOWN:
            for unit in d.unit_agreement:
                unit_values = {"n": unit.n, "rwg_j": unit.rwg_j, "band": unit.band,
                               "rwg_j_skewed": unit.rwg_j_skewed, "split": int(unit.split)}
                for name in UNIT_AGREEMENT_STATISTICS:
                    add("agreement", "unit", unit.unit, None, d.domain_id, "", name,
                        unit_values[name], SHOWN)
        for item in d.items:
            item_values = {"n": item.n, "n_na": item.n_na, "pct_na": item.pct_na,
                           "mean": item.mean, "pct_favorable": item.pct_favorable}
            shown_item = item.status == SHOWN and item.n is not None
            for name in ITEM_STATISTICS:
                if name in ("n_na", "pct_na") or shown_item:
                    add("item", "scope", scope, None, d.domain_id, item.item_id, name,
                        item_values[name], SHOWN)
                else:
                    add("item", "scope", scope, None, d.domain_id, item.item_id, name, None,
                        item.status if item.status != SHOWN else WITHHELD, item.reason)
            counts = item.distribution if shown_item else (None,) * len(item.points)
            for point, count in zip(item.points, counts or (), strict=True):
                add("item", "scope", scope, None, d.domain_id, item.item_id,
                    f"count_{point}", count,
                    SHOWN if shown_item else
                    (item.status if item.status != SHOWN else WITHHELD), item.reason)
    for c in report.change:
        values = {
            "n_items_compared": c.n_items_compared, "n_items": c.n_items,
            "n_before": c.n_before, "n_after": c.n_after, "mean_before": c.mean_before,
            "mean_after": c.mean_after, "diff": c.diff,
            "diff_ci_low": c.diff_ci[0] if c.diff_ci else None,
            "diff_ci_high": c.diff_ci[1] if c.diff_ci else None, "hedges_g": c.hedges_g,
            "hedges_g_ci_low": c.hedges_g_ci[0] if c.hedges_g_ci else None,
            "hedges_g_ci_high": c.hedges_g_ci[1] if c.hedges_g_ci else None,
            "p_adjusted": c.p_adjusted, "mde_g": c.mde_g, "mde_points": c.mde_points,
            "mid_points": c.mid_points, "verdict": c.verdict,
            "units_compared": "; ".join(c.units) or None,
        }
        held = c.verdict == WITHHELD
        for name in CHANGE_STATISTICS:
            if held and name not in CHANGE_DESCRIPTION:
                add("change", "scope", scope, None, c.domain_id, "", name, None, WITHHELD,
                    c.reason)
            else:
                add("change", "scope", scope, None, c.domain_id, "", name, values[name], SHOWN)
    domain_ids = [d.domain_id for d in report.domains]
    for p in report.trend:
        for domain_id in domain_ids or sorted({*p.means, *p.reasons}):
            mean = p.means.get(domain_id) if p.status == SHOWN else None
            if p.status == SHOWN and mean is not None:
                add("trend", "round", p.round_name, None, domain_id, "", "mean", mean, SHOWN)
            else:
                why = p.reasons.get(domain_id, "")
                point_status = p.status if p.status != SHOWN else (
                    WITHHELD if why and why != NO_RESPONSES else NO_DATA)
                add("trend", "round", p.round_name, None, domain_id, "", "mean", None,
                    point_status, why)
            add("trend", "round", p.round_name, None, domain_id, "", "comparable_items",
                p.comparable_items.get(domain_id), p.status, p.reasons.get(domain_id, ""))
    unit_domains = domain_ids or sorted(
        {i for cell in report.units for i in (*cell.means, *cell.domain_reasons)})
    for cell in report.units:
        _cell_records(add, "unit", "unit", cell, cell.depth, unit_domains)
    role_domains = sorted({i for cell in report.roles for i in (*cell.means,
                                                                 *cell.domain_reasons)},
                          key=lambda i: (domain_ids.index(i) if i in domain_ids else 99, i))
    for cell in report.roles:
        _cell_records(add, "role", "role", cell, None, role_domains)
    return out


def _domain_values(d: DomainResult, k: int) -> dict[str, tuple[object, str]]:
    """Each domain statistic as shown (`reports.display`) with the reason it has no value:
    a disclosure code (fewer than k complete) or a display-rule code, "" otherwise."""
    ci = display.mean_ci(d)
    rel = display.reliability_shown(d, k)
    fav_reason = d.pct_favorable_reason
    values: dict[str, tuple[object, str]] = {
        "n_scored": (d.n_scored, ""), "mean": (d.mean, ""), "sd": (d.sd, ""),
        "ci_low": (ci[0] if ci else None, ""), "ci_high": (ci[1] if ci else None, ""),
        "pct_favorable": (display.favorable(d), fav_reason),
        "n_complete": (d.n_complete, "" if d.n_complete is not None else BELOW_K),
    }
    held = BELOW_K if d.n_complete is None else rel.reason
    alpha_why = held or rel.alpha_reason
    omega_why = held or rel.omega_reason
    values["alpha"] = (rel.alpha, alpha_why)
    ci_why = alpha_why or ("" if rel.alpha_ci is not None else display.NOT_COMPUTED)
    values["alpha_ci_low"] = (rel.alpha_ci[0] if rel.alpha_ci else None, ci_why)
    values["alpha_ci_high"] = (rel.alpha_ci[1] if rel.alpha_ci else None, ci_why)
    values["alpha_ci_method"] = (rel.alpha_ci_method or None, ci_why)
    values["omega"] = (rel.omega, omega_why)
    omega_ci_why = omega_why or ("" if rel.omega_ci is not None else display.NOT_COMPUTED)
    values["omega_ci_low"] = (rel.omega_ci[0] if rel.omega_ci else None, omega_ci_why)
    values["omega_ci_high"] = (rel.omega_ci[1] if rel.omega_ci else None, omega_ci_why)
    values["omega_rmsr"] = (rel.omega_rmsr, held)
    values["icc1"] = (display.icc_value(d.icc1), "")
    values["icc1_n0"] = (display.icc_value(d.icc1_n0), "")
    values["icc_n0"] = (d.icc_n0, "")
    values["icc_group_size"] = (d.icc_group_size, "")
    values["icc2"] = (display.icc_value(d.icc2), "")
    return {name: values[name] for name in DOMAIN_STATISTICS}


def _cell_records(add, section: str, group_type: str, cell: Cell, depth: int | None,
                  domain_ids: list[str]) -> None:
    add(section, group_type, cell.name, depth, "", "", "n", cell.n, cell.status, cell.reason)
    for domain_id in domain_ids:
        if cell.status != SHOWN:
            add(section, group_type, cell.name, depth, domain_id, "", "mean", None,
                cell.status, cell.reason)
        elif cell.means.get(domain_id) is None:
            why = cell.domain_reasons.get(domain_id, NO_RESPONSES)
            add(section, group_type, cell.name, depth, domain_id, "", "mean", None,
                NO_DATA if why == NO_RESPONSES else WITHHELD, why)
        else:
            add(section, group_type, cell.name, depth, domain_id, "", "mean",
                cell.means[domain_id], SHOWN)


# -- the codebook ----------------------------------------------------------------------------

CODEBOOK_KEYS = (
    "section", "group_type", "group", "depth", "domain", "item", "statistic", "value",
    "status", "reason", "n_responses", "invited", "response_rate", "min_group_size",
    "min_comment_group_size", "n_flagged", *DOMAIN_STATISTICS, "n", "n_na", "pct_na",
    "count_P", *CHANGE_STATISTICS, "comparable_items", "rwg_j", "band", "rwg_j_skewed",
    "split",
)


def codebook_rows(report: Report, lang: str) -> list[tuple[str, str]]:
    """(name, meaning) for every column and statistic, then the report's domains and
    items with their texts in `lang`."""
    rows = [(key, word(f"cb.{key}", lang, k=report.min_group_size)) for key in CODEBOOK_KEYS]
    rows += [(f"status={s}", word(f"cb.status.{s}", lang, k=report.min_group_size))
             for s in (SHOWN, WITHHELD, NO_DATA, NOT_AVAILABLE)]
    rows += [(f"reason={code}", word(f"cb.reason.{code}", lang, k=report.min_group_size))
             for code in (BELOW_K, PROTECTS_SMALLER, NO_RESPONSES, *DISPLAY_REASONS)]
    rows.append((f"reason={CHANGED_UNITS}",
                 word(f"cb.reason.{CHANGED_UNITS}", lang, k=report.min_group_size)))
    for d in report.domains:
        rows.append((d.domain_id, _title(d.title, lang)))
        for item in d.items:
            text = _title(item.text, lang)
            if item.reverse:
                text += " " + word("fig.items.reverse", lang)
            rows.append((item.item_id, text))
    return rows


# -- CSV -------------------------------------------------------------------------------------


def _csv(rows: list[tuple]) -> bytes:
    return csv_bytes(rows)


def _csv_value(value: object) -> object:
    """A value as the CSV writes it: numbers stay numbers (so a negative number is not taken
    for a formula), text goes through `safe_cell` in `csv_bytes`."""
    if value is None:
        return ""
    if isinstance(value, float):
        return float(value)  # written at full precision (repr); a number, never neutralised
    return value


def report_csv(report: Report, lang: str) -> tuple[bytes, bytes]:
    """(aggregates CSV, codebook CSV), both UTF-8 with a BOM."""
    records = aggregate_records(report)
    rows: list[tuple] = [CSV_COLUMNS]
    for r in records:
        rows.append((r.section, r.group_type, r.group, "" if r.depth is None else r.depth,
                     r.domain, r.item, r.statistic, _csv_value(r.value), r.status, r.reason))
    codebook = [(word("cb.header.name", lang), word("cb.header.meaning", lang)),
                *codebook_rows(report, lang)]
    return _csv(rows), _csv(codebook)


def report_csv_zip(report: Report, lang: str) -> bytes:
    aggregates, codebook = report_csv(report, lang)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("aggregates.csv", aggregates)
        archive.writestr("codebook.csv", codebook)
    return buffer.getvalue()


# -- XLSX ------------------------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[object]],
           formats: dict[int, str] | None = None, hidden_words: tuple[str, ...] = (),
           widths: dict[int, float] | None = None) -> None:
    """A sheet with a bold header, number formats per column (display rounding only) and
    the cells holding one of `hidden_words` ("withheld", "no data") hatched and italic."""
    sheet = workbook.create_sheet(title)
    sheet.append(safe_row(header))
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(safe_row(row))
    for r in range(2, len(rows) + 2):
        for cell in sheet[r]:
            if isinstance(cell.value, float | int) and cell.column in (formats or {}):
                cell.number_format = (formats or {})[cell.column]
            elif isinstance(cell.value, str) and cell.value in hidden_words:
                cell.fill = WITHHELD_FILL
                cell.font = ITALIC
    for c in range(1, len(header) + 1):
        default = 12 if c > 1 else 34
        sheet.column_dimensions[get_column_letter(c)].width = (widths or {}).get(c, default)
    sheet.freeze_panes = "B2"


def report_xlsx(report: Report, lang: str) -> bytes:
    """The aggregates as an XLSX workbook (see the module docstring)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    k = report.min_group_size
    withheld = word("withheld", lang)
    no_data = word("no_data", lang)

    def held(code: str) -> str:
        """A withheld number's cell: its short reason in words ("withheld" when the report
        gives none)."""
        return reason_text(code, lang, k, short=True)

    words = (withheld, no_data, *(held(c) for c in (BELOW_K, PROTECTS_SMALLER, NO_RESPONSES)))
    words = (*words, held(CHANGED_UNITS))
    scope_held = held(_code(report.scope_status, report.scope_reason))
    shown = report.shown
    two, one, pct = "0.00", "0.0", "0.0"

    # summary
    if report.response_rate is not None:
        rate: object = 100 * report.response_rate
    elif not shown:
        rate = scope_held
    else:
        rate = word("cover.rate_hidden", lang, k=k)
    titles = {d.domain_id: _title(d.title, lang) for d in report.domains}
    summary = [
        [word("cover.organization", lang), report.organization],
        [word("cover.scope", lang), report.scope_name],
        [word("xl.scope_status", lang), word(f"status.{report.scope_status}", lang) + (
            f" ({reason_text(report.scope_reason, lang, k)})" if not shown else "")],
        [word("cover.round", lang), report.round_name],
        [word("xl.opens", lang), report.opens_on or word("dash", lang)],  # none: older rounds
        [word("xl.closes", lang), report.closes_on or word("dash", lang)],
        [word("cover.instrument", lang),
         f"{_title(report.instrument_title, lang)} ({report.instrument_ref})"],
        [word("cover.responses", lang),
         report.n_responses if report.n_responses is not None else scope_held],
        [word("cover.invited", lang), report.invited if report.invited >= k else
         word("cover.invited_hidden", lang, k=k)],
        [word("xl.rate_pct", lang), rate],
        [word("cover.threshold", lang), k],
        [word("cover.comment_threshold", lang), report.min_comment_group_size],
        [word("xl.strengths", lang), "; ".join(titles[i] for i in report.strengths)],
        [word("xl.priorities", lang), "; ".join(titles[i] for i in report.priorities)],
        [word("xl.previous", lang), report.previous_round_name or ""],
        [word("xl.flagged", lang), report.n_flagged if report.n_flagged is not None else
         (scope_held if not shown else withheld)],
    ]
    _sheet(workbook, "summary", [word("xl.field", lang), word("xl.value", lang)],
           summary, {2: "0.0"}, hidden_words=words, widths={2: 60})
    for r in range(2, len(summary) + 2):
        cell = workbook["summary"].cell(r, 2)
        if hasattr(cell.value, "isoformat"):
            cell.number_format = "yyyy-mm-dd"

    # domains
    header = [word("col.domain", lang), word("xl.domain_id", lang), word("col.n", lang),
              word("col.mean", lang), word("col.sd", lang), word("xl.ci_low", lang),
              word("xl.ci_high", lang), word("col.favorable", lang),
              word("col.n_complete", lang), word("xl.alpha", lang), word("xl.alpha_ci_low", lang),
              word("xl.alpha_ci_high", lang), word("xl.alpha_ci_method", lang),
              word("col.omega", lang), word("xl.omega_ci_low", lang),
              word("xl.omega_ci_high", lang), word("xl.omega_rmsr", lang),
              word("col.reliability", lang), word("xl.weak_items", lang), "ICC(1)",
              word("xl.icc1_n0", lang), word("xl.icc_n0", lang), "ICC(2)",
              word("xl.icc_words", lang), word("xl.low_agreement", lang), word("xl.split", lang)]
    rows = []
    for d in report.domains:
        if d.status != SHOWN:
            rows.append([_title(d.title, lang), d.domain_id,
                         *([held(_code(d.status, d.reason))] * (len(header) - 2))])
            continue
        values = _domain_values(d, k)
        rel = display.reliability_shown(d, k)

        def cell(name: str, rel=rel, values=values, d=d) -> object:
            value, why = values[name]
            if why == BELOW_K and name in _RELIABILITY_WORDS:  # fewer than k complete
                return display.too_few_words(d, lang, k)
            if why in (BELOW_K, PROTECTS_SMALLER):
                return held(why)
            if why == display.TOO_FEW_COMPLETE:
                return display.too_few_words(d, lang, k)
            if why == display.NEGATIVE_ALPHA:
                return word("disp.alpha.negative", lang)
            if why in (display.OMEGA_REVERSED, display.OMEGA_MULTIDIMENSIONAL):
                return display.omega_text(d, lang, k)
            if name == "alpha_ci_method" and value:
                return word(f"disp.ci.{value}", lang)
            return value

        rows.append([
            _title(d.title, lang), d.domain_id, d.n_scored, d.mean, d.sd,
            *(cell(n) for n in ("ci_low", "ci_high", "pct_favorable", "n_complete", "alpha",
                                "alpha_ci_low", "alpha_ci_high", "alpha_ci_method", "omega",
                                "omega_ci_low", "omega_ci_high", "omega_rmsr")),
            display.reliability_words(d, lang, k), ", ".join(d.weak_items),
            *(cell(n) for n in ("icc1", "icc1_n0", "icc_n0", "icc2")),
            display.icc_words(d, lang), "; ".join(d.low_agreement_units),
            "; ".join(d.split_units),
        ])
    if not shown:
        rows.append([report.scope_name] + [scope_held] * (len(header) - 1))
    _sheet(workbook, "domains", header, rows,
           {4: two, 5: two, 6: two, 7: two, 8: pct, 10: two, 11: two, 12: two, 14: two,
            15: two, 16: two, 17: "0.000", 20: "0.000", 21: "0.000", 22: "0.0", 23: "0.000"},
           hidden_words=words, widths={10: 26, 14: 26, 18: 26, 24: 30, 25: 26, 26: 26})

    # agreement within each shown unit
    header = [word("col.domain", lang), word("xl.domain_id", lang), word("col.unit", lang),
              word("col.n_complete", lang), word("disp.col.rwg", lang),
              word("disp.col.band", lang), word("disp.col.rwg_skewed", lang),
              word("disp.col.split", lang)]
    rows = [[_title(d.title, lang), d.domain_id, u.unit, u.n, u.rwg_j,
             display.band_words(u.band, lang), u.rwg_j_skewed,
             word("yes" if u.split else "no", lang)]
            for d in report.domains if d.status == SHOWN for u in d.unit_agreement]
    _sheet(workbook, "agreement", header, rows, {5: two, 7: two}, hidden_words=words,
           widths={3: 30, 6: 22, 7: 16, 8: 16})

    # change
    header = [word("col.domain", lang), word("xl.domain_id", lang),
              word("xl.items_compared", lang), word("xl.items_total", lang),
              word("xl.n_before", lang), word("xl.n_after", lang), word("col.before", lang),
              word("col.after", lang), word("col.diff", lang), word("xl.ci_low", lang),
              word("xl.ci_high", lang), word("col.g", lang), word("xl.g_ci_low", lang),
              word("xl.g_ci_high", lang), word("col.p_adj", lang), word("xl.mde_points", lang),
              word("xl.mde_g", lang), word("xl.mid_points", lang), word("col.verdict", lang),
              word("xl.reading", lang), word("xl.units_compared", lang)]
    rows = []
    for c in report.change:
        first = [titles.get(c.domain_id, c.domain_id), c.domain_id, c.n_items_compared,
                 c.n_items]
        units = "; ".join(c.units) or None
        if c.verdict == WITHHELD:
            rows.append([*first, *([held(c.reason)] * (len(header) - 5)), units])
            continue
        rows.append([*first, c.n_before, c.n_after, c.mean_before, c.mean_after, c.diff,
                     c.diff_ci[0] if c.diff_ci else None, c.diff_ci[1] if c.diff_ci else None,
                     c.hedges_g, c.hedges_g_ci[0] if c.hedges_g_ci else None,
                     c.hedges_g_ci[1] if c.hedges_g_ci else None, c.p_adjusted,
                     c.mde_points, c.mde_g, c.mid_points, verdict_name(c.verdict, lang),
                     change_reading(c, lang) or None, units])
    _sheet(workbook, "change", header, rows,
           {7: two, 8: two, 9: "+0.00;-0.00;0.00", 10: two, 11: two, 12: two, 13: two,
            14: two, 15: "0.000", 16: two, 17: two, 18: two},
           hidden_words=words, widths={19: 18, 20: 60, 21: 40})

    # trend
    points = report.trend
    header = [word("col.domain", lang), word("xl.domain_id", lang),
              *(p.round_name for p in points)]
    rows = []
    for d in report.domains:
        values: list[object] = []
        for p in points:
            mean = p.means.get(d.domain_id) if p.status == SHOWN else None
            if mean is not None:
                values.append(mean)
            else:
                why = p.reasons.get(d.domain_id, "")
                values.append(held(why or ("" if p.status == WITHHELD else NO_RESPONSES)))
        rows.append([_title(d.title, lang), d.domain_id, *values])
    _sheet(workbook, "trend", header, rows,
           {c: two for c in range(3, len(points) + 3)},
           hidden_words=words, widths={c: 22 for c in range(3, 30)})

    # units (the heat map)
    ids = [d.domain_id for d in report.domains] or sorted(
        {i for cell in report.units for i in (*cell.means, *cell.domain_reasons)})
    header = [word("col.unit", lang), word("xl.level", lang), word("xl.status", lang),
              word("col.n", lang), *ids]
    rows = [["   " * cell.depth + cell.name, cell.depth, *_cell_row(cell, ids, lang, held)]
            for cell in report.units]
    _sheet(workbook, "units", header, rows,
           {c: two for c in range(5, len(ids) + 5)}, hidden_words=words,
           widths={2: 7, 3: 14, 4: 8})

    # roles
    role_ids = [i for i in ids if any(i in c.means or i in c.domain_reasons
                                      for c in report.roles)] or sorted(
        {i for c in report.roles for i in (*c.means, *c.domain_reasons)})
    header = [word("col.role", lang), word("xl.status", lang), word("col.n", lang), *role_ids]
    rows = [[role_name(cell.name, lang), *_cell_row(cell, role_ids, lang, held)]
            for cell in report.roles]
    _sheet(workbook, "roles", header, rows,
           {c: two for c in range(4, len(role_ids) + 4)}, hidden_words=words,
           widths={2: 14, 3: 8})

    # items
    n_points = max((len(i.points) for d in report.domains for i in d.items), default=5)
    header = [word("xl.domain_id", lang), word("col.item", lang), word("col.text", lang),
              word("xl.scale", lang), word("xl.reverse", lang), word("col.n", lang),
              word("xl.n_na", lang), word("col.na", lang), word("col.mean", lang),
              word("col.favorable", lang),
              *(word("xl.count", lang, point=p + 1) for p in range(n_points))]
    rows = []
    for d in report.domains:
        for item in d.items:
            first = [d.domain_id, item.item_id, _title(item.text, lang), item.scale,
                     word("yes" if item.reverse else "no", lang)]
            if item.status != SHOWN or item.n is None:
                text = held(_code(item.status, item.reason or NO_RESPONSES))
                rows.append([*first, text, item.n_na, item.pct_na, text, text,
                             *([text] * len(item.points))])
                continue
            rows.append([*first, item.n, item.n_na, item.pct_na, item.mean, item.pct_favorable,
                         *(item.distribution or ())])
    if not shown:
        rows.append([report.scope_name] + [scope_held] * (len(header) - 1))
    _sheet(workbook, "items", header, rows,
           {8: one, 9: two, 10: one}, hidden_words=words, widths={1: 10, 2: 10, 3: 60})

    # codebook
    _sheet(workbook, "codebook",
           [word("cb.header.name", lang), word("cb.header.meaning", lang)],
           [list(row) for row in _xlsx_codebook(report, lang)], widths={1: 28, 2: 100})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_row(cell: Cell, ids: list[str], lang: str, held) -> list[object]:
    """Status, n and the domain means of a heat-map or role row; a withheld number is its
    short reason in words."""
    if cell.status != SHOWN:
        text = held(_code(cell.status, cell.reason))
        return [word(f"status.{cell.status}", lang), text, *([text] * len(ids))]
    means: list[object] = []
    for i in ids:
        value = cell.means.get(i)
        means.append(value if value is not None else
                     held(cell.domain_reasons.get(i, NO_RESPONSES)))
    return [word("status.shown", lang), cell.n, *means]


def _xlsx_codebook(report: Report, lang: str) -> list[tuple[str, str]]:
    k = report.min_group_size
    rows = [(s, word(f"xl.about.{s}", lang, k=k)) for s in
            ("summary", "domains", "agreement", "change", "trend", "units", "roles", "items")]
    for code in (BELOW_K, PROTECTS_SMALLER, NO_RESPONSES, CHANGED_UNITS):
        rows.append((reason_text(code, lang, k, short=True),
                     word(f"cb.reason.{code}", lang, k=k)))
    for key in ("ci_low", "pct_favorable", "alpha", "omega", "icc2"):
        rows.append((key, word(f"cb.{key}", lang, k=k)))
    rows.append((word("withheld", lang), word("cb.status.withheld", lang, k=k)))
    rows.append((word("xl.blank", lang), word("cb.status.not available", lang, k=k)))
    for d in report.domains:
        rows.append((d.domain_id, _title(d.title, lang)))
    return rows
