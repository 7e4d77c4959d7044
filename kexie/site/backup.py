"""Backups and restores of a whole instance: the database, the uploaded files and a manifest.

A backup is one directory ``kexie-YYYYmmdd-HHMMSS/`` under the backup root (``KEXIE_BACKUP_DIR``,
default ``var/backups``)::

    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API while the
                       site keeps running (readers and the writer are not stopped)
    database.dump      PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    media/             the uploaded files, copied file by file
    manifest.json      what the backup holds: engine, migrations, row count of every table,
                       SHA-256 of the database file and of every uploaded file

The search index is not copied: it is derived from the database, and ``kexie restore`` rebuilds it.
Keys (SECRET_KEY, the field key, the audit key) are never written into a backup: they are kept
apart from it (see docs/operations.md), so that a stolen backup is not readable on its own.

``kexie restore`` checks every checksum before it touches anything, refuses a database that already
holds data unless told ``--force``, restores, applies newer migrations, rebuilds the search index
and compares the row counts with the manifest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kexie.env import env_int, env_str

FORMAT = 1
PREFIX = "kexie-"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why, for the operator."""


def backup_root() -> Path:
    return Path(env_str("KEXIE_BACKUP_DIR", str(Path(settings.VAR_DIR) / "backups"))).resolve()


def default_keep() -> int:
    return env_int("KEXIE_BACKUP_KEEP", 14, minimum=1)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_manifest(root: Path) -> dict[str, dict[str, Any]]:
    """relative path (POSIX) → {sha256, size} of every regular file under ``root``."""
    files: dict[str, dict[str, Any]] = {}
    if not root.exists():
        return files
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = {
                "sha256": sha256_file(path),
                "size": path.stat().st_size,
            }
    return files


def table_counts(using: str = "default") -> dict[str, int]:
    """Row count of every table of the database (Django's and kexie's), by table name."""
    conn = connections[using]
    counts: dict[str, int] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 - introspected name
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(using: str = "default") -> list[str]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _engine() -> str:
    engine = connection.settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"unsupported database engine {engine}")


def _pg_env_args(settings_dict: dict) -> tuple[dict[str, str], list[str]]:
    """The environment and arguments that point pg_dump/pg_restore at the configured database; the
    password goes through the environment, never the command line (visible to `ps`)."""
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client (Debian: apt-get install "
            f"postgresql-client) whose major version is at least the server's."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
        )


def _backup_sqlite(target: Path) -> None:
    source_path = connection.settings_dict["NAME"]
    # The online backup API copies pages under a read transaction: the copy is one consistent state
    # of the database even while the site writes (WAL mode), and the writer is not blocked for long.
    source = sqlite3.connect(source_path, timeout=30)
    try:
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination, pages=1024)
        finally:
            destination.close()
    finally:
        source.close()


def _backup_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of the snapshot in which the rows are counted: the manifest's counts are exactly what
    the dump holds, even while the site writes."""
    settings_dict = connection.settings_dict
    env, args = _pg_env_args(settings_dict)
    tool = _tool("pg_dump")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run(
            [
                tool,
                *args,
                "--format=custom",
                "--no-owner",
                "--no-acl",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                str(settings_dict["NAME"]),
            ],
            env,
        )
    return counts


def create_backup(root: Path | None = None, *, keep: int | None = None, now: datetime | None = None) -> Path:
    """Write a backup directory under ``root`` and return its path; then keep the newest ``keep``."""
    root = Path(root) if root else backup_root()
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    final = root / f"{PREFIX}{stamp}"
    if final.exists():
        raise BackupError(f"{final} exists already")
    # Written under a temporary name and renamed at the end: a backup interrupted half-way (disk full,
    # killed) never looks like a complete one, and pruning never counts it.
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=root))
    try:
        engine = _engine()
        if engine == "sqlite":
            db_file = work / SQLITE_FILE
            _backup_sqlite(db_file)
            counts = _sqlite_counts(db_file)
        else:
            db_file = work / PG_FILE
            counts = _backup_postgresql(db_file)
        media_root = Path(settings.MEDIA_ROOT)
        media_files = file_manifest(media_root)
        for relative in media_files:
            destination = work / MEDIA_DIR / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(media_root / relative, destination)
            media_files[relative]["sha256"] = sha256_file(destination)  # what the backup holds
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database_file": db_file.name,
            "database_sha256": sha256_file(db_file),
            "migrations": applied_migrations(),
            "tables": counts,
            "media": media_files,
            "search_backend": getattr(settings, "SEARCH_BACKEND", "tantivy"),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(work, final)
        os.chmod(final, 0o700)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    prune_backups(root, keep=keep if keep is not None else default_keep())
    return final


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608
    finally:
        db.close()


def list_backups(root: Path | None = None) -> list[Path]:
    """Complete backups (with a manifest), oldest first."""
    root = Path(root) if root else backup_root()
    if not root.exists():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).exists()
    )


def prune_backups(root: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` complete backups, and leftovers of interrupted ones."""
    removed = []
    backups = list_backups(root)
    for old in backups[: max(0, len(backups) - keep)]:
        shutil.rmtree(old)
        removed.append(old)
    for partial in Path(root).glob(".partial-*"):
        shutil.rmtree(partial, ignore_errors=True)
    return removed


