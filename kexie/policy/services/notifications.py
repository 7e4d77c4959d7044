"""Who hears about a task: the lead department's members and the leaders (kexie.core.notifications)."""

from __future__ import annotations

from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.accounts.models import Membership
from kexie.core import notifications
from kexie.policy import notifications as events
from kexie.policy.models import (
    Task,
)


def department_members(task: Task):
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=task.lead_id,
            is_active=True,
            user__is_active=True,
            role__in=[Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.DISTRICT_STAFF, Role.SOCIETY_STAFF],
        ).select_related("user")
    ]


def notify_department(task: Task, title: str, body: str = "", *, event=events.TASK_ASSIGNED) -> None:
    url = reverse("policy:task_detail", args=[task.pk])
    notifications.send(event, users=department_members(task), title=title, body=body, url=url)


def notify_leaders(task: Task, title: str, *, event=events.COMPLETION_REQUESTED) -> None:
    url = reverse("policy:task_detail", args=[task.pk])
    leaders = Membership.objects.filter(
        role=Role.LEADER, is_active=True, user__is_active=True
    ).select_related("user")
    notifications.send(event, users=[m.user for m in leaders], title=title, url=url)
