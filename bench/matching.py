"""Matching benchmark: expert finding (NSSFC), paper retrieval (CSL), a million profiles (scale).

    .venv/bin/python bench/matching.py           # full: 1M profiles for scale (a few minutes)
    .venv/bin/python bench/matching.py --quick   # under a minute: 400 queries per NSSFC half, 300
                                                  # CSL queries, 20k scale profiles, 1000 resamples
    .venv/bin/python bench/matching.py --heldout-only   # every NSSFC dev and held-out query, nothing else
    .venv/bin/python bench/matching.py --dump-features /tmp/dev.npz   # dev candidates' features, for
                                                  # tools/train_matching.py
    .venv/bin/python bench/matching.py --dump-candidates /tmp/dev.json.gz   # dev candidates with
                                                  # their works, for tools/rescore_matching.py
    DATABASE_URL=postgres://… .venv/bin/python bench/matching.py --backend postgres --scale-docs 100000
                                                  # the same on the PostgreSQL backend (its tables in
                                                  # that database are replaced)

Prints progress lines, then one JSON object (flat dotted keys) as the last line.

* heldout / dev — a time split of NSSFC run through the product's path: PIs (name + institution;
  a name under an institution and under a part of it — 北京大学, 北京大学哲学系 — is one person)
  with their projects up to the cut-off (--cutoff, 2012) become experts and works through the
  expert services, each expert filed under the disciplines of those projects (as an expert
  registering states theirs; the query never carries one); the expert source rebuilds the index,
  and each PI's first later project is a query to search.match (kind "expert", ranking MATCHING)
  whose one right answer is the PI. PIs are split by a hash into a development half (tune there
  only: --tune compares the variants) and a held-out half. Recall@10, MRR, recall@100 against
  plain BM25 on the same index, the paired bootstrap interval of the differences, recall@10 per
  institution-size band. nssfc.* sums both halves (the keys earlier versions reported, now
  through the product's path).
* csl — CSL abstracts indexed; each paper's keywords are a query; grade 2 for the paper itself,
  1 for another paper of the same discipline sharing a keyword; nDCG@10.
* scale — profiles recombined from real titles; build time (segmentation included, one writer
  thread), index size, and latency of the call the matching page makes (search.match: ranking,
  snippets, explanation).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import django
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
os.environ.setdefault("KEXIE_FIELD_KEY", "auto")
os.environ.setdefault("KEXIE_AUDIT_KEY", "auto")
# The expert services queue an index update after each write; the bench rebuilds the index itself.
os.environ["HUEY_IMMEDIATE"] = "0"


def _migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("kexie/*/migrations/*.py")):
        digest.update(f"{path.relative_to(REPO)}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:16]


# The held-out evaluation writes experts through the expert services, so it needs the project's
# tables. Without DATABASE_URL it works on a fresh SQLite file in a temporary KEXIE_VAR_DIR, copied
# from a migrated template kept in the temporary directory (migrating takes minutes on a loaded
# machine; the template is remade when the migrations change).
VAR_DIR = Path(tempfile.mkdtemp(prefix="kexie-bench-var-"))
TEMPLATE_DB = Path(tempfile.gettempdir()) / f"kexie-bench-matching-{_migrations_digest()}.sqlite3"
# --quick starts from the library a full run built through the services (same rows, kept beside
# the template): it rebuilds the index from it and queries, which is what the figures depend on.
_CUTOFF = sys.argv[sys.argv.index("--cutoff") + 1] if "--cutoff" in sys.argv else "2012"
# The library's layout: 2 = experts filed under their projects' disciplines (seventh round); 3 = a
# PI listed under an institution and under a part of it is one person (eighth round; --exact-keys
# gives layout 2 back, for comparison).
EXACT_KEYS = "--exact-keys" in sys.argv
LIBRARY_LAYOUT = 2 if EXACT_KEYS else 3
LIBRARY_DB = TEMPLATE_DB.with_name(f"{TEMPLATE_DB.stem}-library-{_CUTOFF}-v{LIBRARY_LAYOUT}.sqlite3")
if not os.environ.get("DATABASE_URL"):
    os.environ["KEXIE_VAR_DIR"] = str(VAR_DIR)
    reuse = ("--quick", "--tune", "--heldout-only", "--dump-features", "--dump-candidates")
    if any(flag in sys.argv for flag in reuse) and LIBRARY_DB.exists():
        shutil.copyfile(LIBRARY_DB, VAR_DIR / "kexie.sqlite3")
    elif TEMPLATE_DB.exists():
        shutil.copyfile(TEMPLATE_DB, VAR_DIR / "kexie.sqlite3")
django.setup()

import _matching_data as data  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from kexie.search import index as search  # noqa: E402
from kexie.search.backends.base import SearchBackend  # noqa: E402
from kexie.search.backends.postgres_backend import PostgresBackend  # noqa: E402
from kexie.search.backends.tantivy_backend import TantivyBackend  # noqa: E402
from kexie.search.documents import Filters, SearchDocument  # noqa: E402
from kexie.search.ranking import MATCHING, PLAIN, FacetPrior, RankingProfile  # noqa: E402
from kexie.search.segment import get_segmenter  # noqa: E402

CHONGQING_DISTRICTS = tuple(str(500101 + i) for i in range(38))

# Queries per half that --quick asks (a seeded sample; the full run and --heldout-only ask all).
QUICK_QUERIES = 400

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


def tuning_variants() -> dict[str, RankingProfile]:
    """What was compared on the development split (docs/search.md has the figures)."""
    base = MATCHING
    weights = base.term_kind_weights
    expert_boosts = base.kind_field_boosts["expert"]
    return {
        "product": base,
        "before": dataclasses.replace(
            base,
            kind_field_boosts={},
            term_kind_weights={},
            works=0.0,
            feedback_docs=0,
            rerank_depth=100,
            priors=(
                *base.priors,
                FacetPrior(field="org", weight=2.0, source="results", min_probability=0.01),
            ),
        ),
        "feedback": dataclasses.replace(base, feedback_docs=10),
        # Seventh round (experts filed under their disciplines): the discipline prior's weight and
        # source — "terms" (MATCHING's, per-term counts over the library) and/or "results" (the
        # candidates' own disciplines, weighted by their scores).
        **{
            f"discipline_{weight}": dataclasses.replace(
                base,
                priors=(
                    dataclasses.replace(base.priors[0], weight=weight),
                    *base.priors[1:],
                ),
            )
            for weight in (0.0, 0.25, 1.0, 2.0)
        },
        **{
            f"discipline_{terms}_results_{weight}": dataclasses.replace(
                base,
                priors=(
                    dataclasses.replace(base.priors[0], weight=terms),
                    *base.priors[1:],
                    FacetPrior(field="discipline", weight=weight, source="results", min_probability=0.05),
                ),
            )
            for terms in (0.0, 0.25, 0.5)
            for weight in (0.15, 0.25, 0.35)
        },
        **{
            f"discipline_max_values_{top}": dataclasses.replace(
                base, priors=(dataclasses.replace(base.priors[0], max_values=top), *base.priors[1:])
            )
            for top in (1, 3)
        },
        "no_works": dataclasses.replace(base, works=0.0),
        "works_best_only": dataclasses.replace(base, works_top=1),
        "guess_0.5": dataclasses.replace(base, term_kind_weights={**weights, "guess": 0.5}),
        "no_recency_activity": dataclasses.replace(base, recency=0.0, activity=0.0),
        "recency_0.5_activity_0.3": dataclasses.replace(base, recency=0.5, activity=0.3),
        "depth_100": dataclasses.replace(base, rerank_depth=100),
        "depth_1000": dataclasses.replace(base, rerank_depth=1000),
        "works_0.35": dataclasses.replace(base, works=0.35),
        "works_0.7": dataclasses.replace(base, works=0.7),
        "works_decay_0.3": dataclasses.replace(base, works_decay=0.3),
        "works_decay_0.7": dataclasses.replace(base, works_decay=0.7),
        "works_top_5": dataclasses.replace(base, works_top=5),
        "keywords_1": dataclasses.replace(
            base, kind_field_boosts={"expert": {**expert_boosts, "keywords": 1.0}}
        ),
        "keywords_3": dataclasses.replace(
            base, kind_field_boosts={"expert": {**expert_boosts, "keywords": 3.0}}
        ),
        "recency_0.3": dataclasses.replace(base, recency=0.3),
        "activity_0.2": dataclasses.replace(base, activity=0.2),
        "repeated_works": dataclasses.replace(base, distinct_works=False),
        "proximity_0.25": dataclasses.replace(base, proximity=0.25),
        "proximity_0.5": dataclasses.replace(base, proximity=0.5),
        "proximity_1": dataclasses.replace(base, proximity=1.0),
        "proximity_0.5_window_1": dataclasses.replace(base, proximity=0.5, proximity_window=1),
        "part_0.25": dataclasses.replace(base, term_kind_weights={**weights, "part": 0.25}),
        "depth_500": dataclasses.replace(base, rerank_depth=500),
        "characters_0.2": dataclasses.replace(base, characters=0.2),
        "characters_0.3": dataclasses.replace(base, characters=0.3),
        "characters_0.4": dataclasses.replace(base, characters=0.4),
        "characters_0.5": dataclasses.replace(base, characters=0.5),
        "characters_0.7": dataclasses.replace(base, characters=0.7),
        "common_0.02_x0.5": dataclasses.replace(base, common_share=0.02, common_weight=0.5),
        "common_0.05_x0.5": dataclasses.replace(base, common_share=0.05, common_weight=0.5),
        "common_0.02_x0.25": dataclasses.replace(base, common_share=0.02, common_weight=0.25),
        "common_0.01_x0.5": dataclasses.replace(base, common_share=0.01, common_weight=0.5),
        "common_0.02_x0.75": dataclasses.replace(base, common_share=0.02, common_weight=0.75),
        "common_0.05_x0.25": dataclasses.replace(base, common_share=0.05, common_weight=0.25),
        "common_0.02_x0.5_decay_0.3": dataclasses.replace(
            base, common_share=0.02, common_weight=0.5, works_decay=0.3
        ),
        "common_0.02_x0.5_works_0.7": dataclasses.replace(
            base, common_share=0.02, common_weight=0.5, works=0.7
        ),
        "proximity_0.1": dataclasses.replace(base, proximity=0.1),
        "common_0.02_x0.6": dataclasses.replace(base, common_share=0.02, common_weight=0.6),
        "common_0.02_x0.85": dataclasses.replace(base, common_share=0.02, common_weight=0.85),
        "common_0.01_x0.75": dataclasses.replace(base, common_share=0.01, common_weight=0.75),
        "common_0.03_x0.75": dataclasses.replace(base, common_share=0.03, common_weight=0.75),
        "common_0.005_x0.85": dataclasses.replace(base, common_share=0.005, common_weight=0.85),
        "common_0.02_x0.75_decay_0.3": dataclasses.replace(
            base, common_share=0.02, common_weight=0.75, works_decay=0.3
        ),
        "common_0.02_x0.75_proximity_0.1": dataclasses.replace(
            base, common_share=0.02, common_weight=0.75, proximity=0.1
        ),
        "common_0.02_x0.75_decay_0.3_proximity_0.1": dataclasses.replace(
            base, common_share=0.02, common_weight=0.75, works_decay=0.3, proximity=0.1
        ),
        "common_0.02_x0.6_decay_0.3": dataclasses.replace(
            base, common_share=0.02, common_weight=0.6, works_decay=0.3
        ),
        "common_0.02_x0.75_decay_0.2": dataclasses.replace(
            base, common_share=0.02, common_weight=0.75, works_decay=0.2
        ),
        "common_0.02_x0.75_decay_0.3_works_0.7": dataclasses.replace(
            base, common_share=0.02, common_weight=0.75, works_decay=0.3, works=0.7
        ),
    }


# --- held-out: NSSFC through the product's path ------------------------------------------------


def prepare_database() -> None:
    """The project's tables: migrated once into the SQLite template, or migrated in place."""
    if connection.vendor == "sqlite":
        if not TEMPLATE_DB.exists():
            log("migrating a template database for the bench (once per set of migrations)")
            call_command("migrate", verbosity=0)
            connection.close()
            shutil.copyfile(VAR_DIR / "kexie.sqlite3", TEMPLATE_DB)
    else:
        call_command("migrate", verbosity=0)


