"""The notice's eight need categories (measure 6), as data staff may extend."""

from django.db import migrations

CATEGORIES = [
    ("housing", "人才住房"),
    ("settling", "安家补助"),
    ("funding", "经费管理"),
    ("projects", "项目申报"),
    ("evaluation", "人才评价"),
    ("schooling", "子女入学"),
    ("titles", "职称"),
    ("other", "其他"),
]


def add_categories(apps, schema_editor):
    NeedCategory = apps.get_model("workers", "NeedCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        NeedCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("workers", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
