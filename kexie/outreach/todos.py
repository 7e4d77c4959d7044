"""Waiting work of outreach for the home page (我的待办)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.outreach import queries, rules
from kexie.outreach.enums import ActivityState


@todos.register("outreach.hours_to_confirm", label=_("Volunteer hours to confirm"))
def hours_to_confirm(user):
    if not rules.can_register_activities(user):
        return []
    n = queries.hours_to_confirm(user).count()
    return [
        todos.TodoItem(label=_("Volunteer hours to confirm"), count=n, url=reverse("outreach:activity_list"))
    ]


@todos.register("outreach.bulletins_unread", label=_("Emergency bulletins to read"), order=10)
def bulletins_unread(user):
    if not rules.staff_organization_ids(user):
        return []
    n = queries.unread_deliveries_for(user).count()
    return [
        todos.TodoItem(
            label=_("Emergency bulletins to read"),
            count=n,
            url=reverse("outreach:bulletin_list"),
            urgent=True,
        )
    ]


@todos.register("outreach.activities_to_report", label=_("Activities to report"))
def activities_to_report(user):
    if not (rules.is_district_staff(user) or rules.is_venue_staff(user)):
        return []
    n = (
        queries.activities_managed_by(user)
        .filter(state=ActivityState.REGISTERED, ends_at__lt=timezone.now())
        .count()
    )
    url = reverse("outreach:activity_list") + "?state=registered"
    return [todos.TodoItem(label=_("Activities over and not yet reported"), count=n, url=url)]


@todos.register("outreach.drafts_to_publish", label=_("Activity drafts to publish"))
def drafts_to_publish(user):
    """Drafts of activities that have not started yet: nobody can sign up until they are published."""
    if not rules.can_register_activities(user):
        return []
    n = (
        queries.activities_managed_by(user)
        .filter(state=ActivityState.DRAFT, starts_at__gt=timezone.now())
        .count()
    )
    url = reverse("outreach:activity_list") + "?state=draft"
    return [todos.TodoItem(label=_("Activity drafts to publish"), count=n, url=url)]
