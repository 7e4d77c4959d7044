"""What every backend must do alike; conftest runs each test on tantivy and on PostgreSQL."""

from __future__ import annotations

import pytest

from kexie.search import index as search
from kexie.search.documents import DocumentKey, Filters, make_key
from kexie.search.ranking import DEMAND_MATCHING
from tests.search.conftest import expert


@pytest.fixture
def library(backend, library_documents):
    search.index_documents(library_documents)
    return backend


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_index_then_query_returns_document_fields(library):
    results = search.query("水稻", kinds=["expert"])

    assert ids(results) == ["3"]
    hit = results.hits[0]
    assert (hit.kind, hit.title, hit.district, hit.disciplines, hit.industries, hit.org_id, hit.year) == (
        "expert",
        "水稻种植与土壤肥力",
        "500101",
        ("C1301",),
        ("0111",),
        "12",
        2019,
    )


def test_index_same_key_replaces_document(library):
    search.index_documents([expert(3, "果树栽培", district="500101")])

    assert ids(search.query("水稻", kinds=["expert"])) == []
    assert ids(search.query("果树", kinds=["expert"])) == ["3"]
    assert library.count(["expert"]) == 4


def test_delete_documents_removes_only_given_keys(library):
    deleted = search.delete_documents([("expert", 1), make_key("expert", 99)])

    assert deleted == 2
    assert ids(search.query("智能制造", kinds=["expert"])) == ["2"]
    assert library.count() == 4


def test_query_without_kinds_merges_kinds(library):
    results = search.query("视觉检测")

    assert {(hit.kind, hit.id) for hit in results.hits} == {("expert", "1"), ("demand", "1")}


def test_query_over_kinds_explains_each_hit_of_the_page(library):
    first = search.query("视觉检测", limit=1, explain=True).hits
    second = search.query("视觉检测", limit=1, offset=1, explain=True).hits

    assert {hit.kind for hit in first + second} == {"expert", "demand"}
    assert [hit.explanation.total == pytest.approx(hit.score) for hit in first + second] == [True, True]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(districts=["500101"]), {"2"}),
        (Filters(disciplines=["F02"]), {"1"}),
        (Filters(disciplines=["E0510", "F0201"]), {"1", "2"}),
        (Filters(industries=["C"]), {"1", "2"}),
        (Filters(industries=["349"]), {"1"}),
        (Filters(flags=["available"]), {"1", "2"}),
        (Filters(flags=["available", "overseas"]), {"2"}),
        (Filters(org_ids=[10]), {"1"}),
        (Filters(year_min=2020), {"1"}),
        (Filters(year_max=2020), {"2"}),
        (Filters(exclude=[DocumentKey("expert", "1")]), {"2"}),
    ],
)
def test_query_filters_narrow_hits(library, filters, expected):
    results = search.query("智能制造", kinds=["expert"], filters=filters)

    assert set(ids(results)) == expected


def test_query_without_text_lists_filtered_newest_first(library):
    results = search.query("", kinds=["expert"], filters=Filters(districts=["500101"]))

    assert ids(results) == ["3", "2"]


def test_query_with_unknown_terms_finds_nothing(library):
    results = search.query("量子引力", kinds=["expert"], count=True, facets=["district"])

    assert (results.hits, results.total, results.facets) == ([], 0, {"district": []})


def test_query_pages_with_offset(library):
    first = search.query("智能制造", kinds=["expert"], limit=1)
    second = search.query("智能制造", kinds=["expert"], limit=1, offset=1)

    assert ids(first) + ids(second) == ids(search.query("智能制造", kinds=["expert"]))
    assert len(set(ids(first) + ids(second))) == 2


def test_query_counts_facets(library):
    results = search.query(
        "", facets=["kind", "district", "discipline", "industry", "flag", "year"], count=True
    )

    facets = {name: {(f.value, f.count) for f in counts} for name, counts in results.facets.items()}
    assert results.total == 5
    assert facets["kind"] == {("expert", 4), ("demand", 1)}
    assert facets["district"] == {("500112", 2), ("500101", 2), ("500103", 1)}
    assert facets["flag"] == {("available", 2), ("overseas", 1)}
    assert ("C", 3) in facets["industry"]
    assert ("3491", 2) in facets["industry"]
    assert {("F02", 1), ("F0201", 1), ("G03", 1)} <= facets["discipline"]
    assert ("2023", 1) in facets["year"]


