"""The improvement report of a round for a scope (the whole agency or a unit subtree), built as
plain data from storage and scoring.

Disclosure control is decided once per round, on the whole unit tree, never per viewer
(DESIGN.md section 6): `round_disclosure` gives every cell of the round's tree (the agency at
the root, then the units snapshot) a status, and every page and export reads the same decision
from the report. A cell below the minimum group size k is withheld, and complementary
suppression withholds more cells where a withheld one could otherwise be worked out by
subtraction. Two choices keep other breakdowns from being subtracted from each other:

- **roles** are broken down for the agency as a whole only, with the same complementary
  suppression among the roles (a breakdown of units *and* roles could be differenced);
- **comments** are grouped as the anonymized export groups responses: each unit's comments are
  folded into its nearest ancestor whose group has at least the comment threshold of responses
  (`scoring.disclosure.fold_small_units`), so every set of comments a view can list, or
  subtract from another, comes from at least that many people. They are shuffled and undated.

Change between rounds uses only items comparable by lineage (`instruments.diff`) and says how
many; units are matched across rounds by the living unit the snapshot came from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments import Instrument
from instruments.diff import COMPARABLE_CHANGES, diff_instruments
from reports.analysis import Analysis, analyze
from scoring.change import compare_domains
from scoring.disclosure import NO_DATA, SHOWN, WITHHELD, disclose, fold_small_units
from scoring.matrix import domain_scores, key_items
from storage.models import ActionItem, Round, RoundStatus
from storage.response_repo import RoundResponses, round_comments, round_responses
from storage.survey_service import RESPONDENT_ROLES

AGENCY = -1  # the round unit id standing for the whole agency (the root cell)
NO_ROLE = "prefer not to say"
STRENGTHS = PRIORITIES = 3


@dataclass(frozen=True)
class Cell:
    """A group of the report: a unit's subtree (or the agency) or a role."""

    key: int | str  # round unit id, AGENCY, or a role
    name: str
    depth: int
    status: str  # scoring.disclosure SHOWN / WITHHELD / NO_DATA
    n: int | None  # responses, only when shown
    means: dict[str, float | None] = field(default_factory=dict)  # domain id → mean


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    text: dict[str, str]
    scale: str
    reverse: bool
    n: int
    n_na: int
    pct_na: float | None
    mean: float | None  # keyed
    pct_favorable: float | None
    distribution: tuple[int, ...]  # counts per scale point, as answered (not keyed)
    points: tuple[int, ...]


@dataclass(frozen=True)
class DomainResult:
    domain_id: str
    title: dict[str, str]
    why: dict[str, str]
    n_items: int
    n_scored: int
    mean: float | None
    sd: float | None
    ci: tuple[float, float] | None
    pct_favorable: float | None
    n_complete: int
    alpha: float | None
    alpha_ci: tuple[float, float] | None
    omega: float | None
    reliability_flags: tuple[str, ...]
    weak_items: tuple[str, ...]
    icc1: float | None
    icc2: float | None
    low_agreement_units: tuple[str, ...]
    polarized_units: tuple[str, ...]
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class ChangeResult:
    domain_id: str
    n_items_compared: int
    n_items: int
    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None
    diff: float | None
    diff_ci: tuple[float, float] | None
    hedges_g: float | None
    p_adjusted: float | None
    verdict: str


@dataclass(frozen=True)
class TrendPoint:
    round_id: int
    round_name: str
    opens_on: date | None
    status: str  # of the scope cell in that round
    means: dict[str, float | None]  # on items comparable with this round's version
    comparable_items: dict[str, int]


@dataclass(frozen=True)
class ActionView:
    id: int
    round_id: int
    round_name: str
    domain_id: str
    item_id: str | None
    title: str
    owner: str
    due_on: date | None
    indicator: str
    status: str
    change: ChangeResult | None  # the domain's change into this report's round


