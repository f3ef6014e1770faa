"""Change between two rounds: Welch's t test, Hedges' g and Benjamini–Hochberg across domains.

Responses are anonymous, so two rounds are two *independent* cross-sections: nobody's earlier
answers can be paired with their later ones, and the comparison is of two independent means.
The direction is always later − earlier, so a positive difference is a rise in the (keyed)
score, which the instruments score so that higher is more trauma-informed.

**Conservative when the same people answer both rounds.** Many staff usually answer both
rounds, and a person's two answers are positively correlated. The variance of a difference of
means is then s₁²/n₁ + s₂²/n₂ − 2·cov(m₁, m₂), smaller than the independent-groups
s₁²/n₁ + s₂²/n₂ used here (anonymous answers cannot be paired), so the test and its CI are
conservative — p values too large, intervals too wide — and the minimum detectable effect is
an upper bound: a real change is missed more often than the nominal power says.

**Four verdicts** per domain (:func:`compare_domains`): :data:`IMPROVED` or :data:`DECLINED`
(a clear change), :data:`STABLE` (the 95% CI of Hedges' g lies within ± the minimal important
difference :data:`MIN_IMPORTANT` = 0.5 SD, so any change is too small to matter), and
:data:`TOO_FEW` ("too few to tell": neither, typically because the groups are too small for
the CI to be narrow; the minimum detectable effect :func:`minimum_detectable_effect` says how
large a change they could have shown). At 10 respondents per round only a change of
g ≈ 1.32 SD or more is detected with 80 % power.

A value that cannot be computed is ``None`` and a line of the result's ``notes`` says why, as
``"<field>: <reason>"``.

References
----------
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: A practical and
powerful approach to multiple testing. *Journal of the Royal Statistical Society, Series B*,
57(1), 289–300.

Cohen, J. (1988). *Statistical power analysis for the behavioral sciences* (2nd ed.). Hillsdale,
NJ: Erlbaum.

Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
estimators. *Journal of Educational Statistics*, 6(2), 107–128.

Hedges, L. V., & Olkin, I. (1985). *Statistical methods for meta-analysis*. Orlando, FL:
Academic Press.

Norman, G. R., Sloan, J. A., & Wyrwich, K. W. (2003). Interpretation of changes in
health-related quality of life: The remarkable universality of half a standard deviation.
*Medical Care*, 41(5), 582–592.

Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance components.
*Biometrics Bulletin*, 2(6), 110–114.

Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power
approach for assessing the equivalence of average bioavailability. *Journal of
Pharmacokinetics and Biopharmaceutics*, 15(6), 657–680.

Welch, B. L. (1947). The generalization of "Student's" problem when several different
population variances are involved. *Biometrika*, 34(1–2), 28–35.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, stats

from scoring.errors import ScoringError

__all__ = [
    "ALPHA",
    "DECLINED",
    "IMPROVED",
    "MIN_EFFECT",
    "MIN_IMPORTANT",
    "NO_CLEAR_CHANGE",
    "POWER",
    "STABLE",
    "TOO_FEW",
    "DomainChange",
    "DomainComparison",
    "MeanChange",
    "benjamini_hochberg",
    "compare_domains",
    "mean_change",
    "minimum_detectable_effect",
]

#: A change counts only when its Benjamini–Hochberg adjusted p is below this ...
ALPHA = 0.05
#: ... and |Hedges' g| is at least this ("small" in Cohen's 1988 terms).
MIN_EFFECT = 0.2

#: A domain is "stable" when the 95% CI of Hedges' g lies inside (−MIN_IMPORTANT, +MIN_IMPORTANT):
#: half a standard deviation, the minimal important difference found across health-related
#: quality-of-life instruments by Norman, Sloan & Wyrwich (2003).
MIN_IMPORTANT = 0.5
#: Power at which the minimum detectable effect is stated (Cohen, 1988).
POWER = 0.80

IMPROVED = "improved"
DECLINED = "declined"
STABLE = "stable"
TOO_FEW = "too few to tell"
#: Legacy verdict: reports frozen before the four verdicts hold it and still need its words;
#: :func:`compare_domains` never produces it.
NO_CLEAR_CHANGE = "no clear change"

# Normal quantile used for the CI of g, as written in Hedges & Olkin (1985) and DESIGN.md.
_Z95 = 1.96


@dataclass(frozen=True)
class MeanChange:
    """Change of one score between two independent rounds (see :func:`mean_change`).

    Attributes
    ----------
    n_before, n_after : int
        Scored respondents in the earlier and the later round (nan dropped).
    mean_before, mean_after : float or None
        Round means; ``None`` when the round has no score.
    sd_before, sd_after : float or None
        Round standard deviations (n − 1 denominator); ``None`` with fewer than two scores.
    diff : float or None
        mean_after − mean_before.
    diff_ci95 : tuple of float or None
        Welch 95% confidence interval of ``diff``.
    t : float or None
        Welch's t statistic.
    df : float or None
        Welch–Satterthwaite degrees of freedom.
    p : float or None
        Two-sided p value of ``t``.
    hedges_g : float or None
        Hedges' g, later minus earlier in pooled-SD units, small-sample corrected.
    hedges_g_ci95 : tuple of float or None
        Approximate 95% confidence interval of g.
    notes : tuple of str
        ``"<field>: <reason>"`` for every value that is ``None``.
    mde_g : float or None
        Minimum detectable effect for the two compared groups' sizes n_before and n_after,
        in SD units (the scale of g): the true standardized difference a two-sided
        two-sample t test at α = .05 detects with 80 % power
        (:func:`minimum_detectable_effect`); ``None`` with fewer than two scores in a round.
    mde_points : float or None
        ``mde_g`` × the pooled SD s_p, in scale points; ``None`` when s_p is undefined or 0.
    """

    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None
    sd_before: float | None
    sd_after: float | None
    diff: float | None
    diff_ci95: tuple[float, float] | None
    t: float | None
    df: float | None
    p: float | None
    hedges_g: float | None
    hedges_g_ci95: tuple[float, float] | None
    notes: tuple[str, ...] = ()
    mde_g: float | None = None
    mde_points: float | None = None


@dataclass(frozen=True)
class DomainChange:
    """One domain of a :class:`DomainComparison`.

    Attributes
    ----------
    domain : int or str
        The domain id.
    change : MeanChange
        Welch test and Hedges' g of the domain.
    p_adjusted : float or None
        Benjamini–Hochberg adjusted p across the domains of the comparison; ``None`` when
        ``change.p`` is ``None``.
    verdict : str
        :data:`IMPROVED`, :data:`DECLINED`, :data:`STABLE` or :data:`TOO_FEW` (never the legacy
        :data:`NO_CLEAR_CHANGE`).
    """

    domain: int | str
    change: MeanChange
    p_adjusted: float | None
    verdict: str


@dataclass(frozen=True)
class DomainComparison:
    """Change of every domain between two rounds (see :func:`compare_domains`).

    Attributes
    ----------
    domains : tuple of DomainChange
        In the order the domains were given.
    n_tests : int
        m, the number of domains with a p value, over which the adjustment was made.
    """

    domains: tuple[DomainChange, ...]
    n_tests: int

    def by_domain(self) -> dict[int | str, DomainChange]:
        """The domains keyed by id."""
        return {d.domain: d for d in self.domains}


def _scores(values: ArrayLike, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScoringError(
            f"{name} must hold domain scores (numbers, nan where not scored); it could not be "
            f"read as numbers ({exc})"
        ) from None
    if array.ndim != 1:
        raise ScoringError(
            f"{name} must be one domain score per respondent (a 1-D array), got shape "
            f"{array.shape}; for several domains use compare_domains"
        )
    if np.isinf(array).any():
        raise ScoringError(f"{name} holds an infinite value; mark an unscored respondent nan")
    return array[~np.isnan(array)]


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ScoringError(
            f"{name} must be a whole number of respondents (0 or more), got {value!r}"
        )
    return int(value)


def _probability(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ScoringError(f"{name} must be a number between 0 and 1, got {value!r}")
    number = float(value)
    if not 0.0 < number < 1.0:
        raise ScoringError(f"{name} must lie strictly between 0 and 1, got {number:g}")
    return number


def _power(delta: float, df: int, scale: float, critical: float) -> float:
    """Two-sided power of the two-sample t test at standardized difference ``delta``."""
    ncp = delta * scale
    # P(T′ < −c | λ) is written P(T′ > c | −λ): scipy's nct.cdf gives nan far in the lower
    # tail (λ ≳ 16), its sf does not
    return float(stats.nct.sf(critical, df, ncp) + stats.nct.sf(critical, df, -ncp))


def minimum_detectable_effect(
    n_before: int, n_after: int, *, alpha: float = 0.05, power: float = POWER
) -> float | None:
    """The smallest true change, in SD units, that two rounds of these sizes detect reliably.

    Parameters
    ----------
    n_before, n_after : int
        Scored respondents of the earlier and the later round.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.80
        Required probability of detecting the change.

    Returns
    -------
    float or None
        δ, in standard-deviation units (the scale of Hedges' g); ``None`` when a round has
        fewer than two respondents (no t test can be made).

    Notes
    -----
    Exact for the two-sample t test with pooled variance: with df = n₁ + n₂ − 2 and the
    critical value c = t₁₋α/₂,df, the power at a true standardized difference δ is

        P(T′ > c) + P(T′ < −c),   T′ ~ noncentral t(df, λ = δ √(n₁n₂ / (n₁ + n₂)))

    and the MDE is the δ at which it equals ``power``, found by Brent's method (both tails
    count: R ``power.t.test(..., strict = TRUE)``; the default ``strict = FALSE`` drops the
    lower tail, which changes δ by less than 10⁻⁵ at α = .05). Welch's test, used for the
    verdict, has nearly the same power when the two SDs are alike. Cohen (1988), ch. 2.

    The MDE assumes independent groups; when many of the same people answer both rounds the
    true standard error is smaller, so the MDE is an upper bound (see the module docstring).

    Examples
    --------
    R ``power.t.test(n = 10, sd = 1, sig.level = .05, power = .8, strict = TRUE,
    tol = 1e-12)$delta`` = 1.32494739257865:

    >>> round(minimum_detectable_effect(10, 10), 6)
    1.324947
    >>> minimum_detectable_effect(1, 40) is None
    True
    """
    n1 = _count(n_before, "n_before")
    n2 = _count(n_after, "n_after")
    level = _probability(alpha, "alpha")
    target = _probability(power, "power")
    if target <= level:
        raise ScoringError(
            f"power ({target:g}) must exceed alpha ({level:g}): a test detects no effect with "
            f"less probability than it rejects when there is none"
        )
    if n1 < 2 or n2 < 2:
        return None
    df = n1 + n2 - 2
    scale = float(np.sqrt(n1 * n2 / (n1 + n2)))
    critical = float(stats.t.ppf(1.0 - level / 2.0, df))
    # bracket from the normal approximation (z₁₋α/₂ + z_power) / scale, widened until it holds
    upper = 2.0 * float(stats.norm.ppf(1.0 - level / 2.0) + stats.norm.ppf(target)) / scale
    while _power(upper, df, scale, critical) < target:
        upper *= 2.0
    return float(
        optimize.brentq(
            lambda delta: _power(delta, df, scale, critical) - target,
            0.0,
            upper,
            xtol=1e-12,
            rtol=4 * np.finfo(float).eps,
        )
    )


def mean_change(earlier: ArrayLike, later: ArrayLike) -> MeanChange:
    """Difference of means (later − earlier) with Welch's test and Hedges' g.

    Parameters
    ----------
    earlier, later : array_like of float, shape (n,)
        Domain scores of the two rounds' respondents; ``nan`` (not scored) is dropped.

    Returns
    -------
    MeanChange

    Notes
    -----
    With means m₁ (earlier), m₂ (later), variances s₁², s₂² (n − 1 denominator) and sizes
    n₁, n₂:

    **Welch's t test** (Welch, 1947), unequal variances:

        diff = m₂ − m₁      se = √(s₁²/n₁ + s₂²/n₂)      t = difference / se
        df = se⁴ / [ (s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1) ]   (Welch–Satterthwaite)
        p = 2 · P(T_df > |t|)       95% CI: diff ± t₀.₉₇₅,df · se

    as R ``t.test(later, earlier)`` (``var.equal = FALSE``, the default) and
    ``scipy.stats.ttest_ind(later, earlier, equal_var=False)``.

    **Hedges' g** (Hedges, 1981; Hedges & Olkin, 1985), standardized on the pooled SD:

        s_p = √{ [(n₁ − 1)s₁² + (n₂ − 1)s₂²] / (n₁ + n₂ − 2) }      d = diff / s_p
        J = 1 − 3 / (4(n₁ + n₂) − 9)        g = J · d
        95% CI: g ± 1.96 · √[ (n₁ + n₂)/(n₁n₂) + g²/(2(n₁ + n₂)) ]

    The CI uses Hedges & Olkin's large-sample variance with g in place of d (the variant
    DESIGN.md fixes; it is not rescaled by J²).

    **Minimum detectable effect**: ``mde_g`` = :func:`minimum_detectable_effect` (n₁, n₂) at
    α = .05 and 80 % power, and ``mde_points`` = mde_g · s_p. A change smaller than this may
    well be real and go unseen; the groups are compared as independent, which is conservative
    when many of the same people answer both rounds (positively correlated answers make the
    true standard error of the difference smaller than the independent-groups one).

    Edge cases give ``None`` with a note rather than an exception: fewer than two scores in
    either round (no variance, no MDE); no variation in either round (se = 0, so neither t nor
    g is defined — the means, their difference and mde_g are still given).

    Examples
    --------
    Agrees with R ``t.test(c(3.5, 4, 4.5, 5), c(3, 3.5, 4, 2.5, 3))``
    (t = 2.55288883, df = 6.12378641, p = 0.04255127):

    >>> c = mean_change([3, 3.5, 4, 2.5, 3], [3.5, 4, 4.5, 5])
    >>> round(c.diff, 6), round(c.t, 6), round(c.df, 4), round(c.p, 6)
    (1.05, 2.552889, 6.1238, 0.042551)
    """
    before = _scores(earlier, "earlier")
    after = _scores(later, "later")
    n1, n2 = int(before.shape[0]), int(after.shape[0])
    mean1 = float(before.mean()) if n1 else None
    mean2 = float(after.mean()) if n2 else None
    var1 = float(before.var(ddof=1)) if n1 >= 2 else None
    var2 = float(after.var(ddof=1)) if n2 >= 2 else None
    diff = mean2 - mean1 if mean1 is not None and mean2 is not None else None
    mde_g = minimum_detectable_effect(n1, n2)
    pooled: float | None = None
    if var1 is not None and var2 is not None:
        pooled = float(np.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / (n1 + n2 - 2)))
    mde_points = None if mde_g is None or not pooled else mde_g * pooled
    mde_notes: list[str] = []
    if mde_g is None:
        mde_notes.append(
            f"mde_g: {n1} score(s) before and {n2} after; the t test needs two in each round"
        )
    if mde_points is None:
        reason = "no minimum detectable effect" if mde_g is None else "no variation in either round"
        mde_notes.append(f"mde_points: {reason}")

    inferential = ("diff_ci95", "t", "df", "p", "hedges_g", "hedges_g_ci95")

    def partial(reason: str, extra: tuple[str, ...] = ()) -> MeanChange:
        missing = [name for name in extra] + list(inferential)
        if diff is None:
            missing.insert(0, "diff")
        return MeanChange(
            n_before=n1,
            n_after=n2,
            mean_before=mean1,
            mean_after=mean2,
            sd_before=None if var1 is None else float(np.sqrt(var1)),
            sd_after=None if var2 is None else float(np.sqrt(var2)),
            diff=diff,
            diff_ci95=None,
            t=None,
            df=None,
            p=None,
            hedges_g=None,
            hedges_g_ci95=None,
            notes=tuple(f"{name}: {reason}" for name in missing) + tuple(mde_notes),
            mde_g=mde_g,
            mde_points=mde_points,
        )

    if var1 is None or var2 is None:
        extra = tuple(
            name
            for name, value in (
                ("mean_before", mean1),
                ("mean_after", mean2),
                ("sd_before", var1),
                ("sd_after", var2),
            )
            if value is None
        )
        return partial(f"{n1} score(s) before and {n2} after; each round needs at least two", extra)
    if var1 == 0.0 and var2 == 0.0:
        return partial("no variation in either round, so the standard error is zero")

    difference = float(after.mean() - before.mean())
    sd1, sd2 = float(np.sqrt(var1)), float(np.sqrt(var2))
    a, b = var1 / n1, var2 / n2
    se = float(np.sqrt(a + b))
    t = difference / se
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    p = float(2.0 * stats.t.sf(abs(t), df))
    half = float(stats.t.ppf(0.975, df)) * se

    total = n1 + n2
    pooled_sd = float(np.sqrt(((n1 - 1) * var1 + (n2 - 1) * var2) / (total - 2)))
    correction = 1.0 - 3.0 / (4.0 * total - 9.0)
    g = correction * difference / pooled_sd
    g_half = _Z95 * float(np.sqrt(total / (n1 * n2) + g * g / (2.0 * total)))
    return MeanChange(
        n_before=n1,
        n_after=n2,
        mean_before=mean1,
        mean_after=mean2,
        sd_before=sd1,
        sd_after=sd2,
        diff=difference,
        diff_ci95=(difference - half, difference + half),
        t=t,
        df=df,
        p=p,
        hedges_g=g,
        hedges_g_ci95=(g - g_half, g + g_half),
        notes=tuple(mde_notes),
        mde_g=mde_g,
        mde_points=mde_points,
    )


def benjamini_hochberg(p: ArrayLike) -> np.ndarray:
    """Benjamini–Hochberg adjusted p values (false discovery rate), nan-aware.

    Parameters
    ----------
    p : array_like of float, shape (m,)
        p values in [0, 1]; ``nan`` for a test that could not be made.

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Adjusted p values in the input order; ``nan`` where the input is ``nan``.

    Notes
    -----
    Benjamini & Hochberg (1995) step-up procedure in its adjusted-p form: with the m
    non-missing p values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎,

        p̃₍ᵢ₎ = min(1, min_{j ≥ i} m · p₍ⱼ₎ / j)

    exactly as R ``p.adjust(p, method = "BH")``, which also leaves ``NA`` as ``NA`` and takes m
    as the number of non-missing p values. Reject at false discovery rate q where p̃ < q.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, np.nan, 0.03, 0.2])
    array([0.04      , 0.05333333,        nan, 0.05333333, 0.2       ])
    """
    try:
        values = np.asarray(p, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"p must hold p values (numbers in [0, 1] or nan): {exc}") from None
    if values.ndim != 1:
        raise ScoringError(f"p must be a 1-D array of p values, got shape {values.shape}")
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        bad = present & ((values < 0.0) | (values > 1.0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ScoringError(
            f"p[{i}] = {values[i]:g} is not a p value; every p must lie in [0, 1] (nan for a "
            f"missing test)"
        )
    adjusted = np.full(values.shape, np.nan)
    observed = values[present]
    m = observed.shape[0]
    if m == 0:
        return adjusted
    order = np.argsort(-observed, kind="stable")  # largest first, as R's order(decreasing=TRUE)
    rank = np.arange(m, 0, -1)
    stepped = np.minimum(1.0, np.minimum.accumulate(m / rank * observed[order]))
    result = np.empty(m)
    result[order] = stepped
    adjusted[present] = result
    return adjusted


def _verdict(change: MeanChange, p_adjusted: float | None) -> str:
    g = change.hedges_g
    if p_adjusted is None or g is None or change.hedges_g_ci95 is None:
        return TOO_FEW
    if p_adjusted < ALPHA and abs(g) >= MIN_EFFECT:
        return IMPROVED if g > 0 else DECLINED
    low, high = change.hedges_g_ci95
    if -MIN_IMPORTANT < low and high < MIN_IMPORTANT:
        return STABLE
    return TOO_FEW


def compare_domains(
    earlier: ArrayLike,
    later: ArrayLike,
    domains: Sequence[int | str] | None = None,
) -> DomainComparison:
    """Change of every domain between two rounds, with BH adjustment and a verdict.

    Parameters
    ----------
    earlier : array_like of float, shape (n_earlier, n_domains)
        Domain scores of the earlier round, one column per domain, ``nan`` where not scored.
    later : array_like of float, shape (n_later, n_domains)
        The same domains, in the same column order, for the later round.
    domains : sequence of int or str, optional
        The domain ids, one per column; default 0, 1, 2, ….

    Returns
    -------
    DomainComparison

    Notes
    -----
    Each column is compared with :func:`mean_change` (Welch's t test and Hedges' g, later −
    earlier). The Welch p values of the domains of this one comparison are then adjusted with
    :func:`benjamini_hochberg` (domains without a p value do not count in m). A domain's
    verdict is, in this order:

    1. :data:`IMPROVED` (g > 0) or :data:`DECLINED` (g < 0) when the adjusted p < .05 **and**
       |g| ≥ :data:`MIN_EFFECT` (0.2, Cohen's "small");
    2. :data:`STABLE` when the 95% CI of g lies inside (−0.5, +0.5), ± :data:`MIN_IMPORTANT`,
       the minimal important difference of half a standard deviation (Norman, Sloan &
       Wyrwich, 2003): whatever changed is too small to matter. This is an equivalence
       judgement by confidence interval (Schuirmann, 1987, uses the 90% CI; the 95% CI is the
       stricter choice). A significant change with |g| < 0.2 and a narrow CI is stable too;
    3. :data:`TOO_FEW` ("too few to tell") otherwise: the CI is too wide to call the domain
       either changed or stable — usually because the rounds are small; the change's
       ``mde_g`` says how large a change they could have detected. It is also the verdict when
       the test could not be made (fewer than two scores in a round, no variation).

    :data:`NO_CLEAR_CHANGE` is never produced; it remains exported for reports frozen before.
    Only items comparable between the two instrument versions should enter the domain scores
    passed here; that selection is the caller's.

    Examples
    --------
    >>> before = np.array([[3.0, 4.0], [3.5, 4.5], [2.5, 4.0], [3.0, 4.5], [3.5, 4.0]])
    >>> after = np.array([[4.0, 4.0], [4.5, 4.5], [4.0, 4.0], [4.5, 4.5]])
    >>> res = compare_domains(before, after, ["SAF", "TRU"])
    >>> [(d.domain, d.verdict) for d in res.domains]
    [('SAF', 'improved'), ('TRU', 'too few to tell')]
    >>> round(res.domains[1].change.mde_g, 2)
    2.19
    """
    before = np.asarray(earlier, dtype=float)
    after = np.asarray(later, dtype=float)
    for name, array in (("earlier", before), ("later", after)):
        if array.ndim != 2:
            raise ScoringError(
                f"{name} must be a 2-D respondents × domains array of domain scores, got shape "
                f"{array.shape}; for one domain use mean_change"
            )
    if before.shape[1] != after.shape[1]:
        raise ScoringError(
            f"earlier has {before.shape[1]} domain column(s) and later {after.shape[1]}; give "
            f"both rounds the same domains in the same order"
        )
    n_domains = before.shape[1]
    ids: list[int | str] = list(range(n_domains)) if domains is None else list(domains)
    if len(ids) != n_domains:
        raise ScoringError(
            f"domains names {len(ids)} domain(s) but the arrays have {n_domains} columns; give "
            f"one id per column"
        )
    if len(set(ids)) != len(ids):
        raise ScoringError("domains holds a repeated id; give every column a distinct domain id")
    changes = [mean_change(before[:, j], after[:, j]) for j in range(n_domains)]
    p = np.array([np.nan if c.p is None else c.p for c in changes], dtype=float)
    adjusted = benjamini_hochberg(p)
    results = []
    for domain, change, q in zip(ids, changes, adjusted, strict=True):
        p_adjusted = None if np.isnan(q) else float(q)
        results.append(
            DomainChange(
                domain=domain,
                change=change,
                p_adjusted=p_adjusted,
                verdict=_verdict(change, p_adjusted),
            )
        )
    return DomainComparison(domains=tuple(results), n_tests=int((~np.isnan(p)).sum()))
