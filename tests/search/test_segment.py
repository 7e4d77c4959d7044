from __future__ import annotations

import sys

from kexie.search.segment import Segmenter, domain_terms, get_segmenter, split_name


def test_tokens_keep_domain_terms_whole():
    segmenter = get_segmenter()

    tokens = segmenter.tokens("人工智能在智能制造中的应用", search=False)

    assert tokens == ["人工智能", "智能制造", "应用"]


def test_tokens_in_search_mode_add_words_inside_domain_terms():
    segmenter = get_segmenter()

    tokens = segmenter.tokens("智能制造系统")

    assert tokens == ["智能", "制造", "智能制造", "系统"]


def test_tokens_drop_punctuation_and_stopwords():
    segmenter = get_segmenter()

    tokens = segmenter.tokens("人工智能的应用，研究！", search=False)

    assert tokens == ["人工智能", "应用", "研究"]


def test_tokens_fold_full_width_and_case():
    segmenter = get_segmenter()

    tokens = segmenter.tokens("ＡＩ芯片 Deep Learning", search=False)

    assert tokens == ["ai", "芯片", "deep", "learning"]


def test_spans_point_into_original_text():
    segmenter = get_segmenter()
    text = "基于ＡＩ的智能制造，Deep Learning"

    spans = segmenter.spans(text)

    assert [token for token, _, _ in spans] == segmenter.tokens(text)
    assert [text[start:end] for _, start, end in spans] == [
        "ＡＩ",
        "智能",
        "制造",
        "智能制造",
        "Deep",
        "Learning",
    ]


def test_analyze_joins_tokens_with_spaces():
    segmenter = get_segmenter()

    assert segmenter.analyze(["智能制造", "稻谷种植"]) == "智能 制造 智能制造 稻谷 谷种 种植 稻谷种植"


def test_split_name_splits_connectors_between_words_only():
    assert split_name("调和分析与小波分析") == ["调和分析", "小波分析"]
    assert split_name("环与代数") == ["环与代数"]
    assert split_name("数字化制造与智能制造") == ["数字化制造", "智能制造"]
    assert split_name("其他谷物种植") == []
    assert split_name("农、林、牧、渔业") == ["渔业"]


def test_domain_terms_come_from_both_trees():
    terms = set(domain_terms())

    assert {"小波分析", "智能制造", "稻谷种植", "人工智能"} <= terms


def test_add_words_keeps_new_term_whole():
    segmenter = Segmenter(domain_dictionary=False)
    assert segmenter.tokens("柔性电子皮肤", search=False) != ["柔性电子皮肤"]

    segmenter.add_words(["柔性电子皮肤"])

    assert segmenter.tokens("柔性电子皮肤", search=False) == ["柔性电子皮肤"]


def test_segmenter_falls_back_to_jieba_without_rjieba(monkeypatch):
    # A None entry makes `import rjieba` raise ImportError, as on a platform without its wheel.
    monkeypatch.setitem(sys.modules, "rjieba", None)

    segmenter = Segmenter()

    assert type(segmenter._cutter).__name__ == "_JiebaCutter"
    assert segmenter.tokens("人工智能在智能制造中的应用", search=False) == ["人工智能", "智能制造", "应用"]
