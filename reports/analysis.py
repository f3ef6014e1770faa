"""Analysis of one set of responses to one instrument: the statistics of DESIGN section 9.

:func:`analyze` takes an :class:`~instruments.model.Instrument` and the respondents × items
answers (numbers, not text: the CSV reader of ``tisa analyze`` and the report builder over
stored responses both produce them) and computes, with the functions of :mod:`scoring`:

* per domain: the domain score of every respondent under the instrument's ``min_answered``
  rule, their n, mean, SD and t interval, the percent favorable of the scored respondents'
  answers, the reliability (Cronbach's alpha with Feldt's or a BCa bootstrap CI, standardized
  and pairwise alpha, omega total of the score as scored with the one-factor RMSR, r.drop and
  alpha if deleted) and, with group labels, agreement (ICC(1) with k = N/G and with Bliese's
  n0, ICC(2), rwg(j) per group with its LeBreton & Senter band, rwg(j) under a slightly skewed
  null and the split flag);
* per item: n, n not applicable, mean and SD;
* with compare labels (two rounds): the change of every domain, Welch's test, Hedges' g,
  Benjamini–Hochberg across the domains, the minimum detectable effect and the verdict.

Every statistic is on the **keyed** answers (reverse-keyed items flipped with x' = min + max − x,
the bounds taken from each item's scale), so that higher is always more trauma-informed; that
holds for the item means too.

Two views, one walk. :meth:`Analysis.to_dict` (the JSON of ``tisa analyze``) keeps the raw
values: a negative alpha, a negative ICC, a mean's t interval reaching outside the scale, the
omega estimate even where omega is withheld. :func:`render_text` applies the display rules
the reports use (DESIGN section 8):

* reliability only from :data:`~scoring.reliability.MIN_COMPLETE` complete responses (and it
  says so);
* a negative alpha in words ("the items do not hang together: α below zero"), without its CI;
* omega as scored with the one-factor RMSR beside it, or the plain reason it is withheld
  ("item SAF-03 seems reversed: check its keying", "these items measure more than one thing");
* the t interval of a mean held within the domain's scale;
* ICC(1) and ICC(2) below 0 shown as 0 with "units do not differ reliably";
* rwg(j) with LeBreton & Senter's (2008) band, and the split flag in plain words;
* change with its four verdicts, the minimum detectable effect, and the caveat that rounds are
  compared as independent groups.

A value that cannot be computed is ``None``, and :attr:`Analysis.notes` holds a line
``"<path>: <reason>"`` for it, where ``<path>`` is the place of the value in
:meth:`Analysis.to_dict` (e.g. ``domains.SAF.reliability.alpha``). Every display rule the text
applies to a value is a note ``"<path>: display: <rule>"``, so the JSON says what the text
shows instead.

Everything is vectorized over respondents; the Python loops run over domains, items and groups.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from instruments.model import Instrument
from scoring.agreement import ICC, AgreementByGroup, agreement_by_group, icc
from scoring.change import ALPHA as CHANGE_ALPHA
from scoring.change import (
    DECLINED,
    IMPROVED,
    MIN_EFFECT,
    MIN_IMPORTANT,
    POWER,
    STABLE,
    TOO_FEW,
    DomainComparison,
    compare_domains,
)
from scoring.errors import ScoringError
from scoring.matrix import DomainScores, domain_scores, key_items
from scoring.reliability import (
    BOOTSTRAP_SEED,
    CI_BOOTSTRAP,
    CI_FELDT,
    CI_METHODS,
    MIN_COMPLETE,
    N_BOOT,
    OMEGA_MULTIDIMENSIONAL,
    OMEGA_REVERSED,
    Reliability,
    reliability,
)
from scoring.summary import GroupSummary, ItemSummary, group_summary, item_summary

__all__ = [
    "CI_METHODS",
    "Analysis",
    "AnalysisInputError",
    "DomainAnalysis",
    "ItemAnalysis",
    "analyze",
    "render_text",
]

#: words for a coefficient of internal consistency below zero (the text never prints it)
NEGATIVE_ALPHA = "the items do not hang together: α below zero"
#: words for an ICC below zero (shown as 0)
UNITS_DO_NOT_DIFFER = "units do not differ reliably"
#: words for omega withheld as multidimensional
MULTIDIMENSIONAL = "these items measure more than one thing"
#: words for the split flag of scoring.agreement
SPLIT = "staff answers fall into two separate groups"
#: LeBreton & Senter (2008, Table 3) words for the rwg(j) bands of scoring.agreement.rwg_band
BAND_WORDS = {
    "lack": "lack of agreement",
    "weak": "weak agreement",
    "moderate": "moderate agreement",
    "strong": "strong agreement",
    "very strong": "very strong agreement",
}
#: the caveat of every comparison of rounds
INDEPENDENT_GROUPS = (
    "the test treats the two rounds as independent groups (responses are anonymous, so nobody "
    "is linked across rounds); when many of the same people answer both rounds it is "
    "conservative: a real change is less likely to be called"
)


class AnalysisInputError(ValueError):
    """Answers, masks or labels that do not fit the instrument; the message says what to fix."""


@dataclass(frozen=True)
class DomainAnalysis:
    """Everything computed for one domain.

    Attributes
    ----------
    domain_id : str
    item_ids : tuple of str
        The domain's items, in instrument order (the columns of its keyed matrix).
    scores : scoring.matrix.DomainScores
        Per-respondent domain scores (``nan`` where too few items were answered).
    summary : scoring.summary.GroupSummary
        n, mean, SD and t interval of the domain scores.
    pct_favorable : float or None
        Percent (0–100) of the scored respondents' answers to the domain's items, pooled, that
        fall on a favorable point of the item's scale (after keying): the same respondents as
        the mean, so ``None`` exactly when the mean is.
    n_answers : int
        Those answers (the denominator of ``pct_favorable``).
    reliability : scoring.reliability.Reliability
        On the keyed domain matrix, listwise.
    icc : scoring.agreement.ICC or None
        ICC(1), ICC(2) of the domain scores by group; ``None`` without group labels.
    agreement : scoring.agreement.AgreementByGroup or None
        rwg(j) per group; ``None`` without group labels or when the domain's items do not share
        one number of response options (then ``agreement_unavailable`` says so).
    agreement_unavailable : str or None
        Why rwg(j) could not be computed for any group of this domain.
    scale_min, scale_max : float
        The bounds of the domain score: the lowest minimum and highest maximum of its items'
        scales (the text holds the mean's interval within them).
    """

    domain_id: str
    item_ids: tuple[str, ...]
    scores: DomainScores
    summary: GroupSummary
    pct_favorable: float | None
    n_answers: int
    reliability: Reliability
    icc: ICC | None
    agreement: AgreementByGroup | None
    agreement_unavailable: str | None
    scale_min: float = 1.0
    scale_max: float = 5.0


@dataclass(frozen=True)
class ItemAnalysis:
    """One item: its domain and :func:`scoring.summary.item_summary` of its keyed answers."""

    item_id: str
    domain_id: str
    summary: ItemSummary


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyze`.

    Attributes
    ----------
    instrument_ref : str
        ``ID@VERSION`` of the instrument.
    n_respondents : int
        Rows analyzed.
    domains : tuple of DomainAnalysis
        In instrument order.
    items : tuple of ItemAnalysis
        In instrument order.
    group_labels : tuple or None
        The groups (sorted), when group labels were given.
    compare_labels : tuple or None
        ``(earlier, later)``: the two compare values, the smaller first.
    change : scoring.change.DomainComparison or None
        Later − earlier for every domain, when compare labels were given. With group labels
        too, only the respondents of the groups present in both rounds enter it.
    change_units : tuple or None
        With group and compare labels: ``(compared, earlier_only, later_only)``, the groups
        present in both rounds (the change is theirs) and those left out.
    notes : tuple of str
        ``"<path>: <reason>"`` for every ``None`` in :meth:`to_dict`, a few remarks on values
        that are given, and ``"<path>: display: <rule>"`` for every display rule the text
        applies.
    ci : str
        The reliability CI method asked for (``feldt``, ``bootstrap`` or ``auto``).
    n_boot, seed : int
        Bootstrap resamples and seed (used when ``ci`` is not ``feldt``).
    """

    instrument_ref: str
    n_respondents: int
    domains: tuple[DomainAnalysis, ...]
    items: tuple[ItemAnalysis, ...]
    group_labels: tuple | None
    compare_labels: tuple | None
    change: DomainComparison | None
    notes: tuple[str, ...] = ()
    ci: str = CI_FELDT
    n_boot: int = N_BOOT
    seed: int = BOOTSTRAP_SEED
    change_units: tuple[tuple, tuple, tuple] | None = None

    def to_dict(self) -> dict:
        """JSON-ready data with the stable keys of DESIGN section 9.

        ``n_respondents``; ``reliability_ci`` (``method`` and, for a bootstrap, ``n_boot`` and
        ``seed``); ``domains`` keyed by domain id (``n_scored``, ``mean``, ``sd``, ``ci95``,
        ``scale``, ``pct_favorable``, ``reliability`` and, with groups, ``agreement``);
        ``items`` keyed by item id (``n``, ``n_na``, ``mean``, ``sd``); with compare labels
        ``change`` keyed by domain id, and with group labels too ``change_units``
        (``compared``, ``earlier_only``, ``later_only``); ``notes``. Intervals are
        ``[low, high]`` lists, group labels are strings, and a value that cannot be computed
        is ``None`` (never NaN).
        Values are raw: the display rules of :func:`render_text` are notes, not changes.
        """
        out = _render(self)
        out.data["notes"] = list(self.notes)
        return out.data


# --------------------------------------------------------------------------- analysis


def analyze(
    instrument: Instrument,
    answers: ArrayLike,
    not_applicable: ArrayLike | None = None,
    *,
    groups: ArrayLike | None = None,
    compare: ArrayLike | None = None,
    ci: str = CI_FELDT,
    n_boot: int = N_BOOT,
    seed: int = BOOTSTRAP_SEED,
) -> Analysis:
    """Compute the statistics of DESIGN section 9 for one set of responses.

    Parameters
    ----------
    instrument : Instrument
        The instrument version answered; gives the domains, the items' scales (bounds,
        favorable points), the reverse-keyed items and ``scoring.min_answered``.
    answers : array_like, shape (n_respondents, n_items)
        Raw scale points as answered, one column per item in ``instrument.item_ids()`` order,
        ``nan`` for a missing answer (skipped or not applicable).
    not_applicable : array_like of bool, same shape, optional
        ``True`` where "not applicable / unable to rate" was chosen (those cells must be
        ``nan`` in ``answers``). Without it every missing answer counts as skipped
        (``n_na`` = 0).
    groups : array_like, shape (n_respondents,), optional
        Each respondent's group (unit); enables ICC(1), ICC(2) and rwg(j).
    compare : array_like, shape (n_respondents,), optional
        Exactly two distinct values (e.g. two rounds); the smaller value (as ``numpy.sort``
        orders them, so use numbers, dates or ISO strings) is the earlier round.
    ci : {"feldt", "bootstrap", "auto"}
        The confidence intervals of reliability (:func:`scoring.reliability.reliability`):
        Feldt's F interval for alpha and none for omega; BCa bootstrap intervals for both
        (seeded, so a run is reproducible); or the rule the reports use.
    n_boot : int
        Bootstrap resamples (respondents with replacement).
    seed : int
        Seed of the bootstrap: the same seed gives the same intervals.

    Returns
    -------
    Analysis

    Notes
    -----
    Formulas and sources are those of the functions used:
    :func:`scoring.matrix.key_items` (x' = min + max − x) and
    :func:`scoring.matrix.domain_scores` (mean of the answered items when at least
    ``min_answered`` of them are answered; all of them with three or fewer);
    :func:`scoring.summary.group_summary` (mean, SD with n − 1, CI x̄ ± t₀.₉₇₅,ₙ₋₁ s/√n);
    percent favorable = 100 · (answers on a favorable point) / (answers), pooled over the
    domain's items and over the **scored** respondents (those with a domain score, the base
    of the mean), with each item's own scale;
    :func:`scoring.reliability.reliability` (Cronbach 1951; Feldt 1965; McDonald 1999 with
    psych's ``omega(flip = FALSE)``; Efron 1987 BCa); :func:`scoring.agreement.icc` and
    :func:`scoring.agreement.agreement_by_group` (Bliese 2000; James, Demaree & Wolf 1984;
    LeBreton & Senter 2008, as R multilevel); :func:`scoring.change.compare_domains` (Welch
    1947, Hedges & Olkin 1985, Benjamini & Hochberg 1995, Norman, Sloan & Wyrwich 2003).

    With compare labels, ``domains`` and ``items`` still describe every respondent (both
    rounds together); ``change`` compares the two subsets. Every item of one instrument
    version is comparable with itself, so all items enter the comparison. With group labels
    as well, when the groups differ between the rounds (3 units against 12), ``change``
    compares only the respondents of groups present in both rounds, as the reports do:
    otherwise a change of composition would read as a change.

    Raises :class:`AnalysisInputError` when the shapes do not fit the instrument, an answer is
    not a point of its item's scale, a not-applicable cell holds an answer, the labels are
    malformed (compare labels must take exactly two values) or ``ci`` is not a method.
    """
    if ci not in CI_METHODS:
        raise AnalysisInputError(
            f"ci must be one of {', '.join(CI_METHODS)} (the reliability intervals), got {ci!r}"
        )
    domains_of = [(domain, [item.id for item in domain.items]) for domain in instrument.domains]
    item_ids = [item_id for _, ids in domains_of for item_id in ids]
    raw = _answers(answers, item_ids)
    n = raw.shape[0]
    mask = _mask(not_applicable, raw, item_ids)
    scales = [instrument.scale_of(item) for _, item in instrument.items()]
    lows = np.array([s.minimum for s in scales], dtype=float)
    highs = np.array([s.maximum for s in scales], dtype=float)
    _check_range(raw, lows, highs, item_ids)
    reverse = np.array([item.reverse for _, item in instrument.items()], dtype=bool)
    if np.unique(lows).size == 1 and np.unique(highs).size == 1:
        keyed = key_items(raw, reverse, lows[0], highs[0])  # one bound: the fast range check
    else:
        keyed = key_items(raw, reverse, lows, highs)

    group_codes = group_labels = None
    if groups is not None:
        group_labels, group_codes = _labels(groups, n, "groups")
    compare_codes = compare_labels = None
    if compare is not None:
        compare_labels, compare_codes = _labels(compare, n, "compare")
        if len(compare_labels) != 2:
            raise AnalysisInputError(
                f"compare must take exactly two values (the earlier and the later round), got "
                f"{len(compare_labels)}: {list(compare_labels)[:5]}"
            )

    item_results: list[ItemAnalysis] = []
    domain_results: list[DomainAnalysis] = []
    score_columns: list[np.ndarray] = []
    start = 0
    for domain, ids in domains_of:
        stop = start + len(ids)
        x = np.ascontiguousarray(keyed[:, start:stop])  # the domain's keyed matrix
        scores = domain_scores(x, instrument.scoring.min_answered)
        scored = ~np.isnan(scores.scores)
        hits = n_answers = 0
        for j, item in enumerate(domain.items):
            scale = instrument.scale_of(item)
            try:
                item_sum = item_summary(
                    x[:, j],
                    points=scale.points,
                    favorable=scale.favorable,
                    na_mask=mask[:, start + j],
                )
            except ScoringError as exc:  # an answer between two points: say row and item
                _check_points(raw[:, start + j], scale.points, item.id)
                raise AnalysisInputError(f"item {item.id}: {exc}") from exc
            column = x[scored, j]  # the scored respondents' answers: the mean's base
            hits += int(np.isin(column, scale.favorable).sum())
            n_answers += int(np.count_nonzero(~np.isnan(column)))
            item_results.append(ItemAnalysis(item.id, domain.id, item_sum))

        score_columns.append(scores.scores)
        summary = group_summary(scores.scores)
        pct = 100.0 * hits / n_answers if n_answers else None
        rel = reliability(x, ci=ci, n_boot=n_boot, seed=seed)
        icc_result = agreement = unavailable = None
        if group_codes is not None:
            icc_result = icc(scores.scores, group_codes)
            domain_scales = {
                (instrument.scale_of(item).minimum, instrument.scale_of(item).maximum)
                for item in domain.items
            }
            if len(domain_scales) == 1:
                (lo, hi) = domain_scales.pop()
                agreement = agreement_by_group(
                    x, group_codes, n_options=hi - lo + 1, scale_min=lo, scores=scores.scores
                )
            else:
                unavailable = (
                    "the domain's items use scales with different points, so rwg(j) has no "
                    "single uniform null distribution"
                )
        domain_results.append(
            DomainAnalysis(
                domain_id=domain.id,
                item_ids=tuple(ids),
                scores=scores,
                summary=summary,
                pct_favorable=pct,
                n_answers=n_answers,
                reliability=rel,
                icc=icc_result,
                agreement=agreement,
                agreement_unavailable=unavailable,
                scale_min=float(lows[start:stop].min()),
                scale_max=float(highs[start:stop].max()),
            )
        )
        start = stop

    change = change_units = None
    if compare_codes is not None:
        matrix = np.column_stack(score_columns) if score_columns else np.empty((n, 0))
        earlier, later = compare_codes == 0, compare_codes == 1
        if group_codes is not None:
            # the units present in both rounds: change of the same units, never of raw totals
            # over different ones
            units = [np.unique(group_codes[side]) for side in (earlier, later)]
            common = np.intersect1d(*units)
            kept = np.isin(group_codes, common)
            earlier, later = earlier & kept, later & kept
            change_units = (
                tuple(group_labels[c] for c in common),
                tuple(group_labels[c] for c in np.setdiff1d(units[0], common)),
                tuple(group_labels[c] for c in np.setdiff1d(units[1], common)),
            )
        change = compare_domains(matrix[earlier], matrix[later], [d.id for d in instrument.domains])

    result = Analysis(
        instrument_ref=instrument.ref,
        n_respondents=n,
        domains=tuple(domain_results),
        items=tuple(item_results),
        group_labels=group_labels,
        compare_labels=compare_labels,
        change=change,
        change_units=change_units,
        ci=ci,
        n_boot=n_boot,
        seed=seed,
    )
    return replace(result, notes=tuple(_render(result).lines))


def _answers(answers: ArrayLike, item_ids: Sequence[str]) -> np.ndarray:
    try:
        raw = np.asarray(answers, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AnalysisInputError(
            f"answers must be numbers (scale points, nan for missing), got {exc}"
        ) from None
    if raw.ndim != 2 or raw.shape[1] != len(item_ids):
        raise AnalysisInputError(
            f"answers must be a respondents × items matrix with {len(item_ids)} columns (the "
            f"instrument's items in order: {', '.join(item_ids[:3])}, …), got shape {raw.shape}"
        )
    return raw


def _mask(not_applicable: ArrayLike | None, raw: np.ndarray, item_ids: Sequence[str]) -> np.ndarray:
    if not_applicable is None:
        return np.zeros(raw.shape, dtype=bool)
    mask = np.asarray(not_applicable)
    if mask.dtype != bool or mask.shape != raw.shape:
        raise AnalysisInputError(
            f"not_applicable must be a boolean matrix of the answers' shape {raw.shape}, got "
            f"dtype {mask.dtype} and shape {mask.shape}"
        )
    clash = mask & ~np.isnan(raw)
    if clash.any():
        row, col = np.argwhere(clash)[0]
        raise AnalysisInputError(
            f"row {row} (0-based), item {item_ids[col]}: marked not applicable but holds the "
            f"answer {raw[row, col]:g}; a not-applicable answer must be nan"
        )
    return mask


def _check_range(
    raw: np.ndarray, lows: np.ndarray, highs: np.ndarray, item_ids: Sequence[str]
) -> None:
    """Every answer lies within its item's scale; the message names the row and the item."""
    if raw.size == 0:
        return
    if np.unique(lows).size == 1 and np.unique(highs).size == 1:
        # one scale range: two nan-skipping reductions decide it without temporaries
        smallest = np.fmin.reduce(raw, axis=None)
        largest = np.fmax.reduce(raw, axis=None)
        if np.isnan(smallest) or (smallest >= lows[0] and largest <= highs[0]):
            return
    with np.errstate(invalid="ignore"):
        outside = (raw < lows) | (raw > highs)  # nan compares False: missing answers pass
    if outside.any():
        row, col = np.argwhere(outside)[0]
        raise AnalysisInputError(
            f"row {row} (0-based), item {item_ids[col]}: {raw[row, col]:g} is outside the "
            f"item's scale {lows[col]:g}–{highs[col]:g}; mark a missing answer with nan"
        )


def _check_points(column: np.ndarray, points: Sequence[int], item_id: str) -> None:
    """Raise naming the first answer of ``column`` that is not one of ``points``."""
    bad = ~np.isnan(column) & ~np.isin(column, points)
    if bad.any():
        row = int(np.argmax(bad))
        raise AnalysisInputError(
            f"row {row} (0-based), item {item_id}: {column[row]:g} is not a point of the "
            f"item's scale ({', '.join(str(p) for p in points)}); mark a missing answer with nan"
        )


def _labels(labels: ArrayLike, n: int, name: str) -> tuple[tuple, np.ndarray]:
    """Sorted distinct labels and each respondent's index into them."""
    values = np.asarray(labels)
    if values.ndim != 1 or values.shape[0] != n:
        raise AnalysisInputError(
            f"{name} must hold one label per respondent ({n}), got shape {values.shape}"
        )
    if values.dtype.kind == "f" and np.isnan(values).any():
        row = int(np.argmax(np.isnan(values)))
        raise AnalysisInputError(f"{name} has no label at row {row} (0-based); give every row one")
    if values.dtype.kind == "O":
        absent = np.equal(values, None)  # elementwise on an object array
        if absent.any():
            row = int(np.argmax(absent))
            raise AnalysisInputError(
                f"{name} has no label at row {row} (0-based); give every row one"
            )
    try:
        unique, codes = np.unique(values, return_inverse=True)
    except TypeError:
        raise AnalysisInputError(
            f"{name} mixes labels that cannot be sorted together; use all strings or all numbers"
        ) from None
    return tuple(unique.tolist()), codes.reshape(-1)


# --------------------------------------------------------------------------- JSON view


# "item(s) in column(s) 0, 3" / "column(s) 0, 3" in the notes of scoring.reliability
_COLUMNS = re.compile(r"(?:item\(s\) in )?column\(s\) ([0-9]+(?:, [0-9]+)*)")
_DISPLAY = ": display: "
_OMEGA_CI_FELDT = "computed only by the bootstrap (ci bootstrap or auto)"


class _View:
    """One walk over an :class:`Analysis`: the JSON data, its notes, and what the text shows.

    ``lines`` are the notes (``"<path>: <reason>"`` for every ``None``, remarks, and
    ``"<path>: display: <rule>"`` for every display rule); ``shown`` maps a path to what the
    text shows instead of the raw value (a number, an interval or words); ``sentences`` are
    the plain-language lines the text adds.
    """

    def __init__(self) -> None:
        self.data: dict = {}
        self.lines: list[str] = []
        self.shown: dict[str, object] = {}
        self.sentences: list[str] = []

    def value(self, path: str, value: object, reason: str | None) -> object:
        """``value`` made JSON-ready (plain float or int; ``None`` for nan); a ``None``
        records the reason under ``path``."""
        clean = _plain(value)
        if clean is None:
            if value is not None:
                reason = "the computation gave a value that is not a finite number"
            self.lines.append(f"{path}: {reason or 'could not be computed'}")
        return clean

    def interval(self, path: str, low: object, high: object, reason: str | None) -> list | None:
        lo, hi = _plain(low), _plain(high)
        if lo is None or hi is None:
            self.lines.append(f"{path}: {reason or 'could not be computed'}")
            return None
        return [lo, hi]

    def display(
        self,
        path: str,
        rule: str,
        cells: dict[str, object] | None = None,
        sentence: str | None = None,
    ) -> None:
        """Record a display rule: the note, what the text shows at some paths, its words."""
        self.lines.append(f"{path}{_DISPLAY}{rule}")
        self.shown.update(cells or {})
        if sentence is not None and sentence not in self.sentences:
            self.sentences.append(sentence)

    def cell(self, path: str, raw: object, fmt=None) -> str:
        """The text of one table cell: words as they are, numbers through ``fmt``."""
        value = self.shown.get(path, raw)
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return _fmt_ci(value)
        return (fmt or _fmt)(value)


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def _reason(notes: Sequence[str], *fields: str) -> str | None:
    """The reason a scoring result gives for the first of ``fields`` it has a
    ``"<field>: <reason>"`` line for."""
    for field in fields:
        prefix = f"{field}: "
        for note in notes:
            if note.startswith(prefix):
                return note[len(prefix) :]
    return None


def _key(label: Hashable) -> str:
    if isinstance(label, float) and label.is_integer():
        return str(int(label))
    return str(label)


def _render(a: Analysis) -> _View:
    """The JSON view of ``a``, its notes and the text's display (one walk, so they cannot
    disagree)."""
    out = _View()
    ci: dict = {"method": a.ci}
    if a.ci != CI_FELDT:
        ci.update(n_boot=a.n_boot, seed=a.seed)
    data: dict = {
        "n_respondents": a.n_respondents,
        "reliability_ci": ci,
        "domains": {},
        "items": {},
    }
    out.data = data
    for d in a.domains:
        data["domains"][d.domain_id] = _render_domain(d, a, out)
    for item in a.items:
        s, path = item.summary, f"items.{item.item_id}"
        data["items"][item.item_id] = {
            "n": s.n,
            "n_na": s.n_na,
            "mean": out.value(f"{path}.mean", s.mean, _reason(s.notes, "mean")),
            "sd": out.value(f"{path}.sd", s.sd, _reason(s.notes, "sd")),
        }
    if a.change is not None:
        data["change"] = _render_change(a.change, out)
    if a.change_units is not None:
        compared, earlier_only, later_only = ([_key(u) for u in part] for part in a.change_units)
        data["change_units"] = {
            "compared": compared,
            "earlier_only": earlier_only,
            "later_only": later_only,
        }
        if earlier_only or later_only:
            out.lines.append(
                "change_units: the rounds cover different groups, so change compares only the "
                f"groups present in both ({', '.join(compared) or 'none'}), never the totals "
                "of different groups"
            )
    return out


def _render_domain(d: DomainAnalysis, a: Analysis, out: _View) -> dict:
    path = f"domains.{d.domain_id}"
    s = d.summary
    nobody = "nobody met the instrument's min-answered rule, so no one has a domain score"
    entry: dict = {
        "n_scored": d.scores.n_scored,
        "mean": out.value(f"{path}.mean", s.mean, _reason(s.notes, "mean")),
        "sd": out.value(f"{path}.sd", s.sd, _reason(s.notes, "sd")),
        "ci95": out.interval(f"{path}.ci95", s.ci_low, s.ci_high, _reason(s.notes, "ci")),
        "scale": [_plain(d.scale_min), _plain(d.scale_max)],
        "pct_favorable": out.value(
            f"{path}.pct_favorable",
            d.pct_favorable,
            nobody if d.scores.n_scored == 0 else "the scored respondents gave no answers",
        ),
        "reliability": _render_reliability(d, a, out),
    }
    ci95 = entry["ci95"]
    if ci95 is not None and (ci95[0] < d.scale_min or ci95[1] > d.scale_max):
        held = [max(ci95[0], d.scale_min), min(ci95[1], d.scale_max)]
        bounds = f"{d.scale_min:g}–{d.scale_max:g}"
        computed = f"{ci95[0]:.2f} to {ci95[1]:.2f}"
        out.display(
            f"{path}.ci95",
            f"held within the scale {bounds} in the text (computed {computed}; a mean cannot "
            f"leave its scale)",
            {f"{path}.ci95": held},
            f"{d.domain_id}: the 95% CI of the mean is held within the scale {bounds} "
            f"(computed {computed})",
        )
    if a.group_labels is not None:
        entry["agreement"] = _render_agreement(d, a.group_labels, out)
    return entry


def _render_reliability(d: DomainAnalysis, a: Analysis, out: _View) -> dict:
    r, path = d.reliability, f"domains.{d.domain_id}.reliability"
    ids = d.item_ids

    def with_ids(text: str) -> str:
        return _COLUMNS.sub(
            lambda m: "item(s) " + ", ".join(ids[int(j)] for j in m.group(1).split(", ")), text
        )

    reversed_ids = [ids[j] for j in r.reversed_items]
    withheld = None
    if r.omega_withheld == OMEGA_REVERSED:
        withheld = "; ".join(f"item {i} seems reversed: check its keying" for i in reversed_ids)
    elif r.omega_withheld == OMEGA_MULTIDIMENSIONAL:
        withheld = MULTIDIMENSIONAL
    omega_reason = _reason(r.notes, "omega_total")
    if a.ci == CI_FELDT:
        omega_ci_reason = _OMEGA_CI_FELDT
    elif r.omega_total is None:
        omega_ci_reason = "omega is not given (see omega_total)"
    elif r.n_complete < MIN_COMPLETE:
        omega_ci_reason = (
            f"the bootstrap needs at least {MIN_COMPLETE} complete responses ({r.n_complete} here)"
        )
    else:
        omega_ci_reason = _reason(r.notes, "omega_ci")
    entry: dict = {
        "n_complete": r.n_complete,
        "alpha": out.value(f"{path}.alpha", r.alpha, _reason(r.notes, "alpha")),
        "alpha_ci95": out.interval(
            f"{path}.alpha_ci95", r.alpha_ci_low, r.alpha_ci_high, _reason(r.notes, "alpha_ci")
        ),
        "alpha_ci_method": r.alpha_ci_method,
        "alpha_standardized": out.value(
            f"{path}.alpha_standardized",
            r.alpha_standardized,
            _reason(r.notes, "alpha_standardized"),
        ),
        "alpha_pairwise": out.value(
            f"{path}.alpha_pairwise",
            r.alpha_pairwise,
            _reason(r.notes, "alpha_pairwise"),
        ),
        "omega_total": out.value(
            f"{path}.omega_total",
            r.omega_total,
            f"withheld: {withheld} (omega_estimate keeps the value)" if withheld else omega_reason,
        ),
        "omega_estimate": out.value(
            f"{path}.omega_estimate",
            r.omega_estimate,
            _reason(r.notes, "omega_estimate", "omega_total"),
        ),
        "omega_ci95": out.interval(
            f"{path}.omega_ci95",
            r.omega_ci_low,
            r.omega_ci_high,
            omega_ci_reason,
        ),
        "omega_rmsr": out.value(
            f"{path}.omega_rmsr",
            r.omega_rmsr,
            _reason(r.notes, "omega_rmsr", "omega_total"),
        ),
        "omega_withheld": r.omega_withheld or False,
        "reversed_items": reversed_ids,
        "items": {},
    }
    if r.omega_total is not None:  # remarks on a value that is given (Heywood case)
        out.lines.extend(
            f"{path}.omega_total: {with_ids(note[len('omega_total: ') :])}"
            for note in r.notes
            if note.startswith("omega_total: ")
        )
    whole = _reason(r.notes, "items")  # no item statistics at all (one item, n < 2)
    constant = _constant_columns(d, r)
    for j, item in enumerate(r.items):
        item_path = f"{path}.items.{ids[j]}"
        if whole is not None:
            drop_reason = deleted_reason = whole
        else:
            drop_reason = (
                "every complete respondent gave this item the same answer"
                if constant[j]
                else "the other items of the domain do not vary among the complete responses"
            )
            deleted_reason = (
                "needs at least 3 items (deleting one leaves one)"
                if len(ids) == 2
                else "the other items of the domain do not vary among the complete responses"
            )
        entry["items"][ids[j]] = {
            "r_drop": out.value(f"{item_path}.r_drop", item.r_drop, drop_reason),
            "alpha_if_deleted": out.value(
                f"{item_path}.alpha_if_deleted", item.alpha_if_deleted, deleted_reason
            ),
        }
    _reliability_display(d, entry, withheld, out)
    return entry


def _reliability_display(d: DomainAnalysis, entry: dict, withheld: str | None, out: _View) -> None:
    """The display rules of reliability: the minimum of complete responses, alpha below zero,
    omega withheld in words."""
    path, n = f"domains.{d.domain_id}.reliability", entry["n_complete"]
    if n < MIN_COMPLETE:
        hidden = [
            f"{path}.{field}"
            for field in (
                "alpha",
                "alpha_ci95",
                "alpha_ci_method",
                "alpha_standardized",
                "alpha_pairwise",
                "omega_total",
                "omega_ci95",
                "omega_rmsr",
            )
        ]
        hidden += [
            f"{path}.items.{item_id}.{field}"
            for item_id in entry["items"]
            for field in ("r_drop", "alpha_if_deleted")
        ]
        out.display(
            path,
            f"reliability needs at least {MIN_COMPLETE} complete responses ({n} here): the "
            f"text shows no alpha, omega, interval or item statistic",
            dict.fromkeys(hidden, "—"),
            f"{d.domain_id}: reliability needs at least {MIN_COMPLETE} complete responses; "
            f"{n} here",
        )
        return
    below = "below 0"
    if entry["alpha"] is not None and entry["alpha"] < 0:
        out.display(
            f"{path}.alpha",
            f'below zero: the text says "{NEGATIVE_ALPHA}" and shows no interval',
            {f"{path}.alpha": below, f"{path}.alpha_ci95": "—", f"{path}.alpha_ci_method": "—"},
            f"{d.domain_id}: {NEGATIVE_ALPHA}",
        )
    for field in ("alpha_standardized", "alpha_pairwise"):
        if entry[field] is not None and entry[field] < 0:
            out.display(
                f"{path}.{field}",
                "below zero: the text shows words, not the number",
                {f"{path}.{field}": below},
            )
    for item_id, stats in entry["items"].items():
        if stats["alpha_if_deleted"] is not None and stats["alpha_if_deleted"] < 0:
            item_path = f"{path}.items.{item_id}.alpha_if_deleted"
            out.display(
                item_path, "below zero: the text shows words, not the number", {item_path: below}
            )
    if withheld is not None:
        out.shown[f"{path}.omega_total"] = "withheld"
        out.sentences.append(f"{d.domain_id}: omega withheld: {withheld}")


def _constant_columns(d: DomainAnalysis, r: Reliability) -> np.ndarray:
    """Which items the reliability result calls constant (it names their columns)."""
    flags = np.zeros(len(d.item_ids), dtype=bool)
    note = _reason(r.notes, "r_drop")
    if note is not None:
        match = _COLUMNS.search(note)
        if match:
            flags[[int(j) for j in match.group(1).split(", ")]] = True
    return flags


def _render_agreement(d: DomainAnalysis, group_labels: tuple, out: _View) -> dict:
    path = f"domains.{d.domain_id}.agreement"
    c = d.icc

    def from_icc(field: str, *reasons: str) -> object:
        if c is None:
            return out.value(f"{path}.{field}", None, None)
        return out.value(f"{path}.{field}", getattr(c, field), _reason(c.notes, field, *reasons))

    entry: dict = {
        "icc1": from_icc("icc1"),
        "k": from_icc("k", "icc1"),
        "icc1_n0": from_icc("icc1_n0", "n0", "icc1"),
        "n0": from_icc("n0", "icc1"),
        "icc2": from_icc("icc2"),
        "groups": {},
    }
    negative = [f for f in ("icc1", "icc1_n0", "icc2") if entry[f] is not None and entry[f] < 0]
    for field in negative:
        out.display(
            f"{path}.{field}",
            f'below zero: the text shows 0 with "{UNITS_DO_NOT_DIFFER}"',
            {f"{path}.{field}": 0.0},
            f"{d.domain_id}: {UNITS_DO_NOT_DIFFER} (ICC below zero, shown as 0)",
        )
    by_code = {g.group: g for g in d.agreement.groups} if d.agreement is not None else {}
    for code, label in enumerate(group_labels):
        key = _key(label)
        group_path = f"{path}.groups.{key}"
        g = by_code.get(code)
        if g is None:
            reason = d.agreement_unavailable or "the group has no respondent"
            entry["groups"][key] = {
                "n": 0 if d.agreement is not None else None,
                "rwg_j": out.value(f"{group_path}.rwg_j", None, reason),
                "band": out.value(f"{group_path}.band", None, reason),
                "rwg_j_skewed": out.value(f"{group_path}.rwg_j_skewed", None, reason),
                "split": False,
            }
            if d.agreement is None:
                out.lines.append(f"{group_path}.n: {reason}")
            continue
        rwg_reason = _reason(g.notes, "rwg_j")
        entry["groups"][key] = {
            "n": g.n,
            "rwg_j": out.value(f"{group_path}.rwg_j", g.rwg_j, rwg_reason),
            "band": g.band,
            "rwg_j_skewed": out.value(
                f"{group_path}.rwg_j_skewed",
                g.rwg_j_skewed,
                _reason(g.notes, "rwg_j_skewed", "rwg_j"),
            ),
            "split": bool(g.split),
        }
        if g.band is None:
            out.lines.append(f"{group_path}.band: {rwg_reason or 'no rwg(j) to place in a band'}")
        if g.split:
            out.sentences.append(f"{key}, {d.domain_id}: {SPLIT}")
    return entry


def _render_change(comparison: DomainComparison, out: _View) -> dict:
    result: dict = {}
    for dc in comparison.domains:
        c, path = dc.change, f"change.{dc.domain}"
        entry: dict = {"n_before": c.n_before, "n_after": c.n_after}
        for field in ("diff", "t", "df", "p"):
            entry[field] = out.value(f"{path}.{field}", getattr(c, field), _reason(c.notes, field))
        entry["p_adjusted"] = out.value(
            f"{path}.p_adjusted", dc.p_adjusted, "no p value to adjust (see p)"
        )
        entry["hedges_g"] = out.value(f"{path}.hedges_g", c.hedges_g, _reason(c.notes, "hedges_g"))
        for field in ("diff_ci95", "hedges_g_ci95"):
            pair = getattr(c, field)
            entry[field] = out.interval(
                f"{path}.{field}",
                *(pair if pair is not None else (None, None)),
                _reason(c.notes, field),
            )
        entry["mde_g"] = out.value(f"{path}.mde_g", c.mde_g, _reason(c.notes, "mde_g"))
        entry["mde_points"] = out.value(
            f"{path}.mde_points",
            c.mde_points,
            _reason(c.notes, "mde_points", "mde_g"),
        )
        entry["verdict"] = dc.verdict
        result[str(dc.domain)] = {key: entry[key] for key in _CHANGE_KEYS}
    out.lines.append(f"change: {INDEPENDENT_GROUPS}")
    return result


_CHANGE_KEYS = (
    "n_before",
    "n_after",
    "diff",
    "diff_ci95",
    "t",
    "df",
    "p",
    "p_adjusted",
    "hedges_g",
    "hedges_g_ci95",
    "mde_g",
    "mde_points",
    "verdict",
)


# --------------------------------------------------------------------------- text view


def _fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def _fmt_p(value: object) -> str:
    if value is None:
        return "—"
    return "<0.0001" if value < 1e-4 else f"{value:.4f}"


def _fmt_ci(pair: list | None, digits: int = 3) -> str:
    return "—" if pair is None else f"[{pair[0]:.{digits}f}, {pair[1]:.{digits}f}]"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return (indent + "  ".join([first, *rest])).rstrip()

    return [line(headers), *(line(r) for r in rows)]


_METHOD_WORDS = {"feldt": "Feldt", "bootstrap": "BCa"}


def render_text(a: Analysis) -> str:
    """The analysis as readable tables, with the display rules of the reports.

    Numbers are rounded for display only (3 decimals, p to 4, percentages to 1; ``—`` where a
    value is ``None`` or withheld). Where a display rule applies (the module docstring lists
    them) the cell shows what the reports show, a section "Reading the numbers" says why in
    plain words, and the JSON of :meth:`Analysis.to_dict` keeps the raw value with a
    ``display:`` note.
    """
    view = _render(a)
    data = view.data
    cell = view.cell
    lines = [f"{a.instrument_ref}: {data['n_respondents']} respondents", ""]
    lines += [
        "Domains (keyed: higher is more trauma-informed; % favorable of the scored respondents' "
        "answers)"
    ]
    rows = []
    for domain_id, d in data["domains"].items():
        path = f"domains.{domain_id}"
        rows.append(
            [
                domain_id,
                _fmt(d["n_scored"]),
                _fmt(d["mean"]),
                _fmt(d["sd"]),
                cell(f"{path}.ci95", d["ci95"]),
                _fmt(d["pct_favorable"], 1),
                f"{d['scale'][0]:g}–{d['scale'][1]:g}",
            ]
        )
    lines += _table(["DOMAIN", "N SCORED", "MEAN", "SD", "95% CI", "% FAV", "SCALE"], rows)

    if a.ci == CI_FELDT:
        method = "95% CI of alpha by Feldt (1965), none for omega without the bootstrap"
    else:
        method = (
            f"95% CIs by {'the BCa bootstrap' if a.ci == CI_BOOTSTRAP else 'the reports rule'}"
            f" ({a.n_boot} resamples, seed {a.seed})"
        )
    lines += [
        "",
        f"Reliability (shown from {MIN_COMPLETE} complete responses; {method}; alpha on the "
        "complete responses, pairwise alpha on every pair answered; omega of the score as "
        "scored, with the RMSR of its one-factor fit)",
    ]
    rows = []
    for domain_id, d in data["domains"].items():
        r, path = d["reliability"], f"domains.{domain_id}.reliability"
        rows.append(
            [
                domain_id,
                _fmt(r["n_complete"]),
                cell(f"{path}.alpha", r["alpha"]),
                cell(f"{path}.alpha_ci95", r["alpha_ci95"]),
                cell(
                    f"{path}.alpha_ci_method",
                    _METHOD_WORDS.get(r["alpha_ci_method"], "—")
                    if r["alpha_ci95"] is not None
                    else "—",
                ),
                cell(f"{path}.alpha_standardized", r["alpha_standardized"]),
                cell(f"{path}.alpha_pairwise", r["alpha_pairwise"]),
                cell(f"{path}.omega_total", r["omega_total"]),
                cell(f"{path}.omega_ci95", r["omega_ci95"]),
                cell(f"{path}.omega_rmsr", r["omega_rmsr"]),
            ]
        )
    lines += _table(
        [
            "DOMAIN",
            "N COMPLETE",
            "ALPHA",
            "ALPHA 95% CI",
            "CI METHOD",
            "STD ALPHA",
            "PAIRWISE ALPHA",
            "OMEGA",
            "OMEGA 95% CI",
            "RMSR",
        ],
        rows,
    )

    lines += ["", "Items (keyed: higher is more trauma-informed)"]
    rows = []
    for domain_id, d in data["domains"].items():
        for item_id, stats in d["reliability"]["items"].items():
            i, path = data["items"][item_id], f"domains.{domain_id}.reliability.items.{item_id}"
            rows.append(
                [
                    item_id,
                    domain_id,
                    _fmt(i["n"]),
                    _fmt(i["n_na"]),
                    _fmt(i["mean"]),
                    _fmt(i["sd"]),
                    cell(f"{path}.r_drop", stats["r_drop"]),
                    cell(f"{path}.alpha_if_deleted", stats["alpha_if_deleted"]),
                ]
            )
    lines += _table(
        ["ITEM", "DOMAIN", "N", "N NA", "MEAN", "SD", "R DROP", "ALPHA IF DELETED"], rows
    )

    if a.group_labels is not None:
        lines += _agreement_text(a, view)
    if "change" in data:
        lines += _change_text(a, data["change"])
    if view.sentences:
        lines += ["", "Reading the numbers"]
        lines += [f"  - {sentence}" for sentence in view.sentences]
    # display rules are said in plain words above; the missing omega CI under Feldt in the title
    notes = [n for n in a.notes if _DISPLAY not in n and not n.endswith(_OMEGA_CI_FELDT)]
    if notes:
        lines += ["", "Notes"]
        lines += [f"  - {note}" for note in notes]
    return "\n".join(lines)


def _agreement_text(a: Analysis, view: _View) -> list[str]:
    data, cell = view.data, view.cell
    lines = [
        "",
        "Agreement between units: ICC(1) with k = N/G and with Bliese's n0 for unequal "
        "groups, ICC(2)",
    ]
    rows = []
    for domain_id, d in data["domains"].items():
        g, path = d["agreement"], f"domains.{domain_id}.agreement"
        rows.append(
            [
                domain_id,
                cell(f"{path}.icc1", g["icc1"]),
                _fmt(g["k"], 2),
                cell(f"{path}.icc1_n0", g["icc1_n0"]),
                _fmt(g["n0"], 2),
                cell(f"{path}.icc2", g["icc2"]),
            ]
        )
    lines += _table(["DOMAIN", "ICC1", "K = N/G", "ICC1 (N0)", "N0", "ICC2"], rows)
    lines += [
        "",
        "Agreement within units: rwg(j) of those answering every item, in LeBreton & Senter's "
        "(2008) bands (.00–.30 lack, .31–.50 weak, .51–.70 moderate, .71–.90 strong, .91–1.00 "
        "very strong); SKEWED NULL: rwg(j) under a slightly skewed null, a sensitivity value",
    ]
    rows = []
    for label in a.group_labels or ():
        key = _key(label)
        for domain_id, d in data["domains"].items():
            g = d["agreement"]["groups"][key]
            rows.append(
                [
                    key,
                    domain_id,
                    _fmt(g["n"]),
                    _fmt(g["rwg_j"], 2),
                    BAND_WORDS.get(g["band"], "—"),
                    _fmt(g["rwg_j_skewed"], 2),
                    "two separate groups" if g["split"] else "",
                ]
            )
    lines += _table(["GROUP", "DOMAIN", "N", "RWG(J)", "AGREEMENT", "SKEWED NULL", "SPLIT"], rows)
    return lines


def _change_text(a: Analysis, change: dict) -> list[str]:
    earlier, later = (_key(v) for v in a.compare_labels or ("?", "?"))
    lines = ["", f"Change: {later} − {earlier} (Welch; Hedges' g; BH-adjusted p)"]
    if a.change_units is not None and (a.change_units[1] or a.change_units[2]):
        compared, earlier_only, later_only = ([_key(u) for u in part] for part in a.change_units)
        left_out = [f"{u} ({earlier} only)" for u in earlier_only]
        left_out += [f"{u} ({later} only)" for u in later_only]
        lines.append(
            f"  The rounds cover different groups: change compares only those present in both "
            f"({', '.join(compared) or 'none'}); left out: {', '.join(left_out)}."
        )
    rows = []
    for domain_id, c in change.items():
        rows.append(
            [
                domain_id,
                _fmt(c["n_before"]),
                _fmt(c["n_after"]),
                _fmt(c["diff"]),
                _fmt_ci(c["diff_ci95"]),
                _fmt(c["t"]),
                _fmt(c["df"], 1),
                _fmt_p(c["p"]),
                _fmt_p(c["p_adjusted"]),
                _fmt(c["hedges_g"]),
                _fmt_ci(c["hedges_g_ci95"]),
                _fmt(c["mde_g"], 2),
                _fmt(c["mde_points"], 2),
                c["verdict"],
            ]
        )
    lines += _table(
        [
            "DOMAIN",
            "N BEFORE",
            "N AFTER",
            "DIFF",
            "DIFF 95% CI",
            "T",
            "DF",
            "P",
            "P ADJ",
            "G",
            "G 95% CI",
            "MDE G",
            "MDE PTS",
            "VERDICT",
        ],
        rows,
    )
    lines += [
        f"  {IMPROVED} / {DECLINED}: BH-adjusted p < {CHANGE_ALPHA:g} and |g| ≥ {MIN_EFFECT:g}; "
        f"{STABLE}: the 95% CI of g lies within ±{MIN_IMPORTANT:g} (Norman, Sloan & Wyrwich "
        f"2003); {TOO_FEW}: neither. MDE: the smallest change these group sizes detect with "
        f"{POWER:.0%} power, in g and in points of the scale.",
        f"  {INDEPENDENT_GROUPS[0].upper()}{INDEPENDENT_GROUPS[1:]}.",
    ]
    return lines
