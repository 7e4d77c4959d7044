"""The breakdown table (任务分解表, .xlsx): out, and an edited copy back in.

The column names are fixed Chinese on purpose: the table is a standard office format that comes back
through `apply_breakdown_import` by these names, whatever the interface language.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from kexie.accounts.models import Organization
from kexie.core.exports import set_cell
from kexie.core.services import record_event
from kexie.core.spreadsheets import ImportRefused, RowError, cell_text, open_workbook
from kexie.policy import rules
from kexie.policy.enums import OPEN_STATES, ChangeKind, ChangeState, Light, TaskState
from kexie.policy.models import ChangeRequest, Measure, Notice, ProgressReport, Task
from kexie.policy.queries import tasks_visible_to, with_cooperating
from kexie.policy.services import (
    create_task,
    match_organizations,
    request_change,
    update_task,
)

SHEET_NAME = "任务分解表"
HEADERS = ["序号", "举措", "任务", "牵头部门", "配合部门", "完成时限", "进展情况", "状态", "任务编号"]
COL_NO, COL_MEASURE, COL_TITLE, COL_LEAD, COL_CO, COL_DUE, COL_PROGRESS, COL_STATE, COL_ID = range(9)
WIDTHS = [6, 30, 40, 16, 26, 12, 44, 20, 10]
HEADER_ROW = 3
SPARE_ROWS = 200
# Rows the importer reads at most: a breakdown table has tens to hundreds of tasks.
MAX_IMPORT_ROWS = 5000
NAME_SEPARATORS = re.compile(r"[、,，;；/\n\r\t]+|\s{2,}")
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
        tasks = tasks.filter(light=light)
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


# --- breakdown table back in ---------------------------------------------------------------------------


class BreakdownImportError(ImportRefused):
    """The table cannot be imported; nothing was written. `errors` lists every problem found."""


def _file_error(message: str) -> BreakdownImportError:
    return BreakdownImportError([RowError(None, "", message)])


@dataclass
class SheetRow:
    row: int
    measure: str
    title: str
    lead: str
    cooperating: list[str]
    due: object
    task_id: str


@dataclass
class PlannedChange:
    row: int
    task: Task | None = None
    measure: Measure | None = None
    title: str | None = None
    lead: Organization | None = None
    cooperating: list[Organization] | None = None
    due_date: date | None = None
    # A task already under way: its new due date becomes a change request for a leader to decide.
    requested_due_date: date | None = None

    @property
    def edits_task(self) -> bool:
        return any(
            [
                self.title is not None,
                self.lead is not None,
                self.cooperating is not None,
                self.due_date is not None,
            ]
        )


@dataclass
class ImportResult:
    updated: list[Task] = field(default_factory=list)
    created: list[Task] = field(default_factory=list)
    change_requests: list[ChangeRequest] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {
            "updated": len(self.updated),
            "created": len(self.created),
            "change_requests": len(self.change_requests),
            "unchanged": self.unchanged,
        }


_text = cell_text


def _split_names(value) -> list[str]:
    names: list[str] = []
    for part in NAME_SEPARATORS.split(_text(value)):
        if part.strip() and part.strip() not in names:
            names.append(part.strip())
    return names


def _open_workbook(data: bytes, name: str):
    try:
        return open_workbook(
            data,
            name=name,
            not_workbook=_(
                "The file “%(name)s” is not an Excel workbook (.xlsx). Please upload the "
                "breakdown table exported from this page."
            )
            % {"name": name},
        )
    except ImportRefused as exc:
        raise BreakdownImportError(exc.errors) from None


def _check_header(cells: list, row_number: int) -> None:
    found = [_text(cell) for cell in cells]
    if found != HEADERS:
        raise BreakdownImportError(
            [
                RowError(
                    row_number,
                    "",
                    _("the header must be exactly %(expected)s, but it is %(found)s.")
                    % {"expected": "、".join(HEADERS), "found": "、".join(cell or "—" for cell in found)},
                )
            ]
        )


def _sheet_rows(values: Iterable[tuple]) -> list[SheetRow]:
    header_at = None
    rows: list[SheetRow] = []
    for row_number, raw in enumerate(values, start=1):
        cells = [*raw, *([None] * len(HEADERS))][: len(HEADERS)]
        if header_at is None:
            if _text(cells[COL_NO]) == HEADERS[COL_NO]:
                _check_header(cells, row_number)
                header_at = row_number
            elif row_number >= 10:
                break
            continue
        if all(_text(cells[i]) == "" for i in (COL_MEASURE, COL_TITLE, COL_LEAD, COL_CO, COL_DUE, COL_ID)):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise _file_error(_("The table has more than %(limit)s rows.") % {"limit": MAX_IMPORT_ROWS})
        rows.append(
            SheetRow(
                row=row_number,
                measure=_text(cells[COL_MEASURE]),
                title=_text(cells[COL_TITLE]),
                lead=_text(cells[COL_LEAD]),
                cooperating=_split_names(cells[COL_CO]),
                due=cells[COL_DUE],
                task_id=_text(cells[COL_ID]),
            )
        )
    if header_at is None:
        raise _file_error(
            _("No header row (序号, 举措, 任务, …) was found in the first rows of sheet “%(sheet)s”.")
            % {"sheet": SHEET_NAME}
        )
    if not rows:
        raise _file_error(_("The table contains no tasks."))
    return rows


def read_breakdown_sheet(data: bytes, *, name: str = "") -> list[SheetRow]:
    """The data rows of an exported (and edited) breakdown table. Raises BreakdownImportError for a
    file that is not such a table: empty, too large, not .xlsx, a wrong sheet or header, no rows."""
    workbook = _open_workbook(data, name)
    try:
        if SHEET_NAME not in workbook.sheetnames:
            raise _file_error(
                _(
                    "The workbook has no sheet named “%(sheet)s” (it has: %(found)s). Please "
                    "import the breakdown table exported from this page."
                )
                % {"sheet": SHEET_NAME, "found": "、".join(workbook.sheetnames)}
            )
        return _sheet_rows(workbook[SHEET_NAME].iter_rows(values_only=True))
    finally:
        workbook.close()


_DATE_PATTERN = re.compile(r"^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$")


def parse_due(value) -> date | None:
    """A date cell, or text as yyyy-mm-dd, yyyy/m/d, yyyy.m.d or yyyy年m月d日; None when empty.
    Raises ValueError for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace(" ", "")
    if not text:
        return None
    match = _DATE_PATTERN.match(text)
    if match is None:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def _task_number(text: str) -> int | None:
    """A task id as typed in the sheet: ASCII digits within the range of a database id."""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


