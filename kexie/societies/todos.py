"""What waits for a user in the societies app (我的待办)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.societies import queries, rules
from kexie.societies.enums import EventState, FoundingState, InspectionState


@todos.register("societies.staff_reviews", label=_("Society reviews"))
def staff_reviews(user):
    if not rules.is_manager(user):
        return []
    items = [
        todos.TodoItem(
            label=_("Yearly reports waiting for review"),
            count=queries.inspections_visible_to(user).filter(state=InspectionState.SUBMITTED).count(),
            url=reverse("societies:inspection_list") + "?state=submitted",
        ),
        todos.TodoItem(
            label=_("Event applications waiting for review"),
            count=queries.events_visible_to(user).filter(state=EventState.APPLIED).count(),
            url=reverse("societies:event_list") + "?state=applied",
        ),
        todos.TodoItem(
            label=_("Requests to found a society waiting for review"),
            count=queries.founding_requests_visible_to(user).filter(state=FoundingState.SUBMITTED).count(),
            url=reverse("societies:founding_list"),
        ),
    ]
    return items


@todos.register("societies.secretary", label=_("Your society"))
def secretary_work(user):
    if not rules.is_secretary(user):
        return []
    year = timezone.localdate().year - 1
    own = queries.own_societies(user)
    missing = own.exclude(
        inspections__year=year,
        inspections__state__in=[InspectionState.SUBMITTED, InspectionState.APPROVED],
    ).count()
    returned = queries.inspections_visible_to(user).filter(state=InspectionState.RETURNED).count()
    reports_due = (
        queries.events_visible_to(user)
        .filter(society__in=own, state=EventState.APPROVED, ends_on__lt=timezone.localdate())
        .count()
    )
    return [
        todos.TodoItem(
            label=_("Yearly report of %(year)s to submit") % {"year": year},
            count=missing + returned,
            url=reverse("societies:home"),
            urgent=returned > 0,
        ),
        todos.TodoItem(
            label=_("Post-event reports to file"),
            count=reports_due,
            url=reverse("societies:event_list") + "?state=approved",
        ),
    ]