@dataclass(frozen=True)
class Report:
    round_id: int
    round_name: str
    round_status: str
    organization: str
    instrument_ref: str
    instrument_title: dict[str, str]
    opens_on: date | None
    closes_on: date | None
    min_group_size: int
    min_comment_group_size: int
    scope_key: int
    scope_name: str
    scope_status: str
    n_responses: int | None
    invited: int
    response_rate: float | None
    domains: tuple[DomainResult, ...]
    strengths: tuple[str, ...]
    priorities: tuple[str, ...]
    previous_round_name: str | None
    change: tuple[ChangeResult, ...]
    trend: tuple[TrendPoint, ...]
    units: tuple[Cell, ...]  # the heat map rows: the scope and every unit below it
    roles: tuple[Cell, ...]  # agency-wide role breakdown
    comments: dict[str, tuple[str, ...]]  # domain id ("" closing question) → comments
    comments_withheld: bool
    actions_before: tuple[ActionView, ...]  # planned after the previous round
    actions_now: tuple[ActionView, ...]  # planned after this round
    n_flagged: int | None
    notes: tuple[str, ...]

    def domain(self, domain_id: str) -> DomainResult:
        return next(d for d in self.domains if d.domain_id == domain_id)

    @property
    def shown(self) -> bool:
        return self.scope_status == SHOWN


# -- the round's tree and its disclosure ----------------------------------------------------


@dataclass(frozen=True)
class RoundTree:
    """The round's cells: index 0 is the agency, then the units snapshot in tree order."""

    keys: tuple[int, ...]  # AGENCY, then round unit ids
    names: tuple[str, ...]
    parent: np.ndarray
    depth: tuple[int, ...]
    unit_ids: tuple[int | None, ...]  # the living unit of each snapshot (None for the agency)

    def index(self, key: int) -> int:
        return self.keys.index(key)

    def subtree(self, index: int) -> list[int]:
        """Indices of the cell and every cell below it, in tree order."""
        out, stack = [], [index]
        children: dict[int, list[int]] = {}
        for i, p in enumerate(self.parent):
            children.setdefault(int(p), []).append(i)
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(children.get(current, [])))
        return out


def round_tree(round_: Round, organization_name: str) -> RoundTree:
    from storage.round_service import round_units_in_order

    ordered = round_units_in_order(round_)
    keys = [AGENCY] + [unit.id for unit in ordered]
    position = {key: i for i, key in enumerate(keys)}
    parent = np.array(
        [-1] + [position[u.parent_id] if u.parent_id is not None else 0 for u in ordered]
    )
    depth = [0]
    for i in range(1, len(keys)):
        depth.append(depth[int(parent[i])] + 1)
    return RoundTree(
        keys=tuple(keys),
        names=(organization_name, *(u.name for u in ordered)),
        parent=parent,
        depth=tuple(depth),
        unit_ids=(None, *(u.unit_id for u in ordered)),
    )


def _own_counts(tree: RoundTree, responses: RoundResponses) -> np.ndarray:
    position = {key: i for i, key in enumerate(tree.keys)}
    cells = np.array([position[int(u)] for u in responses.round_unit_ids], dtype=np.int64)
    return np.bincount(cells, minlength=len(tree.keys)), cells


# -- building --------------------------------------------------------------------------------


