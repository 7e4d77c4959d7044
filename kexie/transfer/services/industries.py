"""The GB/T 4754-2017 industry table, loaded from the seed file when empty."""

from __future__ import annotations

import csv
from pathlib import Path

from kexie.transfer.models import (
    Industry,
)

INDUSTRY_FILE = Path(__file__).resolve().parents[2] / "seed" / "gbt4754_2017_industry_classification.csv"


def load_industries() -> int:
    """GB/T 4754-2017 from the seed file, when the table is empty (the data migration loads it; a
    flushed test database or a restored dump may not have it). Returns the rows created."""
    if Industry.objects.exists():
        return 0
    with INDUSTRY_FILE.open(encoding="utf-8", newline="") as fh:
        rows = [
            Industry(
                code=row["class"] or row["group"] or row["division"] or row["section"],
                level=int(row["level"]),
                section=row["section"],
                name=row["name"].strip(),
            )
            for row in csv.DictReader(fh)
        ]
    Industry.objects.bulk_create(rows, ignore_conflicts=True)
    return Industry.objects.count()
