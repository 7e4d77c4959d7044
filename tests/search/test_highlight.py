from __future__ import annotations

from kexie.search.highlight import highlight
from kexie.search.segment import get_segmenter


def test_highlight_marks_matched_terms_merged():
    html = highlight("人工智能在智能制造中的应用", {"人工", "智能制造"}, get_segmenter())

    assert html == "<mark>人工</mark>智能在<mark>智能制造</mark>中的应用"


def test_highlight_merges_overlapping_words_into_one_mark():
    html = highlight("人工智能", {"人工", "智能", "人工智能"}, get_segmenter())

    assert html == "<mark>人工智能</mark>"


def test_highlight_escapes_document_text():
    html = highlight("<b>智能制造</b> & 产线", {"智能制造"}, get_segmenter())

    assert html == "&lt;b&gt;<mark>智能制造</mark>&lt;/b&gt; &amp; 产线"


def test_highlight_cuts_window_around_matches():
    text = "甲" * 100 + "智能制造" + "乙" * 100

    html = highlight(text, {"智能制造"}, get_segmenter(), max_chars=20)

    assert html == "…" + "甲" * 2 + "<mark>智能制造</mark>" + "乙" * 14 + "…"


def test_highlight_without_terms_returns_escaped_start():
    assert highlight("a < b", set(), get_segmenter()) == "a &lt; b"
