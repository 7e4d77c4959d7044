"""Reads behind the leaders' dashboard, the measure pages and the home page summary.

Everything starts from the user's visible tasks (queries.tasks_visible_to), so a department sees the
same page as a leader restricted to its own tasks. A page loads its tasks once and aggregates them in
Python: a notice has tens to a few hundred tasks, and one query keeps the count constant however many
measures, departments and lights there are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from kexie.accounts.models import Organization
from kexie.policy import rules
from kexie.policy.enums import OPEN_STATES, Light, NoticeState, TaskState
from kexie.policy.indicators import TargetStatus, target_status
from kexie.policy.models import (
    IndicatorValue,
    Measure,
    MeasureDepartment,
    Notice,
    ProgressReport,
    Section,
    SupervisionSettings,
    Target,
    Task,
)
from kexie.policy.queries import tasks_visible_to
from kexie.policy.rules import department_ids, sees_all_tasks

# A measure shows the worst light of its tasks. Unlike a single task, a measure is completed only when
# every task is: one unstarted task (grey) outweighs completed ones. Cancelled tasks do not count.
MEASURE_LIGHT_ORDER = {Light.RED: 4, Light.AMBER: 3, Light.GREEN: 2, Light.GREY: 1, Light.DONE: 0}
LIGHTS = (Light.RED, Light.AMBER, Light.GREEN, Light.DONE, Light.GREY)
CHINESE_NUMERALS = "一二三四五六七八九十"
ATTENTION_LIMIT = 12


def section_label(number: int, title: str) -> str:
    """一、助推科技成果转移转化 — how the notice itself numbers its sections."""
    numeral = CHINESE_NUMERALS[number - 1] if 1 <= number <= len(CHINESE_NUMERALS) else str(number)
    return f"{numeral}、{title}"


def measure_light(tasks: list[Task]) -> str:
    counted = [task.light for task in tasks if task.state != TaskState.CANCELLED]
    return max(counted, key=MEASURE_LIGHT_ORDER.__getitem__, default=Light.GREY)


def mean_percent(tasks: list[Task]) -> int:
    counted = [task.percent for task in tasks if task.state != TaskState.CANCELLED]
    return round(sum(counted) / len(counted)) if counted else 0


def confirmed_notices() -> list[Notice]:
    # The source text and the parsed draft can be long; the header and the selector do not show them.
    return list(
        Notice.objects.filter(state=NoticeState.CONFIRMED)
        .defer("source_text", "draft")
        .order_by("-confirmed_at", "-pk")
    )


@dataclass(frozen=True)
class DashboardFilters:
    section: int | None = None
    lead_id: int | None = None
    light: str | None = None

    @property
    def narrows_tasks(self) -> bool:
        return self.lead_id is not None or self.light is not None

    @property
    def active(self) -> bool:
        return self.section is not None or self.narrows_tasks


def scoped_tasks(user, notice: Notice, filters: DashboardFilters | None = None) -> QuerySet[Task]:
    filters = filters or DashboardFilters()
    tasks = tasks_visible_to(user).filter(measure__notice=notice)
    if filters.section is not None:
        tasks = tasks.filter(measure__section__number=filters.section)
    if filters.lead_id is not None:
        tasks = tasks.filter(lead_id=filters.lead_id)
    if filters.light is not None:
        tasks = tasks.filter(light=filters.light)
    return tasks


def lead_choices(user, notice: Notice) -> QuerySet[Organization]:
    """Departments leading a task of the notice that the user sees: the lead-department filter."""
    visible = tasks_visible_to(user).filter(measure__notice=notice).values("lead_id")
    return Organization.objects.filter(pk__in=visible).order_by("sort_order", "name")


def latest_reports(tasks: QuerySet[Task]) -> dict[int, ProgressReport]:
    """Per measure, the newest progress report among `tasks`, in one query (a window function)."""
    reports = (
        ProgressReport.objects.filter(task__in=tasks.values("pk"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("task__measure_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .select_related("task", "organization", "author")
    )
    return {report.task.measure_id: report for report in reports}


def one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class MeasureRow:
    measure: Measure
    tasks: list[Task]
    light: str
    percent: int
    completed: int
    overdue: int
    lead: Organization | None
    departments: list[MeasureDepartment]
    latest: ProgressReport | None
    targets: list[TargetStatus] = field(default_factory=list)

    @property
    def light_label(self) -> str:
        return Light(self.light).label

    @property
    def cooperating(self) -> list[Organization]:
        return [link.organization for link in self.departments if not link.is_lead]

    @property
    def latest_excerpt(self) -> str:
        return one_line(self.latest.text) if self.latest else ""


@dataclass
class SectionGroup:
    section: Section
    rows: list[MeasureRow]

    @property
    def label(self) -> str:
        return section_label(self.section.number, self.section.title)

    @property
    def light(self) -> str:
        return measure_light([task for row in self.rows for task in row.tasks])

    @property
    def light_label(self) -> str:
        return Light(self.light).label

    @property
    def percent(self) -> int:
        return mean_percent([task for row in self.rows for task in row.tasks])


def _is_overdue(task: Task, today: date) -> bool:
    return task.state in OPEN_STATES and task.due_date is not None and task.due_date < today


def _local_date(value) -> date | None:
    return timezone.localtime(value).date() if value else None


def _report_missing(task: Task, today: date, interval: int) -> bool:
    """Under way, not overdue, and silent for longer than the reporting interval (as the light rule)."""
    if task.state != TaskState.IN_PROGRESS or _is_overdue(task, today):
        return False
    since = _local_date(task.last_report_at) or _local_date(task.started_at)
    return since is not None and (today - since).days > interval


def measures_with_links(notice: Notice, *, section: int | None = None) -> list[Measure]:
    measures = (
        Measure.objects.filter(notice=notice)
        .select_related("section")
        .prefetch_related(
            Prefetch("department_links", queryset=MeasureDepartment.objects.select_related("organization"))
        )
    )
    if section is not None:
        measures = measures.filter(section__number=section)
    return list(measures)


def target_statuses(measures: list[Measure]) -> dict[int, list[TargetStatus]]:
    """Per measure id, its targets' statuses (computed or manual), in two queries."""
    targets = Target.objects.filter(measure__in=[m.pk for m in measures]).prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.select_related("recorded_by"))
    )
    result: dict[int, list[TargetStatus]] = defaultdict(list)
    for target in targets:
        result[target.measure_id].append(target_status(target, entries=target.values.all()))
    return result


