"""How reliability, agreement and means are shown: one set of rules for every page, the PDF and
HTML reports and the XLSX/CSV exports, in English and Spanish.

The report (`reports.builder.DomainResult`) keeps what was computed; what may be shown, and in
which words, is decided here, so that a report frozen before these rules follows them too:

- **Reliability only from `MIN_COMPLETE` complete responses** (and at least k, which
  disclosure requires): below that no alpha, omega, interval or flag is shown as a number, and
  the words say so: "reliability needs at least 30 complete responses; 12 here" (the count
  itself only from k on). Thirty is the usual floor for a stable alpha (the sampling error of
  alpha at n < 30 spans most of its range: Feldt, Woodruff & Salih 1987; Charter 2003).
- **Negative alpha in words**: "the items do not hang together: α below zero", never the
  number (alpha is not bounded below, and −4 says nothing more than "below zero"), and no
  interval.
- **Omega of the score as scored** (`scoring.reliability`) with the one-factor RMSR beside it
  and its BCa interval when bootstrapped; withheld with the plain reason: "item SAF-03 seems
  reversed: check its keying", "these items measure more than one thing". Alpha's interval is
  labelled by its method (Feldt or bootstrap).
- **Intervals of means within the scale**: the t interval is clipped to the domain's scale
  (the lowest and highest point of its items), and the notes say so.
- **ICCs below 0 shown as 0**: ICC(1) and ICC(2) estimate a share of variance and a
  reliability, neither of which is negative; a negative ICC(2) reads "units do not differ
  reliably" (Bliese 2000). ICC(1) is given with Bliese's n0 for unequal unit sizes beside the
  N/G value.
- **% favorable beside its mean only**: on the answers of scored respondents (the base of the
  mean, `reports.builder`), and absent when the mean is.
- **Agreement in LeBreton & Senter's (2008) words**: per unit the band ("moderate agreement",
  "weak agreement", "lack of agreement", …) with rwg(j) under a slightly skewed null as a
  sensitivity value; units flagged where agreement is weak or lacking, and where the answers
  fall into two separate groups.

Nothing here adds a number: each value shown rests on what the builder released on at least k
respondents (DESIGN.md section 6).
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.builder import DomainResult, UnitAgreement
from reports.words import listing, number, percent, word
from scoring.disclosure import SHOWN
from scoring.reliability import MIN_COMPLETE

#: alpha of at least this reads "items hang together well", at least `ALPHA_ACCEPTABLE`
#: "acceptable", at least `ALPHA_CAUTION` "interpret with caution", below it "unreliable"
ALPHA_GOOD = 0.80
ALPHA_ACCEPTABLE = 0.70
ALPHA_CAUTION = 0.60

#: why a reliability number is not shown (the CSV's reason codes, explained in its codebook)
TOO_FEW_COMPLETE = "too_few_complete"
NEGATIVE_ALPHA = "negative_alpha"
OMEGA_REVERSED = "omega_reversed"
OMEGA_MULTIDIMENSIONAL = "omega_multidimensional"
NOT_COMPUTED = "not_computed"

#: LeBreton & Senter's (2008) bands of rwg(j), from lack of agreement to very strong
BANDS = ("lack", "weak", "moderate", "strong", "very strong")
WEAK_BANDS = ("lack", "weak")

DIGITS = 2


def reliability_minimum(k: int) -> int:
    """Complete responses from which reliability is shown: `MIN_COMPLETE`, or k if larger."""
    return max(MIN_COMPLETE, k)


@dataclass(frozen=True)
class ReliabilityShown:
    """What of a domain's reliability may be shown (see the module docstring).

    Attributes
    ----------
    shown : bool
        Reliability rests on at least `reliability_minimum(k)` complete responses.
    n_complete : int or None
        Complete responses, when at least k (as the builder released it).
    reason : str
        "" when shown, else `TOO_FEW_COMPLETE` or `NOT_COMPUTED`.
    alpha : float or None
        Alpha when shown and not below zero.
    alpha_reason : str
        `NEGATIVE_ALPHA` when alpha is below zero (shown in words), else the domain reason.
    alpha_ci : tuple or None
        Alpha's interval, with `alpha`.
    alpha_ci_method : str
        "feldt" or "bootstrap" ("feldt" for reports frozen before the method was stored).
    omega, omega_ci, omega_rmsr : float, tuple, float or None
        Omega as scored, its BCa interval, the one-factor RMSR.
    omega_reason : str
        "" or `OMEGA_REVERSED` / `OMEGA_MULTIDIMENSIONAL` (omega withheld) or the domain reason.
    reversed_items : tuple of str
        Item ids that load negatively.
    """

    shown: bool
    n_complete: int | None
    reason: str
    alpha: float | None
    alpha_reason: str
    alpha_ci: tuple[float, float] | None
    alpha_ci_method: str
    omega: float | None
    omega_ci: tuple[float, float] | None
    omega_rmsr: float | None
    omega_reason: str
    reversed_items: tuple[str, ...]


def reliability_shown(domain: DomainResult, k: int) -> ReliabilityShown:
    """The reliability of a shown `domain` as it may be shown at minimum group size `k`."""
    n = domain.n_complete
    shown = n is not None and n >= reliability_minimum(k) and domain.status == SHOWN
    if not shown:
        reason = TOO_FEW_COMPLETE
        return ReliabilityShown(False, n, reason, None, reason, None, "", None, None, None,
                                reason, ())
    alpha = domain.alpha
    alpha_reason = ""
    alpha_ci = domain.alpha_ci
    if alpha is None:
        alpha_reason, alpha_ci = NOT_COMPUTED, None
    elif alpha < 0:
        alpha, alpha_reason, alpha_ci = None, NEGATIVE_ALPHA, None
    omega_reason = ""
    if domain.omega_withheld == "reversed":
        omega_reason = OMEGA_REVERSED
    elif domain.omega_withheld == "multidimensional":
        omega_reason = OMEGA_MULTIDIMENSIONAL
    elif domain.omega is None:
        omega_reason = NOT_COMPUTED
    omega = domain.omega if not omega_reason else None
    return ReliabilityShown(
        shown=True, n_complete=n, reason="", alpha=alpha, alpha_reason=alpha_reason,
        alpha_ci=alpha_ci,
        alpha_ci_method=(domain.alpha_ci_method or "feldt") if alpha_ci is not None else "",
        omega=omega, omega_ci=domain.omega_ci if omega is not None else None,
        omega_rmsr=domain.omega_rmsr, omega_reason=omega_reason,
        reversed_items=domain.reversed_items,
    )


# -- means and % favorable -------------------------------------------------------------------


def scale_bounds(domain: DomainResult) -> tuple[float, float] | None:
    """The lowest and highest point of the domain's items' scales (the range of its score)."""
    points = [p for item in domain.items for p in item.points]
    if not points:
        return None
    return float(min(points)), float(max(points))


def mean_ci(domain: DomainResult) -> tuple[float, float] | None:
    """The 95% interval of the domain's mean held within its scale (None without a mean)."""
    if domain.ci is None or domain.mean is None:
        return None
    bounds = scale_bounds(domain)
    if bounds is None:
        return domain.ci
    low, high = bounds
    return max(domain.ci[0], low), min(domain.ci[1], high)