def build_library(split: data.TimeSplit) -> dict[tuple[str, str], str]:
    """Expert profiles as the product makes them: create_experts (one import), each project a work
    of its PI (Work rows in bulk: add_work's per-row transaction and audit event would take
    minutes for 60,000 works, and the index sees the same rows), then the registered expert
    source rebuilds the index. Returns PI key → expert id.

    Each expert is filed under the disciplines of their projects up to the cut-off, as an expert
    registering in the product states theirs. NSSFC's disciplines (哲学, 应用经济 …) are not in
    the product's NSFC tree, so the bench loads them as a scheme of its own (S01 …, level 1, as an
    operator would load theirs); the discipline prior learns from whatever codes the library
    carries. The query is a title only: its discipline is never given."""
    from kexie.experts import services as expert_services
    from kexie.experts.enums import SearchKind, WorkKind
    from kexie.experts.models import Discipline, Expert, Work

    keys = sorted(split.profiles)
    ids: dict[tuple[str, str], str] = {
        (name, org): str(pk)
        for pk, name, org in Expert.objects.values_list("pk", "name", "organization_name")
    }
    if len(ids) == len(keys) and all(key in ids for key in keys):
        log("heldout: the library a previous run built through the services is reused (--quick)")
        search.rebuild(kinds=[SearchKind.EXPERT])
        return ids
    Work.objects.all().delete()
    Expert.objects.all().delete()
    codes = data.discipline_codes([p for projects in split.profiles.values() for p in projects])
    Discipline.objects.bulk_create(
        [Discipline(code=code, name=name, level=1) for name, code in codes.items()], ignore_conflicts=True
    )
    ids = {}
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        experts = expert_services.create_experts(
            by=None,
            rows=[
                (
                    {"name": pi, "organization_name": institution, "title": "other"},
                    sorted({codes[p.discipline] for p in split.profiles[(pi, institution)] if p.discipline}),
                )
                for pi, institution in chunk
            ],
        )
        works = []
        for key, expert in zip(chunk, experts, strict=True):
            ids[key] = str(expert.pk)
            works.extend(
                Work(expert=expert, kind=WorkKind.PROJECT, title=project.title, year=project.year)
                for project in split.profiles[key]
            )
        Work.objects.bulk_create(works, batch_size=2000)
    if connection.vendor == "sqlite":
        connection.close()
        shutil.copyfile(VAR_DIR / "kexie.sqlite3", LIBRARY_DB)
    search.rebuild(kinds=[SearchKind.EXPERT])
    return ids


