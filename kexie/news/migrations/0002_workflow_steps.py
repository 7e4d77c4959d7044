"""三审三校 as data: the three review steps, and a starting list of screened words staff can edit."""

from django.db import migrations

STEPS = [
    (1, "first", "初审（编辑）", "editor"),
    (2, "second", "复审（部门负责人）", "department_head"),
    (3, "final", "终审（领导）", "leader"),
]


def forwards(apps, schema_editor):
    WorkflowStep = apps.get_model("news", "WorkflowStep")
    for order, code, name, reviewer in STEPS:
        WorkflowStep.objects.update_or_create(code=code, defaults={"order": order, "name": name, "reviewer": reviewer})


def backwards(apps, schema_editor):
    apps.get_model("news", "WorkflowStep").objects.filter(code__in=[s[1] for s in STEPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
