"""Background jobs of core: anchoring the audit chain's head outside the database, and the e-mail beside
an in-app notification."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kexie.core.models import Notification
from kexie.core.services import anchor_audit_head

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="7"))
def anchor_audit_job() -> int:
    """Every hour, append the signed head of the audit chain to the anchor file."""
    return anchor_audit_head()["seq"]


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url if getattr(settings, "SITE_URL", "") else url


@db_task(retries=2, retry_delay=60)
def mail_notifications(ids: list[int]) -> int:
    """Send each notification not yet e-mailed to its user's address; mark it sent."""
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user"):
        if not note.user.email:
            continue
        lines = [note.body] if note.body else []
        if note.url:
            lines.append(_("Open: %(url)s") % {"url": absolute(note.url)})
        lines.append(_("You can choose which messages come by e-mail under Notifications → E-mail settings."))
        send_mail(
            subject=note.title,
            message="\n\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[note.user.email],
            fail_silently=False,
        )
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