def ranks_for(
    queries: list[tuple[str, tuple[str, str]]], ids: dict[tuple[str, str], str], profile: RankingProfile
) -> tuple[list[int], list[float]]:
    """Rank of the right expert per query (1000 when outside the top 100) and latencies; the
    product's call: search.match on kind "expert"."""
    ranks, latencies = [], []
    for text, key in queries:
        started = time.perf_counter()
        results = search.match(text, kinds=["expert"], limit=100, ranking=profile, explain=False)
        latencies.append(time.perf_counter() - started)
        found = [hit.id for hit in results.hits]
        target = ids[key]
        ranks.append(found.index(target) + 1 if target in found else 1000)
    return ranks, latencies


def metrics(ranks: list[int]) -> dict[str, float]:
    n = max(1, len(ranks))
    return {
        "recall_at_10": sum(r <= 10 for r in ranks) / n,
        "recall_at_100": sum(r <= 100 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r <= 100) / n,
    }


def paired_bootstrap(a: list[int], b: list[int], *, samples: int = 2000, seed: int = 11) -> dict[str, float]:
    """95 % percentile interval of the differences a − b in recall@10 and MRR, queries resampled
    in pairs."""
    rng = np.random.default_rng(seed)
    ra, rb = np.array(a), np.array(b)
    hit = (ra <= 10).astype(float) - (rb <= 10).astype(float)
    rr = np.where(ra <= 100, 1 / ra, 0.0) - np.where(rb <= 100, 1 / rb, 0.0)
    picks = rng.integers(0, len(ra), size=(samples, len(ra)))
    recall_diffs, mrr_diffs = hit[picks].mean(axis=1), rr[picks].mean(axis=1)
    return {
        "ci_low": float(np.percentile(recall_diffs, 2.5)),
        "ci_high": float(np.percentile(recall_diffs, 97.5)),
        "mrr_ci_low": float(np.percentile(mrr_diffs, 2.5)),
        "mrr_ci_high": float(np.percentile(mrr_diffs, 97.5)),
    }


