"""Fixtures for operations tests: real processes started against the test database or a new instance."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kexie.accounts.enums import Role
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations
from tests.conftest import require_service

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def database_url(name: str | None = None) -> str:
    """The address of the current test database (or of another database on the same server)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name or settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name or settings_dict['NAME']}"


def process_env(var_dir: Path, db_url: str, **extra: str) -> dict[str, str]:
    """Environment of a kexie process: the same keys as this test process (they live outside the
    database and outside any backup), its own var/ directory and database."""
    var_dir.mkdir(parents=True, exist_ok=True)
    # Key files kept under var/ by "auto" settings (secret, field key, and any audit key): an
    # operator carries them to the new machine separately from the backup; so does this test.
    for key_file in Path(settings.VAR_DIR).glob("*key*"):
        if key_file.is_file():
            shutil.copy2(key_file, var_dir / key_file.name)
    env = dict(os.environ)
    env.update(
        {
            "KEXIE_VAR_DIR": str(var_dir),
            "DATABASE_URL": db_url,
            "KEXIE_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
            "SECRET_KEY": settings.SECRET_KEY if len(settings.SECRET_KEY) >= 50 else "x" * 60,
            "KEXIE_TESTING": "1",
            "DB_CONN_MAX_AGE": "0",
            "PYTHONPATH": str(REPO),
        }
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def kexie(
    *args: str, env: dict[str, str], timeout: float = 300, check: bool = True
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "kexie.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"kexie {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture
def empty_database():
    """The address of a new, empty database: a file path for SQLite, a created database for
    PostgreSQL (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield None
        return
    require_service(shutil.which("createdb") is not None, "the PostgreSQL client tools are not installed")
    name = f"kexie_restore_{uuid.uuid4().hex[:10]}"
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    common = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432)]
    common += ["-U", settings_dict.get("USER") or "postgres"]
    subprocess.run(["createdb", *common, name], env=env, check=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--force", "--if-exists", *common, name], env=env, check=False)


@pytest.fixture
def supervisor(make_user):
    return make_user("duban", role=Role.SUPERVISOR)


@pytest.fixture
def notice(orgs, supervisor):
    draft = create_notice_draft(
        text=SEED.read_text(encoding="utf-8"), source_name="notice.txt", by=supervisor
    )
    mapping = match_organizations(draft_unit_names(draft.draft))
    return confirm_notice(notice=draft, mapping=mapping, by=supervisor)
