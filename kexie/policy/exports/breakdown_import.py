"""The breakdown table (任务分解表, .xlsx) back in: read an edited copy, check every row, plan the
changes (new tasks, edits, due-date change requests) and apply them all or none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core.services import record_event
from kexie.core.spreadsheets import ImportRefused, RowError, cell_text, open_workbook
from kexie.policy import rules
from kexie.policy.enums import OPEN_STATES, ChangeKind, ChangeState, TaskState
from kexie.policy.exports.breakdown import (
    COL_CO,
    COL_DUE,
    COL_ID,
    COL_LEAD,
    COL_MEASURE,
    COL_NO,
    COL_TITLE,
    HEADERS,
    SHEET_NAME,
)
from kexie.policy.models import ChangeRequest, Measure, Notice, Task
from kexie.policy.queries import tasks_visible_to, with_cooperating
from kexie.policy.services import (
    create_task,
    match_organizations,
    request_change,
    update_task,
)

# Rows the importer reads at most: a breakdown table has tens to hundreds of tasks.
MAX_IMPORT_ROWS = 5000
NAME_SEPARATORS = re.compile(r"[、,，;；/\n\r\t]+|\s{2,}")


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
