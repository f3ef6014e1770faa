"""Analysis of one set of responses to one instrument: the statistics of DESIGN section 9.

:func:`analyze` takes an :class:`~instruments.model.Instrument` and the respondents × items
answers (numbers, not text: the CSV reader of ``tisa analyze`` and the report builder over
stored responses both produce them) and computes, with the functions of :mod:`scoring`:

* per domain: the domain score of every respondent under the instrument's ``min_answered``
  rule, their n, mean, SD and t interval, the percent favorable, the reliability (Cronbach's
  alpha with Feldt's CI, standardized alpha, omega total, r.drop and alpha if deleted) and,
  with group labels, agreement (ICC(1), ICC(2), rwg(j) per group);
* per item: n, n not applicable, mean and SD;
* with compare labels (two rounds): the change of every domain, Welch's test, Hedges' g,
  Benjamini–Hochberg across the domains and the verdict.

Every statistic is on the **keyed** answers (reverse-keyed items flipped with x' = min + max − x,
the bounds taken from each item's scale), so that higher is always more trauma-informed; that
holds for the item means too. A value that cannot be computed is ``None``, and
:attr:`Analysis.notes` holds a line ``"<path>: <reason>"`` for it, where ``<path>`` is the place
of the value in :meth:`Analysis.to_dict` (e.g. ``domains.SAF.reliability.alpha``).

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
from scoring.change import DomainComparison, compare_domains
from scoring.errors import ScoringError
from scoring.matrix import DomainScores, domain_scores, key_items
from scoring.reliability import Reliability, reliability
from scoring.summary import GroupSummary, ItemSummary, group_summary, item_summary

__all__ = [
    "Analysis",
    "AnalysisInputError",
    "DomainAnalysis",
    "ItemAnalysis",
    "analyze",
    "render_text",
]


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
        Percent (0–100) of the answers to the domain's items, pooled, that fall on a favorable
        point of the item's scale (after keying).
    n_answers : int
        Answers to the domain's items (the denominator of ``pct_favorable``).
    reliability : scoring.reliability.Reliability
        On the keyed domain matrix, listwise.
    icc : scoring.agreement.ICC or None
        ICC(1), ICC(2) of the domain scores by group; ``None`` without group labels.
    agreement : scoring.agreement.AgreementByGroup or None
        rwg(j) per group; ``None`` without group labels or when the domain's items do not share
        one number of response options (then ``agreement_unavailable`` says so).
    agreement_unavailable : str or None
        Why rwg(j) could not be computed for any group of this domain.
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
        Later − earlier for every domain, when compare labels were given.
    notes : tuple of str
        ``"<path>: <reason>"`` for every ``None`` in :meth:`to_dict` (and a few remarks on
        values that are given, such as a reversed item in omega).
    """

    instrument_ref: str
    n_respondents: int
    domains: tuple[DomainAnalysis, ...]
    items: tuple[ItemAnalysis, ...]
    group_labels: tuple | None
    compare_labels: tuple | None
    change: DomainComparison | None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready data with the stable keys of DESIGN section 9.

        ``n_respondents``; ``domains`` keyed by domain id (``n_scored``, ``mean``, ``sd``,
        ``ci95``, ``pct_favorable``, ``reliability`` and, with groups, ``agreement``);
        ``items`` keyed by item id (``n``, ``n_na``, ``mean``, ``sd``); with compare labels
        ``change`` keyed by domain id; ``notes``. Intervals are ``[low, high]`` lists, group
        labels are strings, and a value that cannot be computed is ``None`` (never NaN).
        """
        data, _ = _render(self)
        data["notes"] = list(self.notes)
        return data


# --------------------------------------------------------------------------- analysis


def analyze(
    instrument: Instrument,
    answers: ArrayLike,
    not_applicable: ArrayLike | None = None,
    *,
    groups: ArrayLike | None = None,
    compare: ArrayLike | None = None,
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
    domain's items and over every respondent (scored or not), as ``group_summary`` defines
    the share favorable, but with each item's own scale;
    :func:`scoring.reliability.reliability` (Cronbach 1951, Feldt 1965, McDonald 1999 as
    R psych); :func:`scoring.agreement.icc` and :func:`scoring.agreement.agreement_by_group`
    (Bliese 2000; James, Demaree & Wolf 1984, as R multilevel); :func:`scoring.change.
    compare_domains` (Welch 1947, Hedges & Olkin 1985, Benjamini & Hochberg 1995).

    With compare labels, ``domains`` and ``items`` still describe every respondent (both
    rounds together); ``change`` compares the two subsets. Every item of one instrument
    version is comparable with itself, so all items enter the comparison.

    Raises :class:`AnalysisInputError` when the shapes do not fit the instrument, an answer is
    not a point of its item's scale, a not-applicable cell holds an answer, or the labels are
    malformed (compare labels must take exactly two values).
    """
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
            favorable = np.isin(scale.points, scale.favorable)
            hits += int(np.asarray(item_sum.counts)[favorable].sum())
            n_answers += item_sum.n
            item_results.append(ItemAnalysis(item.id, domain.id, item_sum))
        start = stop

        scores = domain_scores(x, instrument.scoring.min_answered)
        score_columns.append(scores.scores)
        summary = group_summary(scores.scores)
        pct = 100.0 * hits / n_answers if n_answers else None
        rel = reliability(x)
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
            )
        )

    change = None
    if compare_codes is not None:
        matrix = np.column_stack(score_columns) if score_columns else np.empty((n, 0))
        change = compare_domains(
            matrix[compare_codes == 0],
            matrix[compare_codes == 1],
            [d.id for d in instrument.domains],
        )

    result = Analysis(
        instrument_ref=instrument.ref,
        n_respondents=n,
        domains=tuple(domain_results),
        items=tuple(item_results),
        group_labels=group_labels,
        compare_labels=compare_labels,
        change=change,
    )
    return replace(result, notes=tuple(_render(result)[1]))


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


