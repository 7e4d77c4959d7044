"""Permission-scoped reads of the supervision ledger."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from kexie.accounts.models import Organization
from kexie.policy.enums import OPEN_STATES, CaseState, Light, NoticeState, TaskState
from kexie.policy.models import Measure, MeasureDepartment, Notice, ProgressReport, Task, TypicalCase
from kexie.policy.rules import department_ids, sees_all_tasks

LIGHT_ORDER = {Light.RED: 4, Light.AMBER: 3, Light.GREEN: 2, Light.DONE: 1, Light.GREY: 0}


def tasks_visible_to(user) -> QuerySet[Task]:
    tasks = Task.objects.select_related("lead", "measure", "measure__notice")
    if sees_all_tasks(user):
        return tasks
    mine = department_ids(user)
    if not mine:
        return tasks.none()
    return tasks.filter(Q(lead_id__in=mine) | Q(cooperating__in=mine)).distinct()


def with_cooperating(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.prefetch_related(
        Prefetch("cooperating", queryset=Organization.objects.order_by("sort_order"))
    )


def current_notice() -> Notice | None:
    """The most recently confirmed notice: what the dashboard shows by default."""
    return Notice.objects.filter(state=NoticeState.CONFIRMED).order_by("-confirmed_at", "-pk").first()


def overdue_tasks(*, on: date) -> QuerySet[Task]:
    return Task.objects.filter(state__in=OPEN_STATES, due_date__lt=on)


def measure_overview(notice: Notice, *, tasks: QuerySet[Task] | None = None) -> list[dict]:
    """Per measure: worst light, mean progress, task counts and the latest report — in four queries."""
    measures = list(
        Measure.objects.filter(notice=notice)
        .select_related("section")
        .prefetch_related(
            Prefetch("department_links", queryset=MeasureDepartment.objects.select_related("organization"))
        )
    )
    tasks = list(
        (tasks if tasks is not None else Task.objects.all())
        .filter(measure__notice=notice)
        .only("id", "measure_id", "light", "percent", "state", "due_date")
    )
    by_measure: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        by_measure[task.measure_id].append(task)
    reports = (
        ProgressReport.objects.filter(task__measure__notice=notice)
        .values("task__measure_id")
        .annotate(last=Max("created_at"))
    )
    last_at = {row["task__measure_id"]: row["last"] for row in reports}
    latest_text = {}
    if last_at:
        for report in ProgressReport.objects.filter(
            task__measure__notice=notice, created_at__in=list(last_at.values())
        ).select_related("task", "organization"):
            latest_text.setdefault(report.task.measure_id, report)
    rows = []
    for measure in measures:
        own = by_measure.get(measure.pk, [])
        light = max((t.light for t in own), key=lambda light: LIGHT_ORDER[light], default=Light.GREY)
        rows.append(
            {
                "measure": measure,
                "tasks": len(own),
                "completed": sum(1 for t in own if t.state == TaskState.COMPLETED),
                "percent": round(sum(t.percent for t in own) / len(own)) if own else 0,
                "light": light,
                "latest": latest_text.get(measure.pk),
                "departments": [link.organization for link in measure.department_links.all()],
                "lead": next(
                    (link.organization for link in measure.department_links.all() if link.is_lead), None
                ),
            }
        )
    return rows


def department_scorecard(*, on: date, notice: Notice | None = None) -> list[dict]:
    """Per lead department: tasks, completed, on time, overdue, report missing (red without overdue)."""
    tasks = Task.objects.exclude(state=TaskState.CANCELLED)
    if notice is not None:
        tasks = tasks.filter(measure__notice=notice)
    rows = (
        tasks.values("lead_id", "lead__name", "lead__short_name")
        .annotate(
            total=Count("id"),
            completed=Count("id", filter=Q(state=TaskState.COMPLETED)),
            completed_on_time=Count(
                "id",
                filter=Q(state=TaskState.COMPLETED)
                & (Q(due_date__isnull=True) | Q(completed_at__date__lte=F("due_date"))),
            ),
            overdue=Count("id", filter=Q(state__in=OPEN_STATES, due_date__lt=on)),
            red=Count("id", filter=Q(light=Light.RED)),
            amber=Count("id", filter=Q(light=Light.AMBER)),
        )
        .order_by("lead__sort_order", "lead__name")
    )
    return [
        {
            **row,
            "report_missing": row["red"] - row["overdue"] if row["red"] > row["overdue"] else 0,
            "name": row["lead__short_name"] or row["lead__name"],
        }
        for row in rows
    ]


def cases_visible_to(user) -> QuerySet[TypicalCase]:
    cases = TypicalCase.objects.select_related("task", "organization", "author")
    if sees_all_tasks(user):
        return cases
    mine = department_ids(user)
    return cases.filter(Q(organization_id__in=mine) | Q(state=CaseState.PUBLISHED))
