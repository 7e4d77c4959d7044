"""Who hears about a task: the lead department's members and the leaders."""

from __future__ import annotations

from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.accounts.models import Membership
from kexie.core.services import notify
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


def notify_department(task: Task, title: str, body: str = "") -> None:
    url = reverse("policy:task_detail", args=[task.pk])
    for user in {u.pk: u for u in department_members(task)}.values():
        notify(user=user, title=title, body=body, url=url)


def notify_leaders(task: Task, title: str) -> None:
    url = reverse("policy:task_detail", args=[task.pk])
    leaders = Membership.objects.filter(
        role=Role.LEADER, is_active=True, user__is_active=True
    ).select_related("user")
    for user in {m.user.pk: m.user for m in leaders}.values():
        notify(user=user, title=title, url=url)
