"""The two classification trees documents are filed under: NSFC disciplines and GB/T 4754 industries.

Both come from the seed files shipped with the package (facts: codes and names). They serve three
purposes here: names feed the segmenter's domain dictionary, codes expand into their ancestors so
that a filter on "A01" matches a document filed under "A010101", and facet counts get labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kexie.core import reference

# NSFC application codes: a department letter, then two digits per level (A01 > A0101 > A010101).
_DISCIPLINE_CODE = re.compile(r"^[A-Z](\d{2}){1,3}$")
# GB/T 4754 codes: a section letter (A–T) above numeric divisions (01), groups (011), classes (0111).
_INDUSTRY_SECTION = re.compile(r"^[A-T]$")
_INDUSTRY_NUMBER = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Code → name maps, plus the division → section map GB/T codes need to reach their section."""

    disciplines: dict[str, str]
    industries: dict[str, str]
    industry_sections: dict[str, str]


@cache
def _load() -> Taxonomy:
    sections = {row.division: row.section for row in reference.industry_rows() if row.division}
    return Taxonomy(
        disciplines=reference.disciplines(), industries=reference.industries(), industry_sections=sections
    )


def taxonomy() -> Taxonomy:
    """The seed trees, read once per process on first use."""
    return _load()


def discipline_path(code: str) -> list[str]:
    """The code and its ancestors, root first: "A010101" → ["A01", "A0101", "A010101"].

    A code outside the NSFC pattern (a local scheme, a benchmark's labels) is its own root, so
    callers can file documents under any scheme without the engine refusing them.
    """
    code = code.strip().upper()
    if not code:
        return []
    if not _DISCIPLINE_CODE.match(code):
        return [code]
    return [code[:end] for end in range(3, len(code) + 1, 2)]


def industry_path(code: str) -> list[str]:
    """The code and its ancestors, section first: "0111" → ["A", "01", "011", "0111"]."""
    code = code.strip().upper()
    if not code:
        return []
    if _INDUSTRY_SECTION.match(code):
        return [code]
    if not _INDUSTRY_NUMBER.match(code):
        return [code]
    path = [code[:end] for end in range(2, len(code) + 1)]
    section = taxonomy().industry_sections.get(code[:2])
    return [section, *path] if section else path


def discipline_level(code: str) -> int:
    """1 for "A01", 2 for "A0101", 3 for "A010101"; codes outside the pattern are level 1."""
    return len(discipline_path(code))


def discipline_name(code: str) -> str:
    return taxonomy().disciplines.get(code, "")


def industry_name(code: str) -> str:
    return taxonomy().industries.get(code, "")
