"""Services of the supervision ledger: confirmation, every state transition and its refusal, lights,
reminders, cases and indicators."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent, Notification
from kexie.policy import services
from kexie.policy.enums import CaseState, ChangeKind, ChangeState, Light, TaskState
from kexie.policy.models import ChangeRequest, Evidence, MeasureDepartment, ProgressReport, Target, Task
from kexie.policy.services import LightInputs, compute_light


def task_of(notice, number: int) -> Task:
    return Task.objects.get(measure__notice=notice, measure__number=number)


def state_of(task: Task) -> tuple[str, int, str]:
    task.refresh_from_db()
    return task.state, task.percent, task.light


# --- confirmation ---------------------------------------------------------------------------------


def test_confirm_creates_measures_departments_tasks_and_target(notice):
    assert notice.state == "confirmed"
    assert notice.measures.count() == 16
    m3 = notice.measures.get(number=3)
    links = list(MeasureDepartment.objects.filter(measure=m3).values_list("organization__name", "is_lead"))
    assert links == [
        ("科学技术创新部", True),
        ("宣传文化部", False),
        ("科技社团党委办公室", False),
        ("重庆市科学技术期刊编辑学会", False),
    ]
    task = task_of(notice, 3)
    assert task.lead.name == "科学技术创新部"
    assert {o.name for o in task.cooperating.all()} == {
        "宣传文化部",
        "科技社团党委办公室",
        "重庆市科学技术期刊编辑学会",
    }
    assert (task.state, task.source, task.source_ref) == (TaskState.DRAFT, "notice", "渝科协发〔2022〕84号 3")
    target = Target.objects.get()
    assert (
        target.measure.number,
        target.year,
        target.metric,
        target.comparator,
        target.value,
        target.unit,
    ) == (9, 2025, "公民具备科学素质的比例", ">", Decimal("15"), "%")


def test_confirm_refuses_unmapped_unit_and_saves_nothing(orgs, supervisor, seed_text):
    draft = services.create_notice_draft(text=seed_text, by=supervisor)
    mapping = services.match_organizations(services.draft_unit_names(draft.draft))
    mapping["重庆科技报"] = None
    with pytest.raises(ValidationError, match="重庆科技报"):
        services.confirm_notice(notice=draft, mapping=mapping, by=supervisor)
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert Task.objects.count() == 0


def test_confirm_twice_refused(notice, supervisor):
    with pytest.raises(ValidationError):
        services.confirm_notice(notice=notice, mapping={}, by=supervisor)


def test_import_refused_for_department_staff(orgs, kepu_staff, seed_text):
    with pytest.raises(PermissionDenied):
        services.create_notice_draft(text=seed_text, by=kepu_staff)


def test_match_organizations_by_alias_and_prefix(orgs):
    found = services.match_organizations(
        ["市科协科技服务中心", "重庆市院士工作服务中心", "科普部", "不存在的部"]
    )
    assert {k: v.name if v else None for k, v in found.items()} == {
        "市科协科技服务中心": "市科协科技服务中心",
        "重庆市院士工作服务中心": "院士工作服务中心",
        "科普部": "科学技术普及部",
        "不存在的部": None,
    }


# --- state machine --------------------------------------------------------------------------------


def test_full_lifecycle_draft_to_completed(notice, kepu_staff, leader):
    task = task_of(notice, 9)
    services.start_task(task=task, by=kepu_staff)
    assert state_of(task)[0] == TaskState.IN_PROGRESS
    services.record_progress(task=task, text="完成第一阶段", percent=60, by=kepu_staff)
    assert state_of(task)[:2] == (TaskState.IN_PROGRESS, 60)
    services.request_completion(task=task, by=kepu_staff)
    assert state_of(task)[0] == TaskState.COMPLETION_REQUESTED
    services.approve_completion(task=task, by=leader)
    assert state_of(task) == (TaskState.COMPLETED, 100, Light.DONE)
    actions = list(
        AuditEvent.objects.filter(object_type="policy.task", object_id=str(task.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "policy.task.create",
        "policy.task.start",
        "policy.task.request_completion",
        "policy.task.complete",
    ]


def test_return_sends_task_back_with_reason(notice, kepu_staff, leader):
    task = task_of(notice, 9)
    services.record_progress(task=task, text="进展", percent=90, by=kepu_staff)
    services.request_completion(task=task, by=kepu_staff)
    services.return_task(task=task, reason="佐证材料不全", by=leader)
    task.refresh_from_db()
    assert (task.state, task.return_reason) == (TaskState.IN_PROGRESS, "佐证材料不全")
    notes = Notification.objects.filter(user=kepu_staff, url=reverse("policy:task_detail", args=[task.pk]))
    assert [n.body for n in notes] == ["佐证材料不全"]


@pytest.mark.parametrize(
    "state", [TaskState.DRAFT, TaskState.IN_PROGRESS, TaskState.COMPLETED, TaskState.CANCELLED]
)
def test_approve_refused_unless_completion_requested(notice, leader, state):
    task = task_of(notice, 9)
    Task.objects.filter(pk=task.pk).update(state=state)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.approve_completion(task=task, by=leader)
    assert state_of(task)[0] == state
    assert AuditEvent.objects.count() == events


def test_approve_refused_for_non_leader(notice, kepu_staff, supervisor):
    task = task_of(notice, 9)
    services.record_progress(task=task, text="进展", by=kepu_staff)
    services.request_completion(task=task, by=kepu_staff)
    for user in (kepu_staff, supervisor):
        with pytest.raises(PermissionDenied):
            services.approve_completion(task=task, by=user)
    assert state_of(task)[0] == TaskState.COMPLETION_REQUESTED


def test_request_completion_refused_for_cooperating_department(notice, make_user):
    task = task_of(notice, 10)  # lead 科学技术普及部, cooperating 宣传文化部 …
    xuanchuan = make_user("xc", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部")
    services.start_task(task=task, by=make_user("kp2", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部"))
    with pytest.raises(PermissionDenied):
        services.request_completion(task=task, by=xuanchuan)
    assert state_of(task)[0] == TaskState.IN_PROGRESS


def test_report_refused_for_unrelated_department(notice, zhanlue_staff):
    task = task_of(notice, 9)  # 科学技术普及部 only
    with pytest.raises(PermissionDenied):
        services.record_progress(task=task, text="越权", by=zhanlue_staff)
    assert ProgressReport.objects.count() == 0


def test_cooperating_report_does_not_set_percent(notice, make_user):
    task = task_of(notice, 10)
    lead = make_user("kp2", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    coop = make_user("xc", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部")
    services.record_progress(task=task, text="牵头进展", percent=40, by=lead)
    report = services.record_progress(task=task, text="配合部分", percent=90, by=coop)
    assert (report.is_lead, report.percent, report.organization.name) == (False, None, "宣传文化部")
    assert state_of(task)[1] == 40


def test_report_with_evidence_files(notice, kepu_staff):
    task = task_of(notice, 9)
    upload = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    report = services.record_progress(task=task, text="召开专题会", percent=20, files=[upload], by=kepu_staff)
    evidence = Evidence.objects.get(report=report)
    assert (evidence.name, evidence.size) == ("会议纪要.pdf", 16)
    assert evidence.file.read() == b"%PDF-1.4 minutes"


@pytest.mark.parametrize(
    ("name", "content"),
    [("恶意.exe", b"MZ"), ("空文件.pdf", b""), ("伪装.pdf", b"MZ\x90\x00"), ("照片.png", b"%PDF-1.4")],
)
def test_report_refuses_bad_evidence_and_saves_nothing(notice, kepu_staff, name, content):
    task = task_of(notice, 9)
    with pytest.raises(ValidationError):
        services.record_progress(
            task=task, text="进展", files=[SimpleUploadedFile(name, content)], by=kepu_staff
        )
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (0, 0)
    assert state_of(task)[0] == TaskState.DRAFT


def test_report_refuses_empty_text_and_bad_percent(notice, kepu_staff):
    task = task_of(notice, 9)
    with pytest.raises(ValidationError):
        services.record_progress(task=task, text="  ", by=kepu_staff)
    with pytest.raises(ValidationError):
        services.record_progress(task=task, text="进展", percent=120, by=kepu_staff)
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_apply_once(orgs, make_user, seed_text):
    supervisor = make_user("duban", role=Role.SUPERVISOR)
    draft = services.create_notice_draft(text=seed_text, by=supervisor)
    notice = services.confirm_notice(
        notice=draft,
        mapping=services.match_organizations(services.draft_unit_names(draft.draft)),
        by=supervisor,
    )
    leaders = [make_user(f"leader{i}", role=Role.LEADER) for i in range(4)]
    staff = make_user("kp", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    task = task_of(notice, 9)
    services.record_progress(task=task, text="完成", percent=100, by=staff)
    services.request_completion(task=task, by=staff)
    results: list[str] = []
    barrier = threading.Barrier(len(leaders))

    def approve(user):
        try:
            barrier.wait()
            services.approve_completion(task=Task.objects.get(pk=task.pk), by=user)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in leaders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused", "refused", "refused"]
    assert AuditEvent.objects.filter(action="policy.task.complete", object_id=str(task.pk)).count() == 1


# --- change requests ---------------------------------------------------------------------------------


def test_due_date_change_needs_approval(notice, kepu_staff, leader):
    task = task_of(notice, 9)
    services.start_task(task=task, by=kepu_staff)
    with pytest.raises(ValidationError):
        services.update_task(task=task, due_date=date(2027, 1, 1), by=kepu_staff)
    change = services.request_change(
        task=task,
        kind=ChangeKind.DUE_DATE,
        new_due_date=date(2027, 6, 30),
        reason="等待年度调查数据",
        by=kepu_staff,
    )
    task.refresh_from_db()
    assert task.due_date is None
    services.decide_change(change=change, approve=True, by=leader)
    task.refresh_from_db()
    assert task.due_date == date(2027, 6, 30)
    with pytest.raises(ValidationError):
        services.decide_change(change=change, approve=False, by=leader)
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED


def test_cancellation_approved_cancels(notice, kepu_staff, leader):
    task = task_of(notice, 9)
    change = services.request_change(task=task, kind=ChangeKind.CANCEL, reason="并入其他任务", by=kepu_staff)
    services.decide_change(change=change, approve=True, by=leader)
    assert state_of(task)[0] == TaskState.CANCELLED


def test_rejected_change_leaves_task(notice, kepu_staff, leader):
    task = task_of(notice, 9)
    change = services.request_change(task=task, kind=ChangeKind.CANCEL, reason="x", by=kepu_staff)
    services.decide_change(change=change, approve=False, note="不同意", by=leader)
    assert state_of(task)[0] == TaskState.DRAFT
    assert ChangeRequest.objects.get().state == ChangeState.REJECTED


def test_second_pending_change_refused(notice, kepu_staff):
    task = task_of(notice, 9)
    services.request_change(task=task, kind=ChangeKind.CANCEL, reason="x", by=kepu_staff)
    with pytest.raises(ValidationError):
        services.request_change(
            task=task, kind=ChangeKind.DUE_DATE, new_due_date=date(2027, 1, 1), reason="y", by=kepu_staff
        )
    assert ChangeRequest.objects.count() == 1


# --- lights ----------------------------------------------------------------------------------------

TODAY = date(2026, 11, 27)


def light(**kwargs) -> str:
    base = {
        "state": TaskState.IN_PROGRESS,
        "due_date": None,
        "started": TODAY,
        "last_report": TODAY,
        "next_milestone": None,
        "overdue_milestone": False,
    }
    base.update(kwargs)
    return compute_light(LightInputs(**base), today=TODAY, amber_days=7, report_interval_days=30)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, Light.GREEN),
        ({"due_date": TODAY + timedelta(days=30)}, Light.GREEN),
        ({"due_date": TODAY + timedelta(days=7)}, Light.AMBER),
        ({"due_date": TODAY}, Light.AMBER),
        ({"due_date": TODAY - timedelta(days=1)}, Light.RED),
        ({"next_milestone": TODAY + timedelta(days=3)}, Light.AMBER),
        ({"overdue_milestone": True}, Light.RED),
        ({"last_report": TODAY - timedelta(days=31)}, Light.RED),
        ({"last_report": TODAY - timedelta(days=30)}, Light.GREEN),
        ({"last_report": None, "started": TODAY - timedelta(days=40)}, Light.RED),
        ({"state": TaskState.COMPLETED, "due_date": TODAY - timedelta(days=9)}, Light.DONE),
        ({"state": TaskState.CANCELLED}, Light.GREY),
        ({"state": TaskState.DRAFT}, Light.GREY),
        ({"state": TaskState.DRAFT, "due_date": TODAY - timedelta(days=1)}, Light.RED),
        ({"state": TaskState.COMPLETION_REQUESTED, "last_report": TODAY - timedelta(days=60)}, Light.GREEN),
    ],
)
def test_compute_light(kwargs, expected):
    assert light(**kwargs) == expected


def test_refresh_lights_follows_calendar(notice, kepu_staff):
    today = timezone.localdate()
    task = task_of(notice, 9)
    services.record_progress(task=task, text="进展", percent=10, by=kepu_staff)
    Task.objects.filter(pk=task.pk).update(due_date=today + timedelta(days=3))
    assert services.refresh_lights(today=today - timedelta(days=30)) == {}
    assert state_of(task)[2] == Light.GREEN
    assert services.refresh_lights(today=today) == {Light.AMBER: 1}
    assert services.refresh_lights(today=today + timedelta(days=4)) == {Light.RED: 1}
    assert state_of(task)[2] == Light.RED


def test_milestone_drives_light(notice, kepu_staff, supervisor):
    task = task_of(notice, 9)
    services.record_progress(task=task, text="进展", by=kepu_staff)
    milestone = services.add_milestone(
        task=task, title="完成抽样", due_date=timezone.localdate() - timedelta(days=1), by=supervisor
    )
    assert state_of(task)[2] == Light.RED
    services.complete_milestone(milestone=milestone, by=kepu_staff)
    assert state_of(task)[2] == Light.GREEN


# --- reminders ------------------------------------------------------------------------------------


def test_reminder_notifies_and_mails_lead_department(
    notice, supervisor, make_user, django_capture_on_commit_callbacks
):
    head = make_user(
        "kphead", role=Role.DEPARTMENT_HEAD, org_name="科学技术普及部", email="head@kexie.example"
    )
    task = task_of(notice, 9)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminder(task=task, by=supervisor)
    assert Notification.objects.filter(user=head).count() == 1
    assert [m.to for m in mail.outbox] == [["head@kexie.example"]]
    task.refresh_from_db()
    assert task.last_reminded_at is not None


def test_reminder_refused_for_department_staff(notice, kepu_staff):
    with pytest.raises(PermissionDenied):
        services.send_reminder(task=task_of(notice, 9), by=kepu_staff)
    assert Notification.objects.count() == 0


def test_due_reminders_only_red_and_amber_not_recently_reminded(notice, make_user):
    make_user("kphead", role=Role.DEPARTMENT_HEAD, org_name="科学技术普及部")
    red = task_of(notice, 9)
    Task.objects.filter(pk=red.pk).update(light=Light.RED, state=TaskState.IN_PROGRESS)
    Task.objects.filter(pk=task_of(notice, 10).pk).update(light=Light.GREEN, state=TaskState.IN_PROGRESS)
    assert services.send_due_reminders() == 1
    assert services.send_due_reminders() == 0  # reminded within the interval


# --- cases and indicators -----------------------------------------------------------------------------


def test_case_written_submitted_published(notice, kepu_staff, leader):
    task = task_of(notice, 9)
    case = services.write_case(task=task, title="社区科普大学", body="经验做法……", by=kepu_staff)
    with pytest.raises(PermissionDenied):
        services.publish_case(case=case, by=leader)  # not submitted yet
    services.submit_case(case=case, by=kepu_staff)
    with pytest.raises(PermissionDenied):
        services.publish_case(case=case, by=kepu_staff)
    services.publish_case(case=case, by=leader)
    case.refresh_from_db()
    assert (case.state, case.published_by) == (CaseState.PUBLISHED, leader)


def test_manual_indicator_value_recorded(notice, supervisor, kepu_staff):
    target = Target.objects.get()
    entry = services.record_indicator_value(
        target=target, value=Decimal("12.3"), as_of=date(2022, 12, 31), by=supervisor
    )
    assert list(target.values.values_list("value", flat=True)) == [entry.value]
    with pytest.raises(PermissionDenied):
        services.record_indicator_value(
            target=target, value=Decimal("99"), as_of=date(2023, 1, 1), by=kepu_staff
        )
    assert target.values.count() == 1


def test_task_from_other_source(orgs, supervisor):
    task = services.create_task(
        title="落实市委领导批示",
        lead=orgs["战略发展部"],
        source="instruction",
        source_ref="批示〔2026〕12号",
        due_date=date(2026, 12, 31),
        by=supervisor,
    )
    assert (task.measure, task.source, task.light) == (None, "instruction", Light.GREY)
    with pytest.raises(ValidationError):
        services.create_task(title="无举措", lead=orgs["战略发展部"], source="notice", by=supervisor)
