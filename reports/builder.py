"""The improvement report of a round for a scope (the whole agency or a unit subtree), built as
plain data from storage and scoring.

**One disclosure rule for every number** (DESIGN.md section 6, docs/anonymity.md). Every
number a report releases rests on the answers of at least k respondents *for that very
number*, and no withheld number can be worked out from shown ones. The rule is decided once
per round, on the whole tree, never per viewer (`round_data`), and every page, export, CLI
output and the staff summary read the same decision from the report:

- **cells**: the agency (the root) and every unit of the snapshot, each over its whole subtree,
  by response counts (`scoring.disclosure.disclose`: threshold rule and complementary
  suppression down the tree);
- **measures within the cells** (`scoring.disclosure.disclose_measures`): each domain by the
  respondents who have its score, each item by the respondents who answered it, the count of
  flagged responses by itself, each on the whole tree within the cells' decision, with the
  items of a domain linked (where one is withheld in a cell, what the domain's numbers and
  the shown items let a reader work out must rest on k people too);
- **roles**: the agency's role breakdown as a tree of its own (the agency at the root, the
  respondents who gave no role its own count), each domain decided on it the same way;
- **change and trend**: the domain scores on comparable items are measures of their own, in
  this round's tree and in each earlier round's tree; a change is shown only where both are.
  When the two rounds cover different units of the scope, the change is computed on the
  units present in both, and only when what is left out in each round is nothing or a union
  of cells shown for that measure (each of at least k) and the part compared holds at least
  k (web part 0 or at least k); otherwise it is withheld (`CHANGED_UNITS`), since the common
  units' number beside the scope's would give the left-out part by subtraction;
- **reliability** of a domain is computed only when at least `MIN_COMPLETE` (30) and at least
  k respondents answered every item; their count is given from k on;
- **agreement** (ICC(1), ICC(2), the weak-agreement and split flags, and per unit the rwg(j)
  band with its skewed-null sensitivity value, only for units whose rwg(j) rests on at least k
  respondents) is computed on the
  *shown partition* only: each response counted in the nearest cell shown for that domain
  (`scoring.disclosure.nearest_shown`), never on a withheld group's own responses, so that
  two rounds that differ only in how respondents are split between withheld units give the
  same report;
- **comments** are grouped the same way, each in its nearest shown unit, then folded into the
  nearest group with at least the comment threshold of responses; shuffled, undated.

A withheld number is None with a reason code (`scoring.disclosure.BELOW_K`: fewer than k
answered; `PROTECTS_SMALLER`: withheld to protect a smaller group; `NO_RESPONSES`).

Change between rounds uses only items comparable by lineage (`instruments.diff`) and says how
many; units are matched across rounds by the living unit the snapshot came from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from instruments import Instrument
from instruments.diff import COMPARABLE_CHANGES, diff_instruments
from instruments.model import Domain
from reports.action_views import action_views
from reports.analysis import analyze
from scoring.agreement import agreement_by_group, icc
from scoring.change import MIN_IMPORTANT, MeanChange, compare_domains
from scoring.disclosure import (
    NO_DATA,
    PROTECTS_SMALLER,
    SHOWN,
    WITHHELD,
    Disclosure,
    MeasureDisclosure,
    disclose,
    disclose_measures,
    fold_small_units,
    nearest_shown,
)
from scoring.matrix import domain_scores, key_items
from scoring.reliability import CI_AUTO, FLAG_TOO_FEW, MIN_COMPLETE, Reliability, reliability
from storage.errors import Conflict
from storage.models import ResponseMode, Round, RoundStatus
from storage.response_repo import RoundResponses, round_comments, round_responses
from storage.survey_service import RESPONDENT_ROLES

AGENCY = -1  # the round unit id standing for the whole agency (the root cell)
#: Why a change is withheld when the units covered differ between the two rounds and
#: comparing only the units present in both would expose a small group (see `_change`).
CHANGED_UNITS = "changed_units"
NO_ROLE = "prefer not to say"
STRENGTHS = PRIORITIES = 3
RESULT_STATUSES = (RoundStatus.CLOSED.value, RoundStatus.PUBLISHED.value)


class ResultsNotReady(Conflict):
    """The round is a draft or open: it has no results yet, for anybody (no live results)."""

    def __init__(self, round_name: str, status: str) -> None:
        self.round_name = round_name
        self.status = status
        if status == RoundStatus.OPEN.value:
            message = (f"round {round_name!r} is open: results are computed when it closes; "
                       "until then only response rates are shown")
        else:
            message = (f"round {round_name!r} has not opened yet: results are computed when "
                       "it closes")
        super().__init__(message)


def require_results(round_: Round) -> None:
    """Raise `ResultsNotReady` unless `round_` is closed or published."""
    if round_.status not in RESULT_STATUSES:
        raise ResultsNotReady(round_.name, round_.status)


@dataclass(frozen=True)
class Cell:
    """A group of the report: a unit's subtree (or the agency) or a role."""

    key: int | str  # round unit id, AGENCY, or a role
    name: str
    depth: int
    status: str  # scoring.disclosure SHOWN / WITHHELD / NO_DATA
    n: int | None  # responses, only when shown
    means: dict[str, float | None] = field(default_factory=dict)  # domain id → mean, shown ones
    reason: str = ""  # why the cell is not shown ("" when it is)
    domain_reasons: dict[str, str] = field(default_factory=dict)  # domain id → why withheld


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    text: dict[str, str]
    scale: str
    reverse: bool
    n: int | None  # answers, only when shown
    n_na: int
    pct_na: float | None
    mean: float | None  # keyed
    pct_favorable: float | None
    distribution: tuple[int, ...] | None  # counts per scale point, as answered (not keyed)
    points: tuple[int, ...]
    status: str = SHOWN
    reason: str = ""


@dataclass(frozen=True)
class UnitAgreement:
    """Agreement within one unit of the shown partition for one domain (each scored respondent
    counted in the nearest unit shown for that domain), listed only for a unit with at least k
    respondents who answered every item of the domain (the n of rwg(j)).

    `band` is LeBreton & Senter's (2008) reading of `rwg_j` (`scoring.agreement.rwg_band`);
    `rwg_j_skewed` is rwg(j) under a slightly skewed null, a sensitivity value; `split` says
    that the answers fall into two separate groups (`scoring.agreement`'s bimodality rule)."""

    unit: str
    n: int
    rwg_j: float | None
    band: str | None
    rwg_j_skewed: float | None = None
    split: bool = False