def measure_rows(
    *,
    measures: list[Measure],
    tasks: list[Task],
    latest: dict[int, ProgressReport],
    targets: dict[int, list[TargetStatus]],
    today: date,
    hide_empty: bool,
) -> list[MeasureRow]:
    by_measure: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        by_measure[task.measure_id].append(task)
    rows = []
    for measure in measures:
        own = by_measure.get(measure.pk, [])
        if hide_empty and not own:
            continue
        links = list(measure.department_links.all())
        rows.append(
            MeasureRow(
                measure=measure,
                tasks=own,
                light=measure_light(own),
                percent=mean_percent(own),
                completed=sum(1 for t in own if t.state == TaskState.COMPLETED),
                overdue=sum(1 for t in own if _is_overdue(t, today)),
                lead=next((link.organization for link in links if link.is_lead), None),
                departments=links,
                latest=latest.get(measure.pk),
                targets=targets.get(measure.pk, []),
            )
        )
    return rows


def group_by_section(rows: list[MeasureRow]) -> list[SectionGroup]:
    groups: dict[int, SectionGroup] = {}
    for row in rows:
        section = row.measure.section
        if section is None:
            continue
        groups.setdefault(section.pk, SectionGroup(section=section, rows=[])).rows.append(row)
    return sorted(groups.values(), key=lambda group: group.section.number)


@dataclass
class ScoreRow:
    organization: Organization
    total: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    report_missing: int = 0
    percent_sum: int = 0

    @property
    def late(self) -> int:
        return self.completed - self.on_time

    @property
    def open_on_track(self) -> int:
        return max(0, self.total - self.completed - self.overdue - self.report_missing)

    @property
    def percent(self) -> int:
        return round(self.percent_sum / self.total) if self.total else 0


def scorecard(
    tasks: list[Task], *, today: date, report_interval_days: int, only: set[int] | None = None
) -> list[ScoreRow]:
    """Per lead department: tasks, completed, completed on time, overdue, report missing.

    Cancelled tasks do not count. `only` keeps the rows of these departments (a department user sees
    its own line, not other departments' lines computed from the tasks it merely cooperates on)."""
    rows: dict[int, ScoreRow] = {}
    for task in tasks:
        if task.state == TaskState.CANCELLED or (only is not None and task.lead_id not in only):
            continue
        row = rows.setdefault(task.lead_id, ScoreRow(organization=task.lead))
        row.total += 1
        row.percent_sum += task.percent
        if task.state == TaskState.COMPLETED:
            row.completed += 1
            done = _local_date(task.completed_at)
            if task.due_date is None or (done is not None and done <= task.due_date):
                row.on_time += 1
        elif _is_overdue(task, today):
            row.overdue += 1
        elif _report_missing(task, today, report_interval_days):
            row.report_missing += 1
    return sorted(rows.values(), key=lambda r: (r.organization.sort_order, r.organization.name))


def counted(tasks):
    """The one counting rule of every figure (tiles, charts, exports by light, the bulletin): a cancelled
    task is withdrawn — it counts only in its own "cancelled" figure."""
    return [task for task in tasks if task.state != TaskState.CANCELLED]


