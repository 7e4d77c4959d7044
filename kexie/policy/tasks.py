"""Background jobs of the supervision ledger: they take ids, re-fetch, and call a service."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kexie.accounts.enums import Role
from kexie.accounts.models import Membership
from kexie.policy import services
from kexie.policy.models import Reminder


@db_task()
def mail_reminder(reminder_id: int) -> int:
    """E-mail a reminder to the lead department's members who have an address. Idempotent enough: a
    retried job may send the same reminder twice, never a wrong one."""
    reminder = Reminder.objects.select_related("task", "task__lead").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    recipients = sorted(
        {
            m.user.email
            for m in Membership.objects.filter(
                organization_id=reminder.task.lead_id,
                is_active=True,
                user__is_active=True,
                role__in=[
                    Role.DEPARTMENT_HEAD,
                    Role.DEPARTMENT_STAFF,
                    Role.DISTRICT_STAFF,
                    Role.SOCIETY_STAFF,
                ],
            ).select_related("user")
            if m.user.email
        }
    )
    if not recipients:
        return 0
    send_mail(
        subject=_("Reminder: %(task)s") % {"task": reminder.task.title},
        message=reminder.message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@db_task()
def recognise_notice_scan(scan_id: int) -> int | None:
    """Text recognition of a scanned notice, page by page, then its draft (issue 18)."""
    from kexie.policy.notices.scans import run_scan

    return run_scan(scan_id)


# Hourly at minute 5: lights follow the calendar (a due date passes at midnight) as well as changes.
@db_periodic_task(crontab(minute="5"))
def refresh_lights_job() -> dict:
    return services.refresh_lights()


# Every working day at 09:00 Asia/Shanghai: remind red and amber tasks not reminded recently.
@db_periodic_task(crontab(minute="0", hour="9", day_of_week="1-5"))
def send_due_reminders_job() -> int:
    return services.send_due_reminders()
