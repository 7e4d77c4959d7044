"""The suite builds its test database from the models (``--no-migrations``), so the migrations are
checked here: they match the models, and they apply from nothing on this run's database engine with the
rows the data migrations load."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_migrations_match_the_models(settings):
    # --no-migrations hides the migration modules from this process; read them for this check.
    settings.MIGRATION_MODULES = {}
    # Exits with status 1 when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _fresh_database_url(tmp_path) -> tuple[str, object]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine:
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}", None
    import psycopg

    db = settings.DATABASES["default"]
    name = f"kexie_migrate_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}", drop


def test_migrations_apply_from_nothing_with_their_data(tmp_path):
    url, drop = _fresh_database_url(tmp_path)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("KEXIE_TESTING", "DATABASE_URL"))}
    environ.update(
        {
            "DATABASE_URL": url,
            "KEXIE_TESTING": "0",
            "KEXIE_DEBUG": "1",
            "KEXIE_VAR_DIR": str(tmp_path),
            "KEXIE_FIELD_KEY": "auto",
            "KEXIE_AUDIT_KEY": "auto",
            "DJANGO_SETTINGS_MODULE": "kexie.settings",
        }
    )
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.apps import apps\n"
        "counts = [apps.get_model(m).objects.count() for m in "
        "('experts.Discipline', 'transfer.Industry', 'news.WorkflowStep', 'workers.NeedCategory')]\n"
        "print(*counts)\n"
    )
    try:
        result = subprocess.run(  # noqa: S603 - our own interpreter and project
            [sys.executable, "-c", script],
            env=environ,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        if drop is not None:
            drop()
    assert result.returncode == 0, result.stderr[-3000:]
    disciplines, industries, steps, categories = map(int, result.stdout.split()[-4:])
    assert disciplines > 2000 and industries > 1000
    assert (steps, categories) == (3, 8)


@pytest.mark.django_db
def test_the_test_database_has_the_data_migrations_rows():
    from django.apps import apps

    assert apps.get_model("experts.Discipline").objects.count() > 2000
    assert apps.get_model("news.WorkflowStep").objects.count() == 3
    assert apps.get_model("workers.NeedCategory").objects.count() == 8