@dataclass(frozen=True)
class DomainResult:
    """One domain of a report scope.

    Numbers are stored as computed wherever they rest on at least k respondents; the display
    rules of `reports.display` (reliability only from `scoring.reliability.MIN_COMPLETE`
    complete responses, negative alpha in words, mean CIs within the scale, ICCs below 0 as
    0, % favorable only beside a mean) are applied where they are shown, so that a report
    frozen before these rules displays by them too. Reliability (alpha, omega and their
    intervals) is not computed at all below `MIN_COMPLETE` complete responses."""

    domain_id: str
    title: dict[str, str]
    why: dict[str, str]
    n_items: int
    n_scored: int | None
    mean: float | None
    sd: float | None
    ci: tuple[float, float] | None  # t interval as computed (reports.display clips it)
    pct_favorable: float | None  # answers of scored respondents to the items shown here
    n_complete: int | None
    alpha: float | None
    alpha_ci: tuple[float, float] | None
    omega: float | None  # omega total of the score as scored; None when withheld
    reliability_flags: tuple[str, ...]
    weak_items: tuple[str, ...]
    icc1: float | None  # k = N/G, as computed (may be below 0)
    icc2: float | None  # as computed (may be below 0)
    low_agreement_units: tuple[str, ...]  # rwg(j) band weak or lack
    split_units: tuple[str, ...]  # answers fall into two separate groups (was polarized_units)
    items: tuple[ItemResult, ...]
    status: str = SHOWN
    reason: str = ""
    n_items_shown: int = 0  # items pct_favorable is pooled over
    alpha_ci_method: str = ""  # "feldt" or "bootstrap"; "" in reports frozen before
    omega_ci: tuple[float, float] | None = None  # BCa, when bootstrapped
    omega_rmsr: float | None = None  # RMSR of the one-factor minres solution
    omega_withheld: str = ""  # "", "reversed" or "multidimensional"
    reversed_items: tuple[str, ...] = ()  # item ids loading negatively (omega withheld)
    icc1_n0: float | None = None  # ICC(1) with Bliese's n0 for unequal group sizes
    icc_n0: float | None = None  # n0
    icc_group_size: float | None = None  # N / G
    unit_agreement: tuple[UnitAgreement, ...] = ()
    pct_favorable_reason: str = ""  # why % favorable is withheld beside a shown mean


@dataclass(frozen=True)
class ChangeResult:
    """The change of one domain since the previous round (see `_change`).

    The fields after `reason` came later and have defaults, so that reports frozen before
    them (`reports.frozen`) still decode: an old report reads as one without a minimum
    detectable effect, compared on the whole group, with its verdict as it was (the legacy
    `scoring.change.NO_CLEAR_CHANGE` included)."""

    domain_id: str
    n_items_compared: int
    n_items: int
    n_before: int | None
    n_after: int | None
    mean_before: float | None
    mean_after: float | None
    diff: float | None
    diff_ci: tuple[float, float] | None
    hedges_g: float | None
    p_adjusted: float | None
    verdict: str  # scoring.change verdicts, or "withheld"
    reason: str = ""  # why withheld: a scoring.disclosure code or CHANGED_UNITS
    hedges_g_ci: tuple[float, float] | None = None
    mde_g: float | None = None  # minimum detectable effect (80% power, two-sided .05), in g
    mde_points: float | None = None  # the same in points of the score (mde_g × pooled SD)
    mid_points: float | None = None  # the minimal important difference in points (0.5 SD)
    units: tuple[str, ...] = ()  # the units present in both rounds, when only they compared


@dataclass(frozen=True)
class TrendPoint:
    round_id: int
    round_name: str
    opens_on: date | None
    status: str  # of the scope cell in that round
    means: dict[str, float | None]  # on items comparable with this round's version
    comparable_items: dict[str, int]
    reasons: dict[str, str] = field(default_factory=dict)  # domain id → why withheld
    # False when that round covered other units of the scope than this one: its means are
    # of its own units, so the trend is no change (the change is on common units only)
    same_units: bool = True


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
    scope_reason: str = ""

    def domain(self, domain_id: str) -> DomainResult:
        return next(d for d in self.domains if d.domain_id == domain_id)

    @property
    def shown(self) -> bool:
        return self.scope_status == SHOWN


# -- the round's tree ------------------------------------------------------------------------


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

    def totals(self, own: np.ndarray) -> np.ndarray:
        """Per-cell sums over each cell's whole subtree of `own` (…, n_cells)."""
        out = np.array(own, dtype=float, copy=True)
        for cell in sorted(range(1, len(self.keys)), key=lambda c: -self.depth[c]):
            out[..., int(self.parent[cell])] += out[..., cell]
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


def _own_counts(tree: RoundTree, responses: RoundResponses) -> tuple[np.ndarray, np.ndarray]:
    """Responses filed on each cell, and each response's cell."""
    position = {key: i for i, key in enumerate(tree.keys)}
    cells = np.array([position[int(u)] for u in responses.round_unit_ids], dtype=np.int64)
    return np.bincount(cells, minlength=len(tree.keys)), cells


def _web_parts(
    cell_of: np.ndarray, counted: np.ndarray, web: np.ndarray, n_cells: int
) -> np.ndarray:
    """(measures, 1, cells): the web responses among those counted for each measure."""
    return _own_by_cell(cell_of, (counted & web[:, None]).astype(float), n_cells)[:, None, :]


def _own_by_cell(cell_of: np.ndarray, weights: np.ndarray, n_cells: int) -> np.ndarray:
    """(measures, cells) sums of `weights` (respondents × measures) over each cell's own
    respondents."""
    if weights.ndim == 1:
        weights = weights[:, None]
    out = np.zeros((weights.shape[1], n_cells))
    for m in range(weights.shape[1]):
        out[m] = np.bincount(cell_of, weights=weights[:, m], minlength=n_cells)
    return out


# -- the round's data and its disclosure, decided once ---------------------------------------


