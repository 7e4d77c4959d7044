"""Reminders (催办): by hand and the periodic job for red and amber tasks."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.policy import notifications as events
from kexie.policy import rules
from kexie.policy import tasks as jobs
from kexie.policy.enums import (
    OPEN_STATES,
    Light,
)
from kexie.policy.models import (
    Reminder,
    SupervisionSettings,
    Task,
)
from kexie.policy.services.notifications import notify_department
from kexie.policy.services.tasks import fresh_task


@transaction.atomic
def send_reminder(*, task: Task, by=None, message: str = "", automatic: bool = False) -> Reminder:
    """催办: an in-app notification to the lead department's members, and an e-mail after commit."""
    task = fresh_task(task)
    if not automatic and not rules.can_remind(by):
        raise PermissionDenied
    if task.state not in OPEN_STATES:
        raise ValidationError(_("Only an open task can be reminded."))
    text = message.strip() or _("Please report the progress of “%(task)s” (due %(due)s).") % {
        "task": task.title,
        "due": task.due_date.isoformat() if task.due_date else _("no due date"),
    }
    reminder = Reminder.objects.create(task=task, message=text, sent_by=by, automatic=automatic)
    Task.objects.filter(pk=task.pk).update(last_reminded_at=reminder.sent_at)
    notify_department(
        task, _("Reminder: %(task)s") % {"task": task.title}, body=text, event=events.TASK_REMINDER
    )
    record_event(
        reminder,
        "policy.task.remind",
        actor=by,
        actor_name="system",
        organization_id=task.lead_id,
        after={"task": task.pk, "automatic": automatic},
    )
    transaction.on_commit(lambda: jobs.mail_reminder(reminder.pk))
    return reminder


def send_due_reminders(*, today: date | None = None) -> int:
    """Remind the lead department of red and amber tasks not reminded within the configured interval."""
    today = today or timezone.localdate()
    config = SupervisionSettings.current()
    cutoff = timezone.now() - timedelta(days=config.reminder_interval_days)
    due = Task.objects.filter(state__in=OPEN_STATES, light__in=[Light.RED, Light.AMBER]).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=cutoff)
    )
    count = 0
    for task in due.select_related("lead"):
        send_reminder(task=task, automatic=True)
        count += 1
    return count
