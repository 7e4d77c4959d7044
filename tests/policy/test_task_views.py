"""Task pages: rendered content and state changes, the role × state permission matrix, query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.policy import services
from kexie.policy.enums import TaskState
from kexie.policy.models import Evidence, ProgressReport, Task


def task9(notice) -> Task:
    return Task.objects.get(measure__notice=notice, measure__number=9)


def test_task_list_scoped_to_department(notice, login, kepu_staff):
    content = login(kepu_staff).get(reverse("policy:task_list")).content.decode()
    # 科学技术普及部 leads measures 4, 9, 10, 11 and cooperates on 12.
    assert "牵头深入实施全民科学素质行动" in content
    assert "构建柔性智库体系" not in content  # measure 13 belongs to 战略发展部


def test_task_list_filters(notice, login, leader):
    Task.objects.filter(measure__number=13).update(light="red")
    content = login(leader).get(reverse("policy:task_list") + "?light=red").content.decode()
    assert "构建柔性智库体系" in content
    assert "牵头深入实施全民科学素质行动" not in content


def test_task_list_query_count_constant(notice, login, leader):
    client = login(leader)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    Task.objects.exclude(measure__number=1).update(light="grey")
    Task.objects.filter(measure__number=1).update(light="red")
    one = count(reverse("policy:task_list") + "?light=red")
    Task.objects.filter(measure__number__in=[2, 3]).update(light="red")
    assert count(reverse("policy:task_list") + "?light=red") == one


def test_report_progress_with_attachment_through_page(notice, login, kepu_staff):
    task = task9(notice)
    client = login(kepu_staff)
    response = client.post(
        reverse("policy:task_report", args=[task.pk]),
        {
            "text": "完成年度调查抽样设计",
            "percent": 35,
            "files": [SimpleUploadedFile("抽样方案.docx", b"PK\x03\x04docx")],
        },
        follow=True,
    )
    content = response.content.decode()
    assert "完成年度调查抽样设计" in content
    assert "抽样方案.docx" in content
    task.refresh_from_db()
    assert (task.state, task.percent) == (TaskState.IN_PROGRESS, 35)
    evidence = Evidence.objects.get()
    download = client.get(reverse("policy:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"PK\x03\x04docx"


def test_report_bad_evidence_shows_error_and_saves_nothing(notice, login, kepu_staff):
    task = task9(notice)
    response = login(kepu_staff).post(
        reverse("policy:task_report", args=[task.pk]),
        {"text": "进展", "files": [SimpleUploadedFile("病毒.exe", b"MZ")]},
    )
    assert response.status_code == 400
    assert "病毒.exe" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_evidence_hidden_from_other_departments(notice, login, kepu_staff, zhanlue_staff):
    services.record_progress(
        task=task9(notice), text="x", files=[SimpleUploadedFile("a.pdf", b"%PDF")], by=kepu_staff
    )
    evidence = Evidence.objects.get()
    assert (
        login(zhanlue_staff).get(reverse("policy:evidence_download", args=[evidence.pk])).status_code == 404
    )


def test_leader_approves_through_page(notice, login, kepu_staff, leader):
    task = task9(notice)
    services.record_progress(task=task, text="完成", percent=100, by=kepu_staff)
    services.request_completion(task=task, by=kepu_staff)
    client = login(leader)
    page = client.get(reverse("policy:task_detail", args=[task.pk])).content.decode()
    assert 'data-testid="approve"' in page
    inbox = client.get(reverse("policy:approvals")).content.decode()
    assert task.title in inbox
    client.post(reverse("policy:task_approve", args=[task.pk]))
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED


def test_return_without_reason_shows_error(notice, login, kepu_staff, leader):
    task = task9(notice)
    services.record_progress(task=task, text="完成", percent=100, by=kepu_staff)
    services.request_completion(task=task, by=kepu_staff)
    response = login(leader).post(reverse("policy:task_return", args=[task.pk]), {"reason": ""})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETION_REQUESTED


# Role × state matrix: who may act on a task of 科学技术普及部 (measure 9) in each state.
ACTORS = {
    "lead": (Role.DEPARTMENT_STAFF, "科学技术普及部"),
    "other": (Role.DEPARTMENT_STAFF, "战略发展部"),
    "leader": (Role.LEADER, "重庆市科学技术协会"),
    "supervisor": (Role.SUPERVISOR, "重庆市科学技术协会"),
}
STATES = [TaskState.DRAFT, TaskState.IN_PROGRESS, TaskState.COMPLETION_REQUESTED, TaskState.COMPLETED]

# (action, url name, POST data) -> the (actor, state) pairs that succeed
ACTIONS = {
    "report": (
        "policy:task_report",
        {"text": "进展"},
        {
            ("lead", TaskState.DRAFT),
            ("lead", TaskState.IN_PROGRESS),
            ("lead", TaskState.COMPLETION_REQUESTED),
        },
    ),
    "request_completion": ("policy:task_request_completion", {}, {("lead", TaskState.IN_PROGRESS)}),
    "approve": ("policy:task_approve", {}, {("leader", TaskState.COMPLETION_REQUESTED)}),
    "return": ("policy:task_return", {"reason": "补充材料"}, {("leader", TaskState.COMPLETION_REQUESTED)}),
    "remind": (
        "policy:task_remind",
        {"message": ""},
        {(a, s) for a in ("leader", "supervisor") for s in STATES if s != TaskState.COMPLETED},
    ),
}


def _expected_state(action: str, state: str) -> str:
    return {
        "report": TaskState.IN_PROGRESS if state == TaskState.DRAFT else state,
        "request_completion": TaskState.COMPLETION_REQUESTED,
        "approve": TaskState.COMPLETED,
        "return": TaskState.IN_PROGRESS,
        "remind": state,
    }[action]


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", sorted(ACTORS))
def test_permission_matrix(notice, make_user, login, action, state, actor):
    role, org = ACTORS[actor]
    user = make_user(f"{actor}-x", role=role, org_name=org)
    task = task9(notice)
    Task.objects.filter(pk=task.pk).update(state=state)
    url_name, data, allowed = ACTIONS[action]
    events = AuditEvent.objects.count()
    response = login(user).post(reverse(url_name, args=[task.pk]), data)
    task.refresh_from_db()
    if (actor, state) in allowed:
        assert response.status_code == 302
        assert task.state == _expected_state(action, state)
        assert AuditEvent.objects.count() > events
    else:
        assert response.status_code in (302, 403, 404)
        assert task.state == state
        assert AuditEvent.objects.count() == events


def test_unrelated_department_cannot_open_task(notice, login, zhanlue_staff):
    assert login(zhanlue_staff).get(reverse("policy:task_detail", args=[task9(notice).pk])).status_code == 404


def test_task_history_shows_transitions(notice, login, kepu_staff, leader):
    task = task9(notice)
    services.record_progress(task=task, text="完成", percent=100, by=kepu_staff)
    services.request_completion(task=task, by=kepu_staff)
    page = login(leader).get(reverse("policy:task_detail", args=[task.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert [label in history for label in ("创建了任务", "报送了进展", "申请办结")] == [True, True, True]


def test_create_task_from_instruction(orgs, login, supervisor):
    response = login(supervisor).post(
        reverse("policy:task_create"),
        {
            "title": "落实批示",
            "source": "instruction",
            "source_ref": "批示〔2026〕1号",
            "lead": orgs["战略发展部"].pk,
            "due_date": "2026-12-31",
        },
        follow=True,
    )
    assert "落实批示" in response.content.decode()
    task = Task.objects.get(title="落实批示")
    assert (task.source, task.lead.name, task.measure) == ("instruction", "战略发展部", None)


def test_create_task_refused_for_staff(orgs, login, kepu_staff):
    assert login(kepu_staff).get(reverse("policy:task_create")).status_code == 403


def test_case_flow_through_pages(notice, login, kepu_staff, leader):
    task = task9(notice)
    client = login(kepu_staff)
    response = client.post(
        reverse("policy:case_create", args=[task.pk]),
        {"title": "科普大篷车进乡村", "body": "做法与成效", "submit": "on"},
        follow=True,
    )
    assert "科普大篷车进乡村" in response.content.decode()
    case = task.cases.get()
    login(leader).post(reverse("policy:case_detail", args=[case.pk]), {"action": "publish"})
    case.refresh_from_db()
    assert case.state == "published"