@dataclass(frozen=True)
class RoleData:
    """The agency's role breakdown: cell 0 the agency (own: no role given), then one per role."""

    names: tuple[str, ...]
    of: np.ndarray  # each respondent's role cell
    cells: Disclosure
    domains: MeasureDisclosure


@dataclass(frozen=True)
class RoundData:
    """Everything the reports of every scope of one round share: the responses as arrays and
    the disclosure of every number, decided once on the whole tree."""

    round_: Round
    instrument: Instrument
    tree: RoundTree
    responses: RoundResponses
    cell_of: np.ndarray  # each response's cell
    keyed: np.ndarray  # respondents × items, reverse-keyed, nan where missing
    scores: np.ndarray  # respondents × domains, nan where not scored
    cells: Disclosure  # by responses
    domains: MeasureDisclosure  # by scored respondents, one row per domain
    items: MeasureDisclosure  # by answers, one row per item (instrument order)
    flagged: Disclosure  # the count of flagged responses
    web: np.ndarray  # each response: came in on the web (not a paper form)
    roles: RoleData


def _keyed(instrument: Instrument, values: np.ndarray) -> np.ndarray:
    items = [item for _, item in instrument.items()]
    scales = [instrument.scale_of(item) for item in items]
    if not items:
        return values
    return key_items(
        values,
        [item.reverse for item in items],
        [s.minimum for s in scales],
        [s.maximum for s in scales],
    )


def _domain_columns(instrument: Instrument) -> list[slice]:
    out, start = [], 0
    for domain in instrument.domains:
        out.append(slice(start, start + len(domain.items)))
        start += len(domain.items)
    return out


def in_canonical_order(responses: RoundResponses) -> RoundResponses:
    """The responses sorted by what they say (answers, role, language, mode, flags), never by
    where they were filed or stored. Every sum then adds the same numbers in the same order
    whichever withheld unit a response came from, so two rounds that differ only in how people
    are split between withheld units give the same report to the last bit."""
    if responses.n < 2:
        return responses
    codes = np.where(
        np.isfinite(responses.values), responses.values,
        np.where(responses.not_applicable, -1, -2),
    ).astype(np.int16)
    labels = [
        np.unique(np.array(column, dtype=str), return_inverse=True)[1]
        for column in (
            [r or "" for r in responses.roles], responses.languages, responses.modes,
            [",".join(f) for f in responses.quality_flags],
        )
    ]
    # np.lexsort sorts by its last key first: answers item by item, then the labels
    order = np.lexsort([*labels[::-1], *codes.T[::-1]])
    return replace(
        responses,
        values=responses.values[order],
        not_applicable=responses.not_applicable[order],
        round_unit_ids=responses.round_unit_ids[order],
        roles=tuple(responses.roles[i] for i in order),
        languages=tuple(responses.languages[i] for i in order),
        modes=tuple(responses.modes[i] for i in order),
        quality_flags=tuple(responses.quality_flags[i] for i in order),
    )


def round_data(session: Session, round_: Round) -> RoundData:
    """Read the round once and decide the disclosure of every number of every scope.

    Raises `ResultsNotReady` for a draft or open round: nobody sees results while it runs."""
    require_results(round_)
    instrument = round_.instrument_version.instrument()
    tree = round_tree(round_, round_.organization.name)
    responses = in_canonical_order(round_responses(session, round_, tuple(instrument.item_ids())))
    k = round_.min_group_size
    n_cells = len(tree.keys)
    cells, cell_of, web = unit_disclosure(tree, responses, k)
    keyed = _keyed(instrument, responses.values)
    columns = _domain_columns(instrument)
    scores = np.column_stack(
        [domain_scores(keyed[:, c], instrument.scoring.min_answered).scores for c in columns]
    ) if responses.n else np.empty((0, len(columns)))
    scored = np.isfinite(scores)
    answered = np.isfinite(keyed)
    domains = disclose_measures(
        tree.parent, _own_by_cell(cell_of, scored.astype(float), n_cells), k, cells=cells,
        parts=_web_parts(cell_of, scored, web, n_cells),
    )
    linked = tuple(tuple(range(c.start, c.stop)) for c in columns)
    items = disclose_measures(
        tree.parent, _own_by_cell(cell_of, answered.astype(float), n_cells), k,
        cells=cells, linked=linked, parts=_web_parts(cell_of, answered, web, n_cells),
    )
    flags = np.array([bool(f) for f in responses.quality_flags], dtype=float)
    flagged = disclose(
        tree.parent,
        np.bincount(cell_of, weights=flags, minlength=n_cells).astype(np.int64),
        k,
        withheld=cells.status != SHOWN,
        parts=_own_by_cell(cell_of, flags * web, n_cells),
    )
    return RoundData(
        round_=round_, instrument=instrument, tree=tree, responses=responses,
        cell_of=cell_of, keyed=keyed, scores=scores, cells=cells, domains=domains,
        items=items, flagged=flagged, web=web,
        roles=_role_data(responses, scored, web, domains, k),
    )


def unit_disclosure(
    tree: RoundTree, responses: RoundResponses, k: int
) -> tuple[Disclosure, np.ndarray, np.ndarray]:
    """The decision about the round's cells (by responses), each response's cell, and which
    responses came in on the web. Web responses are a part of their own: whoever typed in the
    paper forms knows those, so what is left when they are subtracted must be no one or at
    least k people too (`scoring.disclosure.disclose`, ``parts``)."""
    own, cell_of = _own_counts(tree, responses)
    web = np.array([mode == ResponseMode.WEB.value for mode in responses.modes], dtype=bool)
    parts = _own_by_cell(cell_of, web.astype(float), len(tree.keys))
    return disclose(tree.parent, own, k, parts=parts), cell_of, web


