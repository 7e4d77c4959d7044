"""Services of the societies app: every exit path, and nothing half-written when refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kexie.accounts.models import Organization
from kexie.core.models import AuditEvent
from kexie.societies import services
from kexie.societies.enums import (
    CooperationKind,
    DirectoryState,
    EventKind,
    EventState,
    FoundingState,
    InspectionState,
)
from kexie.societies.models import (
    Directory,
    Event,
    EventReport,
    FoundingRequest,
    Inspection,
    Journal,
    Registration,
    Society,
)
from kexie.societies.validators import issn_check_digit, normalize_cn, normalize_issn

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1

COMPLETE = {
    "individual_members": 330,
    "unit_members": 42,
    "council_meetings": 2,
    "academic_events": 5,
    "income": Decimal("38.50"),
    "expense": Decimal("35.20"),
    "summary": "全年举办学术活动5场，组织编辑业务培训2期。",
}


# --- identifiers -----------------------------------------------------------------------------------


def test_issn_check_digit_known_values():
    assert issn_check_digit("0317847") == "1"  # 0317-8471, the standard's example
    assert issn_check_digit("1050124") == "X"  # 1050-124X
    assert normalize_issn("1050124x") == "1050-124X"


@pytest.mark.parametrize("value", ["1050-1245", "12345", "ABCD-1234", ""])
def test_issn_wrong_check_digit_or_format_refused(value):
    with pytest.raises(ValidationError):
        normalize_issn(value)


def test_cn_normalised_and_bad_cn_refused():
    assert normalize_cn("cn 50-1044/n") == "50-1044/N"
    with pytest.raises(ValidationError):
        normalize_cn("50-104/N")


# --- inspection ------------------------------------------------------------------------------------


def test_inspection_submit_review_grade(society, secretary, staff):
    report = services.save_inspection(society=society, year=LAST_YEAR, by=secretary, **COMPLETE)
    services.submit_inspection(inspection=report, by=secretary)
    assert report.state == InspectionState.SUBMITTED
    services.review_inspection(
        inspection=report, by=staff, approve=True, rating="qualified", score=Decimal(92), grade="4A"
    )
    report.refresh_from_db()
    society.refresh_from_db()
    assert (report.state, report.rating, report.score) == (
        InspectionState.APPROVED,
        "qualified",
        Decimal("92.0"),
    )
    assert (society.grade, society.grade_year, society.individual_members) == ("4A", LAST_YEAR, 330)
    assert secretary.notifications.count() == 1


def test_inspection_missing_required_fields_names_them_and_stays_draft(society, secretary):
    report = services.save_inspection(society=society, year=LAST_YEAR, by=secretary, individual_members=300)
    with pytest.raises(ValidationError) as exc:
        services.submit_inspection(inspection=report, by=secretary)
    assert set(exc.value.message_dict) == {
        "unit_members",
        "council_meetings",
        "academic_events",
        "income",
        "expense",
        "summary",
    }
    assert "工作总结" in " ".join(exc.value.message_dict["summary"]) or exc.value.message_dict["summary"]
    report.refresh_from_db()
    assert report.state == InspectionState.DRAFT


def test_inspection_of_other_society_refused(society, other_secretary):
    with pytest.raises(PermissionDenied):
        services.save_inspection(society=society, year=LAST_YEAR, by=other_secretary, **COMPLETE)
    assert not Inspection.objects.exists()


def test_submitted_inspection_cannot_be_edited_and_return_needs_reason(society, secretary, staff):
    report = services.save_inspection(society=society, year=LAST_YEAR, by=secretary, **COMPLETE)
    services.submit_inspection(inspection=report, by=secretary)
    with pytest.raises(ValidationError):
        services.save_inspection(society=society, year=LAST_YEAR, by=secretary, summary="改")
    with pytest.raises(ValidationError) as exc:
        services.review_inspection(inspection=report, by=staff, approve=False, comment=" ")
    assert "comment" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.review_inspection(inspection=report, by=secretary, approve=True, rating="qualified")
    services.review_inspection(inspection=report, by=staff, approve=False, comment="财务数据需附审计报告。")
    report.refresh_from_db()
    assert report.state == InspectionState.RETURNED
    services.save_inspection(society=society, year=LAST_YEAR, by=secretary, summary="已补充审计报告。")
    services.submit_inspection(inspection=Inspection.objects.get(pk=report.pk), by=secretary)


def test_review_approve_requires_rating(society, secretary, staff):
    report = services.save_inspection(society=society, year=LAST_YEAR, by=secretary, **COMPLETE)
    services.submit_inspection(inspection=report, by=secretary)
    with pytest.raises(ValidationError) as exc:
        services.review_inspection(inspection=report, by=staff, approve=True, rating="")
    assert "rating" in exc.value.message_dict
    report.refresh_from_db()
    assert report.state == InspectionState.SUBMITTED


# --- society data ----------------------------------------------------------------------------------


def test_secretary_updates_own_society_but_not_supervising_unit(society, secretary, other_secretary, orgs):
    services.update_society(
        society=society, by=secretary, president="王主编", council=[{"name": "李理事", "post": "常务理事"}]
    )
    society.refresh_from_db()
    assert society.president == "王主编"
    assert society.council == [{"name": "李理事", "post": "常务理事"}]
    with pytest.raises(ValidationError):
        services.update_society(society=society, by=secretary, supervising_unit=orgs["宣传文化部"])
    with pytest.raises(PermissionDenied):
        services.update_society(society=society, by=other_secretary, president="冒名")
    society.refresh_from_db()
    assert society.president == "王主编"


# --- founding ----------------------------------------------------------------------------------------


def test_founding_request_approved_registers_society(staff, secretary, orgs):
    request = services.save_founding_request(
        by=secretary,
        name="重庆市智能网联汽车学会",
        discipline="车辆工程",
        supervising_unit=orgs["科学技术创新部"],
        initiators="重庆大学、长安汽车",
        founding_members=120,
        rationale="支柱产业需要学术共同体。",
    )
    services.submit_founding_request(request=request, by=secretary)
    services.decide_founding_request(request=request, by=staff, decision="approve")
    request.refresh_from_db()
    assert request.state == FoundingState.APPROVED
    assert request.society.organization.name == "重庆市智能网联汽车学会"
    assert request.society.organization.kind == "society"


def test_founding_request_too_few_members_and_duplicate_name(staff, secretary, orgs):
    with pytest.raises(ValidationError) as exc:
        services.save_founding_request(
            by=secretary,
            name="重庆市科学技术期刊编辑学会",
            discipline="编辑",
            supervising_unit=orgs["科学技术创新部"],
            initiators="x",
            founding_members=80,
            rationale="x",
        )
    assert "name" in exc.value.message_dict
    request = services.save_founding_request(
        by=secretary,
        name="重庆市低空经济学会",
        discipline="航空",
        supervising_unit=orgs["科学技术创新部"],
        initiators="x",
        founding_members=20,
        rationale="x",
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_founding_request(request=request, by=secretary)
    assert "founding_members" in exc.value.message_dict
    assert FoundingRequest.objects.get().state == FoundingState.DRAFT


# --- events ------------------------------------------------------------------------------------------


def test_event_apply_approve_register_check_in_report(approved_event, secretary, staff):
    assert approved_event.state == EventState.APPROVED
    ticket = services.register_attendee(
        event=approved_event, name="张三", organization="西南大学", mobile="13812345678"
    )
    assert ticket.state == "confirmed" and len(ticket.code) == 10
    services.check_in(event=approved_event, code=ticket.code.lower(), by=secretary)
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None
    Event.objects.filter(pk=approved_event.pk).update(starts_on=timezone.localdate())
    approved_event.refresh_from_db()
    report = services.file_event_report(
        event=approved_event, by=secretary, attendance=1, papers=12, outcomes="形成会议纪要。"
    )
    approved_event.refresh_from_db()
    assert approved_event.state == EventState.REPORTED and report.papers == 12


def test_registration_past_capacity_refused(approved_event):
    services.register_attendee(event=approved_event, name="甲", organization="重庆大学", mobile="13800000001")
    services.register_attendee(event=approved_event, name="乙", organization="重庆大学", mobile="13800000002")
    with pytest.raises(ValidationError) as exc:
        services.register_attendee(
            event=approved_event, name="丙", organization="重庆大学", mobile="13800000003"
        )
    assert (
        exc.value.messages == ["The event is full: all 2 places are taken."] or "2" in exc.value.messages[0]
    )
    assert Registration.objects.count() == 2


def test_registration_after_deadline_refused(make_event, secretary, staff):
    event = make_event(deadline_days=1)
    services.apply_event(event=event, by=secretary)
    services.decide_event(event=event, by=staff, approve=True)
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now() - timedelta(minutes=1))
    event.refresh_from_db()
    with pytest.raises(ValidationError):
        services.register_attendee(event=event, name="甲", organization="重庆大学", mobile="13800000001")
    assert not Registration.objects.exists()


def test_registration_duplicate_mobile_and_bad_mobile(approved_event):
    services.register_attendee(event=approved_event, name="甲", organization="重庆大学", mobile="13800000001")
    with pytest.raises(ValidationError) as exc:
        services.register_attendee(
            event=approved_event, name="甲2", organization="重庆大学", mobile="13800000001"
        )
    assert "mobile" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.register_attendee(event=approved_event, name="", organization="", mobile="123")
    assert set(exc.value.message_dict) == {"name", "organization", "mobile"}
    assert Registration.objects.count() == 1


def test_registration_refused_before_approval(make_event):
    event = make_event()
    with pytest.raises(ValidationError):
        services.register_attendee(event=event, name="甲", organization="重庆大学", mobile="13800000001")


def test_double_check_in_refused(approved_event, secretary):
    ticket = services.register_attendee(
        event=approved_event, name="甲", organization="重庆大学", mobile="13800000001"
    )
    first = services.check_in(event=approved_event, code=ticket.code, by=secretary)
    with pytest.raises(ValidationError) as exc:
        services.check_in(event=approved_event, code=ticket.code, by=secretary)
    assert "code" in exc.value.message_dict
    ticket.refresh_from_db()
    assert ticket.checked_in_at == first.checked_in_at


def test_check_in_unknown_code_and_other_society_refused(approved_event, other_secretary, secretary):
    with pytest.raises(ValidationError):
        services.check_in(event=approved_event, code="NOPE", by=secretary)
    ticket = services.register_attendee(
        event=approved_event, name="甲", organization="重庆大学", mobile="13800000001"
    )
    with pytest.raises(PermissionDenied):
        services.check_in(event=approved_event, code=ticket.code, by=other_secretary)


def test_report_missing_fields_and_before_start(approved_event, secretary):
    with pytest.raises(ValidationError) as exc:
        services.file_event_report(
            event=approved_event, by=secretary, attendance=None, papers=None, outcomes=""
        )
    assert set(exc.value.message_dict) == {"attendance", "papers", "outcomes"}
    with pytest.raises(ValidationError):
        services.file_event_report(event=approved_event, by=secretary, attendance=10, papers=1, outcomes="x")
    assert not EventReport.objects.exists()
    approved_event.refresh_from_db()
    assert approved_event.state == EventState.APPROVED


def test_event_validation(society, secretary, staff):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_event(
            by=secretary,
            society=society,
            kind=EventKind.INTERNATIONAL_CONFERENCE,
            title="国际会议",
            starts_on=today + timedelta(days=5),
            ends_on=today + timedelta(days=4),
            venue="x",
            description="x",
        )
    assert set(exc.value.message_dict) == {"ends_on", "countries"}
    annual = services.create_event(
        by=staff,
        society=None,
        kind=EventKind.ANNUAL_MEETING,
        title="重庆市科协年会",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=31),
        venue="悦来国际会议中心",
        description="年会",
    )
    forum = services.create_event(
        by=secretary,
        society=society,
        kind=EventKind.SUB_FORUM,
        parent=annual,
        title="期刊分论坛",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=30),
        venue="x",
        description="x",
    )
    assert list(annual.sub_forums.all()) == [forum]
    assert Event.objects.count() == 2


def test_support_granted(approved_event):
    services.grant_event_support(event=approved_event, amount=Decimal("5.00"), reference="学术会议资助 #3")
    approved_event.refresh_from_db()
    assert approved_event.support_amount == Decimal("5.00")


# --- journals ---------------------------------------------------------------------------------------


def _journal(staff, **extra):
    values = {
        "title": "重庆大学学报",
        "cn": "CN 50-1044/N",
        "issn": "1000-582X",
        "publisher": "重庆大学",
        "discipline": "综合",
        "by": staff,
    }
    values.update(extra)
    return services.register_journal(**values)


def test_issn_check_digit_computed_for_sample():
    assert issn_check_digit("1000582") == "X"


def test_journal_duplicate_cn_and_issn_refused(staff, cscd):
    journal = _journal(staff, indexing=[cscd])
    assert (journal.cn, journal.issn, [d.name for d in journal.indexing.all()]) == (
        "50-1044/N",
        "1000-582X",
        ["CSCD"],
    )
    with pytest.raises(ValidationError) as exc:
        _journal(staff, title="另一刊", cn="50-1044/n", issn="1000582x")
    assert set(exc.value.message_dict) == {"cn", "issn"}
    assert "重庆大学学报" in exc.value.message_dict["cn"][0]
    assert Journal.objects.count() == 1


def test_journal_bad_issn_checksum_refused(staff):
    with pytest.raises(ValidationError) as exc:
        _journal(staff, issn="1000-5821")
    assert list(exc.value.message_dict) == ["issn"]
    assert not Journal.objects.exists()
    assert not AuditEvent.objects.filter(action="societies.journal.register").exists()


def test_journal_secretary_may_not_register(secretary):
    with pytest.raises(PermissionDenied):
        _journal(secretary)


def test_directory_compose_and_publish(staff):
    journal = _journal(staff)
    directory = services.create_directory(
        by=staff, title="重庆市高质量科技期刊目录（2025）", year=2025, tiers="T1、T2、T3"
    )
    with pytest.raises(ValidationError):
        services.publish_directory(directory=directory, by=staff)
    with pytest.raises(ValidationError):
        services.add_directory_entry(directory=directory, journal=journal, tier="T9", by=staff)
    services.add_directory_entry(directory=directory, journal=journal, tier="T2", by=staff)
    with pytest.raises(ValidationError):
        services.add_directory_entry(directory=directory, journal=journal, tier="T1", by=staff)
    services.publish_directory(directory=directory, by=staff)
    directory.refresh_from_db()
    assert directory.state == DirectoryState.PUBLISHED
    assert [(e.journal.title, e.tier, e.tier_rank) for e in directory.entries.all()] == [
        ("重庆大学学报", "T2", 1)
    ]
    with pytest.raises(ValidationError):
        services.add_directory_entry(
            directory=directory,
            journal=_journal(staff, cn="50-1001/R", issn="", title="x"),
            tier="T1",
            by=staff,
        )
    assert Directory.objects.get().entries.count() == 1


# --- cooperation and international --------------------------------------------------------------------


def test_project_needs_district_or_partner(society, secretary):
    with pytest.raises(ValidationError) as exc:
        services.record_project(
            by=secretary,
            kind=CooperationKind.DISTRICT,
            society=society,
            title="会地",
            signed_on=timezone.localdate(),
        )
    assert "district" in exc.value.message_dict
    project = services.record_project(
        by=secretary,
        kind=CooperationKind.DISTRICT,
        society=society,
        title="会地",
        signed_on=timezone.localdate(),
        district="500103",
    )
    with pytest.raises(ValidationError):
        services.update_project_outcome(
            project=project, by=secretary, state="completed", outcomes=2, value=Decimal(10)
        )
    services.update_project_outcome(
        project=project, by=secretary, state="completed", outcomes=2, value=Decimal(10), outcome_note="完成"
    )
    project.refresh_from_db()
    assert (project.outcomes, project.value) == (2, Decimal("10.00"))


def test_alliance_members_validated(staff, society):
    with pytest.raises(ValidationError):
        services.create_alliance(
            by=staff,
            name="联盟",
            kind="tech_innovation",
            established_on=timezone.localdate(),
            members=[{"name": "A", "country": "ZZ"}],
        )
    alliance = services.create_alliance(
        by=staff,
        name="联盟",
        kind="tech_innovation",
        established_on=timezone.localdate(),
        lead_society=society,
        members=[{"name": "长安汽车", "country": "CN"}, {"name": "Fraunhofer IPA", "country": "DE"}],
    )
    assert [m.country_name for m in alliance.members.all()] == ["中国", "德国"]


def test_exchange_and_position(staff, expert):
    with pytest.raises(ValidationError) as exc:
        services.record_exchange(
            by=staff, kind="incoming", title="来访", starts_on=timezone.localdate(), countries=[]
        )
    assert "countries" in exc.value.message_dict
    exchange = services.record_exchange(
        by=staff, kind="incoming", title="来访", starts_on=timezone.localdate(), countries=["th", "DE"]
    )
    assert exchange.countries == ["TH", "DE"] and exchange.belt_and_road
    org = services.create_intl_organization(by=staff, name="国际标准化组织", acronym="ISO", country="CH")
    with pytest.raises(ValidationError):
        services.record_position(
            by=staff,
            organization=org,
            expert=expert,
            title="委员",
            level="committee",
            term_start=timezone.localdate(),
            term_end=timezone.localdate() - timedelta(days=1),
        )
    services.record_position(
        by=staff,
        organization=org,
        expert=expert,
        title="委员",
        level="committee",
        term_start=timezone.localdate(),
    )
    first = services.record_position_recommendation(
        organization=org,
        expert=expert,
        post="副主席",
        recommended_on=timezone.localdate(),
        source_ref="calls:1",
    )
    again = services.record_position_recommendation(
        organization=org,
        expert=expert,
        post="副主席",
        recommended_on=timezone.localdate(),
        source_ref="calls:1",
    )
    assert first.pk == again.pk


def test_register_society_refuses_duplicate(society, orgs):
    with pytest.raises(ValidationError):
        services.register_society(
            by=None,
            name="x",
            organization=orgs["重庆市科学技术期刊编辑学会"],
            supervising_unit=orgs["科学技术创新部"],
        )
    assert Society.objects.count() == 1
    assert Organization.objects.filter(kind="society").count() >= 1
