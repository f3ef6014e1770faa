"""The report as a document: sections of headings, paragraphs, tables and charts, in words.

`report_document(report, lang)` turns a `reports.builder.Report` into plain blocks that the PDF
and HTML exports render the same way, so both say the same sentences, show the same tables and
mark the same withheld cells. Numbers are rounded here, where they become text, and nowhere
else. A withheld group's row carries the word "withheld" and no number at all; a group without
responses carries "no data"; the two are never confused.

Every number has its own disclosure (`reports.builder`): a withheld number is never printed,
and its place says why in words, telling the three reasons apart ("fewer than k answered",
"withheld to protect a smaller group", "no data"; `reports.words.reason_text`). Whole rows
(a unit, a role, a domain, a change) carry the full reason; single cells inside a shown row
carry the short form, explained in the table's caption.

The plain-language readings of the statistics (DESIGN.md sections 7 and 8):

- reliability, agreement, ICCs, mean intervals and % favorable follow the display rules of
  `reports.display` (the same in the pages and the XLSX/CSV): reliability from Cronbach's
  alpha, ≥ .80 "items hang together well", ≥ .70 "acceptable", < .70 "interpret with
  caution", < .60 "unreliable", below zero in words, and "reliability needs at least 30
  complete responses; n here" below 30; omega as scored with its RMSR, or why it is withheld;
  agreement in LeBreton & Senter's (2008) bands, units with weak or lacking agreement and
  units whose answers fall into two separate groups named; ICCs below 0 as 0;
- change: the verdict of `scoring.change` (improved / declined / stable / too few to tell;
  the legacy "no clear change" of reports frozen before these four keeps its words) with the
  number of comparable items, the smallest detectable change per domain, why each verdict
  is what it is ("the change is smaller than half a standard deviation (about 0.31 points
  here)", "with 8 and 9 responses only a change of about 0.62 points or more could be
  detected"), that rounds are compared as independent groups (conservative when many of the
  same people answer both), and the units present in both rounds when the change was
  computed on them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reports import display
from reports.builder import AGENCY, ActionView, ChangeResult, DomainResult, ItemResult, Report
from reports.figures import (
    DIFFERENCE,
    Chart,
    change_chart,
    domain_scores_chart,
    heatmap_chart,
    item_chart,
    role_chart,
    summary_chart,
    trend_chart,
)
from reports.words import (
    change_reading,
    listing,
    long_date,
    mde_text,
    number,
    percent,
    reason_text,
    role_name,
    verdict_name,
    withheld_words,
    word,
)
from scoring.change import DECLINED, IMPROVED, NO_CLEAR_CHANGE, STABLE, TOO_FEW
from scoring.disclosure import BELOW_K, NO_DATA, NO_RESPONSES, SHOWN, WITHHELD

ALPHA_GOOD = display.ALPHA_GOOD
ALPHA_ACCEPTABLE = display.ALPHA_ACCEPTABLE
ALPHA_CAUTION = display.ALPHA_CAUTION
HIGH_NOT_APPLICABLE = 20.0  # % of an item's answers; a high share is itself a finding


# -- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: a section; 2: a subsection


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body, lead (larger) or note (smaller)


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """Label–value pairs (the cover)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    status: str = SHOWN  # SHOWN, WITHHELD or NO_DATA: how the row is drawn
    indent: int = 0  # tree depth of the first cell
    span: str | None = None  # text spanning every column after the first (withheld rows)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    caption: str
    widths: tuple[float, ...]  # relative column widths
    numeric: tuple[bool, ...] = ()  # right-aligned columns
    small: bool = False


@dataclass(frozen=True)
class ChartBlock:
    chart: Chart
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Facts | Table | ChartBlock | PageBreak


@dataclass(frozen=True)
class Section:
    key: str  # a stable anchor
    title: str
    blocks: tuple[Block, ...]
    appendix: bool = False  # after the body, for readers who want the detail


@dataclass(frozen=True)
class Document:
    lang: str
    title: str
    subtitle: str
    footer: str
    cover: tuple[Block, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)


# -- words for statistics --------------------------------------------------------------------


def reliability_words(domain: DomainResult, lang: str, k: int | None = None) -> str:
    """How far the domain's items can be trusted to measure one thing, in words
    (`reports.display.reliability_words`)."""
    return display.reliability_words(domain, lang, k if k is not None else 0)


def agreement_words(domain: DomainResult, lang: str) -> str:
    """Units with weak or lacking agreement and units split into two separate groups."""
    return display.agreement_words(domain, lang)


