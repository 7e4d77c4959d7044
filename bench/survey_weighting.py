"""Raking a million literacy-survey responses and estimating the literacy rate with its SE.

A synthetic science-literacy survey of Chongqing residents aged 18–69: 38 districts (the strata),
100 communities per district (the PSUs), respondents who over-represent the young, women and
towns, and an outcome that depends on age, residence, sex, district and community. The weights
are raked to four population margins (district 38 × sex 2 × age group 5 × urban/rural 2, computed
from a synthetic population table) and the weighted literacy rate is estimated with

- ``se_calibrated``: the linearised SE of the calibrated estimator (residuals of the outcome on
  the margin indicators), which is what the engine reports for a raked design;
- ``se_fixed_weights``: the SE that treats the raked weights as fixed design weights.

Timed (``seconds``, the median of three runs): raking + design + both estimates, from arrays in
memory. ``peak_mb``: tracemalloc's peak of memory allocated during one run of the same pipeline,
inputs excluded (numpy reports its buffers to tracemalloc). ``max_abs_diff``: the largest
difference, in persons, between the engine's weights and those of a plain loop IPF over the
aggregated cell table written independently below; the calibrated and fixed SEs are also
recomputed independently (sparse dummy regression, explicit PSU sums), see ``se_check_diff``.
``district_seconds`` (not in ``seconds``) times the 38 district literacy rates with their
calibration-aware SEs, each a domain estimate of the whole design. ``samplics_seconds`` times
samplics 0.6.1's ``SampleWeight.rake`` on the same data (``samplics_max_abs_diff``: its weights
against ours).

    .venv/bin/python bench/survey_weighting.py [--quick] [--rows N] [--no-samplics]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from _common import emit, setup_django

setup_django()

from kexie.surveys.stats import Estimate, domain_estimates, rake, weighted_proportion  # noqa: E402

N_DISTRICTS, N_SEXES, N_AGES, N_AREAS = 38, 2, 5, 2
COMMUNITIES = 100
TOL = 1e-12


@dataclass(frozen=True)
class Survey:
    district: np.ndarray
    sex: np.ndarray
    age: np.ndarray
    urban: np.ndarray
    community: np.ndarray
    base_weight: np.ndarray
    literate: np.ndarray
    targets: dict[str, np.ndarray]


def synthesise(rows: int, seed: int = 20250101) -> Survey:
    rng = np.random.default_rng(seed)
    # Population aged 18–69 per district (about 22 million in all), urban share per district.
    district_pop = rng.gamma(2.0, 1.0, N_DISTRICTS)
    district_pop = np.round(district_pop / district_pop.sum() * 22_000_000)
    urban_share = rng.uniform(0.35, 0.95, N_DISTRICTS)
    age_by_area = np.array([[0.20, 0.22, 0.22, 0.20, 0.16], [0.14, 0.17, 0.22, 0.25, 0.22]])
    sex_share = np.array([0.507, 0.493])
    joint = (
        district_pop[:, None, None, None]
        * sex_share[None, :, None, None]
        * age_by_area.T[None, None, :, :]
        * np.stack([1 - urban_share, urban_share], axis=1)[:, None, None, :]
    )
    joint = np.round(joint)
    targets = {
        "district": joint.sum(axis=(1, 2, 3)),
        "sex": joint.sum(axis=(0, 2, 3)),
        "age": joint.sum(axis=(0, 1, 3)),
        "urban": joint.sum(axis=(0, 1, 2)),
    }
    # Sample: districts get n ∝ √N_h; within a district respondents come from its communities,
    # with response propensities that over-represent towns, the young and women.
    allocation = np.sqrt(district_pop) / np.sqrt(district_pop).sum() * rows
    per_district = np.floor(allocation).astype(np.int64)
    per_district[: rows - per_district.sum()] += 1
    district = np.repeat(np.arange(N_DISTRICTS), per_district).astype(np.int16)
    community = rng.integers(0, COMMUNITIES, rows).astype(np.int16)
    cell_prob = joint / joint.sum(axis=(1, 2, 3), keepdims=True)
    propensity = (
        np.array([0.9, 1.1])[None, :, None, None]
        * np.array([1.4, 1.2, 1.0, 0.8, 0.6])[None, None, :, None]
        * np.array([0.7, 1.3])[None, None, None, :]
    )
    cell_prob = cell_prob * propensity
    cell_prob /= cell_prob.sum(axis=(1, 2, 3), keepdims=True)
    flat = cell_prob.reshape(N_DISTRICTS, -1).cumsum(axis=1)
    draws = rng.random(rows)
    cell = np.empty(rows, dtype=np.int64)
    start = 0
    for h, count in enumerate(per_district):
        cell[start : start + count] = np.searchsorted(flat[h], draws[start : start + count] * flat[h, -1])
        start += count
    sex, age, urban = np.unravel_index(cell, (N_SEXES, N_AGES, N_AREAS))
    base_weight = (district_pop / per_district)[district]
    # Literacy: about 15 %, higher for the young, townspeople and men; district and community effects.
    district_effect = rng.normal(0, 0.3, N_DISTRICTS)
    community_effect = rng.normal(0, 0.3, (N_DISTRICTS, COMMUNITIES))
    logit = (
        -1.9
        + np.array([0.15, -0.15])[sex]
        + np.array([1.0, 0.5, 0.0, -0.7, -1.5])[age]
        + np.array([-0.9, 0.5])[urban]
        + district_effect[district]
        + community_effect[district, community]
    )
    literate = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.float64)
    return Survey(
        district=district,
        sex=sex.astype(np.int8),
        age=age.astype(np.int8),
        urban=urban.astype(np.int8),
        community=community,
        base_weight=base_weight,
        literate=literate,
        targets=targets,
    )


def margins_of(s: Survey) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {
        "district": (s.district, s.targets["district"]),
        "sex": (s.sex, s.targets["sex"]),
        "age": (s.age, s.targets["age"]),
        "urban": (s.urban, s.targets["urban"]),
    }


def pipeline(s: Survey) -> tuple[np.ndarray, Estimate, Estimate, int]:
    raked = rake(s.base_weight, margins_of(s), tol=TOL)
    design = raked.design(strata=s.district, clusters=s.community)
    calibrated = weighted_proportion(design, s.literate)
    fixed = weighted_proportion(design.uncalibrated(), s.literate)
    return raked.weights, calibrated, fixed, raked.iterations


def loop_ipf(s: Survey) -> np.ndarray:
    """Independent check: textbook IPF with Python loops over the aggregated cell table."""
    cells: dict[tuple[int, int, int, int], float] = {}
    keys = zip(s.district.tolist(), s.sex.tolist(), s.age.tolist(), s.urban.tolist(), strict=True)
    for key, w in zip(keys, s.base_weight.tolist(), strict=True):
        cells[key] = cells.get(key, 0.0) + w
    fitted = dict(cells)
    names = ["district", "sex", "age", "urban"]
    for _sweep in range(1000):
        for position, name in enumerate(names):
            sums: dict[int, float] = {}
            for key, w in fitted.items():
                sums[key[position]] = sums.get(key[position], 0.0) + w
            for key in fitted:
                fitted[key] *= s.targets[name][key[position]] / sums[key[position]]
        worst = 0.0
        for position, name in enumerate(names):
            sums = {}
            for key, w in fitted.items():
                sums[key[position]] = sums.get(key[position], 0.0) + w
            worst = max(worst, *(abs(sums[k] / s.targets[name][k] - 1) for k in sums))
        if worst < TOL:
            break
    factor = {key: fitted[key] / cells[key] for key in cells}
    keys = zip(s.district.tolist(), s.sex.tolist(), s.age.tolist(), s.urban.tolist(), strict=True)
    return s.base_weight * np.fromiter((factor[key] for key in keys), float, s.base_weight.size)


def independent_ses(s: Survey, weights: np.ndarray) -> tuple[float, float]:
    """Independent check of both SEs: a sparse dummy-matrix regression and explicit PSU sums."""
    n = weights.size
    rate = float(weights @ s.literate / weights.sum())
    u = (s.literate - rate) / weights.sum()
    columns = [s.district, N_DISTRICTS + s.sex, N_DISTRICTS + 2 + s.age, N_DISTRICTS + 7 + s.urban]
    x = sp.csr_matrix(
        (np.ones(4 * n), (np.repeat(np.arange(n), 4), np.column_stack(columns).ravel())), shape=(n, 47)
    )
    d = s.base_weight
    gram = (x.T @ x.multiply(d[:, None])).toarray()
    beta = np.linalg.lstsq(gram, x.T @ (d * u), rcond=None)[0]
    residual = u - x @ beta

    def se(values: np.ndarray) -> float:
        psu = s.district.astype(np.int64) * COMMUNITIES + s.community
        totals = (
            sp.csr_matrix(
                (weights * values, (psu, np.zeros(n, dtype=np.int64))), shape=(N_DISTRICTS * COMMUNITIES, 1)
            )
            .toarray()
            .ravel()
            .reshape(N_DISTRICTS, COMMUNITIES)
        )
        variance = 0.0
        for h in range(N_DISTRICTS):
            t = totals[h]
            variance += COMMUNITIES / (COMMUNITIES - 1) * float(((t - t.mean()) ** 2).sum())
        return variance**0.5

    return se(residual), se(u)


def samplics_rake(s: Survey) -> tuple[np.ndarray, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.weighting import SampleWeight
    margins = {name: codes for name, (codes, _targets) in margins_of(s).items()}
    control = {name: dict(enumerate(t.tolist())) for name, (_codes, t) in margins_of(s).items()}
    start = time.perf_counter()
    weights = SampleWeight().rake(
        samp_weight=s.base_weight, control=control, margins=margins, tol=TOL, ctrl_tol=TOL, max_iter=200
    )
    return np.asarray(weights, dtype=float), time.perf_counter() - start


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 000 rows instead of 1 000 000")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--no-samplics", action="store_true")
    args = parser.parse_args(argv)
    rows = args.rows or (200_000 if args.quick else 1_000_000)
    survey = synthesise(rows)

    timings = []
    for _run in range(3):
        start = time.perf_counter()
        weights, calibrated, fixed, sweeps = pipeline(survey)
        timings.append(time.perf_counter() - start)
    tracemalloc.start()
    pipeline(survey)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Not in the target: the 38 district rates (domain estimates of the calibrated design).
    design = rake(survey.base_weight, margins_of(survey), tol=TOL).design(
        strata=survey.district, clusters=survey.community
    )
    start = time.perf_counter()
    districts = domain_estimates(design, survey.literate, survey.district, statistic="proportion")
    district_seconds = time.perf_counter() - start

    reference = loop_ipf(survey)
    se_cal_check, se_fixed_check = independent_ses(survey, reference)
    samplics_seconds = samplics_diff = None
    if not args.no_samplics:
        samplics_weights, samplics_seconds = samplics_rake(survey)
        samplics_diff = float(np.max(np.abs(samplics_weights - weights)))

    print(f"rows={rows} raking sweeps={sweeps} runs={[round(t, 4) for t in timings]}")
    print(
        f"literacy rate {calibrated.value:.6f}; SE calibrated {calibrated.se:.6f} (independent "
        f"{se_cal_check:.6f}); SE fixed weights {fixed.se:.6f} (independent {se_fixed_check:.6f}); "
        f"deff {calibrated.deff:.3f}"
    )
    emit(
        {
            "rows": rows,
            "seconds": round(statistics.median(timings), 4),
            "peak_mb": round(peak / 2**20, 1),
            "peak_mb_method": "tracemalloc peak during one pipeline run, inputs excluded",
            "max_abs_diff": float(np.max(np.abs(weights - reference))),
            "samplics_seconds": None if samplics_seconds is None else round(samplics_seconds, 3),
            "samplics_max_abs_diff": samplics_diff,
            "rate": round(calibrated.value, 6),
            "se_fixed_weights": round(fixed.se, 6),
            "se_calibrated": round(calibrated.se, 6),
            "se_check_diff": max(abs(calibrated.se - se_cal_check), abs(fixed.se - se_fixed_check)),
            "deff": round(calibrated.deff, 3) if calibrated.deff is not None else None,
            "raking_sweeps": sweeps,
            "district_seconds": round(district_seconds, 3),
            "district_se_range": [
                round(min(e.se for e in districts.values()), 5),
                round(max(e.se for e in districts.values()), 5),
            ],
        }
    )


if __name__ == "__main__":
    main(sys.argv[1:])