def counted_queryset(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """counted() as a query: the same rule for exports and lists filtered by a figure."""
    return tasks.exclude(state=TaskState.CANCELLED)


def totals(tasks: list[Task], *, today: date) -> dict:
    """Figures that reconcile: ``tasks`` = the sum of ``lights`` = the sum of ``states`` (cancelled
    tasks are reported apart, in ``cancelled``)."""
    cancelled = sum(1 for task in tasks if task.state == TaskState.CANCELLED)
    tasks = counted(tasks)
    states = Counter(task.state for task in tasks)
    lights = Counter(task.light for task in tasks)
    return {
        "tasks": len(tasks),
        "cancelled": cancelled,
        "states": {state: states.get(state, 0) for state in TaskState.values},
        "lights": {light: lights.get(light, 0) for light in Light.values},
        "overdue": sum(1 for task in tasks if _is_overdue(task, today)),
        "awaiting_approval": states.get(TaskState.COMPLETION_REQUESTED, 0),
    }


def attention(tasks: list[Task], *, limit: int = ATTENTION_LIMIT) -> tuple[list[Task], int]:
    """Open red and amber tasks, red first, then by due date: what a leader follows up on."""
    flagged = [t for t in tasks if t.state in OPEN_STATES and t.light in (Light.RED, Light.AMBER)]
    flagged.sort(key=lambda t: (t.light != Light.RED, t.due_date or date.max, t.pk))
    return flagged[:limit], len(flagged)


# --- chart data (plain numbers and translated labels for dashboard.js) ---------------------------------


def lights_chart(groups: list[SectionGroup]) -> dict:
    return {
        "categories": [group.label for group in groups],
        "series": [
            {
                "key": light.value,
                "name": str(light.label),
                "data": [
                    sum(
                        1
                        for row in group.rows
                        for task in row.tasks
                        if task.light == light and task.state != TaskState.CANCELLED
                    )
                    for group in groups
                ],
            }
            for light in LIGHTS
        ],
    }


def progress_chart(rows: list[MeasureRow], urls: dict[int, str]) -> dict:
    return {
        "categories": [str(row.measure.number) for row in rows],
        "titles": [row.measure.title for row in rows],
        "values": [row.percent for row in rows],
        "lights": [row.light for row in rows],
        "urls": [urls.get(row.measure.pk, "") for row in rows],
    }


def scorecard_chart(rows: list[ScoreRow], labels: dict[str, str]) -> dict:
    parts = ("on_time", "late", "open_on_track", "report_missing", "overdue")
    return {
        "categories": [row.organization.display_name for row in rows],
        "series": [
            {"key": part, "name": labels[part], "data": [getattr(row, part) for row in rows]}
            for part in parts
        ],
    }


# --- the whole dashboard -------------------------------------------------------------------------------


@dataclass
class Dashboard:
    notice: Notice
    filters: DashboardFilters
    tasks: list[Task]
    groups: list[SectionGroup]
    rows: list[MeasureRow]
    scorecard: list[ScoreRow]
    totals: dict
    attention: list[Task]
    attention_total: int


def build_dashboard(
    user, notice: Notice, filters: DashboardFilters, *, today: date | None = None
) -> Dashboard:
    today = today or timezone.localdate()
    queryset = scoped_tasks(user, notice, filters)
    tasks = list(queryset.select_related("lead", "measure", "measure__section"))
    measures = measures_with_links(notice, section=filters.section)
    all_scope = sees_all_tasks(user)
    rows = measure_rows(
        measures=measures,
        tasks=tasks,
        latest=latest_reports(queryset),
        targets=target_statuses(measures),
        today=today,
        hide_empty=filters.narrows_tasks or not all_scope,
    )
    config = SupervisionSettings.current()
    flagged, flagged_total = attention(tasks)
    return Dashboard(
        notice=notice,
        filters=filters,
        tasks=tasks,
        groups=group_by_section(rows),
        rows=rows,
        scorecard=scorecard(
            tasks,
            today=today,
            report_interval_days=config.report_interval_days,
            only=None if all_scope else department_ids(user),
        ),
        totals=totals(tasks, today=today),
        attention=flagged,
        attention_total=flagged_total,
    )


def home_summary(user) -> dict | None:
    """For the home page include (templates/policy/_home_summary.html): the current notice's sections
    with each measure's light and progress, from the user's visible tasks. None when the user has no
    part in supervision or no notice is confirmed. Four queries."""
    if not rules.can_view_dashboard(user):
        return None
    notices = Notice.objects.filter(state=NoticeState.CONFIRMED).order_by("-confirmed_at", "-pk")
    notice = notices.first()
    if notice is None:
        return None
    tasks = list(
        tasks_visible_to(user)
        .filter(measure__notice=notice)
        .select_related(None)
        .only("id", "measure_id", "light", "state", "percent", "due_date")
    )
    measures = measures_with_links(notice)
    rows = measure_rows(
        measures=measures,
        tasks=tasks,
        latest={},
        targets={},
        today=timezone.localdate(),
        hide_empty=not sees_all_tasks(user),
    )
    counts = totals(tasks, today=timezone.localdate())["lights"]
    return {
        "notice": notice,
        "groups": group_by_section(rows),
        "lights": [
            (light.value, light.label, counts[light.value]) for light in (Light.RED, Light.AMBER, Light.GREEN)
        ],
    }
