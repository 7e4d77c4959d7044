"""What only the PostgreSQL backend does: its statistics, its lock, and ranking as tantivy does."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from kexie.env import ConfigError, env_choice
from kexie.search import index as search
from kexie.search.backends.base import SearchRequest, SearchUnavailable
from kexie.search.backends.postgres_backend import (
    FIELD_NORMS,
    WRITE_LOCK_KEY,
    PostgresBackend,
    field_norm,
)
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.search.checks import check_search_backend
from kexie.search.documents import Filters, SearchDocument
from kexie.search.models import (
    SearchEntry,
    SearchKindStat,
    SearchPosting,
    SearchTermFacetStat,
    SearchTermStat,
)
from kexie.search.ranking import MATCHING, PLAIN, RELEVANCE, RankingProfile
from tests.search.conftest import expert, on_postgres


@pytest.fixture
def library(postgres_backend, library_documents):
    search.index_documents(library_documents)
    return postgres_backend


def term_stats() -> dict[tuple[str, str, int], int]:
    return {(s.kind, s.term, s.field): s.doc_freq for s in SearchTermStat.objects.all()}


def stats_from_postings() -> dict[tuple[str, str, int], int]:
    counted: dict[tuple[str, str, int], int] = {}
    for posting in SearchPosting.objects.all():
        key = (posting.kind, posting.term, posting.field)
        counted[key] = counted.get(key, 0) + 1
    return counted


def term_facet_stats() -> dict[tuple[str, str, str, str], int]:
    return {(s.kind, s.facet, s.term, s.value): s.doc_freq for s in SearchTermFacetStat.objects.all()}


def term_facet_stats_from_entries() -> dict[tuple[str, str, str, str], int]:
    facets = {entry.pk: entry.facets for entry in SearchEntry.objects.all()}
    terms = {(posting.kind, posting.term, posting.entry_id) for posting in SearchPosting.objects.all()}
    counted: dict[tuple[str, str, str, str], int] = {}
    for kind, term, entry_id in terms:
        for facet in ("discipline", "industry"):
            for value in facets[entry_id].get(facet, ()):
                counted[kind, facet, term, value] = counted.get((kind, facet, term, value), 0) + 1
    return counted


def kind_stats() -> dict[str, tuple[int, int, int, int]]:
    return {
        s.kind: (s.docs, s.title_tokens, s.keywords_tokens, s.body_tokens)
        for s in SearchKindStat.objects.all()
    }


def kind_stats_from_entries() -> dict[str, tuple[int, int, int, int]]:
    totals: dict[str, list[int]] = {}
    for entry in SearchEntry.objects.all():
        row = totals.setdefault(entry.kind, [0, 0, 0, 0])
        for index, value in enumerate((1, entry.title_length, entry.keywords_length, entry.body_length)):
            row[index] += value
    return {kind: tuple(row) for kind, row in totals.items()}


def test_field_norms_match_tantivy_table():
    assert (len(FIELD_NORMS), FIELD_NORMS[40:44], FIELD_NORMS[-1]) == (256, (40, 42, 44, 46), 2_013_265_944)
    assert [field_norm(n) for n in (0, 7, 40, 41, 43, 59, 60, 3000)] == [0, 7, 40, 40, 42, 56, 60, 2840]


@on_postgres
def test_statistics_follow_index_replace_and_delete(library):
    search.index_documents([expert(3, "果树栽培", body="果树 果树 修剪", keywords=["果树"])])
    search.delete_documents([("expert", 4), ("expert", 99)])

    assert term_stats() == stats_from_postings()
    assert term_facet_stats() == term_facet_stats_from_entries()
    assert kind_stats() == kind_stats_from_entries()
    assert term_facet_stats()["expert", "discipline", "智能制造", "F02"] == 1
    assert SearchTermStat.objects.filter(term="水稻").count() == 0
    assert SearchTermStat.objects.get(kind="expert", term="果树", field=2).doc_freq == 1
    assert SearchPosting.objects.get(kind="expert", term="果树", field=2).tf == 2
    assert kind_stats()["expert"][0] == 3


@on_postgres
def test_index_same_key_twice_in_one_batch_keeps_the_last(postgres_backend):
    written = search.index_documents([expert(1, "水稻种植"), expert(1, "果树栽培")])

    assert written == 2
    assert [hit.title for hit in search.query("果树").hits] == ["果树栽培"]
    assert search.query("水稻").hits == []
    assert postgres_backend.count() == 1


@on_postgres
def test_rebuild_resets_statistics_of_rebuilt_kinds_only(library):
    library.rebuild([expert(7, "量子计算")], kinds=["expert"])

    assert kind_stats()["expert"] == (1, 2, 0, 0)
    assert kind_stats()["demand"][0] == 1
    assert term_stats() == stats_from_postings()
    assert term_facet_stats() == term_facet_stats_from_entries()
    assert ("demand", "industry", "视觉", "3491") in term_facet_stats()


@on_postgres
def test_write_while_another_writer_holds_the_lock_raises_and_changes_nothing(postgres_backend, settings):
    # No write before this one: the test's own transaction would hold the lock until its end.
    db = settings.DATABASES["default"]
    other = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"],
        port=db["PORT"] or None,
    )
    try:
        with other.transaction():
            other.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
            with pytest.raises(SearchUnavailable):
                search.index_documents([expert(8, "量子计算")])
    finally:
        other.close()

    assert search.query("量子计算").hits == []
    assert postgres_backend.count() == 0


@on_postgres
def test_unknown_kind_is_ignored_by_queries(library):
    results = search.query("智能制造", kinds=["nothing"], count=True)

    assert (results.hits, results.total) == ([], 0)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on other databases")
def test_backend_refuses_other_databases(db):
    with pytest.raises(ImproperlyConfigured, match="KEXIE_SEARCH_BACKEND=postgres needs DATABASE_URL"):
        PostgresBackend()


@on_postgres
def test_setting_chooses_postgres_backend(settings, db):
    settings.SEARCH_BACKEND = "postgres"
    search.set_backend(None)
    try:
        assert isinstance(search.get_backend(), PostgresBackend)
    finally:
        search.set_backend(None)


def test_check_accepts_postgres_backend_only_on_postgres(settings):
    settings.SEARCH_BACKEND = "postgres"

    errors = check_search_backend()

    if connection.vendor == "postgresql":
        assert errors == []
    else:
        assert [error.id for error in errors] == ["search.E001"]


def test_check_accepts_tantivy_anywhere(settings):
    settings.SEARCH_BACKEND = "tantivy"

    assert check_search_backend() == []


def test_setting_chooses_tantivy_by_default(settings):
    settings.SEARCH_BACKEND = "tantivy"

    assert isinstance(search.open_backend(), TantivyBackend)


def test_setting_rejects_unknown_backend():
    with pytest.raises(
        ConfigError, match=r"^KEXIE_SEARCH_BACKEND='elastic' must be one of: tantivy, postgres\.$"
    ):
        env_choice(
            "KEXIE_SEARCH_BACKEND",
            "tantivy",
            ("tantivy", "postgres"),
            environ={"KEXIE_SEARCH_BACKEND": "elastic"},
        )


# --- the same answers as tantivy --------------------------------------------------------------------

CORPUS = [
    SearchDocument(
        kind="expert",
        id=i,
        title=title,
        body=body,
        keywords=keywords,
        disciplines=[discipline],
        org_id=org,
        year=year,
        activity=activity,
        flags=["available"] if i % 2 else [],
        # Works, scored one by one by matching: the body's sentences, and a title for some.
        works=[*body.split("与")[:2], *([title] if i % 3 == 0 else [])],
    )
    for i, (title, body, keywords, discipline, org, year, activity) in enumerate(
        [
            ("网络优化算法研究", "图算法与近似算法在通信网络中的应用", ["算法"], "F0102", 1, 2020, 5),
            ("网络优化", "供应链网络的管理与优化", ["管理"], "G0302", 2, 2019, 2),
            ("并行算法", "大规模并行计算与随机算法的分析研究" * 6, ["并行计算"], "F0102", 1, 2012, 9),
            ("质量管理研究", "企业质量管理体系", [], "G0302", 3, 2021, 1),
            (
                "深度学习与机器视觉",
                "工业视觉检测中的深度学习算法",
                ["深度学习", "机器视觉"],
                "F0201",
                4,
                2022,
                3,
            ),
            ("智能制造装备可靠性", "数控机床故障诊断与网络化监测", ["智能制造"], "E0510", 4, 2016, 4),
            ("水稻种植与土壤肥力", "稻谷种植技术推广与土壤有机碳", [], "C1301", 5, 2018, 2),
            ("区域经济发展研究", "区域网络经济与产业集群", ["区域经济"], "G0301", 6, 2010, 1),
        ]
    )
]


# Matching with the body left out: a term found only there matches nothing.
TITLES = RankingProfile(name="titles", field_boosts={"title": 1.0, "keywords": 1.0, "body": 0.0})


@on_postgres
@pytest.mark.parametrize(
    "profile",
    [
        PLAIN,
        RELEVANCE,
        dataclasses.replace(MATCHING, reference_year=2022),
        TITLES,
        # Pseudo-relevance feedback (off in MATCHING: it lost on the development split).
        dataclasses.replace(
            MATCHING, reference_year=2022, feedback_docs=3, feedback_min_docs=1, feedback_max_share=1.0
        ),
    ],
)
@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("网络优化算法", Filters()),
        ("深度学习 视觉检测 网络", Filters(flags=["available"])),
        ("算法研究", Filters(disciplines=["F01"], year_min=2011)),
        ("研究 管理 网络 算法 网络", Filters()),
    ],
)
def test_ranks_scores_and_explains_as_tantivy(postgres_backend, tmp_path, profile, text, filters):
    tantivy = TantivyBackend(tmp_path / "tantivy")
    tantivy.index_documents(CORPUS)
    postgres_backend.index_documents(CORPUS)
    request = SearchRequest(
        text=text,
        filters=dataclasses.replace(filters, kinds=("expert",)),
        facets=["discipline", "flag", "year"],
        limit=10,
        ranking=profile,
        explain=True,
        count=True,
    )

    expected, got = tantivy.search(request), postgres_backend.search(request)

    assert len(expected.hits) >= 1
    assert [hit.id for hit in got.hits] == [hit.id for hit in expected.hits]
    # tantivy scores in 32-bit floats.
    assert [hit.score for hit in got.hits] == pytest.approx([hit.score for hit in expected.hits], rel=1e-5)
    assert (got.terms, got.total, got.facets) == (expected.terms, expected.total, expected.facets)
    assert got.predictions.keys() == expected.predictions.keys()
    for name, values in got.predictions.items():
        assert values == [(value, pytest.approx(p, rel=1e-5)) for value, p in expected.predictions[name]]
    for mine, theirs in zip(got.hits, expected.hits, strict=True):
        assert (mine.title_html, mine.snippet_html) == (theirs.title_html, theirs.snippet_html)
        assert mine.explanation.signals == pytest.approx(theirs.explanation.signals, rel=1e-5)
        assert {(t.field, t.term): pytest.approx(t.score, rel=1e-5) for t in theirs.explanation.terms} == {
            (t.field, t.term): t.score for t in mine.explanation.terms
        }
        assert sum(t.score for t in mine.explanation.terms) == pytest.approx(
            mine.explanation.text_score, rel=1e-9
        )