def icc_words(domain: DomainResult, lang: str) -> str:
    """ICC(1) with n0 and ICC(2), below 0 shown as 0 (`reports.display.icc_words`)."""
    return display.icc_words(domain, lang)


def ci_text(ci: tuple[float, float] | None, lang: str, digits: int = 1,
            signed: bool = False) -> str:
    if ci is None:
        return word("dash", lang)
    low = number(ci[0], lang, digits, signed=signed)
    return f"{low} – {number(ci[1], lang, digits, signed=signed)}"


def p_text(p: float | None, lang: str) -> str:
    if p is None:
        return word("dash", lang)
    if p < 0.001:
        return "< " + number(0.001, lang, 3)
    return number(p, lang, 3)


def _title(d: dict[str, str], lang: str) -> str:
    return d.get(lang) or d.get("en") or next(iter(d.values()), "")


def withheld_text(status: str, reason: str, lang: str, k: int) -> str:
    """What stands in place of a withheld group's numbers: "withheld: fewer than k
    answered", "withheld to protect a smaller group" or "no data" (never a number)."""
    if status == NO_DATA or reason == NO_RESPONSES:
        return withheld_words(NO_RESPONSES, lang, k)
    return withheld_words(reason, lang, k)  # an unknown reason reads "withheld"


def cell_text(reason: str, lang: str, k: int) -> str:
    """A single withheld number inside a shown row, in a table cell: the short reason."""
    return reason_text(reason, lang, k, short=True)


def withheld_row(name: str, lang: str, status: str, indent: int = 0, *, reason: str = "",
                 k: int = 0, cells: tuple[str, ...] = ()) -> Row:
    """A row for a group that is not shown: its name (and `cells` that are no statistic of
    it) and its reason in words, never a number of it."""
    return Row((name, *cells), status=status if status != SHOWN else WITHHELD, indent=indent,
               span=withheld_text(status, reason, lang, k))


# -- the document ----------------------------------------------------------------------------


def report_document(report: Report, lang: str, *, item_charts: bool = True) -> Document:
    """The whole report in `lang` as blocks (see the module docstring), in the order a board
    reads it: a one-page summary with the key chart and the change since the last round; the
    strengths, priorities and actions; the domain scores, the change, the units, the roles and
    the comments; then an appendix (trend, item detail, reliability and agreement, methods)."""
    titles = {d.domain_id: _title(d.title, lang) for d in report.domains}
    detailed = report.shown and bool(report.domains)
    sections: list[Section] = [_summary(report, lang, titles),
                               _priorities_section(report, lang, titles)]
    if detailed:
        sections += [_domain_section(report, lang), _change_section(report, lang, titles)]
    sections.append(_units_section(report, lang, titles))
    sections.append(_roles_section(report, lang))
    sections.append(_comments_section(report, lang, titles))
    appendix = []
    if detailed:
        appendix += [_trend_section(report, lang, titles), _items_section(report, lang,
                                                                          item_charts),
                     _reliability_section(report, lang)]
    appendix.append(_methods_section(report, lang))
    for letter, section in zip("ABCDEFGH", appendix, strict=False):
        sections.append(Section(section.key, word("board.appendix", lang, letter=letter,
                                                  title=section.title),
                                section.blocks, appendix=True))
    title = word("doc.title", lang)
    subtitle = f"{report.organization} · {report.round_name}"
    footer = f"{report.organization} · {report.round_name}"
    if report.scope_key != AGENCY:
        footer += f" · {report.scope_name}"
    return Document(lang, title, subtitle, footer, _cover(report, lang), tuple(sections))


def _cover(report: Report, lang: str) -> tuple[Block, ...]:
    k = report.min_group_size
    if report.n_responses is not None:
        responses = str(report.n_responses)
    elif report.scope_status == WITHHELD:
        responses = word("cover.responses_withheld", lang,
                         reason=reason_text(report.scope_reason, lang, k))
    else:
        responses = word("no_data", lang)
    if report.response_rate is not None:
        rate = percent(100 * report.response_rate, lang)
    elif not report.shown:
        rate = word("withheld", lang)
    else:
        rate = word("cover.rate_hidden", lang, k=k)
    invited = str(report.invited) if report.invited >= k else word("cover.invited_hidden",
                                                                  lang, k=k)
    dates = f"{long_date(report.opens_on, lang)} – {long_date(report.closes_on, lang)}"
    rows = (
        (word("cover.organization", lang), report.organization),
        (word("cover.scope", lang), report.scope_name),
        (word("cover.round", lang), report.round_name),
        (word("cover.dates", lang), dates),
        (word("cover.instrument", lang),
         f"{_title(report.instrument_title, lang)} ({report.instrument_ref})"),
        (word("cover.responses", lang), responses),
        (word("cover.invited", lang), invited),
        (word("cover.rate", lang), rate),
        (word("cover.threshold", lang), word("cover.threshold_value", lang, k=k)),
        (word("cover.comment_threshold", lang),
         word("cover.threshold_value", lang, k=report.min_comment_group_size)),
        (word("cover.produced", lang), long_date(date.today(), lang)),
    )
    return (
        Heading(word("doc.title", lang), 0),
        Paragraph(_title(report.instrument_title, lang), "lead"),
        Facts(rows),
        Paragraph(word("cover.anonymity", lang, k=k), "note"),
    )