class _Planner:
    """Checks every row of a table against the ledger without writing anything."""

    def __init__(self, *, notice: Notice, rows: list[SheetRow], by):
        self.by = by
        self.rows = rows
        self.errors: list[RowError] = []
        self.first_row_of: dict[int, int] = {}
        self._index_task_ids()
        self.tasks = {
            task.pk: task
            for task in with_cooperating(
                tasks_visible_to(by).filter(measure__notice=notice, pk__in=list(self.first_row_of))
            )
        }
        self.measures = {measure.number: measure for measure in Measure.objects.filter(notice=notice)}
        self.organizations = match_organizations(
            sorted({name for row in rows for name in [row.lead, *row.cooperating] if name})
        )
        pending = ChangeRequest.objects.filter(task_id__in=list(self.tasks), state=ChangeState.PENDING)
        self.pending = set(pending.values_list("task_id", flat=True))
        self._breaks_down: dict[int, bool] = {}

    def error(self, row: int, column: int | None, message: str) -> None:
        self.errors.append(RowError(row, HEADERS[column] if column is not None else "", message))

    def _index_task_ids(self) -> None:
        for row in self.rows:
            if not row.task_id:
                continue
            number = _task_number(row.task_id)
            if number is None:
                self.error(row.row, COL_ID, _("“%(value)s” is not a task number.") % {"value": row.task_id})
            elif number in self.first_row_of:
                self.error(
                    row.row,
                    COL_ID,
                    _("task %(id)s is already listed in row %(other)s.")
                    % {"id": number, "other": self.first_row_of[number]},
                )
            else:
                self.first_row_of[number] = row.row

    def breaks_down(self, measure: Measure) -> bool:
        if measure.pk not in self._breaks_down:
            self._breaks_down[measure.pk] = rules.can_break_down(self.by, measure)
        return self._breaks_down[measure.pk]

    def plan(self) -> tuple[list[PlannedChange], int]:
        changes: list[PlannedChange] = []
        unchanged = 0
        for row in self.rows:
            number = _task_number(row.task_id)
            if row.task_id and (number is None or self.first_row_of[number] != row.row):
                continue  # a malformed or repeated task number, already reported
            fields = self._fields(row)
            if fields is None:
                continue
            change = self._plan_existing(row, *fields) if row.task_id else self._plan_new(row, *fields)
            if change is None:
                continue
            if change.task is not None and not change.edits_task and change.requested_due_date is None:
                unchanged += 1
            else:
                changes.append(change)
        return changes, unchanged

    def _fields(self, row: SheetRow) -> tuple | None:
        """The row's lead, cooperating departments and due date, or None after reporting what is wrong."""
        before = len(self.errors)
        lead = self.organizations.get(row.lead) if row.lead else None
        if row.lead and lead is None:
            self.error(row.row, COL_LEAD, _("no organization named “%(name)s”.") % {"name": row.lead})
        if not row.lead:
            self.error(row.row, COL_LEAD, _("the lead department cannot be left empty."))
        cooperating: list[Organization] = []
        for name in row.cooperating:
            org = self.organizations.get(name)
            if org is None:
                self.error(row.row, COL_CO, _("no organization named “%(name)s”.") % {"name": name})
            elif org not in cooperating and org != lead:
                cooperating.append(org)
        due = None
        try:
            due = parse_due(row.due)
        except ValueError:
            self.error(
                row.row,
                COL_DUE,
                _("“%(value)s” is not a date; write it as yyyy-mm-dd or yyyy年m月d日.")
                % {"value": _text(row.due)},
            )
        if not row.title:
            self.error(row.row, COL_TITLE, _("the task cannot be left empty."))
        elif len(row.title) > 300:
            self.error(row.row, COL_TITLE, _("the task is longer than 300 characters."))
        return (lead, cooperating, due) if len(self.errors) == before else None

    def _plan_new(self, row: SheetRow, lead, cooperating, due) -> PlannedChange | None:
        """A row without a task number: a further task of the measure it names (splitting it)."""
        number = re.match(r"^\s*(\d+)", row.measure)
        measure = self.measures.get(int(number.group(1))) if number else None
        if number is None:
            self.error(
                row.row,
                COL_MEASURE,
                _("a new task (without 任务编号) needs the number of its measure, e.g. “9”."),
            )
        elif measure is None:
            self.error(
                row.row,
                COL_MEASURE,
                _("this notice has no measure %(number)s.") % {"number": number.group(1)},
            )
        elif not self.breaks_down(measure):
            self.error(
                row.row, None, _("you may not break down measure %(number)s.") % {"number": measure.number}
            )
        else:
            return PlannedChange(
                row=row.row,
                measure=measure,
                title=row.title,
                lead=lead,
                cooperating=cooperating,
                due_date=due,
            )
        return None

    def _plan_existing(self, row: SheetRow, lead, cooperating, due) -> PlannedChange | None:
        task = self.tasks.get(_task_number(row.task_id))
        if task is None:
            self.error(
                row.row,
                COL_ID,
                _("there is no task %(id)s in this notice that you can see.") % {"id": row.task_id},
            )
            return None
        number = re.match(r"^\s*(\d+)", row.measure)
        if number and int(number.group(1)) != task.measure.number:
            self.error(
                row.row,
                COL_MEASURE,
                _("task %(id)s belongs to measure %(number)s; a task cannot be moved to another measure.")
                % {"id": task.pk, "number": task.measure.number},
            )
            return None
        if due is None and task.due_date is not None:
            self.error(
                row.row,
                COL_DUE,
                _("the due date cannot be removed; request a change on the task's page instead."),
            )
            return None
        change = PlannedChange(row=row.row, task=task)
        if row.title != task.title:
            change.title = row.title
        if lead.pk != task.lead_id:
            change.lead = lead
        # With a new lead the departments are always set again, so that it is not also cooperating.
        current = {org.pk for org in task.cooperating.all() if org.pk != lead.pk}
        if change.lead or {org.pk for org in cooperating} != current:
            change.cooperating = cooperating
        if due is not None and due != task.due_date:
            if task.state == TaskState.DRAFT:
                change.due_date = due
            else:
                change.requested_due_date = due
        if (change.edits_task or change.requested_due_date) and not self._may_apply(change):
            return None
        return change

    def _may_apply(self, change: PlannedChange) -> bool:
        task, row = change.task, change.row
        if task.state not in OPEN_STATES:
            self.error(
                row,
                None,
                _("task %(id)s is %(state)s and can no longer be changed.")
                % {"id": task.pk, "state": task.get_state_display()},
            )
        elif change.edits_task and not rules.can_edit_task(self.by, task):
            self.error(row, None, _("you may not edit task %(id)s.") % {"id": task.pk})
        elif (change.lead or change.cooperating is not None or change.due_date) and not self.breaks_down(
            task.measure
        ):
            self.error(
                row,
                None,
                _("you may not change the departments or the due date of task %(id)s.") % {"id": task.pk},
            )
        elif change.requested_due_date and not rules.can_request_change(self.by, task):
            self.error(
                row,
                COL_DUE,
                _("you may not request a due-date adjustment for task %(id)s.") % {"id": task.pk},
            )
        elif change.requested_due_date and task.pk in self.pending:
            self.error(
                row,
                COL_DUE,
                _("task %(id)s already has a change request waiting for a decision.") % {"id": task.pk},
            )
        else:
            return True
        return False


