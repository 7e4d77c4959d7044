"""Reads of the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from kexie.core.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    actor_ids: Iterable[int] = (),
    object_type: str = "",
    success: bool | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        # The login as recorded, or the person's name (the caller resolves names to ``actor_ids``).
        events = events.filter(Q(actor_name__icontains=actor) | Q(actor_id__in=list(actor_ids)))
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


def with_actor_names(events):
    """Each event with ``actor_display`` (the person's name, else the name recorded) and ``label`` (the
    action in words, kexie.core.audit_labels), in one query for the names."""
    from django.contrib.auth import get_user_model

    from kexie.core.audit_labels import label_for

    events = list(events)
    ids = {e.actor_id for e in events if e.actor_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)} if ids else {}
    for event in events:
        user = users.get(event.actor_id)
        name = getattr(user, "full_name", "") if user is not None else ""
        event.actor_display = name or event.actor_name or ""
        event.label = label_for(event.action, event.object_type)
    return events
