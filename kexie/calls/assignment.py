"""Reviewer assignment as an optimisation (OpenReview's matcher formulation).

Every submission gets ``k`` reviewers, no reviewer more than ``L``, no conflicting or forbidden pair,
pinned pairs kept, total affinity maximised. It is a transportation problem, solved exactly as a
min-cost flow (OR-Tools ``SimpleMinCostFlow``): source → submission (capacity k) → reviewer
(capacity 1, cost −affinity) → sink (capacity L). Affinities are scaled to integers (``SCALE``); the
rounding bounds the distance to the real-valued LP optimum, which gives the upper bound reported
(the flow polytope is integral, so the LP bound is the true optimum up to rounding). A greedy
fallback (highest affinity first) is used when OR-Tools is missing or fails, and always computed
for the report's comparison.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

SCALE = 100_000


@dataclass
class Solution:
    pairs: list[tuple[int, int]]
    method: str
    affinity: float
    upper_bound: float | None
    seconds: float
    short: dict[int, int] = field(default_factory=dict)  # submission → reviewers missing

    @property
    def gap(self) -> float | None:
        if self.upper_bound is None or self.upper_bound <= 0:
            return None
        return max(0.0, (self.upper_bound - self.affinity) / self.upper_bound)


def _allowed_mask(n: int, m: int, banned) -> np.ndarray:
    mask = np.ones((n, m), dtype=bool)
    for i, j in banned:
        mask[i, j] = False
    return mask


def greedy(affinity: np.ndarray, *, k: int, max_load: int, banned=(), pins=()) -> Solution:
    started = time.perf_counter()
    n, m = affinity.shape
    mask = _allowed_mask(n, m, banned)
    need = np.full(n, k)
    load = np.zeros(m, dtype=int)
    pairs = []
    for i, j in pins:
        pairs.append((i, j))
        need[i] -= 1
        load[j] += 1
        mask[i, j] = False
    flat = np.argsort(-affinity, axis=None, kind="stable")
    for index in flat:
        i, j = divmod(int(index), m)
        if need[i] > 0 and load[j] < max_load and mask[i, j]:
            pairs.append((i, j))
            need[i] -= 1
            load[j] += 1
    total = float(sum(affinity[i, j] for i, j in pairs))
    short = {i: int(v) for i, v in enumerate(need) if v > 0}
    return Solution(pairs, "greedy", total, None, time.perf_counter() - started, short)


def solve(affinity: np.ndarray, *, k: int, max_load: int, banned=(), pins=()) -> Solution:
    """The optimal assignment (min-cost flow), or the greedy one when OR-Tools is unavailable."""
    started = time.perf_counter()
    try:
        from ortools.graph.python import min_cost_flow
    except ImportError:  # pragma: no cover - ortools is a dependency
        return greedy(affinity, k=k, max_load=max_load, banned=banned, pins=pins)
    n, m = affinity.shape
    mask = _allowed_mask(n, m, banned)
    need = np.full(n, k, dtype=np.int64)
    capacity = np.full(m, max_load, dtype=np.int64)
    pinned = []
    for i, j in pins:
        pinned.append((i, j))
        need[i] -= 1
        capacity[j] -= 1
        mask[i, j] = False
    need = np.maximum(need, 0)
    capacity = np.maximum(capacity, 0)
    source, sink = n + m, n + m + 1
    rows, cols = np.nonzero(mask)
    scaled = np.rint(affinity[rows, cols] * SCALE).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n, source), rows, n + np.arange(m)]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + cols, np.full(m, sink)]).astype(np.int32)
    caps = np.concatenate([need, np.ones(len(rows), dtype=np.int64), capacity])
    costs = np.concatenate([np.zeros(n, dtype=np.int64), -scaled, np.zeros(m, dtype=np.int64)])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    demand = int(need.sum())
    flow.set_node_supply(source, demand)
    flow.set_node_supply(sink, -demand)
    status = flow.solve()
    if status != flow.OPTIMAL:
        # Not every submission can get k reviewers: the largest feasible flow of least cost.
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            return greedy(affinity, k=k, max_load=max_load, banned=banned, pins=pins)
    flows = flow.flows(arcs[n : n + len(rows)])
    chosen = np.nonzero(flows > 0)[0]
    pairs = pinned + [(int(rows[c]), int(cols[c])) for c in chosen]
    total = float(sum(affinity[i, j] for i, j in pairs))
    placed = len(chosen)
    # LP bound: the scaled optimum is exact for the scaled costs; rounding moves each arc by at most
    # 0.5 / SCALE.
    scaled_optimum = -flow.optimal_cost() / SCALE
    pinned_total = float(sum(affinity[i, j] for i, j in pinned))
    upper = scaled_optimum + placed * 0.5 / SCALE + pinned_total
    got = defaultdict(int)
    for i, _j in pairs:
        got[i] += 1
    short = {i: k - got[i] for i in range(n) if got[i] < k}
    return Solution(pairs, "min_cost_flow", total, upper, time.perf_counter() - started, short)


def lp_upper_bound(affinity: np.ndarray, *, k: int, max_load: int, banned=()) -> float:
    """The LP relaxation solved independently with SciPy's HiGHS (for checks and the bench)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, vstack

    n, m = affinity.shape
    mask = _allowed_mask(n, m, banned)
    rows, cols = np.nonzero(mask)
    v = len(rows)
    ones = np.ones(v)
    by_sub = coo_matrix((ones, (rows, np.arange(v))), shape=(n, v))
    by_rev = coo_matrix((ones, (cols, np.arange(v))), shape=(m, v))
    result = linprog(
        -affinity[rows, cols],
        A_ub=vstack([by_rev]).tocsr(),
        b_ub=np.full(m, max_load),
        A_eq=by_sub.tocsr(),
        b_eq=np.full(n, k),
        bounds=(0, 1),
        method="highs",
    )
    return float(-result.fun)