def evaluate_split(
    queries: list[tuple[str, tuple[str, str]]],
    ids: dict[tuple[str, str], str],
    split: data.TimeSplit,
    product: RankingProfile,
    theirs: list[int],
    *,
    bootstrap_samples: int = 2000,
    asked_before: set[tuple[str, tuple[str, str]]] | None = None,
) -> dict[str, object]:
    """The product's ranking against the baseline's ranks (``theirs``) on the same queries;
    with ``asked_before``, the same figures on those of the queries alone (the queries the
    seventh round's library, which took every spelling of an institution for another person, asked)."""
    ours, latencies = ranks_for(queries, ids, product)
    out: dict[str, object] = {"n_queries": len(queries)}
    for name, value in metrics(ours).items():
        out[name] = round(value, 4)
    for name, value in metrics(theirs).items():
        out[f"baseline_{name}"] = round(value, 4)
    out.update(
        {
            name: round(value, 4)
            for name, value in paired_bootstrap(ours, theirs, samples=bootstrap_samples).items()
        }
    )
    out["better_than_baseline"] = sum(a < b for a, b in zip(ours, theirs, strict=True))
    out["worse_than_baseline"] = sum(a > b for a, b in zip(ours, theirs, strict=True))
    bands: dict[str, dict[str, float]] = {}
    for band in ("<30", "30-99", ">=100"):
        chosen = [
            i for i, (_t, key) in enumerate(queries) if data.size_band(split.institution_size[key[1]]) == band
        ]
        bands[band] = {
            "n": len(chosen),
            "recall_at_10": round(metrics([ours[i] for i in chosen])["recall_at_10"], 4),
            "baseline_recall_at_10": round(metrics([theirs[i] for i in chosen])["recall_at_10"], 4),
        }
    out["by_institution_size"] = bands
    if asked_before is not None:
        chosen = [i for i, query in enumerate(queries) if query in asked_before]
        mine, base = metrics([ours[i] for i in chosen]), metrics([theirs[i] for i in chosen])
        out["asked_before"] = {"n": len(chosen)} | {
            f"{prefix}{name}": round(value, 4)
            for prefix, figures in (("", mine), ("baseline_", base))
            for name, value in figures.items()
        }
    out["p50_ms"], out["p95_ms"] = (round(v, 2) for v in percentiles(latencies))
    return out


