"""JSON API of the supervision ledger; the same rules and scoped queries as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kexie.policy import services
from kexie.policy.enums import NoticeState
from kexie.policy.models import Measure, Notice, Task
from kexie.policy.queries import (
    access_notice,
    access_task,
    notices_visible_to,
    tasks_visible_to,
    with_cooperating,
)

router = Router(tags=["supervision"])


class NoticeOut(Schema):
    id: int
    doc_number: str
    issuer: str
    date: date | None
    title: str
    state: str
    measures: int


class DepartmentOut(Schema):
    id: int
    name: str
    lead: bool


class TargetOut(Schema):
    id: int
    year: int | None
    metric: str
    comparator: str
    value: float
    unit: str


class MeasureOut(Schema):
    id: int
    notice_id: int
    number: int
    section: str | None
    title: str
    text: str
    departments: list[DepartmentOut]
    targets: list[TargetOut]


class TaskOut(Schema):
    id: int
    measure_id: int | None
    measure_number: int | None
    title: str
    source: str
    lead_id: int
    lead: str
    cooperating: list[str]
    due_date: date | None
    state: str
    light: str
    percent: int
    last_report_at: datetime | None


class ProgressOut(Schema):
    id: int
    organization: str
    is_lead: bool
    text: str
    percent: int | None
    author: str
    created_at: datetime
    evidence: list[str]


class ProgressIn(Schema):
    text: str
    percent: int | None = None


class ReasonIn(Schema):
    reason: str = ""


def _notice_out(notice: Notice) -> dict:
    return {
        "id": notice.pk,
        "doc_number": notice.doc_number,
        "issuer": notice.issuer,
        "date": notice.date,
        "title": notice.title,
        "state": notice.state,
        "measures": notice.measures.count(),
    }


def _task_out(task: Task) -> dict:
    return {
        "id": task.pk,
        "measure_id": task.measure_id,
        "measure_number": task.measure.number if task.measure else None,
        "title": task.title,
        "source": task.source,
        "lead_id": task.lead_id,
        "lead": task.lead.name,
        "cooperating": [o.name for o in task.cooperating.all()],
        "due_date": task.due_date,
        "state": task.state,
        "light": task.light,
        "percent": task.percent,
        "last_report_at": task.last_report_at,
    }


def _visible_task(request, task_id: int) -> Task:
    return access_task(request.user, task_id)


def _call(action):
    try:
        return action()
    except PermissionDenied:
        raise HttpError(403, "Forbidden") from None
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from None


@router.get("/notices", response=list[NoticeOut], summary="Notices in the ledger")
def list_notices(request):
    return [_notice_out(n) for n in notices_visible_to(request.user).order_by("-created_at")]


@router.get("/notices/{notice_id}/measures", response=list[MeasureOut], summary="The measures of a notice")
def list_measures(request, notice_id: int):
    notice = access_notice(request.user, notice_id)
    measures = (
        Measure.objects.filter(notice=notice)
        .select_related("section")
        .prefetch_related("department_links__organization", "targets")
    )
    return [_measure_out(m) for m in measures]


def _measure_out(m: Measure) -> dict:
    return {
        "id": m.pk,
        "notice_id": m.notice_id,
        "number": m.number,
        "section": m.section.title if m.section else None,
        "title": m.title,
        "text": m.text,
        "departments": [
            {"id": d.organization_id, "name": d.organization.name, "lead": d.is_lead}
            for d in m.department_links.all()
        ],
        "targets": [
            {
                "id": t.pk,
                "year": t.year,
                "metric": t.metric,
                "comparator": t.comparator,
                "value": float(t.value),
                "unit": t.unit,
            }
            for t in m.targets.all()
        ],
    }


@router.get("/measures/{measure_id}", response=MeasureOut, summary="One measure")
def get_measure(request, measure_id: int):
    measure = get_object_or_404(
        Measure.objects.select_related("section").prefetch_related(
            "department_links__organization", "targets"
        ),
        pk=measure_id,
        notice__state=NoticeState.CONFIRMED,
    )
    return _measure_out(measure)


@router.get("/tasks", response=list[TaskOut], summary="Tasks visible to the caller")
def list_tasks(
    request, state: str = "", light: str = "", lead: int | None = None, measure: int | None = None
):
    tasks = with_cooperating(tasks_visible_to(request.user))
    if state:
        tasks = tasks.filter(state=state)
    if light:
        tasks = tasks.filter(light=light)
    if lead:
        tasks = tasks.filter(lead_id=lead)
    if measure:
        tasks = tasks.filter(measure_id=measure)
    return [_task_out(t) for t in tasks.order_by("measure__number", "pk")]


@router.get("/tasks/{task_id}", response=TaskOut, summary="One task, if visible")
def get_task(request, task_id: int):
    return _task_out(_visible_task(request, task_id))


@router.get("/tasks/{task_id}/progress", response=list[ProgressOut], summary="The task's progress reports")
def list_progress(request, task_id: int):
    task = _visible_task(request, task_id)
    return [
        {
            "id": r.pk,
            "organization": r.organization.name,
            "is_lead": r.is_lead,
            "text": r.text,
            "percent": r.percent,
            "author": r.author.display_name,
            "created_at": r.created_at,
            "evidence": [e.name for e in r.evidence.all()],
        }
        for r in task.reports.select_related("organization", "author").prefetch_related("evidence")
    ]


@router.post("/tasks/{task_id}/progress", response={201: ProgressOut}, summary="Report progress (no files)")
def create_progress(request, task_id: int, payload: ProgressIn):
    task = _visible_task(request, task_id)
    report = _call(
        lambda: services.record_progress(
            task=task, text=payload.text, percent=payload.percent, by=request.user
        )
    )
    return Status(
        201,
        {
            "id": report.pk,
            "organization": report.organization.name,
            "is_lead": report.is_lead,
            "text": report.text,
            "percent": report.percent,
            "author": report.author.display_name,
            "created_at": report.created_at,
            "evidence": [],
        },
    )


@router.post("/tasks/{task_id}/request-completion", response=TaskOut, summary="Lead department asks to close")
def request_completion(request, task_id: int):
    task = _visible_task(request, task_id)
    return _task_out(_call(lambda: services.request_completion(task=task, by=request.user)))


@router.post("/tasks/{task_id}/approve", response=TaskOut, summary="A leader approves completion (销号)")
def approve(request, task_id: int):
    task = _visible_task(request, task_id)
    return _task_out(_call(lambda: services.approve_completion(task=task, by=request.user)))


@router.post("/tasks/{task_id}/return", response=TaskOut, summary="A leader returns the task with a reason")
def return_task(request, task_id: int, payload: ReasonIn):
    task = _visible_task(request, task_id)
    return _task_out(_call(lambda: services.return_task(task=task, reason=payload.reason, by=request.user)))
