"""The breakdown table (.xlsx) out and back in, and the supervision bulletin (.docx per GB/T 9704)."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from openpyxl import Workbook, load_workbook

from kexie.accounts.enums import Role
from kexie.accounts.services import ROOT_NAME
from kexie.core.models import AuditEvent
from kexie.policy import services
from kexie.policy.enums import ChangeKind, ChangeState, Light, TaskState
from kexie.policy.exports.breakdown import (
    COL_CO,
    COL_DUE,
    COL_ID,
    COL_LEAD,
    COL_MEASURE,
    COL_TITLE,
    HEADERS,
    export_breakdown,
)
from kexie.policy.exports.breakdown_import import (
    BreakdownImportError,
    ImportResult,
    PlannedChange,
    _apply_change,
    apply_breakdown_import,
    parse_due,
)
from kexie.policy.exports.bulletin import (
    build_bulletin_docx,
    chinese_date,
    compose_bulletin,
    default_bulletin_number,
    export_bulletin,
)
from kexie.policy.models import ChangeRequest, Milestone, Notice, Task

SHEET = "任务分解表"
FIRST_NEW_ROW = 20  # header in row 3, then one row per measure (16)


def task_of(notice, number: int) -> Task:
    return Task.objects.get(measure__notice=notice, measure__number=number)


def row_of(number: int) -> int:
    """The sheet row of measure `number`'s task while each measure has one task."""
    return 3 + number


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content))[SHEET]