def test_query_facets_follow_text_and_filters(library):
    results = search.query(
        "智能制造", kinds=["expert"], filters=Filters(flags=["available"]), facets=["district"]
    )

    assert [(f.value, f.count) for f in results.facets["district"]] == [("500101", 1), ("500112", 1)]


def test_facet_labels_name_tree_codes(library):
    results = search.query("水稻", kinds=["expert"], facets=["industry"])

    assert [(f.value, f.label, f.level) for f in results.facets["industry"]] == [
        ("01", "农业", 2),
        ("011", "谷物种植", 3),
        ("0111", "稻谷种植", 4),
        ("A", "农、林、牧、渔业", 1),
    ]


def test_snippets_mark_matched_terms(library):
    hit = search.query("智能制造 深度学习", kinds=["expert"]).hits[0]

    assert hit.id == "1"
    assert hit.title_html == "人工<mark>智能</mark>在<mark>智能制造</mark>中的应用"
    assert hit.snippet_html == "工业机器人视觉检测与<mark>深度学习</mark>。"


def test_explain_lists_matched_terms_per_field(library):
    hit = search.query("智能制造 深度学习", kinds=["expert"], explain=True).hits[0]

    explanation = hit.explanation
    # For display, the query's whole words; the pieces search mode adds (智能, 制造) scored too.
    assert {field: set(terms) for field, terms in explanation.matched_terms.items()} == {
        "title": {"智能制造"},
        "body": {"深度学习"},
    }
    assert {(term.field, term.term) for term in explanation.terms} >= {("title", "智能"), ("body", "深度")}
    assert sum(term.score for term in explanation.terms) == pytest.approx(explanation.text_score, rel=1e-5)
    assert explanation.total == pytest.approx(hit.score, rel=1e-9)


def test_rebuild_replaces_contents(library):
    written = library.rebuild([expert(7, "量子计算")])

    assert written == 1
    assert ids(search.query("量子计算")) == ["7"]
    assert library.count() == 1


def test_rebuild_of_one_kind_keeps_other_kinds(library):
    library.rebuild([expert(7, "量子计算")], kinds=["expert"])

    assert library.count(["expert"]) == 1
    assert library.count(["demand"]) == 1


def test_rebuild_that_fails_keeps_previous_contents(library):
    def broken():
        yield expert(7, "量子计算")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        library.rebuild(broken())

    assert library.count() == 5
    assert ids(search.query("量子计算")) == []


def test_matching_leaves_demand_boilerplate_out_of_the_query(backend):
    search.index_documents(
        [
            expert(1, "重庆大学 水稻育种", body="重庆市水稻育种研究与技术推广。"),
            expert(2, "重庆交通大学 桥梁检测", body="重庆市桥梁健康监测研究与技术服务。"),
        ]
    )
    demand = "重庆某农业有限公司希望与高校合作，开展水稻育种技术研究。"

    matched = search.match(demand, kinds=["expert"], ranking=DEMAND_MATCHING)
    plain = search.query(demand, kinds=["expert"])

    assert ids(matched) == ["1"]  # 重庆、研究、技术 match both: only 水稻育种 says who fits
    terms = {term for found in matched.hits[0].explanation.matched_terms.values() for term in found}
    assert terms & {"重庆", "研究", "技术", "有限公司", "合作"} == set()
    assert {"水稻"} <= terms
    assert set(ids(plain)) == {"1", "2"}  # the search box keeps every word


def test_match_of_boilerplate_only_finds_nothing(backend):
    search.index_documents([expert(1, "重庆大学", body="重庆市研究与技术。")])

    assert ids(search.match("重庆有限公司希望合作研究技术", kinds=["expert"], ranking=DEMAND_MATCHING)) == []
    assert ids(search.match("重庆有限公司希望合作研究技术", kinds=["expert"])) == ["1"]
