"""Load GB/T 4754-2017 (sections, divisions, groups, classes) from kexie/seed."""

import csv
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent.parent / "seed" / "gbt4754_2017_industry_classification.csv"


def load(apps, schema_editor):
    Industry = apps.get_model("transfer", "Industry")
    with SEED.open(encoding="utf-8", newline="") as fh:
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


def unload(apps, schema_editor):
    apps.get_model("transfer", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("transfer", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