def edited(content: bytes, changes: dict | None = None, new_rows: list[list] = ()) -> bytes:
    """The exported workbook with cells changed ({(row, column index): value}) and rows added."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[SHEET]
    # Assign .value: sheet.cell(..., value=None) would leave the cell as it is.
    for (row, column), value in (changes or {}).items():
        sheet.cell(row=row, column=column + 1).value = value
    for offset, values in enumerate(new_rows):
        for column, value in enumerate(values):
            sheet.cell(row=FIRST_NEW_ROW + offset, column=column + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_state():
    """Everything an import could write: tasks with their departments, change requests, audit events."""
    tasks = sorted(
        (t.pk, t.title, t.lead_id, t.due_date, t.state, tuple(sorted(o.pk for o in t.cooperating.all())))
        for t in Task.objects.prefetch_related("cooperating")
    )
    changes = sorted(ChangeRequest.objects.values_list("pk", "task_id", "state", "new_due_date"))
    return tasks, changes, AuditEvent.objects.count()


def new_events(since: int) -> Counter:
    return Counter(AuditEvent.objects.filter(seq__gt=since).values_list("action", flat=True))


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.fixture
def kepu_head(make_user):
    return make_user("kepu_head", role=Role.DEPARTMENT_HEAD, org_name="科学技术普及部")


@pytest.fixture
def guoji_head(make_user):
    return make_user("guoji_head", role=Role.DEPARTMENT_HEAD, org_name="国际合作部")


@pytest.fixture
def kechuang_staff(make_user):
    return make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")


# --- export ---------------------------------------------------------------------------------------------


def test_export_header_and_rows_exact(notice, supervisor, kepu_staff):
    today = timezone.localdate()
    due = today + timedelta(days=60)
    t9 = task_of(notice, 9)
    services.update_task(task=t9, by=supervisor, due_date=due)
    services.record_progress(task=t9, text="完成抽样设计", percent=40, by=kepu_staff)

    with translation.override("en"):
        content = export_breakdown(notice=notice, by=supervisor)

    sheet = sheet_of(content)
    assert sheet["A1"].value == (
        f"Breakdown table of “{notice.title}” 渝科协发〔2022〕84号, exported on {today.isoformat()}"
    )
    assert [c.value for c in sheet[3]] == HEADERS
    assert [c.value for c in sheet[row_of(9)]] == [
        9,
        "9. 牵头深入实施全民科学素质行动",
        "牵头深入实施全民科学素质行动",
        "科学技术普及部",
        None,
        datetime.combine(due, time()),
        f"{today.isoformat()}, 40%: 完成抽样设计",
        "in progress (on track)",
        t9.pk,
    ]
    assert [c.value for c in sheet[row_of(1)]] == [
        1,
        "1. 助力重点科创区域建设",
        "助力重点科创区域建设",
        "科学技术创新部",
        "国际合作部、院士工作服务中心",
        None,
        None,
        "draft (not started or cancelled)",
        task_of(notice, 1).pk,
    ]
    assert sheet.max_row >= row_of(16)
    assert sheet.cell(row=row_of(16), column=COL_ID + 1).value == task_of(notice, 16).pk


def test_export_layout_protection_and_print_setup(notice, supervisor):
    content = export_breakdown(notice=notice, by=supervisor)

    sheet = sheet_of(content)
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.protection.sheet is True
    id_cell, title_cell, due_cell = (
        sheet.cell(row=row_of(9), column=c + 1) for c in (COL_ID, COL_TITLE, COL_DUE)
    )
    assert (id_cell.protection.locked, title_cell.protection.locked) == (True, False)
    assert id_cell.fill.fgColor.rgb == "00D9D9D9"
    assert due_cell.number_format == "yyyy-mm-dd"
    assert title_cell.alignment.wrap_text is True
    assert sheet.cell(row=FIRST_NEW_ROW, column=COL_TITLE + 1).protection.locked is False
    assert sheet.column_dimensions["C"].width == 40
    assert "任务编号" in sheet["A2"].value


def test_export_department_staff_gets_only_visible_tasks(notice, kepu_staff):
    content = export_breakdown(notice=notice, by=kepu_staff)

    sheet = sheet_of(content)
    measures = [sheet.cell(row=r, column=COL_MEASURE + 1).value for r in range(4, sheet.max_row + 1)]
    # 科学技术普及部 leads measures 4, 9, 10, 11 and cooperates on 12.
    assert [m.split(".")[0] for m in measures if m] == ["4", "9", "10", "11", "12"]


def test_export_filters_by_department_and_light(notice, supervisor, orgs):
    Task.objects.filter(measure__number__in=[1, 12, 13]).update(light=Light.RED)

    content = export_breakdown(notice=notice, by=supervisor, department=orgs["国际合作部"], light=Light.RED)

    sheet = sheet_of(content)
    ids = [sheet.cell(row=r, column=COL_ID + 1).value for r in range(4, sheet.max_row + 1)]
    # 国际合作部 cooperates on 1 and leads 12; 13 is red but not theirs; 5 is theirs neither.
    assert [i for i in ids if i] == [task_of(notice, 1).pk, task_of(notice, 12).pk]


def test_export_records_audit_event(notice, supervisor):
    before = last_seq()

    export_breakdown(notice=notice, by=supervisor)

    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.object_id, event.after) == (
        "policy.breakdown.export",
        str(notice.pk),
        {"rows": 16, "department": None, "light": ""},
    )


def test_export_refused_without_a_ledger_role(notice, make_user):
    expert = make_user("expert1", role=Role.EXPERT)
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        export_breakdown(notice=notice, by=expert)
    assert AuditEvent.objects.count() == events


def test_export_query_count_constant_over_rows(notice, supervisor, make_user, orgs):
    staff = make_user("shetuan", role=Role.DEPARTMENT_STAFF, org_name="科技社团党委办公室")
    kepu_staff = make_user("kepu2", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")

    def queries() -> tuple[int, int]:
        staff._kexie_memberships = None
        with CaptureQueriesContext(connection) as ctx:
            content = export_breakdown(notice=notice, by=staff)
        sheet = sheet_of(content)
        return len(ctx.captured_queries), sum(
            1 for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=COL_ID + 1).value
        )

    one = queries()  # 科技社团党委办公室 cooperates on measure 3 only
    measure = task_of(notice, 3).measure
    for title in ("学会党建调研", "学会评估"):
        task = services.create_task(
            title=title,
            lead=orgs["科技社团党委办公室"],
            by=supervisor,
            measure=measure,
            cooperating=[orgs["科学技术普及部"]],
        )
        services.record_progress(task=task, text="已启动", percent=10, by=staff)
        services.record_progress(task=task, text="配合", by=kepu_staff)
    three = queries()
    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0]


# --- import: the round trip --------------------------------------------------------------------------


def test_round_trip_updates_creates_and_requests_change(notice, supervisor, zhanlue_staff, orgs):
    today = timezone.localdate()
    t1, t4, t9, t13 = (task_of(notice, n) for n in (1, 4, 9, 13))
    services.update_task(task=t13, by=supervisor, due_date=today + timedelta(days=90))
    services.record_progress(task=t13, text="已组建柔性智库专家组", percent=30, by=zhanlue_staff)
    content = export_breakdown(notice=notice, by=supervisor)
    new_due_4, new_due_13 = today + timedelta(days=120), today + timedelta(days=200)
    data = edited(
        content,
        {
            (row_of(1), COL_TITLE): "助力重点科创区域建设（组建科技服务团）",
            (row_of(9), COL_LEAD): "战略部",
            (row_of(9), COL_CO): "科普部、宣传文化部",
            (row_of(4), COL_DUE): new_due_4,  # a date cell
            (row_of(13), COL_DUE): f"{new_due_13.year}年{new_due_13.month}月{new_due_13.day}日",
        },
        new_rows=[[None, 9, "开展公民科学素质抽样调查", "科学技术普及部", "组织人事部", "2027-03-31"]],
    )
    before = last_seq()

    result = apply_breakdown_import(
        notice=notice, data=data, by=supervisor, name="分解表.xlsx", reason="按工作量调整"
    )

    assert result.counts == {"updated": 3, "created": 1, "change_requests": 1, "unchanged": 12}
    for task in (t1, t4, t9, t13):
        task.refresh_from_db()
    assert t1.title == "助力重点科创区域建设（组建科技服务团）"
    assert t9.lead == orgs["战略发展部"]
    assert set(t9.cooperating.all()) == {orgs["科学技术普及部"], orgs["宣传文化部"]}
    assert t4.due_date == new_due_4
    assert t13.due_date == today + timedelta(days=90)  # under way: only a request
    change = ChangeRequest.objects.get(task=t13)
    assert (change.kind, change.state, change.new_due_date, change.reason, change.requested_by) == (
        ChangeKind.DUE_DATE,
        ChangeState.PENDING,
        new_due_13,
        "按工作量调整",
        supervisor,
    )
    new = Task.objects.get(measure__notice=notice, title="开展公民科学素质抽样调查")
    assert (new.measure.number, new.lead, list(new.cooperating.all())) == (
        9,
        orgs["科学技术普及部"],
        [orgs["组织人事部"]],
    )
    assert (new.due_date, new.state, new.source_ref) == (
        date(2027, 3, 31),
        TaskState.DRAFT,
        "渝科协发〔2022〕84号 9",
    )
    assert new_events(before) == Counter(
        {
            "policy.task.update": 3,
            "policy.task.create": 1,
            "policy.change.request": 1,
            "policy.breakdown.import": 1,
        }
    )
    summary = AuditEvent.objects.get(seq__gt=before, action="policy.breakdown.import")
    assert summary.after == {
        "file": "分解表.xlsx",
        "updated": 3,
        "created": 1,
        "change_requests": 1,
        "unchanged": 12,
    }


def test_round_trip_of_unedited_table_changes_nothing(notice, supervisor):
    content = export_breakdown(notice=notice, by=supervisor)
    tasks_before = ledger_state()[:2]
    before = last_seq()

    result = apply_breakdown_import(notice=notice, data=content, by=supervisor, name="t.xlsx")

    assert result.counts == {"updated": 0, "created": 0, "change_requests": 0, "unchanged": 16}
    assert ledger_state()[:2] == tasks_before
    assert new_events(before) == Counter({"policy.breakdown.import": 1})


def test_new_lead_is_no_longer_cooperating(notice, supervisor, orgs):
    # Measure 12: 国际合作部 leads, 科学技术普及部 and 市科协科技服务中心 cooperate;
    # the row only makes 科学技术普及部 the lead.
    t12 = task_of(notice, 12)
    content = export_breakdown(notice=notice, by=supervisor)

    apply_breakdown_import(
        notice=notice,
        data=edited(content, {(row_of(12), COL_LEAD): "科学技术普及部"}),
        by=supervisor,
        name="t.xlsx",
    )

    t12.refresh_from_db()
    assert t12.lead == orgs["科学技术普及部"]
    assert set(t12.cooperating.all()) == {orgs["市科协科技服务中心"]}


def test_dry_run_reports_and_writes_nothing(notice, supervisor):
    content = export_breakdown(notice=notice, by=supervisor)
    data = edited(
        content,
        {(row_of(2), COL_TITLE): "新标题"},
        new_rows=[[None, "4. 实施科技助力乡村振兴工程", "科技小院建设", "科普部", None, None]],
    )
    state = ledger_state()

    result = apply_breakdown_import(notice=notice, data=data, by=supervisor, name="t.xlsx", dry_run=True)

    assert (result.dry_run, result.counts) == (
        True,
        {"updated": 1, "created": 1, "change_requests": 0, "unchanged": 15},
    )
    assert [t.title for t in result.created] == ["科技小院建设"]
    assert ledger_state() == state


def test_import_by_lead_head_of_own_measure(notice, kepu_head, orgs):
    content = export_breakdown(notice=notice, by=kepu_head)
    data = edited(content, new_rows=[[None, 9, "青少年科学素质提升", "科普部", "科技馆", "2027年6月30日"]])

    result = apply_breakdown_import(notice=notice, data=data, by=kepu_head, name="t.xlsx")

    assert result.counts["created"] == 1
    new = result.created[0]
    assert (new.lead, list(new.cooperating.all()), new.due_date) == (
        orgs["科学技术普及部"],
        [orgs["重庆科技馆"]],
        date(2027, 6, 30),
    )


# --- import: every error writes nothing ----------------------------------------------------------------


@dataclass
class Ledger:
    notice: Notice
    content: bytes
    ids: dict[int, int]  # measure number -> task id


@pytest.fixture
def ledger(notice, supervisor, leader, kechuang_staff, zhanlue_staff) -> Ledger:
    """Measure 2 completed, 4 a draft with a due date, 13 under way, 14 with a pending change request."""
    today = timezone.localdate()
    t2, t4, t13, t14 = (task_of(notice, n) for n in (2, 4, 13, 14))
    services.record_progress(task=t2, text="论坛已举办", percent=100, by=kechuang_staff)
    services.request_completion(task=t2, by=kechuang_staff)
    services.approve_completion(task=t2, by=leader)
    services.update_task(task=t4, by=supervisor, due_date=today + timedelta(days=30))
    services.update_task(task=t13, by=supervisor, due_date=today + timedelta(days=60))
    services.record_progress(task=t13, text="专家组已组建", percent=30, by=zhanlue_staff)
    services.record_progress(task=t14, text="已启动", percent=10, by=zhanlue_staff)
    services.request_change(task=t14, kind=ChangeKind.CANCEL, reason="与13合并", by=zhanlue_staff)
    content = export_breakdown(notice=notice, by=supervisor)
    return Ledger(
        notice=notice,
        content=content,
        ids={t.measure.number: t.pk for t in Task.objects.select_related("measure")},
    )


ROW_ERRORS = {
    "unknown lead": (
        lambda lg: {(row_of(9), COL_LEAD): "科普部X", (row_of(1), COL_TITLE): "合法的修改"},
        lambda lg: ["Row 12, “牵头部门”: no organization named “科普部X”."],
    ),
    "unknown cooperating": (
        lambda lg: {(row_of(9), COL_CO): "宣传文化部、不存在的部"},
        lambda lg: ["Row 12, “配合部门”: no organization named “不存在的部”."],
    ),
    "bad date": (
        lambda lg: {(row_of(4), COL_DUE): "明年三月"},
        lambda lg: ["Row 7, “完成时限”: “明年三月” is not a date; write it as yyyy-mm-dd or yyyy年m月d日."],
    ),
    "impossible date": (
        lambda lg: {(row_of(5), COL_DUE): "2026-02-30"},
        lambda lg: ["Row 8, “完成时限”: “2026-02-30” is not a date; write it as yyyy-mm-dd or yyyy年m月d日."],
    ),
    "unknown task": (
        lambda lg: {(row_of(5), COL_ID): 999999},
        lambda lg: ["Row 8, “任务编号”: there is no task 999999 in this notice that you can see."],
    ),
    "duplicate task": (
        lambda lg: {(row_of(5), COL_ID): lg.ids[4]},
        lambda lg: [f"Row 8, “任务编号”: task {lg.ids[4]} is already listed in row 7."],
    ),
    "task number not a number": (
        lambda lg: {(row_of(5), COL_ID): "第五项"},
        lambda lg: ["Row 8, “任务编号”: “第五项” is not a task number."],
    ),
    "task number in other digits": (
        lambda lg: {(row_of(5), COL_ID): "②"},
        lambda lg: ["Row 8, “任务编号”: “②” is not a task number."],
    ),
    "task number beyond any id": (
        lambda lg: {(row_of(5), COL_ID): "9" * 30},
        lambda lg: [f"Row 8, “任务编号”: “{'9' * 30}” is not a task number."],
    ),
    "moved to another measure": (
        lambda lg: {(row_of(5), COL_MEASURE): "6. 持续开展"},
        lambda lg: [
            f"Row 8, “举措”: task {lg.ids[5]} belongs to measure 5; a task cannot be moved to "
            "another measure."
        ],
    ),
    "empty title": (
        lambda lg: {(row_of(5), COL_TITLE): None},
        lambda lg: ["Row 8, “任务”: the task cannot be left empty."],
    ),
    "title too long": (
        lambda lg: {(row_of(5), COL_TITLE): "长" * 301},
        lambda lg: ["Row 8, “任务”: the task is longer than 300 characters."],
    ),
    "empty lead": (
        lambda lg: {(row_of(5), COL_LEAD): None},
        lambda lg: ["Row 8, “牵头部门”: the lead department cannot be left empty."],
    ),
    "due date removed": (
        lambda lg: {(row_of(4), COL_DUE): None},
        lambda lg: [
            "Row 7, “完成时限”: the due date cannot be removed; request a change on the task's page instead."
        ],
    ),
    "completed task changed": (
        lambda lg: {(row_of(2), COL_TITLE): "改名"},
        lambda lg: [f"Row 5: task {lg.ids[2]} is completed and can no longer be changed."],
    ),
    "change already pending": (
        lambda lg: {(row_of(14), COL_DUE): "2030-01-01"},
        lambda lg: [
            f"Row 17, “完成时限”: task {lg.ids[14]} already has a change request waiting for a decision."
        ],
    ),
    "two problems in two rows": (
        lambda lg: {(row_of(3), COL_LEAD): "无此部门", (row_of(6), COL_DUE): "下周"},
        lambda lg: [
            "Row 6, “牵头部门”: no organization named “无此部门”.",
            "Row 9, “完成时限”: “下周” is not a date; write it as yyyy-mm-dd or yyyy年m月d日.",
        ],
    ),
}

NEW_ROW_ERRORS = {
    "unknown measure": ([None, 99, "新任务", "科普部"], ["Row 20, “举措”: this notice has no measure 99."]),
    "no measure": (
        [None, None, "新任务", "科普部"],
        ["Row 20, “举措”: a new task (without 任务编号) needs the number of its measure, e.g. “9”."],
    ),
    "no title nor lead": (
        [None, 9, None, None, None, "2027-01-01"],
        [
            "Row 20, “牵头部门”: the lead department cannot be left empty.",
            "Row 20, “任务”: the task cannot be left empty.",
        ],
    ),
}


@pytest.mark.parametrize("case", list(ROW_ERRORS))
def test_row_error_writes_nothing(ledger, supervisor, case):
    changes, expected = ROW_ERRORS[case]
    data = edited(ledger.content, changes(ledger), new_rows=[[None, 9, "同一文件中合法的新任务", "科普部"]])
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        apply_breakdown_import(notice=ledger.notice, data=data, by=supervisor, name="t.xlsx")
    with translation.override("en"):
        assert [str(error) for error in caught.value.errors] == expected(ledger)
    assert ledger_state() == state


@pytest.mark.parametrize("case", list(NEW_ROW_ERRORS))
def test_new_row_error_writes_nothing(ledger, supervisor, case):
    row, expected = NEW_ROW_ERRORS[case]
    data = edited(ledger.content, {(row_of(1), COL_TITLE): "合法的修改"}, new_rows=[row])
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        apply_breakdown_import(notice=ledger.notice, data=data, by=supervisor, name="t.xlsx")
    with translation.override("en"):
        assert sorted(str(error) for error in caught.value.errors) == sorted(expected)
    assert ledger_state() == state


def test_service_refusal_while_applying_becomes_row_error(ledger, supervisor):
    # The planner found no pending request, but one was filed meanwhile: the service refuses.
    t14 = Task.objects.get(pk=ledger.ids[14])
    change = PlannedChange(row=17, task=t14, requested_due_date=date(2030, 1, 1))
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        _apply_change(change, result=ImportResult(), by=supervisor, reason="调整")
    with translation.override("en"):
        assert [str(e) for e in caught.value.errors] == [
            "Row 17: A change request for this task is already waiting for a decision."
        ]
    assert ledger_state() == state


def _workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _renamed(content: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    workbook[SHEET].title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_only(workbook):
    workbook.active.title = SHEET
    workbook.active.append(HEADERS)


def _no_header(workbook):
    workbook.active.title = SHEET
    for _i in range(12):
        workbook.active.append(["x", "y"])


NOT_XLSX = (
    "The file “t.xlsx” is not an Excel workbook (.xlsx). Please upload the breakdown table "
    "exported from this page."
)
FILE_ERRORS = {
    "empty file": (lambda lg: b"", "The file “t.xlsx” is empty."),
    "text file": (lambda lg: "任务分解".encode(), NOT_XLSX),
    "zip that is no workbook": (lambda lg: _zip_bytes(), NOT_XLSX),
    "old or encrypted workbook": (
        lambda lg: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
        "The file “t.xlsx” is an old-format (.xls) or password-protected workbook. "
        "Please save it as an unprotected .xlsx file and upload it again.",
    ),
    "wrong sheet": (
        lambda lg: _renamed(lg.content),
        "The workbook has no sheet named “任务分解表” (it has: Sheet1). "
        "Please import the breakdown table exported from this page.",
    ),
    "wrong header": (
        lambda lg: edited(lg.content, {(3, COL_TITLE): "任务名称"}),
        "Row 3: the header must be exactly "
        "序号、举措、任务、牵头部门、配合部门、完成时限、进展情况、状态、任务编号, but it is "
        "序号、举措、任务名称、牵头部门、配合部门、完成时限、进展情况、状态、任务编号.",
    ),
    "no header": (
        lambda lg: _workbook_bytes(_no_header),
        "No header row (序号, 举措, 任务, …) was found in the first rows of sheet “任务分解表”.",
    ),
    "no rows": (lambda lg: _workbook_bytes(_header_only), "The table contains no tasks."),
}


@pytest.mark.parametrize("case", list(FILE_ERRORS))
def test_file_error_writes_nothing(ledger, supervisor, case):
    build, expected = FILE_ERRORS[case]
    data = build(ledger)
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        apply_breakdown_import(notice=ledger.notice, data=data, by=supervisor, name="t.xlsx")
    with translation.override("en"):
        assert [str(error) for error in caught.value.errors] == [expected]
    assert ledger_state() == state


def test_file_over_upload_limit_refused(ledger, supervisor, settings):
    settings.MAX_UPLOAD_MB = 1
    data = ledger.content + b"\0" * (1024 * 1024)
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        apply_breakdown_import(notice=ledger.notice, data=data, by=supervisor, name="t.xlsx")
    with translation.override("en"):
        assert [str(e) for e in caught.value.errors] == [
            "The file “t.xlsx” is larger than 1 MB. Please upload a smaller file."
        ]
    assert ledger_state() == state


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026/3/5", date(2026, 3, 5)),
        ("2026.3.5", date(2026, 3, 5)),
        ("2026年3月5日", date(2026, 3, 5)),
        (" 2026年 3月 5日 ", date(2026, 3, 5)),
        (datetime.combine(date(2026, 3, 5), time()), date(2026, 3, 5)),
        (date(2026, 3, 5), date(2026, 3, 5)),
        (None, None),
        ("", None),
    ],
)
def test_parse_due_accepts_office_formats(text, expected):
    assert parse_due(text) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "3月5日", "明年", "20260305", 46000.5])
def test_parse_due_refuses_other_text(text):
    with pytest.raises(ValueError):
        parse_due(text)


# --- import: permissions ------------------------------------------------------------------------------


@pytest.fixture
def guoji_staff(make_user):
    return make_user("guoji", role=Role.DEPARTMENT_STAFF, org_name="国际合作部")


def _set_state(task: Task, state: str) -> None:
    Task.objects.filter(pk=task.pk).update(state=state)


CLOSED = {TaskState.COMPLETED, TaskState.CANCELLED}
ALL_STATES = [
    TaskState.DRAFT,
    TaskState.IN_PROGRESS,
    TaskState.COMPLETION_REQUESTED,
    TaskState.COMPLETED,
    TaskState.CANCELLED,
]


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("who", ["supervisor", "leader", "guoji_head", "kepu_head"])
def test_title_edit_matrix_role_by_state(notice, request, who, state):
    # Measure 12: 国际合作部 leads, 科学技术普及部 cooperates.
    user = request.getfixturevalue(who)
    t12 = task_of(notice, 12)
    content = export_breakdown(notice=notice, by=user)
    row = next(r for r in range(4, 40) if sheet_of(content).cell(row=r, column=COL_ID + 1).value == t12.pk)
    _set_state(t12, state)
    data = edited(content, {(row, COL_TITLE): "加强国际科技人文交流（海智计划）"})
    state_before = ledger_state()

    with translation.override("en"):
        if state in CLOSED:
            expected = (
                f"Row {row}: task {t12.pk} is {Task(state=state).get_state_display()} and can no "
                "longer be changed."
            )
        elif who == "kepu_head":
            expected = f"Row {row}: you may not edit task {t12.pk}."
        else:
            expected = None
        if expected is None:
            result = apply_breakdown_import(notice=notice, data=data, by=user, name="t.xlsx")
            t12.refresh_from_db()
            assert (result.counts["updated"], t12.title) == (1, "加强国际科技人文交流（海智计划）")
        else:
            with pytest.raises(BreakdownImportError) as caught:
                apply_breakdown_import(notice=notice, data=data, by=user, name="t.xlsx")
            assert [str(e) for e in caught.value.errors] == [expected]
            assert ledger_state() == state_before


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("who", ["supervisor", "guoji_head", "kepu_head"])
def test_due_date_edit_matrix_role_by_state(notice, request, who, state):
    user = request.getfixturevalue(who)
    t12 = task_of(notice, 12)
    content = export_breakdown(notice=notice, by=user)
    row = next(r for r in range(4, 40) if sheet_of(content).cell(row=r, column=COL_ID + 1).value == t12.pk)
    _set_state(t12, state)
    new_due = timezone.localdate() + timedelta(days=100)
    data = edited(content, {(row, COL_DUE): new_due.isoformat()})
    state_before = ledger_state()

    with translation.override("en"):
        if state in CLOSED:
            refused = (
                f"Row {row}: task {t12.pk} is {Task(state=state).get_state_display()} and can no "
                "longer be changed."
            )
        elif who == "kepu_head" and state == TaskState.DRAFT:
            refused = f"Row {row}: you may not edit task {t12.pk}."
        elif who == "kepu_head":
            refused = f"Row {row}, “完成时限”: you may not request a due-date adjustment for task {t12.pk}."
        else:
            refused = None
        if refused:
            with pytest.raises(BreakdownImportError) as caught:
                apply_breakdown_import(notice=notice, data=data, by=user, name="t.xlsx")
            assert [str(e) for e in caught.value.errors] == [refused]
            assert ledger_state() == state_before
            return
        result = apply_breakdown_import(notice=notice, data=data, by=user, name="t.xlsx")
    t12.refresh_from_db()
    if state == TaskState.DRAFT:
        assert (result.counts["updated"], result.counts["change_requests"], t12.due_date) == (1, 0, new_due)
    else:
        assert (result.counts["updated"], result.counts["change_requests"], t12.due_date) == (0, 1, None)
        assert ChangeRequest.objects.get(task=t12).new_due_date == new_due


@pytest.fixture
def split_task(notice, supervisor, orgs) -> Task:
    """A further task of measure 1 (led by 科学技术创新部) given to 国际合作部."""
    return services.create_task(
        title="海智专家区县行", lead=orgs["国际合作部"], by=supervisor, measure=task_of(notice, 1).measure
    )


def _row_of_task(content: bytes, task: Task) -> int:
    sheet = sheet_of(content)
    return next(r for r in range(4, 40) if sheet.cell(row=r, column=COL_ID + 1).value == task.pk)


def test_head_of_task_lead_may_retitle_task_of_measure_it_does_not_lead(split_task, guoji_head):
    content = export_breakdown(notice=split_task.measure.notice, by=guoji_head)
    data = edited(content, {(_row_of_task(content, split_task), COL_TITLE): "海智专家区县行（第二批）"})

    result = apply_breakdown_import(notice=split_task.measure.notice, data=data, by=guoji_head, name="t.xlsx")

    split_task.refresh_from_db()
    assert (result.counts["updated"], split_task.title) == (1, "海智专家区县行（第二批）")


def test_head_of_task_lead_may_not_change_departments_of_measure_it_does_not_lead(split_task, guoji_head):
    content = export_breakdown(notice=split_task.measure.notice, by=guoji_head)
    row = _row_of_task(content, split_task)
    data = edited(content, {(row, COL_CO): "科普部"})
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        apply_breakdown_import(notice=split_task.measure.notice, data=data, by=guoji_head, name="t.xlsx")
    with translation.override("en"):
        assert [str(e) for e in caught.value.errors] == [
            f"Row {row}: you may not change the departments or the due date of task {split_task.pk}."
        ]
    assert ledger_state() == state


def test_new_row_refused_for_head_of_another_measure(notice, kepu_head):
    data = edited(
        export_breakdown(notice=notice, by=kepu_head), new_rows=[[None, 13, "智库新任务", "科普部"]]
    )
    state = ledger_state()

    with translation.override("en"), pytest.raises(BreakdownImportError) as caught:
        apply_breakdown_import(notice=notice, data=data, by=kepu_head, name="t.xlsx")
    with translation.override("en"):
        assert [str(e) for e in caught.value.errors] == [
            f"Row {FIRST_NEW_ROW}: you may not break down measure 13."
        ]
    assert ledger_state() == state


# --- permission matrix of the three actions -----------------------------------------------------------


MATRIX = [
    # role, organization, export, import, bulletin
    (Role.LEADER, ROOT_NAME, True, True, True),
    (Role.SUPERVISOR, ROOT_NAME, True, True, True),
    (Role.AUDITOR, ROOT_NAME, True, False, False),
    (Role.ADMIN, ROOT_NAME, False, False, False),  # accounts, not the ledger
    (Role.DEPARTMENT_HEAD, "科学技术普及部", True, True, False),
    (Role.DEPARTMENT_STAFF, "科学技术普及部", True, False, False),
    (Role.DISTRICT_STAFF, "渝中区科学技术协会", True, False, False),
    (Role.EXPERT, ROOT_NAME, False, False, False),
]


@pytest.mark.parametrize(("role", "org", "may_export", "may_import", "may_bulletin"), MATRIX)
def test_permission_matrix_of_exports(
    notice, supervisor, make_user, role, org, may_export, may_import, may_bulletin
):
    user = make_user(f"u_{role}", role=role, org_name=org)
    today = timezone.localdate()
    outcomes = {}
    state = ledger_state()
    try:
        content = export_breakdown(notice=notice, by=user)
        outcomes["export"] = True
    except PermissionDenied:
        content = export_breakdown(notice=notice, by=supervisor)
        outcomes["export"] = False
    state_after_export = ledger_state()
    try:
        apply_breakdown_import(notice=notice, data=content, by=user, name="t.xlsx")
        outcomes["import"] = True
    except PermissionDenied:
        outcomes["import"] = False
        assert ledger_state() == state_after_export
    except BreakdownImportError:  # a district sees no task of this notice: the table is empty
        outcomes["import"] = True
    events = AuditEvent.objects.count()
    try:
        export_bulletin(notice=notice, number="渝科协督〔2026〕1号", as_of=today, by=user)
        outcomes["bulletin"] = True
    except PermissionDenied:
        outcomes["bulletin"] = False
        assert AuditEvent.objects.count() == events
    assert outcomes == {"export": may_export, "import": may_import, "bulletin": may_bulletin}
    assert ledger_state()[:2] == state[:2]


# --- bulletin -------------------------------------------------------------------------------------------


@pytest.fixture
def bulletin_ledger(notice, supervisor, leader, kechuang_staff, kepu_staff, zhanlue_staff):
    """Measure 2 completed today, 13 overdue by 10 days, 9 due in 3 days (amber), the rest drafts."""
    today = timezone.localdate()
    t2, t9, t13 = (task_of(notice, n) for n in (2, 9, 13))
    services.record_progress(task=t2, text="论坛已举办6期", percent=100, by=kechuang_staff)
    services.request_completion(task=t2, by=kechuang_staff)
    services.approve_completion(task=t2, by=leader)
    services.update_task(task=t13, by=supervisor, due_date=today - timedelta(days=10))
    services.record_progress(task=t13, text="专家组组建中", percent=40, by=zhanlue_staff)
    services.update_task(task=t9, by=supervisor, due_date=today + timedelta(days=3))
    services.record_progress(task=t9, text="测评题库已完成", percent=80, by=kepu_staff)
    return notice


def test_compose_bulletin_counts_and_items(bulletin_ledger):
    today = timezone.localdate()

    bulletin = compose_bulletin(notice=bulletin_ledger, number="渝科协督〔2026〕5号", as_of=today)

    assert bulletin.counts == {
        "total": 16,
        "completed": 1,
        "in_progress": 2,
        "completion_requested": 0,
        "draft": 13,
        "overdue": 1,
        "red": 1,
        "amber": 1,
    }
    overdue_due = chinese_date(today - timedelta(days=10))
    assert [text for _t, text in bulletin.completed] == [
        f"推动重庆“科创中国”建设（举措2，牵头部门：科创部，{chinese_date(today)}办结）。"
    ]
    assert [text for _t, text in bulletin.overdue] == [
        f"构建柔性智库体系（举措13，牵头部门：战略部，完成时限{overdue_due}，已逾期10天）。"
    ]
    soon = chinese_date(today + timedelta(days=3))
    assert [text for _t, text in bulletin.attention] == [
        f"牵头深入实施全民科学素质行动（举措9，牵头部门：科普部，完成时限{soon}）。"
    ]
    assert bulletin.title == "关于渝科协发〔2022〕84号落实情况的督办通报"


def test_compose_bulletin_as_of_a_later_day(bulletin_ledger):
    later = timezone.localdate() + timedelta(days=5)

    bulletin = compose_bulletin(notice=bulletin_ledger, number="渝科协督〔2026〕5号", as_of=later)

    assert (bulletin.counts["overdue"], bulletin.counts["red"], bulletin.counts["amber"]) == (2, 2, 0)
    assert [task.measure.number for task, _text in bulletin.overdue] == [13, 9]


def _paragraphs(document) -> list:
    return [p for p in document.paragraphs if p.text.strip()]


def _east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_bulletin_docx_layout_and_content(bulletin_ledger):
    today = timezone.localdate()
    bulletin = compose_bulletin(
        notice=bulletin_ledger,
        number="渝科协督〔2026〕5号",
        as_of=today,
        closing="请各部门按期报送整改情况。\n已办结事项要报送典型案例。",
    )

    document = Document(io.BytesIO(build_bulletin_docx(bulletin)))

    section = document.sections[0]
    # Word stores lengths in twentieths of a point: compare in millimetres.
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    assert [
        round(m.mm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [37, 35, 28, 26]
    paragraphs = _paragraphs(document)
    texts = [p.text for p in paragraphs]
    header = paragraphs[0].runs[0]
    assert (paragraphs[0].text, header.font.color.rgb, header.font.size) == (
        "重庆市科学技术协会",
        RGBColor(0xFF, 0, 0),
        Pt(42),
    )
    assert _east_asian_font(header) == "方正小标宋简体"
    assert texts[1] == "渝科协督〔2026〕5号"
    rule = paragraphs[1]._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:val")), rule.get(qn("w:color"))) == ("single", "FF0000")
    assert (texts[2], paragraphs[2].runs[0].font.size) == (
        "关于渝科协发〔2022〕84号落实情况的督办通报",
        Pt(22),
    )
    assert texts[3] == "市科协机关各部室、各直属单位："
    assert texts[4] == (
        f"截至{chinese_date(today)}，渝科协发〔2022〕84号"
        "《关于改进为创新驱动发展服务的若干举措》共分解任务16项，其中已办结1项，正在推进2项（含申请办结0项），尚未启动13项；"
        "逾期1项；亮红灯1项、亮黄灯1项。现将有关情况通报如下。"
    )
    body = paragraphs[4]
    assert (body.runs[0].font.size, _east_asian_font(body.runs[0]), body.paragraph_format.line_spacing) == (
        Pt(16),
        "仿宋_GB2312",
        Pt(28),
    )
    overdue_due = chinese_date(today - timedelta(days=10))
    soon = chinese_date(today + timedelta(days=3))
    assert texts[5:] == [
        "一、已办结事项",
        f"1. 推动重庆“科创中国”建设（举措2，牵头部门：科创部，{chinese_date(today)}办结）。",
        "二、逾期事项",
        f"1. 构建柔性智库体系（举措13，牵头部门：战略部，完成时限{overdue_due}，已逾期10天）。",
        "三、需关注事项",
        f"1. 牵头深入实施全民科学素质行动（举措9，牵头部门：科普部，完成时限{soon}）。",
        "四、下一步要求",
        "请各部门按期报送整改情况。",
        "已办结事项要报送典型案例。",
        "重庆市科学技术协会",
        chinese_date(today),
    ]
    assert _east_asian_font(paragraphs[5].runs[0]) == "黑体"
    footer_xml = section.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer_xml
    assert section.footer.paragraphs[0].text == "— 1 —"
    assert section.even_page_footer.paragraphs[0].text == "— 1 —"
    assert document.settings.odd_and_even_pages_header_footer is True


def test_bulletin_empty_sections_say_so(notice):
    bulletin = compose_bulletin(notice=notice, number="渝科协督〔2026〕1号", as_of=date(2026, 11, 27))

    texts = [p.text for p in _paragraphs(Document(io.BytesIO(build_bulletin_docx(bulletin))))]

    assert "截至通报日，暂无已办结事项。" in texts
    assert "截至通报日，无逾期事项。" in texts
    assert texts[-1] == "2026年11月27日"
    assert texts[-3].startswith("请各牵头部门对照任务分解表")  # the standard closing text


def test_export_bulletin_records_audit_event(bulletin_ledger, supervisor):
    today = timezone.localdate()
    assert default_bulletin_number(on=today) == f"渝科协督〔{today.year}〕1号"
    before = last_seq()

    bulletin, content = export_bulletin(
        notice=bulletin_ledger, number=" 渝科协督〔2026〕1号 ", as_of=today, by=supervisor
    )

    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.object_id, event.after["number"], event.after["overdue"]) == (
        "policy.bulletin.export",
        str(bulletin_ledger.pk),
        "渝科协督〔2026〕1号",
        1,
    )
    assert content[:2] == b"PK"
    assert default_bulletin_number(on=today) == f"渝科协督〔{today.year}〕2号"


def test_bulletin_refused_for_department_staff(bulletin_ledger, kepu_staff):
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        export_bulletin(
            notice=bulletin_ledger, number="渝科协督〔2026〕1号", as_of=timezone.localdate(), by=kepu_staff
        )
    assert AuditEvent.objects.count() == events


def test_compose_bulletin_query_count_constant(bulletin_ledger, supervisor, orgs):
    today = timezone.localdate()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            compose_bulletin(notice=bulletin_ledger, number="x", as_of=today)
        return len(ctx.captured_queries)

    before = queries()
    measure = task_of(bulletin_ledger, 13).measure
    for title in ("新增任务一", "新增任务二"):
        task = services.create_task(
            title=title,
            lead=orgs["战略发展部"],
            by=supervisor,
            measure=measure,
            due_date=today - timedelta(days=2),
        )
        Milestone.objects.create(task=task, title="节点", due_date=today + timedelta(days=1))
    assert queries() == before
