"""The breakdown table (任务分解表, .xlsx) out: the rows a reader may see, laid out as the office
format. The reading back of an edited copy is `breakdown_import.py`.

The column names are fixed Chinese on purpose: the table is a standard office format that comes back
through `apply_breakdown_import` by these names, whatever the interface language.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from kexie.accounts.models import Organization
from kexie.core.exports import set_cell
from kexie.core.services import record_event
from kexie.policy import rules
from kexie.policy.enums import Light, TaskState
from kexie.policy.models import Notice, ProgressReport, Task
from kexie.policy.queries import tasks_visible_to, with_cooperating

SHEET_NAME = "任务分解表"
HEADERS = ["序号", "举措", "任务", "牵头部门", "配合部门", "完成时限", "进展情况", "状态", "任务编号"]
COL_NO, COL_MEASURE, COL_TITLE, COL_LEAD, COL_CO, COL_DUE, COL_PROGRESS, COL_STATE, COL_ID = range(9)
WIDTHS = [6, 30, 40, 16, 26, 12, 44, 20, 10]
HEADER_ROW = 3
SPARE_ROWS = 200
LIGHT_FILLS = {Light.GREEN: "C6EFCE", Light.AMBER: "FFEB9C", Light.RED: "FFC7CE"}


# --- breakdown table out -------------------------------------------------------------------------------


@dataclass
class BreakdownRow:
    number: int
    task: Task
    measure_label: str
    cooperating: list[Organization]
    progress: str
    status: str

    def cells(self) -> list:
        task = self.task
        cooperating = "、".join(org.name for org in self.cooperating) or None
        return [
            self.number,
            self.measure_label,
            task.title,
            task.lead.name,
            cooperating,
            task.due_date,
            self.progress or None,
            self.status,
            task.pk,
        ]


def breakdown_tasks(
    *, user, notice: Notice, department: Organization | None = None, light: str = ""
) -> QuerySet[Task]:
    """The tasks of `notice` the user may see, by measure then task, with the lead department's latest
    report annotated; with their cooperating departments, two queries."""
    tasks = tasks_visible_to(user).filter(measure__notice=notice)
    if department is not None:
        # A subquery rather than a join, so that no task is listed twice.
        cooperating = Task.cooperating.through.objects.filter(organization=department).values("task_id")
        tasks = tasks.filter(Q(lead=department) | Q(pk__in=cooperating))
    if light:
        # Filtered on a light, the export lists what the dashboard's tile counts (dashboard_queries.counted).
        tasks = tasks.filter(light=light).exclude(state=TaskState.CANCELLED)
    latest = ProgressReport.objects.filter(task=OuterRef("pk"), is_lead=True).order_by("-created_at", "-pk")
    return (
        with_cooperating(tasks)
        .annotate(
            latest_text=Subquery(latest.values("text")[:1]),
            latest_percent=Subquery(latest.values("percent")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("measure__number", "pk")
    )


def progress_label(task: Task) -> str:
    """The lead department's latest report, dated, with its percentage."""
    text = getattr(task, "latest_text", None)
    if not text:
        return ""
    when = timezone.localtime(task.latest_at).date().isoformat()
    if task.latest_percent is None:
        return _("%(date)s: %(text)s") % {"date": when, "text": text}
    return _("%(date)s, %(percent)s%%: %(text)s") % {
        "date": when,
        "percent": task.latest_percent,
        "text": text,
    }


def status_label(task: Task) -> str:
    if task.light == Light.DONE:
        return task.get_state_display()
    return _("%(state)s (%(light)s)") % {"state": task.get_state_display(), "light": task.get_light_display()}


def breakdown_rows(tasks: Iterable[Task]) -> list[BreakdownRow]:
    return [
        BreakdownRow(
            number=number,
            task=task,
            measure_label=f"{task.measure.number}. {task.measure.title}",
            cooperating=list(task.cooperating.all()),
            progress=progress_label(task),
            status=status_label(task),
        )
        for number, task in enumerate(tasks, start=1)
    ]


