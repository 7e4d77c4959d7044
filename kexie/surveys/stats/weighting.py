"""Raking (iterative proportional fitting) to population margins, and weight trimming."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import ArrayLike, NDArray

from .calibration import Calibration
from .coding import FloatArray, IndexArray, as_weights, check_length, factorize, label
from .design import Design, LonelyPsu
from .errors import WeightingError


@dataclass(frozen=True)
class Margin:
    """One population margin: each respondent's category, and the population total per category.

    ``targets`` is either a mapping from category label to population total (labels must match
    the respondents' codes exactly), or an array of totals indexed by ``codes``, which must then
    be integers 0..k−1 (the fast path for large samples).
    """

    codes: ArrayLike
    targets: Mapping[Hashable, float] | ArrayLike


MarginSpec = Margin | tuple[ArrayLike, Mapping[Hashable, float] | ArrayLike]


@dataclass(frozen=True, eq=False)
class RakeResult:
    """Raked weights and how the raking went.

    ``max_margin_error`` is the largest relative gap |achieved − target| / target over every
    category of every margin; ``history`` holds it before the first sweep and after each sweep
    (for trimming, the sweeps of every re-raking, one after the other). ``rounds`` counts the
    trim-and-re-rake rounds and ``trimmed`` the respondents held at a bound (0 for plain raking).
    """

    weights: FloatArray
    converged: bool
    iterations: int
    max_margin_error: float
    history: tuple[float, ...]
    calibration: Calibration = field(repr=False)
    rounds: int = 0
    trimmed: int = 0

    def design(
        self,
        *,
        strata: ArrayLike | None = None,
        clusters: ArrayLike | None = None,
        fpc: ArrayLike | None = None,
        lonely_psu: LonelyPsu = "fail",
    ) -> Design:
        """The calibrated design: raked weights, their calibration, and how the sample was drawn."""
        return Design(
            self.weights,
            strata=strata,
            clusters=clusters,
            fpc=fpc,
            calibration=self.calibration,
            lonely_psu=lonely_psu,
        )


@dataclass(frozen=True, eq=False)
class _Margins:
    names: tuple[str, ...]
    levels: tuple[np.ndarray, ...]
    targets: tuple[FloatArray, ...]
    cell: IndexArray
    cell_categories: NDArray[np.intp]


def rake(
    base_weights: ArrayLike,
    margins: Mapping[str, MarginSpec],
    *,
    max_iter: int = 200,
    tol: float = 1e-10,
    total_tolerance: float = 1e-6,
) -> RakeResult:
    """Rake ``base_weights`` so that their totals match every margin (Deming & Stephan 1940).

    The raking factor of a respondent depends only on its cell (its combination of margin
    categories), so the iterative proportional fitting runs on the cell table: one pass over the
    respondents to sum the base weights per cell and one to apply the factors, however many sweeps
    convergence takes. Stops when the relative margin error is at most ``tol``; a raking that does
    not converge in ``max_iter`` sweeps is returned with ``converged=False`` (R warns likewise).
    Margin targets must agree on the population total to ``total_tolerance`` (relative).
    """
    base = as_weights(base_weights)
    prepared = _prepare_margins(base, margins, total_tolerance)
    cell_weight = np.bincount(prepared.cell, weights=base, minlength=len(prepared.cell_categories))
    factor, converged, iterations, history = _fit(
        prepared, cell_weight, np.zeros_like(cell_weight), max_iter=max_iter, tol=tol
    )
    return RakeResult(
        weights=base * factor[prepared.cell],
        converged=converged,
        iterations=iterations,
        max_margin_error=history[-1],
        history=tuple(history),
        calibration=_calibration(prepared, base),
    )


def trim_weights(
    base_weights: ArrayLike,
    margins: Mapping[str, MarginSpec],
    *,
    lower: float | None = None,
    upper: float | None = None,
    max_iter: int = 200,
    tol: float = 1e-10,
    max_rounds: int = 50,
    total_tolerance: float = 1e-6,
) -> RakeResult:
    """Rake, then hold weights outside [lower, upper] at the bound and re-rake the others, until
    no weight is outside the bounds and every margin is still met.

    ``lower`` and ``upper`` are weights (persons represented), e.g. 0.3 and 3.5 times the mean
    weight. Holding trimmed respondents fixed while the others are re-raked (rather than trimming
    and re-raking everyone, Izrael et al. 2000) makes the rounds monotone: each round only adds
    respondents to the trimmed set, so it stops in at most n rounds and satisfies both constraints
    exactly. Respondents with a zero base weight stay at zero.
    """
    if lower is not None and upper is not None and not lower < upper:
        raise WeightingError(
            _("The lower weight bound (%(lower)s) must be below the upper bound (%(upper)s).")
            % {"lower": lower, "upper": upper},
            code="bad_bounds",
        )
    if (lower is not None and lower < 0) or (upper is not None and upper <= 0):
        raise WeightingError(_("Weight bounds must be positive."), code="bad_bounds")
    base = as_weights(base_weights)
    prepared = _prepare_margins(base, margins, total_tolerance)
    n_cells = len(prepared.cell_categories)
    cell_weight = np.bincount(prepared.cell, weights=base, minlength=n_cells)
    factor, converged, iterations, history = _fit(
        prepared, cell_weight, np.zeros_like(cell_weight), max_iter=max_iter, tol=tol
    )
    weights = base * factor[prepared.cell]
    held = np.zeros(base.size, dtype=bool)
    sampled = base > 0
    high = np.inf if upper is None else upper * (1 + 1e-12)
    low = -np.inf if lower is None else lower * (1 - 1e-12)
    rounds = 0
    within = False
    while rounds < max_rounds:
        over = sampled & ~held & (weights > high)
        under = sampled & ~held & (weights < low)
        if not (over.any() or under.any()):
            within = True
            break
        weights[over] = upper
        weights[under] = lower
        held |= over | under
        free = np.bincount(prepared.cell, weights=np.where(held, 0.0, weights), minlength=n_cells)
        fixed = np.bincount(prepared.cell, weights=np.where(held, weights, 0.0), minlength=n_cells)
        factor, converged, sweeps, more = _fit(prepared, free, fixed, max_iter=max_iter, tol=tol)
        weights = np.where(held, weights, weights * factor[prepared.cell])
        iterations += sweeps
        history += more[1:]
        rounds += 1
    return RakeResult(
        weights=weights,
        converged=converged and within,
        iterations=iterations,
        max_margin_error=history[-1],
        history=tuple(history),
        calibration=_calibration(prepared, base),
        rounds=rounds,
        trimmed=int(held.sum()),
    )


def kish_deff(weights: ArrayLike) -> float:
    """Kish's design effect of unequal weighting, n Σw² / (Σw)² = 1 + CV²(w) (Kish 1965, §11.7)."""
    w = as_weights(weights)
    return float(w.size * (w @ w) / w.sum() ** 2)


def _prepare_margins(base: FloatArray, margins: Mapping[str, MarginSpec], total_tolerance: float) -> _Margins:
    if not margins:
        raise WeightingError(_("At least one population margin is needed."), code="no_margins")
    n = base.size
    names: list[str] = []
    levels: list[np.ndarray] = []
    targets: list[FloatArray] = []
    codes: list[IndexArray] = []
    for name, spec in margins.items():
        margin_codes, margin_targets = (spec.codes, spec.targets) if isinstance(spec, Margin) else spec
        if isinstance(margin_targets, Mapping):
            level, target, code = _coded_by_label(str(name), margin_codes, margin_targets, n)
        else:
            level, target, code = _coded_by_index(str(name), margin_codes, margin_targets, n)
        _check_categories(str(name), level, target, np.bincount(code, weights=base, minlength=target.size))
        names.append(str(name))
        levels.append(level)
        targets.append(target)
        codes.append(code)
    _check_totals(names, targets, total_tolerance)
    cell, cell_categories = _cells(codes)
    return _Margins(tuple(names), tuple(levels), tuple(targets), cell, cell_categories)


def _coded_by_label(
    name: str, codes: ArrayLike, targets: Mapping[Hashable, float], n: int
) -> tuple[np.ndarray, FloatArray, IndexArray]:
    level = np.empty(len(targets), dtype=object)
    level[:] = [_plain(key) for key in targets]
    target = np.array([_target(name, key, value) for key, value in targets.items()], dtype=np.float64)
    position = {key: i for i, key in enumerate(level)}
    sample_codes, present = factorize(codes, variable=name, n=n)
    lookup = np.empty(len(present), dtype=np.intp)
    for i, value in enumerate(present):
        index = position.get(_plain(value))
        if index is None:
            raise WeightingError(
                _(
                    "Category %(category)s of margin %(margin)s occurs among the respondents but "
                    "has no population target."
                )
                % {"category": label(value), "margin": name},
                code="category_without_target",
                margin=name,
                category=label(value),
            )
        lookup[i] = index
    return level, target, lookup[sample_codes]


def _coded_by_index(
    name: str, codes: ArrayLike, targets: ArrayLike, n: int
) -> tuple[np.ndarray, FloatArray, IndexArray]:
    raw = np.asarray(targets)
    check_length(raw, variable=name, n=None)
    target = np.array([_target(name, k, value) for k, value in enumerate(raw.tolist())], dtype=np.float64)
    array = np.asarray(codes)
    check_length(array, variable=name, n=n)
    if array.dtype.kind not in "iu":
        raise WeightingError(
            _("The categories of margin %(margin)s must be numbered 0 to %(last)s.")
            % {"margin": name, "last": target.size - 1},
            code="codes_not_integer",
            margin=name,
        )
    if array.size and (array.min() < 0 or array.max() >= target.size):
        bad = array.min() if array.min() < 0 else array.max()
        raise WeightingError(
            _(
                "Category %(category)s of margin %(margin)s occurs among the respondents but "
                "has no population target."
            )
            % {"category": label(bad), "margin": name},
            code="category_without_target",
            margin=name,
            category=label(bad),
        )
    return np.arange(target.size), target, array.astype(np.intp, copy=False)


def _target(margin: str, category: Any, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if not (np.isfinite(number) and number >= 0):
        raise WeightingError(
            _(
                "The population target of category %(category)s of margin %(margin)s must be a "
                "non-negative number, not %(value)s."
            )
            % {"category": label(category), "margin": margin, "value": value},
            code="bad_target",
            margin=margin,
            category=label(category),
        )
    return number


def _check_categories(name: str, level: np.ndarray, target: FloatArray, weight: FloatArray) -> None:
    for k in np.flatnonzero((target > 0) & (weight <= 0)):
        raise WeightingError(
            _(
                "Category %(category)s of margin %(margin)s has a population target of %(target)s "
                "but no respondents, so no weight can represent it. Merge it with a neighbouring "
                "category."
            )
            % {"category": label(level[k]), "margin": name, "target": f"{target[k]:g}"},
            code="category_without_respondents",
            margin=name,
            category=label(level[k]),
        )
    for k in np.flatnonzero((target == 0) & (weight > 0)):
        raise WeightingError(
            _("Category %(category)s of margin %(margin)s has respondents but a population target of zero.")
            % {"category": label(level[k]), "margin": name},
            code="respondents_without_target",
            margin=name,
            category=label(level[k]),
        )


def _check_totals(names: list[str], targets: list[FloatArray], tolerance: float) -> None:
    first = float(targets[0].sum())
    for name, target in zip(names[1:], targets[1:], strict=True):
        total = float(target.sum())
        if abs(total - first) > tolerance * first:
            raise WeightingError(
                _(
                    "The targets of margin %(margin)s add up to %(total)s, but those of margin "
                    "%(first_margin)s add up to %(first_total)s. All margins must describe the same "
                    "population."
                )
                % {
                    "margin": name,
                    "total": f"{total:,.10g}",
                    "first_margin": names[0],
                    "first_total": f"{first:,.10g}",
                },
                code="margin_totals_differ",
                margin=name,
            )


def _cells(codes: list[IndexArray]) -> tuple[IndexArray, NDArray[np.intp]]:
    """Each respondent's cell (occupied combination of categories) and each cell's categories."""
    dims = tuple(int(c.max()) + 1 for c in codes)
    if float(np.prod(dims, dtype=np.float64)) < 2.0**62:
        key = np.ravel_multi_index(codes, dims)
        cell, occupied = factorize(key, variable="cells")
        return cell, np.column_stack(np.unravel_index(occupied, dims)).astype(np.intp)
    categories, cell = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
    return cell.reshape(-1).astype(np.intp), categories.astype(np.intp)


def _fit(
    margins: _Margins, free: FloatArray, fixed: FloatArray, *, max_iter: int, tol: float
) -> tuple[FloatArray, bool, int, list[float]]:
    """Iterative proportional fitting of per-cell factors applied to ``free`` (``fixed`` stays).

    Returns the factors, whether the relative margin error reached ``tol``, the sweeps taken and
    the error before the first sweep and after each.
    """
    columns = [np.ascontiguousarray(margins.cell_categories[:, m]) for m in range(len(margins.names))]
    held = [
        np.bincount(c, weights=fixed, minlength=t.size) for c, t in zip(columns, margins.targets, strict=True)
    ]
    needed = [t - h for t, h in zip(margins.targets, held, strict=True)]
    for m, (column, need, target) in enumerate(zip(columns, needed, margins.targets, strict=True)):
        room = np.bincount(column, weights=free, minlength=target.size)
        infeasible = ((room > 0) & (need <= 0)) | ((room <= 0) & (np.abs(need) > tol * np.maximum(target, 1)))
        for k in np.flatnonzero(infeasible):
            name = margins.names[m]
            raise WeightingError(
                _(
                    "The weight bounds cannot be met together with the target of category "
                    "%(category)s of margin %(margin)s. Widen the bounds."
                )
                % {"category": label(margins.levels[m][k]), "margin": name},
                code="bounds_infeasible",
                margin=name,
                category=label(margins.levels[m][k]),
            )
    factor = np.ones_like(free)
    positive = [t > 0 for t in margins.targets]

    def error() -> float:
        worst = 0.0
        for column, target, hold, pos in zip(columns, margins.targets, held, positive, strict=True):
            achieved = np.bincount(column, weights=free * factor, minlength=target.size) + hold
            worst = max(worst, float(np.max(np.abs(achieved[pos] / target[pos] - 1), initial=0.0)))
        return worst

    history = [error()]
    sweeps = 0
    while history[-1] > tol and sweeps < max_iter:
        for column, need in zip(columns, needed, strict=True):
            current = np.bincount(column, weights=free * factor, minlength=need.size)
            ratio = np.divide(need, current, out=np.ones_like(need), where=current > 0)
            factor *= ratio[column]
        sweeps += 1
        history.append(error())
    return factor, history[-1] <= tol, sweeps, history


def _calibration(margins: _Margins, base: FloatArray) -> Calibration:
    return Calibration(
        names=margins.names,
        levels=margins.levels,
        cell=margins.cell,
        cell_categories=margins.cell_categories,
        base_weights=base,
    )


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
