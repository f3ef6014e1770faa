"""Instrument library: browse the bundled instruments version by version, in English or Spanish.

Shows one version of one instrument: what it is, its fingerprint, its response scales, every
domain with its items, and what changed since the previous version (`instruments.diff`).
The instrument and version are kept in the URL (``/library?instrument=ti-staff&version=1.0.0``)
so a link can point at one version.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from instruments import Form, Instrument, InstrumentError, content_hash
from instruments.diff import InstrumentDiff, diff_instruments
from instruments.model import KNOWN_LANGUAGES, SOURCE_LANGUAGE, Status
from instruments.registry import library, previous_version, versions
from ui.i18n import current_language, t, tn
from ui.markdown_text import escape
from ui.url_state import seed_from_url, show_in_url

# colours only echo the words in the badge; the meaning never rests on colour alone
STATUS_COLORS = {Status.DRAFT: "gray", Status.PUBLISHED: "green", Status.RETIRED: "orange"}
CHANGE_COLORS = {
    "unchanged": "gray",
    "reworded": "blue",
    "changed": "red",
    "added": "violet",
    "removed": "orange",
}
VERDICT_COLORS = {
    "comparable": "green",
    "partially comparable": "orange",
    "not comparable": "red",
}
CHANGE_ORDER = ("reworded", "changed", "added", "removed", "unchanged")
_FORM_ORDER = {form: n for n, form in enumerate(Form)}


def badge(color: str, text: str) -> str:
    return f":{color}-badge[{text}]"


def change_badge(change: str) -> str:
    return badge(CHANGE_COLORS[change], t(f"change.{change}"))


def instrument_ids(bundled: tuple[Instrument, ...]) -> list[str]:
    """Instrument ids in menu order: the staff form first, then leadership, then pulse."""
    firsts: dict[str, Instrument] = {}
    for instrument in bundled:
        firsts.setdefault(instrument.id, instrument)
    return sorted(firsts, key=lambda i: (_FORM_ORDER[firsts[i].form], i))


def default_version(candidates: list[Instrument]) -> Instrument:
    """The newest published version, or the newest of all when none is published yet."""
    published = [i for i in candidates if i.status is Status.PUBLISHED]
    return (published or candidates)[-1]


def shown_language(instrument: Instrument, wanted: str) -> str:
    """The language to show the instrument in: the one wanted when the instrument has it."""
    return wanted if wanted in instrument.languages else SOURCE_LANGUAGE


# -- what the page shows, as rows of Markdown cells for st.table -------------------------------


def item_rows(
    instrument: Instrument, domain_index: int, lang: str, diff: InstrumentDiff | None
) -> list[dict[str, str]]:
    """One row per item of a domain; the last column only when there is a previous version."""
    domain = instrument.domains[domain_index]
    change_of = {d.after_id: str(d.change) for d in diff.items} if diff is not None else {}
    rows = []
    for item in domain.items:
        row = {
            t("library.col.id"): f"`{item.id}`",
            t("library.col.statement"): escape(item.text[lang]),
            t("library.col.scale"): f"`{item.scale}`",
            t("library.col.keying"): badge("orange", t("library.reverse")) if item.reverse else "",
        }
        if diff is not None:
            change = change_of.get(item.id, "unchanged")
            since = diff.before.partition("@")[2]
            row[t("library.col.since", version=since)] = (
                "" if change == "unchanged" else change_badge(change)
            )
        rows.append(row)
    return rows


def scale_rows(instrument: Instrument, scale_id: str, lang: str) -> list[dict[str, str]]:
    scale = instrument.scales[scale_id]
    return [
        {
            t("library.col.point"): str(point),
            t("library.col.label"): escape(label),
            t("library.col.favorable"): t("library.favorable_mark")
            if point in scale.favorable
            else "",
        }
        for point, label in zip(scale.points, scale.labels[lang], strict=True)
    ]


def changed_item_rows(
    before: Instrument, after: Instrument, diff: InstrumentDiff, lang: str
) -> list[dict[str, str]]:
    """Every item that is not unchanged, reworded first, with its wording before and now."""
    before_lang = shown_language(before, lang)
    rows = []
    changed = [d for d in diff.items if str(d.change) != "unchanged"]
    changed.sort(key=lambda d: CHANGE_ORDER.index(str(d.change)))
    for d in changed:
        if d.before_id and d.after_id and d.before_id != d.after_id:
            item = f"`{d.before_id}` → `{d.after_id}`"
        else:
            item = f"`{d.after_id or d.before_id}`"
        rows.append(
            {
                t("changes.col.change"): change_badge(str(d.change)),
                t("changes.col.item"): item,
                t("changes.col.domain"): f"`{d.domain_id}`",
                t("changes.col.before", version=before.version): escape(
                    before.item(d.before_id).text[before_lang]
                )
                if d.before_id
                else "—",
                t("changes.col.after", version=after.version): escape(
                    after.item(d.after_id).text[lang]
                )
                if d.after_id
                else "—",
            }
        )
    return rows


def domain_rows(
    before: Instrument, after: Instrument, diff: InstrumentDiff, lang: str
) -> list[dict[str, str]]:
    """Per domain: its title, whether scores compare, on how many items."""
    titles = {d.id: d.title[shown_language(before, lang)] for d in before.domains}
    titles.update({d.id: d.title[lang] for d in after.domains})
    return [
        {
            t("changes.col.domain"): f"`{d.domain_id}` {escape(titles[d.domain_id])}",
            t("changes.col.verdict"): badge(
                VERDICT_COLORS[str(d.verdict)], t(f"verdict.{d.verdict}")
            ),
            t("changes.col.comparable"): t("changes.n_of", n=d.n_comparable, total=d.n_total),
        }
        for d in diff.domains
    ]


# -- drawing -------------------------------------------------------------------------------------


INSTRUMENT_PARAM = "instrument"
VERSION_PARAM = "version"


def _widget_key(param: str, lang: str) -> str:
    """A selector's key, one per language: the labels of its options are in that language, and a
    selector whose labels change under it would lose the choice. The URL carries the choice
    from one language's selector to the other's."""
    return f"library_{param}_{lang}"


def _forget_version(lang: str) -> None:
    """Another instrument was chosen: start again from its default version."""
    st.session_state.pop(_widget_key(VERSION_PARAM, lang), None)
    if VERSION_PARAM in st.query_params:
        del st.query_params[VERSION_PARAM]


def pick_instrument(bundled: tuple[Instrument, ...], lang: str) -> Instrument:
    """The instrument and version selectors; their choice is kept in the URL."""
    ids = instrument_ids(bundled)
    titles = {}
    for instrument_id in ids:
        newest = versions(instrument_id)[-1]
        titles[instrument_id] = f"{newest.title[shown_language(newest, lang)]} · {instrument_id}"
    left, right = st.columns([3, 1])
    instrument_key = _widget_key(INSTRUMENT_PARAM, lang)
    seed_from_url(instrument_key, ids, ids[0], param=INSTRUMENT_PARAM)
    instrument_id = left.selectbox(
        t("library.pick_instrument"),
        ids,
        format_func=titles.__getitem__,
        key=instrument_key,
        on_change=_forget_version,
        args=(lang,),
    )
    candidates = versions(instrument_id)
    by_version = {i.version: i for i in reversed(candidates)}  # newest first
    version_key = _widget_key(VERSION_PARAM, lang)
    seed_from_url(
        version_key, by_version, default_version(candidates).version, param=VERSION_PARAM
    )
    version = right.selectbox(
        t("library.pick_version"),
        list(by_version),
        format_func=lambda v: f"{v} · {t(f'status.{by_version[v].status}', lang)}",
        key=version_key,
    )
    show_in_url(INSTRUMENT_PARAM, instrument_id)
    show_in_url(VERSION_PARAM, version)
    return by_version[version]


def show_header(instrument: Instrument, lang: str, previous: Instrument | None) -> None:
    st.header(instrument.title[lang], anchor=False)
    st.markdown(
        " ".join(
            [
                badge(STATUS_COLORS[instrument.status], t(f"status.{instrument.status}")),
                badge("blue", t(f"form.{instrument.form}")),
                badge("gray", instrument.ref),
            ]
        )
    )
    st.markdown(escape(instrument.description[lang]))
    with st.container(horizontal=True, gap="large"):  # wraps on a phone instead of stacking
        st.metric(t("library.domains"), len(instrument.domains))
        st.metric(t("library.items"), len(instrument.item_ids()))
        st.metric(t("library.minutes"), t("library.minutes_value", n=instrument.minutes))
        st.metric(
            t("library.languages"),
            " · ".join(code.upper() for code in instrument.languages),
            help=", ".join(KNOWN_LANGUAGES.get(code, code) for code in instrument.languages),
        )
    st.caption(t("library.fingerprint"))
    st.code(content_hash(instrument), language=None, wrap_lines=True)
    if previous is None:
        st.caption(t("library.first_version"))


def show_domains(instrument: Instrument, lang: str, diff: InstrumentDiff | None) -> None:
    st.markdown(t("library.reverse_note", badge=badge("orange", t("library.reverse"))))
    for index, domain in enumerate(instrument.domains):
        label = (
            f"**{domain.id}** · {escape(domain.title[lang])} — "
            f"{tn('library.n_items', len(domain.items))}"
        )
        with st.expander(label, expanded=index == 0):
            st.markdown(f"**{t('library.why')}:** *{escape(domain.why[lang])}*")
            st.table(
                item_rows(instrument, index, lang, diff),
                hide_index=True,
                hide_header=False,
                border="horizontal",
                width="content",
                alt=t("library.items_alt", domain=domain.title[lang]),
            )


def show_scales(instrument: Instrument, lang: str) -> None:
    use = Counter(item.scale for _, item in instrument.items())
    for column, scale_id in zip(
        st.columns(len(instrument.scales), gap="large"), instrument.scales, strict=True
    ):
        with column:
            st.subheader(f"`{scale_id}`", anchor=False)
            st.caption(t("library.used_by", n=use[scale_id]))
            st.table(
                scale_rows(instrument, scale_id, lang),
                hide_index=True,
                hide_header=False,
                border="horizontal",
                alt=t("library.scale_alt", scale=scale_id),
            )
    st.info(t("library.not_applicable", label=instrument.not_applicable[lang]), icon="ℹ️")
    st.caption(
        t("library.min_answered", pct=round(instrument.scoring.min_answered * 100))
    )


def show_changes(before: Instrument, after: Instrument, diff: InstrumentDiff, lang: str) -> None:
    st.markdown(t("changes.intro", before=before.ref, after=after.ref))
    counts = Counter(str(d.change) for d in diff.items)
    st.markdown(
        "  ".join(
            f"{change_badge(change)} **{counts[change]}**"
            for change in CHANGE_ORDER
            if counts[change]
        )
    )
    st.subheader(t("changes.items"), anchor=False)
    st.caption(
        t(
            "changes.legend",
            **{change: change_badge(change) for change in CHANGE_ORDER if change != "unchanged"},
        )
    )
    rows = changed_item_rows(before, after, diff, lang)
    if rows:
        st.table(
            rows,
            hide_index=True,
            hide_header=False,
            border="horizontal",
            alt=t("changes.items_alt", before=before.ref, after=after.ref),
        )
    else:
        st.success(t("changes.none"))
    st.subheader(t("changes.domains"), anchor=False)
    st.table(
        domain_rows(before, after, diff, lang),
        hide_index=True,
        hide_header=False,
        border="horizontal",
        alt=t("changes.domains_alt", before=before.ref, after=after.ref),
    )


def render() -> None:
    wanted = current_language()
    st.title(t("library.title"), anchor=False)
    st.caption(t("library.intro"))
    try:
        bundled = library()
    except InstrumentError as exc:
        st.error(t("library.broken"))
        st.code("\n".join(str(problem) for problem in exc.problems), language=None)
        return
    if not bundled:
        st.info(t("library.empty"))
        return

    instrument = pick_instrument(bundled, wanted)
    lang = shown_language(instrument, wanted)
    if lang != wanted:
        st.warning(
            t(
                "library.no_translation",
                language=KNOWN_LANGUAGES[wanted],
                source=KNOWN_LANGUAGES[lang],
            )
        )
    previous = previous_version(instrument)
    diff = diff_instruments(previous, instrument) if previous is not None else None

    show_header(instrument, lang, previous)
    tab_names = [
        f"{t('library.tab.domains')} ({len(instrument.domains)})",
        t("library.tab.scales"),
    ]
    if previous is not None:
        tab_names.append(t("library.tab.changes", version=previous.version))
    tabs = st.tabs(tab_names)
    with tabs[0]:
        show_domains(instrument, lang, diff)
    with tabs[1]:
        show_scales(instrument, lang)
    if previous is not None and diff is not None:
        with tabs[2]:
            show_changes(previous, instrument, diff, lang)


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
