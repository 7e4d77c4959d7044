"""Data for bench/matching.py: expert profiles from NSSFC projects, CSL papers, resampled profiles.

Everything is read from the shared evaluation data (eval/matching, see eval/SOURCES.md); nothing
here is used by the platform or its tests.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import os
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kexie.search.documents import SearchDocument

# The project sits beside the shared data (../shared/eval); KEXIE_EVAL_DIR points elsewhere.
# KEXIE_SHARED names the shared directory, as for the other benches.
_SHARED = Path(os.environ.get("KEXIE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
EVAL_DIR = Path(os.environ.get("KEXIE_EVAL_DIR", _SHARED / "eval")) / "matching"
NSSFC_FILE = EVAL_DIR / "nssfc_social_science_fund_projects_to2017.csv"
CSL_FILES = {
    "sample": EVAL_DIR / "csl_sample_2771.tsv",
    "devtest": EVAL_DIR / "csl_benchmark_devtest_2000.tsv",
}

# The NSSFC sheet spells some disciplines several ways over the years.
_DISCIPLINE_ALIASES = {
    "马列科社": "马列·科社",
    "马列•科社": "马列·科社",
    "党史党建": "党史·党建",
    "图书馆、情报与档案学": "图书馆、情报与文献学",
    "图书·情报与文献": "图书馆、情报与文献学",
    "图书情报": "图书馆、情报与文献学",
    "新闻学": "新闻学与传播学",
    "新闻传播学": "新闻学与传播学",
    "国际问题": "国际问题研究",
}


@dataclass(frozen=True, slots=True)
class Project:
    pi: str
    institution: str
    title: str
    year: int
    discipline: str


@dataclass(slots=True)
class Profile:
    key: tuple[str, str]
    titles: list[str] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _clean_discipline(raw: str) -> str:
    name = "".join(raw.split())
    name = _DISCIPLINE_ALIASES.get(name, name)
    return "" if name in ("", "0") else name


def load_projects(*, resolve_people: bool = True) -> list[Project]:
    projects = []
    with NSSFC_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            year_text = (row["立项时间"] or "")[:4]
            pi, institution, title = (
                row["项目负责人"].strip(),
                row["工作单位"].strip(),
                row["项目名称"].strip(),
            )
            if not (year_text.isdigit() and int(year_text) > 1900 and pi and institution and title):
                continue
            projects.append(
                Project(
                    pi=pi,
                    institution=institution,
                    title=title,
                    year=int(year_text),
                    discipline=_clean_discipline(row["学科分类"]),
                )
            )
    return same_people(projects) if resolve_people else projects


# A shorter institution counts as a parent only from four characters on (南京大学, not 南京).
MIN_PARENT = 4


def same_people(projects: list[Project]) -> list[Project]:
    """One person, one key: a PI listed under an institution and under a part of it (北京大学 and
    北京大学哲学系) is one person, keyed by the shortest of them. A name at two unrelated
    institutions stays two people (a move, or a namesake: nothing tells them apart)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for project in projects:
        by_name[project.pi].add(project.institution)
    canonical: dict[tuple[str, str], str] = {}
    for name, institutions in by_name.items():
        ordered = sorted(institutions, key=lambda text: (len(text), text))
        for index, institution in enumerate(ordered):
            parent = next(
                (
                    shorter
                    for shorter in ordered[:index]
                    if len(shorter) >= MIN_PARENT and institution.startswith(shorter)
                ),
                None,
            )
            if parent is not None:
                canonical[(name, institution)] = canonical.get((name, parent), parent)
    return [
        dataclasses.replace(project, institution=canonical[(project.pi, project.institution)])
        if (project.pi, project.institution) in canonical
        else project
        for project in projects
    ]


def discipline_codes(projects: list[Project]) -> dict[str, str]:
    """NSSFC disciplines → codes of a benchmark-only scheme ("S01"…)."""
    names = sorted({p.discipline for p in projects if p.discipline})
    return {name: f"S{index + 1:02d}" for index, name in enumerate(names)}


def build_profiles(projects: list[Project], cutoff: int) -> dict[tuple[str, str], Profile]:
    """One profile per PI (name + institution) from their projects up to ``cutoff``."""
    profiles: dict[tuple[str, str], Profile] = {}
    for project in projects:
        if project.year > cutoff:
            continue
        key = (project.pi, project.institution)
        profile = profiles.setdefault(key, Profile(key=key))
        profile.titles.append(project.title)
        if project.discipline:
            profile.disciplines.append(project.discipline)
        profile.years.append(project.year)
    return profiles


def profile_document(index: int, profile: Profile, codes: dict[str, str]) -> SearchDocument:
    """The product's layout (kexie.experts.documents): the name as title, the titles as works.
    (The titles once went into ``title``: since matching weighs an expert's title 0 — names never
    match topics — such a profile matched nothing.)"""
    return SearchDocument(
        kind="expert",
        id=index,
        title=profile.key[0],
        works=list(profile.titles),
        disciplines=sorted({codes[d] for d in profile.disciplines}),
        org_id=profile.key[1],
        year=max(profile.years),
        activity=len(profile.titles),
    )


