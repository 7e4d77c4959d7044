"""Score aggregation: mean, trimmed mean and per-reviewer z-score normalisation; ranking with ties.

Pure functions over ``(submission, reviewer, total)`` triples, checked against hand-computed cases in
``tests/calls/test_aggregation.py``.

z-score: each reviewer's totals in the round are standardised with that reviewer's own mean and
(population) standard deviation, so a harsh or a generous reviewer counts the same; a submission's
z is the mean of its reviewers' z, shown back on the score scale as ``grand mean + grand sd × z``
(grand = over all scores of the round). A reviewer with a single score or no spread has z = 0 for
their scores (they tell nothing about the order).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Aggregate:
    submission: object
    n: int
    mean: float | None
    trimmed: float | None
    normalised: float | None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def trimmed_mean(values: list[float]) -> float | None:
    """Drop one highest and one lowest score when there are at least three."""
    if not values:
        return None
    if len(values) < 3:
        return mean(values)
    ordered = sorted(values)
    return mean(ordered[1:-1])


def _sd(values: list[float]) -> float:
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def aggregate(triples: Iterable[tuple[object, object, float]]) -> dict[object, Aggregate]:
    triples = list(triples)
    by_reviewer: dict[object, list[float]] = defaultdict(list)
    by_submission: dict[object, list[tuple[object, float]]] = defaultdict(list)
    for submission, reviewer, total in triples:
        by_reviewer[reviewer].append(float(total))
        by_submission[submission].append((reviewer, float(total)))
    stats = {}
    for reviewer, values in by_reviewer.items():
        sd = _sd(values) if len(values) > 1 else 0.0
        stats[reviewer] = (sum(values) / len(values), sd)
    everything = [float(t) for _s, _r, t in triples]
    grand_mean = mean(everything) or 0.0
    grand_sd = _sd(everything) if len(everything) > 1 else 0.0
    result = {}
    for submission, pairs in by_submission.items():
        values = [t for _r, t in pairs]
        zs = []
        for reviewer, total in pairs:
            m, sd = stats[reviewer]
            zs.append((total - m) / sd if sd > 0 else 0.0)
        z = sum(zs) / len(zs)
        result[submission] = Aggregate(
            submission=submission,
            n=len(values),
            mean=mean(values),
            trimmed=trimmed_mean(values),
            normalised=grand_mean + grand_sd * z,
        )
    return result


def rank(scores: dict[object, float | None], *, digits: int = 4) -> dict[object, tuple[int, bool]]:
    """Competition ranking (1, 2, 2, 4) of scores, highest first, equal when they agree to ``digits``
    decimals; returns {key: (rank, tied)}. Keys without a score are left out."""
    present = [(k, round(v, digits)) for k, v in scores.items() if v is not None]
    present.sort(key=lambda kv: -kv[1])
    counts: dict[float, int] = defaultdict(int)
    for _k, v in present:
        counts[v] += 1
    result = {}
    previous, current = None, 0
    for position, (key, value) in enumerate(present, start=1):
        if value != previous:
            current, previous = position, value
        result[key] = (current, counts[value] > 1)
    return result


def passes_vote(yes: int, total: int, rule: dict) -> bool:
    """A panel's pass rule as data: ``{"fraction": [2, 3]}`` means yes ≥ 2/3 of the votes cast
    (default), ``{"min_yes": 5}`` an absolute number."""
    if total == 0:
        return False
    if "min_yes" in rule:
        return yes >= int(rule["min_yes"])
    num, den = rule.get("fraction", [2, 3])
    return yes * int(den) >= int(num) * total