def _summary(report: Report, lang: str, titles: dict[str, str]) -> Section:
    """The first page: how many answered, the key chart (each domain's mean with its change
    since the last round), and in three lines the strengths, the priorities and the change."""
    k = report.min_group_size
    blocks: list[Block] = []
    if report.scope_status == WITHHELD:
        blocks.append(Paragraph(word("sum.withheld", lang, scope=report.scope_name,
                                     reason=reason_text(report.scope_reason, lang, k))))
        return Section("summary", word("sec.summary", lang), tuple(blocks))
    if not report.shown or not report.domains:
        blocks.append(Paragraph(word("sum.no_data", lang, scope=report.scope_name)))
        return Section("summary", word("sec.summary", lang), tuple(blocks))
    n = report.n_responses
    if report.response_rate is not None:
        blocks.append(Paragraph(word("sum.responses_rate", lang, n=n, invited=report.invited,
                                     rate=percent(100 * report.response_rate, lang)), "lead"))
    else:
        blocks.append(Paragraph(word("sum.responses", lang, n=n, k=k), "lead"))
    blocks.append(ChartBlock(summary_chart(report, lang)))
    points = []
    if report.strengths:
        points.append(word("sum.strengths", lang, domains=listing(
            [titles[i] for i in report.strengths], lang)))
    if report.priorities:
        points.append(word("sum.priorities", lang, domains=listing(
            [titles[i] for i in report.priorities], lang)))
    if report.change:
        verdicts = [c.verdict for c in report.change]
        points.append(word("board.summary.change_tally", lang,
                           previous=report.previous_round_name,
                           improved=verdicts.count(IMPROVED), declined=verdicts.count(DECLINED),
                           stable=verdicts.count(STABLE), too_few=verdicts.count(TOO_FEW)))
    elif report.previous_round_name is None:
        points.append(word("board.summary.no_previous", lang))
    else:
        points.append(word("sum.no_change_group", lang, previous=report.previous_round_name))
    blocks.append(Bullets(tuple(points)))
    return Section("summary", word("sec.summary", lang), tuple(blocks))