def evaluate_heldout(
    *,
    cutoff: int,
    variants: dict[str, RankingProfile] | None = None,
    max_queries: int | None = None,
    bootstrap_samples: int = 2000,
) -> dict[str, dict[str, object]]:
    """Dev and held-out figures for the product's ranking (and, with ``variants``, for candidate
    rankings on the dev split only: what tuning may look at)."""
    projects = data.load_projects(resolve_people=not EXACT_KEYS)
    split = data.time_split(projects, cutoff)
    started = time.perf_counter()
    ids = build_library(split)
    build_s = time.perf_counter() - started
    by_part: dict[str, list[tuple[str, tuple[str, str]]]] = {"dev": [], "heldout": []}
    for query in split.queries:
        by_part[data.split_of(query[1])].append(query)
    if max_queries:
        for part, queries in by_part.items():
            if len(queries) > max_queries:
                by_part[part] = random.Random(5).sample(queries, max_queries)
    log(
        f"heldout cutoff={cutoff}: {len(ids)} experts through the services, built in {build_s:.1f}s; "
        f"{len(by_part['dev'])} dev and {len(by_part['heldout'])} held-out queries"
    )
    product = dataclasses.replace(MATCHING, reference_year=cutoff)
    out: dict[str, dict[str, object]] = {}
    baseline = {part: ranks_for(queries, ids, PLAIN)[0] for part, queries in by_part.items()}
    if variants:
        for name, variant in variants.items():
            out[f"dev:{name}"] = evaluate_split(
                by_part["dev"],
                ids,
                split,
                dataclasses.replace(variant, reference_year=cutoff),
                baseline["dev"],
            )
            log(f"  dev {name}: {json.dumps(out[f'dev:{name}'], ensure_ascii=False)}")
        return out
    # The queries the library of exact keys asks too (layout 2: 1,475 of its 1,478 are still asked).
    asked_before = (
        None if EXACT_KEYS else set(data.time_split(data.load_projects(resolve_people=False), cutoff).queries)
    )
    for part in ("dev", "heldout"):
        out[part] = evaluate_split(
            by_part[part],
            ids,
            split,
            product,
            baseline[part],
            bootstrap_samples=bootstrap_samples,
            asked_before=asked_before,
        )
        out[part]["n_profiles"] = len(ids)
        out[part]["build_s"] = round(build_s, 1)
        log(f"  {part}: {json.dumps(out[part], ensure_ascii=False)}")
    return out


