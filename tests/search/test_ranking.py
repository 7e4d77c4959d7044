from __future__ import annotations

import dataclasses

import pytest

from kexie.search import index as search
from kexie.search import ranking
from kexie.search.documents import SearchDocument
from kexie.search.ranking import MATCHING, PLAIN, Candidate, FacetCounts, FacetPrior


def expert(ident: int, title: str, discipline: str, **fields) -> SearchDocument:
    """A profile whose one work is ``title`` (an expert's own title is their name)."""
    return SearchDocument(
        kind="expert", id=ident, title=f"专家{ident}", works=[title], disciplines=[discipline], **fields
    )


@pytest.fixture
def two_fields(backend):
    """Experts 1 and 2 have the same title, one filed in computing (F01), one in management (G03).

    Around them, computing profiles talk about 算法 and management profiles about 管理, so a query
    mentioning 算法 points to F01 — which only the discipline prior can tell apart.
    """
    documents = [
        expert(1, "网络优化", "F0101", year=2020),
        expert(2, "网络优化", "G0301", year=2020),
        *(
            expert(10 + i, title, "F0102", year=2020)
            for i, title in enumerate(["算法设计与分析", "并行算法", "图算法", "近似算法研究", "随机算法"])
        ),
        *(
            expert(20 + i, title, "G0302", year=2020)
            for i, title in enumerate(["供应链管理", "企业管理", "项目管理", "质量管理", "库存管理"])
        ),
    ]
    search.index_documents(documents)
    return backend


