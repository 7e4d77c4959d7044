"""Sensitive-word screening: find the listed words in a text; never replace anything."""

from __future__ import annotations

from kexie.news.models import SensitiveWord


def screen(*texts: str) -> list[str]:
    joined = "\n".join(t or "" for t in texts)
    return sorted({w for w in SensitiveWord.objects.values_list("word", flat=True) if w and w in joined})
