"""Seventh round of the matching work: two kinds of new evidence, offline, development half only.

    KEXIE_SHARED=/work/shared .venv/bin/python bench/matching.py --dump-candidates /tmp/dev.json.gz
    KEXIE_SHARED=/work/shared .venv/bin/python tools/matching_round7.py /tmp/dev.json.gz
    KEXIE_SHARED=/work/shared .venv/bin/python tools/matching_round7.py /tmp/dev.json.gz --lambdarank

* **Term associations learnt from the library's people** (default): two terms are associated when
  the same experts hold both more often than chance (positive PMI over experts, at least two experts,
  shrunk by support: pmi × c / (c + 2)), either anywhere in the profile or only across two of the
  expert's works (a subject an expert moved to). A candidate gains, for each query term it does not
  hold, its strongest association with a term it does hold (or the mean of its best three),
  weighted by the term's IDF; a × the query weight × that share (/ 10) is added to the shipped
  score. It is the "later projects on a new subject" the benchmark is made of, learnt from the
  library's own history, with no model download.
* **LightGBM lambdarank** (``--lambdarank``; needs ``pip install lightgbm`` into a scratch
  environment: it is not a dependency of the project) over the candidates' features (text score,
  works, character pairs, recency, activity, discipline prior, the best three works' scores, the
  number of distinct works, the query weight, the share of the query's IDF the works hold, the
  first retrieval's rank), two-fold cross-validation over the development queries, three seeds.

Printed per line: recall@10, MRR, recall@100 and recall@10 of the 30–99 band of the candidates
reordered. docs/search.md (seventh round) has the figures; neither was shipped.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tools"), str(REPO / "bench"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
os.environ.setdefault("KEXIE_FIELD_KEY", "auto")
os.environ.setdefault("KEXIE_AUDIT_KEY", "auto")
os.environ.setdefault("KEXIE_VAR_DIR", tempfile.mkdtemp(prefix="kexie-round7-"))

import rescore_matching as rescore  # noqa: E402


def shipped(query: dict) -> list[float]:
    return [
        r + 0.5 * rescore.decayed(w)
        for r, w in zip(rescore.rest(query), rescore.bm25_works(query), strict=True)
    ]


def library_terms() -> list[list[tuple[str, ...]]]:
    """Every expert of the library (projects up to 2012) as their works' terms (≥ 2 characters)."""
    import django  # noqa: PLC0415 - only for the segmenter

    django.setup()
    import _matching_data as data  # noqa: PLC0415

    from kexie.search.segment import get_segmenter  # noqa: PLC0415

    segmenter = get_segmenter()
    split = data.time_split(data.load_projects(), 2012)
    return [
        [tuple(t for t in segmenter.tokens(p.title) if len(t) > 1) for p in projects]
        for projects in split.profiles.values()
    ]


def associations(library: list[list[tuple[str, ...]]], *, across_works: bool) -> dict[str, dict[str, float]]:
    df: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for works in library:
        terms = {t for work in works for t in work}
        df.update(terms)
        if across_works:
            distinct = [set(work) for work in dict.fromkeys(works)]
            held = {
                (min(a, b), max(a, b))
                for i, one in enumerate(distinct)
                for j, other in enumerate(distinct)
                if i != j
                for a in one
                for b in other
                if a != b
            }
        else:
            ordered = sorted(terms)
            held = {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]}
        pairs.update(held)
    n = len(library)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), count in pairs.items():
        if count < 2:  # noqa: PLR2004
            continue
        pmi = math.log(count * n / (df[a] * df[b]))
        if pmi > 0:
            out[a][b] = out[b][a] = pmi * count / (count + 2)
    return out


def association_share(query: dict, neighbours: dict[str, dict[str, float]], *, top: int) -> list[float]:
    terms, idfs = query["terms"], query["idfs"]
    total = sum(terms[t] * idfs.get(t, 0.0) for t in terms) or 1.0
    out = []
    for candidate in query["candidates"]:
        held = {t for work in candidate["works"] for t in work}
        score = 0.0
        for term, weight in terms.items():
            near = neighbours.get(term)
            if term in held or not near:
                continue
            values = sorted((near[t] for t in held if t in near), reverse=True)[:top]
            if values:
                score += weight * idfs.get(term, 0.0) * sum(values) / len(values)
        out.append(score / total)
    return out


