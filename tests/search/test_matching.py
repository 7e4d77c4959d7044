"""Matching's ranking of expert profiles: names, fragments, the fielded layout, works one by one."""

from __future__ import annotations

import dataclasses

import pytest

from kexie.search import index as search
from kexie.search import ranking
from kexie.search.documents import Explanation, SearchDocument, TermScore
from kexie.search.ranking import MATCHING, PLAIN, Candidate
from kexie.search.segment import get_segmenter

NOW = dataclasses.replace(MATCHING, reference_year=2020)


def profile(ident: int, name: str, *works: str, **fields) -> SearchDocument:
    """An expert as kexie.experts.documents lays it out: the name as title, the works apart."""
    return SearchDocument(kind="expert", id=ident, title=name, works=list(works), year=2020, **fields)


def ids(text: str, ranking_profile=NOW) -> list[str]:
    return [hit.id for hit in search.match(text, kinds=["expert"], ranking=ranking_profile, limit=20).hits]


def test_names_never_match_topical_words(backend):
    search.index_documents(
        [
            profile(1, "张智慧", "古代汉语语法研究"),
            profile(2, "朱帮助", "明清小说版本考"),
            profile(3, "李四", "智慧城市建设中的公众参与"),
        ]
    )

    assert ids("智慧城市建设与帮助机制") == ["3"]
    # The search box still finds a person by name.
    assert search.query("张智慧", kinds=["expert"]).hits[0].id == "1"


def test_single_characters_do_not_match(backend):
    search.index_documents([profile(1, "王一", "说不的艺术"), profile(2, "王二", "政府作为与责任")])

    # 不 alone would match profile 1: plain BM25 does, matching does not.
    assert "1" in ids("政府不作为", PLAIN)
    assert ids("政府不作为") == ["2"]


def test_query_terms_are_classified_by_kind():
    kinds = dict(get_segmenter().query_terms("政府不作为与基于传感器的仪式感对"))

    assert kinds["不"] == "char"
    assert kinds["作为"] == kinds["传感器"] == kinds["政府"] == "word"
    assert kinds["感器"] == kinds["传感"] == "part"
    assert kinds["感对"] == "guess"
    analysed = ranking.analyze_query(get_segmenter(), "政府不作为与基于传感器的仪式感对", MATCHING)
    assert "不" not in analysed.counts
    assert analysed.counts["感器"] == 0.5
    assert analysed.counts["传感器"] == analysed.counts["感对"] == 1.0
    # Shown as matched: whole words, not pieces nor two-character guesses.
    assert "传感器" in analysed.words
    assert "感器" not in analysed.words and "感对" not in analysed.words


def test_a_query_of_single_characters_still_finds_something(backend):
    search.index_documents([profile(1, "王一", "茶 与 水")])

    assert ids("茶") == ["1"]


def test_explanation_shows_whole_words_only(backend):
    search.index_documents(
        [profile(1, "王一", "焊接机器人视觉引导"), profile(2, "王二", "机器学习与传感器网络")]
    )

    results = search.match("焊接机器人与传感器", kinds=["expert"], ranking=NOW)

    by_id = {hit.id: hit.explanation for hit in results.hits}
    assert by_id["1"].matched_words == ["焊接", "机器人"] or by_id["1"].matched_words == ["机器人", "焊接"]
    # Profile 2 shares 机器 (inside 机器人) and 传感器: only the whole word is shown.
    assert by_id["2"].matched_words == ["传感器"]
    assert all("机器" not in terms for terms in by_id["2"].matched_terms.values())
    assert any(term.term == "机器" for term in by_id["2"].terms)  # it did count, at half weight


def test_matched_words_merge_fields_and_keep_old_behaviour_without_words():
    explanation = Explanation(
        text_score=3.0,
        terms=(
            TermScore("body", "机器", 2.0),
            TermScore("body", "机器人", 0.5),
            TermScore("keywords", "机器人", 0.7),
        ),
        signals={},
        words=frozenset({"机器人"}),
    )

    assert explanation.matched_words == ["机器人"]
    assert explanation.matched_terms == {"keywords": ["机器人"], "body": ["机器人"]}
    unknown = dataclasses.replace(explanation, words=None)
    assert unknown.matched_terms == {"body": ["机器", "机器人"], "keywords": ["机器人"]}


