"""Matching explanations on a small indexed set: terms, discipline ↔ industry, district, history."""

from __future__ import annotations

import pytest

from kexie.search import index as search
from kexie.transfer import matching, services
from kexie.transfer.enums import DemandState
from kexie.transfer.linking import disciplines_for_industry, linked_disciplines, shared_industry
from kexie.transfer.models import Achievement, Industry, ServiceTeam
from tests.transfer.conftest import JIANGBEI, YUZHONG, expert_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(orgs, staff):
    search.index_documents(
        [
            expert_document(
                "e1", "王立新", "减速器 齿轮 精度 机器人 传动 研究", disciplines=["E0501"], district=YUZHONG
            ),
            expert_document(
                "e2",
                "刘海燕",
                "齿轮 材料 热处理",
                disciplines=["E0101"],
                district=JIANGBEI,
                flags=("overseas",),
            ),
            expert_document("e3", "赵敏", "古代文学 诗词 研究", disciplines=["G0301"], district=YUZHONG),
            expert_document("e4", "钱未审", "减速器 齿轮 机器人", disciplines=["E0501"], verified=False),
        ]
    )
    gear = Achievement.objects.create(
        title="高精度RV减速器齿轮加工技术",
        abstract="一种提高机器人减速器齿轮精度的加工方法",
        keywords=["减速器", "齿轮"],
        kind="patent",
        maturity="pilot",
        owner_name="重庆大学",
        industry=Industry.objects.get(code="3459"),
        district=JIANGBEI,
        is_published=True,
    )
    Achievement.objects.create(
        title="未公开的减速器齿轮成果",
        abstract="减速器 齿轮",
        kind="technology",
        maturity="lab",
        owner_name="某研究所",
        industry=Industry.objects.get(code="34"),
        is_published=False,
    )
    team = ServiceTeam.objects.create(
        name="智能制造科技服务团",
        lead_organization=orgs["重庆市科学技术协会"],
        description="服务机器人与减速器企业",
        members=[{"name": "周工", "expertise": "齿轮传动"}],
        districts=[JIANGBEI, YUZHONG],
        industries=["34"],
    )
    search.rebuild(kinds=["achievement", "team"])
    return {"gear": gear, "team": team}


def test_disciplines_for_industry_division_refines_section():
    assert disciplines_for_industry("3459") == ("E05", "F03")
    assert disciplines_for_industry("C") == ("E", "F", "B")
    assert disciplines_for_industry("0111") == ("C13", "C14", "C15", "C16", "C17", "C18", "C19", "C03")


def test_linked_disciplines_and_shared_industry():
    assert linked_disciplines("34", ["E0501", "G0301", "F0301"]) == ["E0501", "F0301"]
    assert shared_industry("3459", ["34"]) == "34"
    assert shared_industry("3459", ["3459", "C"]) == "3459"
    assert shared_industry("3459", ["0111"]) == ""


def test_match_experts_explains_terms_discipline_and_district(indexed, make_demand):
    demand = make_demand(DemandState.PUBLISHED)

    matches = matching.match_experts(demand)

    assert [m.id for m in matches][:2] == ["e1", "e2"]
    first = matches[0]
    assert {"减速器", "齿轮", "精度", "机器人"} <= set(first.matched_terms)
    assert first.linked_disciplines == [("E0501", "机械设计学")] or [
        c for c, _ in first.linked_disciplines
    ] == ["E0501"]
    assert first.same_district is True
    assert matches[1].same_district is False
    assert matches[1].linked_disciplines[0][0] == "E0101" if matches[1].linked_disciplines else True


def test_match_experts_filters_pass_through(indexed, make_demand):
    demand = make_demand(DemandState.PUBLISHED)

    assert [m.id for m in matching.match_experts(demand, filters=matching.MatchFilters(overseas=True))] == [
        "e2"
    ]
    assert "e2" not in [
        m.id for m in matching.match_experts(demand, filters=matching.MatchFilters(district=YUZHONG))
    ]


def test_match_achievements_only_published_with_industry_and_district(indexed, make_demand):
    demand = make_demand(DemandState.PUBLISHED, district=JIANGBEI)

    matches = matching.match_achievements(demand)

    assert [m.id for m in matches] == [str(indexed["gear"].pk)]
    assert matches[0].shared_industry == ("34", "通用设备制造业")
    assert matches[0].same_district is True


def test_match_teams_same_district_from_served_districts(indexed, make_demand):
    demand = make_demand(DemandState.PUBLISHED, district=YUZHONG)

    matches = matching.match_teams(demand)

    assert [m.id for m in matches] == [str(indexed["team"].pk)]
    assert (matches[0].same_district, matches[0].shared_industry) == (True, ("34", "通用设备制造业"))


def test_past_dockings_counted_on_matches(indexed, make_demand, staff):
    earlier = make_demand(DemandState.PUBLISHED, title="早先的减速器需求")
    services.create_docking(
        demand=earlier, target_kind="expert", target_id="e1", target_name="王立新", by=staff
    )
    demand = make_demand(DemandState.PUBLISHED)

    matches = {m.id: m for m in matching.match_experts(demand)}

    assert (matches["e1"].dockings, matches["e1"].signed) == (1, 0)
    assert matches["e2"].dockings == 0


def test_whole_terms_drop_fragments_single_characters_and_parts_of_shown_terms():
    words = frozenset({"焊接", "机器人", "视觉", "传感器", "焊缝", "跟踪", "不"})

    assert matching.whole_terms(["机器", "机器人", "不", "感器", "传感器", "焊缝", "焊缝"], words) == [
        "机器人",
        "传感器",
        "焊缝",
    ]
    assert matching.whole_terms(["视觉", "视觉引导"], words | {"视觉引导"}) == ["视觉引导"]


def test_score_bands_relative_to_the_first_match(indexed, make_demand):
    matches = matching.match_experts(make_demand(DemandState.PUBLISHED))

    assert matches[0].relative == 1.0 and matches[0].band == "high"
    for match in matches:
        expected = "high" if match.relative >= 0.75 else "medium" if match.relative >= 0.5 else "low"
        assert match.band == expected
        assert match.percent == round(match.relative * 100)
    assert matches[-1].ahead == [] and matches[-1].ahead_terms == []


def test_page_cache_reuses_matches_until_a_write_and_hands_out_copies(
    indexed, make_demand, staff, monkeypatch
):
    monkeypatch.setattr(matching, "TIMEOUT_SECONDS", 60)
    matching.clear_cache()
    demand = make_demand(DemandState.PUBLISHED)
    calls = []

    def compute():
        calls.append(1)
        return matching.match_teams(demand)

    first = matching.cached("team", demand, compute)
    first[0].url = "/transfer/registry/teams/1/"
    second = matching.cached("team", demand, compute)

    assert len(calls) == 1
    assert [m.id for m in second] == [m.id for m in first] and second[0].url == ""
    # Any audited write (here a docking of another demand) is a new data version: computed again.
    other = make_demand(DemandState.PUBLISHED, title="早先的减速器需求")
    services.create_docking(
        demand=other, target_kind="team", target_id=first[0].id, target_name="团", by=staff
    )
    third = matching.cached("team", demand, compute)
    assert len(calls) == 2 and third[0].dockings == 1
    matching.clear_cache()
