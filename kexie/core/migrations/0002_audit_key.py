"""The audit chain becomes keyed (HMAC-SM3 under KEXIE_AUDIT_KEY): existing events are checked against
their unkeyed SM3 chain and re-hashed under the key, so that no unkeyed link remains to be forged."""

import json
from datetime import UTC

from django.db import migrations, models


def _legacy_canonical(event) -> str:
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


def rekey(apps, schema_editor):
    from kexie.core.crypto import sm3_hex
    from kexie.core.services import audit_key, event_hash

    AuditEvent = apps.get_model("core", "AuditEvent")
    head = apps.get_model("core", "AuditChainHead").objects.filter(pk=1).first()
    if head is None:
        return
    key_id, key = audit_key()
    old_prev = new_prev = head.anchor_hash
    for event in AuditEvent.objects.filter(seq__gt=head.anchor_seq).order_by("seq").iterator(chunk_size=2000):
        if event.prev_hash != old_prev or sm3_hex(_legacy_canonical(event)) != event.hash:
            raise RuntimeError(
                f"The audit chain is broken at event #{event.seq}: it cannot be re-keyed. Run "
                "`kexie verify_audit` with the previous version and keep its report before upgrading."
            )
        old_prev = event.hash
        event.prev_hash, event.key_id = new_prev, key_id
        event.hash = new_prev = event_hash(event, key)
        event.save(update_fields=["prev_hash", "key_id", "hash"])
    if old_prev != head.last_hash:
        raise RuntimeError(
            "The audit chain's tail was cut: it cannot be re-keyed (run `kexie verify_audit`)."
        )
    head.last_hash = new_prev
    head.save(update_fields=["last_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