class _Notes:
    """Collects ``"<path>: <reason>"`` lines while values are written out."""

    def __init__(self) -> None:
        self.lines: list[str] = []

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


def _plain(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def _reason(notes: Sequence[str], field: str) -> str | None:
    """The reason a scoring result gives for ``field`` (its ``"<field>: <reason>"`` line)."""
    prefix = f"{field}: "
    for note in notes:
        if note.startswith(prefix):
            return note[len(prefix) :]
    return None


def _key(label: Hashable) -> str:
    if isinstance(label, float) and label.is_integer():
        return str(int(label))
    return str(label)


def _render(a: Analysis) -> tuple[dict, list[str]]:
    """The JSON view of ``a`` and the notes for every ``None`` in it (one walk, so the two
    cannot disagree)."""
    out = _Notes()
    data: dict = {"n_respondents": a.n_respondents, "domains": {}, "items": {}}
    for d in a.domains:
        data["domains"][d.domain_id] = _render_domain(d, a.group_labels, out)
    for item in a.items:
        s, path = item.summary, f"items.{item.item_id}"
        data["items"][item.item_id] = {
            "n": s.n,
            "n_na": s.n_na,
            "mean": out.value(f"{path}.mean", s.mean, _reason(s.notes, "mean")),
            "sd": out.value(f"{path}.sd", s.sd, _reason(s.notes, "sd")),
        }
    if a.change is not None:
        data["change"] = {}
        for dc in a.change.domains:
            c, path = dc.change, f"change.{dc.domain}"
            entry: dict = {"n_before": c.n_before, "n_after": c.n_after}
            for field in ("diff", "t", "df", "p"):
                entry[field] = out.value(
                    f"{path}.{field}", getattr(c, field), _reason(c.notes, field)
                )
            entry["p_adjusted"] = out.value(
                f"{path}.p_adjusted", dc.p_adjusted, "no p value to adjust (see p)"
            )
            entry["hedges_g"] = out.value(
                f"{path}.hedges_g", c.hedges_g, _reason(c.notes, "hedges_g")
            )
            for field in ("diff_ci95", "hedges_g_ci95"):
                pair = getattr(c, field)
                entry[field] = out.interval(
                    f"{path}.{field}",
                    *(pair if pair is not None else (None, None)),
                    _reason(c.notes, field),
                )
            entry["verdict"] = dc.verdict
            data["change"][str(dc.domain)] = {
                key: entry[key]
                for key in (
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
                    "verdict",
                )
            }
    return data, out.lines


def _render_domain(d: DomainAnalysis, group_labels: tuple | None, out: _Notes) -> dict:
    path = f"domains.{d.domain_id}"
    s = d.summary
    entry: dict = {
        "n_scored": d.scores.n_scored,
        "mean": out.value(f"{path}.mean", s.mean, _reason(s.notes, "mean")),
        "sd": out.value(f"{path}.sd", s.sd, _reason(s.notes, "sd")),
        "ci95": out.interval(f"{path}.ci95", s.ci_low, s.ci_high, _reason(s.notes, "ci")),
        "pct_favorable": out.value(
            f"{path}.pct_favorable", d.pct_favorable, "no answers to the domain's items"
        ),
        "reliability": _render_reliability(d, out),
    }
    if group_labels is not None:
        entry["agreement"] = _render_agreement(d, group_labels, out)
    return entry


def _render_reliability(d: DomainAnalysis, out: _Notes) -> dict:
    r, path = d.reliability, f"domains.{d.domain_id}.reliability"
    ids = d.item_ids

    def with_ids(text: str) -> str:
        return _COLUMNS.sub(
            lambda m: "item(s) " + ", ".join(ids[int(j)] for j in m.group(1).split(", ")), text
        )

    entry: dict = {
        "n_complete": r.n_complete,
        "alpha": out.value(f"{path}.alpha", r.alpha, _reason(r.notes, "alpha")),
        "alpha_ci95": out.interval(
            f"{path}.alpha_ci95", r.alpha_ci_low, r.alpha_ci_high, _reason(r.notes, "alpha_ci")
        ),
        "alpha_standardized": out.value(
            f"{path}.alpha_standardized",
            r.alpha_standardized,
            _reason(r.notes, "alpha_standardized"),
        ),
        "omega_total": out.value(
            f"{path}.omega_total", r.omega_total, _reason(r.notes, "omega_total")
        ),
        "items": {},
    }
    if r.omega_total is not None:  # remarks on a value that is given (reversed item, Heywood)
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
    return entry


def _constant_columns(d: DomainAnalysis, r: Reliability) -> np.ndarray:
    """Which items the reliability result calls constant (it names their columns)."""
    flags = np.zeros(len(d.item_ids), dtype=bool)
    note = _reason(r.notes, "r_drop")
    if note is not None:
        match = _COLUMNS.search(note)
        if match:
            flags[[int(j) for j in match.group(1).split(", ")]] = True
    return flags


def _render_agreement(d: DomainAnalysis, group_labels: tuple, out: _Notes) -> dict:
    path = f"domains.{d.domain_id}.agreement"
    c = d.icc
    entry: dict = {
        "icc1": out.value(
            f"{path}.icc1", c.icc1 if c else None, _reason(c.notes, "icc1") if c else None
        ),
        "icc2": out.value(
            f"{path}.icc2", c.icc2 if c else None, _reason(c.notes, "icc2") if c else None
        ),
        "groups": {},
    }
    by_code = {g.group: g for g in d.agreement.groups} if d.agreement is not None else {}
    for code, label in enumerate(group_labels):
        key = _key(label)
        g = by_code.get(code)
        if g is None:
            reason = d.agreement_unavailable or "the group has no respondent"
            entry["groups"][key] = {
                "n": 0 if d.agreement is not None else None,
                "rwg_j": out.value(f"{path}.groups.{key}.rwg_j", None, reason),
            }
            if d.agreement is None:
                out.lines.append(f"{path}.groups.{key}.n: {reason}")
            continue
        entry["groups"][key] = {
            "n": g.n,
            "rwg_j": out.value(f"{path}.groups.{key}.rwg_j", g.rwg_j, _reason(g.notes, "rwg_j")),
        }
    return entry


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


def render_text(a: Analysis) -> str:
    """Every field of :meth:`Analysis.to_dict` as readable tables (numbers rounded for display
    only: 3 decimals, p to 4, percentages to 1; ``—`` where a value is ``None``)."""
    data = a.to_dict()
    lines = [f"{a.instrument_ref}: {data['n_respondents']} respondents", "", "Domains"]
    rows = []
    for domain_id, d in data["domains"].items():
        r = d["reliability"]
        rows.append(
            [
                domain_id,
                _fmt(d["n_scored"]),
                _fmt(d["mean"]),
                _fmt(d["sd"]),
                _fmt_ci(d["ci95"]),
                _fmt(d["pct_favorable"], 1),
                _fmt(r["n_complete"]),
                _fmt(r["alpha"]),
                _fmt_ci(r["alpha_ci95"]),
                _fmt(r["alpha_standardized"]),
                _fmt(r["omega_total"]),
            ]
        )
    lines += _table(
        [
            "DOMAIN",
            "N SCORED",
            "MEAN",
            "SD",
            "95% CI",
            "% FAV",
            "N COMPLETE",
            "ALPHA",
            "ALPHA 95% CI",
            "STD ALPHA",
            "OMEGA",
        ],
        rows,
    )

    lines += ["", "Items (keyed: higher is more trauma-informed)"]
    rows = []
    for domain_id, d in data["domains"].items():
        for item_id, stats in d["reliability"]["items"].items():
            i = data["items"][item_id]
            rows.append(
                [
                    item_id,
                    domain_id,
                    _fmt(i["n"]),
                    _fmt(i["n_na"]),
                    _fmt(i["mean"]),
                    _fmt(i["sd"]),
                    _fmt(stats["r_drop"]),
                    _fmt(stats["alpha_if_deleted"]),
                ]
            )
    lines += _table(
        ["ITEM", "DOMAIN", "N", "N NA", "MEAN", "SD", "R DROP", "ALPHA IF DELETED"], rows
    )

    if a.group_labels is not None:
        lines += ["", "Agreement: ICC(1), ICC(2) by domain"]
        rows = [
            [domain_id, _fmt(d["agreement"]["icc1"]), _fmt(d["agreement"]["icc2"])]
            for domain_id, d in data["domains"].items()
        ]
        lines += _table(["DOMAIN", "ICC1", "ICC2"], rows)
        lines += ["", "Agreement: rwg(j) (n answering every item) by group and domain"]
        domain_ids = list(data["domains"])
        rows = []
        for label in a.group_labels:
            key = _key(label)
            cells = [key]
            for domain_id in domain_ids:
                g = data["domains"][domain_id]["agreement"]["groups"][key]
                cells.append(f"{_fmt(g['rwg_j'], 2)} ({_fmt(g['n'])})")
            rows.append(cells)
        lines += _table(["GROUP", *domain_ids], rows)

    if "change" in data:
        earlier, later = (_key(v) for v in a.compare_labels or ("?", "?"))
        lines += ["", f"Change: {later} − {earlier} (Welch; Hedges' g; BH-adjusted p)"]
        rows = []
        for domain_id, c in data["change"].items():
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
                "VERDICT",
            ],
            rows,
        )

    if data["notes"]:
        lines += ["", "Notes"]
        lines += [f"  - {note}" for note in data["notes"]]
    return "\n".join(lines)