def ci_clipped(domain: DomainResult) -> bool:
    """Whether the interval of the mean reached beyond the scale and was clipped."""
    shown = mean_ci(domain)
    return shown is not None and domain.ci is not None and tuple(shown) != tuple(domain.ci)


def favorable(domain: DomainResult) -> float | None:
    """% favorable, only beside a shown mean (on the scored respondents' answers)."""
    if domain.status != SHOWN or domain.mean is None:
        return None
    return domain.pct_favorable


# -- ICC -------------------------------------------------------------------------------------


def icc_value(value: float | None) -> float | None:
    """An ICC as shown: below 0 is 0 (no share of variance, no reliability, is negative)."""
    if value is None:
        return None
    return max(0.0, value)


def units_differ_reliably(domain: DomainResult) -> bool | None:
    """False when ICC(2) is at or below 0 (units do not differ reliably); None without it."""
    if domain.icc2 is None:
        return None
    return domain.icc2 > 0


# -- words -----------------------------------------------------------------------------------


def _n(value: float | None, lang: str) -> str:
    return number(value, lang, DIGITS)


def ci_words(ci: tuple[float, float], lang: str) -> str:
    return f"{_n(ci[0], lang)} – {_n(ci[1], lang)}"


def too_few_words(domain: DomainResult, lang: str, k: int) -> str:
    """ "reliability needs at least 30 complete responses; 12 here" (the count only from k)."""
    minimum = reliability_minimum(k)
    if domain.n_complete is None:
        return word("disp.rel.needs_below_k", lang, min=minimum, k=k)
    return word("disp.rel.needs", lang, min=minimum, n=domain.n_complete)


