"""The supervision ledger's notification events (kexie.core.notifications)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import notifications

TASK_ASSIGNED = notifications.register(
    "policy.task_assigned",
    kind=notifications.ASSIGNED,
    label=_("A task was assigned to my department"),
    order=10,
)
COMPLETION_REQUESTED = notifications.register(
    "policy.completion_requested",
    kind=notifications.SUBMITTED,
    label=_("A department requested completion of a task (销号)"),
    order=11,
)
TASK_APPROVED = notifications.register(
    "policy.task_approved",
    kind=notifications.APPROVED,
    label=_("A task of my department was approved"),
    order=12,
)
TASK_RETURNED = notifications.register(
    "policy.task_returned",
    kind=notifications.RETURNED,
    label=_("A task of my department was returned"),
    order=13,
)
CHANGE_REQUESTED = notifications.register(
    "policy.change_requested",
    kind=notifications.SUBMITTED,
    label=_("A change of a task was requested"),
    order=14,
)
CHANGE_DECIDED = notifications.register(
    "policy.change_decided",
    kind=notifications.APPROVED,
    label=_("A change request of my department was decided"),
    order=15,
)
TASK_DUE_SOON = notifications.register(
    "policy.task_due_soon",
    kind=notifications.DUE_SOON,
    label=_("A task of my department is due soon"),
    order=16,
)
# Reminders (催办) already send their own e-mail (policy.tasks.mail_reminder): in-app by default.
TASK_REMINDER = notifications.register(
    "policy.task_reminder",
    kind=notifications.DUE_SOON,
    label=_("A reminder (催办) about a task of my department"),
    default_email=False,
    order=17,
)
