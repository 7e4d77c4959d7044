"""Status lights (亮灯): the rule and its refresh, per task and for every open task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from kexie.policy.enums import (
    OPEN_STATES,
    Light,
    TaskState,
)
from kexie.policy.models import (
    SupervisionSettings,
    Task,
)


@dataclass(frozen=True)
class LightInputs:
    state: str
    due_date: date | None
    started: date | None
    last_report: date | None
    next_milestone: date | None
    overdue_milestone: bool


def compute_light(  # noqa: PLR0911 - one exit per rule reads clearer than a chain of flags
    inputs: LightInputs, *, today: date, amber_days: int, report_interval_days: int
) -> str:
    """Green on track; amber within `amber_days` of the due date or a milestone; red overdue, a
    milestone overdue, or no report for `report_interval_days` while under way."""
    if inputs.state == TaskState.COMPLETED:
        return Light.DONE
    if inputs.state in (TaskState.CANCELLED, TaskState.DRAFT) and not (
        inputs.state == TaskState.DRAFT and inputs.due_date and inputs.due_date < today
    ):
        return Light.GREY
    if inputs.due_date and inputs.due_date < today:
        return Light.RED
    if inputs.overdue_milestone:
        return Light.RED
    if inputs.state == TaskState.IN_PROGRESS:
        since = inputs.last_report or inputs.started
        if since and (today - since).days > report_interval_days:
            return Light.RED
    soon = today + timedelta(days=amber_days)
    if (inputs.due_date and inputs.due_date <= soon) or (
        inputs.next_milestone and inputs.next_milestone <= soon
    ):
        return Light.AMBER
    return Light.GREEN


def _local_date(value) -> date | None:
    return timezone.localtime(value).date() if value else None


def _due_soon(task: Task) -> None:
    """A task turning amber is due soon (or a milestone is): its department hears it once per change."""
    from django.utils.translation import gettext as _

    from kexie.policy import notifications as events
    from kexie.policy.services.notifications import notify_department

    notify_department(task, _("Due soon: %(task)s") % {"task": task.title}, event=events.TASK_DUE_SOON)


def refresh_light(*, task: Task, today: date | None = None, config: SupervisionSettings | None = None) -> str:
    today = today or timezone.localdate()
    config = config or SupervisionSettings.current()
    open_milestones = [m.due_date for m in task.milestones.filter(done_at__isnull=True)]
    light = compute_light(
        LightInputs(
            state=task.state,
            due_date=task.due_date,
            started=_local_date(task.started_at),
            last_report=_local_date(task.last_report_at),
            next_milestone=min((d for d in open_milestones if d >= today), default=None),
            overdue_milestone=any(d < today for d in open_milestones),
        ),
        today=today,
        amber_days=config.amber_days,
        report_interval_days=config.report_interval_days,
    )
    if light != task.light:
        Task.objects.filter(pk=task.pk).update(light=light)
        if light == Light.AMBER and task.pk:
            _due_soon(task)
        task.light = light
    return light


def refresh_lights(*, today: date | None = None) -> dict[str, int]:
    """Recompute every open task's light (the periodic job); returns how many changed, by new light."""
    config = SupervisionSettings.current()
    changed: dict[str, int] = {}
    for task in (
        Task.objects.filter(state__in=OPEN_STATES).prefetch_related("milestones").iterator(chunk_size=500)
    ):
        before = task.light
        after = refresh_light(task=task, today=today, config=config)
        if after != before:
            changed[after] = changed.get(after, 0) + 1
    return changed