def reversed_words(items: tuple[str, ...], lang: str) -> str:
    if len(items) == 1:
        return word("disp.omega.reversed_one", lang, items=items[0])
    return word("disp.omega.reversed_many", lang, items=listing(list(items), lang))


def alpha_text(domain: DomainResult, lang: str, k: int) -> str:
    """Alpha with its interval and method, or in words why there is no number."""
    if domain.status != SHOWN:
        return word("dash", lang)
    shown = reliability_shown(domain, k)
    if not shown.shown:
        return too_few_words(domain, lang, k)
    if shown.alpha_reason == NEGATIVE_ALPHA:
        return word("disp.alpha.negative", lang)
    if shown.alpha is None:
        return word("disp.rel.not_computed", lang)
    if shown.alpha_ci is None:
        return _n(shown.alpha, lang)
    return word("disp.alpha.value_ci", lang, alpha=_n(shown.alpha, lang),
                ci=ci_words(shown.alpha_ci, lang),
                method=word(f"disp.ci.{shown.alpha_ci_method}", lang))


def omega_text(domain: DomainResult, lang: str, k: int) -> str:
    """Omega as scored with its interval and the one-factor RMSR, or the plain reason."""
    if domain.status != SHOWN:
        return word("dash", lang)
    shown = reliability_shown(domain, k)
    if not shown.shown:
        return too_few_words(domain, lang, k)
    if shown.omega_reason == OMEGA_REVERSED:
        return reversed_words(shown.reversed_items, lang) if shown.reversed_items else \
            word("disp.omega.reversed_unnamed", lang)
    if shown.omega_reason == OMEGA_MULTIDIMENSIONAL:
        return word("disp.omega.multidimensional", lang) + (
            " " + word("disp.omega.rmsr", lang, rmsr=_n(shown.omega_rmsr, lang))
            if shown.omega_rmsr is not None else "")
    if shown.omega is None:
        return word("disp.rel.not_computed", lang)
    parts = []
    if shown.omega_ci is not None:
        parts.append(word("disp.omega.ci", lang, ci=ci_words(shown.omega_ci, lang)))
    if shown.omega_rmsr is not None:
        parts.append(word("disp.omega.rmsr_short", lang, rmsr=_n(shown.omega_rmsr, lang)))
    return _n(shown.omega, lang) + (f" ({'; '.join(parts)})" if parts else "")


def reliability_words(domain: DomainResult, lang: str, k: int) -> str:
    """How far the domain's items can be trusted to measure one thing, in one phrase."""
    if domain.status != SHOWN:
        return word("dash", lang)
    shown = reliability_shown(domain, k)
    if not shown.shown:
        return too_few_words(domain, lang, k)
    if shown.alpha_reason == NEGATIVE_ALPHA:
        return word("disp.alpha.negative", lang)
    if shown.alpha is None:
        return word("disp.rel.not_computed", lang)
    if shown.alpha >= ALPHA_GOOD:
        return word("rel.good", lang)
    if shown.alpha >= ALPHA_ACCEPTABLE:
        return word("rel.acceptable", lang)
    if shown.alpha >= ALPHA_CAUTION:
        return word("rel.caution", lang)
    return word("rel.unreliable", lang)


def reliability_kind(domain: DomainResult, k: int) -> str:
    """"good", "caution" or "bad": how a page frames the domain's reliability."""
    if domain.status != SHOWN:
        return "caution"
    shown = reliability_shown(domain, k)
    if not shown.shown or shown.alpha_reason == NOT_COMPUTED:
        return "caution"
    if shown.alpha_reason == NEGATIVE_ALPHA or (shown.alpha or 0) < ALPHA_CAUTION:
        return "bad"
    if shown.alpha < ALPHA_ACCEPTABLE or shown.omega_reason in (OMEGA_REVERSED,
                                                                 OMEGA_MULTIDIMENSIONAL):
        return "caution"
    return "good"


def needs_caution(domain: DomainResult, k: int) -> bool:
    """A shown alpha below `ALPHA_ACCEPTABLE`, or below zero (the summary's caution list)."""
    shown = reliability_shown(domain, k)
    return shown.shown and (shown.alpha_reason == NEGATIVE_ALPHA or (
        shown.alpha is not None and shown.alpha < ALPHA_ACCEPTABLE))