def build_report(session: Session, round_: Round, scope_unit_id: int | None = None) -> Report:
    """The report of `round_` for the whole agency (`scope_unit_id` None) or for the subtree
    of the round unit `scope_unit_id` (a round unit id of this round)."""
    instrument = round_.instrument_version.instrument()
    item_ids = tuple(instrument.item_ids())
    organization = round_.organization
    tree = round_tree(round_, organization.name)
    responses = round_responses(session, round_, item_ids)
    own, cell_of = _own_counts(tree, responses)
    k = round_.min_group_size
    decision = disclose(tree.parent, own, k)
    scope_key = AGENCY if scope_unit_id is None else scope_unit_id
    if scope_key not in tree.keys:
        raise LookupError(f"round {round_.name!r} has no unit {scope_unit_id}")
    scope = tree.index(scope_key)
    in_scope_cells = tree.subtree(scope)
    in_scope = np.isin(cell_of, in_scope_cells)
    notes: list[str] = []

    full = analyze(
        instrument, responses.values, responses.not_applicable,
        groups=cell_of if responses.n else None,
    ) if responses.n else None
    status = str(decision.status[scope])
    shown = status == SHOWN

    domains: tuple[DomainResult, ...] = ()
    strengths: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    if shown:
        sub = analyze(
            instrument,
            responses.values[in_scope],
            responses.not_applicable[in_scope],
            groups=cell_of[in_scope],
        )
        domains = _domain_results(instrument, sub, tree, decision.status)
        ranked = sorted(
            (d for d in domains if d.mean is not None), key=lambda d: d.mean, reverse=True
        )
        strengths = tuple(d.domain_id for d in ranked[:STRENGTHS])
        priorities = tuple(d.domain_id for d in reversed(ranked[-PRIORITIES:]))

    score_matrix = _score_matrix(full, instrument, responses.n)
    units = tuple(
        _cell(tree, i, decision.status, decision.counts, score_matrix, cell_of, instrument)
        for i in in_scope_cells
    )
    roles = _role_cells(responses, score_matrix, instrument, k)

    comments, comments_withheld = _comments(session, round_, tree, own, in_scope_cells)

    invited_by_cell = _invited(round_, tree)
    invited = int(invited_by_cell[in_scope_cells].sum())
    rate = None
    if shown and invited >= k:
        rate = int(decision.counts[scope]) / invited

    earlier = _earlier_rounds(session, round_)
    previous = earlier[-1] if earlier else None
    change: tuple[ChangeResult, ...] = ()
    loaded: dict[int, _Loaded] = {}
    if previous is not None and shown:
        change = _change(session, previous, round_, tree.unit_ids[scope], responses, in_scope,
                         instrument, notes, loaded)
    trend = tuple(
        _trend_point(session, r, instrument, tree.unit_ids[scope], loaded)
        for r in earlier
    ) + (
        TrendPoint(
            round_.id, round_.name, round_.opens_on, status,
            {d.domain_id: d.mean for d in domains} if shown else {},
            {d.id: len(d.items) for d in instrument.domains},
        ),
    )
    changes = {c.domain_id: c for c in change}
    actions = list(
        session.scalars(
            sa.select(ActionItem)
            .where(ActionItem.organization_id == organization.id)
            .order_by(ActionItem.due_on, ActionItem.id)
        )
    )
    names = {r.id: r.name for r in [*earlier, round_]}

    def view(action: ActionItem, with_change: bool) -> ActionView:
        return ActionView(
            id=action.id, round_id=action.round_id, round_name=names.get(action.round_id, ""),
            domain_id=action.domain_id, item_id=action.item_id, title=action.title,
            owner=action.owner, due_on=action.due_on, indicator=action.indicator,
            status=action.status,
            change=changes.get(action.domain_id) if with_change else None,
        )

    actions_before = tuple(
        view(a, True) for a in actions if previous is not None and a.round_id == previous.id
    )
    actions_now = tuple(view(a, False) for a in actions if a.round_id == round_.id)
    n_flagged = int(sum(1 for i in np.flatnonzero(in_scope) if responses.quality_flags[i]))
    return Report(
        round_id=round_.id,
        round_name=round_.name,
        round_status=round_.status,
        organization=organization.name,
        instrument_ref=round_.instrument_version.ref,
        instrument_title=dict(instrument.title),
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        min_group_size=k,
        min_comment_group_size=round_.min_comment_group_size,
        scope_key=scope_key,
        scope_name=tree.names[scope],
        scope_status=status,
        n_responses=int(decision.counts[scope]) if shown else None,
        invited=invited,
        response_rate=rate,
        domains=domains,
        strengths=strengths,
        priorities=priorities,
        previous_round_name=previous.name if previous is not None else None,
        change=change,
        trend=trend,
        units=units,
        roles=roles,
        comments=comments,
        comments_withheld=comments_withheld,
        actions_before=actions_before,
        actions_now=actions_now,
        n_flagged=n_flagged if shown else None,
        notes=tuple(notes),
    )