def _priorities_section(report: Report, lang: str, titles: dict[str, str]) -> Section:
    """Strengths, priorities and what else a reader must know, then the actions."""
    k = report.min_group_size
    blocks: list[Block] = []
    actions = [Heading(word("sec.actions", lang), 2), *_action_blocks(report, lang)]
    if report.scope_status == WITHHELD:
        return Section("priorities", word("sec.priorities", lang), tuple(actions))
    if not report.shown or not report.domains:
        return Section("priorities", word("sec.priorities", lang), tuple(actions))

    def described(domain_id: str) -> str:
        d = report.domain(domain_id)
        favorable = display.favorable(d)
        if favorable is None:  # withheld beside the mean, or none to give
            return word("sum.domain_mean", lang, domain=titles[domain_id],
                        mean=number(d.mean, lang))
        return word("sum.domain", lang, domain=titles[domain_id], mean=number(d.mean, lang),
                    fav=percent(favorable, lang))

    points = []
    if report.strengths:
        points.append(word("sum.strengths", lang,
                           domains=listing([described(i) for i in report.strengths], lang)))
    if report.priorities:
        points.append(word("sum.priorities", lang,
                           domains=listing([described(i) for i in report.priorities], lang)))
    hidden = [d for d in report.domains if d.status != SHOWN]
    if hidden:
        points.append(word("sum.withheld_domains", lang, domains=listing(
            [f"{titles[d.domain_id]} ({reason_text(d.reason, lang, k)})" for d in hidden],
            lang)))
    if report.change:
        by = {v: [titles.get(c.domain_id, c.domain_id) for c in report.change if c.verdict == v]
              for v in (IMPROVED, DECLINED, STABLE, TOO_FEW, NO_CLEAR_CHANGE)}
        points.append(word("sum.change", lang, previous=report.previous_round_name,
                           improved=listing(by[IMPROVED], lang),
                           declined=listing(by[DECLINED], lang),
                           stable=len(by[STABLE]), too_few=len(by[TOO_FEW])))
        if by[NO_CLEAR_CHANGE]:
            points.append(word("sum.change_legacy", lang, n=len(by[NO_CLEAR_CHANGE])))
        held = [f"{titles.get(c.domain_id, c.domain_id)} ({reason_text(c.reason, lang, k)})"
                for c in report.change if c.verdict == WITHHELD]
        if held:
            points.append(word("sum.change_withheld", lang, domains=listing(held, lang)))
    elif report.previous_round_name is not None:
        points.append(word("sum.no_change_group", lang, previous=report.previous_round_name))
    caution = [titles[d.domain_id] for d in report.domains
               if d.status == SHOWN and display.needs_caution(d, k)]
    if caution:
        points.append(word("sum.caution", lang, domains=listing(caution, lang)))
    disagree: dict[str, list[str]] = {}
    for d in report.domains:
        for unit in (*d.low_agreement_units, *d.split_units):
            names = disagree.setdefault(unit, [])
            if d.domain_id not in names:
                names.append(d.domain_id)
    if disagree:
        points.append(word("disp.sum.agreement", lang, units=listing(
            [f"{unit} ({', '.join(ids)})" for unit, ids in disagree.items()], lang)))
    many_na = [(i.item_id, i.pct_na) for d in report.domains for i in d.items
               if i.pct_na is not None and i.pct_na >= HIGH_NOT_APPLICABLE]
    if many_na:
        points.append(word("sum.many_na", lang, items=listing(
            [f"{item} ({percent(share, lang)})" for item, share in many_na], lang)))
    if report.n_flagged:
        points.append(word("sum.flagged", lang, n=report.n_flagged))
    blocks.append(Bullets(tuple(points)))
    blocks += [Paragraph(note, "note") for note in display.notes(report.domains, lang)]
    if lang == "en":
        blocks += [Paragraph(note, "note") for note in report.notes]
    return Section("priorities", word("sec.priorities", lang), (*blocks, *actions))


def _domain_section(report: Report, lang: str) -> Section:
    chart = domain_scores_chart(report, lang)
    rows = []
    for d in report.domains:
        if d.status != SHOWN:
            rows.append(withheld_row(_title(d.title, lang), lang, d.status, reason=d.reason,
                                     k=report.min_group_size))
            continue
        fav = percent(display.favorable(d), lang)
        if d.pct_favorable_reason:
            fav = cell_text(d.pct_favorable_reason, lang, report.min_group_size)
        rows.append(Row((
            _title(d.title, lang), str(d.n_scored), number(d.mean, lang, 2),
            ci_text(display.mean_ci(d), lang, 2), number(d.sd, lang, 2), fav,
        )))
    table = Table(
        (word("col.domain", lang), word("col.n", lang), word("col.mean", lang),
         word("col.ci", lang), word("col.sd", lang), word("col.favorable", lang)),
        tuple(rows), word("tab.domains", lang), (5.2, 1, 1.2, 2.1, 1, 1.4),
        (False, True, True, True, True, True),
    )
    return Section("domains", word("sec.domains", lang), (
        Paragraph(word("sec.domains.intro", lang)), ChartBlock(chart), table,
        *(Paragraph(note, "note") for note in display.notes(report.domains, lang)),
    ))


def _change_row(c: ChangeResult, title: str, lang: str, k: int) -> Row:
    if c.verdict == WITHHELD:
        return withheld_row(title, lang, WITHHELD, reason=c.reason, k=k,
                            cells=(word("n_of_m", lang, n=c.n_items_compared, m=c.n_items),))
    return Row((
        title, word("n_of_m", lang, n=c.n_items_compared, m=c.n_items),
        number(c.mean_before, lang, 2), number(c.mean_after, lang, 2),
        number(c.diff, lang, 2, signed=True), ci_text(c.diff_ci, lang, 2, signed=True),
        number(c.hedges_g, lang, 2, signed=True), p_text(c.p_adjusted, lang),
        mde_text(c, lang), verdict_name(c.verdict, lang),
    ))