def _role_data(
    responses: RoundResponses,
    scored: np.ndarray,
    web: np.ndarray,
    domains: MeasureDisclosure,
    k: int,
) -> RoleData:
    """The role breakdown is a tree of its own: the agency at the root (own count: who gave
    no role), one child per role; the agency's own decisions (cell 0 of the unit tree) carry
    over to the root, so the root is shown exactly when the agency is."""
    names = (NO_ROLE, *RESPONDENT_ROLES)
    position = {name: i for i, name in enumerate(names)}
    of = np.array([position[r if r is not None else NO_ROLE] for r in responses.roles],
                  dtype=np.int64)
    parent = np.array([-1] + [0] * len(RESPONDENT_ROLES))
    own = np.bincount(of, minlength=len(names))
    cells = disclose(parent, own, k, parts=_own_by_cell(of, web.astype(float), len(names)))
    root_withheld = np.zeros((scored.shape[1], len(names)), dtype=bool)
    root_withheld[:, 0] = domains.status[:, 0] != SHOWN
    role_domains = disclose_measures(
        parent, _own_by_cell(of, scored.astype(float), len(names)), k,
        cells=cells, withheld=root_withheld, parts=_web_parts(of, scored, web, len(names)),
    )
    return RoleData(names=names, of=of, cells=cells, domains=role_domains)


# -- building --------------------------------------------------------------------------------


def build_report(session: Session, round_: Round, scope_unit_id: int | None = None) -> Report:
    """The report of a closed `round_` for the whole agency (`scope_unit_id` None) or for the
    subtree of the round unit `scope_unit_id` (a round unit id of this round)."""
    return report_for_scope(session, round_data(session, round_), scope_unit_id)


def build_round_reports(session: Session, round_: Round) -> dict[int | None, Report]:
    """The reports of every scope of a closed round (None: the agency), sharing one reading of
    the round and one decision."""
    data = round_data(session, round_)
    loaded: dict = {}
    return {
        (None if key == AGENCY else key): report_for_scope(session, data, key, loaded)
        for key in data.tree.keys
    }


def report_for_scope(
    session: Session,
    data: RoundData,
    scope_unit_id: int | None,
    loaded: dict | None = None,
) -> Report:
    round_, instrument, tree = data.round_, data.instrument, data.tree
    loaded = {} if loaded is None else loaded
    scope_key = AGENCY if scope_unit_id is None else scope_unit_id
    if scope_key not in tree.keys:
        raise LookupError(f"round {round_.name!r} has no unit {scope_unit_id}")
    scope = tree.index(scope_key)
    in_scope_cells = tree.subtree(scope)
    in_scope = np.isin(data.cell_of, in_scope_cells)
    k = round_.min_group_size
    notes: list[str] = []
    status = str(data.cells.status[scope])
    shown = status == SHOWN

    domains: tuple[DomainResult, ...] = ()
    strengths: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    if shown:
        domains = _domain_results(data, scope, in_scope)
        ranked = sorted(
            (d for d in domains if d.mean is not None), key=lambda d: d.mean, reverse=True
        )
        strengths = tuple(d.domain_id for d in ranked[:STRENGTHS])
        priorities = tuple(d.domain_id for d in reversed(ranked[-PRIORITIES:]))

    units = _unit_cells(data, in_scope_cells)
    roles = _role_cells(data)
    comments, comments_withheld = _comments(session, data, in_scope_cells)

    invited_by_cell = _invited(round_, tree)
    invited = int(invited_by_cell[in_scope_cells].sum())
    rate = None
    if shown and invited >= k:
        rate = int(data.cells.counts[scope]) / invited

    earlier = _earlier_rounds(session, round_)
    previous = earlier[-1] if earlier else None
    change: tuple[ChangeResult, ...] = ()
    if previous is not None and shown:
        change = _change(session, data, previous, scope, notes, loaded)
    trend = tuple(_trend_point(session, data, r, scope, loaded) for r in earlier) + (
        TrendPoint(
            round_.id, round_.name, round_.opens_on, status,
            {d.domain_id: d.mean for d in domains if d.mean is not None},
            {d.id: len(d.items) for d in instrument.domains},
            {d.domain_id: d.reason for d in domains if d.mean is None}
            if shown else {d.id: str(data.cells.code[scope]) for d in instrument.domains},
        ),
    )
    actions_before, actions_now = action_views(
        session, round_.organization_id, round_.id,
        previous.id if previous is not None else None,
        {r.id: r.name for r in [*earlier, round_]},
        {c.domain_id: c for c in change},
    )
    n_flagged = None
    flagged_status = data.flagged.status[scope]
    if shown and (flagged_status == SHOWN or data.flagged.counts[scope] == 0):
        n_flagged = int(data.flagged.counts[scope])
    return Report(
        round_id=round_.id,
        round_name=round_.name,
        round_status=round_.status,
        organization=round_.organization.name,
        instrument_ref=round_.instrument_version.ref,
        instrument_title=dict(instrument.title),
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        min_group_size=k,
        min_comment_group_size=round_.min_comment_group_size,
        scope_key=scope_key,
        scope_name=tree.names[scope],
        scope_status=status,
        n_responses=int(data.cells.counts[scope]) if shown else None,
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
        n_flagged=n_flagged,
        notes=tuple(notes),
        scope_reason=str(data.cells.code[scope]),
    )


def _subtree_means(data: RoundData) -> np.ndarray:
    """(domains, cells) mean domain score over each cell's whole subtree (nan: none)."""
    n_cells = len(data.tree.keys)
    scored = np.isfinite(data.scores)
    sums = data.tree.totals(_own_by_cell(data.cell_of, np.where(scored, data.scores, 0.0),
                                         n_cells))
    counts = data.tree.totals(_own_by_cell(data.cell_of, scored.astype(float), n_cells))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _unit_cells(data: RoundData, in_scope_cells: list[int]) -> tuple[Cell, ...]:
    means = _subtree_means(data)
    ids = [d.id for d in data.instrument.domains]
    out = []
    for index in in_scope_cells:
        shown = data.cells.status[index] == SHOWN
        out.append(
            Cell(
                key=data.tree.keys[index],
                name=data.tree.names[index],
                depth=data.tree.depth[index],
                status=str(data.cells.status[index]),
                n=int(data.cells.counts[index]) if shown else None,
                means={
                    d: float(means[j, index]) for j, d in enumerate(ids)
                    if shown and data.domains.status[j, index] == SHOWN
                },
                reason=str(data.cells.code[index]),
                domain_reasons={
                    d: str(data.domains.code[j, index]) for j, d in enumerate(ids)
                    if shown and data.domains.status[j, index] != SHOWN
                },
            )
        )
    return tuple(out)


