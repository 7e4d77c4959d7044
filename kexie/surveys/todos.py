"""Work waiting in rapid surveys (kexie.core.todos): invitation codes running out."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.surveys import rules
from kexie.surveys.enums import SurveyState
from kexie.surveys.models import InvitationBatch
from kexie.surveys.queries import surveys_visible_to

# A batch runs out when fewer than this share of its codes is left unused.
RUNNING_OUT = 0.1


@todos.register("surveys.codes", label=_("Invitation codes running out"), order=70)
def codes_running_out(user):
    if not rules.can_create_survey(user):
        return []
    surveys = [
        s
        for s in surveys_visible_to(user).filter(state=SurveyState.PUBLISHED)
        if rules.can_manage_survey(user, s)
    ]
    if not surveys:
        return []
    batches = (
        InvitationBatch.objects.filter(survey__in=surveys)
        .annotate(unused=Count("invitations", filter=Q(invitations__used_at__isnull=True)))
        .filter(unused__lt=F("quota") * RUNNING_OUT)
        .select_related("survey")
    )
    by_survey = {}
    for batch in batches:
        by_survey.setdefault(batch.survey, 0)
        by_survey[batch.survey] += 1
    return [
        todos.TodoItem(
            label=_("“%(survey)s”: invitation codes running out") % {"survey": survey.title},
            count=count,
            url=reverse("surveys:distribution", args=[survey.pk]),
            urgent=True,
        )
        for survey, count in by_survey.items()
    ]
