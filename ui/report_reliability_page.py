"""Reliability and agreement (managers and admins), in plain language first and numbers second:
whether a domain's items hang together (Cronbach's alpha with its 95% CI, McDonald's omega),
which items fit poorly, and where staff of a unit disagree strongly or are split.

The flags come with the report (`scoring.reliability`, `scoring.agreement`); this page only
puts them into words.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.builder import DomainResult
from reports.words import listing
from scoring.disclosure import BELOW_K, SHOWN
from scoring.reliability import FLAG_CAUTION, FLAG_TOO_FEW, FLAG_UNRELIABLE
from ui.i18n import t
from ui.markdown_text import escape
from ui.report_context import ReportPage, localized, open_report
from ui.report_text import ci_text, mean_text, status_text

ALPHA_DIGITS = 2


def reliability_words(domain: DomainResult, k: int = 0) -> tuple[str, str]:
    """(kind, sentence): kind is "good", "caution" or "bad", for the box around the words."""
    if domain.status != SHOWN:
        return "caution", status_text(domain.status, k, domain.reason)
    if domain.n_complete is None:
        return "caution", t("report.rel.withheld", k=k)
    flags = set(domain.reliability_flags)
    if FLAG_TOO_FEW in flags:
        return "caution", t("report.rel.too_few", n=domain.n_complete)
    if FLAG_UNRELIABLE in flags:
        return "bad", t("report.rel.unreliable")
    if FLAG_CAUTION in flags:
        return "caution", t("report.rel.caution")
    if domain.alpha is None:
        return "caution", t("report.rel.none")
    return "good", t("report.rel.good")


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
        kind, words = reliability_words(domain, page.report.min_group_size)
        if kind == "good" and not domain.weak_items:
            good.append(domain_name(page, domain))
            continue
        box = {"good": st.success, "caution": st.warning, "bad": st.error}[kind]
        weak = "".join(
            "\n- " + t("report.rel.weak_item", item=escape(item_text(page, domain, item_id)))
            for item_id in domain.weak_items
        )
        box(f"**{escape(domain_name(page, domain))}**: {words}{weak}")
    if good:
        st.success(t("report.rel.good_list") + "\n" + "\n".join(
            f"- {escape(name)}" for name in good
        ))


def show_agreement(page: ReportPage) -> None:
    """Per unit, the domains on which its staff disagree strongly or are split."""
    st.header(t("report.agree.heading"), anchor=False)
    st.markdown(t("report.agree.lead"))
    low: dict[str, list[str]] = {}
    split: dict[str, list[str]] = {}
    for domain in page.report.domains:
        for unit in domain.low_agreement_units:
            low.setdefault(unit, []).append(page.domain_title(domain.domain_id))
        for unit in domain.polarized_units:
            split.setdefault(unit, []).append(page.domain_title(domain.domain_id))
    if not low and not split:
        st.success(t("report.agree.none"))
        return
    for unit in [*low, *(u for u in split if u not in low)]:
        lines = []
        if unit in split:
            lines.append(t("report.agree.polarized", unit=escape(unit),
                           domains=escape(listing(split[unit], page.lang))))
        if unit in low:
            lines.append(t("report.agree.low", unit=escape(unit),
                           domains=escape(listing(low[unit], page.lang))))
        st.warning("\n\n".join(lines))


def reliability_table(page: ReportPage) -> pd.DataFrame:
    lang = page.lang
    k = page.report.min_group_size
    rows = []
    for d in page.report.domains:
        if d.status != SHOWN or d.n_complete is None:
            held = (status_text(d.status, k, d.reason) if d.status != SHOWN
                    else status_text("withheld", k, BELOW_K))
            rows.append({
                t("report.col.domain"): f"{d.domain_id} · {page.domain_title(d.domain_id)}",
                t("report.col.alpha"): held, t("report.col.alpha_ci"): held,
                t("report.col.omega"): held, t("report.col.complete"): held,
                t("report.col.icc1"): mean_text(d.icc1, lang) if d.status == SHOWN else held,
                t("report.col.icc2"): mean_text(d.icc2, lang) if d.status == SHOWN else held,
            })
            continue
        rows.append({
            t("report.col.domain"): f"{d.domain_id} · {page.domain_title(d.domain_id)}",
            t("report.col.alpha"): mean_text(d.alpha, lang),
            t("report.col.alpha_ci"): ci_text(d.alpha_ci, lang, ALPHA_DIGITS),
            t("report.col.omega"): mean_text(d.omega, lang),
            t("report.col.complete"): str(d.n_complete),
            t("report.col.icc1"): mean_text(d.icc1, lang),
            t("report.col.icc2"): mean_text(d.icc2, lang),
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