def _score_matrix(full: Analysis | None, instrument: Instrument, n: int) -> np.ndarray:
    """Respondents × domains scores (nan where not scored)."""
    if full is None:
        return np.empty((n, len(instrument.domains)))
    return np.column_stack([d.scores.scores for d in full.domains])


def _cell(
    tree: RoundTree,
    index: int,
    status: np.ndarray,
    counts: np.ndarray,
    scores: np.ndarray,
    cell_of: np.ndarray,
    instrument: Instrument,
) -> Cell:
    shown = status[index] == SHOWN
    means: dict[str, float | None] = {}
    if shown:
        members = np.isin(cell_of, tree.subtree(index))
        means = _means(scores[members], instrument)
    return Cell(
        key=tree.keys[index],
        name=tree.names[index],
        depth=tree.depth[index],
        status=str(status[index]),
        n=int(counts[index]) if shown else None,
        means=means,
    )


def _means(scores: np.ndarray, instrument: Instrument) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for j, domain in enumerate(instrument.domains):
        column = scores[:, j]
        finite = column[np.isfinite(column)]
        out[domain.id] = float(finite.mean()) if finite.size else None
    return out


def _role_cells(
    responses: RoundResponses, scores: np.ndarray, instrument: Instrument, k: int
) -> tuple[Cell, ...]:
    """The agency's role breakdown: a root (respondents who gave no role) with one child per
    role, decided with complementary suppression."""
    roles = np.array([r if r is not None else NO_ROLE for r in responses.roles], dtype=object)
    names = [NO_ROLE, *RESPONDENT_ROLES]
    own = np.array([int((roles == name).sum()) for name in names])
    parent = np.array([-1] + [0] * len(RESPONDENT_ROLES))
    decision = disclose(parent, own, k)
    cells = []
    for i, name in enumerate(names[1:], start=1):
        shown = decision.status[i] == SHOWN
        cells.append(
            Cell(
                key=name,
                name=name,
                depth=1,
                status=str(decision.status[i]),
                n=int(decision.counts[i]) if shown else None,
                means=_means(scores[roles == name], instrument) if shown else {},
            )
        )
    return tuple(cells)


def _comments(
    session: Session, round_: Round, tree: RoundTree, own: np.ndarray, in_scope: list[int]
) -> tuple[dict[str, tuple[str, ...]], bool]:
    folded = fold_small_units(tree.parent, own, round_.min_comment_group_size)
    position = {key: i for i, key in enumerate(tree.keys)}
    allowed = set(in_scope)
    grouped: dict[str, list[str]] = {}
    withheld = False
    for comment in round_comments(session, round_):
        target = int(folded.target[position[comment.round_unit_id]])
        if target >= 0 and target in allowed:
            grouped.setdefault(comment.domain_id or "", []).append(comment.text)
        else:
            withheld = True
    rng = random.Random()  # a fresh order every build: order must carry no information
    for texts in grouped.values():
        rng.shuffle(texts)
    return {key: tuple(texts) for key, texts in grouped.items()}, withheld


def _invited(round_: Round, tree: RoundTree) -> np.ndarray:
    by_key = {unit.id: unit.invited or 0 for unit in round_.units}
    return np.array([by_key.get(key, 0) for key in tree.keys])


