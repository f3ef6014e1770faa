"""Reliability and agreement (managers and admins), in plain language first and numbers second:
whether a domain's items hang together (Cronbach's alpha with its 95% CI, McDonald's omega of the
score as scored), which items fit poorly, and where agreement among a unit's staff is weak or
lacking or their answers fall into two separate groups.

The numbers come with the report (`scoring.reliability`, `scoring.agreement`); what may be shown
and in which words is `reports.display`'s, the same as in the PDF, HTML and spreadsheet:
reliability only from 30 complete responses, a negative alpha in words, omega withheld with its
reason, ICCs below 0 as 0, agreement in LeBreton & Senter's (2008) bands.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports import display
from reports.builder import DomainResult
from reports.words import listing, number, word
from scoring.disclosure import BELOW_K, SHOWN
from ui.i18n import t
from ui.markdown_text import escape
from ui.report_context import ReportPage, localized, open_report
from ui.report_text import mean_text, status_text

ALPHA_DIGITS = 2


def reliability_words(domain: DomainResult, k: int = 0, lang: str = "en") -> tuple[str, str]:
    """(kind, sentence): kind is "good", "caution" or "bad", for the box around the words."""
    if domain.status != SHOWN:
        return "caution", status_text(domain.status, k, domain.reason)
    kind = display.reliability_kind(domain, k)
    sentence = display.reliability_words(domain, lang, k)
    shown = display.reliability_shown(domain, k)
    if shown.shown and shown.omega_reason in (display.OMEGA_REVERSED,
                                              display.OMEGA_MULTIDIMENSIONAL):
        sentence += "; ω: " + display.omega_text(domain, lang, k)
    return kind, sentence[:1].upper() + sentence[1:] + "."


def item_text(page: ReportPage, domain: DomainResult, item_id: str) -> str:
    for item in domain.items:
        if item.item_id == item_id:
            return f"{item_id} “{localized(item.text, page.lang)}”"
    return item_id


def domain_name(page: ReportPage, domain: DomainResult) -> str:
    return f"{domain.domain_id} · {page.domain_title(domain.domain_id)}"


def show_reliability(page: ReportPage) -> None:
    """Domains whose items hang together, in one line; each one with something to watch, in
    a box of its own with the items that fit poorly."""
    st.header(t("report.rel.heading"), anchor=False)
    good = []
    for domain in page.report.domains:
        kind, words = reliability_words(domain, page.report.min_group_size, page.lang)
        if kind == "good" and not domain.weak_items:
            good.append(domain_name(page, domain))
            continue
        box = {"good": st.success, "caution": st.warning, "bad": st.error}[kind]
        weak = "".join(
            "\n- " + t("report.rel.weak_item", item=escape(item_text(page, domain, item_id)))
            for item_id in domain.weak_items
        )
        box(f"**{escape(domain_name(page, domain))}**: {escape(words)}{weak}")
    if good:
        st.success(t("report.rel.good_list") + "\n" + "\n".join(
            f"- {escape(name)}" for name in good
        ))


def show_agreement(page: ReportPage) -> None:
    """Per unit, the domains on which agreement among its staff is weak or lacking, or their
    answers fall into two separate groups; then each unit's band per domain."""
    st.header(t("report.agree.heading"), anchor=False)
    st.markdown(t("report.agree.lead"))
    low: dict[str, list[str]] = {}
    split: dict[str, list[str]] = {}
    for domain in page.report.domains:
        bands = {u.unit: u for u in domain.unit_agreement}
        for unit in domain.low_agreement_units:
            title = page.domain_title(domain.domain_id)
            if unit in bands:
                title += f" ({display.band_words(bands[unit].band, page.lang)})"
            low.setdefault(unit, []).append(title)
        for unit in domain.split_units:
            split.setdefault(unit, []).append(page.domain_title(domain.domain_id))
    if not low and not split:
        st.success(t("report.agree.none"))
    for unit in [*low, *(u for u in split if u not in low)]:
        lines = []
        if unit in low:
            lines.append(t("report.agree.low", unit=escape(unit),
                           domains=escape(listing(low[unit], page.lang))))
        if unit in split:
            lines.append(t("report.agree.split", unit=escape(unit),
                           domains=escape(listing(split[unit], page.lang))))
        st.warning("\n\n".join(lines))
    table = agreement_table(page)
    if not table.empty:
        st.subheader(t("report.agree.units"), anchor=False)
        st.caption(t("report.agree.units_help", k=page.report.min_group_size))
        st.dataframe(table, hide_index=True)


def agreement_table(page: ReportPage) -> pd.DataFrame:
    """One row per unit and domain: the band, rwg(j) and its skewed-null sensitivity value."""
    lang = page.lang
    rows = [
        {
            t("report.col.domain"): f"{d.domain_id} · {page.domain_title(d.domain_id)}",
            t("report.col.unit"): u.unit,
            t("report.col.complete"): str(u.n),
            t("report.col.band"): display.band_words(u.band, lang),
            t("report.col.rwg"): number(u.rwg_j, lang, 2),
            t("report.col.rwg_skewed"): number(u.rwg_j_skewed, lang, 2),
            t("report.col.split"): word("yes" if u.split else "no", lang),
        }
        for d in page.report.domains if d.status == SHOWN for u in d.unit_agreement
    ]
    return pd.DataFrame(rows)


def reliability_table(page: ReportPage) -> pd.DataFrame:
    lang = page.lang
    k = page.report.min_group_size
    rows = []
    for d in page.report.domains:
        name = f"{d.domain_id} · {page.domain_title(d.domain_id)}"
        if d.status != SHOWN:
            held = status_text(d.status, k, d.reason)
            rows.append({
                t("report.col.domain"): name, t("report.col.complete"): held,
                t("report.col.alpha"): held, t("report.col.omega"): held,
                t("report.col.icc"): held,
            })
            continue
        complete = (str(d.n_complete) if d.n_complete is not None
                    else status_text("withheld", k, BELOW_K))
        shown = display.reliability_shown(d, k)
        rows.append({
            t("report.col.domain"): name,
            t("report.col.complete"): complete,
            t("report.col.alpha"): display.alpha_text(d, lang, k),
            t("report.col.omega"): display.omega_text(d, lang, k) if shown.shown
            else mean_text(None, lang),
            t("report.col.icc"): display.icc_words(d, lang),
        })
    return pd.DataFrame(rows)


def render() -> None:
    page = open_report("report.page.reliability")
    if page is None or not page.shown:
        return
    st.markdown(t("report.rel.lead"))
    show_reliability(page)
    show_agreement(page)
    st.header(t("report.rel.numbers"), anchor=False)
    st.dataframe(reliability_table(page), hide_index=True)
    st.caption(t("report.rel.method"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
