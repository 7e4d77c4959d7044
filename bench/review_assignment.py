"""Reviewer assignment benchmark: min-cost flow (OR-Tools) against its LP bound and greedy.

    .venv/bin/python bench/review_assignment.py           # full: 1,000 submissions × 500 experts, k=5, L=12
    .venv/bin/python bench/review_assignment.py --quick   # 200 × 100, k=3, L=8, LP bound also solved by HiGHS

Data (eval/matching, see eval/SOURCES.md): the expert library is built from National Social Science
Fund projects — one expert per principal investigator with at least two projects (their project
titles are their works, their institution their organization, the discipline their field); the
submissions are other PIs' project titles. Affinity is the engine's: TF-IDF cosine over kexie's
Chinese segmentation (kexie.search.segment) between the submission and the expert's works, plus the
same discipline bonus ``kexie.calls.affinity`` gives. Conflicts: same institution (from the data),
topped up with random pairs (co-authorship, advisor–student) to about 2% of all pairs.

The solver is ``kexie.calls.assignment.solve`` (the one the platform runs); ``upper_bound`` is its
LP bound (flow polytope, rounding of the integer costs accounted for), and in --quick mode also
checked against SciPy's HiGHS solving the LP relaxation independently. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import SHARED, emit, setup_django  # noqa: E402

NSSFC = SHARED / "eval" / "matching" / "nssfc_social_science_fund_projects_to2017.csv"
DISCIPLINE_BONUS = 0.15
CONFLICT_RATE = 0.02


def load(n_sub: int, n_exp: int, seed: int):
    rows = list(csv.DictReader(NSSFC.open(encoding="utf-8")))
    by_pi: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        if row["项目负责人"] and row["项目名称"]:
            by_pi[(row["项目负责人"], row["工作单位"])].append(row)
    rng = random.Random(seed)
    candidates = sorted(k for k, v in by_pi.items() if len(v) >= 2)
    rng.shuffle(candidates)
    experts = candidates[:n_exp]
    taken = set(experts)
    others = [r for k, v in sorted(by_pi.items()) if k not in taken for r in v]
    rng.shuffle(others)
    submissions = others[:n_sub]
    return experts, [by_pi[e] for e in experts], submissions


def tfidf(docs: list[list[str]], vocab: dict[str, int], idf: np.ndarray):
    from scipy.sparse import csr_matrix

    data, rows, cols = [], [], []
    for i, tokens in enumerate(docs):
        counts = Counter(t for t in tokens if t in vocab)
        norm = math.sqrt(sum((c * idf[vocab[t]]) ** 2 for t, c in counts.items())) or 1.0
        for t, c in counts.items():
            rows.append(i)
            cols.append(vocab[t])
            data.append(c * idf[vocab[t]] / norm)
    return csr_matrix((data, (rows, cols)), shape=(len(docs), len(vocab)))


def affinity(expert_works, submissions):
    setup_django()
    from kexie.search.segment import tokens

    exp_docs = [tokens(" ".join(w["项目名称"] for w in works)) for works in expert_works]
    sub_docs = [tokens(s["项目名称"]) for s in submissions]
    df = Counter(t for doc in exp_docs + sub_docs for t in set(doc))
    vocab = {t: i for i, t in enumerate(sorted(df))}
    n = len(exp_docs) + len(sub_docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)])
    matrix = (tfidf(sub_docs, vocab, idf) @ tfidf(exp_docs, vocab, idf).T).toarray()
    exp_fields = [Counter(w["学科分类"] for w in works).most_common(1)[0][0] for works in expert_works]
    for i, s in enumerate(submissions):
        for j, field in enumerate(exp_fields):
            if s["学科分类"] == field:
                matrix[i, j] += DISCIPLINE_BONUS
    return matrix


def conflicts(experts, submissions, rng: random.Random):
    banned = set()
    for i, s in enumerate(submissions):
        for j, (_name, institution) in enumerate(experts):
            if institution and s["工作单位"] == institution:
                banned.add((i, j))
    same_institution = len(banned)
    target = int(CONFLICT_RATE * len(submissions) * len(experts))
    while len(banned) < target:
        banned.add((rng.randrange(len(submissions)), rng.randrange(len(experts))))
    return banned, same_institution


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n_sub, n_exp, k, load_max = (200, 100, 3, 8) if args.quick else (1000, 500, 5, 12)
    from kexie.calls import assignment

    started = time.perf_counter()
    experts, works, submissions = load(n_sub, n_exp, args.seed)
    matrix = affinity(works, submissions)
    banned, same_institution = conflicts(experts, submissions, random.Random(args.seed))
    print(
        f"data and affinity: {time.perf_counter() - started:.1f} s; {len(banned)} conflicting pairs "
        f"({same_institution} same institution)",
        file=sys.stderr,
    )
    solution = assignment.solve(matrix, k=k, max_load=load_max, banned=banned)
    greedy = assignment.greedy(matrix, k=k, max_load=load_max, banned=banned)
    loads = Counter(j for _i, j in solution.pairs)
    per_sub = Counter(i for i, _j in solution.pairs)
    result = {
        "submissions": n_sub,
        "reviewers": n_exp,
        "k": k,
        "max_load": load_max,
        "seconds": round(solution.seconds, 3),
        "affinity": round(solution.affinity, 4),
        "upper_bound": round(solution.upper_bound, 4),
        "gap": round(solution.gap, 8),
        "greedy_affinity": round(greedy.affinity, 4),
        "greedy_seconds": round(greedy.seconds, 3),
        "above_greedy": round(solution.affinity - greedy.affinity, 4),
        "conflicts": len(banned),
        "conflict_share": round(len(banned) / (n_sub * n_exp), 4),
        "conflicts_violated": sum(1 for p in solution.pairs if p in banned),
        "max_assigned": max(loads.values()),
        "every_submission_has_k": all(per_sub[i] == k for i in range(n_sub)),
        "greedy_short": sum(greedy.short.values()),
        "method": solution.method,
    }
    if args.quick:
        lp = assignment.lp_upper_bound(matrix, k=k, max_load=load_max, banned=banned)
        result["lp_highs"] = round(lp, 4)
    emit(result)


if __name__ == "__main__":
    main()
