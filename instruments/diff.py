"""Compare two instrument versions item by item, and say per domain whether scores compare.

Every item is classified as

- ``unchanged``: same id (or declared lineage), same text, same anchors;
- ``reworded``: same construct and anchors, different wording: scores remain comparable;
- ``changed``: the anchors (scale points, labels, reverse keying) or the declared meaning changed:
  not comparable;
- ``added`` / ``removed``.

An item's ``lineage`` in the later version declares where it came from and how it changed; without
one, an item is matched to the earlier item of the same id. Anchor changes are detected from the
definitions whatever the lineage says: an item declared "reworded" whose scale changed is
"changed".

A domain is ``comparable`` when every item on either side is an unchanged or reworded pair within
the domain, ``partially comparable`` ("comparable on N of M items") when some are, and
``not comparable`` when none are (or the domain exists on one side only). A comparison between
rounds uses only the comparable pairs, and reports say how many.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from instruments.model import Change, Domain, Instrument, Item


class ItemChange(StrEnum):
    UNCHANGED = "unchanged"
    REWORDED = "reworded"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


COMPARABLE_CHANGES = frozenset({ItemChange.UNCHANGED, ItemChange.REWORDED})


class Verdict(StrEnum):
    COMPARABLE = "comparable"
    PARTIAL = "partially comparable"
    NOT_COMPARABLE = "not comparable"


@dataclass(frozen=True)
class ItemDiff:
    """One item's fate between the two versions."""

    change: ItemChange
    domain_id: str  # the item's domain in the later version (earlier one for removed items)
    before_id: str | None
    after_id: str | None
    reason: str

    @property
    def comparable(self) -> bool:
        return self.change in COMPARABLE_CHANGES

    def to_dict(self) -> dict[str, object]:
        return {
            "change": self.change.value,
            "domain": self.domain_id,
            "before": self.before_id,
            "after": self.after_id,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DomainDiff:
    """Whether a domain's scores can be compared across the two versions, and on which items."""

    domain_id: str
    verdict: Verdict
    pairs: tuple[tuple[str, str], ...]  # (earlier item id, later item id) that compare
    n_total: int  # distinct items of the domain over both versions

    @property
    def n_comparable(self) -> int:
        return len(self.pairs)

    @property
    def summary(self) -> str:
        if self.verdict is Verdict.COMPARABLE:
            return f"{self.domain_id}: comparable on all {self.n_total} items"
        if self.verdict is Verdict.PARTIAL:
            return f"{self.domain_id}: comparable on {self.n_comparable} of {self.n_total} items"
        return f"{self.domain_id}: not comparable"

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict.value,
            "n_comparable": self.n_comparable,
            "n_total": self.n_total,
            "comparable_items": [{"before": a, "after": b} for a, b in self.pairs],
            "summary": self.summary,
        }


@dataclass(frozen=True)
class InstrumentDiff:
    before: str  # ref, e.g. ti-staff@1.0.0
    after: str
    items: tuple[ItemDiff, ...]
    domains: tuple[DomainDiff, ...]

    def domain(self, domain_id: str) -> DomainDiff:
        for domain in self.domains:
            if domain.domain_id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r} in {self.before} or {self.after}")

    def changed_items(self) -> tuple[ItemDiff, ...]:
        return tuple(d for d in self.items if d.change is not ItemChange.UNCHANGED)

    def to_dict(self) -> dict[str, object]:
        return {
            "before": self.before,
            "after": self.after,
            "items": [d.to_dict() for d in self.items],
            "domains": {d.domain_id: d.to_dict() for d in self.domains},
        }


def _anchors(instrument: Instrument, item: Item) -> tuple[object, ...]:
    """What must stay the same for answers to mean the same: points, labels, favorable, keying."""
    scale = instrument.scale_of(item)
    return (tuple(scale.points), tuple(scale.labels["en"]), tuple(scale.favorable), item.reverse)


def _classify(
    before: Instrument, old: Item, after: Instrument, new: Item
) -> tuple[ItemChange, str]:
    if _anchors(before, old) != _anchors(after, new):
        return ItemChange.CHANGED, "response anchors or reverse keying changed"
    declared = new.lineage.change if new.lineage is not None else None
    if declared is Change.CHANGED:
        return ItemChange.CHANGED, "meaning changed (declared in lineage)"
    if old.text == new.text:
        return ItemChange.UNCHANGED, "same text and anchors"
    if declared is Change.REWORDED:
        return ItemChange.REWORDED, "reworded, same construct (declared in lineage)"
    return ItemChange.REWORDED, "text differs with the same anchors (no lineage declared)"


def diff_instruments(before: Instrument, after: Instrument) -> InstrumentDiff:
    """Classify every item of ``before`` and ``after`` and give each domain a verdict."""
    old_items: dict[str, tuple[Domain, Item]] = {i.id: (d, i) for d, i in before.items()}
    matched_old: set[str] = set()
    diffs: list[ItemDiff] = []
    pairs_by_domain: dict[str, list[tuple[str, str]]] = {}

    for domain, item in after.items():
        source_id = item.lineage.from_ if item.lineage is not None else item.id
        if source_id not in old_items or source_id in matched_old:
            reason = (
                f"lineage names {source_id}, which is not in {before.ref}"
                if item.lineage is not None and source_id != item.id
                else f"not in {before.ref}"
            )
            diffs.append(ItemDiff(ItemChange.ADDED, domain.id, None, item.id, reason))
            continue
        matched_old.add(source_id)
        old_domain, old_item = old_items[source_id]
        change, reason = _classify(before, old_item, after, item)
        if change in COMPARABLE_CHANGES and old_domain.id != domain.id:
            change, reason = ItemChange.CHANGED, f"moved from domain {old_domain.id}"
        diffs.append(ItemDiff(change, domain.id, source_id, item.id, reason))
        if change in COMPARABLE_CHANGES:
            pairs_by_domain.setdefault(domain.id, []).append((source_id, item.id))

    for domain, item in before.items():
        if item.id not in matched_old:
            diffs.append(
                ItemDiff(ItemChange.REMOVED, domain.id, item.id, None, f"not in {after.ref}")
            )

    domain_ids = [d.id for d in after.domains]
    domain_ids += [d.id for d in before.domains if d.id not in domain_ids]
    domains = []
    for domain_id in domain_ids:
        involved = [d for d in diffs if d.domain_id == domain_id]
        pairs = tuple(pairs_by_domain.get(domain_id, ()))
        # an earlier item that moved into another domain still belongs to this domain's past
        moved_out = [
            d for d in diffs
            if d.before_id is not None and d.domain_id != domain_id
            and old_items[d.before_id][0].id == domain_id
        ]
        n_total = len(involved) + len(moved_out)
        if pairs and len(pairs) == n_total:
            verdict = Verdict.COMPARABLE
        elif pairs:
            verdict = Verdict.PARTIAL
        else:
            verdict = Verdict.NOT_COMPARABLE
        domains.append(DomainDiff(domain_id, verdict, pairs, n_total))

    return InstrumentDiff(before.ref, after.ref, tuple(diffs), tuple(domains))
