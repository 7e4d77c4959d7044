"""Learning to rank over the matching features, on the development half only (an experiment).

    KEXIE_SHARED=/work/shared .venv/bin/python bench/matching.py --dump-features /tmp/dev.npz
    .venv/bin/python tools/train_matching.py /tmp/dev.npz

A linear model over ``Candidate.features`` (per unit of query weight: the profile's BM25 score,
the best three works' scores, the character pairs; recency and activity kept at MATCHING's
weights, a prior is not learnt from a benchmark whose queries are later projects of the same
people), trained with a listwise softmax loss (each query's right expert against its
candidates), coefficients non-negative so every one stays a bonus a page can show. Printed: the
coefficients per L2 strength, and recall@10 / MRR / recall@100 of the candidates reordered, in
two-fold cross-validation over the development queries, against MATCHING's own weights. It did
not beat them (docs/search.md, "What lost"), so nothing is written for the product to load.
"""

from __future__ import annotations

import sys

import numpy as np
from scipy.optimize import minimize

# MATCHING's weights, per unit of query weight (works 0.5 with decay 0.3, recency 0.2, activity 0.1).
PRODUCT = {"text": 1.0, "work1": 0.5, "work2": 0.15, "work3": 0.045, "characters": 0.3}
PRIORS = {"recency": 0.2, "activity": 0.1}
LEARNT = ("text", "work1", "work2", "work3", "characters")


def load(path: str) -> tuple[list[tuple[np.ndarray, int]], int]:
    """Per development query with its right expert among the candidates: (features, index)."""
    data = np.load(path)
    names = [str(name) for name in data["names"]]
    x, query, target = data["features"], data["query"], data["target"]
    base = sum(weight * x[:, names.index(name)] for name, weight in PRIORS.items())
    columns = np.column_stack([x[:, names.index(name)] for name in LEARNT])
    columns[:, 0] += base  # the priors ride on the text score's coefficient
    groups = []
    for number in np.unique(query):
        rows = np.where(query == number)[0]
        hits = np.where(target[rows] == 1)[0]
        groups.append((columns[rows], int(hits[0]) if len(hits) else -1))
    return groups, int(data["n_queries"])


def fit(groups: list[tuple[np.ndarray, int]], l2: float) -> np.ndarray:
    usable = [(a, t) for a, t in groups if t >= 0]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(theta)
        for a, t in usable:
            s = a @ theta
            e = np.exp(s - s.max())
            p = e / e.sum()
            total -= np.log(p[t])
            grad -= a[t] - p @ a
        penalty = theta.copy()
        penalty[0] = 0.0  # the text coefficient is the temperature: not shrunk
        return total / len(usable) + 0.5e-3 * l2 * penalty @ penalty, grad / len(usable) + 1e-3 * l2 * penalty

    start = np.zeros(len(LEARNT))
    start[0] = 10.0
    bounds = [(1e-3, None)] + [(0.0, None)] * (len(LEARNT) - 1)
    theta = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds).x
    return theta / theta[0]


def evaluate(groups: list[tuple[np.ndarray, int]], weights: np.ndarray) -> np.ndarray:
    """Sums of recall@10, reciprocal rank (within 100) and recall@100 over ``groups``."""
    out = np.zeros(3)
    for a, t in groups:
        if t < 0:
            continue
        s = a @ weights
        rank = 1 + int((s > s[t]).sum())
        out += (rank <= 10, 1 / rank if rank <= 100 else 0.0, rank <= 100)  # noqa: PLR2004
    return out


def main() -> None:
    groups, n_queries = load(sys.argv[1])
    product = np.array([PRODUCT[name] for name in LEARNT])
    folds = [groups[0::2], groups[1::2]]
    shown = evaluate(groups, product) / n_queries
    print(f"MATCHING's weights: recall@10 {shown[0]:.4f} MRR {shown[1]:.4f} recall@100 {shown[2]:.4f}")
    for l2 in (0.0, 0.3, 1.0, 3.0):
        held = sum(evaluate(folds[1 - i], fit(folds[i], l2)) for i in range(2)) / n_queries
        weights = fit(groups, l2)
        print(
            f"L2 {l2}: cross-validated recall@10 {held[0]:.4f} MRR {held[1]:.4f} recall@100 {held[2]:.4f}; "
            f"fitted on all: {dict(zip(LEARNT, np.round(weights, 3).tolist(), strict=True))}"
        )


if __name__ == "__main__":
    main()
