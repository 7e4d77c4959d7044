from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from kexie.accounts.models import Organization, User
from kexie.core.models import AuditEvent
from kexie.transfer import services
from kexie.transfer.enums import DemandState, Outcome, TargetKind
from kexie.transfer.models import Demand, Docking, DockingRecord, Evaluation, Industry, Workstation
from tests.transfer.conftest import YUZHONG

pytestmark = pytest.mark.django_db


def demand_values(industry, **extra):
    values = {
        "title": "锂电池隔膜涂覆工艺优化",
        "description": "需要提升陶瓷涂覆隔膜的一致性。",
        "industry": industry,
        "district": YUZHONG,
        "budget": "10-50",
        "deadline": date(2027, 6, 30),
        "contact_name": "李红",
        "contact_mobile": "13912345678",
    }
    values.update(extra)
    return values


def actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type__endswith=type(obj).__name__.lower(), object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_create_demand_by_owner_saves_draft_encrypted_and_audited(owner, enterprise, industry):
    demand = services.create_demand(enterprise=enterprise, by=owner, **demand_values(industry))

    demand.refresh_from_db()
    assert (demand.state, demand.contact_mobile, demand.enterprise) == (
        DemandState.DRAFT,
        "13912345678",
        enterprise,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_mobile FROM transfer_demand WHERE id = %s", [demand.pk])
        raw = cursor.fetchone()[0]
    assert "13912345678" not in raw
    assert AuditEvent.objects.filter(action="transfer.demand.create").count() == 1


def test_create_demand_by_other_enterprise_refused_nothing_saved(stranger, enterprise, industry):
    with pytest.raises(PermissionDenied):
        services.create_demand(enterprise=enterprise, by=stranger, **demand_values(industry))
    assert Demand.objects.count() == 0


def test_create_demand_with_bad_mobile_and_district_names_fields(owner, enterprise, industry):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.create_demand(
            enterprise=enterprise,
            by=owner,
            **demand_values(industry, contact_mobile="1234", district="999999"),
        )
    assert set(exc.value.message_dict) == {"contact_mobile", "district"}
    assert Demand.objects.count() == 0


def test_create_demand_for_non_enterprise_refused(staff, orgs, industry):
    with pytest.raises(ValidationError):
        services.create_demand(enterprise=orgs["科学技术创新部"], by=staff, **demand_values(industry))
    assert Demand.objects.count() == 0


def test_update_demand_by_owner_in_draft_changes_fields(make_demand, owner, industry):
    demand = make_demand()
    services.update_demand(demand=demand, by=owner, **demand_values(industry, title="新标题"))
    demand.refresh_from_db()
    assert (demand.title, demand.contact_name) == ("新标题", "李红")


def test_update_demand_by_owner_after_submit_refused_unchanged(make_demand, owner, industry):
    demand = make_demand(DemandState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.update_demand(demand=demand, by=owner, **demand_values(industry, title="新标题"))
    demand.refresh_from_db()
    assert demand.title == "工业机器人减速器精度提升"


def test_submit_publish_lifecycle_records_each_step(make_demand, owner, staff):
    demand = make_demand()

    services.submit_demand(demand=demand, by=owner)
    services.publish_demand(demand=demand, by=staff)

    demand.refresh_from_db()
    assert demand.state == DemandState.PUBLISHED
    assert demand.published_at is not None
    assert actions(demand) == ["transfer.demand.submit", "transfer.demand.publish"]


def test_publish_by_owner_refused_state_unchanged(make_demand, owner):
    demand = make_demand(DemandState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.publish_demand(demand=demand, by=owner)
    demand.refresh_from_db()
    assert (demand.state, demand.published_at) == (DemandState.SUBMITTED, None)
    assert actions(demand) == []


def test_publish_twice_second_refused(make_demand, staff):
    demand = make_demand(DemandState.SUBMITTED)
    services.publish_demand(demand=demand, by=staff)
    with pytest.raises(PermissionDenied):
        services.publish_demand(demand=demand, by=staff)
    assert actions(demand) == ["transfer.demand.publish"]


def test_concurrent_publish_on_stale_state_refused(make_demand, staff):
    demand = make_demand(DemandState.SUBMITTED)
    Demand.objects.filter(pk=demand.pk).update(state=DemandState.DRAFT)
    # The object still says "submitted", the row does not: the conditional update refuses.
    with pytest.raises(ValidationError):
        services.transition_demand(
            demand, expected=(DemandState.SUBMITTED,), values={"state": DemandState.PUBLISHED}
        )
    assert Demand.objects.get(pk=demand.pk).state == DemandState.DRAFT


def test_return_demand_needs_reason_then_goes_back_to_draft(make_demand, staff):
    demand = make_demand(DemandState.SUBMITTED)
    with pytest.raises(ValidationError):
        services.return_demand(demand=demand, reason="  ", by=staff)
    assert Demand.objects.get(pk=demand.pk).state == DemandState.SUBMITTED

    services.return_demand(demand=demand, reason="请补充预算说明", by=staff)
    demand.refresh_from_db()
    assert (demand.state, demand.return_reason) == (DemandState.DRAFT, "请补充预算说明")


def test_district_staff_publish_own_district_only(make_demand, district_staff, other_district_staff):
    demand = make_demand(DemandState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.publish_demand(demand=demand, by=other_district_staff)
    services.publish_demand(demand=demand, by=district_staff)
    assert Demand.objects.get(pk=demand.pk).state == DemandState.PUBLISHED


def test_close_demand_by_owner_from_published(make_demand, owner):
    demand = make_demand(DemandState.PUBLISHED)
    services.close_demand(demand=demand, by=owner)
    demand.refresh_from_db()
    assert demand.state == DemandState.CLOSED and demand.closed_at is not None


def test_close_draft_refused(make_demand, owner):
    demand = make_demand()
    with pytest.raises(PermissionDenied):
        services.close_demand(demand=demand, by=owner)
    assert Demand.objects.get(pk=demand.pk).state == DemandState.DRAFT


# --- dockings ----------------------------------------------------------------------------------------


def test_create_docking_moves_published_demand_to_docking(make_demand, staff):
    demand = make_demand(DemandState.PUBLISHED)
    docking = services.create_docking(
        demand=demand, target_kind=TargetKind.EXPERT, target_id="17", target_name="王立新", by=staff
    )
    demand.refresh_from_db()
    assert (demand.state, docking.target_name, docking.outcome) == (
        DemandState.DOCKING,
        "王立新",
        Outcome.PENDING,
    )
    assert actions(docking) == ["transfer.docking.create"]


def test_create_docking_twice_for_same_match_refused(make_demand, staff):
    demand = make_demand(DemandState.PUBLISHED)
    services.create_docking(
        demand=demand, target_kind="expert", target_id="17", target_name="王立新", by=staff
    )
    with pytest.raises(ValidationError):
        services.create_docking(
            demand=demand, target_kind="expert", target_id="17", target_name="王立新", by=staff
        )
    assert Docking.objects.count() == 1


def test_create_docking_by_owner_refused(make_demand, owner):
    demand = make_demand(DemandState.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.create_docking(
            demand=demand, target_kind="expert", target_id="17", target_name="王", by=owner
        )
    assert Docking.objects.count() == 0
    assert Demand.objects.get(pk=demand.pk).state == DemandState.PUBLISHED


def test_create_docking_on_draft_refused(make_demand, staff):
    demand = make_demand()
    with pytest.raises(PermissionDenied):
        services.create_docking(
            demand=demand, target_kind="expert", target_id="17", target_name="王", by=staff
        )
    assert Docking.objects.count() == 0


def test_create_docking_with_missing_achievement_refused(make_demand, staff):
    demand = make_demand(DemandState.PUBLISHED)
    with pytest.raises(ValidationError):
        services.create_docking(
            demand=demand, target_kind="achievement", target_id="999", target_name="x", by=staff
        )
    assert Docking.objects.count() == 0


@pytest.fixture
def docking(make_demand, staff):
    demand = make_demand(DemandState.PUBLISHED)
    return services.create_docking(
        demand=demand, target_kind="expert", target_id="17", target_name="王立新", by=staff
    )


def test_add_docking_record_saved(docking, staff):
    record = services.add_docking_record(
        docking=docking, kind="meeting", on=date(2026, 11, 2), note="首次座谈", by=staff
    )
    assert list(DockingRecord.objects.values_list("kind", "note")) == [("meeting", "首次座谈")]
    assert actions(record) == ["transfer.docking.record"]


def test_add_docking_record_by_owner_refused(docking, owner):
    with pytest.raises(PermissionDenied):
        services.add_docking_record(docking=docking, kind="meeting", on=date(2026, 11, 2), note="x", by=owner)
    assert DockingRecord.objects.count() == 0


def test_record_signed_outcome_moves_demand_to_signed(docking, staff):
    services.record_outcome(
        docking=docking,
        outcome=Outcome.SIGNED,
        amount=Decimal("120.50"),
        signed_on=date(2026, 11, 20),
        by=staff,
    )
    docking.refresh_from_db()
    assert (docking.outcome, docking.contract_amount, docking.demand.state) == (
        Outcome.SIGNED,
        Decimal("120.50"),
        DemandState.SIGNED,
    )
    assert actions(docking.demand) == ["transfer.demand.sign"]


def test_record_signed_outcome_without_amount_refused_unchanged(docking, staff):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.record_outcome(
            docking=docking, outcome=Outcome.SIGNED, amount=None, signed_on=None, by=staff
        )
    assert set(exc.value.message_dict) == {"amount", "signed_on"}
    docking.refresh_from_db()
    assert (docking.outcome, docking.demand.state) == (Outcome.PENDING, DemandState.DOCKING)


def test_record_no_deal_keeps_demand_in_docking(docking, staff):
    services.record_outcome(docking=docking, outcome=Outcome.NO_DEAL, amount=Decimal(5), by=staff)
    docking.refresh_from_db()
    assert (docking.outcome, docking.contract_amount, docking.demand.state) == (
        Outcome.NO_DEAL,
        None,
        DemandState.DOCKING,
    )


def test_record_outcome_twice_refused(docking, staff):
    services.record_outcome(docking=docking, outcome=Outcome.NO_DEAL, by=staff)
    with pytest.raises(ValidationError):
        services.record_outcome(
            docking=docking, outcome=Outcome.SIGNED, amount=Decimal(1), signed_on=date(2026, 1, 1), by=staff
        )
    assert Docking.objects.get(pk=docking.pk).outcome == Outcome.NO_DEAL


def test_record_outcome_unknown_refused(docking, staff):
    with pytest.raises(ValidationError):
        services.record_outcome(docking=docking, outcome="maybe", by=staff)
    assert Docking.objects.get(pk=docking.pk).outcome == Outcome.PENDING


# --- registries --------------------------------------------------------------------------------------


@pytest.fixture
def workstation(staff, orgs):
    return services.create_workstation(
        by=staff,
        kind="academician",
        name="重庆大学院士专家工作站",
        host_organization=orgs["重庆市科学技术协会"],
        district=YUZHONG,
        members=[{"name": "周院士", "expertise": "机械传动"}],
        established_year=2019,
    )


def test_create_workstation_by_enterprise_refused(owner, orgs):
    with pytest.raises(PermissionDenied):
        services.create_workstation(
            by=owner,
            kind="expert",
            name="x",
            host_organization=orgs["重庆市科学技术协会"],
            district=YUZHONG,
            established_year=2020,
        )
    assert Workstation.objects.count() == 0


def test_record_evaluation_once_per_year(workstation, staff):
    services.record_evaluation(
        workstation=workstation, year=2025, score=Decimal("91.5"), grade="excellent", by=staff
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.record_evaluation(
            workstation=workstation, year=2025, score=Decimal(80), grade="good", by=staff
        )
    assert exc.value.message_dict == {"year": ["The workstation already has an evaluation for 2025."]}
    assert list(Evaluation.objects.values_list("year", "grade")) == [(2025, "excellent")]


def test_record_evaluation_score_out_of_range_refused(workstation, staff):
    with pytest.raises(ValidationError):
        services.record_evaluation(
            workstation=workstation, year=2025, score=Decimal(101), grade="good", by=staff
        )
    assert Evaluation.objects.count() == 0


def test_create_service_team_with_unknown_district_refused(staff, orgs):
    with pytest.raises(ValidationError):
        services.create_service_team(
            by=staff,
            name="智能制造服务团",
            lead_organization=orgs["重庆市科学技术协会"],
            districts=["123456"],
        )


def test_register_enterprise_creates_org_user_and_membership(orgs):
    user, enterprise = services.register_enterprise(
        username="newco",
        password="Kexie@2026-long",
        full_name="陈晨",
        mobile="13700001111",
        enterprise_name="重庆新创机电有限公司",
        district=YUZHONG,
    )
    assert enterprise.kind == "enterprise"
    assert [(m.organization.name, m.role) for m in user.memberships.all()] == [
        ("重庆新创机电有限公司", "enterprise")
    ]


def test_register_enterprise_bad_mobile_creates_nothing(orgs):
    with pytest.raises(ValidationError):
        services.register_enterprise(
            username="newco",
            password="Kexie@2026-long",
            full_name="陈晨",
            mobile="12",
            enterprise_name="重庆新创机电有限公司",
            district=YUZHONG,
        )
    assert not User.objects.filter(username="newco").exists()
    assert not Organization.objects.filter(name="重庆新创机电有限公司").exists()


def test_load_industries_refills_empty_table_and_is_idempotent(db):
    Industry.objects.all().delete()

    created = services.load_industries()

    assert (created, services.load_industries()) == (1771, 0)
    assert Industry.objects.get(code="3459").name == "其他传动部件制造"
    assert list(
        Industry.objects.filter(code__in=["C", "34"]).values_list("code", "level").order_by("code")
    ) == [
        ("34", 2),
        ("C", 1),
    ]