def _role_cells(data: RoundData) -> tuple[Cell, ...]:
    roles = data.roles
    ids = [d.id for d in data.instrument.domains]
    cells = []
    for i, name in enumerate(roles.names[1:], start=1):
        shown = roles.cells.status[i] == SHOWN
        members = roles.of == i
        means: dict[str, float | None] = {}
        reasons: dict[str, str] = {}
        for j, domain_id in enumerate(ids):
            if not shown:
                continue
            if roles.domains.status[j, i] == SHOWN:
                column = data.scores[members, j]
                means[domain_id] = float(np.nanmean(column))
            else:
                reasons[domain_id] = str(roles.domains.code[j, i])
        cells.append(
            Cell(
                key=name, name=name, depth=1, status=str(roles.cells.status[i]),
                n=int(roles.cells.counts[i]) if shown else None,
                means=means, reason=str(roles.cells.code[i]), domain_reasons=reasons,
            )
        )
    return tuple(cells)


def _comments(
    session: Session, data: RoundData, in_scope: list[int]
) -> tuple[dict[str, tuple[str, ...]], bool]:
    """Comments in groups of at least the comment threshold, on the shown partition: each
    comment counts in its unit's nearest shown cell, and groups are then folded up the tree
    of shown cells until they hold enough responses."""
    tree = data.tree
    k_comments = data.round_.min_comment_group_size
    group = nearest_shown(tree.parent, data.cells.status == SHOWN)
    shown_cells = np.flatnonzero(group == np.arange(len(tree.keys)))
    index = {int(c): i for i, c in enumerate(shown_cells)}
    reduced_parent = np.array([
        index[int(group[tree.parent[c]])] if tree.parent[c] >= 0 else -1 for c in shown_cells
    ], dtype=np.int64)
    # responses in each shown cell's own group (one bincount, no loop over respondents)
    per_cell = np.bincount(group[data.cell_of][group[data.cell_of] >= 0],
                           minlength=len(tree.keys))
    responses_in = per_cell[shown_cells].astype(np.int64)
    target: dict[int, int] = {}
    if len(shown_cells):
        folded = fold_small_units(reduced_parent, responses_in, k_comments)
        target = {int(c): int(folded.target[i]) for i, c in enumerate(shown_cells)}
    position = {key: i for i, key in enumerate(tree.keys)}
    allowed = set(in_scope)
    grouped: dict[str, list[str]] = {}
    withheld = False
    for comment in round_comments(session, data.round_):
        home = int(group[position[comment.round_unit_id]])
        folded_to = target.get(home, -1) if home >= 0 else -1
        cell = int(shown_cells[folded_to]) if folded_to >= 0 else -1
        if cell >= 0 and cell in allowed:
            grouped.setdefault(comment.domain_id or "", []).append(comment.text)
        else:
            withheld = True
    rng = random.Random()  # a fresh order every build: order must carry no information
    for texts in grouped.values():
        rng.shuffle(texts)
    return {key: tuple(texts) for key, texts in sorted(grouped.items())}, withheld


def _invited(round_: Round, tree: RoundTree) -> np.ndarray:
    by_key = {unit.id: unit.invited or 0 for unit in round_.units}
    return np.array([by_key.get(key, 0) for key in tree.keys])