def later_queries(
    projects: list[Project], profiles: dict[tuple[str, str], Profile], cutoff: int, until: int | None = None
) -> list[tuple[str, tuple[str, str]]]:
    """(query title, relevant profile key): each profiled PI's first project after ``cutoff``."""
    first: dict[tuple[str, str], Project] = {}
    for project in sorted(projects, key=lambda p: p.year):
        key = (project.pi, project.institution)
        if project.year <= cutoff or (until is not None and project.year > until):
            continue
        if key in profiles and key not in first:
            first[key] = project
    return [(project.title, key) for key, project in first.items()]


@dataclass(frozen=True, slots=True)
class Paper:
    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str
    category: str


def load_csl(name: str) -> list[Paper]:
    papers = []
    with CSL_FILES[name].open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            keywords = tuple(k.strip() for k in row["keywords"].split("_") if k.strip())
            papers.append(
                Paper(
                    title=row["title"],
                    abstract=row["abstract"],
                    keywords=keywords,
                    discipline=row["discipline"],
                    category=row["category"],
                )
            )
    return papers


def csl_codes(papers: list[Paper]) -> dict[tuple[str, str], str]:
    """CSL category (门类) > discipline (一级学科) as a two-level code: "X01" > "X0103"."""
    categories = sorted({p.category for p in papers})
    codes = {}
    for c_index, category in enumerate(categories):
        disciplines = sorted({p.discipline for p in papers if p.category == category})
        for d_index, discipline in enumerate(disciplines):
            codes[(category, discipline)] = f"X{c_index + 1:02d}{d_index + 1:02d}"
    return codes


def resampled_profiles(
    projects: list[Project], n: int, codes: dict[str, str], seed: int = 7, districts: tuple[str, ...] = ()
) -> Iterator[SearchDocument]:
    """``n`` synthetic expert profiles recombined from real titles.

    Each copies the shape of a random real profile (number of projects, discipline, latest year,
    institution) and fills it with titles drawn from that discipline, so term statistics and the
    discipline structure stay realistic at a million profiles.
    """
    rng = random.Random(seed)
    by_discipline: dict[str, list[str]] = defaultdict(list)
    for project in projects:
        by_discipline[project.discipline].append(project.title)
    real = list(build_profiles(projects, cutoff=9999).values())
    flags = ("available", "overseas")
    for index in range(n):
        model = rng.choice(real)
        discipline = model.disciplines[0] if model.disciplines else ""
        pool = by_discipline[discipline]
        titles = [rng.choice(pool) for _ in model.titles]
        # The product's layout (kexie.experts.documents): the name as title, the titles as works.
        yield SearchDocument(
            kind="expert",
            id=index,
            title=f"专家{index}",
            works=titles,
            disciplines=[codes[discipline]] if discipline else [],
            district=rng.choice(districts) if districts else "",
            flags=[flag for flag in flags if rng.random() < 0.3],
            org_id=model.key[1],
            year=max(model.years),
            activity=len(titles),
        )


# --- the held-out evaluation through the product's own path ------------------------------------


@dataclass(slots=True)
class TimeSplit:
    """Profiles from projects up to ``cutoff``; each profiled PI's first later project is a query."""

    cutoff: int
    profiles: dict[tuple[str, str], list[Project]]
    queries: list[tuple[str, tuple[str, str]]]
    # Profiles per institution at the cut-off, for the institution-size bands.
    institution_size: dict[str, int]


def time_split(projects: list[Project], cutoff: int) -> TimeSplit:
    profiles: dict[tuple[str, str], list[Project]] = defaultdict(list)
    for project in projects:
        if project.year <= cutoff:
            profiles[(project.pi, project.institution)].append(project)
    first: dict[tuple[str, str], Project] = {}
    for project in sorted(projects, key=lambda p: (p.year, p.title)):
        key = (project.pi, project.institution)
        if project.year > cutoff and key in profiles and key not in first:
            first[key] = project
    sizes: dict[str, int] = defaultdict(int)
    for _pi, institution in profiles:
        sizes[institution] += 1
    queries = sorted(((p.title, key) for key, p in first.items()), key=lambda q: (q[1], q[0]))
    return TimeSplit(cutoff=cutoff, profiles=dict(profiles), queries=queries, institution_size=dict(sizes))


def split_of(key: tuple[str, str]) -> str:
    """ "dev" or "heldout" for a PI, by a hash of name and institution: stable across runs and
    machines, and a PI's queries are all on one side."""
    digest = hashlib.sha256(f"{key[0]}\t{key[1]}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "heldout"


def size_band(size: int) -> str:
    if size < 30:  # noqa: PLR2004 - the bands the issue names
        return "<30"
    if size < 100:  # noqa: PLR2004
        return "30-99"
    return ">=100"