def ranks(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_plain_ranking_ties_same_titles(two_fields):
    results = search.query("网络优化算法", kinds=["expert"], ranking=PLAIN)

    scores = {hit.id: hit.score for hit in results.hits}
    assert scores["1"] == scores["2"]


def test_matching_boosts_expert_in_predicted_discipline(two_fields):
    results = search.match(
        "网络优化算法", kinds=["expert"], ranking=dataclasses.replace(MATCHING, reference_year=2020)
    )

    order = ranks(results)
    assert order.index("1") < order.index("2")
    by_id = {hit.id: hit for hit in results.hits}
    signals_1, signals_2 = by_id["1"].explanation.signals, by_id["2"].explanation.signals
    assert signals_1["discipline"] > signals_2["discipline"]
    # Only the discipline tells them apart.
    assert {k: v for k, v in signals_1.items() if k != "discipline"} == {
        k: v for k, v in signals_2.items() if k != "discipline"
    }
    assert results.predictions["discipline"][0][0] == "F01"


def test_matching_explanation_adds_up_to_score(two_fields):
    results = search.match("网络优化算法", kinds=["expert"])

    for hit in results.hits:
        assert hit.explanation.total == pytest.approx(hit.score, rel=1e-9)


def test_predict_from_terms_mixes_term_votes_by_weight():
    prior = FacetPrior(field="discipline", weight=1.0, smoothing=0.0)
    counts = FacetCounts(
        by_term={
            "算法": (4, {"F01": 3, "F0102": 3, "G03": 1}),
            "管理": (2, {"G03": 2}),
        }
    )

    predicted = ranking.predict_from_terms(prior, counts, {"算法": 3.0, "管理": 1.0})

    assert predicted == [
        ("F01", pytest.approx(0.5625)),
        ("G03", pytest.approx(0.4375)),
        ("F0102", pytest.approx(0.5625)),
    ]


def test_predict_from_terms_holds_back_mass_for_rare_terms():
    prior = FacetPrior(field="discipline", weight=1.0, smoothing=5.0)
    counts = FacetCounts(by_term={"算法": (5, {"F01": 5})})

    assert ranking.predict_from_terms(prior, counts, {"算法": 1.0}) == [("F01", pytest.approx(0.5))]


def test_term_prior_skips_weak_guesses():
    prior = FacetPrior(field="discipline", weight=2.0, min_probability=0.2, level_weights=(1.0, 0.5))
    strong = Candidate(text_score=1.0, values={"discipline": {"F01", "F0102"}})
    weak = Candidate(text_score=1.0, values={"discipline": {"G03"}})

    ranking.apply_term_prior(prior, [("F01", 0.6), ("G03", 0.1), ("F0102", 0.4)], [strong, weak], weight=10.0)

    assert strong.signals == {"discipline": pytest.approx(2.0 * 10.0 * (0.6 + 0.5 * 0.4))}
    assert weak.signals == {}


def test_results_prior_leaves_own_vote_out():
    prior = FacetPrior(field="org", weight=1.0, source="results", sharpness=1.0, min_probability=0.0)
    alone = Candidate(text_score=4.0, values={"org": {"a"}})
    colleague_1 = Candidate(text_score=2.0, values={"org": {"b"}})
    colleague_2 = Candidate(text_score=2.0, values={"org": {"b"}})

    ranking.apply_results_prior(prior, [alone, colleague_1, colleague_2], weight=1.0)

    assert alone.signals == {}
    # The other candidates' votes: colleague 2 (2.0) of 2.0 + 4.0.
    assert colleague_1.signals == {"org": pytest.approx(2.0 / 6.0)}


def test_recency_is_full_within_window_then_halves():
    profile = dataclasses.replace(
        MATCHING, recency=1.0, recency_window=8, recency_half_life=3.0, reference_year=2024
    )

    assert ranking.recency_signal(2016, profile, weight=2.0) == 2.0
    assert ranking.recency_signal(2013, profile, weight=2.0) == 1.0
    assert ranking.recency_signal(None, profile, weight=2.0) == 0.0


def test_activity_saturates():
    profile = dataclasses.replace(MATCHING, activity=1.0, activity_saturation=8)

    assert ranking.activity_signal(8, profile, weight=1.0) == 1.0
    assert ranking.activity_signal(80, profile, weight=1.0) == 1.0
    assert ranking.activity_signal(0, profile, weight=1.0) == 0.0


def test_select_terms_skips_stop_terms():
    terms = ranking.select_terms(
        {"研究": 2, "算法": 1}, {"研究": 9, "算法": 10}, 1000, limit=5, skip=frozenset({"研究"})
    )

    assert terms == {"算法": 1}


def test_select_terms_keeps_known_terms_by_information():
    terms = ranking.select_terms({"研究": 2, "算法": 1, "量子": 1}, {"研究": 900, "算法": 10}, 1000, limit=1)

    assert terms == {"算法": 1}


def test_select_terms_damps_terms_most_documents_hold():
    terms = ranking.select_terms(
        {"研究": 1.0, "算法": 1.0},
        {"研究": 300, "算法": 10},
        1000,
        limit=5,
        common_share=0.1,
        common_weight=0.5,
    )

    assert terms == {"研究": 0.5, "算法": 1.0}


def test_character_pairs_stay_within_runs_of_chinese_and_skip_boilerplate():
    assert ranking.character_pairs("仪式感对, AI焊接") == {"仪式", "式感", "感对", "焊接"}
    assert ranking.character_pairs("重庆焊接", frozenset({"重庆"})) == {"焊接"}


def test_character_pairs_see_past_the_segmenter_and_weigh_by_rarity_among_candidates():
    profile = dataclasses.replace(MATCHING, characters=0.5)
    # 仪式感对 cuts into 仪式 + 感对: the text score cannot see 仪式感, the pairs can.
    holder = Candidate(text_score=1.0, values={}, text="仪式感的建构与传播")
    other = Candidate(text_score=1.0, values={}, text="仪式与传播")
    nothing = Candidate(text_score=1.0, values={}, text="城市交通")
    ranking.apply_characters(profile, [holder, other, nothing], "仪式感对", 2.0)
    assert holder.features["characters"] > other.features["characters"] > 0
    assert nothing.features["characters"] == 0
    assert holder.signals["characters"] == pytest.approx(0.5 * 2.0 * holder.features["characters"])
    assert "characters" not in nothing.signals
