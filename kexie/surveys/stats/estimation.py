"""Weighted totals, means, proportions and ratios with linearised standard errors."""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from .coding import FloatArray, as_vector, check_length, factorize
from .design import Design
from .errors import WeightingError

Statistic = Literal["mean", "proportion", "total"]
ProportionInterval = Literal["wald", "logit"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its design-based standard error.

    ``deff`` is the design effect: the design variance over the variance of the same estimator
    under simple random sampling of ``n`` respondents without replacement from a population of
    Σw (as R's ``deff=TRUE``; with replacement when Σw ≤ n, i.e. the weights do not estimate a
    population). ``None`` where it is not defined (ratios, fewer than two respondents).
    Estimators take ``deff_with_replacement=True`` to compare with sampling with replacement
    (R's ``deff="replace"``). ``n`` counts the respondents, with a positive weight, that the
    estimate rests on.
    """

    value: float
    se: float
    ci_low: float
    ci_high: float
    deff: float | None
    n: int

    @property
    def cv(self) -> float:
        """Coefficient of variation, se / |value| (NaN for a zero estimate)."""
        return self.se / abs(self.value) if self.value else math.nan


def weighted_total(
    design: Design,
    y: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    skip_missing: bool = False,
    level: float = 0.95,
    deff_with_replacement: bool = False,
) -> Estimate:
    """Σ w y over the domain; u = y · 1[domain] is its own linearisation."""
    values, inside = _outcome(design, y, domain=domain, skip_missing=skip_missing)
    return _total(design, values, inside, level=level, deff_with_replacement=deff_with_replacement)


def weighted_mean(
    design: Design,
    y: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    skip_missing: bool = False,
    level: float = 0.95,
    deff_with_replacement: bool = False,
) -> Estimate:
    """Σ w y / Σ w over the domain, as a ratio of two totals.

    Its linearised variable is u = 1[domain] (y − ȳ) / N̂ (Lumley 2010, §2.3; Särndal et al. 1992,
    §5.6), taken over the *whole* sample so that a domain's variance keeps the design's strata and
    PSUs, as R's ``subset()``/``svyby`` do: subsetting the data instead would understate it.
    """
    values, inside = _outcome(design, y, domain=domain, skip_missing=skip_missing)
    return _mean(design, values, inside, level=level, deff_with_replacement=deff_with_replacement)


def weighted_proportion(
    design: Design,
    y: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    skip_missing: bool = False,
    level: float = 0.95,
    interval: ProportionInterval = "wald",
    deff_with_replacement: bool = False,
) -> Estimate:
    """The weighted share of respondents with y = 1 (y must be 0 or 1).

    ``interval="logit"`` builds the confidence interval on the logit scale and maps it back
    (R's ``svyciprop(method="logit")``, with the normal quantile), which keeps it inside (0, 1)
    for rates near 0 or 1, such as a district's literacy rate of a few per cent.
    """
    values, inside = _outcome(design, y, domain=domain, skip_missing=skip_missing)
    _check_binary(values)
    return _proportion(
        design, values, inside, level=level, interval=interval, deff_with_replacement=deff_with_replacement
    )


def weighted_ratio(
    design: Design,
    numerator: ArrayLike,
    denominator: ArrayLike,
    *,
    domain: ArrayLike | None = None,
    level: float = 0.95,
) -> Estimate:
    """R̂ = Σ w y / Σ w x, with u = (y − R̂ x) / X̂ (Särndal et al. 1992, §5.6; R's ``svyratio``)."""
    y, inside = _outcome(design, numerator, domain=domain, skip_missing=False, variable="numerator")
    x, _inside = _outcome(design, denominator, domain=None, skip_missing=False, variable="denominator")
    weights = design.weights * inside
    x_total = float(weights @ x)
    if x_total == 0:
        raise WeightingError(_("The denominator of the ratio totals zero."), code="zero_denominator")
    ratio = float(weights @ y) / x_total
    variance = design.variance(inside * (y - ratio * x) / x_total)
    return _estimate(ratio, variance, level, None, _respondents(weights))


def domain_estimates(
    design: Design,
    y: ArrayLike,
    domains: ArrayLike,
    *,
    statistic: Statistic = "mean",
    skip_missing: bool = False,
    level: float = 0.95,
    interval: ProportionInterval = "wald",
    deff_with_replacement: bool = False,
) -> dict[Hashable, Estimate]:
    """One estimate per domain label (e.g. per district), each a domain estimate of the full design."""
    if statistic not in ("mean", "proportion", "total"):
        raise ValueError(f"statistic must be 'mean', 'proportion' or 'total', not {statistic!r}")
    codes, labels = factorize(domains, variable="domains", n=design.n)
    values, answered = _outcome(design, y, domain=None, skip_missing=skip_missing)
    options: dict[str, Any] = {"level": level, "deff_with_replacement": deff_with_replacement}
    if statistic == "proportion":
        _check_binary(values)
        options["interval"] = interval
    estimator = {"mean": _mean, "proportion": _proportion, "total": _total}[statistic]
    return {
        (key.item() if isinstance(key, np.generic) else key): estimator(
            design, values, answered & (codes == k), **options
        )
        for k, key in enumerate(labels)
    }


def _total(
    design: Design,
    values: FloatArray,
    inside: NDArray[np.bool_],
    *,
    level: float,
    deff_with_replacement: bool,
) -> Estimate:
    weights = design.weights * inside
    total = float(weights @ values)
    variance = design.variance(values * inside)
    n, population = _respondents(weights), float(weights.sum())
    deff = _deff(
        variance=variance,
        values=values,
        weights=weights,
        n=n,
        population=population,
        scale=population**2,
        with_replacement=deff_with_replacement,
    )
    return _estimate(total, variance, level, deff, n)


def _mean(
    design: Design,
    values: FloatArray,
    inside: NDArray[np.bool_],
    *,
    level: float,
    deff_with_replacement: bool,
) -> Estimate:
    weights = design.weights * inside
    population = float(weights.sum())
    if population <= 0:
        raise WeightingError(_("The domain has no respondents with a positive weight."), code="empty_domain")
    mean = float(weights @ values) / population
    variance = design.variance(inside * (values - mean) / population)
    n = _respondents(weights)
    deff = _deff(
        variance=variance,
        values=values,
        weights=weights,
        n=n,
        population=population,
        scale=1.0,
        with_replacement=deff_with_replacement,
    )
    return _estimate(mean, variance, level, deff, n)


def _proportion(
    design: Design,
    values: FloatArray,
    inside: NDArray[np.bool_],
    *,
    level: float,
    interval: ProportionInterval,
    deff_with_replacement: bool,
) -> Estimate:
    if interval not in ("wald", "logit"):
        raise ValueError(f"interval must be 'wald' or 'logit', not {interval!r}")
    estimate = _mean(design, values, inside, level=level, deff_with_replacement=deff_with_replacement)
    p = estimate.value
    if interval == "logit" and 0 < p < 1:
        half = _quantile(level) * estimate.se / (p * (1 - p))
        low, high = special.expit(special.logit(p) - half), special.expit(special.logit(p) + half)
        return Estimate(p, estimate.se, float(low), float(high), estimate.deff, estimate.n)
    if interval == "logit" and p in (0.0, 1.0):
        # Nobody (or everybody) has the trait: the standard error is 0 and a 0–0 interval would claim
        # certainty. Use the exact binomial (Clopper–Pearson) bound at the effective sample size
        # (Kish: (Σw)² / Σw²), as Korn and Graubard do for surveys; unweighted it is the exact interval.
        weights = design.weights[inside]
        n_eff = float(weights.sum() ** 2 / (weights**2).sum()) if weights.size else 0.0
        bound = 1 - ((1 - level) / 2) ** (1 / n_eff) if n_eff > 0 else 1.0
        low, high = (0.0, bound) if p == 0 else (1 - bound, 1.0)
        return Estimate(p, estimate.se, low, high, estimate.deff, estimate.n)
    return estimate


def _check_binary(values: FloatArray) -> None:
    not_binary = (values != 0) & (values != 1)
    if not_binary.any():
        index = int(np.flatnonzero(not_binary)[0])
        raise WeightingError(
            _("A proportion needs answers coded 0 or 1, but respondent %(index)s has %(value)s.")
            % {"index": index + 1, "value": f"{values[index]:g}"},
            code="not_binary",
        )


def _outcome(
    design: Design,
    y: ArrayLike,
    *,
    domain: ArrayLike | None,
    skip_missing: bool,
    variable: str = "outcome",
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """The outcome (missing values as 0) and the domain mask (missing answers outside it)."""
    if skip_missing:
        values = np.array(y, dtype=np.float64)
        check_length(values, variable=variable, n=design.n)
        missing = ~np.isfinite(values)
        values[missing] = 0.0
    else:
        values = as_vector(y, variable=variable, n=design.n)
        missing = None
    if domain is None:
        inside = np.ones(design.n, dtype=bool)
    else:
        inside = np.asarray(domain)
        check_length(inside, variable="domain", n=design.n)
        if inside.dtype != np.bool_:
            raise WeightingError(
                _("A domain must be given as true/false per respondent."), code="domain_not_boolean"
            )
    if missing is not None and missing.any():
        inside = inside & ~missing
    return values, inside


def _respondents(weights: FloatArray) -> int:
    return int(np.count_nonzero(weights))


def _deff(
    *,
    variance: float,
    values: FloatArray,
    weights: FloatArray,
    n: int,
    population: float,
    scale: float,
    with_replacement: bool,
) -> float | None:
    """Design variance over the SRS variance scale · (1 − n/N̂) s²/n (Kish 1965, §8.2).

    As R's ``deff=TRUE``; ``with_replacement`` drops the (1 − n/N̂), as R's ``deff="replace"``.
    """
    if n < 2 or population <= 0:
        return None
    mean = float(weights @ values) / population
    # R's svyvar: the weighted variance with the n/(n − 1) correction.
    s2 = n / (n - 1) * float(weights @ (values - mean) ** 2) / population
    srs = scale * s2 / n
    if population > n and not with_replacement:
        srs *= 1 - n / population
    return variance / srs if srs > 0 else None


def _quantile(level: float) -> float:
    if not 0 < level < 1:
        raise WeightingError(
            _("The confidence level must be between 0 and 1, not %(level)s.") % {"level": level},
            code="bad_level",
        )
    return float(stats.norm.ppf(0.5 + level / 2))


def _estimate(value: float, variance: float, level: float, deff: float | None, n: int) -> Estimate:
    # Rounding can leave a tiny negative variance when the residuals are exactly zero.
    se = math.sqrt(max(variance, 0.0))
    half = _quantile(level) * se
    return Estimate(value, se, value - half, value + half, deff, n)
