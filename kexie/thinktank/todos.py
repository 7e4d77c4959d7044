"""Think-tank work waiting for a user (我的待办): new questions, briefs to review, sign or issue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.thinktank import rules
from kexie.thinktank.enums import BriefState, QuestionState
from kexie.thinktank.models import Brief, Question


@todos.register("thinktank.questions_to_curate", label=_("Questions to curate"))
def questions_to_curate(user):
    if not rules.can_curate_questions(user):
        return []
    n = Question.objects.filter(state=QuestionState.SUBMITTED).count()
    url = reverse("thinktank:question_list") + "?state=submitted"
    return [todos.TodoItem(label=_("Research questions waiting for curation"), count=n, url=url)]


@todos.register("thinktank.briefs_waiting", label=_("Briefs waiting for you"))
def briefs_waiting(user):
    items = []
    url = reverse("thinktank:brief_list")
    if rules.is_editor(user):
        n = Brief.objects.filter(state=BriefState.IN_REVIEW).count()
        items.append(
            todos.TodoItem(label=_("Briefs waiting for editor review"), count=n, url=url + "?state=in_review")
        )
    if rules.is_leader(user):
        n = Brief.objects.filter(state=BriefState.AWAITING_SIGNOFF).count()
        items.append(
            todos.TodoItem(
                label=_("Briefs waiting for your sign-off"),
                count=n,
                url=url + "?state=awaiting_signoff",
                urgent=True,
            )
        )
    if rules.can_manage(user):
        n = Brief.objects.filter(state=BriefState.SIGNED).count()
        items.append(todos.TodoItem(label=_("Signed briefs to issue"), count=n, url=url + "?state=signed"))
    return items
