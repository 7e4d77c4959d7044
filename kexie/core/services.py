"""Audit trail and notifications: the two writes every module shares."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from kexie.core.context import current_context
from kexie.core.crypto import sm3_hex
from kexie.core.models import AuditChainHead, AuditEvent, Notification

GENESIS = "0" * 64


def _json_safe(value: Any) -> Any:
    """Normalise to what a JSON column gives back, so that the hash is computed over exactly what is
    stored and re-reading the row reproduces it."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default, sort_keys=True))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj`, JSON-safe, for an event's before/after."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return _json_safe(data)


def _canonical(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "organization_id": event.organization_id,
        "before": event.before,
        "after": event.after,
        "success": event.success,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(event: AuditEvent) -> str:
    return sm3_hex(_canonical(event))


def _locked_head() -> AuditChainHead:
    # get_or_create protects its insert with a savepoint, so two first writers cannot both create it.
    AuditChainHead.objects.get_or_create(pk=1)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def record_event(
    obj: models.Model | None,
    action: str,
    *,
    actor=None,
    actor_name: str = "",
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    detail: str = "",
    organization_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the write it records, so that
    the event exists exactly when the write does."""
    ctx = current_context()
    with transaction.atomic():
        # Every writer takes this one row lock: the chain must have a single order.
        head = _locked_head()
        if actor is not None and getattr(actor, "is_authenticated", False):
            actor_id, name = actor.pk, actor.get_username()
        else:
            actor_id, name = None, actor_name
        if organization_id is None and obj is not None:
            organization_id = getattr(obj, "organization_id", None)
        event = AuditEvent(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_name=name[:150],
            ip=ctx.ip,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=str(obj)[:255] if obj is not None else "",
            organization_id=organization_id,
            before=_json_safe(before) if before is not None else None,
            after=_json_safe(after) if after is not None else None,
            success=success,
            detail=detail,
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problems: list[str]


def verify_audit_chain(*, batch: int = 2000) -> ChainReport:
    """Walk the chain in order and recompute every hash: an edited event fails its own hash, a deleted
    one leaves a gap in `seq` and a `prev_hash` that no longer matches, a cut tail disagrees with the
    head row."""
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    problems: list[str] = []
    expected_seq = head.anchor_seq + 1
    expected_prev = head.anchor_hash
    checked = 0
    last_seq = head.anchor_seq
    queryset = AuditEvent.objects.filter(seq__gt=head.anchor_seq).order_by("seq")
    for event in queryset.iterator(chunk_size=batch):
        checked += 1
        if event.seq != expected_seq:
            problems.append(f"events #{expected_seq}–#{event.seq - 1} are missing")
        if event.prev_hash != expected_prev:
            problems.append(f"event #{event.seq} does not follow the event before it")
        if event_hash(event) != event.hash:
            problems.append(f"event #{event.seq} was altered after it was written")
        expected_seq = event.seq + 1
        expected_prev = event.hash
        last_seq = event.seq
    if last_seq != head.last_seq or expected_prev != head.last_hash:
        problems.append(f"the chain ends at #{last_seq} but the head records #{head.last_seq}")
    return ChainReport(ok=not problems, checked=checked, problems=problems)


@transaction.atomic
def purge_audit_events(*, before: datetime, by=None) -> int:
    """Remove events older than `before`, never younger than the retention period; the last removed
    event becomes the chain's anchor, and the purge itself is audited."""
    floor = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    cutoff = min(before, floor)
    head = _locked_head()
    doomed = AuditEvent.objects.filter(created_at__lt=cutoff, seq__gt=head.anchor_seq).order_by("-seq")
    last = doomed.first()
    if last is None:
        return 0
    count = AuditEvent.objects.filter(seq__lte=last.seq).count()
    head.anchor_seq, head.anchor_hash = last.seq, last.hash
    head.save(update_fields=["anchor_seq", "anchor_hash"])
    AuditEvent.objects.filter(seq__lte=last.seq).delete()
    record_event(
        None,
        "core.audit.purge",
        actor=by,
        actor_name="system",
        after={"removed": count, "anchor_seq": last.seq, "cutoff": cutoff.isoformat()},
    )
    return count


def notify(*, user, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, title=title[:200], body=body, url=url[:300])


@transaction.atomic
def mark_notifications_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