def test_fielded_layout_weighs_expert_fields_by_kind():
    assert MATCHING.boosts_for("expert")["title"] == 0.0
    # Other kinds' titles (an achievement's) are their subject and keep their weight.
    assert MATCHING.boosts_for("achievement")["title"] > 0
    assert PLAIN.boosts_for("expert") == PLAIN.field_boosts


def test_one_work_on_the_subject_beats_words_spread_over_many(backend):
    search.index_documents(
        [
            profile(1, "王一", "农村土地流转", "金融风险", "制度变迁", "法律史"),
            profile(2, "王二", "农村金融风险与土地制度", "敦煌文献"),
        ]
    )

    results = search.match("农村金融风险与土地制度", kinds=["expert"], ranking=NOW)

    assert [hit.id for hit in results.hits] == ["2", "1"]
    # The snippet shows the works (they are not in the biography).
    assert "<mark>土地制度</mark>" in results.hits[0].snippet_html
    signals = {hit.id: hit.explanation.signals for hit in results.hits}
    assert signals["2"]["works"] > signals["1"]["works"] > 0


def test_works_score_takes_the_best_works_with_decay():
    terms = {"土地": 1.0, "金融": 1.0}
    idfs = {"土地": 2.0, "金融": 3.0}
    focused = Candidate(text_score=1.0, values={}, works=(("土地", "金融"), ("敦煌",)))
    spread = Candidate(text_score=1.0, values={}, works=(("土地",), ("金融",)))
    profile_ = dataclasses.replace(MATCHING, works=1.0, works_decay=0.5, works_top=3)

    ranking.apply_works(profile_, [focused, spread], terms, idfs)

    avg = (2 + 1 + 1 + 1) / 4
    one = ranking.work_score(("土地", "金融"), terms, idfs, avg)
    assert focused.signals["works"] == pytest.approx(one)
    land, money = (ranking.work_score((t,), terms, idfs, avg) for t in ("土地", "金融"))
    assert spread.signals["works"] == pytest.approx(money + 0.5 * land)


def test_a_title_held_twice_is_scored_once():
    terms = {"土地": 1.0, "金融": 1.0}
    idfs = {"土地": 2.0, "金融": 3.0}
    twice = Candidate(text_score=1.0, values={}, works=(("土地", "金融"), ("土地", "金融")))
    once = Candidate(text_score=1.0, values={}, works=(("土地", "金融"), ("敦煌",)))

    ranking.apply_works(MATCHING, [twice, once], terms, idfs)

    # The same project filed twice is one piece of evidence, not a second work on the subject.
    assert MATCHING.distinct_works
    assert twice.signals["works"] == pytest.approx(once.signals["works"])
    repeated = dataclasses.replace(MATCHING, distinct_works=False)
    ranking.apply_works(repeated, [twice, once], terms, idfs)
    assert twice.signals["works"] > once.signals["works"]


def test_proximity_rewards_query_terms_kept_together_in_a_work():
    terms = {"土地": 1.0, "金融": 1.0}
    idfs = {"土地": 2.0, "金融": 3.0}
    together = ("土地", "金融", "制度")
    apart = ("土地", "制度", "改革", "金融")

    plain_together = ranking.work_score(together, terms, idfs, 3.5)
    plain_apart = ranking.work_score(apart, terms, idfs, 3.5)
    near = ranking.work_score(together, terms, idfs, 3.5, proximity=0.5, window=2)
    far = ranking.work_score(apart, terms, idfs, 3.5, proximity=0.5, window=2)

    # The pair counts once, at the smaller of the two weighted IDFs; three tokens apart is too far.
    assert near == pytest.approx(plain_together + 0.5 * 2.0)
    assert far == pytest.approx(plain_apart)