def _domain_results(data: RoundData, scope: int, in_scope: np.ndarray) -> tuple[DomainResult, ...]:
    """The domains of the scope. Besides the disclosure rule (module docstring):

    - **% favorable** is pooled over the answers of the *scored* respondents (those who met the
      instrument's ``min_answered`` rule, the base of the mean) to the items shown here; it is
      withheld beside a shown mean when between 1 and k − 1 respondents who are not scored
      answered those items (the difference to the items' own shown counts would describe them);
    - **reliability** is computed only from `MIN_COMPLETE` (and at least k) complete responses,
      with ``ci="auto"`` (`scoring.reliability`); omega's reversed items are named by item id;
    - **agreement** per unit (band, rwg(j) under a slightly skewed null, split) is listed only
      for units of the shown partition whose rwg(j) rests on at least k respondents.
    """
    instrument, tree, k = data.instrument, data.tree, data.round_.min_group_size
    analysis = analyze(
        instrument, data.responses.values[in_scope], data.responses.not_applicable[in_scope]
    )
    item_summaries = {item.item_id: item.summary for item in analysis.items}
    columns = _domain_columns(instrument)
    cell_of = data.cell_of[in_scope]
    keyed = data.keyed[in_scope]
    threshold = max(MIN_COMPLETE, k)
    out = []
    item_index = 0
    for j, (domain, result, column) in enumerate(
        zip(instrument.domains, analysis.domains, columns, strict=True)
    ):
        domain_shown = data.domains.status[j, scope] == SHOWN
        x = keyed[:, column]
        scores = data.scores[in_scope, j]
        scored = np.isfinite(scores)
        items: list[ItemResult] = []
        shown_columns: list[int] = []
        hits = answers = 0
        for position, item in enumerate(domain.items):
            s = item_summaries[item.id]
            scale = instrument.scales[item.scale]
            item_shown = data.items.status[item_index, scope] == SHOWN
            counts = tuple(int(c) for c in s.counts)
            if item.reverse:  # the summary counts keyed points; show them as answered
                counts = counts[::-1]
            if item_shown:
                shown_columns.append(position)
                answered = x[scored, position]
                hits += int(np.isin(answered, scale.favorable).sum())
                answers += int(np.isfinite(answered).sum())
            items.append(
                ItemResult(
                    item_id=item.id,
                    text=dict(item.text),
                    scale=item.scale,
                    reverse=item.reverse,
                    n=s.n if item_shown else None,
                    n_na=s.n_na or 0,
                    pct_na=None if s.share_na is None else 100 * s.share_na,
                    mean=s.mean if item_shown else None,
                    pct_favorable=(
                        None if not item_shown or s.share_favorable is None
                        else 100 * s.share_favorable
                    ),
                    distribution=counts if item_shown else None,
                    points=tuple(scale.points),
                    status=str(data.items.status[item_index, scope]),
                    reason=str(data.items.code[item_index, scope]),
                )
            )
            item_index += 1
        if not domain_shown:
            out.append(_withheld_domain(domain, tuple(items),
                                        str(data.domains.status[j, scope]),
                                        str(data.domains.code[j, scope])))
            continue
        # unscored respondents who answered a shown item: the remainder the items' counts
        # and the domain's % favorable would let a reader work out
        unscored = int((~scored & np.isfinite(x[:, shown_columns]).any(axis=1)).sum())
        pct_reason = PROTECTS_SMALLER if 0 < unscored < k else ""
        pct_favorable = 100.0 * hits / answers if answers and not pct_reason else None

        rel = result.reliability
        reliable = rel.n_complete >= threshold
        if reliable:  # the bootstrap, where "auto" takes it, only for what will be shown
            rel = _reliability(x, instrument, domain)
        summary = result.summary
        icc1 = icc2 = icc1_n0 = icc_n0 = icc_size = None
        low: list[str] = []
        split: list[str] = []
        units: list[UnitAgreement] = []
        # Agreement on the shown partition: each scored respondent in the nearest cell shown
        # for this domain, within the scope.
        partition = nearest_shown(tree.parent, data.domains.status[j] == SHOWN)[cell_of]
        if np.unique(partition[scored]).size >= 2:
            agreement_icc = icc(scores, partition)
            icc1, icc2 = agreement_icc.icc1, agreement_icc.icc2
            icc1_n0, icc_n0 = agreement_icc.icc1_n0, agreement_icc.n0
            icc_size = agreement_icc.k
        scales = {(instrument.scale_of(i).minimum, instrument.scale_of(i).maximum)
                  for i in domain.items}
        if len(scales) == 1:
            lo, hi = scales.pop()
            agreement = agreement_by_group(
                x, partition, n_options=int(hi - lo + 1), scale_min=lo, scores=scores,
            )
            for group in agreement.groups:
                cell = int(group.group)
                if cell == 0 or group.n < k:  # the agency, or a rwg(j) on fewer than k
                    continue
                name = tree.names[cell]
                if group.low_agreement:
                    low.append(name)
                if group.split:
                    split.append(name)
                units.append(UnitAgreement(
                    unit=name, n=group.n, rwg_j=group.rwg_j, band=group.band,
                    rwg_j_skewed=group.rwg_j_skewed, split=bool(group.split),
                ))
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
                pct_favorable=pct_favorable,
                n_complete=rel.n_complete if rel.n_complete >= k else None,
                alpha=rel.alpha if reliable else None,
                alpha_ci=(rel.alpha_ci_low, rel.alpha_ci_high)
                if reliable and rel.alpha_ci_low is not None else None,
                omega=rel.omega_total if reliable else None,
                reliability_flags=rel.flags if reliable else (FLAG_TOO_FEW,),
                weak_items=tuple(domain.items[i.index].id for i in rel.items if i.flags)
                if reliable else (),
                icc1=icc1,
                icc2=icc2,
                low_agreement_units=tuple(low),
                split_units=tuple(split),
                items=tuple(items),
                status=SHOWN,
                reason="",
                n_items_shown=len(shown_columns),
                alpha_ci_method=rel.alpha_ci_method
                if reliable and rel.alpha_ci_low is not None else "",
                omega_ci=(rel.omega_ci_low, rel.omega_ci_high)
                if reliable and rel.omega_total is not None and rel.omega_ci_low is not None
                else None,
                omega_rmsr=rel.omega_rmsr if reliable else None,
                omega_withheld=(rel.omega_withheld or "") if reliable else "",
                reversed_items=tuple(domain.items[c].id for c in rel.reversed_items)
                if reliable else (),
                icc1_n0=icc1_n0,
                icc_n0=icc_n0,
                icc_group_size=icc_size,
                unit_agreement=tuple(units),
                pct_favorable_reason=pct_reason,
            )
        )
    return tuple(out)


def _reliability(x: np.ndarray, instrument: Instrument, domain: Domain) -> Reliability:
    """Reliability of a domain's keyed matrix as the reports show it (``ci="auto"``)."""
    bounds = [instrument.scale_of(item) for item in domain.items]
    return reliability(
        x, ci=CI_AUTO,
        minimum=np.array([s.minimum for s in bounds], dtype=float),
        maximum=np.array([s.maximum for s in bounds], dtype=float),
    )


def _withheld_domain(
    domain: Domain, items: tuple[ItemResult, ...], status: str, reason: str
) -> DomainResult:
    return DomainResult(
        domain_id=domain.id, title=dict(domain.title), why=dict(domain.why),
        n_items=len(domain.items), n_scored=None, mean=None, sd=None, ci=None,
        pct_favorable=None, n_complete=None, alpha=None, alpha_ci=None, omega=None,
        reliability_flags=(), weak_items=(), icc1=None, icc2=None, low_agreement_units=(),
        split_units=(), items=items, status=status if status != SHOWN else WITHHELD,
        reason=reason, n_items_shown=sum(1 for i in items if i.status == SHOWN),
    )


# -- rounds before this one ------------------------------------------------------------------


def _earlier_rounds(session: Session, round_: Round) -> list[Round]:
    """Earlier closed or published rounds of the organization on the same instrument id,
    oldest first: placed in time by `chronological_key`, which never compares a missing date
    (rounds stored before dates were required may have none)."""
    from storage.round_service import chronological_key

    rows = session.scalars(
        sa.select(Round)
        .where(
            Round.organization_id == round_.organization_id,
            Round.id != round_.id,
            Round.status.in_(RESULT_STATUSES),
        )
    )
    now = chronological_key(round_)
    same = [
        r for r in rows
        if r.instrument_version.instrument_id == round_.instrument_version.instrument_id
        and chronological_key(r) < now
    ]
    return sorted(same, key=chronological_key)


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


@dataclass(frozen=True)
class _Comparable:
    """Domain scores of one round on items comparable with another version, and the
    disclosure of each of them on that round's tree (a measure of its own)."""

    data: RoundData
    domain_ids: tuple[str, ...]
    scores: np.ndarray  # respondents × domain_ids
    decision: MeasureDisclosure | None  # None when there are no respondents