def plan_breakdown_import(
    *, notice: Notice, data: bytes, by, name: str = ""
) -> tuple[list[PlannedChange], int]:
    """Read and check a table without writing: the changes to make and how many rows are unchanged.
    Raises BreakdownImportError with every problem found, by row and column."""
    planner = _Planner(notice=notice, rows=read_breakdown_sheet(data, name=name), by=by)
    changes, unchanged = planner.plan()
    if planner.errors:
        raise BreakdownImportError(sorted(planner.errors, key=lambda error: error.row or 0))
    return changes, unchanged


def apply_breakdown_import(
    *, notice: Notice, data: bytes, by, name: str = "", reason: str = "", dry_run: bool = False
) -> ImportResult:
    """Bring an edited breakdown table back. Everything is checked first; on any error nothing is
    written and BreakdownImportError lists every problem by row and column. Then, in one transaction
    and through the ledger's services (each change audited): edited tasks are updated, rows without a
    task number create further tasks of their measure, and a new due date of a task already under way
    becomes a change request for a leader to decide. With `dry_run`, the result tells what would
    happen and nothing is written."""
    if not rules.can_import_breakdown(by):
        raise PermissionDenied
    changes, unchanged = plan_breakdown_import(notice=notice, data=data, by=by, name=name)
    result = ImportResult(unchanged=unchanged, dry_run=dry_run)
    if dry_run:
        for change in changes:
            if change.task is None:
                result.created.append(
                    Task(
                        measure=change.measure, title=change.title, lead=change.lead, due_date=change.due_date
                    )
                )
                continue
            if change.edits_task:
                result.updated.append(change.task)
            if change.requested_due_date:
                result.change_requests.append(
                    ChangeRequest(
                        task=change.task, kind=ChangeKind.DUE_DATE, new_due_date=change.requested_due_date
                    )
                )
        return result
    why = reason.strip() or _("Due date changed in the imported breakdown table “%(name)s”.") % {"name": name}
    # The file was read and checked outside the transaction (SQLite takes its write lock at BEGIN); a
    # service that still refuses a change here (the task changed meanwhile) rolls everything back.
    with transaction.atomic():
        for change in changes:
            _apply_change(change, result=result, by=by, reason=why)
        record_event(notice, "policy.breakdown.import", actor=by, after={"file": name, **result.counts})
    return result


