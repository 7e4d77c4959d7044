"""Audit trail and notifications: the two writes every module shares."""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from kexie.core.context import current_context
from kexie.core.crypto import hmac_sm3_hex, sm3_hex
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
        "key_id": event.key_id,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- the key of the chain -------------------------------------------------------------------------


class AuditKeyMissing(ImproperlyConfigured):
    pass


@lru_cache(maxsize=8)
def _derive(material: str) -> tuple[str, bytes]:
    """(key id, key) from the configured material: 64 hex digits are the key itself."""
    material = material.strip()
    if len(material) == 64 and all(c in "0123456789abcdefABCDEF" for c in material):
        key = bytes.fromhex(material)
    else:
        key = bytes.fromhex(sm3_hex("kexie-audit-key:" + material))
    return sm3_hex(b"kexie-audit-key-id:" + key)[:8], key


def audit_key() -> tuple[str, bytes]:
    """The current key of the audit chain: (key id, key). It lives outside the database
    (KEXIE_AUDIT_KEY or the file under var/), so a database writer cannot recompute the chain."""
    if not settings.AUDIT_KEY:
        raise AuditKeyMissing("KEXIE_AUDIT_KEY is not set: the audit chain cannot be written or verified.")
    return _derive(settings.AUDIT_KEY)


def _audit_keys() -> dict[str, bytes]:
    keys = dict(_derive(m) for m in settings.AUDIT_OLD_KEYS if m)
    key_id, key = audit_key()
    keys[key_id] = key
    return keys


def event_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """HMAC-SM3 of the event's canonical form (previous hash and key id included) under the key the
    event names; an unknown key id gives a value no stored hash can equal."""
    if key is None:
        key = _audit_keys().get(event.key_id)
        if key is None:
            return "unknown key " + event.key_id
    return hmac_sm3_hex(key, _canonical(event))


def _locked_head() -> AuditChainHead:
    # get_or_create protects its insert with a savepoint, so two first writers cannot both create it.
    AuditChainHead.objects.get_or_create(pk=1)
    return AuditChainHead.objects.select_for_update().get(pk=1)


# --- writing: one event, or a batch under one head lock -----------------------------------------------


@dataclass
class _Batch:
    events: list[tuple[AuditEvent, Callable[[], None]]] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("kexie_audit_batch", default=None)


@contextmanager
def audit_batch():
    """Record the events of a unit of work (an import, a bulk action) as one link of the chain: one
    transaction, one lock and one update of the head for the whole batch, while every event still
    carries its own keyed hash and the hash of the event before it, so that each verifies one by one.
    Nested batches join the outer one; events recorded in a savepoint that rolls back are dropped."""
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        with transaction.atomic():
            yield
            _batch.reset(token)
            token = None
            _flush(batch)
    finally:
        if token is not None:
            _batch.reset(token)


def _flush(batch: _Batch) -> None:
    if not batch.events:
        return
    # An event recorded in a savepoint that rolled back lost its on-commit marker with it.
    alive = {id(entry[1]) for entry in transaction.get_connection().run_on_commit}
    events = [event for event, marker in batch.events if id(marker) in alive]
    if not events:
        return
    key_id, key = audit_key()
    head = _locked_head()
    seq, previous = head.last_seq, head.last_hash
    for event in events:
        seq += 1
        event.seq, event.prev_hash, event.key_id = seq, previous, key_id
        event.hash = previous = event_hash(event, key)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    head.last_seq, head.last_hash = seq, previous
    head.save(update_fields=["last_seq", "last_hash"])


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
    the event exists exactly when the write does. Inside ``audit_batch()`` the event is chained when
    the batch ends (its ``seq`` and ``hash`` are set then)."""
    ctx = current_context()
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, name = actor.pk, actor.get_username()
    else:
        actor_id, name = None, actor_name
    if organization_id is None and obj is not None:
        organization_id = getattr(obj, "organization_id", None)
    event = AuditEvent(
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
    )
    batch = _batch.get()
    if batch is not None:

        def marker() -> None:
            """Kept in the connection's on-commit list while the savepoint that recorded it lives."""

        transaction.on_commit(marker)
        batch.events.append((event, marker))
        return event
    key_id, key = audit_key()
    with transaction.atomic():
        # Every writer takes this one row lock: the chain must have a single order.
        head = _locked_head()
        event.seq, event.prev_hash, event.key_id = head.last_seq + 1, head.last_hash, key_id
        event.hash = event_hash(event, key)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


# --- anchoring the head outside the database ------------------------------------------------------------


