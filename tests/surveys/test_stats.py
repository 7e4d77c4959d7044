"""The survey statistics engine: closed forms, hand computations, independent implementations."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie.surveys.stats import (
    Design,
    Margin,
    WeightingError,
    achieved_margin_of_error,
    allocate,
    domain_estimates,
    kish_deff,
    rake,
    required_sample_size,
    required_sample_sizes,
    trim_weights,
    weighted_mean,
    weighted_proportion,
    weighted_ratio,
    weighted_total,
)

REPO = Path(__file__).resolve().parents[2]
Z95 = 1.959963984540054


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- a small stratified cluster sample, also run through R's survey 4.1.1 ----------------------
# Two strata of four PSUs with three respondents each, unequal base weights, raked to sex and age.
# R: svydesign(id=~psu, strata=~st, weights=~w, nest=TRUE) then
#    calibrate(des, ~sex+age, c(1000, sex1=480, age1=350, age2=300), calfun="raking").
ST = [1] * 12 + [2] * 12
PSU = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]
SEX = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0])
AGE = np.array([2, 0, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 1, 0, 2, 0, 2, 1, 0, 0])
W = np.array(
    [6.2, 23.0, 21.3, 37.1, 27.0, 23.0, 22.4, 13.7, 5.4, 11.7, 29.2, 12.0]
    + [17.9, 5.1, 34.1, 10.4, 14.4, 35.8, 22.8, 34.7, 27.4, 31.0, 8.2, 23.9]
)
Y = np.array(
    [17.24, 11.72, 21.0, 16.52, 12.6, 15.15, 16.15, 11.62, 13.37, 13.87, 15.33, 19.88]
    + [15.65, 12.41, 11.07, 17.25, 9.63, 11.84, 13.61, 11.8, 19.29, 9.35, 8.41, 11.29]
)
B = np.array([0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0])
SEX_TARGETS = {0: 520.0, 1: 480.0}
AGE_TARGETS = {0: 350.0, 1: 350.0, 2: 300.0}


def small_raked():
    return rake(W, {"sex": (SEX, SEX_TARGETS), "age": (AGE, AGE_TARGETS)}, tol=1e-14)


# --- design-based variance: closed forms ---------------------------------------------------------


def test_weighted_mean_srs_se_equals_s_over_sqrt_n_times_fpc():
    y = np.array([3.0, 7.0, 8.0, 1.0, 4.0, 9.0, 2.0, 6.0])
    n, population = y.size, 200
    design = Design(np.full(n, population / n), fpc=np.full(n, population))

    estimate = weighted_mean(design, y)

    assert estimate.value == pytest.approx(y.mean(), rel=1e-14)
    expected = y.std(ddof=1) / math.sqrt(n) * math.sqrt(1 - n / population)
    assert estimate.se == pytest.approx(expected, rel=1e-12)
    assert estimate.ci_low == pytest.approx(y.mean() - Z95 * expected, rel=1e-12)
    assert estimate.deff == pytest.approx(1.0, rel=1e-12)
    assert estimate.n == n


def test_weighted_total_srs_se_equals_population_times_mean_se():
    y = np.array([3.0, 7.0, 8.0, 1.0, 4.0, 9.0, 2.0, 6.0])
    n, population = y.size, 200
    design = Design(np.full(n, population / n), fpc=np.full(n, population))

    estimate = weighted_total(design, y)

    assert estimate.value == pytest.approx(population * y.mean(), rel=1e-14)
    expected = population * y.std(ddof=1) / math.sqrt(n) * math.sqrt(1 - n / population)
    assert estimate.se == pytest.approx(expected, rel=1e-12)


def test_design_fpc_as_fraction_equals_fpc_as_population():
    y = np.array([3.0, 7.0, 8.0, 1.0, 4.0, 9.0, 2.0, 6.0])
    by_size = Design(np.full(8, 25.0), fpc=np.full(8, 200))
    by_fraction = Design(np.full(8, 25.0), fpc=np.full(8, 8 / 200))

    assert weighted_mean(by_fraction, y).se == pytest.approx(weighted_mean(by_size, y).se, rel=1e-14)


def test_weighted_mean_stratified_se_closed_form():
    strata = np.array(["a"] * 4 + ["b"] * 6)
    y = np.array([1.0, 3.0, 2.0, 6.0, 10.0, 12.0, 9.0, 14.0, 11.0, 8.0])
    population = {"a": 40, "b": 300}
    counts = {"a": 4, "b": 6}
    weights = np.array([population[h] / counts[h] for h in strata])
    fpc = np.array([population[h] for h in strata], dtype=float)

    estimate = weighted_mean(Design(weights, strata=strata, fpc=fpc), y)

    total = sum(population.values())
    # Cochran (1977) eq. 5.6: V(ȳ_st) = Σ W_h² (1 − f_h) s_h² / n_h.
    variance = sum(
        (population[h] / total) ** 2
        * (1 - counts[h] / population[h])
        * y[strata == h].var(ddof=1)
        / counts[h]
        for h in population
    )
    mean = sum(population[h] / total * y[strata == h].mean() for h in population)
    assert estimate.value == pytest.approx(mean, rel=1e-14)
    assert estimate.se == pytest.approx(math.sqrt(variance), rel=1e-12)


def test_weighted_total_clustered_se_by_hand():
    # Three PSUs drawn with replacement, weight 10: PSU totals of w·y are 10·(1+2+3)=60,
    # 10·(4+5)=90 and 10·(9)=90; their mean is 80, squared deviations 400+100+100=600, and
    # V = n/(n−1)·600 = 3/2·600 = 900, so SE = 30.
    design = Design(np.full(6, 10.0), clusters=["p", "p", "p", "q", "q", "r"])

    estimate = weighted_total(design, [1.0, 2.0, 3.0, 4.0, 5.0, 9.0])

    assert estimate.value == pytest.approx(240.0, rel=1e-15)
    assert estimate.se == pytest.approx(30.0, rel=1e-14)


def test_weighted_mean_clustered_se_by_hand():
    # Same sample: ȳ = 240/60 = 4; u = (y − 4)/60 per respondent; PSU totals of w·u:
    # 10·(−3−2−1)/60 = −1, 10·(0+1)/60 = 1/6, 10·5/60 = 5/6; mean 0; V = 3/2·(1 + 1/36 + 25/36).
    design = Design(np.full(6, 10.0), clusters=["p", "p", "p", "q", "q", "r"])

    estimate = weighted_mean(design, [1.0, 2.0, 3.0, 4.0, 5.0, 9.0])

    assert estimate.value == pytest.approx(4.0, rel=1e-15)
    assert estimate.se == pytest.approx(math.sqrt(1.5 * (1 + 1 / 36 + 25 / 36)), rel=1e-14)


def test_design_clusters_are_nested_within_strata():
    # Cluster label 1 in two strata is two PSUs (R's nest=TRUE).
    nested = Design(np.ones(8), strata=[1, 1, 1, 1, 2, 2, 2, 2], clusters=[1, 1, 2, 2, 1, 1, 2, 2])
    relabelled = Design(np.ones(8), strata=[1, 1, 1, 1, 2, 2, 2, 2], clusters=[1, 1, 2, 2, 3, 3, 4, 4])
    y = np.array([1.0, 2.0, 5.0, 3.0, 8.0, 6.0, 7.0, 9.0])

    assert nested.n_psu == 4
    assert nested.degrees_of_freedom == 2
    assert weighted_mean(nested, y).se == weighted_mean(relabelled, y).se


def test_design_lonely_psu_fails_naming_the_stratum():
    with pytest.raises(WeightingError) as caught:
        Design(np.ones(5), strata=["north", "north", "north", "south", "south"], clusters=[1, 2, 3, 4, 4])

    assert caught.value.code == "lonely_psu"
    assert str(caught.value).startswith("Stratum south has only one primary sampling unit")


def test_design_lonely_psu_adjust_centres_at_zero_and_remove_drops_it():
    strata = ["a", "a", "a", "b"]
    y = np.array([1.0, 2.0, 4.0, 5.0])
    adjust = Design(np.full(4, 2.0), strata=strata, lonely_psu="adjust")
    remove = Design(np.full(4, 2.0), strata=strata, lonely_psu="remove")

    # Totals: stratum a scores 2, 4, 8 (mean 14/3); the lonely stratum b scores 10.
    within_a = 3 / 2 * sum((t - 14 / 3) ** 2 for t in (2.0, 4.0, 8.0))
    assert weighted_total(remove, y).se == pytest.approx(math.sqrt(within_a), rel=1e-14)
    assert weighted_total(adjust, y).se == pytest.approx(math.sqrt(within_a + 10.0**2), rel=1e-14)


def test_design_census_stratum_contributes_no_variance():
    # Stratum b is taken whole (one PSU of one): no variance, and no lonely-PSU error.
    design = Design(np.ones(4), strata=["a", "a", "a", "b"], fpc=[10, 10, 10, 1])
    y = np.array([1.0, 2.0, 4.0, 5.0])

    within_a = (1 - 3 / 10) * 3 / 2 * sum((t - 7 / 3) ** 2 for t in y[:3])
    assert weighted_total(design, y).se == pytest.approx(math.sqrt(within_a), rel=1e-14)


def test_weighted_total_two_stage_se_equals_cochran_10_8():
    # 2 of N = 10 PSUs; in PSU a 3 of M = 8 SSUs, in PSU b 2 of M = 5; one respondent per SSU.
    psu = np.array(["a", "a", "a", "b", "b"])
    ssu = np.array([1, 2, 3, 1, 2])
    y = np.array([4.0, 6.0, 11.0, 3.0, 8.0])
    big_m = {"a": 8, "b": 5}
    small_m = {"a": 3, "b": 2}
    n_psu, big_n = 2, 10
    weights = np.array([big_n / n_psu * big_m[p] / small_m[p] for p in psu])
    design = Design(weights, clusters=psu, fpc=np.full(5, big_n), ssu=ssu, ssu_fpc=[big_m[p] for p in psu])

    estimate = weighted_total(design, y)

    # Cochran (1977) eq. 10.8: V(Ŷ) = N²(1 − f1) s1²/n + (N/n) Σ M_i² (1 − f2i) s2i²/m_i,
    # with s1² the variance of the estimated PSU totals Ŷ_i = M_i ȳ_i.
    psu_totals = np.array([big_m[p] * y[psu == p].mean() for p in ("a", "b")])
    first = big_n**2 * (1 - n_psu / big_n) * psu_totals.var(ddof=1) / n_psu
    second = (
        big_n
        / n_psu
        * sum(
            big_m[p] ** 2 * (1 - small_m[p] / big_m[p]) * y[psu == p].var(ddof=1) / small_m[p]
            for p in ("a", "b")
        )
    )
    assert estimate.value == pytest.approx(big_n / n_psu * psu_totals.sum(), rel=1e-14)
    assert estimate.se == pytest.approx(math.sqrt(first + second), rel=1e-13)


def test_design_second_stage_is_ignored_without_first_stage_fpc():
    psu = ["a", "a", "a", "b", "b"]
    y = [4.0, 6.0, 11.0, 3.0, 8.0]

    with_ssu = Design(np.ones(5), clusters=psu, ssu=[1, 2, 3, 1, 2], ssu_fpc=[8, 8, 8, 5, 5])

    assert weighted_total(with_ssu, y).se == weighted_total(Design(np.ones(5), clusters=psu), y).se


# --- domains, ratios, proportions, deff ----------------------------------------------------------


def test_domain_mean_equals_ratio_estimator_over_full_design():
    design = Design(W, strata=ST, clusters=PSU)
    inside = SEX == 1

    domain = weighted_mean(design, Y, domain=inside)
    ratio = weighted_ratio(design, Y * inside, inside.astype(float))

    assert domain.value == pytest.approx(ratio.value, rel=1e-14)
    assert domain.se == pytest.approx(ratio.se, rel=1e-12)
    assert domain.n == int(inside.sum())


def test_domain_estimates_match_one_domain_at_a_time():
    design = small_raked().design(strata=ST, clusters=PSU)

    by_age = domain_estimates(design, Y, AGE, statistic="mean")

    assert set(by_age) == {0, 1, 2}
    for group, estimate in by_age.items():
        in_group = group == AGE
        assert estimate == weighted_mean(design, Y, domain=in_group)


def test_skip_missing_is_a_domain_of_the_answered():
    y = Y.copy()
    y[[2, 9, 17]] = np.nan
    design = Design(W, strata=ST, clusters=PSU)

    skipped = weighted_mean(design, y, skip_missing=True)
    domain = weighted_mean(design, np.nan_to_num(y), domain=~np.isnan(y))

    assert skipped == domain


def test_weighted_proportion_logit_interval_stays_inside_zero_one():
    y = np.zeros(200)
    y[:3] = 1
    design = Design(np.ones(200))

    wald = weighted_proportion(design, y)
    logit = weighted_proportion(design, y, interval="logit")

    assert wald.ci_low < 0
    assert 0 < logit.ci_low < logit.value < logit.ci_high < 1
    assert logit.se == wald.se


def test_weighted_proportion_logit_interval_when_nobody_or_everybody_has_it():
    # Unweighted, the bound is the exact Clopper–Pearson one: 1 − 0.025^(1/10) for 0 of 10.
    none = weighted_proportion(Design(np.ones(10)), np.zeros(10), interval="logit")
    assert (none.value, none.se, none.ci_low) == (0.0, 0.0, 0.0)
    assert none.ci_high == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-12)
    everyone = weighted_proportion(Design(np.ones(10)), np.ones(10), interval="logit")
    assert (everyone.ci_low, everyone.ci_high) == pytest.approx((0.025 ** (1 / 10), 1.0), abs=1e-12)
    # Weighted: at the Kish effective size (Σw)²/Σw² = 36/12 = 3.
    weights = np.array([3.0, 1.0, 1.0, 1.0])
    weighted = weighted_proportion(Design(weights), np.zeros(4), interval="logit")
    n_eff = weights.sum() ** 2 / (weights**2).sum()
    assert weighted.ci_high == pytest.approx(1 - 0.025 ** (1 / n_eff), abs=1e-12)


def test_weighted_proportion_rejects_answers_other_than_zero_or_one():
    with pytest.raises(WeightingError) as caught:
        weighted_proportion(Design(np.ones(3)), [0, 1, 2])

    assert str(caught.value) == "A proportion needs answers coded 0 or 1, but respondent 3 has 2."


def test_deff_with_replacement_drops_the_population_correction():
    design = Design(np.full(10, 100.0))
    y = np.arange(10.0)

    without = weighted_mean(design, y)
    with_replacement = weighted_mean(design, y, deff_with_replacement=True)

    # n = 10 of N̂ = 1000: the SRS variance differs by (1 − 10/1000); the design variance
    # (no fpc given) is s²/n, so deff = 1/(1 − 0.01) and 1.
    assert without.deff == pytest.approx(1 / 0.99, rel=1e-13)
    assert with_replacement.deff == pytest.approx(1.0, rel=1e-13)


def test_kish_deff_is_one_plus_squared_cv_of_weights():
    assert kish_deff([1.0, 1.0, 2.0, 2.0]) == pytest.approx(4 * 10 / 36, rel=1e-15)


# --- raking --------------------------------------------------------------------------------------


def test_rake_two_by_two_converges_to_known_ipf_solution():
    # Seed table [[1, 2], [3, 4]] raked to rows (50, 50) and columns (50, 50). IPF keeps the
    # cross-product ratio x11·x22/(x12·x21) = 4/6, so x11 = x22 = a, x12 = x21 = 50 − a with
    # a/(50 − a) = √(2/3).
    rows = np.array([0, 0, 1, 1])
    columns = np.array([0, 1, 0, 1])

    result = rake([1.0, 2.0, 3.0, 4.0], {"row": (rows, [50, 50]), "column": (columns, [50, 50])}, tol=1e-14)

    a = 50 * math.sqrt(2 / 3) / (1 + math.sqrt(2 / 3))
    np.testing.assert_allclose(result.weights, [a, 50 - a, 50 - a, a], rtol=1e-12)
    assert result.converged
    assert result.history[0] > result.history[-1]
    assert result.max_margin_error == result.history[-1] <= 1e-14
    assert result.iterations == len(result.history) - 1


def test_rake_reproduces_every_margin_to_1e_9():
    rng = np.random.default_rng(3)
    n = 2000
    region = rng.choice(["east", "west", "north"], n)
    sex = rng.choice(["F", "M"], n)
    age = rng.integers(18, 70, n) // 10
    base = rng.uniform(0.5, 3, n)
    targets = {
        "region": {"east": 5000.0, "west": 3000.0, "north": 2000.0},
        "sex": {"F": 5100.0, "M": 4900.0},
        "age": {1: 1500.0, 2: 2000.0, 3: 2200.0, 4: 2100.0, 5: 1500.0, 6: 700.0},
    }

    result = rake(
        base,
        {"region": (region, targets["region"]), "sex": (sex, targets["sex"]), "age": (age, targets["age"])},
    )

    for name, codes in {"region": region, "sex": sex, "age": age}.items():
        for category, target in targets[name].items():
            assert abs(result.weights[codes == category].sum() - target) <= 1e-9 * target


def slow_unit_ipf(base, margins, sweeps=500):
    """Textbook IPF, one respondent at a time."""
    weights = list(base)
    for _ in range(sweeps):
        for codes, targets in margins:
            sums = {}
            for code, w in zip(codes, weights, strict=True):
                sums[code] = sums.get(code, 0.0) + w
            weights = [w * targets[code] / sums[code] for code, w in zip(codes, weights, strict=True)]
    return np.array(weights)


def test_rake_matches_slow_unit_level_ipf():
    rng = np.random.default_rng(11)
    n = 300
    district = rng.integers(0, 6, n).tolist()
    urban = rng.integers(0, 2, n).tolist()
    base = rng.uniform(1, 5, n)
    district_targets = dict(enumerate([120.0, 300.0, 80.0, 210.0, 150.0, 140.0]))
    urban_targets = {0: 380.0, 1: 620.0}

    result = rake(
        base, {"district": (district, district_targets), "urban": (urban, urban_targets)}, tol=1e-14
    )

    expected = slow_unit_ipf(base, [(district, district_targets), (urban, urban_targets)])
    np.testing.assert_allclose(result.weights, expected, rtol=1e-11)


def test_rake_array_targets_equal_mapping_targets():
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 4, 500)
    other = rng.integers(0, 3, 500)
    by_index = rake(
        np.ones(500), {"a": Margin(codes, [10, 20, 30, 40]), "b": (other, np.array([50, 30, 20]))}
    )
    by_label = rake(
        np.ones(500), {"a": (codes, {0: 10, 1: 20, 2: 30, 3: 40}), "b": (other, {0: 50, 1: 30, 2: 20})}
    )

    np.testing.assert_array_equal(by_index.weights, by_label.weights)


def test_rake_without_convergence_reports_it():
    rng = np.random.default_rng(2)
    rows, columns = rng.integers(0, 3, 400), rng.integers(0, 3, 400)

    result = rake(np.ones(400), {"r": (rows, [10, 20, 70]), "c": (columns, [60, 30, 10])}, max_iter=1)

    assert not result.converged
    assert result.iterations == 1
    assert len(result.history) == 2
    assert result.max_margin_error > 1e-10


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(2, 4),
    columns=st.integers(2, 5),
    seed=st.integers(0, 10_000),
)
def test_rake_meets_margins_of_any_consistent_table(rows, columns, seed):
    rng = np.random.default_rng(seed)
    # Every cell is sampled at least once, so a raking solution exists.
    r = np.concatenate([np.repeat(np.arange(rows), columns), rng.integers(0, rows, 50)])
    c = np.concatenate([np.tile(np.arange(columns), rows), rng.integers(0, columns, 50)])
    population = rng.uniform(1, 100, (rows, columns))
    base = rng.uniform(0.1, 10, r.size)

    result = rake(base, {"r": (r, population.sum(axis=1)), "c": (c, population.sum(axis=0))})

    assert result.converged
    assert (result.weights > 0).all()
    np.testing.assert_allclose(np.bincount(r, result.weights), population.sum(axis=1), rtol=1e-9)
    np.testing.assert_allclose(np.bincount(c, result.weights), population.sum(axis=0), rtol=1e-9)


# --- trimming ------------------------------------------------------------------------------------


def trimming_sample():
    rng = np.random.default_rng(8)
    n = 400
    district = rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])
    sex = rng.integers(0, 2, n)
    base = rng.lognormal(0, 0.6, n)
    return base, district, sex, {"district": (district, [250.0] * 4), "sex": (sex, [480.0, 520.0])}


def test_trim_weights_respects_bounds_and_still_meets_margins():
    base, district, sex, margins = trimming_sample()
    untrimmed = rake(base, margins)
    lower, upper = 1.0, 10.0
    assert untrimmed.weights.min() < lower
    assert untrimmed.weights.max() > upper

    result = trim_weights(base, margins, lower=lower, upper=upper)

    assert result.converged
    assert result.trimmed > 0
    assert result.weights.min() >= lower * (1 - 1e-12)
    assert result.weights.max() <= upper * (1 + 1e-12)
    np.testing.assert_allclose(np.bincount(district, result.weights), [250.0] * 4, rtol=1e-9)
    np.testing.assert_allclose(np.bincount(sex, result.weights), [480.0, 520.0], rtol=1e-9)


def test_trim_weights_within_bounds_equals_rake():
    base, _district, _sex, margins = trimming_sample()

    result = trim_weights(base, margins, lower=0.01, upper=1000.0)

    np.testing.assert_array_equal(result.weights, rake(base, margins).weights)
    assert result.trimmed == 0
    assert result.rounds == 0


def test_trim_weights_infeasible_bounds_name_the_category():
    # District 3 has 28 respondents for a target of 250: no weight of at most 5 can reach it.
    base, _district, _sex, margins = trimming_sample()

    with pytest.raises(WeightingError) as caught:
        trim_weights(base, margins, upper=5.0)

    assert caught.value.code == "bounds_infeasible"
    assert (caught.value.margin, caught.value.category) == ("district", "3")
    assert str(caught.value).endswith("Widen the bounds.")


# --- calibration-aware standard errors -----------------------------------------------------------


def test_calibrated_estimates_match_r_survey_calibrate():
    # Figures printed by R 4.5 / survey 4.1.1 (options(digits=12)) for the design above.
    design = small_raked().design(strata=ST, clusters=PSU)

    mean = weighted_mean(design, Y)
    total = weighted_total(design, Y)
    share = weighted_proportion(design, B)
    by_sex = domain_estimates(design, Y, SEX)

    assert mean.value == pytest.approx(13.520616061710, rel=1e-11)
    assert mean.se == pytest.approx(0.326001348655, rel=1e-10)
    assert mean.deff == pytest.approx(0.257474916283, rel=1e-10)
    assert total.se == pytest.approx(326.001348655, rel=1e-10)
    assert share.se == pytest.approx(0.0931251621495, rel=1e-10)
    assert by_sex[0].se == pytest.approx(0.459936345036, rel=1e-10)
    assert by_sex[1].se == pytest.approx(0.761797946817, rel=1e-10)
    # svymean(~y, des) before calibration:
    assert weighted_mean(design.uncalibrated(), Y).se != mean.se
    assert weighted_mean(Design(W, strata=ST, clusters=PSU), Y).se == pytest.approx(0.556918278388, rel=1e-10)


def test_calibrated_se_matches_independent_dense_regression():
    raked = small_raked()
    design = raked.design(strata=ST, clusters=PSU)
    weights = raked.weights
    mean = float(weights @ Y / weights.sum())
    u = (Y - mean) / weights.sum()
    # Särndal et al. (1992) eq. 6.6.9: residuals of u on the margin dummies, regression weighted by
    # the base weights, then scaled by the calibrated weights.
    x = np.column_stack([SEX == 0, SEX == 1, AGE == 1, AGE == 2]).astype(float)
    root = np.sqrt(W)
    beta = np.linalg.lstsq(x * root[:, None], u * root, rcond=None)[0]
    scores = weights * (u - x @ beta)
    variance = 0.0
    for stratum in (1, 2):
        psus = sorted({p for p, s in zip(PSU, ST, strict=True) if s == stratum})
        totals = np.array([scores[np.array(PSU) == p].sum() for p in psus])
        variance += len(psus) / (len(psus) - 1) * ((totals - totals.mean()) ** 2).sum()

    assert weighted_mean(design, Y).se == pytest.approx(math.sqrt(variance), rel=1e-10)


def dense_calibrated_variance(*, weights, base, codes, strata, clusters, u):
    """Särndal et al. (1992) eq. 6.6.9 the long way: dense dummies, lstsq, loops over PSUs."""
    x = np.column_stack([c == k for c in codes for k in np.unique(c)]).astype(float)
    root = np.sqrt(base)
    beta = np.linalg.lstsq(x * root[:, None], u * root, rcond=None)[0]
    scores = weights * (u - x @ beta)
    variance = 0.0
    for h in np.unique(strata):
        psus = np.unique(clusters[strata == h])
        totals = np.array([scores[(strata == h) & (clusters == p)].sum() for p in psus])
        variance += len(psus) / (len(psus) - 1) * ((totals - totals.mean()) ** 2).sum()
    return variance


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n_strata=st.integers(1, 3),
    sizes=st.tuples(st.integers(2, 4), st.integers(2, 3)),
)
def test_calibrated_se_agrees_with_dense_regression_on_random_designs(seed, n_strata, sizes):
    rng = np.random.default_rng(seed)
    n = 60
    # Every stratum has PSUs 0 and 1 at least; every margin category has respondents.
    strata = np.concatenate([np.repeat(np.arange(n_strata), 2), rng.integers(0, n_strata, n - 2 * n_strata)])
    clusters = np.concatenate([np.tile([0, 1], n_strata), rng.integers(0, 4, n - 2 * n_strata)])
    codes = [np.concatenate([np.arange(k), rng.integers(0, k, n - k)]) for k in sizes]
    targets = [rng.uniform(20, 80, k) for k in sizes]
    targets[1] *= targets[0].sum() / targets[1].sum()
    base = rng.uniform(0.5, 4, n)
    y = rng.normal(10, 3, n) + codes[0]
    raked = rake(base, {"a": (codes[0], targets[0]), "b": (codes[1], targets[1])}, tol=1e-13, max_iter=5000)
    assert raked.converged

    estimate = weighted_mean(raked.design(strata=strata, clusters=clusters), y)

    u = (y - estimate.value) / raked.weights.sum()
    expected = dense_calibrated_variance(
        weights=raked.weights, base=base, codes=codes, strata=strata, clusters=clusters, u=u
    )
    assert estimate.se == pytest.approx(math.sqrt(expected), rel=1e-8)


def test_calibrated_total_of_a_margin_category_is_exact():
    design = small_raked().design(strata=ST, clusters=PSU)

    estimate = weighted_total(design, (AGE == 2).astype(float))

    assert estimate.value == pytest.approx(AGE_TARGETS[2], rel=1e-12)
    assert estimate.se == pytest.approx(0.0, abs=1e-9)
    assert weighted_total(design.uncalibrated(), (AGE == 2).astype(float)).se > 10


def test_calibrated_se_below_fixed_weight_se_when_margins_explain_outcome():
    rng = np.random.default_rng(21)
    n = 3000
    district = rng.integers(0, 8, n)
    age = rng.integers(0, 5, n)
    y = 2.0 * district + 3.0 * age + rng.normal(0, 0.5, n)
    design = rake(
        rng.uniform(1, 3, n),
        {"district": (district, np.full(8, 1000.0)), "age": (age, np.full(5, 1600.0))},
    ).design()

    calibrated = weighted_mean(design, y)
    fixed = weighted_mean(design.uncalibrated(), y)

    assert calibrated.value == fixed.value
    assert calibrated.se < 0.25 * fixed.se


# --- input errors that reach staff ---------------------------------------------------------------


def test_rake_margins_with_different_totals_are_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(4), {"district": ([0, 0, 1, 1], [60, 40]), "sex": ([0, 1, 0, 1], [60, 50])})

    assert caught.value.code == "margin_totals_differ"
    assert caught.value.margin == "sex"
    assert str(caught.value) == (
        "The targets of margin sex add up to 110, but those of margin district add up to 100. "
        "All margins must describe the same population."
    )


def test_rake_sample_category_missing_from_margin_is_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(3), {"district": (["渝中区", "江北区", "北碚区"], {"渝中区": 10, "江北区": 20})})

    assert caught.value.code == "category_without_target"
    assert (caught.value.margin, caught.value.category) == ("district", "北碚区")
    assert str(caught.value) == (
        "Category 北碚区 of margin district occurs among the respondents but has no population target."
    )


def test_rake_code_outside_array_targets_is_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(3), {"age": (np.array([0, 1, 5]), [10, 20])})

    assert (caught.value.code, caught.value.category) == ("category_without_target", "5")


def test_rake_margin_category_without_respondents_is_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(2), {"age": (["18-29", "30-39"], {"18-29": 10, "30-39": 20, "40-49": 5})})

    assert (caught.value.code, caught.value.category) == ("category_without_respondents", "40-49")
    assert str(caught.value).startswith(
        "Category 40-49 of margin age has a population target of 5 but no respondents"
    )


def test_rake_zero_target_with_respondents_is_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(2), {"sex": (["F", "M"], {"F": 10, "M": 0})})

    assert str(caught.value) == "Category M of margin sex has respondents but a population target of zero."


@pytest.mark.parametrize("target", [-1, float("nan"), "many"])
def test_rake_invalid_target_is_refused(target):
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(2), {"sex": (["F", "M"], {"F": 10, "M": target})})

    assert (caught.value.code, caught.value.category) == ("bad_target", "M")


def test_rake_negative_weight_is_refused():
    with pytest.raises(WeightingError) as caught:
        rake([1.0, -2.0], {"sex": ([0, 1], [1, 1])})

    assert str(caught.value) == "The weight of respondent 2 is negative (-2)."


def test_rake_codes_of_wrong_length_are_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(3), {"sex": ([0, 1], [1, 1])})

    assert str(caught.value) == "sex has 2 values, but there are 3 respondents."


def test_rake_missing_category_is_refused():
    with pytest.raises(WeightingError) as caught:
        rake(np.ones(3), {"sex": (np.array(["F", None, "M"], dtype=object), {"F": 1, "M": 2})})

    assert str(caught.value) == "Respondent 2 has no valid value for sex."


def test_design_fpc_varying_within_stratum_is_refused():
    with pytest.raises(WeightingError) as caught:
        Design(np.ones(4), strata=["a", "a", "b", "b"], fpc=[10, 10, 10, 12])

    assert str(caught.value) == "The finite population correction differs within stratum b."


def test_design_population_smaller_than_sample_is_refused():
    with pytest.raises(WeightingError) as caught:
        Design(np.ones(4), strata=["a", "a", "b", "b"], fpc=[10, 10, 1.5, 1.5])

    assert caught.value.code == "fpc_too_small"


def test_weighted_mean_of_empty_domain_is_refused():
    with pytest.raises(WeightingError) as caught:
        weighted_mean(Design(np.ones(3)), [1.0, 2.0, 3.0], domain=np.zeros(3, dtype=bool))

    assert caught.value.code == "empty_domain"


# --- sample planning -----------------------------------------------------------------------------


def test_required_sample_size_classic_half_proportion():
    # 1.96² · 0.25 / 0.05² = 384.1 → 385.
    assert required_sample_size(proportion=0.5, margin_of_error=0.05) == 385


def test_required_sample_size_with_deff_fpc_and_response_rate():
    n0 = Z95**2 * 0.15 * 0.85 / 0.02**2 * 1.8
    with_fpc = n0 / (1 + (n0 - 1) / 20_000)

    assert required_sample_size(proportion=0.15, margin_of_error=0.02, deff=1.8) == math.ceil(n0)
    assert required_sample_size(
        proportion=0.15, margin_of_error=0.02, deff=1.8, population=20_000, response_rate=0.8
    ) == math.ceil(with_fpc / 0.8)


def test_achieved_margin_of_error_inverts_required_sample_size():
    n = required_sample_size(proportion=0.15, margin_of_error=0.03, deff=2.0, population=50_000)

    assert achieved_margin_of_error(n=n, proportion=0.15, deff=2.0, population=50_000) <= 0.03
    assert achieved_margin_of_error(n=n - 1, proportion=0.15, deff=2.0, population=50_000) > 0.03


def test_required_sample_sizes_per_district_use_their_own_population():
    sizes = required_sample_sizes(
        populations={"渝中区": 500, "万州区": 1_200_000}, proportion=0.5, margin_of_error=0.05
    )

    assert sizes == {"渝中区": 218, "万州区": 385}


def test_allocate_proportional_equal_and_neyman():
    populations = {"a": 6000, "b": 3000, "c": 1000}

    assert allocate(total=100, populations=populations) == {"a": 60, "b": 30, "c": 10}
    assert allocate(total=100, populations=populations, method="equal") == {"a": 34, "b": 33, "c": 33}
    # N_h·S_h = 6000·0.1, 3000·0.4, 1000·0.5 = 600, 1200, 500.
    neyman = allocate(
        total=230, populations=populations, method="neyman", std_devs={"a": 0.1, "b": 0.4, "c": 0.5}
    )
    assert neyman == {"a": 60, "b": 120, "c": 50}


def test_allocate_caps_at_population_and_lifts_to_minimum():
    sizes = allocate(total=100, populations={"a": 1000, "b": 20, "c": 5000}, method="equal")
    lifted = allocate(total=100, populations={"a": 9000, "b": 800, "c": 200}, minimum=15)

    assert sizes == {"a": 40, "b": 20, "c": 40}
    assert lifted["c"] == 15
    assert sum(lifted.values()) == 100


def test_allocate_neyman_without_std_dev_names_the_district():
    with pytest.raises(WeightingError) as caught:
        allocate(total=10, populations={"a": 100, "b": 100}, method="neyman", std_devs={"a": 1.0})

    assert str(caught.value) == "Neyman allocation needs a standard deviation for district b."


@settings(max_examples=60, deadline=None)
@given(
    populations=st.lists(st.integers(1, 10_000), min_size=1, max_size=12),
    fraction=st.floats(0, 1),
    method=st.sampled_from(["proportional", "equal"]),
    minimum=st.integers(0, 5),
)
def test_allocate_adds_up_and_respects_limits(populations, fraction, method, minimum):
    pops = {f"d{i}": p for i, p in enumerate(populations)}
    floor = sum(min(minimum, p) for p in populations)
    total = floor + int(fraction * (sum(populations) - floor))

    sizes = allocate(total=total, populations=pops, method=method, minimum=minimum)

    assert sum(sizes.values()) == total
    assert all(min(minimum, pops[k]) <= v <= pops[k] for k, v in sizes.items())


# --- translations --------------------------------------------------------------------------------


def engine_msgids() -> set[str]:
    ids = set()
    for path in (REPO / "kexie" / "surveys" / "stats").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                ids.add(node.args[0].value)
    return ids


def catalogue(path: Path) -> dict[str, str]:
    entries, current, key = {}, {}, None
    for line in [*path.read_text().splitlines(), ""]:
        match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip():
            if current.get("msgid"):
                entries[current["msgid"].replace('\\"', '"')] = current.get("msgstr", "")
            current, key = {}, None
    return entries


def test_every_engine_message_has_a_chinese_translation():
    pending = REPO / "locale_pending" / "stats.po"
    merged = REPO / "kexie" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    translations = catalogue(pending if pending.exists() else merged)

    missing = {m for m in engine_msgids() if not translations.get(m)}
    assert missing == set()
    for msgid in engine_msgids():
        msgstr = translations[msgid]
        assert set(re.findall(r"%\((\w+)\)s", msgid)) == set(re.findall(r"%\((\w+)\)s", msgstr)), msgid