def _apply_change(change: PlannedChange, *, result: ImportResult, by, reason: str) -> None:
    try:
        if change.task is None:
            result.created.append(
                create_task(
                    title=change.title,
                    lead=change.lead,
                    by=by,
                    measure=change.measure,
                    cooperating=change.cooperating,
                    due_date=change.due_date,
                    source_ref=f"{change.measure.notice.doc_number} {change.measure.number}".strip(),
                )
            )
            return
        if change.edits_task:
            result.updated.append(
                update_task(
                    task=change.task,
                    by=by,
                    title=change.title,
                    lead=change.lead,
                    cooperating=change.cooperating,
                    due_date=change.due_date,
                )
            )
        if change.requested_due_date:
            result.change_requests.append(
                request_change(
                    task=change.task,
                    kind=ChangeKind.DUE_DATE,
                    reason=reason,
                    by=by,
                    new_due_date=change.requested_due_date,
                )
            )
    except PermissionDenied as exc:
        raise BreakdownImportError([RowError(change.row, "", _("you may not make this change."))]) from exc
    except ValidationError as exc:
        raise BreakdownImportError([RowError(change.row, "", message) for message in exc.messages]) from exc
    except IntegrityError as exc:  # a change request filed meanwhile (one pending per task)
        message = _("task %(id)s already has a change request waiting for a decision.") % {
            "id": change.task.pk
        }
        raise BreakdownImportError([RowError(change.row, HEADERS[COL_DUE], message)]) from exc
