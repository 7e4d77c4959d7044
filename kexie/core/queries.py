"""Reads of the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kexie.core.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    success: bool | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if success is not None:
        events = events.filter(success=success)
    tz = timezone.get_current_timezone()
    if since:
        events = events.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        events = events.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return events.order_by("-seq")


def rows_in_rank_order(queryset: QuerySet, hits: Iterable[Any]) -> list:
    """The rows of ``queryset`` among ``hits`` in the hits' order (a search ranking), in one query.

    ``hits`` are search hits (with a string ``id``, and ``snippet_html`` which is copied onto the row)
    or plain primary keys. A hit whose row the queryset does not hold — not visible to the reader,
    deleted since it was indexed — is left out, so pass a ``*_visible_to(user)`` queryset."""
    order: list[int] = []
    snippets: dict[int, str] = {}
    for hit in hits:
        key = getattr(hit, "id", hit)
        if isinstance(key, str):
            if not key.isdigit():
                continue
            key = int(key)
        order.append(key)
        if hasattr(hit, "snippet_html"):
            snippets[key] = hit.snippet_html
    rows = {row.pk: row for row in queryset.filter(pk__in=order)}
    found = [rows[pk] for pk in order if pk in rows]
    for row in found:
        if row.pk in snippets:
            row.snippet_html = snippets[row.pk]
    return found
