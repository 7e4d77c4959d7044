"""Export pages: the breakdown table's page and download, its import, and the bulletin page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from kexie.accounts.enums import Role
from kexie.accounts.services import ROOT_NAME
from kexie.core.models import AuditEvent
from kexie.policy import services
from kexie.policy.enums import ChangeState, Light
from kexie.policy.exports.breakdown import COL_DUE, COL_ID, COL_LEAD, COL_TITLE, export_breakdown
from kexie.policy.models import ChangeRequest, Task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def task_of(notice, number: int) -> Task:
    return Task.objects.get(measure__notice=notice, measure__number=number)


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(content: bytes, name: str = "分解表.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def edited(content: bytes, changes: dict, new_row: list | None = None) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["任务分解表"]
    for (row, column), value in changes.items():
        sheet.cell(row=row, column=column + 1).value = value
    for column, value in enumerate(new_row or []):
        sheet.cell(row=20, column=column + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_state():
    tasks = sorted(Task.objects.values_list("pk", "title", "lead_id", "due_date", "state"))
    return tasks, sorted(ChangeRequest.objects.values_list("pk", "state")), AuditEvent.objects.count()


# --- the breakdown table page and download ---------------------------------------------------------------


def test_export_page_lists_visible_tasks_for_department_staff(notice, login, kepu_staff):
    response = login(kepu_staff).get(reverse("policy:export_breakdown"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "牵头深入实施全民科学素质行动" in content  # measure 9, led by 科学技术普及部
    assert "加强国际科技人文交流" in content  # measure 12, where it cooperates
    assert "构建柔性智库体系" not in content  # measure 13 is 战略发展部's
    assert content.count('<td><a href="/supervision/tasks/') == 5


def test_export_page_filters_by_light(notice, login, leader):
    Task.objects.filter(measure__number=13).update(light=Light.RED)

    content = english(login(leader)).get(reverse("policy:export_breakdown") + "?light=red").content.decode()

    assert "构建柔性智库体系" in content
    assert "牵头深入实施全民科学素质行动" not in content
    assert '<p class="small mb-2" data-testid="row-count">Tasks: 1</p>' in content


def test_export_page_query_count_constant(notice, login, leader):
    client = login(leader)
    Task.objects.update(light=Light.GREY)
    Task.objects.filter(measure__number=1).update(light=Light.RED)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("policy:export_breakdown") + "?light=red")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    one = count()
    Task.objects.filter(measure__number__in=[2, 3]).update(light=Light.RED)
    assert count() == one


def test_xlsx_download(notice, login, zhanlue_staff):
    response = login(zhanlue_staff).get(reverse("policy:export_breakdown_xlsx"))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = load_workbook(io.BytesIO(response.content))["任务分解表"]
    ids = [sheet.cell(row=r, column=COL_ID + 1).value for r in range(4, sheet.max_row + 1)]
    # 战略发展部 cooperates on 5 and leads 13–16.
    assert [i for i in ids if i] == [task_of(notice, n).pk for n in (5, 13, 14, 15, 16)]
    assert AuditEvent.objects.filter(action="policy.breakdown.export", actor_id=zhanlue_staff.pk).count() == 1


def test_xlsx_download_with_bad_filter_shows_page(notice, login, leader):
    response = login(leader).get(reverse("policy:export_breakdown_xlsx") + "?light=purple")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert AuditEvent.objects.filter(action="policy.breakdown.export").count() == 0


def test_export_refused_for_user_without_ledger_role(notice, login, make_user):
    expert = make_user("expert1", role=Role.EXPERT)
    client = login(expert)
    events = AuditEvent.objects.count()

    assert client.get(reverse("policy:export_breakdown")).status_code == 403
    assert client.get(reverse("policy:export_breakdown_xlsx")).status_code == 403
    assert AuditEvent.objects.count() == events


def test_export_page_without_confirmed_notice(orgs, login, make_user):
    leader = make_user("leader2", role=Role.LEADER)

    response = english(login(leader)).get(reverse("policy:export_breakdown"))

    assert response.status_code == 200
    assert "No notice has been confirmed yet" in response.content.decode()


# --- import ----------------------------------------------------------------------------------------------


def test_import_page_shows_form(notice, login, supervisor):
    content = login(supervisor).get(reverse("policy:import_breakdown")).content.decode()

    assert 'name="file"' in content
    assert f'<option value="{notice.pk}" selected>' in content


def test_import_applies_and_shows_summary(notice, login, supervisor, zhanlue_staff):
    today = timezone.localdate()
    t1, t13 = task_of(notice, 1), task_of(notice, 13)
    services.update_task(task=t13, by=supervisor, due_date=today + timedelta(days=30))
    services.record_progress(task=t13, text="已启动", percent=10, by=zhanlue_staff)
    new_due = today + timedelta(days=90)
    data = edited(
        export_breakdown(notice=notice, by=supervisor),
        {(4, COL_TITLE): "助力重点科创区域建设（一）", (16, COL_DUE): new_due.isoformat()},
        new_row=[None, 1, "助力重点科创区域建设（二）", "国际合作部"],
    )
    client = english(login(supervisor))

    response = client.post(reverse("policy:import_breakdown"), {"notice": notice.pk, "file": upload(data)})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="count-updated">1<' in content
    assert 'data-testid="count-created">1<' in content
    assert 'data-testid="count-change-requests">1<' in content
    assert 'data-testid="count-unchanged">14<' in content
    assert (
        "The table has been imported. Tasks updated: 1; created: 1; due-date adjustments requested: 1; "
        "unchanged: 14."
    ) in content
    assert f"→ {new_due.isoformat()}" in content
    assert Task.objects.get(pk=t1.pk).title == "助力重点科创区域建设（一）"
    assert Task.objects.filter(measure__number=1, title="助力重点科创区域建设（二）").count() == 1
    change = ChangeRequest.objects.get(task=t13)
    assert (change.state, change.new_due_date) == (ChangeState.PENDING, new_due)
    assert change.reason == "Due date changed in the imported breakdown table “分解表.xlsx”."


def test_import_with_errors_lists_them_and_writes_nothing(notice, login, supervisor):
    data = edited(
        export_breakdown(notice=notice, by=supervisor),
        {(12, COL_LEAD): "科普部X", (4, COL_TITLE): "合法的修改", (7, COL_DUE): "明年"},
    )
    client = english(login(supervisor))
    state = ledger_state()

    response = client.post(reverse("policy:import_breakdown"), {"notice": notice.pk, "file": upload(data)})

    content = response.content.decode()
    assert response.status_code == 400
    assert "nothing has been changed. Problems found: 2." in content
    assert (
        "<li>Row 7, “完成时限”: “明年” is not a date; write it as yyyy-mm-dd or yyyy年m月d日.</li>"
    ) in content
    assert "<li>Row 12, “牵头部门”: no organization named “科普部X”.</li>" in content
    assert ledger_state() == state


def test_import_of_non_workbook_shows_error(notice, login, supervisor):
    client = english(login(supervisor))
    state = ledger_state()

    response = client.post(
        reverse("policy:import_breakdown"),
        {"notice": notice.pk, "file": upload(b"%PDF-1.7 not a workbook", "通知.pdf")},
    )

    assert response.status_code == 400
    assert (
        "The file “通知.pdf” is not an Excel workbook (.xlsx). Please upload the breakdown table "
        "exported from this page."
    ) in response.content.decode()
    assert ledger_state() == state


def test_import_of_oversized_upload_refused(notice, login, supervisor, settings):
    settings.MAX_UPLOAD_MB = 1
    client = english(login(supervisor))
    state = ledger_state()

    response = client.post(
        reverse("policy:import_breakdown"),
        {"notice": notice.pk, "file": upload(b"PK" + b"\0" * (1024 * 1024 + 10))},
    )

    assert response.status_code == 400
    assert (
        "The file “分解表.xlsx” is larger than 1 MB. Please upload a smaller file."
    ) in response.content.decode()
    assert ledger_state() == state


def test_import_dry_run_writes_nothing(notice, login, supervisor):
    data = edited(export_breakdown(notice=notice, by=supervisor), {(4, COL_TITLE): "改名"})
    client = english(login(supervisor))
    state = ledger_state()

    response = client.post(
        reverse("policy:import_breakdown"), {"notice": notice.pk, "file": upload(data), "dry_run": "on"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Check result: what importing would do" in content
    assert 'data-testid="count-updated">1<' in content
    assert ledger_state() == state


@pytest.mark.parametrize(
    ("role", "org"),
    [(Role.DEPARTMENT_STAFF, "科学技术普及部"), (Role.AUDITOR, ROOT_NAME), (Role.ADMIN, ROOT_NAME)],
)
def test_import_refused_for_roles_that_do_not_break_down(notice, login, make_user, supervisor, role, org):
    user = make_user("nobreak", role=role, org_name=org)
    client = login(user)
    data = edited(export_breakdown(notice=notice, by=supervisor), {(4, COL_TITLE): "改名"})
    state = ledger_state()

    assert client.get(reverse("policy:import_breakdown")).status_code == 403
    response = client.post(reverse("policy:import_breakdown"), {"notice": notice.pk, "file": upload(data)})

    assert response.status_code == 403
    assert ledger_state() == state


# --- bulletin --------------------------------------------------------------------------------------------


@pytest.fixture
def overdue_ledger(notice, supervisor, zhanlue_staff):
    task = task_of(notice, 13)
    services.update_task(task=task, by=supervisor, due_date=timezone.localdate() - timedelta(days=4))
    services.record_progress(task=task, text="专家组组建中", percent=40, by=zhanlue_staff)
    return notice


def test_bulletin_page_previews_counts_and_items(overdue_ledger, login, supervisor):
    today = timezone.localdate()

    response = login(supervisor).get(reverse("policy:bulletin"))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'value="渝科协督〔{today.year}〕1号"' in content
    assert '<p class="kx-doc-header">重庆市科学技术协会</p>' in content
    assert '<p class="kx-doc-title">关于渝科协发〔2022〕84号落实情况的督办通报</p>' in content
    assert (
        "共分解任务16项，其中已办结0项，正在推进1项（含申请办结0项），尚未启动15项；"
        "逾期1项；亮红灯1项、亮黄灯0项。"
    ) in content
    assert "构建柔性智库体系（举措13，牵头部门：战略部" in content
    assert "已逾期4天" in content


def test_bulletin_preview_partial_for_htmx(overdue_ledger, login, supervisor):
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    url = reverse("policy:bulletin") + (
        f"?notice={overdue_ledger.pk}&number=渝科协督〔2026〕9号&as_of={tomorrow}&closing=按期整改。"
    )

    response = login(supervisor).get(url, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert content.startswith('<div id="bulletin-preview"')
    assert "<html" not in content
    assert '<p class="kx-doc-number">渝科协督〔2026〕9号</p>' in content
    assert "已逾期5天" in content
    assert '<p class="kx-doc-body">按期整改。</p>' in content


def test_bulletin_download(overdue_ledger, login, supervisor):
    today = timezone.localdate()
    client = login(supervisor)

    response = client.post(
        reverse("policy:bulletin"),
        {
            "notice": overdue_ledger.pk,
            "number": "渝科协督〔2026〕7号",
            "as_of": today.isoformat(),
            "closing": "请于5个工作日内报送整改措施。",
        },
    )

    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text.strip()]
    assert texts[:3] == [
        "重庆市科学技术协会",
        "渝科协督〔2026〕7号",
        "关于渝科协发〔2022〕84号落实情况的督办通报",
    ]
    assert "请于5个工作日内报送整改措施。" in texts
    event = AuditEvent.objects.get(action="policy.bulletin.export")
    assert (event.actor_id, event.after["number"], event.after["overdue"]) == (
        supervisor.pk,
        "渝科协督〔2026〕7号",
        1,
    )


def test_bulletin_post_without_number_shows_error_and_records_nothing(overdue_ledger, login, supervisor):
    client = english(login(supervisor))

    response = client.post(
        reverse("policy:bulletin"),
        {"notice": overdue_ledger.pk, "number": "", "as_of": timezone.localdate().isoformat()},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert AuditEvent.objects.filter(action="policy.bulletin.export").count() == 0


@pytest.mark.parametrize(
    ("role", "org"),
    [
        (Role.DEPARTMENT_HEAD, "科学技术普及部"),
        (Role.DEPARTMENT_STAFF, "战略发展部"),
        (Role.AUDITOR, ROOT_NAME),
    ],
)
def test_bulletin_refused_for_non_supervisors(overdue_ledger, login, make_user, role, org):
    client = login(make_user("nobulletin", role=role, org_name=org))

    get = client.get(reverse("policy:bulletin"))
    post = client.post(
        reverse("policy:bulletin"),
        {
            "notice": overdue_ledger.pk,
            "number": "渝科协督〔2026〕1号",
            "as_of": timezone.localdate().isoformat(),
        },
    )

    assert (get.status_code, post.status_code) == (403, 403)
    assert AuditEvent.objects.filter(action="policy.bulletin.export").count() == 0


def test_bulletin_page_query_count_constant(overdue_ledger, login, leader, supervisor, zhanlue_staff):
    client = login(leader)
    today = timezone.localdate()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("policy:bulletin")).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for number in (14, 15):
        task = task_of(overdue_ledger, number)
        services.update_task(task=task, by=supervisor, due_date=today - timedelta(days=2))
        services.record_progress(task=task, text="推进中", percent=20, by=zhanlue_staff)
    assert count() == one


# --- the permission matrix through the pages -----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "org", "expected"),
    [
        (Role.LEADER, ROOT_NAME, (200, 200, 200, 200)),
        (Role.SUPERVISOR, ROOT_NAME, (200, 200, 200, 200)),
        (Role.AUDITOR, ROOT_NAME, (200, 200, 403, 403)),
        (Role.DEPARTMENT_HEAD, "科学技术普及部", (200, 200, 200, 403)),
        (Role.DEPARTMENT_STAFF, "科学技术普及部", (200, 200, 403, 403)),
        (Role.EXPERT, ROOT_NAME, (403, 403, 403, 403)),
    ],
)
def test_pages_permission_matrix(notice, login, make_user, role, org, expected):
    client = login(make_user("matrix", role=role, org_name=org))

    pages = (
        "policy:export_breakdown",
        "policy:export_breakdown_xlsx",
        "policy:import_breakdown",
        "policy:bulletin",
    )
    statuses = tuple(client.get(reverse(name)).status_code for name in pages)

    assert statuses == expected