def _change_section(report: Report, lang: str, titles: dict[str, str]) -> Section:
    blocks: list[Block] = [Paragraph(word("sec.change.intro", lang))]
    units = next((c.units for c in report.change if c.units), ())
    if units:
        blocks.append(Paragraph(word("change.units", lang, n=len(units),
                                     units=listing(list(units), lang)), "lead"))
    blocks.append(ChartBlock(change_chart(report, lang)))
    if report.change:
        blocks.append(Table(
            (word("col.domain", lang), word("col.items", lang), word("col.before", lang),
             word("col.after", lang), word("col.diff", lang), word("col.ci", lang),
             word("col.g", lang), word("col.p_adj", lang), word("col.mde", lang),
             word("col.verdict", lang)),
            tuple(_change_row(c, titles.get(c.domain_id, c.domain_id), lang,
                              report.min_group_size)
                  for c in report.change),
            word("tab.change", lang, previous=report.previous_round_name),
            (2.9, 1.4, 0.9, 0.9, 1.1, 1.8, 1.1, 1.2, 1.9, 1.5),
            (False, False, True, True, True, True, True, True, False, False), small=True,
        ))
        readings = [f"{titles.get(c.domain_id, c.domain_id)}: {verdict_name(c.verdict, lang)} "
                    f"— {change_reading(c, lang)}"
                    for c in report.change if change_reading(c, lang)]
        if readings:
            blocks.append(Bullets(tuple(readings)))
        blocks.append(Paragraph(word("change.verdicts", lang), "note"))
        if any(c.verdict == NO_CLEAR_CHANGE for c in report.change):
            blocks.append(Paragraph(word("change.legacy", lang), "note"))
        blocks.append(Paragraph(word("change.independent", lang), "note"))
    return Section("change", word("sec.change", lang), tuple(blocks))


def _trend_section(report: Report, lang: str, titles: dict[str, str]) -> Section:
    points = report.trend
    k = report.min_group_size
    rows = []
    for d in report.domains:
        cells = [titles[d.domain_id]]
        for p in points:
            value = p.means.get(d.domain_id) if p.status == SHOWN else None
            if value is None:
                reason = p.reasons.get(d.domain_id, "")
                if not reason and p.status != WITHHELD:
                    reason = NO_RESPONSES  # withheld without a reason given: "withheld"
                cells.append(cell_text(reason, lang, k))
            else:
                n_items = p.comparable_items.get(d.domain_id, 0)
                cells.append(number(value, lang, 2) + (
                    f" ({n_items}/{d.n_items})" if n_items < d.n_items else ""))
        rows.append(Row(tuple(cells)))
    table = Table(
        (word("col.domain", lang), *(p.round_name for p in points)), tuple(rows),
        word("tab.trend", lang) + " " + word("reason.legend", lang, k=k),
        (4.0, *([2.0] * len(points))),
        (False, *([True] * len(points))), small=True,
    )
    blocks: list[Block] = [Paragraph(word("sec.trend.intro", lang))]
    other = [p.round_name for p in points if not p.same_units]
    if other:
        blocks.append(Paragraph(word("trend.other_units", lang, rounds=listing(other, lang)),
                                "note"))
    return Section("trend", word("sec.trend", lang), (
        *blocks, ChartBlock(trend_chart(report, lang)), table,
    ))


def _agreement_parts(domain: DomainResult, lang: str) -> list[str]:
    """The sentences of `display.agreement_words`, one by one."""
    text = agreement_words(domain, lang)
    split = word("disp.agr.split", lang, units=listing(list(domain.split_units), lang))
    if domain.split_units and text.endswith(split) and text != split:
        return [text[: -len(split)].rstrip(), split]
    return [text]


SHARED_ROWS = 3  # a sentence in this many rows of a table or more is said once, above it


