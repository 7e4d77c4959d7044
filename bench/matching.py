"""Matching benchmark: expert finding (NSSFC), paper retrieval (CSL), a million profiles (scale).

    .venv/bin/python bench/matching.py           # full: 1M profiles for scale (a few minutes)
    .venv/bin/python bench/matching.py --quick   # under a minute: 50k scale profiles, fewer queries
    DATABASE_URL=postgres://… .venv/bin/python bench/matching.py --backend postgres --scale-docs 100000
                                                  # the same on the PostgreSQL backend (its tables in
                                                  # that database are replaced)

Prints progress lines, then one JSON object (flat dotted keys) as the last line.

* nssfc — one expert profile per PI (name + institution) from National Social Science Fund projects
  up to the cut-off year; each profiled PI with a later project is a query (that project's title)
  whose one relevant answer is the PI. Recall@10 and MRR@100 for kexie's matching ranking and for
  plain BM25 over the same index (same tantivy, same segmentation, title-concatenation profile).
* csl — CSL abstracts indexed; each paper's keywords are a query; grade 2 for the paper itself,
  1 for another paper of the same discipline sharing a keyword; nDCG@10.
* scale — profiles recombined from real titles; build time (segmentation included, one writer
  thread), index size, and latency of the call the matching page makes (search.match: ranking,
  snippets, explanation).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import django
import numpy as np
from django.core.management import call_command
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
django.setup()

import _matching_data as data  # noqa: E402

from kexie.search import index as search  # noqa: E402
from kexie.search.backends.base import SearchBackend  # noqa: E402
from kexie.search.backends.postgres_backend import PostgresBackend  # noqa: E402
from kexie.search.backends.tantivy_backend import TantivyBackend  # noqa: E402
from kexie.search.documents import Filters, SearchDocument  # noqa: E402
from kexie.search.ranking import MATCHING, PLAIN, RankingProfile  # noqa: E402
from kexie.search.segment import get_segmenter  # noqa: E402

CHONGQING_DISTRICTS = tuple(str(500101 + i) for i in range(38))

# "tantivy" or "postgres", from --backend.
BACKEND = "tantivy"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    if not seconds:
        return 0.0, 0.0
    values = np.array(seconds) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def index_size(backend: SearchBackend) -> int:
    """Bytes on disk: the index directory, or the search tables with their indexes."""
    if isinstance(backend, TantivyBackend):
        return dir_size(backend.root)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "WHERE c.relname IN ('search_searchentry', 'search_searchposting', "
            "'search_searchtermstat', 'search_searchkindstat')"
        )
        return int(cursor.fetchone()[0] or 0)


def fresh_backend(root: Path, name: str) -> SearchBackend:
    """An empty backend: a new directory, or the PostgreSQL tables (every rebuild replaces all)."""
    if BACKEND == "postgres":
        backend: SearchBackend = PostgresBackend()
    else:
        path = root / name
        shutil.rmtree(path, ignore_errors=True)
        backend = TantivyBackend(path, writer_threads=1)
    search.set_backend(backend)
    return backend


# --- NSSFC expert finding --------------------------------------------------------------------


def evaluate_nssfc(
    root: Path,
    *,
    cutoff: int,
    until: int | None,
    max_queries: int | None,
    profiles_to_test: dict[str, RankingProfile],
    seed: int = 1,
) -> dict[str, dict[str, float]]:
    projects = data.load_projects()
    codes = data.discipline_codes(projects)
    profiles = data.build_profiles(projects, cutoff)
    keys = list(profiles)
    doc_id = {key: str(i) for i, key in enumerate(keys)}
    backend = fresh_backend(root, f"nssfc-{cutoff}")
    started = time.perf_counter()
    backend.rebuild(data.profile_document(i, profiles[key], codes) for i, key in enumerate(keys))
    build_s = time.perf_counter() - started
    queries = data.later_queries(projects, profiles, cutoff, until)
    if max_queries and len(queries) > max_queries:
        queries = random.Random(seed).sample(queries, max_queries)
    log(f"nssfc cutoff={cutoff}: {len(profiles)} profiles, {len(queries)} queries, build {build_s:.1f}s")
    out: dict[str, dict[str, float]] = {}
    ranks: dict[str, list[int]] = {}
    for name, profile in profiles_to_test.items():
        hits_at_10 = 0
        reciprocal = 0.0
        latencies = []
        ranks[name] = []
        for text, relevant in queries:
            started = time.perf_counter()
            results = search.query(text, kinds=["expert"], limit=100, ranking=profile, snippets=False)
            latencies.append(time.perf_counter() - started)
            ids = [hit.id for hit in results.hits]
            target = doc_id[relevant]
            rank = ids.index(target) + 1 if target in ids else 1000
            ranks[name].append(rank)
            if rank <= 100:
                reciprocal += 1 / rank
                hits_at_10 += rank <= 10
        p50, p95 = percentiles(latencies)
        out[name] = {
            "recall_at_10": hits_at_10 / len(queries),
            "mrr": reciprocal / len(queries),
            "p50_ms": p50,
            "p95_ms": p95,
            "n_profiles": len(profiles),
            "n_queries": len(queries),
            "build_s": build_s,
        }
        log(
            f"  {name}: recall@10 {out[name]['recall_at_10']:.4f} mrr {out[name]['mrr']:.4f} "
            f"p50 {p50:.2f}ms p95 {p95:.2f}ms"
        )
    # Paired view against the first profile (the baseline comes second in main(), so kexie first):
    # how many queries each ranking puts the right expert higher for.
    names = list(profiles_to_test)
    for name in names[1:]:
        first, other = ranks[names[0]], ranks[name]
        out[names[0]][f"better_than_{name}"] = sum(a < b for a, b in zip(first, other, strict=True))
        out[names[0]][f"worse_than_{name}"] = sum(a > b for a, b in zip(first, other, strict=True))
    return out


# --- CSL ---------------------------------------------------------------------------------------


def ndcg_at_10(ranked: list[int], grades: dict[int, int]) -> float:
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate_csl(root: Path, name: str, profiles_to_test: dict[str, RankingProfile]) -> dict[str, float]:
    papers = data.load_csl(name)
    codes = data.csl_codes(papers)
    backend = fresh_backend(root, f"csl-{name}")
    backend.rebuild(
        SearchDocument(
            kind="achievement",
            id=i,
            body=paper.abstract,
            disciplines=[codes[(paper.category, paper.discipline)]],
        )
        for i, paper in enumerate(papers)
    )
    by_keyword: dict[str, set[int]] = defaultdict(set)
    for i, paper in enumerate(papers):
        for keyword in paper.keywords:
            by_keyword[keyword].add(i)
    out = {}
    for label, profile in profiles_to_test.items():
        total = 0.0
        for i, paper in enumerate(papers):
            grades = {
                j: 1
                for keyword in paper.keywords
                for j in by_keyword[keyword]
                if papers[j].discipline == paper.discipline
            }
            grades[i] = 2
            results = search.query(
                " ".join(paper.keywords), kinds=["achievement"], limit=10, ranking=profile, snippets=False
            )
            total += ndcg_at_10([int(hit.id) for hit in results.hits], grades)
        out[label] = total / len(papers)
        log(f"csl {name} {label}: nDCG@10 {out[label]:.4f} ({len(papers)} queries)")
    return out


# --- scale -------------------------------------------------------------------------------------


def evaluate_scale(root: Path, n_docs: int, n_queries: int) -> dict[str, float]:
    projects = data.load_projects()
    codes = data.discipline_codes(projects)
    get_segmenter()  # the dictionary loads at start-up, not per build
    # Made beforehand so the timing covers the engine (segmentation included), not the resampling.
    documents = list(data.resampled_profiles(projects, n_docs, codes, districts=CHONGQING_DISTRICTS))
    backend = fresh_backend(root, "scale")
    started, started_cpu = time.perf_counter(), time.process_time()
    backend.rebuild(documents)
    # CPU time of every thread of the process (Python and tantivy's one indexing thread): what the
    # build costs on one otherwise idle core.
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - started_cpu
    del documents
    size = index_size(backend)
    log(f"scale: {n_docs} profiles built in {build_s:.1f}s ({build_cpu_s:.1f}s CPU), {size / 1e6:.0f} MB")
    rng = random.Random(3)
    texts = [p.title for p in rng.sample([p for p in projects if p.year > 2014], n_queries)]
    for text in texts[:20]:  # warm the page cache and the discipline totals, as a running server has
        search.match(text, kinds=["expert"])
    latencies = []
    for text in texts:
        started = time.perf_counter()
        search.match(text, kinds=["expert"], limit=10)
        latencies.append(time.perf_counter() - started)
    p50, p95 = percentiles(latencies)
    facet_latencies = []
    for text in texts[: max(20, n_queries // 5)]:
        started = time.perf_counter()
        search.query(
            text,
            kinds=["expert"],
            filters=Filters(flags=["available"]),
            facets=["district", "discipline", "year"],
            count=True,
        )
        facet_latencies.append(time.perf_counter() - started)
    f50, f95 = percentiles(facet_latencies)
    log(f"scale: match p50 {p50:.1f}ms p95 {p95:.1f}ms; facets+count p50 {f50:.1f}ms p95 {f95:.1f}ms")
    return {
        "n_docs": n_docs,
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "index_mb": size / 1e6,
        "p50_ms": p50,
        "p95_ms": p95,
        "facets_p50_ms": f50,
        "facets_p95_ms": f95,
        "n_queries": len(texts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples, under a minute")
    parser.add_argument("--scale-docs", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the index directories")
    parser.add_argument(
        "--backend",
        choices=("tantivy", "postgres"),
        default="tantivy",
        help="search backend; postgres replaces the search tables of DATABASE_URL's database",
    )
    args = parser.parse_args()
    global BACKEND  # noqa: PLW0603 - set once from the command line, read by fresh_backend()
    BACKEND = args.backend
    if BACKEND == "postgres":
        if connection.vendor != "postgresql":
            parser.error("--backend postgres needs DATABASE_URL=postgres://…")
        call_command("migrate", "search", verbosity=0)
    quick = args.quick
    n_scale = args.scale_docs or (50_000 if quick else 1_000_000)
    root = Path(tempfile.mkdtemp(prefix="kexie-bench-"))
    started = time.perf_counter()
    result: dict[str, float | int | str] = {"mode": "quick" if quick else "full"}
    if BACKEND != "tantivy":
        result["backend"] = BACKEND
    # Other work on the machine inflates latencies and wall-clock build times; the load average
    # at start and end says how much (build_cpu_s is the figure that does not depend on it).
    result["machine.cpus"] = os.cpu_count() or 0
    result["machine.load_1m_start"] = round(os.getloadavg()[0], 2)
    try:
        # "Now" is the cut-off year for recency: the ranking sees the library as it stood then.
        kexie = dataclasses.replace(MATCHING, reference_year=2014)
        nssfc = evaluate_nssfc(
            root,
            cutoff=2014,
            until=None,
            max_queries=1500 if quick else None,
            profiles_to_test={"kexie": kexie, "baseline": PLAIN},
        )
        for metric in ("recall_at_10", "mrr", "p50_ms", "p95_ms"):
            result[f"nssfc.{metric}"] = round(nssfc["kexie"][metric], 4)
            result[f"nssfc.baseline_{metric}"] = round(nssfc["baseline"][metric], 4)
        for extra in ("n_profiles", "n_queries", "build_s", "better_than_baseline", "worse_than_baseline"):
            result[f"nssfc.{extra}"] = round(nssfc["kexie"][extra], 2)
        csl = evaluate_csl(root, "sample", {"kexie": MATCHING, "baseline": PLAIN})
        result["csl.ndcg_at_10"] = round(csl["kexie"], 4)
        result["csl.baseline_ndcg_at_10"] = round(csl["baseline"], 4)
        if not quick:
            devtest = evaluate_csl(root, "devtest", {"kexie": MATCHING, "baseline": PLAIN})
            result["csl.devtest_ndcg_at_10"] = round(devtest["kexie"], 4)
            result["csl.devtest_baseline_ndcg_at_10"] = round(devtest["baseline"], 4)
        scale = evaluate_scale(root, n_scale, 200 if quick else 1000)
        for metric, value in scale.items():
            result[f"scale.{metric}"] = round(value, 2) if isinstance(value, float) else value
    finally:
        search.set_backend(None)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    result["machine.load_1m_end"] = round(os.getloadavg()[0], 2)
    result["total_s"] = round(time.perf_counter() - started, 1)
    print(
        f"build seconds (scale, {n_scale} docs): {result.get('scale.build_s')}; "
        f"index size: {result.get('scale.index_mb')} MB"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
