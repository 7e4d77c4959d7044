"""The matching benchmark's people: one person under two spellings of one institution is one expert
(bench/_matching_data.same_people). The figures of issue 17 depend on it, so it is tested here with
made-up rows; nothing reads the shared evaluation data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH_DATA = Path(__file__).resolve().parents[2] / "bench" / "_matching_data.py"


@pytest.fixture(scope="module")
def data():
    spec = importlib.util.spec_from_file_location("_matching_data_under_test", BENCH_DATA)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def project(data, pi: str, institution: str, year: int, title: str = "题目"):
    return data.Project(pi=pi, institution=institution, title=title, year=year, discipline="哲学")


def test_a_name_under_an_institution_and_a_part_of_it_is_one_person(data):
    rows = [
        project(data, "聂锦芳", "北京大学", 2008),
        project(data, "聂锦芳", "北京大学哲学系", 2010),
        project(data, "聂锦芳", "北京大学哲学系马克思主义哲学教研室", 2015),
    ]
    assert {p.institution for p in data.same_people(rows)} == {"北京大学"}


def test_unrelated_institutions_and_other_names_stay_apart(data):
    rows = [
        project(data, "马林", "大连民族学院", 2008),
        project(data, "马林", "内蒙古财经学院", 2015),
        project(data, "刘利民", "北京大学哲学系", 2009),
        project(data, "王健", "北京大学", 2010),
    ]
    assert [p.institution for p in data.same_people(rows)] == [p.institution for p in rows]


def test_a_short_prefix_is_not_a_parent(data):
    # 南京 is a city, not an institution: 南京大学 and 南京师范大学 are different places.
    rows = [project(data, "李明", "南京", 2008), project(data, "李明", "南京大学", 2012)]
    assert [p.institution for p in data.same_people(rows)] == ["南京", "南京大学"]


def test_siblings_without_their_parent_stay_apart(data):
    rows = [project(data, "张伟", "复旦大学法学院", 2008), project(data, "张伟", "复旦大学经济学院", 2012)]
    assert [p.institution for p in data.same_people(rows)] == ["复旦大学法学院", "复旦大学经济学院"]


def test_the_merged_person_is_one_profile_and_their_later_project_a_query(data):
    rows = [
        project(data, "聂锦芳", "北京大学", 2008, "马克思文本研究"),
        project(data, "聂锦芳", "北京大学", 2010, "马克思早期思想研究"),
        project(data, "聂锦芳", "北京大学哲学系", 2014, "基于最新文献的马克思重要文本再研究"),
    ]
    split = data.time_split(data.same_people(rows), 2012)
    assert list(split.profiles) == [("聂锦芳", "北京大学")]
    assert len(split.profiles[("聂锦芳", "北京大学")]) == 2
    assert split.queries == [("基于最新文献的马克思重要文本再研究", ("聂锦芳", "北京大学"))]
    # Spelt exactly, the later project had no key to come back to: no query at all.
    assert data.time_split(rows, 2012).queries == []
