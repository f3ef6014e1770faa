"""Internal consistency of one domain: Cronbach's alpha with Feldt's confidence interval,
standardized alpha, item statistics (corrected item–total correlation, alpha if item deleted),
McDonald's omega total from a one-factor minimum-residual solution, and the plain-language
reliability flags of the reports.

Everything is computed on the respondents who answered every item of the domain (listwise
deletion), from one k × k covariance matrix obtained by a matrix product; the rest works on
k × k matrices. A domain of a 100,000-respondent round costs a few vectorized passes over its
columns and no Python loop over respondents.
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
    "FLAG_CAUTION",
    "FLAG_TOO_FEW",
    "FLAG_UNRELIABLE",
    "FLAG_WEAK_ITEM",
    "MIN_COMPLETE",
    "R_DROP_MIN",
    "ItemReliability",
    "Reliability",
    "reliability",
]

#: alpha below this: "interpret with caution" (DESIGN section 7)
ALPHA_CAUTION = 0.70
#: alpha below this: "unreliable"
ALPHA_UNRELIABLE = 0.60
#: corrected item–total correlation below this flags the item
R_DROP_MIN = 0.30
#: fewer complete responses than this: "too few to judge reliability"
MIN_COMPLETE = 30

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
        positive number.
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
        Respondents who answered every item: the n of every statistic here.
    n_items : int
        Items (k).
    alpha : float or None
        Cronbach's alpha (psych ``raw_alpha``).
    alpha_ci_low, alpha_ci_high : float or None
        Feldt's confidence interval of alpha.
    confidence : float
        Level of that interval.
    alpha_standardized : float or None
        Standardized alpha from the mean inter-item correlation (psych ``std.alpha``).
    mean_r : float or None
        Mean inter-item correlation r̄ (psych ``average_r``).
    omega_total : float or None
        McDonald's omega total (psych ``omega(x, nfactors = 1)$omega.tot``).
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
    confidence: float
    alpha_standardized: float | None
    mean_r: float | None
    omega_total: float | None
    items: tuple[ItemReliability, ...]
    flags: tuple[str, ...]
    notes: tuple[str, ...]


def reliability(
    x: ArrayLike,
    *,
    confidence: float = 0.95,
    minimum: float | ArrayLike | None = None,
    maximum: float | ArrayLike | None = None,
) -> Reliability:
    """Cronbach's alpha with Feldt's CI, standardized alpha, item statistics and omega total
    of one domain.

    Parameters
    ----------
    x : array_like, shape (n_respondents, n_items)
        The domain's **keyed** item matrix (reverse-keyed items already flipped with
        :func:`scoring.matrix.key_items`), ``nan`` for missing.
    confidence : float, default 0.95
        Level of Feldt's interval.
    minimum, maximum : float or array_like, optional
        The scale's bounds; when given, a value outside them raises
        :class:`~scoring.errors.ScoringError`.

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

    **Feldt's interval** (Feldt 1965; Feldt, Woodruff & Salih 1987), with
    F_p(d₁, d₂) the p-quantile of the F distribution, d₁ = n − 1, d₂ = (n − 1)(k − 1) and
    γ = 1 − confidence:

        lower = 1 − (1 − α) · F_{1−γ/2}(d₁, d₂),   upper = 1 − (1 − α) · F_{γ/2}(d₁, d₂)

    as R psych's ``alpha.ci`` (``alpha()$feldt``) and pingouin's ``cronbach_alpha(...,
    nan_policy="listwise")`` compute it, with n the number of complete responses.

    **Standardized alpha** from the mean inter-item correlation r̄ = (ΣR − k) / (k(k − 1)):

        α_std = k r̄ / (1 + (k − 1) r̄)

    **Item statistics.** With Cᵢ. the i-th row sum of C, corrected item–total correlation
    r_drop,i = (Cᵢ. − Cᵢᵢ) / √(Cᵢᵢ · ΣC₍₋ᵢ₎), ΣC₍₋ᵢ₎ = ΣC − 2Cᵢ. + Cᵢᵢ, and alpha if item
    deleted α₍₋ᵢ₎ = (k − 1)/(k − 2) · (1 − (tr C − Cᵢᵢ) / ΣC₍₋ᵢ₎) — psych ``alpha()``'s
    ``r.drop`` and ``alpha.drop$raw_alpha``, computed for all items at once.

    **Omega total** (McDonald 1999), as R psych ``omega(x, nfactors = 1)$omega.tot``:

        ω_t = 1 − Σᵢ (1 − h²ᵢ) / ΣR,

    h²ᵢ = λᵢ² the communalities of the one-factor minimum-residual (minres, unweighted least
    squares) solution of R: the loadings λ minimizing Σ_{i<j} (rᵢⱼ − λᵢλⱼ)². psych's
    ``fa(fm = "minres")`` (Revelle, psych ``fa.R``) searches it over the uniquenesses ψ
    (0.005 ≤ ψ ≤ 1) with ``optim`` L-BFGS-B from ψ = 1 − SMC, λ being the first principal
    axis of R with 1 − ψ on its diagonal. Here the same start is taken and Newton's method
    on λ (exact gradient and Hessian, backtracking) finds the minimum to machine precision;
    where that minimum lies outside psych's bounds (a communality above 0.995, a Heywood
    case) or Newton's method fails, psych's bounded problem in ψ is solved instead
    (L-BFGS-B with the exact gradient), and a Heywood case is noted. psych's optimizer stops
    at a relative reduction of about 10⁻⁸, which moves its ω_t by up to about 10⁻⁷ from the
    minimum. Like psych's ``omega``, an item whose loading is negative is reversed in R
    before ΣR is taken, and the result says so in ``notes`` (check the item's keying).

    **Flags** (DESIGN section 7): fewer than :data:`MIN_COMPLETE` complete responses →
    :data:`FLAG_TOO_FEW` and no other flag (too few to judge); otherwise α <
    :data:`ALPHA_UNRELIABLE` → :data:`FLAG_UNRELIABLE`, else α < :data:`ALPHA_CAUTION` →
    :data:`FLAG_CAUTION`; an item with r_drop < :data:`R_DROP_MIN` →
    :data:`FLAG_WEAK_ITEM` on that item. Thresholds apply to the unrounded values.

    **Undefined values** are ``None`` with a note, never an error: fewer than two items or
    two complete responses; no variance in the total (alpha); an item constant among the
    complete responses (its correlations, hence r_drop, standardized alpha and omega);
    fewer than three items (alpha if deleted and omega, whose one-factor model is not
    identified with two items). Only malformed input raises
    :class:`~scoring.errors.ScoringError`: not a 2-D matrix, no columns, an infinite
    value, a value outside ``[minimum, maximum]``.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297–334.
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
    reliability coefficient twenty. *Psychometrika*, 30(3), 357–370.
    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement*, 11(1), 93–103.
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Mahwah, NJ: Erlbaum.
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality Research
    (R package), functions ``alpha``, ``alpha.ci``, ``fa`` and ``omega``.
    Vallat, R. (2018). Pingouin: statistics in Python. *Journal of Open Source Software*,
    3(31), 1026 — ``pingouin.cronbach_alpha``.

    Examples
    --------
    >>> x = [[1, 2, 2, 3], [2, 1, 3, 2], [3, 4, 3, 2], [4, 3, 5, 4],
    ...      [5, 5, 4, 5], [3, 4, 2, 3], [2, 2, 1, 1], [4, 3, 4, 3]]
    >>> r = reliability(x)
    >>> round(r.alpha, 6), round(r.alpha_standardized, 6)  # psych::alpha(x)$total
    (0.876712, 0.877235)
    >>> round(r.omega_total, 6)  # psych::omega(x, nfactors = 1)$omega.tot: 0.883146697
    0.883147
    >>> r.flags
    ('too few to judge reliability',)
    """
    conf = _check_confidence(confidence)
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
            confidence=conf,
            alpha_standardized=None,
            mean_r=None,
            omega_total=None,
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
    alpha_std = mean_r = omega = None
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
                key = np.where(loadings < 0, -1.0, 1.0)
                # keyᵀ R key is the variance of the signed standardized total: >= 0
                signed_sum = float((corr * np.outer(key, key)).sum())
                if signed_sum > k * 1e-12:
                    omega = 1.0 - float(np.sum(1.0 - loadings**2)) / signed_sum
                else:
                    notes.append("omega_total: undefined: the standardized total does not vary")
                if (key < 0).any():
                    cols = ", ".join(str(j) for j in np.flatnonzero(key < 0))
                    notes.append(
                        f"omega_total: item(s) in column(s) {cols} load negatively on the "
                        f"common factor and were reversed for omega, as psych does; check "
                        f"their keying (alpha uses the items as given)"
                    )
                if at_bound:
                    notes.append(
                        "omega_total: Heywood case, an item's uniqueness reached psych's "
                        "bound of 0.005; omega is at the edge of the admissible region"
                    )

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
        confidence=conf,
        alpha_standardized=alpha_std,
        mean_r=mean_r,
        omega_total=omega,
        items=items,
        flags=tuple(flags),
        notes=tuple(notes),
    )


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