def _reliability_section(report: Report, lang: str) -> Section:
    k = report.min_group_size
    shown = [d for d in report.domains if d.status == SHOWN]
    parts = {d.domain_id: _agreement_parts(d, lang) for d in shown}
    seen: dict[str, list[str]] = {}
    for d in shown:
        for part in parts[d.domain_id]:
            seen.setdefault(part, []).append(_title(d.title, lang))
    shared = {part: names for part, names in seen.items()
              if len(names) >= SHARED_ROWS and part != word("dash", lang)}
    rows = []
    for d in report.domains:
        if d.status != SHOWN:
            rows.append(withheld_row(_title(d.title, lang), lang, d.status, reason=d.reason,
                                     k=k))
            continue
        complete = str(d.n_complete) if d.n_complete is not None else cell_text(BELOW_K, lang, k)
        reliable = display.reliability_shown(d, k)
        alpha = display.alpha_text(d, lang, k)
        omega = display.omega_text(d, lang, k) if reliable.shown else word("dash", lang)
        words = reliability_words(d, lang, k)
        if words == alpha:  # too few, or below zero: said once
            words = word("dash", lang)
        own = [part for part in parts[d.domain_id] if part not in shared]
        agreement = " ".join(own) if own else word("board.rel.see_above", lang)
        rows.append(Row((
            _title(d.title, lang), complete, alpha, omega, words, agreement, icc_words(d, lang),
        )))
    notes = [Paragraph(word("board.rel.shared", lang, sentence=part, domains=(
        word("board.rel.shared_all", lang) if len(names) == len(shown) else listing(names, lang)
    )), "note") for part, names in shared.items()]
    table = Table(
        (word("col.domain", lang), word("col.n_complete", lang), word("col.alpha", lang),
         word("col.omega", lang), word("col.reliability", lang), word("col.agreement", lang),
         word("col.icc", lang)),
        tuple(rows), word("tab.reliability", lang), (3.0, 1.4, 2.3, 2.4, 1.9, 3.1, 2.8),
        (False, True, False, False, False, False, False), small=True,
    )
    blocks: list[Block] = [Paragraph(word("sec.reliability.intro", lang)), *notes, table]
    weak = [(d, i) for d in report.domains for i in d.weak_items]
    if weak:
        blocks.append(Paragraph(word("rel.weak_items", lang, items=listing(
            [f"{item} ({_title(d.title, lang)})" for d, item in weak], lang)), "note"))
    unit_rows = [
        Row((_title(d.title, lang), u.unit, str(u.n), display.band_words(u.band, lang),
             number(u.rwg_j, lang, 2), number(u.rwg_j_skewed, lang, 2),
             word("yes" if u.split else "no", lang)))
        for d in report.domains if d.status == SHOWN for u in d.unit_agreement
    ]
    if unit_rows:
        blocks.append(Heading(word("disp.col.agreement_units", lang), 2))
        blocks.append(Table(
            (word("col.domain", lang), word("col.unit", lang), word("col.n_complete", lang),
             word("disp.col.band", lang), word("disp.col.rwg", lang),
             word("disp.col.rwg_skewed", lang), word("disp.col.split", lang)),
            tuple(unit_rows), word("disp.tab.agreement_units", lang, k=k),
            (3.0, 3.0, 1.1, 2.2, 1.0, 1.6, 1.4),
            (False, False, True, False, True, True, False), small=True,
        ))
    return Section("reliability", word("sec.reliability", lang), tuple(blocks))


def _units_section(report: Report, lang: str, titles: dict[str, str]) -> Section:
    k = report.min_group_size
    ids = [d.domain_id for d in report.domains] or sorted(
        {i for cell in report.units for i in cell.means}
    )
    blocks: list[Block] = [Paragraph(word("sec.units.intro", lang, k=k))]
    charted = report.shown and bool(report.domains)
    if charted:
        blocks.append(ChartBlock(heatmap_chart(report, lang, view=DIFFERENCE)))
    rows = []
    for cell in report.units:
        if cell.status != SHOWN:
            rows.append(withheld_row(cell.name, lang, cell.status, cell.depth,
                                     reason=cell.reason, k=k))
            continue
        rows.append(Row(
            (cell.name, str(cell.n), *_means(cell.means, cell.domain_reasons, ids, lang, k)),
            indent=cell.depth,
        ))
    blocks.append(Table(
        (word("col.unit", lang), word("col.n", lang), *ids), tuple(rows),
        word("tab.units", lang, k=k) + " " + word("reason.legend", lang, k=k)
        + ("" if charted else " " + "; ".join(
            f"{i} = {titles.get(i, i)}" for i in ids)),
        (4.6, 0.9, *([0.95] * len(ids))), (False, *([True] * (len(ids) + 1))), small=True,
    ))
    return Section("units", word("sec.units", lang), tuple(blocks))


def _means(means: dict[str, float | None], reasons: dict[str, str], ids: list[str],
           lang: str, k: int) -> tuple[str, ...]:
    """A shown group's domain means, each withheld one replaced by its short reason."""
    out = []
    for i in ids:
        value = means.get(i)
        if value is None:
            out.append(cell_text(reasons.get(i, NO_RESPONSES), lang, k))
        else:
            out.append(number(value, lang, 1))
    return tuple(out)