def icc_words(domain: DomainResult, lang: str) -> str:
    """ICC(1) (with n0 beside N/G) and ICC(2), each below 0 shown as 0, in words."""
    if domain.icc1 is None and domain.icc2 is None:
        return word("disp.icc.none", lang)
    icc1 = icc_value(domain.icc1)
    first = word("disp.icc.icc1", lang, icc1=_n(icc1, lang))
    if domain.icc1_n0 is not None and domain.icc_n0 is not None:
        first = word("disp.icc.icc1_n0", lang, icc1=_n(icc1, lang),
                     size=number(domain.icc_group_size, lang, 1),
                     n0=number(domain.icc_n0, lang, 1),
                     icc1_n0=_n(icc_value(domain.icc1_n0), lang))
    second = word("disp.icc.icc2", lang, icc2=_n(icc_value(domain.icc2), lang))
    if units_differ_reliably(domain) is False:
        return word("disp.icc.not_reliable", lang, values=f"{first}, {second}")
    share = percent(100 * (icc1 or 0.0), lang)
    return word("disp.icc.share", lang, share=share, values=f"{first}, {second}")


def band_words(band: str | None, lang: str) -> str:
    if band not in BANDS:
        return word("dash", lang)
    return word(f"disp.band.{band}", lang)


def weak_units(domain: DomainResult) -> tuple[str, ...]:
    """Units whose agreement is weak or lacking (rwg(j) below .51)."""
    return domain.low_agreement_units


def unit_words(unit: UnitAgreement, lang: str) -> str:
    """"North (weak agreement, rwg(j) 0.42; slightly skewed null 0.55)"."""
    values = word("disp.agr.values", lang, rwg=_n(unit.rwg_j, lang))
    if unit.rwg_j_skewed is not None:
        values = word("disp.agr.values_skewed", lang, rwg=_n(unit.rwg_j, lang),
                      skewed=_n(unit.rwg_j_skewed, lang))
    return f"{unit.unit} ({band_words(unit.band, lang)}, {values})"


def agreement_words(domain: DomainResult, lang: str) -> str:
    """Units with weak or lacking agreement (with their band) and units whose answers fall
    into two separate groups, or that no shown unit is flagged."""
    if domain.status != SHOWN:
        return word("dash", lang)
    by_name = {u.unit: u for u in domain.unit_agreement}
    parts = []
    if domain.low_agreement_units:
        named = [unit_words(by_name[u], lang) if u in by_name else u
                 for u in domain.low_agreement_units]
        parts.append(word("disp.agr.weak", lang, units=listing(named, lang)))
    if domain.split_units:
        parts.append(word("disp.agr.split", lang, units=listing(list(domain.split_units),
                                                                 lang)))
    if not parts:
        parts.append(word("disp.agr.fine", lang))
    return " ".join(parts)


def notes(domains: tuple[DomainResult, ...], lang: str) -> tuple[str, ...]:
    """Notes on the display rules that apply to these domains (clipped intervals)."""
    clipped = [d for d in domains if ci_clipped(d)]
    out = []
    if clipped:
        bounds = scale_bounds(clipped[0])
        out.append(word("disp.note.ci_clipped", lang, domains=listing(
            [d.domain_id for d in clipped], lang),
            low=number(bounds[0], lang, 0) if bounds else "",
            high=number(bounds[1], lang, 0) if bounds else ""))
    return tuple(out)


__all__ = [
    "ALPHA_ACCEPTABLE",
    "ALPHA_CAUTION",
    "ALPHA_GOOD",
    "BANDS",
    "NEGATIVE_ALPHA",
    "NOT_COMPUTED",
    "OMEGA_MULTIDIMENSIONAL",
    "OMEGA_REVERSED",
    "TOO_FEW_COMPLETE",
    "WEAK_BANDS",
    "ReliabilityShown",
    "agreement_words",
    "alpha_text",
    "band_words",
    "ci_clipped",
    "favorable",
    "icc_value",
    "icc_words",
    "mean_ci",
    "needs_caution",
    "notes",
    "omega_text",
    "reliability_kind",
    "reliability_minimum",
    "reliability_shown",
    "reliability_words",
    "scale_bounds",
    "too_few_words",
    "unit_words",
    "units_differ_reliably",
]
