"""A survey design (weights, strata, clusters, fpc) and its Taylor-linearisation variance."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Literal

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import ArrayLike, NDArray

from .calibration import Calibration
from .coding import FloatArray, IndexArray, as_vector, as_weights, factorize, label
from .errors import WeightingError

LonelyPsu = Literal["fail", "adjust", "remove"]

# R's survey treats a group whose finite population correction is below this as a census.
_CERTAINTY = 1e-7


@dataclass(frozen=True, eq=False)
class _Stage:
    """Units of one sampling stage, grouped (strata for PSUs, PSUs for SSUs).

    Its variance term is Σ_g scale_g Σ_{u∈g} (t_u − t̄_g)², t_u the unit totals of the scores;
    ``unit``/``group`` None mean one unit per respondent / a single group.
    """

    unit: IndexArray | None
    n_units: int
    group: IndexArray | None
    n_groups: int
    scale: FloatArray
    centre_at_zero: NDArray[np.bool_]

    def variance(self, scores: FloatArray) -> float:
        totals = (
            scores if self.unit is None else np.bincount(self.unit, weights=scores, minlength=self.n_units)
        )
        if self.group is None:
            deviation = totals - (0.0 if self.centre_at_zero[0] else totals.mean())
            return float(self.scale[0] * (deviation @ deviation))
        counts = np.maximum(np.bincount(self.group, minlength=self.n_groups), 1)
        means = np.bincount(self.group, weights=totals, minlength=self.n_groups) / counts
        means[self.centre_at_zero] = 0.0
        deviation = totals - means[self.group]
        return float(
            self.scale @ np.bincount(self.group, weights=deviation * deviation, minlength=self.n_groups)
        )


class Design:
    """Respondent weights and how the sample was drawn.

    - ``strata``: one label per respondent; strata are sampled independently.
    - ``clusters``: the primary sampling unit (PSU) of each respondent, e.g. the community in a
      district-stratified literacy survey. Cluster labels are read *within* their stratum (R's
      ``nest=TRUE``): the same label in two strata is two PSUs.
    - ``fpc``: per respondent, constant within a stratum, as in R: values ≤ 1 are the sampling
      fraction of PSUs, larger values the number of PSUs in the stratum's population.
    - ``ssu``, ``ssu_fpc``: the second-stage unit within the PSU (e.g. the household) and its fpc
      (constant within a PSU). Used only with a first-stage ``fpc``: without one, the PSUs count
      as drawn with replacement and their totals already carry the later stages' variance.
    - ``calibration``: from :func:`rake` or :func:`trim_weights`; every estimate then uses the
      calibration-aware (residual) variance.
    - ``lonely_psu``: what to do with a stratum that has a single PSU (its variance cannot be
      estimated). ``"fail"`` (R's default) raises; ``"adjust"`` takes the PSU's deviation from
      zero, the population mean of a linearised variable, as R does; ``"remove"`` lets it
      contribute nothing. A census stratum (fpc equal to its PSUs) contributes nothing anyway.

    The variance is the ultimate-cluster estimator (Wolter 2007, §1.6; Lumley 2010, §2.2): sum
    over strata of (1 − f_h) n_h/(n_h − 1) times the sum of squared deviations of the PSU totals
    of the weighted linearised variable from their stratum mean; with ``ssu`` the second stage
    adds f_h times the same sum over SSU totals within each PSU (Cochran 1977, eq. 10.8; R's
    ``multistage``).
    """

    def __init__(
        self,
        weights: ArrayLike,
        *,
        strata: ArrayLike | None = None,
        clusters: ArrayLike | None = None,
        fpc: ArrayLike | None = None,
        ssu: ArrayLike | None = None,
        ssu_fpc: ArrayLike | None = None,
        calibration: Calibration | None = None,
        lonely_psu: LonelyPsu = "fail",
    ) -> None:
        if lonely_psu not in ("fail", "adjust", "remove"):
            raise ValueError(f"lonely_psu must be 'fail', 'adjust' or 'remove', not {lonely_psu!r}")
        self.weights = as_weights(weights)
        n = self.n = self.weights.size
        if calibration is not None and calibration.n != n:
            raise WeightingError(
                _("%(variable)s has %(count)s values, but there are %(expected)s respondents.")
                % {"variable": "calibration", "count": calibration.n, "expected": n},
                code="length_mismatch",
            )
        self.calibration = calibration
        self.lonely_psu = lonely_psu
        self.has_fpc = fpc is not None

        stratum: IndexArray | None = None
        self.stratum_labels: np.ndarray = np.array([None], dtype=object)
        if strata is not None:
            stratum, self.stratum_labels = factorize(strata, variable="strata", n=n)
        self.n_strata = len(self.stratum_labels)
        psu, psu_stratum, psu_labels = None, stratum, np.array([None], dtype=object)
        if clusters is not None:
            psu, psu_labels = _nested(clusters, stratum, variable="clusters", n=n)
            psu_stratum = _group_of_units(psu, stratum)
        self.n_psu = n if psu is None else int(psu.max()) + 1
        self.degrees_of_freedom = self.n_psu - self.n_strata
        sampled = _units_per_group(psu_stratum, self.n_psu, self.n_strata)
        fraction = np.zeros(self.n_strata)
        if fpc is not None:
            fraction = self._fractions(fpc, stratum, sampled, self.stratum_labels, second_stage=False)
        self._stages = [
            self._stage(
                unit=psu,
                n_units=self.n_psu,
                group=psu_stratum,
                sampled=sampled,
                correction=1.0 - fraction,
                group_labels=self.stratum_labels,
                second_stage=False,
            )
        ]
        if ssu is not None and fpc is not None and psu is not None:
            unit, _ssu_labels = _nested(ssu, psu, variable="ssu", n=n)
            n_ssu = int(unit.max()) + 1
            ssu_psu = _group_of_units(unit, psu)
            per_psu = _units_per_group(ssu_psu, n_ssu, self.n_psu)
            correction = np.ones(self.n_psu)
            if ssu_fpc is not None:
                correction -= self._fractions(ssu_fpc, psu, per_psu, psu_labels, second_stage=True)
            stage = self._stage(
                unit=unit,
                n_units=n_ssu,
                group=ssu_psu,
                sampled=per_psu,
                correction=correction,
                group_labels=psu_labels,
                second_stage=True,
            )
            # Cochran (1977) eq. 10.8: the second stage enters weighted by the first-stage fraction.
            first_fraction = fraction if psu_stratum is None else fraction[psu_stratum]
            self._stages.append(
                _Stage(unit, n_ssu, ssu_psu, self.n_psu, stage.scale * first_fraction, stage.centre_at_zero)
            )

    def _stage(
        self,
        *,
        unit: IndexArray | None,
        n_units: int,
        group: IndexArray | None,
        sampled: IndexArray,
        correction: FloatArray,
        group_labels: np.ndarray,
        second_stage: bool,
    ) -> _Stage:
        """(1 − f_g) n_g/(n_g − 1) per group, with lonely units handled as ``lonely_psu`` says."""
        many = sampled > 1
        scale = np.where(many, correction * sampled / np.maximum(sampled - 1, 1), 0.0)
        lonely = ~many & (correction > _CERTAINTY)
        if lonely.any() and self.lonely_psu == "fail":
            where = label(group_labels[int(np.flatnonzero(lonely)[0])])
            if second_stage:
                message = _(
                    "Cluster %(cluster)s has only one second-stage unit, so its variance cannot be "
                    "estimated. Merge it with a similar cluster, or choose how lonely units are handled."
                ) % {"cluster": where}
            else:
                message = _(
                    "Stratum %(stratum)s has only one primary sampling unit, so its variance "
                    "cannot be estimated. Merge it with a similar stratum, or choose how "
                    "lonely PSUs are handled."
                ) % {"stratum": where}
            raise WeightingError(message, code="lonely_psu")
        adjust = lonely & (self.lonely_psu == "adjust")
        scale = np.where(adjust, correction, scale)
        scale[correction <= _CERTAINTY] = 0.0
        return _Stage(unit, n_units, group, len(sampled), scale, adjust)

    def _fractions(
        self,
        fpc: ArrayLike,
        group: IndexArray | None,
        sampled: IndexArray,
        group_labels: np.ndarray,
        *,
        second_stage: bool,
    ) -> FloatArray:
        """Sampling fraction per group from R-style fpc: ≤ 1 a fraction, else a population size."""
        values = as_vector(fpc, variable="ssu_fpc" if second_stage else "fpc", n=self.n)
        group = group if group is not None else np.zeros(self.n, dtype=np.intp)
        per_group = np.empty(len(sampled))
        per_group[group] = values
        differs = values != per_group[group]
        if differs.any():
            where = label(group_labels[group[int(np.flatnonzero(differs)[0])]])
            message = (
                _("The second-stage finite population correction differs within cluster %(cluster)s.")
                % {"cluster": where}
                if second_stage
                else _("The finite population correction differs within stratum %(stratum)s.")
                % {"stratum": where}
            )
            raise WeightingError(message, code="fpc_not_constant")
        if (per_group <= 0).any():
            raise WeightingError(_("The finite population correction must be positive."), code="fpc_invalid")
        if (per_group <= 1).all():
            return per_group
        too_small = per_group < sampled
        if too_small.any():
            g = int(np.flatnonzero(too_small)[0])
            params = {"sampled": int(sampled[g]), "population": f"{per_group[g]:g}"}
            message = (
                _(
                    "Cluster %(cluster)s has %(sampled)s sampled second-stage units but a population "
                    "of only %(population)s."
                )
                % {"cluster": label(group_labels[g]), **params}
                if second_stage
                else _(
                    "Stratum %(stratum)s has %(sampled)s sampled units but a population of only "
                    "%(population)s."
                )
                % {"stratum": label(group_labels[g]), **params}
            )
            raise WeightingError(message, code="fpc_too_small")
        return sampled / per_group

    def uncalibrated(self) -> Design:
        """The same design with the weights taken as fixed: the variance ignores the calibration."""
        plain = copy.copy(self)
        plain.calibration = None
        return plain

    def variance(self, influence: FloatArray) -> float:
        """Design variance of Σ w_k u_k for the linearised variable u (one value per respondent)."""
        if self.calibration is not None:
            influence = self.calibration.residuals(influence)
        scores = self.weights * influence
        return sum(stage.variance(scores) for stage in self._stages)


def _nested(
    values: ArrayLike, within: IndexArray | None, *, variable: str, n: int
) -> tuple[IndexArray, np.ndarray]:
    """Index of each respondent's unit (a label is read within its enclosing group), unit labels."""
    code, labels = factorize(values, variable=variable, n=n)
    if within is None:
        return code, labels
    unit, keys = factorize(within * len(labels) + code, variable=variable)
    return unit, labels[keys % len(labels)]


def _group_of_units(unit: IndexArray, group: IndexArray | None) -> IndexArray | None:
    if group is None:
        return None
    of_unit = np.empty(int(unit.max()) + 1, dtype=np.intp)
    of_unit[unit] = group
    return of_unit


def _units_per_group(group: IndexArray | None, n_units: int, n_groups: int) -> IndexArray:
    if group is None:
        return np.array([n_units], dtype=np.intp)
    return np.bincount(group, minlength=n_groups)
