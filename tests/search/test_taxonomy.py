from __future__ import annotations

from kexie.search.taxonomy import (
    discipline_level,
    discipline_name,
    discipline_path,
    industry_name,
    industry_path,
)


def test_discipline_path_expands_nsfc_code():
    assert discipline_path("a010101") == ["A01", "A0101", "A010101"]
    assert discipline_path("A01") == ["A01"]


def test_discipline_path_keeps_other_scheme_whole():
    assert discipline_path("S07") == ["S07"]
    assert discipline_path("LOCAL-1") == ["LOCAL-1"]
    assert discipline_path(" ") == []


def test_discipline_level_counts_tree_depth():
    assert [discipline_level(code) for code in ("A01", "A0101", "A010101", "LOCAL-1")] == [1, 2, 3, 1]


def test_industry_path_starts_at_section():
    assert industry_path("0111") == ["A", "01", "011", "0111"]
    assert industry_path("C") == ["C"]


def test_names_come_from_seed_files():
    assert discipline_name("A01") == "数学"
    assert industry_name("0111") == "稻谷种植"
    assert discipline_name("ZZ99") == ""
