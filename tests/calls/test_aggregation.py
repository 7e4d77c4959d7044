"""Aggregation against cases computed by hand, and the assignment solver against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from kexie.calls import aggregation as agg
from kexie.calls import assignment


def test_mean_trimmed_and_zscore_by_hand():
    triples = [("s1", "A", 80), ("s2", "A", 70), ("s3", "A", 60), ("s1", "B", 90), ("s2", "B", 95)]
    result = agg.aggregate(triples)
    assert result["s1"].mean == 85 and result["s2"].mean == 82.5 and result["s3"].mean == 60
    # A: mean 70, sd √(200/3) = 8.1650 → z 1.2247, 0, −1.2247; B: mean 92.5, sd 2.5 → z −1, +1.
    # Grand mean 79, grand sd √164 = 12.806.
    assert result["s1"].normalised == pytest.approx(79 + math.sqrt(164) * (1.224745 - 1) / 2, abs=1e-4)
    assert result["s2"].normalised == pytest.approx(79 + math.sqrt(164) * 0.5, abs=1e-4)
    assert result["s3"].normalised == pytest.approx(79 - math.sqrt(164) * 1.224745, abs=1e-4)
    assert round(result["s1"].normalised, 2) == 80.44 and round(result["s2"].normalised, 2) == 85.40
    # The harsh-then-generous mix: by mean s1 leads, normalised s2 leads.
    assert result["s1"].mean > result["s2"].mean and result["s2"].normalised > result["s1"].normalised


def test_harsh_reviewer_does_not_sink_a_submission():
    # H scores everything 20 points lower; s_h is only reviewed by H and G, s_g only by G and G2.
    triples = [
        ("x", "H", 60),
        ("y", "H", 50),
        ("x", "G", 80),
        ("y", "G", 70),
        ("z", "G", 75),
        ("z", "G2", 75),
        ("w", "G2", 65),
    ]
    result = agg.aggregate(triples)
    assert result["x"].mean < result["z"].mean  # raw: the harsh reviewer sinks x
    assert result["x"].normalised > result["z"].normalised  # normalised: x is each reviewer's best


def test_trimmed_mean():
    assert agg.trimmed_mean([50, 70, 80, 100]) == 75
    assert agg.trimmed_mean([10, 20]) == 15
    assert agg.trimmed_mean([]) is None


def test_single_score_or_no_spread_gives_z_zero():
    result = agg.aggregate([("a", "R", 70), ("b", "S", 80), ("b", "T", 80), ("c", "T", 80)])
    grand = (70 + 80 + 80 + 80) / 4
    assert result["a"].normalised == pytest.approx(grand)
    assert result["b"].normalised == pytest.approx(grand)


def test_rank_shows_ties():
    ranks = agg.rank({"a": 90, "b": 85, "c": 85.00001, "d": 70, "e": None})
    assert ranks == {"a": (1, False), "b": (2, True), "c": (2, True), "d": (4, False)}


def test_panel_pass_rule():
    assert agg.passes_vote(6, 9, {"fraction": [2, 3]})
    assert not agg.passes_vote(5, 9, {"fraction": [2, 3]})
    assert agg.passes_vote(5, 9, {"min_yes": 5})
    assert not agg.passes_vote(0, 0, {})


def _brute_force(a, k, load, banned):
    n, m = a.shape
    best = -1.0
    options = list(itertools.combinations(range(m), k))
    for choice in itertools.product(options, repeat=n):
        loads = np.zeros(m)
        ok = True
        total = 0.0
        for i, reviewers in enumerate(choice):
            for j in reviewers:
                if (i, j) in banned:
                    ok = False
                loads[j] += 1
                total += a[i, j]
        if ok and loads.max() <= load:
            best = max(best, total)
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_solver_is_optimal_on_small_cases(seed):
    rng = np.random.default_rng(seed)
    a = rng.random((4, 4)).round(3)
    banned = {(0, 1), (2, 3)}
    solution = assignment.solve(a, k=2, max_load=2, banned=banned)
    assert solution.method == "min_cost_flow"
    assert not set(solution.pairs) & banned
    assert solution.affinity == pytest.approx(_brute_force(a, 2, 2, banned), abs=1e-9)
    assert solution.affinity <= solution.upper_bound + 1e-9
    greedy = assignment.greedy(a, k=2, max_load=2, banned=banned)
    assert greedy.affinity <= solution.affinity + 1e-9


def test_greedy_can_be_beaten():
    # Greedy takes (0,0)=0.9 first and leaves submission 1 with only a poor reviewer.
    a = np.array([[0.9, 0.8], [0.85, 0.1]])
    solution = assignment.solve(a, k=1, max_load=1)
    greedy = assignment.greedy(a, k=1, max_load=1)
    assert greedy.affinity == pytest.approx(1.0)
    assert solution.affinity == pytest.approx(1.65)


def test_pins_are_kept_and_shortfall_reported():
    a = np.array([[0.1, 0.9], [0.2, 0.8]])
    solution = assignment.solve(a, k=1, max_load=1, pins=[(0, 0)])
    assert (0, 0) in solution.pairs and (1, 1) in solution.pairs
    short = assignment.solve(a, k=2, max_load=1, banned={(1, 0)})
    # Infeasible (4 places wanted, 2 reviewer slots): the largest flow of best affinity, shortfall reported.
    assert len(short.pairs) == 2 and sum(short.short.values()) == 2


def test_lp_bound_matches():
    rng = np.random.default_rng(7)
    a = rng.random((30, 12))
    banned = {(i, j) for i in range(30) for j in range(12) if rng.random() < 0.05}
    solution = assignment.solve(a, k=3, max_load=9, banned=banned)
    lp = assignment.lp_upper_bound(a, k=3, max_load=9, banned=banned)
    assert solution.affinity == pytest.approx(lp, rel=1e-6)
