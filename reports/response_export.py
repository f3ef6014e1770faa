"""The anonymized response export of a round (admin only), with its codebook.

One row per submitted response, in a fresh random order, with:

- ``unit``: a unit label that no subtraction against the reports can split. On the round's
  tree with the agency at its root, each response first takes the label of its nearest unit
  (itself or an ancestor) that the reports *show* (`scoring.disclosure.disclose`, the
  decision the report builder makes); then `scoring.disclosure.fold_small_units` with the
  round's minimum group size k folds any label still covering fewer than k rows into its
  parent. So every label covers 0 or at least k rows, and a withheld unit's rows are never
  pooled with shown units whose own numbers the reports print (which would let a reader
  subtract them back out). Folding small units by their own counts alone would not do:
  in the demo it pools a 3-person unit with two shown 5-person units under the agency's
  label, and the heat map's means of the two then give away the mean of the three. Rows
  folded all the way up carry the agency's name; only when the whole round is withheld are
  rows left out, and the codebook says how many;
- ``role``, ``language`` and ``mode``: a value held by fewer than k responses in the whole
  round is replaced by "not shown"; when the "not shown" group itself would hold fewer than
  k, the next smallest value joins it, until it reaches k (the same complementary rule as the
  reports). "prefer not to say" is a value like the others;
- one column per item, in instrument order: the scale point as answered (not reverse-keyed),
  ``NA`` for "not applicable", empty when skipped.

Never in the file: dates, durations, quality flags (some derive from durations), response ids,
access codes, comments. `anonymized_responses` reads the round once; `responses_csv` writes
the two CSV files (UTF-8 with a BOM) and touches no database.

Residual risk, said in the codebook: a row-level file always lets a reader combine columns
(a unit and a rare role, say); it is for admins only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from reports.builder import NO_ROLE, round_tree
from reports.words import word
from scoring.disclosure import SHOWN, disclose, fold_small_units
from storage.models import Round
from storage.response_repo import round_responses

NOT_SHOWN = "not shown"
NOT_APPLICABLE = "NA"


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
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    unit_counts: tuple[tuple[str, int], ...]  # label → rows, in tree order
    folded: tuple[tuple[str, str], ...]  # (unit, the label its rows carry)
    n_left_out: int
    hidden_values: dict[str, tuple[str, ...]]  # column → values replaced by "not shown"
    items: tuple[ItemInfo, ...]
    not_applicable: dict[str, str]


def fold_rare_values(values: list[str], k: int) -> tuple[list[str], tuple[str, ...]]:
    """Replace the values held by fewer than `k` rows by "not shown"; while "not shown" holds
    between 1 and k − 1 rows, fold the next smallest value into it as well."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    hidden = {value for value, n in counts.items() if n < k}
    while 0 < sum(counts[v] for v in hidden) < k:
        rest = sorted((n, v) for v, n in counts.items() if v not in hidden)
        if not rest:
            break
        hidden.add(rest[0][1])
    return [NOT_SHOWN if v in hidden else v for v in values], tuple(sorted(hidden))


