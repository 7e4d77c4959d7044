"""Indicators of measures 13–16 computed from the think tank's live data (registered with policy)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kexie.policy.enums import TaskSource, TaskState
from kexie.policy.indicators import IndicatorReading, register
from kexie.policy.models import Task
from kexie.surveys.models import Response
from kexie.thinktank.enums import Access, BaseKind, FeedbackKind, ProjectState
from kexie.thinktank.models import (
    Brief,
    Feedback,
    GuideTopic,
    Project,
    Question,
    ResearchBase,
    Result,
    WorkerSurvey,
)


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _end_of(day: date):
    return timezone.make_aware(datetime.combine(day, time.max))


# --- measure 13 ---------------------------------------------------------------------------------------


@register(
    "thinktank.network",
    label=gettext_lazy("Think-tank network"),
    unit=pgettext_lazy("unit", "research bases"),
    measures=[13],
    description=gettext_lazy("Research bases in the flexible think-tank network, by kind."),
)
def network(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = (
        ResearchBase.objects.filter(created_at__lte=_end_of(day))
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    labels = dict(BaseKind.choices)
    breakdown = [(str(labels[row["kind"]]), row["n"]) for row in rows]
    return IndicatorReading(
        value=sum(n for _label, n in breakdown),
        as_of=day,
        explanation=_("Counted from the network registry."),
        breakdown=breakdown,
    )


@register(
    "thinktank.network_members",
    label=gettext_lazy("Experts in the network"),
    unit=gettext_lazy("experts"),
    measures=[13],
)
def network_members(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = (
        ResearchBase.members.through.objects.filter(researchbase__created_at__lte=_end_of(day))
        .values("expert_id")
        .distinct()
        .count()
    )
    platforms = ResearchBase.objects.filter(
        kind=BaseKind.DISTRICT_PLATFORM, created_at__lte=_end_of(day)
    ).count()
    return IndicatorReading(
        value=count,
        as_of=day,
        explanation=_("Distinct experts of the expert library who are members of a base."),
        breakdown=[(_("District platforms"), platforms)],
    )


# --- measure 14 ---------------------------------------------------------------------------------------


@register(
    "thinktank.topics_published",
    label=gettext_lazy("Topics published in guides"),
    unit=gettext_lazy("topics"),
    measures=[14],
)
def topics_published(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = GuideTopic.objects.filter(guide__published_at__lte=_end_of(day)).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Topics of the published topic guides."))


@register(
    "thinktank.projects_completed",
    label=gettext_lazy("Think-tank projects completed"),
    unit=gettext_lazy("projects"),
    measures=[14],
    description=gettext_lazy(
        "Topic projects, third-party evaluations and consultations that passed final review."
    ),
)
def projects_completed(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    done = Project.objects.filter(state=ProjectState.COMPLETED, completed_at__lte=_end_of(day))
    rows = done.values("kind").annotate(n=Count("pk")).order_by("kind")
    labels = dict(Project._meta.get_field("kind").choices)
    return IndicatorReading(
        value=done.count(),
        as_of=day,
        explanation=_("Projects that passed their final review."),
        breakdown=[(str(labels[row["kind"]]), row["n"]) for row in rows],
    )


@register(
    "thinktank.briefs_issued",
    label=gettext_lazy("Briefs issued"),
    unit=gettext_lazy("issues"),
    measures=[14],
    description=gettext_lazy("Issues of 《院士专家建议》 sent to the city's leaders."),
)
def briefs_issued(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = Brief.objects.filter(issued_at__lte=_end_of(day)).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Counted from the issued briefs."))


@register(
    "thinktank.instructions",
    label=gettext_lazy("Leaders' instructions on briefs"),
    unit=gettext_lazy("instructions"),
    measures=[14, 16],
)
def instructions(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    feedback = Feedback.objects.filter(kind=FeedbackKind.INSTRUCTION, given_on__lte=day)
    issued = Brief.objects.filter(issued_at__lte=_end_of(day)).count()
    with_instruction = feedback.values("brief_id").distinct().count()
    rate = round(100 * with_instruction / issued, 1) if issued else 0
    return IndicatorReading(
        value=feedback.count(),
        as_of=day,
        explanation=_("Instructions recorded on issued briefs."),
        breakdown=[(_("Briefs with an instruction (%)"), rate)],
    )


@register(
    "thinktank.brief_tasks",
    label=gettext_lazy("Supervised tasks from briefs completed"),
    unit=gettext_lazy("tasks"),
    measures=[14, 16],
    description=gettext_lazy(
        "Supervised tasks created from leaders' instructions on briefs, and how many are completed."
    ),
)
def brief_tasks(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    tasks = Task.objects.filter(source=TaskSource.BRIEF, created_at__lte=_end_of(day))
    counts = tasks.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=TaskState.COMPLETED, completed_at__lte=_end_of(day))),
    )
    return IndicatorReading(
        value=counts["done"],
        as_of=day,
        explanation=_("Completed of %(total)s tasks created from instructions.") % {"total": counts["total"]},
        breakdown=[(_("Created"), counts["total"]), (_("Completed"), counts["done"])],
    )


# --- measure 15 -----------------------------------------------------------------------------------------


@register(
    "thinktank.dissemination",
    label=gettext_lazy("Results disseminated"),
    unit=gettext_lazy("results"),
    measures=[15],
    description=gettext_lazy("Public results, those in the think-tank column, and recommendations to CAST."),
)
def dissemination(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    public = Result.objects.filter(access=Access.PUBLIC, created_at__lte=_end_of(day)).count()
    column = Result.objects.filter(access=Access.PUBLIC, column_published_at__lte=_end_of(day)).count()
    recommended = (
        Result.objects.filter(recommended_to_cast_on__lte=day).count()
        + Brief.objects.filter(recommended_to_cast_on__lte=day).count()
    )
    return IndicatorReading(
        value=column,
        as_of=day,
        explanation=_("Results in the public think-tank column."),
        breakdown=[
            (_("Public results"), public),
            (_("In the column"), column),
            (_("Recommended to CAST"), recommended),
        ],
    )


# --- measure 16 -----------------------------------------------------------------------------------------


@register(
    "thinktank.questions",
    label=gettext_lazy("Questions collected"),
    unit=gettext_lazy("questions"),
    measures=[16],
    description=gettext_lazy(
        "Research questions proposed to the question bank (merged duplicates included)."
    ),
)
def questions(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = Question.objects.filter(created_at__lte=_end_of(day)).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Counted from the question bank."))


@register(
    "thinktank.feedback",
    label=gettext_lazy("Decision-maker feedback records"),
    unit=gettext_lazy("records"),
    measures=[16],
)
def feedback_records(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = Feedback.objects.filter(given_on__lte=day).values("kind").annotate(n=Count("pk")).order_by("kind")
    labels = dict(FeedbackKind.choices)
    breakdown = [(str(labels[row["kind"]]), row["n"]) for row in rows]
    return IndicatorReading(
        value=sum(n for _label, n in breakdown),
        as_of=day,
        explanation=_("Instructions, adoptions and transfers."),
        breakdown=breakdown,
    )


@register(
    "thinktank.worker_survey",
    label=gettext_lazy("Survey of science and technology workers"),
    unit=gettext_lazy("responses"),
    measures=[16],
    description=gettext_lazy("Responses to the latest yearly survey, with its headline figures."),
)
def worker_survey(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    latest = (
        WorkerSurvey.objects.filter(year__lte=day.year)
        .select_related("survey")
        .prefetch_related("figures")
        .first()
    )
    if latest is None:
        return IndicatorReading(value=None, as_of=day, explanation=_("No yearly survey is linked yet."))
    responses = (
        Response.objects.filter(survey=latest.survey, submitted_at__lte=_end_of(day)).count()
        if latest.survey
        else 0
    )
    return IndicatorReading(
        value=responses,
        as_of=day,
        explanation=_("Responses to the %(year)s survey; its headline figures below.")
        % {"year": latest.year},
        breakdown=[
            (f"{figure.label}（{figure.unit}）" if figure.unit else figure.label, figure.value)
            for figure in latest.figures.all()
        ],
    )
