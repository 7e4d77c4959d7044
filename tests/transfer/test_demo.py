"""The transfer demo's service teams and workstations: plausible leads, members from the expert
library with their own keywords."""

from __future__ import annotations

import pytest

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization, User
from kexie.accounts.services import load_seed_organizations
from kexie.experts.demo import load_demo as load_demo_experts
from kexie.experts.models import Expert
from kexie.site.demo import load_demo_users
from kexie.transfer.demo import TEAM_FOCUS
from kexie.transfer.demo import load_demo as load_demo_transfer
from kexie.transfer.models import ServiceTeam, Workstation

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