def _comparable(
    data: RoundData,
    other: Instrument,
    side: int,
    loaded: dict,
) -> tuple[_Comparable, dict[str, list[tuple[str, str]]]]:
    """Scores of `data`'s respondents on the items comparable with the `other` version, as
    the `side` (0 before, 1 after) of the comparison; computed once per report batch."""
    key = ("comparable", data.round_.id, other.ref, side)
    if key not in loaded:
        before, after = (data.instrument, other) if side == 0 else (other, data.instrument)
        pairs = comparable_pairs(before, after)
        loaded[key] = (_comparable_scores(data, pairs, side), pairs)
    return loaded[key]


def _comparable_scores(
    data: RoundData, pairs: dict[str, list[tuple[str, str]]], side: int
) -> _Comparable:
    instrument = data.instrument
    position = {item_id: j for j, item_id in enumerate(data.responses.item_ids)}
    domain_ids = tuple(d for d, p in pairs.items() if p)
    columns = []
    for domain_id in domain_ids:
        cols = [position[p[side]] for p in pairs[domain_id]]
        columns.append(
            domain_scores(data.keyed[:, cols], instrument.scoring.min_answered).scores
            if data.responses.n else np.empty(0)
        )
    scores = np.column_stack(columns) if columns else np.empty((data.responses.n, 0))
    decision = None
    if domain_ids:
        scored = np.isfinite(scores)
        decision = disclose_measures(
            data.tree.parent,
            _own_by_cell(data.cell_of, scored.astype(float), len(data.tree.keys)),
            data.round_.min_group_size,
            cells=data.cells,
            parts=_web_parts(data.cell_of, scored, data.web, len(data.tree.keys)),
        )
    return _Comparable(data, domain_ids, scores, decision)


def _earlier_data(session: Session, round_: Round, loaded: dict) -> RoundData:
    if round_.id not in loaded:
        loaded[round_.id] = round_data(session, round_)
    return loaded[round_.id]


def _matching_cell(data: RoundData, unit_id: int | None) -> int | None:
    """The cell of the living unit `unit_id` in another round's tree; None when it is not
    there, or when the unit no longer exists (a snapshot whose living unit was removed keeps
    `unit_id` None, and must not be matched with the agency or with another such unit)."""
    if unit_id is None:
        return None
    found = data.tree.unit_ids.index(unit_id, 1) if unit_id in data.tree.unit_ids[1:] else None
    return found


def _scope_cell(before: RoundData, data: RoundData, scope: int) -> int | None:
    """The cell of `data`'s scope in the earlier round `before`: the agency for the agency."""
    return 0 if scope == 0 else _matching_cell(before, data.tree.unit_ids[scope])


def _rows(data: RoundData, cell: int) -> np.ndarray:
    return np.isin(data.cell_of, data.tree.subtree(cell))


@dataclass(frozen=True)
class _Side:
    """One round of a comparison: its data, its scores on the comparable items, the cell of
    the scope in its tree, and which of its respondents the change is computed on."""

    data: RoundData
    comparable: _Comparable
    root: int
    keep: np.ndarray  # per cell: one of the units present in both rounds (or the root)
    rows: np.ndarray  # per respondent: in a kept cell of the scope's subtree

    @property
    def reduced(self) -> bool:
        """Whether some cell of the scope, with responses, lies outside the common units."""
        cells = self.data.tree.subtree(self.root)
        own = np.bincount(self.data.cell_of, minlength=len(self.data.tree.keys))
        return bool(any(own[c] > 0 and not self.keep[c] for c in cells))


def _sides(
    before_data: RoundData, before: _Comparable, before_cell: int,
    data: RoundData, after: _Comparable, scope: int,
) -> tuple[_Side, _Side, bool, tuple[str, ...]]:
    """Both rounds restricted to the units present in both (matched by living unit id, as
    `_matching_cell`); whether the units covered differ (something is left out of either
    round); and then the names of the common units in this round's tree order (empty when
    nothing is left out)."""
    common = _unit_set(before_data, before_cell) & _unit_set(data, scope)

    def side(d: RoundData, comparable: _Comparable, root: int) -> _Side:
        keep = np.zeros(len(d.tree.keys), dtype=bool)
        for c in d.tree.subtree(root):
            keep[c] = c == root or d.tree.unit_ids[c] in common
        return _Side(d, comparable, root, keep, keep[d.cell_of])

    first, second = side(before_data, before, before_cell), side(data, after, scope)
    differs = (first.reduced or second.reduced
               or _unit_set(before_data, before_cell) != _unit_set(data, scope))
    names: tuple[str, ...] = ()
    if differs:
        names = tuple(data.tree.names[c] for c in data.tree.subtree(scope)
                      if c != 0 and data.tree.unit_ids[c] in common)
    return first, second, differs, names


def _unit_set(data: RoundData, root: int) -> set[int]:
    """The living units of `data`'s snapshot at or below cell `root` (a unit removed since
    keeps no living id and matches nothing)."""
    return {data.tree.unit_ids[c] for c in data.tree.subtree(root)  # type: ignore[misc]
            if c != 0 and data.tree.unit_ids[c] is not None}


def _subset_releasable(side: _Side, j: int, k: int) -> bool:
    """Whether domain `j` may be compared on the common units of `side`'s round alone.

    A number on "the scope minus some units", set beside the scope's own shown number, gives
    the left-out part by subtraction. So the left-out part must be nothing, or exactly a union
    of cells whose number for this very measure (the domain on the comparable items) is shown
    in that round, each of which rests on at least k people (`_Comparable.decision`); and the
    part compared must itself hold at least k scored respondents, with 0 or at least k of them
    on the web (the paper forms are known to whoever typed them in), the rule
    `disclose_measures(..., parts=...)` applies to every shown number.

    Which cells hold someone is judged by responses, not by who has this domain's score: a
    withheld unit's response count is the same however respondents are split between the
    withheld units under one shown cell, who among them has a score is not, and the decision
    must not tell those splits apart."""
    d, tree = side.data, side.data.tree
    n_cells = len(tree.keys)
    scored = np.isfinite(side.comparable.scores[:, j])
    own = np.bincount(d.cell_of, minlength=n_cells)
    kept_with_data = side.keep & (own > 0)
    pure = tree.totals(kept_with_data.astype(float)) == 0  # no kept responses below
    shown = side.comparable.decision.status[j] == SHOWN  # type: ignore[union-attr]
    covered = np.zeros(n_cells, dtype=bool)
    cells = tree.subtree(side.root)
    for c in cells:  # tree order: a parent before its children (cells, not respondents)
        covered[c] = (pure[c] and shown[c]) or (c != side.root and covered[tree.parent[c]])
    left_out = [c for c in cells if not side.keep[c] and own[c] > 0]
    if not all(covered[c] for c in left_out):
        return False
    in_subset = side.rows & scored
    n, web = int(in_subset.sum()), int((in_subset & d.web).sum())
    return n >= k and (web == 0 or web >= k)


