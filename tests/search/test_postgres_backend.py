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
    bm25_part,
    field_norm,
    impact,
    impact_bound,
)
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.search.checks import check_search_backend
from kexie.search.documents import Filters, SearchDocument, make_key
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


# --- pruning: a common term's best postings first ----------------------------------------------------

WORDS = ["网络", "算法", "管理", "优化", "研究", "经济", "视觉", "水稻", "土壤", "质量", "机器人", "区域"]


def pruning_corpus(start: int, count: int, *, slot: int = 15) -> list[SearchDocument]:
    """Profiles in which 研究 and 网络 are common, the rest rarer. Profile i's body is filled up
    (with 数据, never asked for) to FIELD_NORMS[slot + i] tokens: lengths, and so impacts, vary, and
    no two profiles of a test share a field length, so no two tie (ties between equal scores are
    broken by float rounding in the SQL sum, pruned or not)."""
    documents = []
    for i in range(start, start + count):
        picked = [WORDS[(i * step) % len(WORDS)] for step in (1, 3, 7) if (i + step) % 4]
        words = ["研究", *picked, *(["网络"] * (i % 3)), *(["研究"] * (i % 4))]
        body = " ".join([*words, *(["数据"] * (FIELD_NORMS[slot + i] - len(words) - picked.count("机器人")))])
        documents.append(
            SearchDocument(
                kind="expert",
                id=i,
                title=f"专家{i}",
                body=body,
                keywords=[WORDS[i % len(WORDS)], "研究"] if i % 2 else [],
                disciplines=["F0102" if i % 3 else "G0302"],
                flags=["available"] if i % 2 else [],
                year=2010 + i % 12,
                activity=i % 5,
                works=[" ".join(words)],
            )
        )
    return documents


PRUNED_QUERIES = ["网络 优化 研究", "研究 水稻 土壤 网络", "机器人 视觉 算法 研究", "区域 经济 管理", "研究"]


def assert_pruning_is_exact(profile: RankingProfile, *, filters: Filters | None = None) -> int:
    """The same answers with every posting read and with the best two per term first; returns how
    many queries the pruned reading answered without falling back to reading everything."""
    full, pruned = PostgresBackend(top_postings=None), PostgresBackend(top_postings=2)
    proved = 0
    original = pruned._top_pruned

    def counting(*args, **kwargs):
        nonlocal proved
        found = original(*args, **kwargs)
        proved += found[0] is not None
        return found

    pruned._top_pruned = counting
    for text in PRUNED_QUERIES:
        request = SearchRequest(
            text=text,
            filters=dataclasses.replace(filters or Filters(), kinds=("expert",)),
            limit=4,
            ranking=profile,
            explain=True,
        )
        expected, got = full.search(request), pruned.search(request)
        assert [hit.id for hit in got.hits] == [hit.id for hit in expected.hits], text
        assert [hit.score for hit in got.hits] == pytest.approx(
            [hit.score for hit in expected.hits], rel=1e-9
        )
        assert [hit.explanation.signals for hit in got.hits] == [
            hit.explanation.signals for hit in expected.hits
        ]
    return proved


SHALLOW = dataclasses.replace(MATCHING, reference_year=2022, rerank_depth=4)


@on_postgres
@pytest.mark.parametrize("profile", [PLAIN, RELEVANCE, SHALLOW])
def test_pruned_reading_ranks_as_reading_everything(postgres_backend, profile):
    postgres_backend.index_documents(pruning_corpus(0, 60))

    assert assert_pruning_is_exact(profile) >= 3
    assert assert_pruning_is_exact(profile, filters=Filters(flags=["available"])) >= 1


def body_lengths() -> tuple[float, float]:
    """The reference body length the impacts were stored at, and today's average."""
    stats = SearchKindStat.objects.get(kind="expert")
    return stats.impact_body_length, stats.body_tokens / stats.docs


@on_postgres
def test_pruning_stays_exact_after_writes_move_the_average_lengths(postgres_backend):
    postgres_backend.index_documents(pruning_corpus(0, 40))
    # Longer profiles raise the average body length far above the reference the impacts were
    # stored at; deleting them and the longer half of the first ones takes it below.
    postgres_backend.index_documents(pruning_corpus(40, 30, slot=30))
    reference, average = body_lengths()
    assert reference * 3 < average
    assert assert_pruning_is_exact(SHALLOW) >= 3

    postgres_backend.delete_documents([make_key("expert", i) for i in range(20, 70)])
    # Replaced: new postings at the old reference.
    postgres_backend.index_documents(pruning_corpus(0, 5, slot=35))
    reference, average = body_lengths()
    assert reference > average * 1.2
    assert assert_pruning_is_exact(SHALLOW) >= 3
    assert assert_pruning_is_exact(PLAIN) >= 3


@on_postgres
def test_pruning_bounds_postings_the_new_average_put_first(postgres_backend):
    # Stored at a short reference length, a term once in a one-token body (impact 0.74) comes
    # before three times in a hundred tokens (0.36). Long profiles without it then raise the
    # average length past a thousand: the length penalty almost vanishes, and three times now
    # beats once (0.89 against 0.77). The unread posting must be bounded by that, not 0.74.
    short = [SearchDocument(kind="expert", id=i, title="", body="水稻") for i in range(5)]
    longer = SearchDocument(kind="expert", id=9, title="", body=" ".join(["水稻"] * 3 + ["数据"] * 97))
    postgres_backend.index_documents([*short, longer])
    postgres_backend.index_documents(
        [SearchDocument(kind="expert", id=10 + i, title="", body="数据 " * 2000) for i in range(10)]
    )
    request = SearchRequest(text="水稻", filters=Filters(kinds=("expert",)), limit=1, ranking=PLAIN)

    assert [hit.id for hit in PostgresBackend(top_postings=2).search(request).hits] == ["9"]
    assert [hit.id for hit in PostgresBackend(top_postings=None).search(request).hits] == ["9"]


@on_postgres
def test_rebuild_stores_impacts_at_the_new_average(postgres_backend):
    postgres_backend.index_documents(pruning_corpus(0, 20, slot=60))
    postgres_backend.rebuild(pruning_corpus(0, 30))

    reference, average = body_lengths()
    # The first batch's average: here, every document.
    assert reference == pytest.approx(average)
    assert assert_pruning_is_exact(SHALLOW) >= 3


def test_impact_bound_holds_whatever_the_average_became():
    for tf in (1, 2, 3, 7, 40):
        for norm in (1, 3, 10, 40, 96, 640):
            for reference in (1.5, 12.0, 80.0):
                stored = impact(tf, norm, reference)
                for avg_length in (1.0, 6.0, 12.0, 30.0, 80.0, 500.0):
                    assert bm25_part(tf, norm, avg_length) <= impact_bound(stored, reference, avg_length)
                    # A posting stored lower is bounded by the higher stored value too.
                    assert impact_bound(stored, reference, avg_length) <= impact_bound(
                        stored + 1, reference, avg_length
                    )
