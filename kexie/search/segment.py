"""Chinese segmentation shared by indexing and querying.

tantivy-py cannot call a Python tokenizer, so text is segmented here and handed to tantivy as
space-separated tokens, indexed with tantivy's built-in ``whitespace`` tokenizer. Queries go through
the same function, so a term means the same thing on both sides.

rjieba (a Rust port of jieba) does the cutting; it segments about 20× faster than jieba with the
same dictionary and model. If its wheel is missing on a platform, jieba is used with the same
dictionary, so the index stays compatible. The domain dictionary adds the NSFC discipline names and
the GB/T 4754 industry names, so "智能制造" or "稻谷种植" stay one term instead of two.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from typing import Protocol

from kexie.search.taxonomy import taxonomy

logger = logging.getLogger(__name__)

# Terms the seed trees lack (the NSFC tree predates 人工智能 as a code) but enterprise demands use
# constantly; keeping them whole is what makes a demand for "大数据" find the 大数据 expert.
EXTRA_TERMS: tuple[str, ...] = (
    "人工智能",
    "智能制造",
    "大数据",
    "云计算",
    "物联网",
    "区块链",
    "工业互联网",
    "新能源汽车",
    "集成电路",
    "新材料",
    "生物医药",
    "机器学习",
    "深度学习",
    "数字经济",
    "碳中和",
    "碳达峰",
)

# Function words carry no topic; dropping them keeps "的" from matching every document. Kept small
# on purpose: topic-poor content words ("研究", "问题") are left to BM25's IDF to discount.
_STOPWORDS_TEXT = (
    "的 了 和 与 及 及其 或 在 对 中 是 为 以 于 之 等 其 把 被 从 向 将 由 而 并 且 也 都 这 那 该 各 "
    "之间 以及 并且 或者 通过 关于 基于 对于 a an the of and or in on for to with by at from"
)
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split(" "))

# Full-width ASCII (ＡＢＣ１２３) and the ideographic space fold to their ASCII forms. The mapping is
# one character to one character so token offsets still point into the caller's original text.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# Discipline and industry names are joined by these; "调和分析与小波分析" is two terms.
_NAME_SEPARATORS = re.compile(r"[、，,；;：:（）()\[\]【】/\s]+")
_NAME_CONNECTORS = ("及其", "与", "和", "及", "或")
_MIN_TERM, _MAX_TERM = 2, 10
_MAX_TOKEN = 64


class _Cutter(Protocol):
    """What rjieba.Jieba and jieba.Tokenizer both offer, seen through one adapter."""

    def cut(self, text: str, search: bool) -> list[str]: ...

    def cut_dictionary(self, text: str) -> list[str]: ...

    def tokenize(self, text: str, search: bool) -> list[tuple[str, int, int]]: ...

    def add_word(self, word: str) -> None: ...


class _RjiebaCutter:
    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()

    def cut(self, text: str, search: bool) -> list[str]:
        return self._jieba.cut_for_search(text) if search else self._jieba.cut(text)

    def cut_dictionary(self, text: str) -> list[str]:
        return self._jieba.cut(text, False)

    def tokenize(self, text: str, search: bool) -> list[tuple[str, int, int]]:
        return self._jieba.tokenize(text, mode="search" if search else "default")

    def add_word(self, word: str) -> None:
        # No frequency: rjieba suggests the smallest one that keeps the word whole.
        self._jieba.add_word(word, None, None)


class _JiebaCutter:
    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()

    def cut(self, text: str, search: bool) -> list[str]:
        return list(self._jieba.cut_for_search(text) if search else self._jieba.cut(text))

    def cut_dictionary(self, text: str) -> list[str]:
        return list(self._jieba.cut(text, HMM=False))

    def tokenize(self, text: str, search: bool) -> list[tuple[str, int, int]]:
        return list(self._jieba.tokenize(text, mode="search" if search else "default"))

    def add_word(self, word: str) -> None:
        self._jieba.add_word(word)


def _make_cutter() -> _Cutter:
    try:
        return _RjiebaCutter()
    except ImportError:
        logger.warning("rjieba is not installed; falling back to jieba, which segments ~20x slower.")
        return _JiebaCutter()


def split_name(name: str) -> list[str]:
    """Dictionary terms in a classification name: "调和分析与小波分析" → ["调和分析", "小波分析"].

    A connector only splits when both sides are real words (two characters or more), so the 和 in
    "调和分析" stays put. Generic entries ("其他…") and phrases ("牛的饲养") make poor terms.
    """
    terms: list[str] = []
    for fragment in _NAME_SEPARATORS.split(name):
        parts = [fragment]
        for connector in _NAME_CONNECTORS:
            next_parts: list[str] = []
            for part in parts:
                pieces = part.split(connector)
                if len(pieces) > 1 and all(len(piece) >= _MIN_TERM for piece in pieces):
                    next_parts.extend(pieces)
                else:
                    next_parts.append(part)
            parts = next_parts
        terms.extend(
            part
            for part in parts
            if _MIN_TERM <= len(part) <= _MAX_TERM and "其他" not in part and "的" not in part
        )
    return terms


def domain_terms() -> list[str]:
    """The domain dictionary: discipline and industry names split into terms, plus EXTRA_TERMS."""
    tree = taxonomy()
    terms: dict[str, None] = dict.fromkeys(EXTRA_TERMS)
    for name in [*tree.disciplines.values(), *tree.industries.values()]:
        terms.update(dict.fromkeys(split_name(name)))
    return list(terms)


_WORD_CHAR = re.compile(r"\w")


def _keep(token: str) -> bool:
    # isalnum() settles the common case (Chinese words, plain ASCII) without a regex; the regex
    # keeps mixed tokens such as "deep-learning" and drops pure punctuation and whitespace.
    return (
        token not in STOPWORDS
        and len(token) <= _MAX_TOKEN
        and (token.isalnum() or _WORD_CHAR.search(token) is not None)
    )


def _normalise(text: str) -> str:
    """Width-fold and lower-case, keeping the length so offsets stay valid in the original text.

    Lower-casing happens before cutting so that dictionary words with Latin letters ("k理论")
    match however the text spells them. The rare character whose lower case is longer (İ) keeps
    its case rather than shifting every offset after it.
    """
    folded = text.translate(_WIDTH_FOLD)
    lowered = folded.lower()
    return lowered if len(lowered) == len(folded) else folded


class Segmenter:
    """Cuts text into normalised tokens: width-folded, lower-cased, punctuation and stopwords out.

    ``search=True`` (the default, used for both the index and queries) also emits the words inside a
    long word — "人工智能" gives 人工, 智能 and 人工智能 — so a query for "智能" finds it while a
    query for the whole term still scores the documents that hold the whole term highest.
    """

    def __init__(self, *, domain_dictionary: bool = True, extra_words: Iterable[str] = ()) -> None:
        self._cutter = _make_cutter()
        self._words_lock = threading.Lock()
        words = [*(domain_terms() if domain_dictionary else ()), *extra_words]
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Teach the segmenter more whole terms (an expert's stated fields, a demand's keywords)."""
        with self._words_lock:
            for word in words:
                normalised = _normalise(word.strip())
                if len(normalised) >= _MIN_TERM:
                    self._cutter.add_word(normalised)

    def tokens(self, text: str, *, search: bool = True) -> list[str]:
        """Index and query terms, in text order; a term may repeat (BM25 counts it)."""
        # _keep() inlined: this line runs for every term of every indexed document.
        return [
            token
            for token in self._cutter.cut(_normalise(text), search)
            if token not in STOPWORDS
            and (token.isalnum() or _WORD_CHAR.search(token) is not None)
            and len(token) <= _MAX_TOKEN
        ]

    def query_terms(self, text: str) -> list[tuple[str, str]]:
        """Query terms (as ``tokens`` gives them, in order) with what kind of term each is:

        * "word": a whole word of the dictionary (the default cut, confirmed without the HMM);
        * "guess": a word the HMM made up from characters the dictionary does not join (消保法
          is one, 仪式感对 → 感对 another: it cannot tell them apart, so neither is sure);
        * "part": a word inside a longer one that search mode adds (机器 in 机器人, 感器 in
          传感器) — it finds related documents, but it is not what the query says;
        * "char": a single character (不, 感), which says next to nothing about a subject.
        """
        normalised = _normalise(text)
        whole = set(self._cutter.cut(normalised, False))
        dictionary = set(self._cutter.cut_dictionary(normalised))
        out = []
        for token in self.tokens(text):
            if len(token) == 1:
                kind = "char"
            elif token not in whole:
                kind = "part"
            elif token in dictionary:
                kind = "word"
            else:
                kind = "guess"
            out.append((token, kind))
        return out

    def spans(self, text: str, *, search: bool = True) -> list[tuple[str, int, int]]:
        """(term, start, end) with offsets into ``text`` itself, for highlighting.

        Same terms as ``tokens``, only slower (tuples with offsets), so indexing uses ``tokens``.
        """
        return [
            (token, start, end)
            for token, start, end in self._cutter.tokenize(_normalise(text), search)
            if _keep(token)
        ]

    def analyze(self, text: str | Sequence[str]) -> str:
        """Index form: terms joined by spaces, ready for tantivy's whitespace tokenizer."""
        if not isinstance(text, str):
            text = "\n".join(text)
        return " ".join(self.tokens(text))


_segmenter: Segmenter | None = None
_segmenter_lock = threading.Lock()


def get_segmenter() -> Segmenter:
    """The process-wide segmenter; the dictionary (about 0.3 s to load) is built on first use only."""
    global _segmenter  # noqa: PLW0603 - one lazily built instance per process is the point
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                _segmenter = Segmenter()
    return _segmenter


def tokens(text: str) -> list[str]:
    """Shortcut for ``get_segmenter().tokens(text)``."""
    return get_segmenter().tokens(text)