def _roles_section(report: Report, lang: str) -> Section:
    k = report.min_group_size
    order = [d.domain_id for d in report.domains]
    ids = sorted({i for c in report.roles for i in (*c.means, *c.domain_reasons)},
                 key=lambda i: (order.index(i) if i in order else 99, i))
    blocks: list[Block] = [Paragraph(word("sec.roles.intro", lang, k=k))]
    if any(c.status == SHOWN for c in report.roles):
        blocks.append(ChartBlock(role_chart(report, lang)))
    rows = []
    for cell in report.roles:
        name = role_name(cell.name, lang)
        if cell.status != SHOWN:
            rows.append(withheld_row(name, lang, cell.status, reason=cell.reason, k=k))
            continue
        rows.append(Row((name, str(cell.n),
                         *_means(cell.means, cell.domain_reasons, ids, lang, k))))
    blocks.append(Table(
        (word("col.role", lang), word("col.n", lang), *ids), tuple(rows),
        word("tab.roles", lang, k=k) + " " + word("reason.legend", lang, k=k),
        (4.6, 0.9, *([0.95] * len(ids))),
        (False, *([True] * (len(ids) + 1))), small=True,
    ))
    return Section("roles", word("sec.roles", lang), tuple(blocks))


def _items_section(report: Report, lang: str, charts: bool) -> Section:
    blocks: list[Block] = [Paragraph(word("sec.items.intro", lang,
                                          high=percent(HIGH_NOT_APPLICABLE, lang)))]
    k = report.min_group_size
    for d in report.domains:
        blocks.append(Heading(_title(d.title, lang), 2))
        if d.status != SHOWN:
            blocks.append(Paragraph(word("fig.withheld_item", lang, what=_title(d.title, lang),
                                         reason=withheld_words(d.reason, lang, k)), "note"))
        if charts:
            blocks.append(ChartBlock(item_chart(report, d.domain_id, lang)))
        rows = [_item_row(item, lang, k) for item in d.items]
        blocks.append(Table(
            (word("col.item", lang), word("col.text", lang), word("col.n", lang),
             word("col.mean", lang), word("col.favorable", lang), word("col.na", lang),
             word("col.distribution", lang)),
            tuple(rows), word("tab.items", lang, domain=_title(d.title, lang)) + (
                " " + word("reason.legend", lang, k=k)
                if any(i.status != SHOWN for i in d.items) else ""),
            (1.3, 6.0, 0.8, 1.0, 1.2, 1.3, 2.0),
            (False, False, True, True, True, True, True), small=True,
        ))
    return Section("items", word("sec.items", lang), tuple(blocks))


def _item_row(item: ItemResult, lang: str, k: int) -> Row:
    text = _title(item.text, lang)
    if item.reverse:
        text += " " + word("fig.items.reverse", lang)
    na = percent(item.pct_na, lang)
    if item.pct_na is not None and item.pct_na >= HIGH_NOT_APPLICABLE:
        na += " " + word("items.high_na", lang)
    if item.status != SHOWN or item.n is None:
        dash = word("dash", lang)
        return Row((item.item_id, text, cell_text(item.reason or NO_RESPONSES, lang, k), dash,
                    dash, na, dash), status=WITHHELD if item.status == SHOWN else item.status)
    return Row((
        item.item_id, text, str(item.n), number(item.mean, lang, 2),
        percent(item.pct_favorable, lang), na,
        " / ".join(str(c) for c in item.distribution or ()),
    ))


def _comments_section(report: Report, lang: str, titles: dict[str, str]) -> Section:
    blocks: list[Block] = [Paragraph(word("sec.comments.intro", lang,
                                          kc=report.min_comment_group_size))]
    if not report.comments:
        blocks.append(Paragraph(word("comments.none", lang)))
    order = [d.domain_id for d in report.domains]
    keys = sorted(report.comments, key=lambda key: (
        order.index(key) if key in order else len(order) + (key == ""), key))
    for key in keys:
        heading = word("closing_question", lang) if key == "" else titles.get(key, key)
        blocks.append(Heading(heading, 2))
        blocks.append(Bullets(tuple(report.comments[key])))
    if report.comments_withheld:
        blocks.append(Paragraph(word("comments.withheld", lang,
                                     k=report.min_comment_group_size), "note"))
    return Section("comments", word("sec.comments", lang), tuple(blocks))


