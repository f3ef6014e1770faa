"""The anonymized response export of a round (admin only), with its codebook.

What it promises: **no one can be singled out by the columns that describe a response.** A
reader who knows everything about a person that the file describes (their unit, role,
language, mode, the day they answered, how fast, whether their answers were flagged) still
finds at least k rows that may be theirs (k-anonymity, `scoring.k_anonymity`), and the file
is the same whichever way the people of withheld units are split between them. It keeps this
as follows.

- **Units as the reports show them.** On the round's tree with the agency at its root
  (`reports.builder.round_tree`), the unit-level disclosure of the reports
  (`reports.builder.unit_disclosure`, web responses counted as a part) decides which units
  are shown;
  each response carries the label of its nearest shown unit (itself or an ancestor). A shown
  unit's label then covers its own responses and those of the withheld units below it that no
  smaller shown unit covers, which complementary suppression makes 0 or at least k, and no
  label can be subtracted from another or from the reports to isolate a withheld group. When
  the whole round has fewer than k responses, no unit is shown: every row is left out and the
  file says how many.
- **k-anonymity on every describing column.** ``unit``, ``role``, ``language``, ``mode``,
  ``submitted_on`` (the day), ``seconds_per_item`` (a band) and ``quality_flags`` are the
  quasi-identifiers. Where a combination of them is held by fewer than k rows, those rows are
  generalized, in this fixed order, only as far as they need: ``submitted_on`` becomes
  ``round`` (some day of the round), then ``quality_flags``, ``seconds_per_item``,
  ``language``, ``mode`` and ``role`` become ``not shown``; the unit label last (into the
  shown unit above it, which cannot happen with labels of at least k rows; at the root the
  rows would be left out). The result depends only on the multiset of rows, not on the order
  they are stored in. The codebook says which columns were generalized in how many rows, and
  why.
- **Answers as given**, so analysts can re-run the statistics: one column per item, in
  instrument order, the scale point as answered (not reverse-keyed), ``NA`` for "not
  applicable", empty when skipped.
- **No order, no ids.** Rows are shuffled with fresh entropy on every export; no response id,
  access code, time of day, duration or comment is in the file.

`anonymized_responses` reads the round once; `responses_csv` writes the two CSV files (UTF-8
with a BOM) and touches no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from reports.builder import AGENCY, require_results, round_tree, unit_disclosure
from reports.spreadsheet_cells import csv_bytes
from reports.words import word
from scoring.disclosure import SHOWN, nearest_shown
from scoring.k_anonymity import k_anonymize
from storage.models import Response, Round
from storage.response_repo import round_responses

NOT_SHOWN = "not shown"
ROUND = "round"  # a date generalized to the round as a whole
NOT_APPLICABLE = "NA"
NO_ROLE = "prefer not to say"

# The quasi-identifiers after the unit, in the order they are generalized (first: first),
# with the value a generalized row carries.
GENERALIZATION_ORDER: tuple[tuple[str, str], ...] = (
    ("submitted_on", ROUND),
    ("quality_flags", NOT_SHOWN),
    ("seconds_per_item", NOT_SHOWN),
    ("language", NOT_SHOWN),
    ("mode", NOT_SHOWN),
    ("role", NOT_SHOWN),
)
QUASI_IDENTIFIERS = (
    "unit", "role", "language", "mode", "submitted_on", "seconds_per_item", "quality_flags",
)


@dataclass(frozen=True)
class ItemInfo:
    item_id: str
    domain_id: str
    text: dict[str, str]
    reverse: bool
    points: tuple[int, ...]
    labels: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class AnonymizedResponses:
    organization: str
    round_name: str
    instrument_ref: str
    min_group_size: int
    columns: tuple[str, ...]  # the quasi-identifiers, then one per item
    rows: tuple[tuple[str, ...], ...]  # in a fresh random order
    unit_counts: tuple[tuple[str, int], ...]  # label → rows, in tree order
    folded: tuple[tuple[str, str], ...]  # (unit withheld in the reports, the label it carries)
    unit_generalized: tuple[tuple[str, str], ...]  # (label with < k rows, the label it took)
    n_left_out: int
    generalized: dict[str, int]  # quasi-identifier → rows carrying it generalized
    items: tuple[ItemInfo, ...]
    not_applicable: dict[str, str]


@dataclass(frozen=True)
class _Described:
    """What the export reads of each response beside its answers, in storage order."""

    submitted_on: tuple[str, ...]
    seconds_per_item: tuple[str, ...]


def _described(session: Session, round_: Round, unit_ids: np.ndarray) -> _Described:
    """The day and time band of each response, in the order `round_responses` reads them
    (by id). The units read back are checked against it, so a change of that order cannot
    silently pair a row with another response's day."""
    rows = session.execute(
        sa.select(Response.round_unit_id, Response.submitted_on, Response.seconds_per_item_bucket)
        .where(Response.round_id == round_.id)
        .order_by(Response.id)
    ).all()
    if [row.round_unit_id for row in rows] != unit_ids.tolist():
        raise RuntimeError(
            f"the responses of round {round_.name!r} changed while they were read; export again"
        )
    return _Described(
        submitted_on=tuple(row.submitted_on.isoformat() for row in rows),
        seconds_per_item=tuple(row.seconds_per_item_bucket or "" for row in rows),
    )


