"""Permission-scoped reads of the think tank and its access rules (kexie.core.access)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.policy.enums import TaskSource
from kexie.policy.models import Task
from kexie.thinktank import rules
from kexie.thinktank.enums import Access, BriefState, GuideState, QuestionState
from kexie.thinktank.models import (
    Brief,
    Event,
    Project,
    Question,
    ResearchBase,
    Result,
    TopicGuide,
    WorkerSurvey,
)

# The 督办 task of a 批示 names its brief in words (the ledger shows source_ref to people).
BRIEF_TASK_REF = "《院士专家建议》稿件 {pk}"


# --- network ----------------------------------------------------------------------------------------


def bases_visible_to(user) -> QuerySet[ResearchBase]:
    """The network is public (a page of the portal)."""
    return ResearchBase.objects.annotate(member_count=Count("members", distinct=True))


def access_base(user, pk) -> ResearchBase:
    return access(bases_visible_to(user), pk)


# --- questions --------------------------------------------------------------------------------------


def questions_visible_to(user) -> QuerySet[Question]:
    questions = Question.objects.select_related("proposer_organization", "created_by", "merged_into")
    if rules.can_oversee(user):
        return questions
    if rules.is_signed_in(user):
        return questions.filter(created_by=user)
    return questions.none()


def access_question(user, pk) -> Question:
    return access(questions_visible_to(user), pk)


def open_questions() -> QuerySet[Question]:
    """Questions a guide may take: not merged, not declined."""
    return Question.objects.filter(state__in=(QuestionState.SUBMITTED, QuestionState.ACCEPTED))


# --- guides -------------------------------------------------------------------------------------------


def guides_visible_to(user) -> QuerySet[TopicGuide]:
    if rules.can_oversee(user):
        return TopicGuide.objects.all()
    return TopicGuide.objects.filter(state=GuideState.PUBLISHED)


def access_guide(user, pk) -> TopicGuide:
    return access(guides_visible_to(user), pk)


# --- projects -----------------------------------------------------------------------------------------


def projects_visible_to(user) -> QuerySet[Project]:
    projects = Project.objects.select_related("topic", "owner")
    if rules.can_view_internal(user):
        return projects
    if rules.is_signed_in(user):
        return projects.filter(owner=user)
    return projects.none()


def access_project(user, pk) -> Project:
    return access(projects_visible_to(user), pk)


# --- results ---------------------------------------------------------------------------------------------


def public_results() -> QuerySet[Result]:
    return Result.objects.select_related("project").filter(access=Access.PUBLIC)


def column_results() -> QuerySet[Result]:
    """The public column (智库专栏): public results put there, newest first."""
    return public_results().filter(column_published_at__isnull=False).order_by("-column_published_at", "-pk")


def results_visible_to(user) -> QuerySet[Result]:
    """Staff see the library; a project's account also its own deliverables; everyone the public ones."""
    if rules.can_view_internal(user):
        return Result.objects.select_related("project")
    if rules.is_signed_in(user):
        return Result.objects.select_related("project").filter(
            Q(access=Access.PUBLIC) | Q(project__owner=user)
        )
    return public_results()


def access_result(user, pk) -> Result:
    return access(results_visible_to(user), pk)


# --- briefs -----------------------------------------------------------------------------------------------


def briefs_visible_to(user) -> QuerySet[Brief]:
    briefs = Brief.objects.select_related("result")
    if rules.can_oversee(user) or rules.is_editor(user):
        return briefs
    if rules.can_view_internal(user):
        return briefs.filter(state=BriefState.ISSUED)
    return briefs.none()


def access_brief(user, pk) -> Brief:
    return access(briefs_visible_to(user), pk)


def brief_tasks(brief: Brief) -> QuerySet[Task]:
    """The 督办 tasks created from this brief's feedback, with their lights."""
    return (
        Task.objects.filter(source=TaskSource.BRIEF, source_ref=BRIEF_TASK_REF.format(pk=brief.pk))
        .select_related("lead")
        .order_by("pk")
    )


def briefs_with_counts(queryset: QuerySet[Brief]) -> QuerySet[Brief]:
    return queryset.annotate(
        instruction_count=Count("feedback", filter=Q(feedback__kind="instruction"), distinct=True),
        feedback_count=Count("feedback", distinct=True),
    ).order_by("-year", "-number", "-created_at", "-pk")


# --- events, survey -----------------------------------------------------------------------------------------


def events_visible_to(user) -> QuerySet[Event]:
    """Meetings and their viewpoints are public (dissemination)."""
    return Event.objects.annotate(viewpoint_count=Count("viewpoints"))


def access_event(user, pk) -> Event:
    return access(events_visible_to(user), pk)


def worker_surveys() -> QuerySet[WorkerSurvey]:
    return WorkerSurvey.objects.select_related("survey").prefetch_related("figures")


access_rules.register("thinktank.question", visible=questions_visible_to, access=access_question)
access_rules.register(
    "thinktank.project", visible=projects_visible_to, access=access_project, can_view=rules.can_view_project
)
access_rules.register(
    "thinktank.result", visible=results_visible_to, access=access_result, can_view=rules.can_view_result
)
access_rules.register(
    "thinktank.brief", visible=briefs_visible_to, access=access_brief, can_view=rules.can_view_brief
)


# --- statistics ---------------------------------------------------------------------------------------------


def brief_statistics(*, year: int | None = None) -> dict:
    """Briefs issued, how many got a 批示 (rate), adoptions, and the mean days from issue to the first
    批示 — over the issued briefs of ``year`` (all years when None)."""
    issued = Brief.objects.filter(state=BriefState.ISSUED)
    if year is not None:
        issued = issued.filter(year=year)
    issued = list(issued.prefetch_related("feedback"))
    with_instruction, adopted, days = 0, 0, []
    for brief in issued:
        instructions = [f for f in brief.feedback.all() if f.kind == "instruction"]
        if instructions:
            with_instruction += 1
            first = min(f.given_on for f in instructions)
            days.append((first - brief.issued_at.date()).days)
        adopted += sum(1 for f in brief.feedback.all() if f.kind == "adoption")
    tasks = Task.objects.filter(source=TaskSource.BRIEF)
    if year is not None:
        tasks = tasks.filter(source_ref__in=[BRIEF_TASK_REF.format(pk=b.pk) for b in issued])
    task_counts = tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(state="completed")))
    return {
        "issued": len(issued),
        "with_instruction": with_instruction,
        "instruction_rate": round(100 * with_instruction / len(issued), 1) if issued else None,
        "adoptions": adopted,
        "mean_days_to_instruction": round(sum(days) / len(days), 1) if days else None,
        "tasks": task_counts["total"],
        "tasks_done": task_counts["done"],
    }