def anonymized_responses(session: Session, round_: Round) -> AnonymizedResponses:
    """The round's responses, anonymized as the module docstring says."""
    instrument = round_.instrument_version.instrument()
    item_ids = tuple(instrument.item_ids())
    responses = round_responses(session, round_, item_ids)
    tree = round_tree(round_, round_.organization.name)
    k = round_.min_group_size
    position = {key: i for i, key in enumerate(tree.keys)}
    cells = np.array([position[int(u)] for u in responses.round_unit_ids], dtype=np.int64)
    own = np.bincount(cells, minlength=len(tree.keys))
    shown = disclose(tree.parent, own, k).status == SHOWN
    nearest_shown = np.full(len(tree.keys), -1, dtype=np.int64)
    for i in range(len(tree.keys)):  # tree order: parents before their children
        parent = int(tree.parent[i])
        nearest_shown[i] = i if shown[i] else (nearest_shown[parent] if parent >= 0 else -1)
    placed = nearest_shown >= 0
    label_own = np.bincount(nearest_shown[placed], weights=own[placed],
                            minlength=len(tree.keys)).astype(np.int64)
    folded = fold_small_units(tree.parent, label_own, k)
    final = np.where(placed, folded.target[np.maximum(nearest_shown, 0)], -1)
    target = final[cells] if responses.n else np.empty(0, dtype=np.int64)
    keep = target >= 0

    roles, hidden_roles = fold_rare_values(
        [r if r is not None else NO_ROLE for r, kept in zip(responses.roles, keep, strict=True)
         if kept], k)
    languages, hidden_languages = fold_rare_values(
        [v for v, kept in zip(responses.languages, keep, strict=True) if kept], k)
    modes, hidden_modes = fold_rare_values(
        [v for v, kept in zip(responses.modes, keep, strict=True) if kept], k)

    kept_rows = np.flatnonzero(keep)
    values = responses.values[kept_rows]
    not_applicable = responses.not_applicable[kept_rows]
    answers = np.full(values.shape, "", dtype=object)
    answered = np.isfinite(values)
    answers[answered] = values[answered].astype(np.int64).astype(str)
    answers[not_applicable] = NOT_APPLICABLE
    labels = [tree.names[int(t)] for t in target[kept_rows]]

    order = np.random.default_rng().permutation(len(kept_rows))  # fresh entropy each time
    rows = tuple(
        (labels[i], roles[i], languages[i], modes[i], *answers[i]) for i in order
    )
    exported = np.bincount(target[keep], minlength=len(tree.keys))
    unit_counts = tuple(
        (tree.names[i], int(exported[i])) for i in range(len(tree.keys)) if exported[i] > 0
    )
    moved = tuple(
        (tree.names[i], tree.names[int(final[i])] if final[i] >= 0 else "")
        for i in range(len(tree.keys)) if final[i] != i and own[i] > 0
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
    return AnonymizedResponses(
        organization=round_.organization.name,
        round_name=round_.name,
        instrument_ref=round_.instrument_version.ref,
        min_group_size=k,
        columns=("unit", "role", "language", "mode", *item_ids),
        rows=rows,
        unit_counts=unit_counts,
        folded=moved,
        n_left_out=int(responses.n - int(keep.sum())),
        hidden_values={"role": hidden_roles, "language": hidden_languages,
                       "mode": hidden_modes},
        items=tuple(items),
        not_applicable=dict(instrument.not_applicable),
    )


def _csv(rows: list[tuple]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _text(d: dict, lang: str) -> object:
    return d.get(lang) or d.get("en") or next(iter(d.values()), "")


def responses_csv(export: AnonymizedResponses, lang: str) -> tuple[bytes, bytes]:
    """(responses CSV, codebook CSV) of an anonymized export."""
    data = _csv([export.columns, *export.rows])
    k = export.min_group_size
    book: list[tuple] = [(word("rx.variable", lang), word("rx.meaning", lang),
                          word("rx.values", lang))]
    book.append(("unit", word("rx.unit", lang, k=k), "; ".join(
        f"{label} ({n})" for label, n in export.unit_counts)))
    for column in ("role", "language", "mode"):
        hidden = export.hidden_values[column]
        values = sorted({row[export.columns.index(column)] for row in export.rows})
        book.append((column, word(f"rx.{column}", lang, k=k), "; ".join(values) + (
            " — " + word("rx.hidden", lang, values=", ".join(hidden)) if hidden else "")))
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
    for unit, into in export.folded:
        book.append((word("rx.folded", lang), word("rx.folded.text", lang, unit=unit,
                                                   into=into, k=k), ""))
    book.append((word("rx.left_out", lang), word("rx.left_out.text", lang,
                                                 n=export.n_left_out, k=k), ""))
    book.append((word("rx.never", lang), word("rx.never.text", lang), ""))
    book.append((word("rx.risk", lang), word("rx.risk.text", lang), ""))
    return data, _csv(book)
