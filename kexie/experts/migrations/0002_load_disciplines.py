"""Load the NSFC application codes (three levels, about 2,900 rows) from the seed file."""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parents[2] / "seed" / "nsfc_application_codes_3level.jl"


def load(apps, schema_editor):
    Discipline = apps.get_model("experts", "Discipline")
    rows = []
    with SEED.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    known = set(Discipline.objects.values_list("code", flat=True))
    # Parents sort before their children (A01 < A0101), so one pass per level keeps FKs valid.
    for level in (1, 2, 3):
        batch = [
            Discipline(
                code=row["_id"],
                name=row["name"].strip(),
                name_en=(row.get("name_en") or "").strip()[:200],
                parent_id=(row.get("parents") or [None])[0],
                level=level,
            )
            for row in rows
            if (len(row["_id"]) - 1) // 2 == level and row["_id"] not in known
        ]
        Discipline.objects.bulk_create(batch, batch_size=1000)


def unload(apps, schema_editor):
    apps.get_model("experts", "Discipline").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