def _pooled_sd(change: MeanChange) -> float | None:
    """√{[(n₁ − 1)s₁² + (n₂ − 1)s₂²] / (n₁ + n₂ − 2)}, the SD Hedges' g is standardized on."""
    if change.sd_before is None or change.sd_after is None:
        return None
    n1, n2 = change.n_before, change.n_after
    return float(np.sqrt(((n1 - 1) * change.sd_before ** 2 + (n2 - 1) * change.sd_after ** 2)
                         / (n1 + n2 - 2)))


def _change(
    session: Session,
    data: RoundData,
    previous: Round,
    scope: int,
    notes: list[str],
    loaded: dict,
) -> tuple[ChangeResult, ...]:
    """The change of every comparable domain of the scope since `previous`.

    **Composition.** When the units the scope covers differ between the two rounds (a round
    of 3 units against one of 12, for the agency or a region), the change is computed on the
    units present in both rounds only, matched by living unit id, and each result names them
    (`ChangeResult.units`); never on raw totals of different groups of units. A domain is
    compared that way only when `_subset_releasable` holds in both rounds; otherwise it is
    withheld with `CHANGED_UNITS`. The common units are a property of the two snapshots, and
    the left-out part is a union of shown cells, so two databases that differ only in how
    respondents are split between withheld units give the same change."""
    before_data = _earlier_data(session, previous, loaded)
    before_cell = _scope_cell(before_data, data, scope)
    before_status = NO_DATA if before_cell is None else str(before_data.cells.status[before_cell])
    if before_cell is None or before_status != SHOWN:
        notes.append(
            f"no change since {previous.name}: the group was "
            f"{'withheld' if before_status == WITHHELD else 'not part of it'} then"
        )
        return ()
    before, pairs = _comparable(before_data, data.instrument, 0, loaded)
    after, _ = _comparable(data, before_data.instrument, 1, loaded)
    if not after.domain_ids:
        return ()
    k = data.round_.min_group_size
    first, second, differs, units = _sides(before_data, before, before_cell, data, after, scope)
    reasons: dict[int, str] = {}
    shown = []
    for j in range(len(after.domain_ids)):
        after_ok = after.decision.status[j, scope] == SHOWN  # type: ignore[union-attr]
        before_ok = before.decision.status[j, before_cell] == SHOWN  # type: ignore[union-attr]
        if not (after_ok and before_ok):
            reasons[j] = (str(after.decision.code[j, scope])  # type: ignore[union-attr]
                          or str(before.decision.code[j, before_cell]))  # type: ignore[union-attr]
        elif differs and not (_subset_releasable(first, j, k)
                            and _subset_releasable(second, j, k)):
            reasons[j] = CHANGED_UNITS
        else:
            shown.append(j)
    results: dict[str, ChangeResult] = {}
    if shown:
        comparison = compare_domains(
            before.scores[first.rows][:, shown],
            after.scores[second.rows][:, shown],
            [after.domain_ids[j] for j in shown],
        )
        for j, result in zip(shown, comparison.domains, strict=True):
            c = result.change
            domain_id = after.domain_ids[j]
            pooled = _pooled_sd(c)
            results[domain_id] = ChangeResult(
                domain_id=domain_id,
                n_items_compared=len(pairs[domain_id]),
                n_items=len(data.instrument.domain(domain_id).items),
                n_before=c.n_before, n_after=c.n_after,
                mean_before=c.mean_before, mean_after=c.mean_after,
                diff=c.diff, diff_ci=c.diff_ci95, hedges_g=c.hedges_g,
                p_adjusted=result.p_adjusted, verdict=result.verdict,
                hedges_g_ci=c.hedges_g_ci95,
                mde_g=c.mde_g,
                mde_points=c.mde_points,
                mid_points=None if pooled is None else MIN_IMPORTANT * pooled,
                units=units,
            )
    out = []
    for j, domain_id in enumerate(after.domain_ids):
        if domain_id in results:
            out.append(results[domain_id])
            continue
        out.append(ChangeResult(
            domain_id=domain_id, n_items_compared=len(pairs[domain_id]),
            n_items=len(data.instrument.domain(domain_id).items),
            n_before=None, n_after=None, mean_before=None, mean_after=None, diff=None,
            diff_ci=None, hedges_g=None, p_adjusted=None, verdict=WITHHELD,
            reason=reasons[j], units=units,
        ))
    return tuple(out)


def _trend_point(
    session: Session,
    data: RoundData,
    earlier: Round,
    scope: int,
    loaded: dict,
) -> TrendPoint:
    before_data = _earlier_data(session, earlier, loaded)
    cell = _scope_cell(before_data, data, scope)
    before, pairs = _comparable(before_data, data.instrument, 0, loaded)
    counts = {d.id: len(pairs.get(d.id, [])) for d in data.instrument.domains}
    if cell is None:
        return TrendPoint(earlier.id, earlier.name, earlier.opens_on, NO_DATA, {}, counts, {})
    status = str(before_data.cells.status[cell])
    means: dict[str, float | None] = {}
    reasons: dict[str, str] = {}
    if status == SHOWN:
        rows = _rows(before_data, cell)
        for j, domain_id in enumerate(before.domain_ids):
            if before.decision.status[j, cell] == SHOWN:  # type: ignore[union-attr]
                column = before.scores[rows, j]
                means[domain_id] = float(np.nanmean(column))
            else:
                reasons[domain_id] = str(before.decision.code[j, cell])  # type: ignore[union-attr]
    return TrendPoint(earlier.id, earlier.name, earlier.opens_on, status, means, counts, reasons,
                      same_units=_unit_set(before_data, cell) == _unit_set(data, scope))