def dump_features(*, cutoff: int, path: Path) -> None:
    """Every development query's candidates (the profile-centric top ``rerank_depth``) with
    their features (``Candidate.features``), text score and score, and which one is the right
    expert, for tools/train_matching.py. The development half only: the held-out half is never
    trained on."""
    from kexie.search import ranking  # noqa: PLC0415 - patched here only

    projects = data.load_projects(resolve_people=not EXACT_KEYS)
    split = data.time_split(projects, cutoff)
    ids = build_library(split)
    queries = [query for query in split.queries if data.split_of(query[1]) == "dev"]
    seen: list[list[ranking.Candidate]] = []
    original = ranking.rerank

    def capture(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        out = original(*args, **kwargs)
        seen.append(list(args[1]))
        return out

    ranking.rerank = capture
    profile = dataclasses.replace(MATCHING, reference_year=cutoff)
    names: list[str] = []
    rows: list[list[float]] = []
    query_of: list[int] = []
    target: list[int] = []
    scores: list[tuple[float, float]] = []
    try:
        for number, (text, key) in enumerate(queries):
            seen.clear()
            search.match(text, kinds=["expert"], limit=10, ranking=profile, explain=False)
            for candidate in seen[-1] if seen else ():
                names = names or sorted(candidate.features)
                rows.append([candidate.features.get(name, 0.0) for name in names])
                scores.append((candidate.text_score, candidate.score))
                query_of.append(number)
                target.append(int(candidate.key == ids[key]))
    finally:
        ranking.rerank = original
    np.savez_compressed(
        path,
        features=np.array(rows),
        names=np.array(names),
        scores=np.array(scores),
        query=np.array(query_of),
        target=np.array(target),
        n_queries=len(queries),
    )
    log(f"features: {len(queries)} development queries, {len(rows)} candidates, {names} → {path}")


def payload_work_years() -> Callable[[str], list[int | None]]:
    """Each expert's works' years, in the order of the payload's works (the index keeps no year
    per work): the expert's works as kexie.experts.documents lists them (most recent first), those
    the segmenter leaves terms of, at most MAX_SCORED_WORKS (backends.common.body_terms)."""
    from kexie.experts.models import Work  # noqa: PLC0415 - this dump only
    from kexie.search.backends.common import MAX_SCORED_WORKS  # noqa: PLC0415

    works: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    for expert_id, title, year in Work.objects.order_by("expert_id", "-year", "pk").values_list(
        "expert_id", "title", "year"
    ):
        if title:
            works[str(expert_id)].append((title, year))
    tokens = get_segmenter().tokens
    cache: dict[str, list[int | None]] = {}

    def years(key: str) -> list[int | None]:
        if key not in cache:
            kept = [year for title, year in works.get(key, ()) if tokens(title)]
            cache[key] = kept[:MAX_SCORED_WORKS]
        return cache[key]

    return years


def dump_candidates(*, cutoff: int, path: Path) -> None:
    """Every development query's candidates as the shipped ranking re-scores them — key, text
    score, signals, segmented works — with the query's weighted terms and IDFs, the right
    expert, its institution band and BM25's rank (gzipped JSON), for tools/rescore_matching.py,
    which re-scores them with other document-centric models. The development half only."""
    import gzip  # noqa: PLC0415 - this dump only

    from kexie.search import ranking  # noqa: PLC0415 - patched here only

    projects = data.load_projects(resolve_people=not EXACT_KEYS)
    split = data.time_split(projects, cutoff)
    ids = build_library(split)
    queries = [query for query in split.queries if data.split_of(query[1]) == "dev"]
    baseline, _ = ranks_for(queries, ids, PLAIN)
    seen: list[dict[str, object]] = []
    original = ranking.rerank
    work_years = payload_work_years()

    def capture(profile, candidates, weight, predictions, **kwargs):  # noqa: ANN001, ANN003, ANN202
        out = original(profile, candidates, weight, predictions, **kwargs)
        for c in candidates:
            if len(work_years(c.key)) != len(c.works):
                raise SystemExit(f"candidate {c.key}: its works' years do not line up with its payload")
        seen.append(
            {
                "terms": dict(kwargs.get("terms") or {}),
                "idfs": dict(kwargs.get("idfs") or {}),
                "weight": weight,
                "predictions": {name: list(values) for name, values in predictions.items()},
                "candidates": [
                    {
                        "key": c.key,
                        "text_score": c.text_score,
                        "signals": dict(c.signals),
                        "disciplines": sorted(c.values.get("discipline", ())),
                        "works": [list(work) for work in c.works],
                        "work_years": work_years(c.key),
                    }
                    for c in candidates
                ],
            }
        )
        return out

    ranking.rerank = capture
    profile = dataclasses.replace(MATCHING, reference_year=cutoff)
    codes = data.discipline_codes([p for projects in split.profiles.values() for p in projects])
    later = {(p.title, (p.pi, p.institution)): p.discipline for p in projects if p.year > cutoff}
    rows = []
    try:
        for (text, key), bm25_rank in zip(queries, baseline, strict=True):
            seen.clear()
            search.match(text, kinds=["expert"], limit=10, ranking=profile, explain=False)
            rows.append(
                {
                    "text": text,
                    "target": ids[key],
                    "band": data.size_band(split.institution_size[key[1]]),
                    "baseline_rank": bm25_rank,
                    # The query project's own discipline (never given to the ranking).
                    "discipline": codes.get(later.get((text, key), ""), ""),
                    "query": seen[-1] if seen else None,
                }
            )
    finally:
        ranking.rerank = original
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump({"n_docs": len(ids), "reference_year": cutoff, "rows": rows}, out, ensure_ascii=False)
    log(f"candidates: {len(rows)} development queries → {path}")


# --- CSL ---------------------------------------------------------------------------------------


def ndcg_at_10(ranked: list[int], grades: dict[int, int]) -> float:
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate_csl(
    root: Path, name: str, profiles_to_test: dict[str, RankingProfile], max_queries: int | None = None
) -> dict[str, float]:
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
    # Every paper is indexed; --quick asks with a sample of them.
    asked = list(range(len(papers)))
    if max_queries and len(asked) > max_queries:
        asked = sorted(random.Random(9).sample(asked, max_queries))
    for label, profile in profiles_to_test.items():
        total = 0.0
        for i in asked:
            paper = papers[i]
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
        out[label] = total / len(asked)
        log(f"csl {name} {label}: nDCG@10 {out[label]:.4f} ({len(asked)} queries)")
    return out


# --- scale -------------------------------------------------------------------------------------


def evaluate_scale(root: Path, n_docs: int, n_queries: int) -> dict[str, float]:
    projects = data.load_projects(resolve_people=not EXACT_KEYS)
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


def compare_latency(root: Path, n_docs: int, n_queries: int = 300) -> None:
    """search.match latency of the ranking before this work, the product's, and the previous
    round's (a title held twice scored twice), interleaved on one index (--compare-latency N): on a shared
    machine only such side-by-side figures compare."""
    projects = data.load_projects(resolve_people=not EXACT_KEYS)
    codes = data.discipline_codes(projects)
    get_segmenter()
    documents = list(data.resampled_profiles(projects, n_docs, codes, districts=CHONGQING_DISTRICTS))
    fresh_backend(root, "latency").rebuild(documents)
    del documents
    before = tuning_variants()["before"]
    rankings = {
        "before": before,
        "product": MATCHING,
        "previous": dataclasses.replace(MATCHING, distinct_works=False),
    }
    rng = random.Random(3)
    texts = [p.title for p in rng.sample([p for p in projects if p.year > 2014], n_queries)]
    for text in texts[:20]:
        search.match(text, kinds=["expert"])
    latencies: dict[str, list[float]] = {name: [] for name in rankings}
    for text in texts:
        for name, profile in rankings.items():
            started = time.perf_counter()
            search.match(text, kinds=["expert"], limit=10, ranking=profile)
            latencies[name].append(time.perf_counter() - started)
    out = {f"{name}.p50_ms": round(percentiles(values)[0], 1) for name, values in latencies.items()}
    out.update({f"{name}.p95_ms": round(percentiles(values)[1], 1) for name, values in latencies.items()})
    out["n_docs"], out["load_1m"] = n_docs, round(os.getloadavg()[0], 2)
    print(json.dumps(out))


def main() -> None:  # noqa: PLR0912, PLR0915 - a linear bench script
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
    parser.add_argument(
        "--cutoff", type=int, default=2012, help="last year of the profiles (NSSFC time split)"
    )
    parser.add_argument(
        "--compare-latency",
        type=int,
        default=0,
        metavar="N",
        help="match latency of three rankings at N profiles",
    )
    parser.add_argument(
        "--tune", action="store_true", help="compare the candidate rankings on the development split only"
    )
    parser.add_argument(
        "--exact-keys",
        action="store_true",
        help="a PI is a name at an institution exactly as spelt (the seventh round's library)",
    )
    parser.add_argument(
        "--heldout-only",
        action="store_true",
        help="only the NSSFC development and held-out figures (every query unless --quick)",
    )
    parser.add_argument(
        "--dump-features",
        default="",
        metavar="PATH",
        help="write the development half's candidates and features (tools/train_matching.py)",
    )
    parser.add_argument(
        "--dump-candidates",
        default="",
        metavar="PATH",
        help="write the development half's candidates with their works (tools/rescore_matching.py)",
    )
    parser.add_argument("--only", default="", help="with --tune: the variants to compare, comma-separated")
    args = parser.parse_args()
    global BACKEND  # noqa: PLW0603 - set once from the command line, read by fresh_backend()
    BACKEND = args.backend
    if BACKEND == "postgres":
        if connection.vendor != "postgresql":
            parser.error("--backend postgres needs DATABASE_URL=postgres://…")
        call_command("migrate", "search", verbosity=0)
    quick = args.quick
    n_scale = args.scale_docs or (20_000 if quick else 1_000_000)
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
        if args.compare_latency:
            compare_latency(root, args.compare_latency)
            return
        prepare_database()
        # The library as it stood at the cut-off: "now" is the cut-off year for recency.
        if args.dump_features:
            fresh_backend(root, "heldout")
            dump_features(cutoff=args.cutoff, path=Path(args.dump_features))
            return
        if args.dump_candidates:
            fresh_backend(root, "heldout")
            dump_candidates(cutoff=args.cutoff, path=Path(args.dump_candidates))
            return
        if args.tune:
            fresh_backend(root, "heldout")
            variants = tuning_variants()
            if args.only:
                variants = {name: variants[name] for name in args.only.split(",")}
            tuned = evaluate_heldout(cutoff=args.cutoff, variants=variants)
            print(json.dumps(tuned, ensure_ascii=False))
            return
        fresh_backend(root, "heldout")
        # --quick: a seeded sample of each half and fewer resamples (the full run: every query).
        heldout = evaluate_heldout(
            cutoff=args.cutoff,
            max_queries=QUICK_QUERIES if quick else None,
            bootstrap_samples=1000 if quick else 2000,
        )
        if args.heldout_only:
            for part in ("heldout", "dev"):
                for key, value in heldout[part].items():
                    result[f"{part}.{key}"] = value
            print(json.dumps(result, ensure_ascii=False))
            return
        for part in ("heldout", "dev"):
            for key, value in heldout[part].items():
                result[f"{part}.{key}"] = value
        # The existing keys: the whole query set (dev and held-out) through the same path.
        n_dev, n_held = heldout["dev"]["n_queries"], heldout["heldout"]["n_queries"]
        for metric in ("recall_at_10", "mrr", "recall_at_100"):
            for prefix in ("", "baseline_"):
                both = heldout["dev"][prefix + metric] * n_dev + heldout["heldout"][prefix + metric] * n_held
                result[f"nssfc.{prefix}{metric}"] = round(both / (n_dev + n_held), 4)
        for metric in ("p50_ms", "p95_ms", "n_profiles", "build_s"):
            result[f"nssfc.{metric}"] = heldout["heldout"][metric]
        result["nssfc.n_queries"] = n_dev + n_held
        result["nssfc.cutoff"] = args.cutoff
        for extra in ("better_than_baseline", "worse_than_baseline"):
            result[f"nssfc.{extra}"] = heldout["dev"][extra] + heldout["heldout"][extra]
        csl = evaluate_csl(
            root, "sample", {"kexie": MATCHING, "baseline": PLAIN}, max_queries=300 if quick else None
        )
        result["csl.ndcg_at_10"] = round(csl["kexie"], 4)
        result["csl.baseline_ndcg_at_10"] = round(csl["baseline"], 4)
        if not quick:
            devtest = evaluate_csl(root, "devtest", {"kexie": MATCHING, "baseline": PLAIN})
            result["csl.devtest_ndcg_at_10"] = round(devtest["kexie"], 4)
            result["csl.devtest_baseline_ndcg_at_10"] = round(devtest["baseline"], 4)
        scale = evaluate_scale(root, n_scale, 100 if quick else 1000)
        for metric, value in scale.items():
            result[f"scale.{metric}"] = round(value, 2) if isinstance(value, float) else value
    finally:
        search.set_backend(None)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
            shutil.rmtree(VAR_DIR, ignore_errors=True)
    result["machine.load_1m_end"] = round(os.getloadavg()[0], 2)
    result["total_s"] = round(time.perf_counter() - started, 1)
    print(
        f"build seconds (scale, {n_scale} docs): {result.get('scale.build_s')}; "
        f"index size: {result.get('scale.index_mb')} MB"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