def _domain_results(
    instrument: Instrument, analysis: Analysis, tree: RoundTree, status: np.ndarray
) -> tuple[DomainResult, ...]:
    position = {i: tree.names[i] for i in range(len(tree.keys))}
    items = {item.item_id: item for item in analysis.items}
    out = []
    for domain, result in zip(instrument.domains, analysis.domains, strict=True):
        rel = result.reliability
        low, polarized = [], []
        if result.agreement is not None:
            for group in result.agreement.groups:
                cell = int(analysis.group_labels[int(group.group)])
                if status[cell] != SHOWN or cell == 0:
                    continue
                if group.low_agreement:
                    low.append(position[cell])
                if group.polarized:
                    polarized.append(position[cell])
        summary = result.summary
        item_results = []
        for item in domain.items:
            s = items[item.id].summary
            scale = instrument.scales[item.scale]
            counts = tuple(int(c) for c in s.counts)
            if item.reverse:  # the summary counts keyed points; show them as answered
                counts = counts[::-1]
            item_results.append(
                ItemResult(
                    item_id=item.id,
                    text=dict(item.text),
                    scale=item.scale,
                    reverse=item.reverse,
                    n=s.n,
                    n_na=s.n_na or 0,
                    pct_na=None if s.share_na is None else 100 * s.share_na,
                    mean=s.mean,
                    pct_favorable=None if s.share_favorable is None else 100 * s.share_favorable,
                    distribution=counts,
                    points=tuple(scale.points),
                )
            )
        out.append(
            DomainResult(
                domain_id=domain.id,
                title=dict(domain.title),
                why=dict(domain.why),
                n_items=len(domain.items),
                n_scored=result.scores.n_scored,
                mean=summary.mean,
                sd=summary.sd,
                ci=None if summary.ci_low is None else (summary.ci_low, summary.ci_high),
                pct_favorable=result.pct_favorable,
                n_complete=rel.n_complete,
                alpha=rel.alpha,
                alpha_ci=None if rel.alpha_ci_low is None else (rel.alpha_ci_low,
                                                                rel.alpha_ci_high),
                omega=rel.omega_total,
                reliability_flags=rel.flags,
                weak_items=tuple(
                    domain.items[i.index].id for i in rel.items if i.flags
                ),
                icc1=result.icc.icc1 if result.icc is not None else None,
                icc2=result.icc.icc2 if result.icc is not None else None,
                low_agreement_units=tuple(low),
                polarized_units=tuple(polarized),
                items=tuple(item_results),
            )
        )
    return tuple(out)


# -- rounds before this one ------------------------------------------------------------------


def _earlier_rounds(session: Session, round_: Round) -> list[Round]:
    """Earlier closed or published rounds of the organization on the same instrument id."""
    rows = session.scalars(
        sa.select(Round)
        .where(
            Round.organization_id == round_.organization_id,
            Round.id != round_.id,
            Round.status.in_([RoundStatus.CLOSED.value, RoundStatus.PUBLISHED.value]),
        )
        .order_by(Round.opens_on, Round.created_at, Round.id)
    )
    same = [
        r for r in rows
        if r.instrument_version.instrument_id == round_.instrument_version.instrument_id
        and (r.opens_on or date.min) <= (round_.opens_on or date.max)
        and (r.opens_on, r.created_at) < (round_.opens_on, round_.created_at)
    ]
    return same


def comparable_pairs(before: Instrument, after: Instrument) -> dict[str, list[tuple[str, str]]]:
    """Per domain of `after`, the (before item id, after item id) pairs comparable by lineage."""
    if before.ref == after.ref:
        return {d.id: [(i.id, i.id) for i in d.items] for d in after.domains}
    result = diff_instruments(before, after)
    pairs: dict[str, list[tuple[str, str]]] = {d.id: [] for d in after.domains}
    for item in result.items:
        if item.change in COMPARABLE_CHANGES and item.before_id and item.after_id:
            pairs.setdefault(item.domain_id, []).append((item.before_id, item.after_id))
    return pairs


def _scores_on(
    instrument: Instrument, responses: RoundResponses, rows: np.ndarray, ids: list[str]
) -> np.ndarray:
    """Domain scores of the respondents `rows` on the items `ids` only."""
    items = {i.id: i for d in instrument.domains for i in d.items}
    column = {item_id: j for j, item_id in enumerate(responses.item_ids)}
    cols = [column[i] for i in ids]
    x = responses.values[np.ix_(rows, cols)]
    lows = [instrument.scales[items[i].scale].points[0] for i in ids]
    highs = [instrument.scales[items[i].scale].points[-1] for i in ids]
    keyed = key_items(x, [items[i].reverse for i in ids], lows, highs)
    return domain_scores(keyed, instrument.scoring.min_answered).scores