def run_associations(rows: list[dict]) -> None:
    library = library_terms()
    for across in (False, True):
        neighbours = associations(library, across_works=across)
        for top in (1, 3):
            for weight in (0.5, 1.0, 2.0, 4.0):

                def scorer(
                    query: dict, top: int = top, weight: float = weight, neighbours: dict = neighbours
                ) -> list[float]:
                    mass = sum(query["terms"][t] * query["idfs"].get(t, 0.0) for t in query["terms"])
                    extra = association_share(query, neighbours, top=top)
                    return [s + weight * mass * e / 10 for s, e in zip(shipped(query), extra, strict=True)]

                name = f"associations ({'across works' if across else 'profile'}), best {top}, a {weight}"
                print(name, " ".join(f"{v:.4f}" for v in rescore.evaluate(rows, scorer)), flush=True)


FEATURES = ("text", "works", "characters", "recency", "activity", "discipline")


def features(query: dict) -> np.ndarray:
    terms, idfs = query["terms"], query["idfs"]
    mass = sum(terms[t] * idfs.get(t, 0.0) for t in terms) or 1.0
    per_work = rescore.bm25_works(query)
    rows = []
    for index, candidate in enumerate(query["candidates"]):
        held = {t for work in candidate["works"] for t in work}
        cover = sum(terms[t] * idfs.get(t, 0.0) for t in terms if t in held) / mass
        signals = candidate["signals"]
        best = [*per_work[index], 0.0, 0.0, 0.0]
        rows.append(
            [
                candidate["text_score"] / mass,
                *(signals.get(name, 0.0) / mass for name in FEATURES[1:6]),
                *(score / mass for score in best[:3]),
                len({tuple(work) for work in candidate["works"]}),
                mass,
                cover,
                index,
            ]
        )
    return np.array(rows)


def run_lambdarank(rows: list[dict]) -> None:
    import lightgbm  # noqa: PLC0415 - not a project dependency: an experiment

    usable = [(n, row) for n, row in enumerate(rows) if row["query"]]
    data = {n: (features(row["query"]), [c["key"] for c in row["query"]["candidates"]]) for n, row in usable}

    def rank_of(n: int, scores: np.ndarray) -> int:
        keys = data[n][1]
        if rows[n]["target"] not in keys:
            return 1000
        rank = int(rescore.ranks(scores)[keys.index(rows[n]["target"])])
        return rank if rank <= 100 else 1000  # noqa: PLR2004

    def summary(found: dict[int, int]) -> list[float]:
        r = np.array([found.get(n, 1000) for n in range(len(rows))])
        return [float((r <= 10).mean()), float(np.where(r <= 100, 1 / r, 0).mean()), float((r <= 100).mean())]  # noqa: PLR2004

    print(
        "shipped",
        " ".join(
            f"{v:.4f}" for v in summary({n: rank_of(n, np.array(shipped(rows[n]["query"]))) for n in data})
        ),
    )
    for leaves, rate, rounds, min_leaf in ((4, 0.05, 200, 50), (8, 0.05, 300, 100), (4, 0.03, 500, 200)):
        runs = []
        for seed in range(3):
            order = np.random.default_rng(seed).permutation(sorted(data))
            folds = [order[::2], order[1::2]]
            found: dict[int, int] = {}
            for k in range(2):
                train = [n for n in folds[1 - k] if rows[n]["target"] in data[n][1]]
                x = np.vstack([data[n][0] for n in train])
                y = np.concatenate([[int(key == rows[n]["target"]) for key in data[n][1]] for n in train])
                params = {
                    "objective": "lambdarank",
                    "lambdarank_truncation_level": 20,
                    "num_leaves": leaves,
                    "learning_rate": rate,
                    "min_data_in_leaf": min_leaf,
                    "num_threads": 1,
                    "seed": seed,
                    "verbose": -1,
                }
                model = lightgbm.train(
                    params,
                    lightgbm.Dataset(x, y, group=[len(data[n][1]) for n in train]),
                    num_boost_round=rounds,
                )
                for n in folds[k]:
                    found[int(n)] = rank_of(int(n), model.predict(data[n][0]))
            runs.append(summary(found))
        mean = np.mean(runs, axis=0)
        print(
            f"lambdarank leaves {leaves} rate {rate} rounds {rounds} min leaf {min_leaf}",
            " ".join(f"{v:.4f}" for v in mean),
        )


def main() -> None:
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as source:
        rows = json.load(source)["rows"]
    print("shipped", " ".join(f"{v:.4f}" for v in rescore.evaluate(rows, shipped)), flush=True)
    if "--lambdarank" in sys.argv:
        run_lambdarank(rows)
    else:
        run_associations(rows)


if __name__ == "__main__":
    main()
