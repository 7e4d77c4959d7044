"""Work waiting in 一书一赛一测评 (kexie.core.todos): questions to review, today's contest."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kexie.accounts.queries import is_staff_member
from kexie.core import todos
from kexie.literacy import queries, rules
from kexie.literacy.enums import ReviewState
from kexie.literacy.models import AssessmentAttempt, ContestAttempt, Question


@todos.register("literacy.review", label=_("Questions to review"), order=60)
def questions_to_review(user):
    if not rules.can_manage_questions(user):
        return []
    count = Question.objects.filter(state=ReviewState.DRAFT).exclude(created_by=user).count()
    url = f"{reverse('literacy:question_list')}?{urlencode({'state': ReviewState.DRAFT})}"
    return [
        todos.TodoItem(
            label=_("Questions written by colleagues waiting for your review"), count=count, url=url
        )
    ]


@todos.register("literacy.citizen", label=_("Today's contest and assessments"), order=61)
def citizen_today(user):
    if not getattr(user, "is_authenticated", False) or is_staff_member(user):
        return []
    today = timezone.localdate()
    items = []
    played = set(ContestAttempt.objects.filter(user=user, day=today).values_list("contest_id", flat=True))
    for contest in queries.running_contests(on=today):
        if contest.pk not in played:
            items.append(
                todos.TodoItem(
                    label=_("Today's round of “%(contest)s” is waiting for you") % {"contest": contest.title},
                    count=1,
                    url=reverse("literacy:contest_detail", args=[contest.pk]),
                )
            )
    taken = set(AssessmentAttempt.objects.filter(user=user).values_list("assessment_id", flat=True))
    open_papers = [
        a for a in queries.open_assessments() if a.pk not in taken and rules.can_take_assessment(user, a)
    ]
    if open_papers:
        items.append(
            todos.TodoItem(
                label=_("Assessments you have not taken"),
                count=len(open_papers),
                url=reverse("literacy:assessment", args=[open_papers[0].pk]),
            )
        )
    return items
