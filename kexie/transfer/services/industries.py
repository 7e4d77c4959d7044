"""The GB/T 4754-2017 industry table, loaded from the reference data when empty."""

from __future__ import annotations

from kexie.core.reference import industry_rows
from kexie.transfer.models import Industry


def load_industries() -> int:
    """GB/T 4754-2017 from the seed file, when the table is empty (the data migration loads it; a
    flushed test database or a restored dump may not have it). Returns the rows created."""
    if Industry.objects.exists():
        return 0
    rows = [
        Industry(code=row.code, level=row.level, section=row.section, name=row.name)
        for row in industry_rows()
    ]
    Industry.objects.bulk_create(rows, ignore_conflicts=True)
    return Industry.objects.count()
