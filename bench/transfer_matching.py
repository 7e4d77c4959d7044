"""Matching page latency for demands: experts, achievements and service teams, as the page calls them.

    .venv/bin/python bench/transfer_matching.py           # all NSSFC PIs as experts, 300 demands
    .venv/bin/python bench/transfer_matching.py --quick   # 20k experts, 100 demands (under a minute)

Experts are the National Social Science Fund PIs (one profile per PI and institution — 北京大学 and
北京大学哲学系 are one — all projects to 2017), achievements the 4,771 CSL papers (sample + dev/test,
industry from the paper's discipline), service teams one per CSL discipline (its papers' keywords as
the members' expertise). Demands are the 300 technical topic titles in
kexie/seed/transfer_demand_titles.txt. Each demand runs the three calls of the matching page
(kexie.transfer.matching: one index call per kind, explanations, one database query for past
dockings) on one thread. Prints progress, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import django
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_TMP = tempfile.mkdtemp(prefix="kx-bench-transfer-")
os.environ.setdefault("KEXIE_VAR_DIR", _TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
django.setup()

import _matching_data as data  # noqa: E402
from django.core.management import call_command  # noqa: E402

from kexie.core.reference import districts  # noqa: E402
from kexie.search import index as search  # noqa: E402
from kexie.search.backends.tantivy_backend import TantivyBackend  # noqa: E402
from kexie.search.documents import SearchDocument  # noqa: E402
from kexie.transfer import matching  # noqa: E402
from kexie.transfer.demo import CSL_INDUSTRY, DEFAULT_INDUSTRY, DEMAND_INDUSTRY, SEED  # noqa: E402
from kexie.transfer.models import Demand, Industry  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms(values: list[float]) -> tuple[float, float]:
    array = np.array(values) * 1000
    return round(float(np.percentile(array, 50)), 2), round(float(np.percentile(array, 95)), 2)


def documents(n_experts: int, rng: random.Random) -> list[SearchDocument]:
    codes = list(districts())
    projects = data.load_projects()
    discipline_codes = data.discipline_codes(projects)
    profiles = data.build_profiles(projects, 2017)
    keys = list(profiles)
    if n_experts < len(keys):
        keys = rng.sample(keys, n_experts)
    # Matching offers verified profiles only (the staff's check); the bench's profiles count as verified.
    docs = [
        dataclasses.replace(
            data.profile_document(i, profiles[key], discipline_codes), flags=(matching.FLAG_VERIFIED,)
        )
        for i, key in enumerate(keys)
    ]
    papers = data.load_csl("sample") + data.load_csl("devtest")
    by_discipline = defaultdict(list)
    for index, paper in enumerate(papers):
        by_discipline[paper.discipline].append(paper)
        docs.append(
            SearchDocument(
                kind="achievement",
                id=index,
                title=paper.title,
                body=paper.abstract,
                keywords=list(paper.keywords),
                district=rng.choice(codes),
                industries=[CSL_INDUSTRY.get(paper.discipline, "73")],
                flags=["published"],
                activity=1,
            )
        )
    for index, (discipline, group) in enumerate(sorted(by_discipline.items())):
        expertise = sorted({k for paper in group for k in paper.keywords})[:60]
        docs.append(
            SearchDocument(
                kind="team",
                id=index,
                title=f"{discipline}科技服务团",
                body="\n".join(expertise),
                keywords=expertise[:20],
                district=rng.choice(codes),
                industries=[CSL_INDUSTRY.get(discipline, "73")],
                flags=["published"],
                activity=len(group),
            )
        )
    return docs


def demands(n: int, rng: random.Random) -> list[Demand]:
    titles = [t for t in (SEED / "transfer_demand_titles.txt").read_text(encoding="utf-8").splitlines() if t]
    industries = {i.code: i for i in Industry.objects.filter(level=2)}
    codes = list(districts())
    chosen = titles[:n]
    out = []
    for title in chosen:
        code = next((c for pattern, c in DEMAND_INDUSTRY if re.search(pattern, title)), DEFAULT_INDUSTRY)
        out.append(
            Demand(
                pk=0,
                title=title,
                description=f"企业在生产中遇到“{title}”相关的技术难题，希望与高校、科研院所或专家团队合作攻关。",
                industry=industries[code],
                district=rng.choice(codes),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20k experts, 100 demands: under a minute")
    args = parser.parse_args()
    rng = random.Random(4754)
    call_command("migrate", verbosity=0)
    backend = TantivyBackend(Path(_TMP) / "search", writer_threads=1)
    search.set_backend(backend)

    n_experts = 20_000 if args.quick else 10**9
    docs = documents(n_experts, rng)
    started = time.perf_counter()
    backend.rebuild(iter(docs))
    build_s = time.perf_counter() - started
    counts = defaultdict(int)
    for doc in docs:
        counts[doc.kind] += 1
    log(f"indexed {dict(counts)} in {build_s:.1f}s")

    cases = demands(100 if args.quick else 300, rng)
    for demand in cases[:5]:  # warm up: open readers, taxonomy, query plans
        matching.match_experts(demand)
    timings: dict[str, list[float]] = defaultdict(list)
    explained = {"expert": [0, 0], "achievement": [0, 0], "team": [0, 0]}
    for demand in cases:
        page_started = time.perf_counter()
        for kind, call in (
            ("expert", matching.match_experts),
            ("achievement", matching.match_achievements),
            ("team", matching.match_teams),
        ):
            started = time.perf_counter()
            found = call(demand)
            timings[kind].append(time.perf_counter() - started)
            explained[kind][0] += sum(1 for m in found if m.matched_terms)
            explained[kind][1] += len(found)
        timings["page"].append(time.perf_counter() - page_started)

    result: dict[str, object] = {
        "mode": "quick" if args.quick else "full",
        "index.experts": counts["expert"],
        "index.achievements": counts["achievement"],
        "index.teams": counts["team"],
        "index.build_s": round(build_s, 1),
        "demands": len(cases),
    }
    for kind in ("page", "expert", "achievement", "team"):
        p50, p95 = ms(timings[kind])
        result[f"{kind}.p50_ms"], result[f"{kind}.p95_ms"] = p50, p95
    for kind, (with_terms, total) in explained.items():
        result[f"{kind}.hits_per_demand"] = round(total / len(cases), 2)
        result[f"{kind}.explained_share"] = round(with_terms / total, 3) if total else 0.0
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