@dataclasses.dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    mismatched_counts: dict[str, tuple[int, int]]
    indexed: int | None


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = Path(path) / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{path} is not a kexie backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def verify_backup(path: Path) -> dict[str, Any]:
    """Check the database file and every uploaded file against the manifest; raise on a mismatch."""
    path = Path(path)
    manifest = read_manifest(path)
    db_file = path / manifest["database_file"]
    if not db_file.exists() or sha256_file(db_file) != manifest["database_sha256"]:
        raise BackupError(f"{db_file.name}: missing or its checksum does not match the manifest")
    for relative, meta in manifest["media"].items():
        file = path / MEDIA_DIR / relative
        if not file.exists() or sha256_file(file) != meta["sha256"]:
            raise BackupError(f"media/{relative}: missing or its checksum does not match the manifest")
    return manifest


def database_is_empty() -> bool:
    """No migrations applied and no tables: a fresh instance."""
    with connection.cursor() as cursor:
        return not [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]


def _restore_sqlite(db_file: Path) -> None:
    target = connection.settings_dict["NAME"]
    connections.close_all()
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(str(target), timeout=30)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def _restore_postgresql(db_file: Path, *, force: bool) -> None:
    settings_dict = connection.settings_dict
    connections.close_all()
    env, args = _pg_env_args(settings_dict)
    command = [
        _tool("pg_restore"),
        *args,
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
    ]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, "--dbname", str(settings_dict["NAME"]), str(db_file)], env)


def restore_media(path: Path, manifest: dict[str, Any]) -> int:
    """Copy the backup's files into MEDIA_ROOT (through a temporary name, then renamed: a reader never
    sees half a file) and check each copy's checksum."""
    media_root = Path(settings.MEDIA_ROOT)
    for relative, meta in manifest["media"].items():
        destination = media_root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".restore-{destination.name}")
        shutil.copy2(Path(path) / MEDIA_DIR / relative, temporary)
        if sha256_file(temporary) != meta["sha256"]:
            temporary.unlink()
            raise BackupError(f"media/{relative}: the restored copy does not match its checksum")
        os.replace(temporary, destination)
    return len(manifest["media"])


def restore_backup(path: Path, *, force: bool = False, reindex: bool = True) -> RestoreReport:
    from django.core.management import call_command

    path = Path(path)
    manifest = verify_backup(path)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; the configured database is {engine}"
        )
    if not force and not database_is_empty():
        raise BackupError(
            "the configured database already holds tables: restore into an empty one, or pass --force"
        )
    db_file = path / manifest["database_file"]
    if engine == "sqlite":
        _restore_sqlite(db_file)
    else:
        _restore_postgresql(db_file, force=force)
    files = restore_media(path, manifest)
    # A backup of an older release: bring its schema up to this code (see "Upgrade" in operations.md).
    call_command("migrate", interactive=False, verbosity=0)
    counts = table_counts()
    mismatched = {}
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected and table != "django_migrations":
            mismatched[table] = (expected, counts.get(table, 0))
    indexed = None
    if reindex:
        from kexie.search import index

        index.set_backend(None)
        indexed = index.rebuild()
    return RestoreReport(
        tables=len(counts),
        rows=sum(counts.values()),
        files=files,
        mismatched_counts=mismatched,
        indexed=indexed,
    )