def _action_rows(actions: tuple[ActionView, ...], lang: str,
                 with_change: bool) -> tuple[Row, ...]:
    rows = []
    for a in actions:
        cells = [a.title, a.domain_id + (f" / {a.item_id}" if a.item_id else ""), a.owner,
                 long_date(a.due_on, lang), a.indicator, word(f"action.{a.status}", lang)]
        if with_change:
            c = a.change
            cells.append(word("dash", lang) if c is None else
                         f"{verdict_name(c.verdict, lang)} "
                         f"({number(c.diff, lang, 2, signed=True)})")
        rows.append(Row(tuple(cells)))
    return tuple(rows)


def _action_blocks(report: Report, lang: str) -> list[Block]:
    """The actions planned after the previous round (with the change since) and after this one."""
    columns = (word("col.action", lang), word("col.domain", lang), word("col.owner", lang),
               word("col.due", lang), word("col.indicator", lang), word("col.status", lang))
    blocks: list[Block] = []
    if report.actions_before:
        blocks.append(Heading(word("actions.before", lang,
                                   previous=report.previous_round_name), 2))
        blocks.append(Paragraph(word("actions.before.intro", lang)))
        blocks.append(Table(
            (*columns, word("col.change", lang)),
            _action_rows(report.actions_before, lang, True),
            word("tab.actions_before", lang), (3.2, 1.4, 1.8, 1.5, 2.4, 1.2, 1.8), small=True,
        ))
    if report.actions_now:
        blocks.append(Heading(word("actions.now", lang, round=report.round_name), 2))
        blocks.append(Table(columns, _action_rows(report.actions_now, lang, False),
                            word("tab.actions_now", lang), (3.6, 1.5, 2.0, 1.6, 2.8, 1.3),
                            small=True))
    if not blocks:
        blocks.append(Paragraph(word("actions.none", lang)))
    return blocks


def _methods_section(report: Report, lang: str) -> Section:
    blocks: list[Block] = []
    for topic in ("anonymity", "scores", "reliability", "agreement", "change", "quality"):
        blocks.append(Heading(word(f"methods.{topic}.title", lang), 2))
        blocks.append(Paragraph(word(f"methods.{topic}", lang, k=report.min_group_size,
                                     kc=report.min_comment_group_size)))
    blocks.append(Heading(word("methods.sources.title", lang), 2))
    blocks.append(Bullets(tuple(SOURCES)))
    return Section("methods", word("sec.methods", lang), tuple(blocks))


SOURCES = (
    "Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate. Journal of "
    "the Royal Statistical Society B, 57(1), 289–300.",
    "Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In K. J. "
    "Klein & S. W. J. Kozlowski (Eds.), Multilevel theory, research, and methods in "
    "organizations (pp. 349–381). Jossey-Bass.",
    "Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. "
    "Psychometrika, 16, 297–334.",
    "Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson "
    "reliability coefficient twenty. Psychometrika, 30, 357–370.",
    "Harrison, D. A., & Klein, K. J. (2007). What's the difference? Diversity constructs as "
    "separation, variety, or disparity in organizations. Academy of Management Review, 32, "
    "1199–1228.",
    "Hedges, L. V., & Olkin, I. (1985). Statistical methods for meta-analysis. Academic Press.",
    "Hundepool, A., et al. (2012). Statistical disclosure control. Wiley.",
    "James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater "
    "reliability with and without response bias. Journal of Applied Psychology, 69, 85–98.",
    "LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater "
    "reliability and interrater agreement. Organizational Research Methods, 11, 815–852.",
    "McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.",
    "SAMHSA (2014). SAMHSA's concept of trauma and guidance for a trauma-informed approach "
    "(HHS Publication No. SMA 14-4884).",
    "Welch, B. L. (1947). The generalization of 'Student's' problem when several different "
    "population variances are involved. Biometrika, 34, 28–35.",
)


def all_blocks(document: Document) -> list[Block]:
    """Every block of the document in reading order (cover, then the sections)."""
    out: list[Block] = list(document.cover)
    for section in document.sections:
        out.append(Heading(section.title, 1))
        out.extend(section.blocks)
    return out


def row_text(row: Row) -> tuple[str, ...]:
    """The cells of a row as printed (a spanning text after the first cell)."""
    return row.cells if row.span is None else (*row.cells, row.span)


__all__ = [
    "Block",
    "Bullets",
    "ChartBlock",
    "Document",
    "Facts",
    "Heading",
    "PageBreak",
    "Paragraph",
    "Row",
    "Section",
    "Table",
    "agreement_words",
    "all_blocks",
    "reliability_words",
    "report_document",
    "row_text",
]
