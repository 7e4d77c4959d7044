"""`kexie backup` and `kexie restore`: a backup restored into an empty instance holds the same rows,
the same files (checksums) and an intact audit chain."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.policy import services
from kexie.policy.models import Evidence, Task
from kexie.site.backup import (
    BackupError,
    create_backup,
    list_backups,
    prune_backups,
    read_manifest,
    sha256_file,
    table_counts,
    verify_backup,
)
from tests.site.conftest import database_url, kexie, process_env

pytestmark = pytest.mark.django_db(transaction=True)

COUNT_SCRIPT = (
    "import json; from kexie.site.backup import table_counts, applied_migrations; "
    "print(json.dumps(table_counts()))"
)


def _data_with_files(notice, make_user):
    reporter = make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")
    task = Task.objects.filter(measure__notice=notice, lead__name="科学技术普及部").order_by("pk").first()
    services.record_progress(
        task=task,
        text="第一季度进展",
        percent=30,
        by=reporter,
        files=[
            SimpleUploadedFile("佐证材料.pdf", b"%PDF-1.4 evidence " + bytes(range(256)) * 40),
            SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000),
        ],
    )
    return task


def test_backup_restores_into_an_empty_instance(notice, make_user, tmp_path, empty_database):
    _data_with_files(notice, make_user)
    source_counts = table_counts()
    media_root = Path(settings.MEDIA_ROOT)
    source_files = {
        p.relative_to(media_root).as_posix(): sha256_file(p) for p in media_root.rglob("*") if p.is_file()
    }
    assert len(source_files) == 2

    call_command("backup", dir=tmp_path / "backups", keep=3)
    (backup,) = list_backups(tmp_path / "backups")
    manifest = verify_backup(backup)
    assert manifest["tables"]["policy_task"] == source_counts["policy_task"] > 0
    assert {name: meta["sha256"] for name, meta in manifest["media"].items()} == source_files

    # A new instance on another "machine": its own var/ directory and an empty database.
    new_var = tmp_path / "new-instance"
    target = str(new_var / "kexie.sqlite3") if empty_database is None else empty_database
    env = process_env(new_var, database_url(target))
    restored = kexie("restore", str(backup), env=env)
    assert "restored" in restored.stdout

    counts = json.loads(kexie("shell", "-c", COUNT_SCRIPT, env=env).stdout.strip().splitlines()[-1])
    for table, expected in source_counts.items():
        if table != "django_migrations":
            assert counts.get(table) == expected, table
    assert counts["policy_evidence"] == Evidence.objects.count() == 2
    restored_files = {
        p.relative_to(new_var / "media").as_posix(): sha256_file(p)
        for p in (new_var / "media").rglob("*")
        if p.is_file()
    }
    assert restored_files == source_files
    audit = kexie("verify_audit", env=env)
    assert "audit chain intact" in audit.stdout
    # The search index was rebuilt from the restored rows: the tasks are found again.
    assert "documents indexed" in restored.stdout

    # A second restore into the now populated database is refused without --force.
    again = kexie("restore", str(backup), env=env, check=False)
    assert again.returncode != 0 and "--force" in again.stderr


def test_tampered_backup_is_refused_before_anything_is_restored(notice, make_user, tmp_path):
    _data_with_files(notice, make_user)
    backup = create_backup(tmp_path / "backups", keep=2)
    victim = next(p for p in (backup / "media").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(BackupError, match="checksum"):
        verify_backup(backup)
    env = process_env(tmp_path / "other", database_url(str(tmp_path / "other" / "kexie.sqlite3")))
    result = kexie("restore", str(backup), env=env, check=False)
    assert result.returncode != 0 and "checksum" in result.stderr
    assert not (tmp_path / "other" / "media").exists()


def test_retention_keeps_the_newest_and_removes_interrupted_backups(db, tmp_path):
    root = tmp_path / "backups"
    start = timezone.now()
    made = [create_backup(root, keep=10, now=start + timedelta(days=i)) for i in range(4)]
    (root / ".partial-abc").mkdir()
    removed = prune_backups(root, keep=2)
    assert removed == made[:2]
    assert list_backups(root) == made[2:]
    assert not (root / ".partial-abc").exists()
    assert read_manifest(made[-1])["engine"] in {"sqlite", "postgresql"}


def test_scheduled_backup_job_writes_a_backup(db, tmp_path, monkeypatch):
    from kexie.site.tasks import nightly_backup_job

    monkeypatch.setenv("KEXIE_BACKUP_DIR", str(tmp_path / "nightly"))
    monkeypatch.setenv("KEXIE_BACKUP_KEEP", "1")
    nightly_backup_job.call_local()
    assert len(list_backups(tmp_path / "nightly")) == 1
