"""`kexie rotate-field-key`: re-encrypt every encrypted field with the current key.

Rotation: put the new key in KEXIE_FIELD_KEY and the old one in KEXIE_FIELD_OLD_KEYS, run this
command once, then drop the old key. Every model field of type EncryptedTextField is rewritten under
the current key id, and a blind index beside it (the convention ``<field>_index``, e.g.
``Expert.id_number_index``) is recomputed with the new index key, all in one transaction.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from kexie.core.crypto import blind_index, current_key_id, key_id_of
from kexie.core.fields import EncryptedTextField
from kexie.core.services import record_event

CHUNK = 500


def encrypted_fields() -> list[tuple[type, list[str], list[str]]]:
    """(model, encrypted field names, blind index field names) for every model that has any."""
    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            names = {f.name for f in model._meta.concrete_fields}
            found.append((model, fields, [f"{name}_index" for name in fields if f"{name}_index" in names]))
    return found


def _stale(model, fields: list[str], key_id: str) -> int:
    """Rows holding a ciphertext under another key (or without a key id), read raw."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - names from the model's meta
        return sum(1 for row in cursor.fetchall() if any(v and key_id_of(v) != key_id for v in row))


@transaction.atomic
def rotate_field_key(*, dry_run: bool = False) -> dict[str, int]:
    """Rewrite every encrypted value and blind index under the current key; returns rows per model."""
    key_id = current_key_id()
    counts: dict[str, int] = {}
    for model, fields, indexes in encrypted_fields():
        label = model._meta.label
        counts[label] = _stale(model, fields, key_id)
        if dry_run:
            continue
        rows = model._base_manager.order_by("pk").values_list("pk", *fields)  # decrypted on read
        batch = []
        for pk, *values in rows.iterator(chunk_size=CHUNK):
            obj = model(pk=pk, **dict(zip(fields, values, strict=True)))
            for name in fields:
                if f"{name}_index" in indexes:
                    setattr(obj, f"{name}_index", blind_index(getattr(obj, name)))
            batch.append(obj)
        model._base_manager.bulk_update(batch, [*fields, *indexes], batch_size=CHUNK)
    if not dry_run:
        record_event(
            None,
            "core.field_key.rotate",
            actor_name="kexie rotate-field-key",
            after={"key_id": key_id, "rows": counts},
        )
    return counts


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field (and rebuild blind indexes) with the current KEXIE_FIELD_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count the rows under other keys only")

    def handle(self, *args, dry_run, **options):
        counts = rotate_field_key(dry_run=dry_run)
        for label, stale in counts.items():
            self.stdout.write(f"{label}: {stale} rows under another key")
        verb = "would be rewritten" if dry_run else "rewritten"
        self.stdout.write(f"key {current_key_id()}: {sum(counts.values())} rows {verb}")
