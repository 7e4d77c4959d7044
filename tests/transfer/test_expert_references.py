"""成果转化's records that name an expert by id follow the kept profile when two profiles of one
person are merged (kexie.transfer.expert_references, registered in kexie.experts.references)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kexie.core.models import AuditEvent
from kexie.experts import services as expert_services
from kexie.experts.enums import ProfessionalTitle
from kexie.experts.models import Expert
from kexie.transfer.enums import DemandState, TargetKind
from kexie.transfer.models import Achievement, Docking, ServiceTeam
from kexie.transfer.services.registry import _members

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(staff):
    def make(organization):
        return expert_services.create_expert(
            by=staff,
            name="王健",
            organization_name=organization,
            title=ProfessionalTitle.PROFESSOR,
            disciplines=[],
        )

    return make("重庆大学"), make("重庆大学机械与运载工程学院")


def _dock(demand, expert, staff):
    return Docking.objects.create(
        demand=demand,
        target_kind=TargetKind.EXPERT,
        target_id=str(expert.pk),
        target_name=expert.name,
        created_by=staff,
    )


def test_dockings_achievements_and_memberships_follow_the_kept_profile(
    twins, staff, make_demand, orgs, industry
):
    keep, drop = twins
    demand = make_demand(DemandState.PUBLISHED)
    docking = _dock(demand, drop, staff)
    achievement = Achievement.objects.create(
        title="焊缝跟踪系统",
        abstract="视觉引导焊缝跟踪。",
        kind="patent",
        maturity="pilot",
        industry=industry,
        owner_name="王健",
        owner_expert_id=str(drop.pk),
    )
    team = ServiceTeam.objects.create(
        name="智能制造服务团",
        lead_organization=next(iter(orgs.values())),
        members=[{"name": "王健", "expert_id": drop.pk}, {"name": "李明"}],
    )

    expert_services.merge_experts(keep=keep, drop=drop, by=staff)

    docking.refresh_from_db()
    achievement.refresh_from_db()
    team.refresh_from_db()
    assert docking.target_id == str(keep.pk)
    assert achievement.owner_expert_id == str(keep.pk)
    assert team.members == [{"name": "王健", "expert_id": keep.pk}, {"name": "李明"}]
    _members(team.members, by=staff)  # the team can be saved again: its member ids all exist
    event = AuditEvent.objects.get(action="experts.expert.merge")
    assert event.after["transfer.dockings"] == 1
    assert event.after["transfer.achievement_owners"] == 1
    assert event.after["transfer.members"] == 1


def test_a_team_holding_both_profiles_keeps_one_row(twins, staff, orgs):
    keep, drop = twins
    team = ServiceTeam.objects.create(
        name="团",
        lead_organization=next(iter(orgs.values())),
        members=[{"name": "王健", "expert_id": keep.pk}, {"name": "王健", "expert_id": drop.pk}],
    )
    expert_services.merge_experts(keep=keep, drop=drop, by=staff)
    team.refresh_from_db()
    assert team.members == [{"name": "王健", "expert_id": keep.pk}]


def test_both_profiles_docked_with_one_demand_refuses_the_merge(twins, staff, make_demand):
    keep, drop = twins
    demand = make_demand(DemandState.PUBLISHED)
    _dock(demand, keep, staff)
    _dock(demand, drop, staff)
    with pytest.raises(ValidationError) as refused:
        expert_services.merge_experts(keep=keep, drop=drop, by=staff)
    assert demand.title in refused.value.messages[0]
    # Nothing changed: both profiles and both dockings are as they were.
    assert Expert.objects.filter(pk__in=[keep.pk, drop.pk]).count() == 2
    assert sorted(Docking.objects.values_list("target_id", flat=True)) == sorted([str(keep.pk), str(drop.pk)])
    assert not AuditEvent.objects.filter(action="experts.expert.merge").exists()


def test_an_expert_named_by_a_team_is_not_deleted(twins, staff, orgs, login):
    _keep, member = twins
    ServiceTeam.objects.create(
        name="团",
        lead_organization=next(iter(orgs.values())),
        members=[{"name": "王健", "expert_id": member.pk}],
    )
    with pytest.raises(ValidationError) as refused:
        expert_services.delete_expert(expert=member, by=staff)
    assert "1" in refused.value.messages[0]
    assert Expert.objects.filter(pk=member.pk).exists()
    assert not AuditEvent.objects.filter(action="experts.expert.delete").exists()

    response = login(staff).post(reverse("experts:delete", args=[member.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("experts:detail", args=[member.pk])
    assert Expert.objects.filter(pk=member.pk).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