def anonymized_responses(session: Session, round_: Round) -> AnonymizedResponses:
    """The round's responses, anonymized as the module docstring says."""
    require_results(round_)  # closed rounds only: nothing of an open round is read
    instrument = round_.instrument_version.instrument()
    item_ids = tuple(instrument.item_ids())
    responses = round_responses(session, round_, item_ids)
    described = _described(session, round_, responses.round_unit_ids)
    tree = round_tree(round_, round_.organization.name)
    if tree.keys[0] != AGENCY:
        raise RuntimeError("the round's tree must have the agency at its root")
    k = round_.min_group_size
    n_cells = len(tree.keys)
    decision, cells, _ = unit_disclosure(tree, responses, k)
    own = np.bincount(cells, minlength=n_cells)
    shown = decision.status == SHOWN
    nearest = nearest_shown(tree.parent, shown)
    label = nearest[cells] if responses.n else np.empty(0, dtype=np.int64)
    placed = np.flatnonzero(label >= 0)  # none only when the whole round is below k
    own_label = np.bincount(label[placed], minlength=n_cells)

    # The shown units as a tree of their own: each one's parent is its nearest shown ancestor.
    shown_parent = np.array(
        [nearest[int(tree.parent[i])] if tree.parent[i] >= 0 else -1 for i in range(n_cells)],
        dtype=np.int64,
    )
    roles = [r if r is not None else NO_ROLE for r in responses.roles]
    flags = ["; ".join(sorted(f)) for f in responses.quality_flags]
    columns_of = {
        "submitted_on": described.submitted_on,
        "quality_flags": flags,
        "seconds_per_item": described.seconds_per_item,
        "language": responses.languages,
        "mode": responses.modes,
        "role": roles,
    }
    anonymous = k_anonymize(
        label[placed],
        shown_parent,
        [[columns_of[name][i] for i in placed] for name, _ in GENERALIZATION_ORDER],
        [value for _, value in GENERALIZATION_ORDER],
        k,
    )
    generalized = dict(zip([name for name, _ in GENERALIZATION_ORDER],
                           anonymous.values, strict=True))
    kept = np.flatnonzero(anonymous.kept)
    rows_kept = placed[kept]
    group = anonymous.group[kept]

    values = responses.values[rows_kept]
    not_applicable = responses.not_applicable[rows_kept]
    answers = np.full(values.shape, "", dtype=object)
    answered = np.isfinite(values)
    answers[answered] = values[answered].astype(np.int64).astype(str)
    answers[not_applicable] = NOT_APPLICABLE

    order = np.random.default_rng().permutation(len(kept))  # fresh entropy each time
    rows = tuple(
        (
            tree.names[int(group[i])],
            *(generalized[name][int(kept[i])] for name in QUASI_IDENTIFIERS[1:]),
            *answers[i],
        )
        for i in order
    )
    exported = np.bincount(group, minlength=n_cells)
    unit_counts = tuple(
        (tree.names[i], int(exported[i])) for i in range(n_cells) if exported[i] > 0
    )
    final = np.full(n_cells, -1, dtype=np.int64)  # where each label's rows went
    final[label[placed]] = anonymous.group  # the same for every row of a label
    folded = tuple(
        (tree.names[i], tree.names[int(nearest[i])] if nearest[i] >= 0 else "")
        for i in range(n_cells) if own[i] > 0 and nearest[i] != i and nearest[i] >= 0
    )
    unit_generalized = tuple(
        (tree.names[i], tree.names[int(final[i])] if final[i] >= 0 else "")
        for i in range(n_cells) if anonymous.folded[i] and own_label[i] > 0
    )
    items = []
    for domain in instrument.domains:
        for item in domain.items:
            scale = instrument.scales[item.scale]
            items.append(ItemInfo(
                item_id=item.id, domain_id=domain.id, text=dict(item.text),
                reverse=item.reverse, points=tuple(scale.points),
                labels={lang: tuple(texts) for lang, texts in scale.labels.items()},
            ))
    order_names = [name for name, _ in GENERALIZATION_ORDER]
    return AnonymizedResponses(
        organization=round_.organization.name,
        round_name=round_.name,
        instrument_ref=round_.instrument_version.ref,
        min_group_size=k,
        columns=(*QUASI_IDENTIFIERS, *item_ids),
        rows=rows,
        unit_counts=unit_counts,
        folded=folded,
        unit_generalized=unit_generalized,
        n_left_out=int(responses.n - len(kept)),
        generalized={name: int(anonymous.generalized[order_names.index(name)])
                     for name in QUASI_IDENTIFIERS[1:]},
        items=tuple(items),
        not_applicable=dict(instrument.not_applicable),
    )


