"""Sample-size planning for a proportion (e.g. the literacy rate) and allocation across districts."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Literal

import numpy as np
from django.utils.translation import gettext as _
from scipy import stats

from .coding import label
from .errors import WeightingError

Allocation = Literal["proportional", "equal", "neyman"]


def required_sample_size(
    *,
    proportion: float,
    margin_of_error: float,
    level: float = 0.95,
    deff: float = 1.0,
    population: float | None = None,
    response_rate: float = 1.0,
) -> int:
    """Respondents to invite so that the CI half-width for ``proportion`` is ``margin_of_error``.

    n₀ = deff · z² p(1 − p) / e² (Kish 1965, §2.2, with the design effect of §8.2), then the finite
    population correction n = n₀ / (1 + (n₀ − 1)/N) (Cochran 1977, eq. 4.2), then divided by the
    expected response rate. Never more than the population.
    """
    _check_plan(proportion=proportion, margin_of_error=margin_of_error, level=level, deff=deff)
    if not 0 < response_rate <= 1:
        raise WeightingError(
            _("The expected response rate must be above 0 and at most 1, not %(value)s.")
            % {"value": response_rate},
            code="bad_response_rate",
        )
    z = float(stats.norm.ppf(0.5 + level / 2))
    n = deff * z**2 * proportion * (1 - proportion) / margin_of_error**2
    if population is not None:
        _check_population(population, None)
        n = n / (1 + (n - 1) / population)
    n = math.ceil(n / response_rate - 1e-9)
    return min(n, math.floor(population)) if population is not None else n


def achieved_margin_of_error(
    *,
    n: int,
    proportion: float,
    level: float = 0.95,
    deff: float = 1.0,
    population: float | None = None,
) -> float:
    """The CI half-width that ``n`` respondents give: the inverse of :func:`required_sample_size`."""
    _check_plan(proportion=proportion, margin_of_error=0.5, level=level, deff=deff)
    if n < 1:
        raise WeightingError(_("At least one respondent is needed."), code="bad_sample_size")
    z = float(stats.norm.ppf(0.5 + level / 2))
    correction = 1.0
    if population is not None:
        _check_population(population, None)
        correction = max(population - n, 0) / (population - 1) if population > 1 else 0.0
    return z * math.sqrt(deff * proportion * (1 - proportion) / n * correction)


def required_sample_sizes(
    *,
    populations: Mapping[Hashable, float],
    proportion: float | Mapping[Hashable, float],
    margin_of_error: float,
    level: float = 0.95,
    deff: float = 1.0,
    response_rate: float = 1.0,
) -> dict[Hashable, int]:
    """:func:`required_sample_size` for each district, so that each district's own estimate has
    the target precision. ``proportion`` may differ by district (e.g. last round's rates)."""
    sizes = {}
    for key, population in populations.items():
        _check_population(population, key)
        p = proportion[key] if isinstance(proportion, Mapping) else proportion
        sizes[key] = required_sample_size(
            proportion=p,
            margin_of_error=margin_of_error,
            level=level,
            deff=deff,
            population=population,
            response_rate=response_rate,
        )
    return sizes


def allocate(
    *,
    total: int,
    populations: Mapping[Hashable, float],
    method: Allocation = "proportional",
    std_devs: Mapping[Hashable, float] | None = None,
    minimum: int = 0,
) -> dict[Hashable, int]:
    """Share ``total`` respondents across districts (strata), in whole respondents.

    - ``proportional``: n_h ∝ N_h; ``equal``: the same in every district;
    - ``neyman``: n_h ∝ N_h S_h, the allocation of least variance for the overall estimate
      (Cochran 1977, eq. 5.26). For a proportion, S_h = √(p_h(1 − p_h)).

    No district gets more than its population or less than ``minimum``; the shares of districts
    held at either limit go to the others (Cochran 1977, §5.9). Fractions are rounded by largest
    remainder, so the sizes add up to ``total`` exactly.
    """
    keys = list(populations)
    if not keys:
        raise WeightingError(_("At least one district is needed."), code="no_strata")
    population = np.array([_check_population(populations[k], k) for k in keys])
    if method == "proportional":
        share = population.copy()
    elif method == "equal":
        share = np.ones(len(keys))
    elif method == "neyman":
        if std_devs is None or any(k not in std_devs for k in keys):
            missing = next(k for k in keys if std_devs is None or k not in std_devs)
            raise WeightingError(
                _("Neyman allocation needs a standard deviation for district %(district)s.")
                % {"district": label(missing)},
                code="missing_std_dev",
            )
        spread = np.array([float(std_devs[k]) for k in keys])
        if not (np.isfinite(spread).all() and (spread >= 0).all()):
            raise WeightingError(_("Standard deviations must be non-negative numbers."), code="bad_std_dev")
        share = population * spread
    else:
        raise WeightingError(
            _("Unknown allocation method %(method)s.") % {"method": method}, code="bad_allocation"
        )
    cap = np.floor(population).astype(np.int64)
    floor = np.minimum(minimum, cap)
    if total > cap.sum():
        raise WeightingError(
            _("%(total)s respondents exceed the population of %(population)s.")
            % {"total": total, "population": int(cap.sum())},
            code="sample_exceeds_population",
        )
    if total < floor.sum():
        raise WeightingError(
            _("%(total)s respondents cannot give every district at least %(minimum)s.")
            % {"total": total, "minimum": minimum},
            code="sample_below_minimum",
        )
    sizes = _bounded_shares(float(total), share, floor.astype(float), cap.astype(float))
    return dict(zip(keys, _round_to_total(sizes, total, cap).tolist(), strict=True))


def _bounded_shares(total: float, share: np.ndarray, floor: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Shares ∝ ``share`` clamped to [floor, cap], redistributing what the clamped ones release."""
    held = np.full(share.size, np.nan)
    while True:
        free = np.isnan(held)
        remaining = total - np.nansum(held)
        weight = share[free] if share[free].sum() > 0 else np.ones(int(free.sum()))
        sizes = held.copy()
        sizes[free] = remaining * weight / weight.sum()
        over = free & (sizes > cap)
        if over.any():
            held[over] = cap[over]
            continue
        under = free & (sizes < floor)
        if under.any():
            held[under] = floor[under]
            continue
        return sizes


def _round_to_total(sizes: np.ndarray, total: int, cap: np.ndarray) -> np.ndarray:
    whole = np.floor(sizes + 1e-9).astype(np.int64)
    short = total - int(whole.sum())
    order = np.argsort(-(sizes - whole), kind="stable")
    for index in order:
        if short <= 0:
            break
        if whole[index] < cap[index]:
            whole[index] += 1
            short -= 1
    return whole


def _check_plan(*, proportion: float, margin_of_error: float, level: float, deff: float) -> None:
    if not 0 < proportion < 1:
        raise WeightingError(
            _("The expected proportion must be between 0 and 1, not %(value)s.") % {"value": proportion},
            code="bad_proportion",
        )
    if not 0 < margin_of_error < 1:
        raise WeightingError(
            _("The margin of error must be between 0 and 1, not %(value)s.") % {"value": margin_of_error},
            code="bad_margin_of_error",
        )
    if not 0 < level < 1:
        raise WeightingError(
            _("The confidence level must be between 0 and 1, not %(level)s.") % {"level": level},
            code="bad_level",
        )
    if not deff > 0:
        raise WeightingError(
            _("The design effect must be positive, not %(value)s.") % {"value": deff}, code="bad_deff"
        )


def _check_population(population: float, key: Hashable | None) -> float:
    value = float(population)
    if not (math.isfinite(value) and value >= 1):
        raise WeightingError(
            _("The population of %(district)s must be at least 1, not %(value)s.")
            % {"district": label(key) if key is not None else "—", "value": population},
            code="bad_population",
        )
    return value
