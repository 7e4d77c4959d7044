"""Academicians and engineers: pairs, the confidential 增选 ledger, top talents, the union."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kexie.core.models import AuditEvent
from kexie.talent import queries
from kexie.talent.enums import CandidateState, EngagementKind, EngineerField, PairActivityKind, ServiceKind
from kexie.talent.models import AcademicianPair, PairActivity
from kexie.talent.services import academicians as services

pytestmark = pytest.mark.django_db


def test_pair_needs_an_academician(make_expert, zuzhi, academician):
    young = make_expert("林晓")
    other = make_expert("王川")
    with pytest.raises(ValidationError) as exc:
        services.create_pair(
            academician=other,
            scientist=young,
            topic="x",
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 1, 1),
            by=zuzhi,
        )
    assert "academician" in exc.value.error_dict
    pair = services.create_pair(
        academician=academician,
        scientist=young,
        topic="智能建造",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        by=zuzhi,
    )
    with pytest.raises(ValidationError):
        services.create_pair(
            academician=academician,
            scientist=young,
            topic="y",
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 1, 1),
            by=zuzhi,
        )
    assert AcademicianPair.objects.count() == 1
    assert list(queries.active_pairs()) == [pair]


def test_pair_activity_and_summary(make_expert, zuzhi, academician):
    pair = services.create_pair(
        academician=academician,
        scientist=make_expert("林晓"),
        topic="智能建造",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        by=zuzhi,
    )
    with pytest.raises(ValidationError) as exc:
        services.add_pair_activity(pair=pair, by=zuzhi, kind="bogus", held_on=date(2099, 1, 1), title="")
    assert set(exc.value.error_dict) == {"kind", "held_on", "title"}
    services.add_pair_activity(
        pair=pair, by=zuzhi, kind=PairActivityKind.GUIDANCE, held_on=date(2025, 3, 1), title="指导"
    )
    services.save_pair_summary(pair=pair, year=2025, text="第一稿", by=zuzhi)
    services.save_pair_summary(pair=pair, year=2025, text="定稿", by=zuzhi)
    assert list(pair.summaries.values_list("text", flat=True)) == ["定稿"]
    services.end_pair(pair=pair, by=zuzhi)
    with pytest.raises(ValidationError):
        services.add_pair_activity(
            pair=pair, by=zuzhi, kind=PairActivityKind.VISIT, held_on=date(2025, 4, 1), title="t"
        )
    assert PairActivity.objects.count() == 1


def test_candidate_ledger_only_for_the_centre(centre, zuzhi, leader, make_user):
    auditor = make_user("auditor", role="auditor")
    candidate = services.create_candidate(
        by=centre,
        name="陈某",
        organization_name="重庆大学",
        academy="cae",
        division="土木、水利与建筑工程学部",
        election_year=2025,
        materials=["提名书", "代表性论著"],
    )
    assert list(queries.candidates_visible_to(centre)) == [candidate]
    for other in (zuzhi, leader, auditor):
        assert list(queries.candidates_visible_to(other)) == []
    # The audit trail carries no name.
    event = AuditEvent.objects.get(action="talent.candidate.create")
    assert "陈某" not in str(event.after)


def test_candidate_checklist_services_and_stages(centre):
    candidate = services.create_candidate(
        by=centre,
        name="陈某",
        organization_name="重庆大学",
        academy="cas",
        division="化学部",
        election_year=2025,
        materials=["提名书"],
    )
    services.check_material(candidate=candidate, item="提名书", done=True, by=centre, on=date(2025, 3, 1))
    assert candidate.materials == [{"item": "提名书", "done": True, "on": "2025-03-01"}]
    with pytest.raises(ValidationError):
        services.check_material(candidate=candidate, item="不存在", done=True, by=centre)
    services.add_candidate_event(
        candidate=candidate,
        by=centre,
        happened_on=date(2025, 3, 2),
        kind=ServiceKind.TRAINING,
        description="答辩演练",
    )
    with pytest.raises(ValidationError):
        services.set_candidate_state(candidate=candidate, state=CandidateState.ELECTED, by=centre)
    services.set_candidate_state(candidate=candidate, state=CandidateState.NOMINATED, by=centre)
    assert candidate.state == CandidateState.NOMINATED


def test_top_talent_engagement_and_engineers(zuzhi):
    talent = services.add_top_talent(
        by=zuzhi, name="李某", organization_name="清华大学", field="人工智能", joined_year=2024
    )
    with pytest.raises(ValidationError) as exc:
        services.add_engagement(
            talent=talent,
            by=zuzhi,
            organization_name="",
            kind="x",
            title="",
            starts_on=date(2025, 1, 1),
            district="1",
        )
    assert set(exc.value.error_dict) == {"organization_name", "kind", "title", "district"}
    services.add_engagement(
        talent=talent,
        by=zuzhi,
        organization_name="重庆长安汽车",
        kind=EngagementKind.JOINT_LAB,
        title="智能网联联合实验室",
        starts_on=date(2025, 1, 1),
        district="500112",
    )
    assert talent.engagements.count() == 1
    member = services.add_union_member(
        by=zuzhi, organization_name="重庆长安汽车股份有限公司", joined_on=date(2024, 5, 1)
    )
    with pytest.raises(ValidationError):
        services.add_union_member(
            by=zuzhi, organization_name="重庆长安汽车股份有限公司", joined_on=date(2024, 5, 1)
        )
    engineer = services.add_engineer(member=member, by=zuzhi, name="赵工", field=EngineerField.MECHANICAL)
    services.mark_excellent(engineer=engineer, year=2025, by=zuzhi)
    with pytest.raises(ValidationError):
        services.mark_excellent(engineer=engineer, year=2026, by=zuzhi)
    assert engineer.excellent_year == 2025