def _csv(rows: Iterable[Sequence[object]]) -> bytes:
    return csv_bytes(rows)


def _typed_row(row: tuple) -> tuple:
    """A response row with its answers as numbers (a scale may have negative points, which
    must stay numbers and not be taken for formulas); names and markers stay text."""
    n_fixed = len(QUASI_IDENTIFIERS)
    return (*row[:n_fixed], *(
        int(value) if value not in ("", NOT_APPLICABLE) else value for value in row[n_fixed:]
    ))


def _text(d: dict, lang: str) -> object:
    return d.get(lang) or d.get("en") or next(iter(d.values()), "")


def responses_csv(export: AnonymizedResponses, lang: str) -> tuple[bytes, bytes]:
    """(responses CSV, codebook CSV) of an anonymized export."""
    data = _csv([export.columns, *(_typed_row(row) for row in export.rows)])
    k = export.min_group_size
    book: list[tuple] = [(word("rx.variable", lang), word("rx.meaning", lang),
                          word("rx.values", lang))]
    book.append(("unit", word("rx.unit", lang, k=k), "; ".join(
        f"{label} ({n})" for label, n in export.unit_counts)))
    for column in QUASI_IDENTIFIERS[1:]:
        j = export.columns.index(column)
        values = sorted({row[j] for row in export.rows} - {NOT_SHOWN, ROUND, ""})
        n = export.generalized[column]
        value = ROUND if column == "submitted_on" else NOT_SHOWN
        shown = "; ".join(values) if column != "submitted_on" else (
            f"{values[0]} … {values[-1]}" if values else "")
        if n:
            shown += ("; " if shown else "") + word("rx.generalized_n", lang, value=value, n=n)
        book.append((column, word(f"rx.{column}", lang, k=k, round=ROUND), shown))
    for item in export.items:
        labels = _text(item.labels, lang)
        scale = "; ".join(f"{p} = {label}" for p, label in zip(item.points, labels,
                                                                  strict=True))
        scale += f"; {NOT_APPLICABLE} = {_text(export.not_applicable, lang)}; " + word(
            "rx.empty", lang)
        text = str(_text(item.text, lang))
        if item.reverse:
            text += " " + word("fig.items.reverse", lang)
        book.append((item.item_id, f"{item.domain_id}: {text}", scale))
    book.append(("", "", ""))
    book.append((word("rx.about", lang), word("rx.about.text", lang,
                                              round=export.round_name,
                                              organization=export.organization,
                                              instrument=export.instrument_ref,
                                              n=len(export.rows), k=k), ""))
    book.append((word("rx.k_anonymity", lang), word(
        "rx.k_anonymity.text", lang, k=k, round=ROUND, not_shown=NOT_SHOWN), ""))
    for column, _ in GENERALIZATION_ORDER:
        if export.generalized[column]:
            book.append((word("rx.generalized", lang), word(
                "rx.generalized.text", lang, column=column, n=export.generalized[column], k=k),
                ""))
    for unit, into in export.folded:
        book.append((word("rx.folded", lang), word("rx.folded.text", lang, unit=unit,
                                                   into=into, k=k), ""))
    for unit, into in export.unit_generalized:
        book.append((word("rx.generalized", lang), word(
            "rx.unit_generalized.text", lang, unit=unit, into=into, k=k), ""))
    book.append((word("rx.left_out", lang), word("rx.left_out.text", lang,
                                                 n=export.n_left_out, k=k), ""))
    book.append((word("rx.never", lang), word("rx.never.text", lang), ""))
    book.append((word("rx.risk", lang), word("rx.risk.text", lang, k=k), ""))
    return data, _csv(book)
