"""Snippets with the matched terms marked, cut from the original text.

tantivy's snippet generator works on the stored field, and what tantivy holds is the segmented,
lower-cased text; shown to a user it would read "人工智能 在 智能制造 中". So the original text is
kept in the stored payload and highlighted here with the same segmenter that built the index,
which means a term is marked exactly when it is a term the query matched.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kexie.search.segment import Segmenter

ELLIPSIS = "…"


def _matched_ranges(text: str, terms: Collection[str], segmenter: Segmenter) -> list[tuple[int, int]]:
    """Character ranges of matched terms, overlapping ones merged (人工 + 人工智能 → 人工智能)."""
    ranges = sorted((start, end) for token, start, end in segmenter.spans(text) if token in terms)
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _best_window(text: str, ranges: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """The window of ``max_chars`` holding the most matched characters, starting a little before
    its first match so the reader sees what leads up to it."""
    if len(text) <= max_chars or not ranges:
        return 0, min(len(text), max_chars)
    lead = max_chars // 8
    best_start, best_cover = 0, -1
    for first_start, _ in ranges:
        start = max(0, min(first_start - lead, len(text) - max_chars))
        end = start + max_chars
        cover = sum(
            min(end, r_end) - max(start, r_start)
            for r_start, r_end in ranges
            if r_start < end and r_end > start
        )
        if cover > best_cover:
            best_start, best_cover = start, cover
    return best_start, best_start + max_chars


def highlight(text: str, terms: Collection[str], segmenter: Segmenter, *, max_chars: int = 160) -> SafeString:
    """Escaped HTML: the best window of ``text`` with matched terms in <mark>."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    ranges = _matched_ranges(text, terms, segmenter) if terms else []
    start, end = _best_window(text, ranges, max_chars)
    parts: list[str] = [ELLIPSIS] if start > 0 else []
    cursor = start
    for range_start, range_end in ranges:
        if range_end <= start or range_start >= end:
            continue
        mark_start, mark_end = max(range_start, start), min(range_end, end)
        parts.append(escape(text[cursor:mark_start]))
        parts.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    # Every piece of document text above went through escape(); only our <mark> tags are raw.
    return mark_safe("".join(parts))  # noqa: S308
