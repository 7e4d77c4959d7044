"""Work waiting in the supervision ledger (kexie.core.todos): approvals, overdue and unstarted tasks."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.policy import rules
from kexie.policy.enums import OPEN_STATES, CaseState, ChangeState, Light, TaskState
from kexie.policy.models import ChangeRequest
from kexie.policy.queries import cases_visible_to, tasks_visible_to


def _tasks_url(**params) -> str:
    return f"{reverse('policy:task_list')}?{urlencode(params)}"


@todos.register("policy.approvals", label=_("Approvals"), order=10)
def approvals(user):
    if not rules.can_decide(user):
        return []
    url = reverse("policy:approvals")
    completion = tasks_visible_to(user).filter(state=TaskState.COMPLETION_REQUESTED).count()
    changes = ChangeRequest.objects.filter(state=ChangeState.PENDING).count()
    cases = cases_visible_to(user).filter(state=CaseState.SUBMITTED).count()
    return [
        todos.TodoItem(label=_("Completion requests to approve (销号)"), count=completion, url=url),
        todos.TodoItem(label=_("Change requests to decide"), count=changes, url=url),
        todos.TodoItem(label=_("Typical cases to publish"), count=cases, url=reverse("policy:case_list")),
    ]


@todos.register("policy.my_tasks", label=_("My tasks"), order=20)
def my_tasks(user):
    """A department's (or district's) own led tasks that need it: overdue, due soon, not started."""
    mine = rules.department_ids(user)
    if not mine:
        return []
    led = tasks_visible_to(user).filter(lead_id__in=mine, state__in=OPEN_STATES)
    counts = {
        "red": led.filter(light=Light.RED).count(),
        "amber": led.filter(light=Light.AMBER).count(),
        "draft": led.filter(state=TaskState.DRAFT).count(),
    }
    return [
        todos.TodoItem(
            label=_("Overdue or silent tasks (red)"),
            count=counts["red"],
            url=_tasks_url(light="red"),
            urgent=True,
        ),
        todos.TodoItem(
            label=_("Tasks due soon (amber)"),
            count=counts["amber"],
            url=_tasks_url(light="amber"),
            urgent=True,
        ),
        todos.TodoItem(
            label=_("Tasks not started yet"), count=counts["draft"], url=_tasks_url(state="draft")
        ),
    ]


@todos.register("policy.follow_up", label=_("Tasks to follow up"), order=30)
def follow_up(user):
    """Supervisors follow every red task."""
    if not rules.can_remind(user) or rules.can_decide(user):
        return []
    red = tasks_visible_to(user).filter(Q(light=Light.RED), state__in=OPEN_STATES).count()
    return [
        todos.TodoItem(
            label=_("Red tasks to follow up (催办)"), count=red, url=_tasks_url(light="red"), urgent=True
        )
    ]
