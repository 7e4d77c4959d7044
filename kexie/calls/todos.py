"""Work waiting in calls: reviews for a reviewer, endorsements for a unit or channel, dossiers at the
formal check and objections for call staff."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.calls import queries, rules
from kexie.calls.enums import ObjectionState, ReviewerState, RoundState, SubmissionState
from kexie.calls.models import Reviewer
from kexie.core import todos


@todos.register("calls.reviews", label=_("Reviews waiting"))
def reviews_waiting(user):
    waiting = (
        queries.assignments_of(user).filter(scored_at__isnull=True, round__state=RoundState.SCORING).count()
    )
    invited = Reviewer.objects.filter(expert__user=user, state=ReviewerState.INVITED).count()
    if not waiting and not invited:
        return []
    return [
        todos.TodoItem(
            label=_("Reviews waiting for you"), count=waiting + invited, url=reverse("calls:my_reviews")
        )
    ]


@todos.register("calls.endorsements", label=_("Dossiers to endorse"))
def endorsements_waiting(user):
    if not getattr(user, "is_authenticated", False):
        return []
    from kexie.calls import services

    rows = queries.submissions_visible_to(user).filter(state=SubmissionState.SUBMITTED)[:200]
    n = sum(
        1 for s in rows if services.next_step(s) and rules.can_endorse_step(user, s, services.next_step(s))
    )
    if not n:
        return []
    url = reverse("calls:my_channels") if rules.administers_channels(user) else reverse("calls:index")
    return [todos.TodoItem(label=_("Dossiers waiting for your endorsement"), count=n, url=url)]


@todos.register("calls.formal_check", label=_("Dossiers at the formal check"))
def formal_check_waiting(user):
    if not rules.can_create_call(user):
        return []
    items = []
    calls = queries.managed_calls(user).filter(submissions__state=SubmissionState.ENDORSED).distinct()
    for call in calls[:10]:
        if rules.is_call_staff(user, call):
            n = call.submissions.filter(state=SubmissionState.ENDORSED).count()
            items.append(
                todos.TodoItem(
                    label=_("Dossiers waiting for the formal check"),
                    count=n,
                    url=reverse("calls:check_queue", args=[call.pk]),
                    detail=call.title,
                )
            )
    return items


@todos.register("calls.objections", label=_("Objections to handle"))
def objections_waiting(user):
    if not rules.can_create_call(user):
        return []
    rows = queries.objections_visible_to(user).filter(state=ObjectionState.RECEIVED).exclude(by=user)
    items = []
    for call_id in sorted(set(rows.values_list("submission__call_id", flat=True)))[:10]:
        n = rows.filter(submission__call_id=call_id).count()
        items.append(
            todos.TodoItem(
                label=_("Objections to handle"),
                count=n,
                urgent=True,
                url=reverse("calls:call_manage", args=[call_id]),
            )
        )
    return items