def _write_preamble(sheet, notice: Notice, exported_on: date) -> None:
    last = get_column_letter(len(HEADERS))
    values = {"title": notice.title, "number": notice.doc_number, "date": exported_on.isoformat()}
    sheet["A1"] = (
        _("Breakdown table of “%(title)s” %(number)s, exported on %(date)s")
        if notice.doc_number
        else _("Breakdown table of “%(title)s”, exported on %(date)s")
    ) % values
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 36
    sheet["A2"] = _(
        "The grey column “任务编号” identifies each task so that the edited table can be imported back: "
        "do not change it. You may edit 任务, 牵头部门, 配合部门 (names separated by 、) and 完成时限 "
        "(yyyy-mm-dd). For a further task of a measure, add a row with the measure number in 举措 and "
        "leave 任务编号 empty. 进展情况 and 状态 are for reading only."
    )
    sheet["A2"].font = Font(name="宋体", size=10, italic=True, color="595959")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 48


def _style_cell(cell, column: int, light: str | None) -> None:
    thin = Side(style="thin", color="808080")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = column in (COL_NO, COL_DUE, COL_ID)
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if centred else None)
    if column == COL_DUE:
        cell.number_format = "yyyy-mm-dd"
    if column == COL_ID:
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    elif column == COL_STATE and light in LIGHT_FILLS:
        cell.fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])
    if column in (COL_NO, COL_MEASURE, COL_TITLE, COL_LEAD, COL_CO, COL_DUE):
        cell.protection = Protection(locked=False)


def _set_up_page(sheet, last_row: int) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(HEADERS))}{max(last_row, HEADER_ROW + 1)}"
    # Locked cells (the header, the task ids) are protected without a password: a guard against slips,
    # while rows can still be added, deleted, filtered and sorted.
    sheet.protection.sheet = True
    for allowed in (
        "formatCells",
        "formatColumns",
        "formatRows",
        "insertRows",
        "deleteRows",
        "autoFilter",
        "sort",
    ):
        setattr(sheet.protection, allowed, False)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "&P / &N"


def build_breakdown_xlsx(*, notice: Notice, rows: list[BreakdownRow], exported_on: date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    _write_preamble(sheet, notice, exported_on)
    for index, name in enumerate(HEADERS):
        cell = set_cell(sheet, row=HEADER_ROW, column=index + 1, value=name)
        _style_cell(cell, index, None)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.protection = Protection(locked=True)
        if index != COL_ID:
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
    body_font = Font(name="宋体", size=11)
    for offset, row in enumerate(rows, start=1):
        for index, value in enumerate(row.cells()):
            cell = set_cell(sheet, row=HEADER_ROW + offset, column=index + 1, value=value)
            cell.font = body_font
            _style_cell(cell, index, row.task.light)
    last_row = HEADER_ROW + len(rows)
    # Spare rows for further tasks: editable, except the task id, which stays empty.
    for row_index in range(last_row + 1, last_row + SPARE_ROWS + 1):
        for column in (COL_NO, COL_MEASURE, COL_TITLE, COL_LEAD, COL_CO, COL_DUE):
            cell = sheet.cell(row=row_index, column=column + 1)
            cell.protection = Protection(locked=False)
            if column == COL_DUE:
                cell.number_format = "yyyy-mm-dd"
    _set_up_page(sheet, last_row)
    workbook.properties.title = f"{notice.doc_number} {SHEET_NAME}".strip()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def export_breakdown(*, notice: Notice, by, department: Organization | None = None, light: str = "") -> bytes:
    """The breakdown table of what `by` may see; the export itself is audited."""
    if not rules.can_export(by):
        raise PermissionDenied
    rows = breakdown_rows(breakdown_tasks(user=by, notice=notice, department=department, light=light))
    content = build_breakdown_xlsx(notice=notice, rows=rows, exported_on=timezone.localdate())
    record_event(
        notice,
        "policy.breakdown.export",
        actor=by,
        after={"rows": len(rows), "department": department.pk if department else None, "light": light},
    )
    return content