_Loaded = tuple[RoundTree, RoundResponses, np.ndarray, np.ndarray]


def _scope_rows(
    session: Session, round_: Round, unit_id: int | None, loaded: dict[int, _Loaded]
) -> tuple[RoundResponses, np.ndarray, str]:
    """The earlier round's responses and which of them fall in the scope of the living unit
    `unit_id` (None: the agency), with that cell's disclosure status in the earlier round.
    `loaded` keeps each round read once per report."""
    if round_.id not in loaded:
        instrument = round_.instrument_version.instrument()
        tree = round_tree(round_, "")
        responses = round_responses(session, round_, tuple(instrument.item_ids()))
        own, cell_of = _own_counts(tree, responses)
        status = disclose(tree.parent, own, round_.min_group_size).status
        loaded[round_.id] = (tree, responses, cell_of, status)
    tree, responses, cell_of, status = loaded[round_.id]
    if unit_id is None:
        index = 0
    elif unit_id in tree.unit_ids:
        index = tree.unit_ids.index(unit_id)
    else:
        return responses, np.zeros(responses.n, dtype=bool), NO_DATA
    return responses, np.isin(cell_of, tree.subtree(index)), str(status[index])


def _change(
    session: Session,
    previous: Round,
    round_: Round,
    unit_id: int | None,
    responses: RoundResponses,
    in_scope: np.ndarray,
    instrument: Instrument,
    notes: list[str],
    loaded: dict[int, _Loaded],
) -> tuple[ChangeResult, ...]:
    before_instrument = previous.instrument_version.instrument()
    before, before_rows, before_status = _scope_rows(session, previous, unit_id, loaded)
    if before_status != SHOWN:
        notes.append(
            f"no change since {previous.name}: the group was "
            f"{'withheld' if before_status == WITHHELD else 'not part of it'} then"
        )
        return ()
    pairs = comparable_pairs(before_instrument, instrument)
    domains = [d for d in instrument.domains if pairs.get(d.id)]
    earlier_scores = np.column_stack([
        _scores_on(before_instrument, before, np.flatnonzero(before_rows),
                   [b for b, _ in pairs[d.id]])
        for d in domains
    ])
    later_scores = np.column_stack([
        _scores_on(instrument, responses, np.flatnonzero(in_scope), [a for _, a in pairs[d.id]])
        for d in domains
    ])
    comparison = compare_domains(earlier_scores, later_scores, [d.id for d in domains])
    out = []
    for domain, result in zip(domains, comparison.domains, strict=True):
        c = result.change
        out.append(
            ChangeResult(
                domain_id=domain.id,
                n_items_compared=len(pairs[domain.id]),
                n_items=len(domain.items),
                n_before=c.n_before,
                n_after=c.n_after,
                mean_before=c.mean_before,
                mean_after=c.mean_after,
                diff=c.diff,
                diff_ci=c.diff_ci95,
                hedges_g=c.hedges_g,
                p_adjusted=result.p_adjusted,
                verdict=result.verdict,
            )
        )
    return tuple(out)


def _trend_point(
    session: Session,
    earlier: Round,
    instrument: Instrument,
    unit_id: int | None,
    loaded: dict[int, _Loaded],
) -> TrendPoint:
    before_instrument = earlier.instrument_version.instrument()
    responses, rows, status = _scope_rows(session, earlier, unit_id, loaded)
    pairs = comparable_pairs(before_instrument, instrument)
    means: dict[str, float | None] = {}
    if status == SHOWN:
        for domain in instrument.domains:
            ids = [b for b, _ in pairs.get(domain.id, [])]
            if not ids:
                means[domain.id] = None
                continue
            scores = _scores_on(before_instrument, responses, np.flatnonzero(rows), ids)
            finite = scores[np.isfinite(scores)]
            means[domain.id] = float(finite.mean()) if finite.size else None
    return TrendPoint(
        earlier.id, earlier.name, earlier.opens_on, status, means,
        {d.id: len(pairs.get(d.id, [])) for d in instrument.domains},
    )
