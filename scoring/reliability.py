"""Internal consistency of one domain as it is scored: Cronbach's alpha with Feldt's or a
bootstrap (BCa) confidence interval, alpha on pairwise-complete covariances, standardized
alpha, item statistics (corrected item–total correlation, alpha if item deleted), McDonald's
omega total of the score as keyed with the fit of its one-factor minimum-residual solution and
a BCa interval, and the plain-language reliability flags of the reports.

Everything is computed on the respondents who answered every item of the domain (listwise
deletion), from one k × k covariance matrix obtained by a matrix product; the rest works on
k × k matrices. The bootstrap resamples respondents: B resampled covariance matrices come from
one matrix product of resample counts with the respondents' outer products, and the omega of
every resample from a batched Newton fit started at the full-sample loadings; the jackknife
behind BCa's acceleration uses rank-one downdates of the covariance. No Python loop over
respondents or resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special

from scoring.checks import check_confidence as _check_confidence
from scoring.checks import float_or_none as _float_or_none
from scoring.errors import ScoringError
from scoring.matrix import as_item_matrix, check_scale_range, row_sums

__all__ = [
    "ALPHA_CAUTION",
    "ALPHA_UNRELIABLE",
    "AUTO_BOOTSTRAP_MIN_N",
    "AUTO_BOOTSTRAP_SKEW",
    "BOOTSTRAP_SEED",
    "CI_AUTO",
    "CI_BOOTSTRAP",
    "CI_FELDT",
    "CI_METHODS",
    "FIT_P",
    "FLAG_CAUTION",
    "FLAG_TOO_FEW",
    "FLAG_UNRELIABLE",
    "FLAG_WEAK_ITEM",
    "MIN_COMPLETE",
    "N_BOOT",
    "OMEGA_MULTIDIMENSIONAL",
    "OMEGA_REVERSED",
    "RMSR_POOR",
    "R_DROP_MIN",
    "ItemReliability",
    "Reliability",
    "mean_abs_skewness",
    "reliability",
]

#: alpha below this: "interpret with caution" (DESIGN section 7)
ALPHA_CAUTION = 0.70
#: alpha below this: "unreliable"
ALPHA_UNRELIABLE = 0.60
#: corrected item–total correlation below this flags the item
R_DROP_MIN = 0.30
#: fewer complete responses than this: "too few to judge reliability", and no bootstrap
MIN_COMPLETE = 30
#: one-factor RMSR (without its sampling inflation) above this: omega withheld as
#: multidimensional. Hu & Bentler's (1999) cutoff for the standardized root mean square
#: residual (SRMR ≤ .08 for a good fit); psych's RMSR is the same residual measure over the
#: off-diagonal correlations only (the diagonal residuals of a correlation-matrix fit are 0).
#: The cutoff applies to the unbiased estimate (Maydeu-Olivares 2017): the sample RMSR of six
#: items that fit one factor exactly exceeds .08 in about 70 % of samples of 30.
RMSR_POOR = 0.08
#: ... and only when the test of exact one-factor fit rejects at this level: at n = 30 the
#: corrected RMSR alone still exceeds .08 for about one one-factor domain in ten (one in four
#: with answers at an extreme ceiling), the two together for about one in twenty-five
FIT_P = 0.05

#: ``omega_withheld`` codes: an item loads negatively (the score adds an item that runs
#: against the others) / one factor does not fit (the items measure more than one thing)
OMEGA_REVERSED = "reversed"
OMEGA_MULTIDIMENSIONAL = "multidimensional"

#: ``ci`` values of :func:`reliability`
CI_FELDT = "feldt"
CI_BOOTSTRAP = "bootstrap"
CI_AUTO = "auto"
CI_METHODS = (CI_FELDT, CI_BOOTSTRAP, CI_AUTO)
#: bootstrap resamples: BCa endpoints move by about 0.005 between seeds at B = 2000 (n = 100)
N_BOOT = 2000
#: the fixed seed that makes a report's bootstrap intervals reproducible byte for byte
BOOTSTRAP_SEED = 20111987
#: ci = "auto" takes the bootstrap for alpha when the items' mean absolute skewness reaches
#: this (answers piled at one end of the scale) and there are at least AUTO_BOOTSTRAP_MIN_N
#: complete responses: there Feldt's interval under-covers and BCa comes closer to the
#: nominal level; below either, Feldt's is as good or better (docs/benchmarks.md,
#: "Confidence intervals of reliability: coverage")
AUTO_BOOTSTRAP_SKEW = 1.0
AUTO_BOOTSTRAP_MIN_N = 50

FLAG_CAUTION = "interpret with caution"
FLAG_UNRELIABLE = "unreliable"
FLAG_TOO_FEW = "too few to judge reliability"
FLAG_WEAK_ITEM = "weak corrected item–total correlation (below .30)"

# The minres search: restarts of L-BFGS-B allowed, and the largest projected gradient
# accepted as a stationary point.
_MINRES_RESTARTS = 4
_MINRES_GTOL = 1e-6
_NEWTON_STEPS = 50
_NEWTON_GTOL = 1e-14
# Batched Newton for the bootstrap and jackknife fits: steps, and the largest gradient
# accepted (a change of omega far below its Monte Carlo error).
_BATCH_NEWTON_STEPS = 30
_BATCH_NEWTON_GTOL = 1e-10
_BOUNDED_STEPS = 100
# Resample counts held at once: chunk × n cells at most.
_BOOT_CELLS = 1_000_000
# Above this many complete responses the bootstrap draws the moments from their normal
# limit and the jackknife deletes groups (see _bootstrap and _jackknife): the cost stops
# growing with n.
_BOOT_ROWS_MAX = 5_000
_JACKKNIFE_GROUPS = 1_000
# Resamples whose statistic is undefined (an item constant in the resample) above this share
# of B: no bootstrap interval.
_BOOT_MAX_UNDEFINED = 0.01
# An item whose variance is below (this × its mean)² answered the same way by everyone.
_CONSTANT_RELATIVE = 1e-9
# Relative size (to the sum of item variances) below which a variance is taken as zero.
_ZERO_VARIANCE = 1e-12
# Bounds on the uniquenesses in the minres fit, as R psych's fa(): 0.005 <= psi <= 1.
_PSI_LOWER = 0.005
_PSI_UPPER = 1.0


@dataclass(frozen=True)
class ItemReliability:
    """Statistics of one item within its domain (see :func:`reliability`).

    Attributes
    ----------
    index : int
        Column of the item in the domain's matrix.
    r_drop : float or None
        Corrected item–total correlation: the item against the sum of the *other* items
        (psych ``alpha()$item.stats$r.drop``).
    alpha_if_deleted : float or None
        Cronbach's alpha of the other items (psych ``alpha()$alpha.drop$raw_alpha``).
    loading : float or None
        Loading on the one-factor minres solution used for omega (psych
        ``fa(r, 1, fm = "minres")$loadings``), signed so that the loadings sum to a
        positive number; a negative loading marks an item that runs against the others.
    flags : tuple of str
        :data:`FLAG_WEAK_ITEM` when ``r_drop`` < :data:`R_DROP_MIN`.
    """

    index: int
    r_drop: float | None
    alpha_if_deleted: float | None
    loading: float | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Reliability:
    """Reliability of one domain (see :func:`reliability`).

    A coefficient that cannot be computed is ``None``, and ``notes`` holds a line
    ``"<field>: <reason>"`` for it (notes about items name the item's column).

    Attributes
    ----------
    n_respondents : int
        Rows given.
    n_complete : int
        Respondents who answered every item: the n of every statistic here except
        ``alpha_pairwise``.
    n_items : int
        Items (k).
    alpha : float or None
        Cronbach's alpha (psych ``raw_alpha``).
    alpha_ci_low, alpha_ci_high : float or None
        Confidence interval of alpha, by ``alpha_ci_method``.
    alpha_ci_method : str
        :data:`CI_FELDT` or :data:`CI_BOOTSTRAP` (BCa): the method behind
        ``alpha_ci_low``/``alpha_ci_high``.
    confidence : float
        Level of the intervals.
    alpha_pairwise : float or None
        Alpha from pairwise-complete covariances, every respondent counted for the items
        they answered (psych ``alpha(x, use = "pairwise")$total$raw_alpha``, pingouin
        ``cronbach_alpha(nan_policy = "pairwise")``): beside ``alpha``, it shows how much
        listwise deletion changes alpha.
    alpha_standardized : float or None
        Standardized alpha from the mean inter-item correlation (psych ``std.alpha``).
    mean_r : float or None
        Mean inter-item correlation r̄ (psych ``average_r``).
    omega_total : float or None
        McDonald's omega total of the score as keyed (psych ``omega(x, nfactors = 1,
        flip = FALSE)$omega.tot``); ``None`` when undefined or withheld. What every display
        shows.
    omega_estimate : float or None
        The same coefficient even when withheld (for raw output); ``None`` when undefined.
    omega_rmsr : float or None
        Root mean square of the off-diagonal residual correlations of the one-factor minres
        solution (psych ``fa(r, 1, fm = "minres")$rms``).
    omega_rmsr_unbiased : float or None
        The same with its expected sampling inflation removed: what the withholding rule
        compares with :data:`RMSR_POOR`.
    omega_fit_p : float or None
        p value of the test of exact one-factor fit (mean-and-variance adjusted): omega is
        withheld as multidimensional only when it is below :data:`FIT_P` too.
    omega_withheld : str or None
        Why omega is withheld: :data:`OMEGA_REVERSED` or :data:`OMEGA_MULTIDIMENSIONAL`.
    reversed_items : tuple of int
        Columns whose loading is negative (the items that seem reversed).
    omega_ci_low, omega_ci_high : float or None
        BCa bootstrap interval of omega: only when a bootstrap ran and omega is shown.
    items : tuple of ItemReliability
        One per column, in column order.
    flags : tuple of str
        Plain-language flags for the domain: :data:`FLAG_TOO_FEW`, or one of
        :data:`FLAG_UNRELIABLE` / :data:`FLAG_CAUTION`.
    notes : tuple of str
        Why a value is ``None``, and anything the reader must know about a value.
    """

    n_respondents: int
    n_complete: int
    n_items: int
    alpha: float | None
    alpha_ci_low: float | None
    alpha_ci_high: float | None
    alpha_ci_method: str
    confidence: float
    alpha_pairwise: float | None
    alpha_standardized: float | None
    mean_r: float | None
    omega_total: float | None
    omega_estimate: float | None
    omega_rmsr: float | None
    omega_rmsr_unbiased: float | None
    omega_fit_p: float | None
    omega_withheld: str | None
    reversed_items: tuple[int, ...]
    omega_ci_low: float | None
    omega_ci_high: float | None
    items: tuple[ItemReliability, ...]
    flags: tuple[str, ...]
    notes: tuple[str, ...]


def reliability(
    x: ArrayLike,
    *,
    confidence: float = 0.95,
    minimum: float | ArrayLike | None = None,
    maximum: float | ArrayLike | None = None,
    ci: str = CI_FELDT,
    n_boot: int = N_BOOT,
    seed: int = BOOTSTRAP_SEED,
) -> Reliability:
    """Cronbach's alpha with its confidence interval, pairwise and standardized alpha, item
    statistics, and omega total of the score as keyed with its one-factor fit, of one domain.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        The domain's **keyed** item matrix (reverse-keyed items already flipped with
        :func:`scoring.matrix.key_items`), ``nan`` for missing: the items as they enter the
        domain score.
    confidence : float, default 0.95
        Level of the intervals.
    minimum, maximum : float or array_like, optional
        The scale's bounds; when given, a value outside them raises
        :class:`~scoring.errors.ScoringError`.
    ci : {"feldt", "bootstrap", "auto"}, default "feldt"
        :data:`CI_FELDT`: Feldt's interval for alpha, none for omega.
        :data:`CI_BOOTSTRAP`: BCa intervals for alpha and omega.
        :data:`CI_AUTO` (what reports use): BCa for omega; for alpha BCa when the items'
        mean absolute skewness (:func:`mean_abs_skewness`) reaches
        :data:`AUTO_BOOTSTRAP_SKEW` and there are at least :data:`AUTO_BOOTSTRAP_MIN_N`
        complete responses, Feldt otherwise (the coverage simulation in
        ``benchmarks/bench_coverage.py`` shows where each comes closer to the nominal level).
        The bootstrap needs :data:`MIN_COMPLETE` complete responses; with fewer, alpha keeps
        Feldt's interval and omega has none.
    n_boot : int, default N_BOOT
        Bootstrap resamples B.
    seed : int, default BOOTSTRAP_SEED
        Seed of the bootstrap's ``numpy.random.Generator``: the same data, B and seed give
        the same intervals.

    Returns
    -------
    Reliability

    Notes
    -----
    **Sample.** Respondents who answered all k items (listwise deletion; ``n_complete``).
    C is their k × k covariance matrix (n − 1 denominator), R the correlation matrix, ΣC
    and ΣR the sums of all elements.

    **Cronbach's alpha** (Cronbach 1951):

        α = k / (k − 1) · (1 − tr C / ΣC)

    **Pairwise alpha**: the same formula on the covariance matrix of pairwise-complete
    responses (each covariance over the respondents who answered both items, with their own
    means, n − 1 denominator), as R psych's ``alpha(x, use = "pairwise")`` and pingouin's
    ``cronbach_alpha(nan_policy = "pairwise")``.

    **Feldt's interval** (Feldt 1965; Feldt, Woodruff & Salih 1987), with
    F_p(d₁, d₂) the p-quantile of the F distribution, d₁ = n − 1, d₂ = (n − 1)(k − 1) and
    γ = 1 − confidence:

        lower = 1 − (1 − α) · F_{1−γ/2}(d₁, d₂),   upper = 1 − (1 − α) · F_{γ/2}(d₁, d₂)

    as R psych's ``alpha.ci`` (``alpha()$feldt``) and pingouin's ``cronbach_alpha(...,
    nan_policy="listwise")`` compute it, with n the number of complete responses. It assumes
    normally distributed items; with answers piled at one end of the scale it is too narrow
    (the coverage table in docs/benchmarks.md), hence the bootstrap.

    **Standardized alpha** from the mean inter-item correlation r̄ = (ΣR − k) / (k(k − 1)):

        α_std = k r̄ / (1 + (k − 1) r̄)

    **Item statistics.** With Cᵢ. the i-th row sum of C, corrected item–total correlation
    r_drop,i = (Cᵢ. − Cᵢᵢ) / √(Cᵢᵢ · ΣC₍₋ᵢ₎), ΣC₍₋ᵢ₎ = ΣC − 2Cᵢ. + Cᵢᵢ, and alpha if item
    deleted α₍₋ᵢ₎ = (k − 1)/(k − 2) · (1 − (tr C − Cᵢᵢ) / ΣC₍₋ᵢ₎) — psych ``alpha()``'s
    ``r.drop`` and ``alpha.drop$raw_alpha``, computed for all items at once.

    **Omega total of the score as keyed** (McDonald 1999), as R psych
    ``omega(x, nfactors = 1, flip = FALSE)$omega.tot``:

        ω_t = 1 − Σᵢ (1 − λᵢ²) / ΣR,

    λ the loadings of the one-factor minimum-residual (minres, unweighted least squares)
    solution of R: the λ minimizing Σ_{i<j} (rᵢⱼ − λᵢλⱼ)². ΣR is the variance of the sum of
    the standardized items *as keyed*, so a negatively loading item lowers ω instead of being
    reversed for it (psych's default ``flip = TRUE`` reverses it, and so describes a score
    nobody computes). psych's ``fa(fm = "minres")`` (Revelle, psych ``fa.R``) searches the
    solution over the uniquenesses ψ (0.005 ≤ ψ ≤ 1) with ``optim`` L-BFGS-B from
    ψ = 1 − SMC, λ being the first principal axis of R with 1 − ψ on its diagonal. Here the
    same start is taken and Newton's method on λ (exact gradient and Hessian, backtracking)
    finds the minimum to machine precision; where that minimum lies outside psych's bounds (a
    communality above 0.995, a Heywood case) or Newton's method fails, psych's bounded problem
    in ψ is solved instead (L-BFGS-B with the exact gradient), and a Heywood case is noted.
    psych's optimizer stops at a relative reduction of about 10⁻⁸, which moves its ω_t by up
    to about 10⁻⁷ from the minimum.

    **One-factor fit**: RMSR = √(Σ_{i≠j} (rᵢⱼ − λᵢλⱼ)² / (k(k − 1))), psych
    ``fa(r, 1, fm = "minres")$rms``. Sampling error alone inflates it (about 0.09 at n = 30
    for six items that fit one factor exactly), so the rule below uses the unbiased estimate
    of Maydeu-Olivares (2017), √max(0, RMSR² − tr(QΓ)/(n p)): Γ the asymptotic covariance of
    the p = k(k − 1)/2 correlations, estimated from their influence functions (no normality
    assumed), Q the projection onto the residuals of the fit, and the test of exact fit
    with the mean-and-variance adjusted statistic of Satorra & Bentler (1994) built on the
    same Γ (see ``_one_factor_misfit``).

    **Omega withheld** (``omega_total`` is ``None``, ``omega_estimate`` keeps the value,
    ``omega_withheld`` says why):

    - :data:`OMEGA_REVERSED` when one factor fits and an item loads negatively
      (``reversed_items``, listed whatever the fit): the domain score adds an item that runs
      against the others, most often a reverse-worded item not keyed as such; its keying
      should be checked;
    - :data:`OMEGA_MULTIDIMENSIONAL` when the unbiased RMSR > :data:`RMSR_POOR` (.08, Hu &
      Bentler's 1999 cutoff for the SRMR) and the test of exact fit rejects (p <
      :data:`FIT_P`): the misfit is large and more than chance; one factor does not
      describe the items, they
      measure more than one thing, and ω_t of a one-factor model says little. This is
      checked first: with a poor fit the signs of the loadings mean little.

    **Bootstrap intervals** (``ci`` = "bootstrap", or "auto"), bias-corrected and accelerated
    (BCa; Efron 1987, DiCiccio & Efron 1996): B resamples of the complete responses (rows
    drawn with replacement by a ``numpy.random.Generator`` seeded with ``seed``, in the order
    ``scipy.stats.bootstrap`` draws them), θ*_b the statistic of each; with Φ the normal
    distribution function, z₀ = Φ⁻¹((#{θ*_b < θ̂} + #{θ*_b ≤ θ̂}) / 2B), the acceleration
    a = Σ dᵢ³ / (6 (Σ dᵢ²)^{3/2}) from the jackknife values θ₍ᵢ₎ (dᵢ = θ̄₍.₎ − θ₍ᵢ₎), and
    z_γ the normal quantiles of γ/2 and 1 − γ/2, the interval runs between the quantiles
    (linear interpolation) of the θ*_b at Φ(z₀ + (z₀ + z_γ) / (1 − a(z₀ + z_γ))) — the
    scipy.stats.bootstrap(method = "BCa") computation. Each resample's covariance comes from
    its counts c (B × n): Σ cᵢ xᵢxᵢᵀ and Σ cᵢ xᵢ in one matrix product; each leave-one-out
    covariance is a rank-one downdate, C₍₋ᵢ₎ = (S − n/(n − 1) xᵢxᵢᵀ)/(n − 2) with S the
    centred cross-product matrix; ω of every resample is fitted by batched Newton steps from
    the full-sample loadings; the resamples where that fails (mostly Heywood cases) are
    fitted together by projected Newton steps within the bound λᵢ² ≤ 0.995 on the
    loadings, which at a Heywood case differs from psych's search over ψ by up to a few
    thousandths in ω — far below the spread of the resamples. The ω interval is computed
    only when ω is shown. A resample in which an item does not vary has no ω; when more
    than 1 % of them have none, there is no interval. Above 5,000 complete responses the
    resampled first and second moments are drawn from their normal limit N(v̄, V/n) instead
    of resampling rows, and the jackknife deletes 1,000 random groups of rows (see
    ``_bootstrap`` and ``_jackknife``): the bootstrap's large-sample limit, at a cost that
    no longer grows with B × n.

    **Flags** (DESIGN section 7): fewer than :data:`MIN_COMPLETE` complete responses →
    :data:`FLAG_TOO_FEW` and no other flag (too few to judge); otherwise α <
    :data:`ALPHA_UNRELIABLE` → :data:`FLAG_UNRELIABLE`, else α < :data:`ALPHA_CAUTION` →
    :data:`FLAG_CAUTION`; an item with r_drop < :data:`R_DROP_MIN` →
    :data:`FLAG_WEAK_ITEM` on that item. Thresholds apply to the unrounded values.

    **Undefined values** are ``None`` with a note, never an error: fewer than two items or
    two complete responses; no variance in the total (alpha, and omega: there is no score
    to describe); an item constant among the complete responses (its correlations, hence
    r_drop, standardized alpha and omega); fewer than three items (alpha if deleted and
    omega, whose one-factor model is not identified with two items). Only malformed input
    raises :class:`~scoring.errors.ScoringError`: not a 2-D matrix, no columns, an infinite
    value, a value outside ``[minimum, maximum]``, an unknown ``ci``, ``n_boot`` below 100.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297–334.
    DiCiccio, T. J., & Efron, B. (1996). Bootstrap confidence intervals. *Statistical
    Science*, 11(3), 189–228.
    Efron, B. (1987). Better bootstrap confidence intervals. *Journal of the American
    Statistical Association*, 82(397), 171–185.
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
    reliability coefficient twenty. *Psychometrika*, 30(3), 357–370.
    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement*, 11(1), 93–103.
    Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance structure
    analysis. *Structural Equation Modeling*, 6(1), 1–55.
    Maydeu-Olivares, A. (2017). Assessing the size of model misfit in structural equation
    models. *Psychometrika*, 82(3), 533–558.
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Mahwah, NJ: Erlbaum.
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality Research
    (R package), functions ``alpha``, ``alpha.ci``, ``fa`` and ``omega``.
    Satorra, A., & Bentler, P. M. (1994). Corrections to test statistics and standard
    errors in covariance structure analysis. In A. von Eye & C. C. Clogg (Eds.), *Latent
    variables analysis* (pp. 399–419). Thousand Oaks, CA: Sage.
    Vallat, R. (2018). Pingouin: statistics in Python. *Journal of Open Source Software*,
    3(31), 1026 — ``pingouin.cronbach_alpha``.

    Examples
    --------
    >>> x = [[1, 2, 2, 3], [2, 1, 3, 2], [3, 4, 3, 2], [4, 3, 5, 4],
    ...      [5, 5, 4, 5], [3, 4, 2, 3], [2, 2, 1, 1], [4, 3, 4, 3]]
    >>> r = reliability(x)
    >>> round(r.alpha, 6), round(r.alpha_standardized, 6)  # psych::alpha(x)$total
    (0.876712, 0.877235)
    >>> round(r.omega_estimate, 6)  # psych::omega(x, nfactors = 1, flip = FALSE)$omega.tot
    0.883147
    >>> round(r.omega_rmsr, 6), r.omega_withheld  # psych::fa(x, 1, fm = "minres")$rms
    (0.098902, 'multidimensional')
    >>> r.flags
    ('too few to judge reliability',)
    """
    conf = _check_confidence(confidence)
    if ci not in CI_METHODS:
        raise ScoringError(f"ci must be one of {', '.join(CI_METHODS)}, got {ci!r}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 100:
        raise ScoringError(
            f"n_boot must be a whole number of resamples of at least 100, got {n_boot!r}"
        )
    matrix = as_item_matrix(x)
    n_respondents, k = matrix.shape
    if k == 0:
        raise ScoringError("the domain has no items; pass at least one item column")
    if (minimum is None) != (maximum is None):
        raise ScoringError("give both minimum and maximum of the scale, or neither")
    if minimum is not None:
        check_scale_range(matrix, minimum, maximum)

    # a row sum is nan exactly when the row misses an answer (infinities are refused above)
    complete = np.compress(~np.isnan(row_sums(matrix)), matrix, axis=0)
    n = complete.shape[0]
    notes: list[str] = []
    alpha_pw = _pairwise_alpha(matrix, notes) if k >= 2 else None

    def empty(reason_alpha: str, reason_items: str) -> Reliability:
        notes.extend(
            [
                f"alpha: {reason_alpha}",
                f"alpha_ci: {reason_alpha}",
                f"alpha_standardized: {reason_alpha}",
                f"mean_r: {reason_alpha}",
                f"omega_total: {reason_alpha}",
                f"items: {reason_items}",
            ]
        )
        items = tuple(ItemReliability(j, None, None, None, ()) for j in range(k))
        flags = (FLAG_TOO_FEW,) if k >= 2 else ()
        return Reliability(
            n_respondents=n_respondents,
            n_complete=n,
            n_items=k,
            alpha=None,
            alpha_ci_low=None,
            alpha_ci_high=None,
            alpha_ci_method=CI_FELDT,
            confidence=conf,
            alpha_pairwise=alpha_pw,
            alpha_standardized=None,
            mean_r=None,
            omega_total=None,
            omega_estimate=None,
            omega_rmsr=None,
            omega_rmsr_unbiased=None,
            omega_fit_p=None,
            omega_withheld=None,
            reversed_items=(),
            omega_ci_low=None,
            omega_ci_high=None,
            items=items,
            flags=flags,
            notes=tuple(notes),
        )

    if k == 1:
        return empty("needs at least 2 items (1 here)", "no item statistics for a one-item domain")
    if n < 2:
        return empty(
            f"needs at least 2 respondents who answered every item ({n} here)",
            f"needs at least 2 respondents who answered every item ({n} here)",
        )

    means = np.ones(n) @ complete / n  # column means as one BLAS product
    complete -= means  # our own copy: centered in place (two-pass covariance)
    cov = complete.T @ complete / (n - 1)
    # An item with one answer for everyone: exactly zero variance for whole-number answers;
    # otherwise the mean's rounding leaves at most (n·eps·mean)², far below this bound.
    constant = np.diag(cov) <= (_CONSTANT_RELATIVE * means) ** 2
    cov[constant, :] = 0.0
    cov[:, constant] = 0.0
    var = np.diag(cov).copy()
    cov_sums = cov.sum(axis=1)  # Cᵢ.
    trace = var.sum()
    total = float(cov_sums.sum())  # ΣC, the variance of the total score
    # a variance below this is a rounding residue of a sum of k² terms: treated as zero
    zero = _ZERO_VARIANCE * trace

    # Cronbach's alpha and Feldt's interval
    alpha = ci_low = ci_high = None
    if total > zero:
        alpha = k / (k - 1) * (1 - trace / total)
        gamma = 1 - conf
        d1, d2 = n - 1, (n - 1) * (k - 1)
        # special.fdtri is the quantile function behind scipy.stats.f.ppf
        ci_low = 1 - (1 - alpha) * special.fdtri(d1, d2, 1 - gamma / 2)
        ci_high = 1 - (1 - alpha) * special.fdtri(d1, d2, gamma / 2)
        alpha, ci_low, ci_high = float(alpha), float(ci_low), float(ci_high)
    else:
        reason = "the total score does not vary among the complete responses"
        notes += [f"alpha: {reason}", f"alpha_ci: {reason}"]

    # Item statistics, all items at once
    rest_total = total - 2 * cov_sums + var  # ΣC without item i: variance of the rest score
    rest_cov = cov_sums - var  # covariance of item i with the sum of the others
    with np.errstate(invalid="ignore", divide="ignore"):
        r_drop = rest_cov / np.sqrt(var * rest_total)
        if k >= 3:
            alpha_drop = (k - 1) / (k - 2) * (1 - (trace - var) / rest_total)
        else:
            alpha_drop = np.full(k, np.nan)
    r_drop[constant | (rest_total <= zero)] = np.nan
    alpha_drop[rest_total <= zero] = np.nan
    if constant.any():
        cols = ", ".join(str(j) for j in np.flatnonzero(constant))
        notes.append(
            f"r_drop: undefined for item(s) in column(s) {cols}, which every complete "
            f"respondent answered the same way"
        )
    if k == 2:
        notes.append("alpha_if_deleted: needs at least 3 items (deleting one leaves one)")
    elif np.isnan(alpha_drop).any():
        cols = ", ".join(str(j) for j in np.flatnonzero(np.isnan(alpha_drop)))
        notes.append(
            f"alpha_if_deleted: undefined for column(s) {cols}: the other items do not vary"
        )

    # Correlation-based statistics
    alpha_std = mean_r = omega = rmsr = rmsr_unbiased = fit_p = withheld = None
    reversed_items: tuple[int, ...] = ()
    loadings = np.full(k, np.nan)
    if constant.any():
        reason = "correlations are undefined: an item has no variance among the complete responses"
        notes += [
            f"alpha_standardized: {reason}",
            f"mean_r: {reason}",
            f"omega_total: {reason}",
        ]
    else:
        sd = np.sqrt(var)
        corr = cov / np.outer(sd, sd)
        np.fill_diagonal(corr, 1.0)
        sum_r = corr.sum()
        mean_r = float((sum_r - k) / (k * (k - 1)))
        if sum_r > k * 1e-12:
            alpha_std = float(k * mean_r / (1 + (k - 1) * mean_r))
        else:
            notes.append(
                "alpha_standardized: undefined: the inter-item correlations sum to zero "
                "(the standardized total does not vary)"
            )
        if k < 3:
            notes.append(
                "omega_total: needs at least 3 items (a one-factor model is not identified with 2)"
            )
        else:
            fit = _minres_one_factor(corr)
            if fit is None:
                notes.append("omega_total: the one-factor minres fit did not converge")
            else:
                loadings, at_bound = fit
                rmsr = _rmsr(corr, loadings)
                rmsr_unbiased, fit_p = _one_factor_misfit(complete, corr, loadings)
                if total <= zero:
                    notes.append(
                        "omega_total: undefined: the total score does not vary among the "
                        "complete responses"
                    )
                elif sum_r > k * 1e-12:
                    omega = 1.0 - float(np.sum(1.0 - loadings**2)) / float(sum_r)
                else:
                    notes.append("omega_total: undefined: the standardized total does not vary")
                reversed_items = tuple(int(j) for j in np.flatnonzero(loadings < 0))
                if rmsr_unbiased > RMSR_POOR and fit_p < FIT_P:
                    # a poor fit first: the signs of the loadings then mean little
                    withheld = OMEGA_MULTIDIMENSIONAL
                    notes.append(
                        f"omega_total: withheld: these items measure more than one thing "
                        f"(one-factor RMSR {rmsr:.3f}, {rmsr_unbiased:.3f} without sampling "
                        f"error, above {RMSR_POOR}; test of one-factor fit p = {fit_p:.2g})"
                    )
                elif reversed_items:
                    withheld = OMEGA_REVERSED
                    cols = ", ".join(str(j) for j in reversed_items)
                    notes.append(
                        f"omega_total: withheld: item(s) in column(s) {cols} load negatively "
                        f"on what the other items measure; they seem reversed: check their "
                        f"keying"
                    )
                if at_bound:
                    notes.append(
                        "omega_total: Heywood case, an item's uniqueness reached psych's "
                        "bound of 0.005; omega is at the edge of the admissible region"
                    )
    omega_shown = omega if withheld is None else None

    # Bootstrap intervals
    ci_method = CI_FELDT
    omega_low = omega_high = None
    boot_alpha = alpha is not None and (
        ci == CI_BOOTSTRAP
        or (
            ci == CI_AUTO
            and n >= AUTO_BOOTSTRAP_MIN_N
            and _mean_abs_skewness(complete, var, constant) >= AUTO_BOOTSTRAP_SKEW
        )
    )
    boot_omega = omega_shown is not None and ci in (CI_BOOTSTRAP, CI_AUTO)
    if (boot_alpha or boot_omega) and n < MIN_COMPLETE:
        notes.append(
            f"bootstrap: needs at least {MIN_COMPLETE} complete responses ({n} here): "
            f"alpha keeps Feldt's interval, omega has none"
        )
    elif boot_alpha or boot_omega:
        boot = _bootstrap(complete, n_boot, seed, loadings if boot_omega else None)
        jack = _jackknife(complete, loadings if boot_omega else None, seed)
        if boot_alpha:
            interval = _bca(alpha, boot[0], jack[0], conf)
            if interval is None:
                notes.append(
                    "alpha_ci: the bootstrap interval is undefined (too many resamples without "
                    "a value): Feldt's interval is given"
                )
            else:
                ci_method = CI_BOOTSTRAP
                ci_low, ci_high = interval
        if boot_omega:
            interval = _bca(omega_shown, boot[1], jack[1], conf)
            if interval is None:
                notes.append(
                    "omega_ci: undefined: an item does not vary in too many bootstrap "
                    "resamples (or omega did not vary)"
                )
            else:
                omega_low, omega_high = interval

    # Flags
    flags: list[str] = []
    judge = n >= MIN_COMPLETE
    if not judge:
        flags.append(FLAG_TOO_FEW)
    elif alpha is not None and alpha < ALPHA_UNRELIABLE:
        flags.append(FLAG_UNRELIABLE)
    elif alpha is not None and alpha < ALPHA_CAUTION:
        flags.append(FLAG_CAUTION)

    items = tuple(
        ItemReliability(
            index=j,
            r_drop=_float_or_none(r_drop[j]),
            alpha_if_deleted=_float_or_none(alpha_drop[j]),
            loading=_float_or_none(loadings[j]),
            flags=(FLAG_WEAK_ITEM,) if judge and r_drop[j] < R_DROP_MIN else (),
        )
        for j in range(k)
    )
    return Reliability(
        n_respondents=n_respondents,
        n_complete=n,
        n_items=k,
        alpha=alpha,
        alpha_ci_low=ci_low,
        alpha_ci_high=ci_high,
        alpha_ci_method=ci_method,
        confidence=conf,
        alpha_pairwise=alpha_pw,
        alpha_standardized=alpha_std,
        mean_r=mean_r,
        omega_total=omega_shown,
        omega_estimate=omega,
        omega_rmsr=rmsr,
        omega_rmsr_unbiased=rmsr_unbiased,
        omega_fit_p=fit_p,
        omega_withheld=withheld,
        reversed_items=reversed_items,
        omega_ci_low=omega_low,
        omega_ci_high=omega_high,
        items=items,
        flags=tuple(flags),
        notes=tuple(notes),
    )


def _pairwise_alpha(matrix: np.ndarray, notes: list[str]) -> float | None:
    """Alpha from the pairwise-complete covariance matrix (each pair over the rows where both
    items are answered, with that subset's means; n − 1 denominator), as R's
    ``cov(x, use = "pairwise")`` inside psych ``alpha(x, use = "pairwise")``."""
    k = matrix.shape[1]
    answered = ~np.isnan(matrix)
    mask = answered.astype(float)
    # centre on the column means first: the pairwise sums below then cancel little
    counts = np.ones(matrix.shape[0]) @ mask
    filled = np.where(answered, matrix, 0.0)
    col_means = (np.ones(matrix.shape[0]) @ filled) / np.maximum(counts, 1.0)
    values = np.where(answered, matrix - col_means, 0.0)
    pairs = mask.T @ mask  # nᵢⱼ
    sums = values.T @ mask  # sums[i, j] = Σ xᵢ over rows answering both i and j
    cross = values.T @ values
    if np.any(pairs < 2):
        notes.append(
            "alpha_pairwise: undefined: two items are answered together by fewer than 2 respondents"
        )
        return None
    cov = (cross - sums * sums.T / pairs) / (pairs - 1)
    total = float(cov.sum())
    trace = float(np.trace(cov))
    if total <= _ZERO_VARIANCE * max(trace, 0.0) or trace <= 0:
        notes.append("alpha_pairwise: undefined: the total score does not vary")
        return None
    return float(k / (k - 1) * (1 - trace / total))


def _rmsr(corr: np.ndarray, loadings: np.ndarray) -> float:
    """Root mean square of the off-diagonal residuals R − λλᵀ (psych ``fa()$rms``)."""
    k = corr.shape[0]
    resid = corr - np.outer(loadings, loadings)
    np.fill_diagonal(resid, 0.0)
    return float(np.sqrt(np.sum(resid * resid) / (k * (k - 1))))


def _mean_abs_skewness(centered: np.ndarray, var: np.ndarray, constant: np.ndarray) -> float:
    """Mean over items of |g₁|, g₁ = m₃ / m₂^{3/2} (moments with the n denominator) of the
    centred complete responses; a constant item counts as skewness 0."""
    n = centered.shape[0]
    m2 = var * (n - 1) / n
    m3 = np.ones(n) @ centered**3 / n
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = np.where(constant, 0.0, m3 / m2**1.5)
    return float(np.mean(np.abs(g1)))


def mean_abs_skewness(x: ArrayLike) -> float | None:
    """Mean absolute skewness of the items among the complete responses: what
    ``reliability(..., ci = "auto")`` compares with :data:`AUTO_BOOTSTRAP_SKEW` to choose
    the bootstrap for alpha. g₁ = m₃ / m₂^{3/2} per item (moments with the n denominator,
    scipy.stats.skew(bias = True)); a constant item counts as 0. ``None`` with fewer than
    two complete responses.

    Examples
    --------
    >>> round(mean_abs_skewness([[5, 4], [5, 5], [4, 5], [5, 5], [3, 5]]), 6)  # scipy.stats.skew
    1.171875
    """
    matrix = as_item_matrix(x)
    complete = np.compress(~np.isnan(row_sums(matrix)), matrix, axis=0)
    n = complete.shape[0]
    if n < 2 or matrix.shape[1] == 0:
        return None
    means = np.ones(n) @ complete / n
    centered = complete - means
    var = np.ones(n) @ centered**2 / (n - 1)
    constant = var <= (_CONSTANT_RELATIVE * means) ** 2
    return _mean_abs_skewness(centered, var, constant)


def _alpha_of_covariances(cov: np.ndarray) -> np.ndarray:
    """Alpha of each of a stack (m, k, k) of covariance matrices (``nan`` when ΣC = 0)."""
    k = cov.shape[-1]
    trace = np.trace(cov, axis1=-2, axis2=-1)
    total = cov.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - trace / total)
    return np.where(total > _ZERO_VARIANCE * trace, alpha, np.nan)


def _omega_of_covariances(cov: np.ndarray, start: np.ndarray) -> np.ndarray:
    """ω_t (as keyed) of each of a stack (m, k, k) of covariance matrices, from a batched
    Newton minres fit started at ``start``; ``nan`` where an item does not vary."""
    k = cov.shape[-1]
    var = np.diagonal(cov, axis1=-2, axis2=-1)
    trace = var.sum(axis=-1)
    total = cov.sum(axis=(-2, -1))
    varies = (var > _ZERO_VARIANCE * trace[:, None]).all(axis=1) & (total > _ZERO_VARIANCE * trace)
    omega = np.full(cov.shape[0], np.nan)
    if not varies.any():
        return omega
    cov = cov[varies]
    sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    corr = cov / (sd[:, :, None] * sd[:, None, :])
    idx = np.arange(k)
    corr[:, idx, idx] = 1.0
    lam = _newton_minres_batch(corr, start)
    failed = np.flatnonzero(np.isnan(lam[:, 0]))
    if failed.size:  # Heywood resamples mostly: fitted together within the bounds
        lam[failed] = _bounded_minres_batch(corr[failed], start)
    for m in np.flatnonzero(np.isnan(lam[:, 0])):  # rare: fitted on its own
        fit = _minres_one_factor(corr[m])
        if fit is not None:
            lam[m] = fit[0]
    sum_r = corr.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        values = 1.0 - np.sum(1.0 - lam**2, axis=1) / sum_r
    omega[varies] = np.where(sum_r > k * 1e-12, values, np.nan)
    return omega


def _newton_minres_batch(corr: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Newton's method on the minres loss (see :func:`_newton_minres`) for a stack (m, k, k)
    of correlation matrices at once, all started at ``start``. Rows that do not reach a
    strict interior minimum (gradient below ``_BATCH_NEWTON_GTOL``, positive definite
    Hessian, every communality below 1 − 0.005) come back as ``nan``."""
    m, k, _ = corr.shape
    idx = np.arange(k)
    lam = np.broadcast_to(start, (m, k)).copy()
    active = np.ones(m, dtype=bool)
    good = np.zeros(m, dtype=bool)

    def gradient_and_hessian(r: np.ndarray, lr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        outer = lr[:, :, None] * lr[:, None, :]
        resid = r - outer
        resid[:, idx, idx] = 0.0
        grad = -2.0 * np.einsum("mij,mj->mi", resid, lr)
        hess = -2.0 * (r - 2.0 * outer)
        hess[:, idx, idx] = 2.0 * (np.sum(lr * lr, axis=1)[:, None] - lr * lr)
        return grad, hess

    for _ in range(_BATCH_NEWTON_STEPS):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        grad, hess = gradient_and_hessian(corr[rows], lam[rows])
        converged = np.max(np.abs(grad), axis=1) <= _BATCH_NEWTON_GTOL
        good[rows[converged]] = True
        active[rows[converged]] = False
        go = ~converged
        if not go.any():
            break
        try:
            step = np.linalg.solve(hess[go], grad[go][:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # a singular Hessian: those rows are fitted one by one
            active[rows[go]] = False
            break
        lam[rows[go]] -= step
    # a strict minimum: the Hessian is positive definite where the gradient vanished
    rows = np.flatnonzero(good)
    if rows.size:
        _, hess = gradient_and_hessian(corr[rows], lam[rows])
        try:
            np.linalg.cholesky(hess)  # all positive definite: the usual case, and fast
        except np.linalg.LinAlgError:
            good[rows] = np.linalg.eigvalsh(hess)[:, 0] > 0
    good &= np.max(lam * lam, axis=1) < 1.0 - _PSI_LOWER
    lam[~good] = np.nan
    return lam


def _minres_value_gradient_hessian(
    corr: np.ndarray, lam: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a stack of problems: g(λ) = ½ Σ_{i≠j} (rᵢⱼ − λᵢλⱼ)², its gradient and Hessian
    (see :func:`_newton_minres`)."""
    idx = np.arange(lam.shape[1])
    outer = lam[:, :, None] * lam[:, None, :]
    resid = corr - outer
    resid[:, idx, idx] = 0.0
    value = 0.5 * np.einsum("mij,mij->m", resid, resid)
    grad = -2.0 * np.einsum("mij,mj->mi", resid, lam)
    hess = -2.0 * (corr - 2.0 * outer)
    hess[:, idx, idx] = 2.0 * (np.sum(lam * lam, axis=1)[:, None] - lam * lam)
    return value, grad, hess


def _bounded_minres_batch(corr: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The minres loss of a stack (m, k, k) of correlation matrices minimized over the
    loadings within psych's bound on the communalities (λᵢ² ≤ 1 − 0.005), all at once, by
    projected Newton steps: a loading held at the bound by a gradient pointing outwards is
    fixed, Newton's step (the Hessian shifted to be positive definite where it is not) is
    taken on the others, projected back onto the bounds and halved until the loss
    decreases. Used for the resamples where the unconstrained minimum lies outside the
    bound (a Heywood case) or Newton's method from the full-sample loadings fails; rows
    whose projected gradient does not vanish come back as ``nan``."""
    m, k, _ = corr.shape
    idx = np.arange(k)
    cap = np.sqrt(1.0 - _PSI_LOWER)
    lam = np.clip(np.broadcast_to(start, (m, k)), -0.99 * cap, 0.99 * cap).copy()
    active = np.ones(m, dtype=bool)
    for _ in range(_BOUNDED_STEPS):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        r, lr = corr[rows], lam[rows]
        value, grad, hess = _minres_value_gradient_hessian(r, lr)
        held = (np.abs(lr) >= cap * (1 - 1e-12)) & (grad * np.sign(lr) < 0)
        grad = np.where(held, 0.0, grad)
        done = np.max(np.abs(grad), axis=1) <= _BATCH_NEWTON_GTOL
        active[rows[done]] = False
        keep = ~done
        if not keep.any():
            break
        rows, r, lr, value = rows[keep], r[keep], lr[keep], value[keep]
        grad, hess, held = grad[keep], hess[keep], held[keep]
        hess = np.where(held[:, :, None] | held[:, None, :], 0.0, hess)
        hess[:, idx, idx] = np.where(held, 1.0, hess[:, idx, idx])
        lowest = np.linalg.eigvalsh(hess)[:, 0]
        shift = np.where(lowest > 1e-8, 0.0, 1e-6 - lowest)
        hess[:, idx, idx] += shift[:, None]
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        t = np.ones(rows.size)
        trial = np.clip(lr - step, -cap, cap)
        for _ in range(40):  # halve the step where the loss does not decrease
            new_value = _minres_value_gradient_hessian(r, trial)[0]
            worse = new_value > value
            if not worse.any():
                break
            t = np.where(worse, t / 2, t)
            trial = np.where(worse[:, None], np.clip(lr - t[:, None] * step, -cap, cap), trial)
        lam[rows] = np.where(worse[:, None], lr, trial)
        # no decrease left to find: stationary to working precision (checked below)
        active[rows[value - new_value <= 1e-14 * value]] = False
    _, grad, _ = _minres_value_gradient_hessian(corr, lam)
    held = (np.abs(lam) >= cap * (1 - 1e-12)) & (grad * np.sign(lam) < 0)
    lam[np.max(np.abs(np.where(held, 0.0, grad)), axis=1) > _MINRES_GTOL] = np.nan
    return lam


def _resample_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Counts (size × n) of each respondent in ``size`` resamples of n rows drawn with
    replacement, from the row indices ``rng.integers(0, n, (size, n))`` (as
    ``scipy.stats.bootstrap`` draws them)."""
    draws = rng.integers(0, n, (size, n))
    flat = draws + (np.arange(size) * n)[:, None]
    return np.bincount(flat.ravel(), minlength=size * n).reshape(size, n).astype(float)


def _bootstrap(
    centered: np.ndarray, n_boot: int, seed: int, loadings: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Alpha (and ω when ``loadings`` is given) of ``n_boot`` resamples of the rows of
    ``centered`` (the complete responses minus their means).

    A resample with counts c has Σ cᵢxᵢ = cᵀX and Σ cᵢxᵢxᵢᵀ = cᵀP, P the rows' outer
    products (n × k²); its covariance is (cᵀP − (cᵀX)(cᵀX)ᵀ/n)/(n − 1).

    Above ``_BOOT_ROWS_MAX`` rows drawing the counts would dominate (B × n draws), and the
    bootstrap distribution of the first and second moments v = (x, xxᵀ) is normal to
    O(n^{-1/2}) by the central limit theorem; it is drawn from N(v̄, V/n) instead, V the
    covariance of the rows' moment vectors (n denominator): the bootstrap's own large-sample
    limit, at a cost that no longer grows with n.
    """
    n, k = centered.shape
    rng = np.random.default_rng(seed)
    alphas, omegas = [], []
    if n > _BOOT_ROWS_MAX:
        rows, cols = np.triu_indices(k)
        moments = np.concatenate([centered, centered[:, rows] * centered[:, cols]], axis=1)
        mean = np.ones(n) @ moments / n
        dev = moments - mean
        values, vectors = np.linalg.eigh(dev.T @ dev / n / n)
        root = vectors * np.sqrt(np.clip(values, 0.0, None))
        draws = mean + rng.standard_normal((n_boot, mean.size)) @ root.T
        first = draws[:, :k]
        second = np.empty((n_boot, k, k))
        second[:, rows, cols] = draws[:, k:]
        second[:, cols, rows] = draws[:, k:]
        cov = (second - first[:, :, None] * first[:, None, :]) * (n / (n - 1))
        alphas.append(_alpha_of_covariances(cov))
        if loadings is not None:
            omegas.append(_omega_of_covariances(cov, loadings))
    else:
        products = (centered[:, :, None] * centered[:, None, :]).reshape(n, k * k)
        chunk = max(1, min(n_boot, _BOOT_CELLS // n))
        for start in range(0, n_boot, chunk):
            counts = _resample_counts(rng, n, min(chunk, n_boot - start))
            sums = counts @ centered
            cov = (counts @ products).reshape(-1, k, k)
            cov -= sums[:, :, None] * sums[:, None, :] / n
            cov /= n - 1
            alphas.append(_alpha_of_covariances(cov))
            if loadings is not None:
                omegas.append(_omega_of_covariances(cov, loadings))
    return np.concatenate(alphas), (np.concatenate(omegas) if loadings is not None else None)


def _jackknife(
    centered: np.ndarray, loadings: np.ndarray | None, seed: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """Delete-one (or, above ``_BOOT_ROWS_MAX`` rows, delete-a-group) jackknife values of
    alpha (and ω).

    With S = XᵀX of the centred rows, leaving out a group g of n_g rows with sum s_g and
    cross-products P_g leaves the scatter matrix S − P_g − s_g s_gᵀ/(n − n_g) about the
    remaining rows' mean; for one row that is the rank-one downdate S − n/(n − 1) xᵢxᵢᵀ.
    Large samples are split at random (``seed``) into ``_JACKKNIFE_GROUPS`` groups of equal
    size (± 1): third cumulants add over rows, so the acceleration estimated from group
    values has the same expectation as from single rows.
    """
    n, k = centered.shape
    scatter = centered.T @ centered
    if n > _BOOT_ROWS_MAX:
        order = np.random.default_rng(seed).permutation(n)
        starts = np.linspace(0, n, _JACKKNIFE_GROUPS + 1).astype(int)[:-1]
        ordered = centered[order]
        sizes = np.diff(np.append(starts, n)).astype(float)
        sums = np.add.reduceat(ordered, starts, axis=0)
        products = ordered[:, :, None] * ordered[:, None, :]
        cross = np.add.reduceat(products, starts, axis=0)
        cov = scatter - cross - sums[:, :, None] * sums[:, None, :] / (n - sizes)[:, None, None]
        cov /= (n - sizes - 1)[:, None, None]
        alpha = _alpha_of_covariances(cov)
        omega = _omega_of_covariances(cov, loadings) if loadings is not None else None
        return alpha, omega
    c = n / (n - 1)
    row_sq = np.einsum("ij,ij->i", centered, centered)
    row_sum = centered @ np.ones(k)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = scatter.sum() - c * row_sum**2
        trace = np.trace(scatter) - c * row_sq
        alpha = np.where(total > _ZERO_VARIANCE * trace, k / (k - 1) * (1 - trace / total), np.nan)
    omega = None
    if loadings is not None:
        step = max(1, _BOOT_CELLS // (k * k))
        parts = []
        for start in range(0, n, step):
            x = centered[start : start + step]
            cov = (scatter - c * x[:, :, None] * x[:, None, :]) / (n - 2)
            parts.append(_omega_of_covariances(cov, loadings))
        omega = np.concatenate(parts)
    return alpha, omega


def _bca(
    estimate: float, boot: np.ndarray, jack: np.ndarray, confidence: float
) -> tuple[float, float] | None:
    """BCa interval from the bootstrap values ``boot`` and the jackknife values ``jack``
    (Efron 1987; as scipy.stats.bootstrap(method = "BCa")); ``None`` when more than
    ``_BOOT_MAX_UNDEFINED`` of the resamples, or any jackknife value, is undefined, or the
    bootstrap values lie all on one side of the estimate."""
    defined = np.isfinite(boot)
    if defined.mean() < 1 - _BOOT_MAX_UNDEFINED or not np.isfinite(jack).all():
        return None
    boot = boot[defined]
    share = (np.count_nonzero(boot < estimate) + np.count_nonzero(boot <= estimate)) / (
        2 * boot.size
    )
    if not 0 < share < 1:
        return None
    z0 = special.ndtri(share)
    d = jack.mean() - jack
    spread = float(np.sum(d * d))
    accel = float(np.sum(d**3)) / (6 * spread**1.5) if spread > 0 else 0.0
    z = special.ndtri(np.array([(1 - confidence) / 2, (1 + confidence) / 2]))
    levels = special.ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))
    low, high = np.quantile(boot, levels)
    return float(low), float(high)


def _principal_axis(reduced: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eigenvalues (ascending), eigenvectors, and the first-axis loadings √μ₁ v₁."""
    values, vectors = np.linalg.eigh(reduced)
    return values, vectors, np.sqrt(max(values[-1], 0.0)) * vectors[:, -1]


def _minres_objective(psi: np.ndarray, corr: np.ndarray) -> tuple[float, np.ndarray]:
    """psych's ``fit.residuals`` for fm = "minres" and its exact gradient in ψ.

    f(ψ) = Σ_{i<j} (rᵢⱼ − lᵢlⱼ)², l = √μ₁ v₁ of A = R with 1 − ψ on the diagonal.
    With E the off-diagonal residual and w = E l, ∂f/∂ψₖ = −2 wᵀ ∂l/∂ψₖ, where
    ∂μ₁/∂ψₖ = −v₁ₖ² and ∂v₁/∂ψₖ = −v₁ₖ Σ_{m>1} vₘₖ vₘ / (μ₁ − μₘ) (first-order perturbation
    of a symmetric eigenproblem).
    """
    reduced = corr.copy()
    np.fill_diagonal(reduced, 1.0 - psi)
    values, vectors, load = _principal_axis(reduced)
    resid = corr - np.outer(load, load)
    np.fill_diagonal(resid, 0.0)
    f = 0.5 * float(np.sum(resid * resid))
    mu, v1 = values[-1], vectors[:, -1]
    if mu <= 0:
        return f, np.zeros_like(psi)
    w = resid @ load
    others, gaps = vectors[:, :-1], mu - values[:-1]
    gaps = np.where(gaps > 0, gaps, np.finfo(float).tiny)
    coef = (others.T @ w) / gaps
    grad = (v1 * v1 / np.sqrt(mu)) * (w @ v1) + 2.0 * np.sqrt(mu) * v1 * (others @ coef)
    return f, grad


def _newton_minres(corr: np.ndarray, start: np.ndarray) -> np.ndarray | None:
    """Newton's method with backtracking on g(λ) = ½ Σ_{i≠j} (rᵢⱼ − λᵢλⱼ)², the
    unconstrained minres problem in the loadings.

    ∇ᵢ = −2 Σ_{j≠i} (rᵢⱼ − λᵢλⱼ) λⱼ;  ∂²g/∂λᵢ² = 2 Σ_{j≠i} λⱼ²;
    ∂²g/∂λᵢ∂λₗ = −2 (rᵢₗ − 2λᵢλₗ) for i ≠ l.

    Returns the loadings of a strict local minimum (gradient zero to working precision,
    Hessian positive definite), or ``None`` when Newton's method does not get there.
    """
    off = ~np.eye(corr.shape[0], dtype=bool)

    def value_and_gradient(lam: np.ndarray) -> tuple[float, np.ndarray]:
        resid = (corr - np.outer(lam, lam)) * off
        return 0.5 * float(np.sum(resid * resid)), -2.0 * (resid @ lam)

    lam = start.copy()
    value, grad = value_and_gradient(lam)
    for _ in range(_NEWTON_STEPS):
        hess = -2.0 * (corr - 2.0 * np.outer(lam, lam))
        np.fill_diagonal(hess, 2.0 * (np.sum(lam * lam) - lam * lam))
        try:
            np.linalg.cholesky(hess)  # positive definite: a descent direction
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return None
        if np.max(np.abs(grad)) <= _NEWTON_GTOL:
            return lam
        decrement = float(grad @ step)  # twice the decrease Newton's model predicts
        if decrement <= 4 * np.finfo(float).eps * value:
            # below the rounding of g itself: no step can show a decrease any more
            return lam if np.max(np.abs(grad)) <= _MINRES_GTOL * 1e-3 else None
        t = 1.0
        while True:  # backtracking (Armijo) line search
            candidate = lam - t * step
            new_value, new_grad = value_and_gradient(candidate)
            if new_value <= value - 1e-4 * t * decrement:
                break
            t *= 0.5
            if t < 1e-10:
                return None
        lam, value, grad = candidate, new_value, new_grad
    return None


def _smc(corr: np.ndarray) -> np.ndarray:
    """Squared multiple correlations 1 − 1/diag(R⁺), as psych's ``smc`` (clipped to [0, 1])."""
    inv_diag = np.diag(np.linalg.pinv(corr, hermitian=True))
    with np.errstate(divide="ignore"):
        smc = 1.0 - 1.0 / inv_diag
    return np.clip(np.nan_to_num(smc, nan=1.0), 0.0, 1.0)


def _projected_gradient(psi: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """The gradient with the components that push against an active bound removed."""
    at_lower = psi <= _PSI_LOWER * (1 + 1e-9)
    at_upper = psi >= _PSI_UPPER * (1 - 1e-9)
    return np.where(
        at_lower, np.minimum(grad, 0.0), np.where(at_upper, np.maximum(grad, 0.0), grad)
    )


def _minres_one_factor(corr: np.ndarray) -> tuple[np.ndarray, bool] | None:
    """Loadings of the one-factor minres solution of ``corr`` and whether the lower bound on
    a uniqueness is active (a Heywood case); ``None`` when no stationary point is found.

    The start is psych's: ψ = 1 − SMC, i.e. the first principal axis of R with the SMCs on
    its diagonal. From there Newton's method in the loadings finds the interior minimum
    (every communality below 1 − 0.005) in a few steps. Otherwise, or when it fails, the
    problem is solved as psych states it: L-BFGS-B over the uniquenesses within
    0.005 ≤ ψ ≤ 1 on psych's ``fit.residuals`` objective (with its exact gradient).
    """
    k = corr.shape[0]
    smc = _smc(corr)
    psi = np.clip(1.0 - smc, _PSI_LOWER, _PSI_UPPER)
    reduced = corr.copy()
    np.fill_diagonal(reduced, 1.0 - psi)
    load = _newton_minres(corr, _principal_axis(reduced)[2])
    if load is not None and np.max(load * load) < 1.0 - _PSI_LOWER:
        return (-load if load.sum() < 0 else load), False

    # L-BFGS-B can stop on a small relative decrease of f before the gradient vanishes
    # (a poor curvature estimate on a flat objective); it is restarted from where it
    # stopped while the projected gradient is not yet zero to working precision.
    for _ in range(_MINRES_RESTARTS):
        result = optimize.minimize(
            _minres_objective,
            psi,
            args=(corr,),
            jac=True,
            method="L-BFGS-B",
            bounds=[(_PSI_LOWER, _PSI_UPPER)] * k,
            options={"ftol": 1e-14, "gtol": 1e-11, "maxiter": 500},
        )
        psi = result.x
        if not np.isfinite(psi).all():
            return None
        stationarity = np.max(np.abs(_projected_gradient(psi, result.jac)))
        if stationarity <= 1e-10:
            break
    if stationarity > _MINRES_GTOL:
        return None
    np.fill_diagonal(reduced, 1.0 - psi)
    load = _principal_axis(reduced)[2]
    at_lower = bool(np.any(psi <= _PSI_LOWER * (1 + 1e-9)))
    at_upper = bool(np.any(psi >= _PSI_UPPER * (1 - 1e-9)))
    if not (at_lower or at_upper):
        # interior optimum: the principal-axis fixed point; finish it by Newton steps
        polished = _newton_minres(corr, load)
        if polished is not None:
            load = polished
    if load.sum() < 0:  # psych: loadings are signed so that they sum to a positive number
        load = -load
    return load, at_lower


def _one_factor_misfit(
    centered: np.ndarray, corr: np.ndarray, loadings: np.ndarray
) -> tuple[float, float]:
    """The one-factor RMSR with its expected sampling inflation removed (after the unbiased
    SRMR of Maydeu-Olivares, 2017), √max(0, RMSR² − tr(QΓ) / (n p)), and the p value of the
    test of exact fit.

    Γ (p × p, p = k(k − 1)/2 pairs) is the asymptotic covariance of √n (r − ρ) estimated
    from the influence functions of the correlations, φᵢⱼ = zᵢzⱼ − rᵢⱼ(zᵢ² + zⱼ²)/2 (no
    normality assumed: the answers of a staff survey are skewed); Q = I − Δ(ΔᵀΔ)⁻¹Δᵀ, Δ the
    p × k Jacobian of λᵢλⱼ, projects r − ρ onto the residuals of the least-squares fit. Under
    a one-factor model E[Σ_{i<j} eᵢⱼ²] ≈ tr(QΓ)/n, so the first value estimates the RMSR of
    the population: RMSR itself runs about 0.09 at n = 30 for six items that fit one factor
    exactly. The test: T = n Σ_{i<j} eᵢⱼ² is under exact fit a weighted sum of χ²₁ variables
    with weights the eigenvalues of QΓ, referred to c·χ²_d with c and d matching its mean
    tr(QΓ) and variance 2 tr((QΓ)²) (the mean-and-variance adjustment of Satorra & Bentler,
    1994). With three items (no degrees of freedom) the p value is 1.
    """
    n, k = centered.shape
    rows, cols = np.triu_indices(k, 1)
    z = centered / np.sqrt(np.ones(n) @ centered**2 / n)
    r = corr[rows, cols]
    phi = z[:, rows] * z[:, cols] - r * (z[:, rows] ** 2 + z[:, cols] ** 2) / 2
    phi -= np.ones(n) @ phi / n
    gamma = phi.T @ phi / n
    p = rows.size
    jac = np.zeros((p, k))
    jac[np.arange(p), rows] = loadings[cols]
    jac[np.arange(p), cols] = loadings[rows]
    q_gamma = gamma - jac @ (np.linalg.pinv(jac.T @ jac) @ (jac.T @ gamma))
    mean = float(np.trace(q_gamma))
    variance = 2.0 * float(np.sum(q_gamma * q_gamma.T))
    resid = r - loadings[rows] * loadings[cols]
    squares = float(resid @ resid)
    unbiased = float(np.sqrt(max(0.0, (squares - mean / n) / p)))
    if mean <= 1e-12 or variance <= 1e-24:
        return unbiased, 1.0
    scale, df = variance / (2.0 * mean), 2.0 * mean**2 / variance
    return unbiased, float(special.chdtrc(df, n * squares / scale))