def _anchor_signature(record: dict, key: bytes) -> str:
    body = {k: record[k] for k in ("seq", "hash", "at", "key_id")}
    return hmac_sm3_hex(key, "kexie-audit-anchor:" + json.dumps(body, sort_keys=True, separators=(",", ":")))


def signed_head() -> dict:
    """The chain's current head, signed (HMAC-SM3 with the audit key): what the auditor keeps."""
    key_id, key = audit_key()
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    record = {
        "seq": head.last_seq,
        "hash": head.last_hash,
        "at": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        "key_id": key_id,
    }
    record["sig"] = _anchor_signature(record, key)
    return record


def anchor_audit_head(*, path: Path | None = None) -> dict:
    """Append the signed head to the anchor file (opened append-only, created 0600, synced): a later
    rewrite of the chain in the database no longer matches what was anchored."""
    record = signed_head()
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return record


def read_anchors(path: Path | None = None) -> list[dict]:
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    if not path.exists():
        return []
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                anchors.append({**json.loads(line), "line": number})
            except ValueError:
                anchors.append({"line": number, "unreadable": True})
    return anchors


def _check_anchors(
    anchors: list[dict], head: AuditChainHead, hashes: dict[int, str], last_seq: int
) -> list[str]:
    keys = _audit_keys()
    problems = []
    for anchor in anchors:
        line = anchor.get("line")
        key = keys.get(anchor.get("key_id", ""))
        if (
            anchor.get("unreadable")
            or key is None
            or not hmac.compare_digest(_anchor_signature(anchor, key), str(anchor.get("sig", "")))
        ):
            problems.append(f"anchor line {line} is not signed with the audit key")
            continue
        seq = int(anchor["seq"])
        if seq > last_seq:
            problems.append(f"the chain ends at #{last_seq} but #{seq} was anchored on {anchor['at']}")
        elif seq > head.anchor_seq and hashes.get(seq) != anchor["hash"]:
            problems.append(f"event #{seq} differs from the one anchored on {anchor['at']}")
    return problems


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problems: list[str]
    anchors: int = 0


def verify_audit_chain(*, batch: int = 2000, anchors: list[dict] | None = None) -> ChainReport:
    """Walk the chain in order and recompute every keyed hash: an edited event fails its own hash, a
    deleted one leaves a gap in `seq` and a `prev_hash` that no longer matches, a cut tail disagrees
    with the head row; a chain recomputed without the key fails every hash; and a chain rewritten by
    someone who had the key no longer matches the signed heads anchored outside the database
    (``anchors``: the auditor's copy; by default the configured anchor file)."""
    if anchors is None:
        anchors = read_anchors()
    anchored = {int(a["seq"]) for a in anchors if "seq" in a}
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    problems: list[str] = []
    expected_seq = head.anchor_seq + 1
    expected_prev = head.anchor_hash
    checked = 0
    last_seq = head.anchor_seq
    hashes: dict[int, str] = {}
    keys = _audit_keys()
    queryset = AuditEvent.objects.filter(seq__gt=head.anchor_seq).order_by("seq")
    for event in queryset.iterator(chunk_size=batch):
        checked += 1
        if event.seq != expected_seq:
            problems.append(f"events #{expected_seq}–#{event.seq - 1} are missing")
        if event.prev_hash != expected_prev:
            problems.append(f"event #{event.seq} does not follow the event before it")
        key = keys.get(event.key_id)
        if key is None:
            problems.append(f"event #{event.seq} names an unknown key {event.key_id!r}")
        elif not hmac.compare_digest(event_hash(event, key), event.hash):
            problems.append(f"event #{event.seq} was altered after it was written")
        if event.seq in anchored:
            hashes[event.seq] = event.hash
        expected_seq = event.seq + 1
        expected_prev = event.hash
        last_seq = event.seq
    if last_seq != head.last_seq or expected_prev != head.last_hash:
        problems.append(f"the chain ends at #{last_seq} but the head records #{head.last_seq}")
    problems += _check_anchors(anchors, head, hashes, last_seq)
    return ChainReport(ok=not problems, checked=checked, problems=problems, anchors=len(anchors))


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


def record_personal_data_view(obj: models.Model | None, *, actor, fields: list[str], count: int = 1) -> None:
    """Audit that `actor` was shown unmasked personal data (ID or mobile numbers) of `obj` (or of
    `count` rows of a list or an export)."""
    record_event(
        obj,
        "core.personal_data.view",
        actor=actor,
        after={"fields": sorted(fields), "rows": count},
    )


def notify(*, user, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, title=title[:200], body=body, url=url[:300])


@transaction.atomic
def mark_notifications_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
