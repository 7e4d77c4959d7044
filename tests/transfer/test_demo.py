"""The transfer demo's service teams and workstations: plausible leads, members from the expert
library with their own keywords; the shipped demo data lets the welding demand find welding people."""

from __future__ import annotations

from collections import Counter

import pytest

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization, User
from kexie.accounts.services import load_seed_organizations
from kexie.experts.demo import load_demo as load_demo_experts
from kexie.experts.models import Expert, Work
from kexie.search import index as search
from kexie.site.demo import load_demo_users
from kexie.transfer import matching
from kexie.transfer.demo import TEAM_FOCUS
from kexie.transfer.demo import load_demo as load_demo_transfer
from kexie.transfer.models import Demand, ServiceTeam, Workstation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_seed_organizations()
    load_demo_users()
    users = {u.username: u for u in User.objects.all()}
    load_demo_experts(users)
    load_demo_transfer(users)


def _focus(team: ServiceTeam):
    return next(row for row in TEAM_FOCUS if row[0] in team.name)


def test_teams_led_by_a_fitting_society_or_district_association_members_from_the_library(demo):
    teams = list(ServiceTeam.objects.select_related("lead_organization"))

    assert len(teams) == 36
    assert {t.lead_organization.kind for t in teams} == {
        OrganizationKind.SOCIETY,
        OrganizationKind.DISTRICT_ASSOCIATION,
    }
    for team in teams:
        lead = team.lead_organization
        if lead.kind == OrganizationKind.SOCIETY:
            assert lead.name == _focus(team)[4], team.name
        else:
            assert lead.code == team.districts[0], team.name
    assert not ServiceTeam.objects.filter(lead_organization__name="重庆市科学技术期刊编辑学会").exists()
    societies = {row[4] for row in TEAM_FOCUS if row[4]}
    assert {t.lead_organization.name for t in teams} >= societies
    assert Organization.objects.filter(name__in=societies, kind=OrganizationKind.SOCIETY).count() == len(
        societies
    )

    # Members: experts of the library in the team's field, with their own keywords.
    experts = {e.pk: e for e in Expert.objects.prefetch_related("disciplines")}

    for team in ServiceTeam.objects.all():
        fields = _focus(team)[3]
        assert 5 <= len(team.members) <= 12, team.name
        assert [m.get("role") for m in team.members[:2]] == ["团长", None]
        for member in team.members:
            expert = experts[member["expert_id"]]
            assert (member["name"], member["expertise"]) == (expert.name, "、".join(expert.keywords[:3]))
            assert any(d.code.startswith(fields) for d in expert.disciplines.all()), (team.name, member)


def test_workstation_members_are_library_experts(demo):
    experts = {e.pk: e for e in Expert.objects.all()}
    members = [m for station in Workstation.objects.all() for m in station.members]

    assert len(members) >= 40
    assert all(m["expertise"] == "、".join(experts[m["expert_id"]].keywords[:3]) for m in members)


def test_welding_demand_finds_welding_people_and_bios_are_made_from_works(demo):
    """The shipped demo data: the welding demand ranks a welding expert in the top 3 and a welding
    achievement first; each biography is made from the expert's own works, no sentence repeated."""
    search.rebuild(kinds=["expert"])  # the experts demo indexes on commit; tests run in a transaction
    demand = Demand.objects.get(title="焊接机器人视觉引导与焊缝跟踪")
    assert demand.state == "published"

    experts = matching.match_experts(demand)
    welding = set(Work.objects.filter(title__contains="焊").values_list("expert_id", flat=True))
    top3 = [int(m.id) for m in experts[:3]]
    assert welding & set(top3), top3
    achievements = matching.match_achievements(demand)
    assert "焊" in achievements[0].hit.title

    sentences = Counter(
        sentence
        for bio in Expert.objects.values_list("biography", flat=True)
        for sentence in bio.split("。")
        if sentence
    )
    assert sentences.most_common(1)[0][1] == 1, sentences.most_common(3)
    library = list(Expert.objects.prefetch_related("works"))
    # 300 experts, one of them entered a second time (the possible-duplicates page's demo pair).
    assert len(library) == 301
    assert all(any(w.title in e.biography for w in e.works.all()) for e in library)
    titles = set(Work.objects.values_list("title", flat=True))
    assert "超声冲击消除高强钢焊接残余应力的数值模拟研究" in titles
