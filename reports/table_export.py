"""The report's aggregates as a spreadsheet (XLSX) and as CSV, each with a codebook.

Both are written from the same `aggregate_records(report)`: one record per statistic of a
group, in long format, with its disclosure status. A withheld group's statistics have no
value, only the status "withheld" (the XLSX writes the word "withheld" in the cell); a group
without responses has "no data". Numbers are kept unrounded (the XLSX only *displays* them
rounded, through a number format), so analysts can recompute from them.

- `report_xlsx(report, lang) -> bytes`: sheets summary, domains, change, trend, units (the heat
  map), roles, items and codebook. Sheet names are these fixed English ids, so scripts find
  them in every language; headers and words in the cells are in `lang`.
- `report_csv(report, lang) -> tuple[bytes, bytes]`: the aggregates CSV (columns
  ``section, group_type, group, depth, domain, item, statistic, value, status``; identifiers and
  statistic names are fixed English ids whatever the language) and its codebook CSV
  (``column_or_statistic, meaning`` in `lang`, then the domain and item texts). Both are
  UTF-8 with a byte-order mark, so that Excel opens accents correctly.
- `report_csv_zip(report, lang) -> bytes`: the two CSV files in one zip archive (for a single
  download).

Comments are not aggregates and are not exported here (they are in the PDF and HTML reports).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.builder import Report
from reports.document import reliability_words
from reports.words import role_name, verdict_name, word
from scoring.disclosure import NO_DATA, SHOWN, WITHHELD

NOT_AVAILABLE = "not available"
CSV_COLUMNS = ("section", "group_type", "group", "depth", "domain", "item", "statistic",
               "value", "status")

DOMAIN_STATISTICS = ("n_scored", "mean", "sd", "ci_low", "ci_high", "pct_favorable",
                     "n_complete", "alpha", "alpha_ci_low", "alpha_ci_high", "omega", "icc1",
                     "icc2")
ITEM_STATISTICS = ("n", "n_na", "pct_na", "mean", "pct_favorable")
CHANGE_STATISTICS = ("n_items_compared", "n_items", "n_before", "n_after", "mean_before",
                     "mean_after", "diff", "diff_ci_low", "diff_ci_high", "hedges_g",
                     "p_adjusted", "verdict")

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


def _title(d: dict[str, str], lang: str) -> str:
    return d.get(lang) or d.get("en") or next(iter(d.values()), "")


# -- the long-format records -----------------------------------------------------------------


def aggregate_records(report: Report) -> list[Record]:
    """Every statistic of the report, one record each (see the module docstring)."""
    out: list[Record] = []
    scope = report.scope_name
    status = report.scope_status

    def add(section: str, group_type: str, group: str, depth: int | None, domain: str,
            item: str, statistic: str, value: object, group_status: str) -> None:
        if group_status != SHOWN:
            value, row_status = None, group_status
        elif value is None:
            row_status = NOT_AVAILABLE
        else:
            row_status = SHOWN
        out.append(Record(section, group_type, group, depth, domain, item, statistic, value,
                          row_status))

    add("overview", "scope", scope, None, "", "", "n_responses", report.n_responses, status)
    invited_status = SHOWN if report.invited >= report.min_group_size else WITHHELD
    add("overview", "scope", scope, None, "", "", "invited", report.invited, invited_status)
    add("overview", "scope", scope, None, "", "", "response_rate",
        None if report.response_rate is None else 100 * report.response_rate,
        status if report.response_rate is not None or status != SHOWN else
        (WITHHELD if report.invited < report.min_group_size else SHOWN))
    add("overview", "scope", scope, None, "", "", "min_group_size", report.min_group_size,
        SHOWN)
    add("overview", "scope", scope, None, "", "", "min_comment_group_size",
        report.min_comment_group_size, SHOWN)
    add("overview", "scope", scope, None, "", "", "n_flagged", report.n_flagged, status)
    for d in report.domains:
        values = {
            "n_scored": d.n_scored, "mean": d.mean, "sd": d.sd,
            "ci_low": d.ci[0] if d.ci else None, "ci_high": d.ci[1] if d.ci else None,
            "pct_favorable": d.pct_favorable, "n_complete": d.n_complete, "alpha": d.alpha,
            "alpha_ci_low": d.alpha_ci[0] if d.alpha_ci else None,
            "alpha_ci_high": d.alpha_ci[1] if d.alpha_ci else None, "omega": d.omega,
            "icc1": d.icc1, "icc2": d.icc2,
        }
        for name in DOMAIN_STATISTICS:
            add("domain", "scope", scope, None, d.domain_id, "", name, values[name], status)
        for item in d.items:
            item_values = {"n": item.n, "n_na": item.n_na, "pct_na": item.pct_na,
                           "mean": item.mean, "pct_favorable": item.pct_favorable}
            for name in ITEM_STATISTICS:
                add("item", "scope", scope, None, d.domain_id, item.item_id, name,
                    item_values[name], status)
            for point, count in zip(item.points, item.distribution, strict=True):
                add("item", "scope", scope, None, d.domain_id, item.item_id,
                    f"count_{point}", count, status)
    for c in report.change:
        values = {
            "n_items_compared": c.n_items_compared, "n_items": c.n_items,
            "n_before": c.n_before, "n_after": c.n_after, "mean_before": c.mean_before,
            "mean_after": c.mean_after, "diff": c.diff,
            "diff_ci_low": c.diff_ci[0] if c.diff_ci else None,
            "diff_ci_high": c.diff_ci[1] if c.diff_ci else None, "hedges_g": c.hedges_g,
            "p_adjusted": c.p_adjusted, "verdict": c.verdict,
        }
        for name in CHANGE_STATISTICS:
            add("change", "scope", scope, None, c.domain_id, "", name, values[name], SHOWN)
    domain_ids = [d.domain_id for d in report.domains]
    for p in report.trend:
        for domain_id in domain_ids or sorted(p.means):
            add("trend", "round", p.round_name, None, domain_id, "", "mean",
                p.means.get(domain_id), p.status)
            add("trend", "round", p.round_name, None, domain_id, "", "comparable_items",
                p.comparable_items.get(domain_id), p.status)
    unit_domains = domain_ids or sorted({i for cell in report.units for i in cell.means})
    for cell in report.units:
        add("unit", "unit", cell.name, cell.depth, "", "", "n", cell.n, cell.status)
        for domain_id in unit_domains:
            add("unit", "unit", cell.name, cell.depth, domain_id, "", "mean",
                cell.means.get(domain_id), cell.status)
    role_domains = sorted({i for cell in report.roles for i in cell.means},
                          key=lambda i: (domain_ids.index(i) if i in domain_ids else 99, i))
    for cell in report.roles:
        add("role", "role", cell.name, None, "", "", "n", cell.n, cell.status)
        for domain_id in role_domains:
            add("role", "role", cell.name, None, domain_id, "", "mean",
                cell.means.get(domain_id), cell.status)
    return out


# -- the codebook ----------------------------------------------------------------------------

CODEBOOK_KEYS = (
    "section", "group_type", "group", "depth", "domain", "item", "statistic", "value",
    "status", "n_responses", "invited", "response_rate", "min_group_size",
    "min_comment_group_size", "n_flagged", *DOMAIN_STATISTICS, "n", "n_na", "pct_na",
    "count_P", *CHANGE_STATISTICS, "comparable_items",
)


def codebook_rows(report: Report, lang: str) -> list[tuple[str, str]]:
    """(name, meaning) for every column and statistic, then the report's domains and
    items with their texts in `lang`."""
    rows = [(key, word(f"cb.{key}", lang, k=report.min_group_size)) for key in CODEBOOK_KEYS]
    rows += [(f"status={s}", word(f"cb.status.{s}", lang, k=report.min_group_size))
             for s in (SHOWN, WITHHELD, NO_DATA, NOT_AVAILABLE)]
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def report_csv(report: Report, lang: str) -> tuple[bytes, bytes]:
    """(aggregates CSV, codebook CSV), both UTF-8 with a BOM."""
    records = aggregate_records(report)
    rows: list[tuple] = [CSV_COLUMNS]
    for r in records:
        rows.append((r.section, r.group_type, r.group, "" if r.depth is None else r.depth,
                     r.domain, r.item, r.statistic, _csv_value(r.value), r.status))
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
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
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
    withheld = word("withheld", lang)
    no_data = word("no_data", lang)
    hidden = {WITHHELD: withheld, NO_DATA: no_data}
    words = (withheld, no_data)
    k = report.min_group_size
    shown = report.shown
    two, one, pct = "0.00", "0.0", "0.0"

    # summary
    rate: object = 100 * report.response_rate if report.response_rate is not None else (
        hidden.get(report.scope_status, word("cover.rate_hidden", lang, k=k)))
    titles = {d.domain_id: _title(d.title, lang) for d in report.domains}
    summary = [
        [word("cover.organization", lang), report.organization],
        [word("cover.scope", lang), report.scope_name],
        [word("xl.scope_status", lang), word(f"status.{report.scope_status}", lang)],
        [word("cover.round", lang), report.round_name],
        [word("xl.opens", lang), report.opens_on],
        [word("xl.closes", lang), report.closes_on],
        [word("cover.instrument", lang),
         f"{_title(report.instrument_title, lang)} ({report.instrument_ref})"],
        [word("cover.responses", lang),
         report.n_responses if report.n_responses is not None else
         hidden.get(report.scope_status, withheld)],
        [word("cover.invited", lang), report.invited if report.invited >= k else
         word("cover.invited_hidden", lang, k=k)],
        [word("xl.rate_pct", lang), rate],
        [word("cover.threshold", lang), k],
        [word("cover.comment_threshold", lang), report.min_comment_group_size],
        [word("xl.strengths", lang), "; ".join(titles[i] for i in report.strengths)],
        [word("xl.priorities", lang), "; ".join(titles[i] for i in report.priorities)],
        [word("xl.previous", lang), report.previous_round_name or ""],
        [word("xl.flagged", lang), report.n_flagged if report.n_flagged is not None else
         hidden.get(report.scope_status, withheld)],
    ]
    _sheet(workbook, "summary", [word("xl.field", lang),
                                                      word("xl.value", lang)],
           summary, {2: "0.0"}, widths={2: 60})
    for r in range(2, len(summary) + 2):
        cell = workbook["summary"].cell(r, 2)
        if hasattr(cell.value, "isoformat"):
            cell.number_format = "yyyy-mm-dd"

    # domains
    header = [word("col.domain", lang), word("xl.domain_id", lang), word("col.n", lang),
              word("col.mean", lang), word("col.sd", lang), word("xl.ci_low", lang),
              word("xl.ci_high", lang), word("col.favorable", lang),
              word("col.n_complete", lang), word("xl.alpha", lang), word("xl.alpha_ci_low", lang),
              word("xl.alpha_ci_high", lang), word("col.omega", lang),
              word("col.reliability", lang), word("xl.weak_items", lang), "ICC(1)", "ICC(2)",
              word("xl.low_agreement", lang), word("xl.polarized", lang)]
    rows = []
    for d in report.domains:
        rows.append([
            _title(d.title, lang), d.domain_id, d.n_scored, d.mean, d.sd,
            d.ci[0] if d.ci else None, d.ci[1] if d.ci else None, d.pct_favorable,
            d.n_complete, d.alpha, d.alpha_ci[0] if d.alpha_ci else None,
            d.alpha_ci[1] if d.alpha_ci else None, d.omega, reliability_words(d, lang),
            ", ".join(d.weak_items), d.icc1, d.icc2, "; ".join(d.low_agreement_units),
            "; ".join(d.polarized_units),
        ])
    if not shown:
        rows.append([report.scope_name] + [hidden.get(report.scope_status, withheld)]
                    * (len(header) - 1))
    _sheet(workbook, "domains", header, rows,
           {4: two, 5: two, 6: two, 7: two, 8: pct, 10: two, 11: two, 12: two, 13: two,
            16: "0.000", 17: "0.000"}, hidden_words=words, widths={14: 26, 18: 26, 19: 26})

    # change
    header = [word("col.domain", lang), word("xl.domain_id", lang),
              word("xl.items_compared", lang), word("xl.items_total", lang),
              word("xl.n_before", lang), word("xl.n_after", lang), word("col.before", lang),
              word("col.after", lang), word("col.diff", lang), word("xl.ci_low", lang),
              word("xl.ci_high", lang), word("col.g", lang), word("col.p_adj", lang),
              word("col.verdict", lang)]
    rows = [[titles.get(c.domain_id, c.domain_id), c.domain_id, c.n_items_compared, c.n_items,
             c.n_before, c.n_after, c.mean_before, c.mean_after, c.diff,
             c.diff_ci[0] if c.diff_ci else None, c.diff_ci[1] if c.diff_ci else None,
             c.hedges_g, c.p_adjusted, verdict_name(c.verdict, lang)] for c in report.change]
    _sheet(workbook, "change", header, rows,
           {7: two, 8: two, 9: "+0.00;-0.00;0.00", 10: two, 11: two, 12: two, 13: "0.000"},
           widths={14: 18})

    # trend
    points = report.trend
    header = [word("col.domain", lang), word("xl.domain_id", lang),
              *(p.round_name for p in points)]
    rows = []
    for d in report.domains:
        rows.append([_title(d.title, lang), d.domain_id, *(
            p.means.get(d.domain_id) if p.status == SHOWN else hidden.get(p.status, withheld)
            for p in points)])
    _sheet(workbook, "trend", header, rows,
           {c: two for c in range(3, len(points) + 3)},
           hidden_words=words, widths={c: 22 for c in range(3, 30)})

    # units (the heat map)
    ids = [d.domain_id for d in report.domains] or sorted(
        {i for cell in report.units for i in cell.means})
    header = [word("col.unit", lang), word("xl.level", lang), word("xl.status", lang),
              word("col.n", lang), *ids]
    rows = []
    for cell in report.units:
        if cell.status != SHOWN:
            text = hidden.get(cell.status, withheld)
            rows.append(["   " * cell.depth + cell.name, cell.depth,
                         word(f"status.{cell.status}", lang), text, *([text] * len(ids))])
        else:
            rows.append(["   " * cell.depth + cell.name, cell.depth,
                         word("status.shown", lang), cell.n, *(cell.means.get(i) for i in ids)])
    _sheet(workbook, "units", header, rows,
           {c: two for c in range(5, len(ids) + 5)}, hidden_words=words,
           widths={2: 7, 3: 14, 4: 8})

    # roles
    role_ids = [i for i in ids if any(i in c.means for c in report.roles)] or sorted(
        {i for c in report.roles for i in c.means})
    header = [word("col.role", lang), word("xl.status", lang), word("col.n", lang), *role_ids]
    rows = []
    for cell in report.roles:
        name = role_name(cell.name, lang)
        if cell.status != SHOWN:
            text = hidden.get(cell.status, withheld)
            rows.append([name, word(f"status.{cell.status}", lang), text,
                         *([text] * len(role_ids))])
        else:
            rows.append([name, word("status.shown", lang), cell.n,
                         *(cell.means.get(i) for i in role_ids)])
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
            rows.append([d.domain_id, item.item_id, _title(item.text, lang), item.scale,
                         word("yes" if item.reverse else "no", lang), item.n, item.n_na,
                         item.pct_na, item.mean, item.pct_favorable, *item.distribution])
    if not shown:
        rows.append([report.scope_name] + [hidden.get(report.scope_status, withheld)]
                    * (len(header) - 1))
    _sheet(workbook, "items", header, rows,
           {8: one, 9: two, 10: one}, hidden_words=words, widths={1: 10, 2: 10, 3: 60})

    # codebook
    _sheet(workbook, "codebook",
           [word("cb.header.name", lang), word("cb.header.meaning", lang)],
           [list(row) for row in _xlsx_codebook(report, lang)], widths={1: 28, 2: 100})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_codebook(report: Report, lang: str) -> list[tuple[str, str]]:
    k = report.min_group_size
    rows = [(s, word(f"xl.about.{s}", lang, k=k)) for s in
            ("summary", "domains", "change", "trend", "units", "roles", "items")]
    rows.append((word("withheld", lang), word("cb.status.withheld", lang, k=k)))
    rows.append((word("no_data", lang), word("cb.status.no data", lang, k=k)))
    rows.append((word("xl.blank", lang), word("cb.status.not available", lang, k=k)))
    for d in report.domains:
        rows.append((d.domain_id, _title(d.title, lang)))
    return rows
