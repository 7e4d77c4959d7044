"""File modes of what kexie keeps on disk: the SQLite database is readable by the service account only."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600


def make_private(path: Path, mode: int = PRIVATE_FILE) -> None:
    """chmod `path` to `mode` when it exists and belongs to this process's user."""
    try:
        if path.exists() and path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass


def private_sqlite_files(sender, connection, **kwargs) -> None:
    """On every new SQLite connection: the database and its WAL and shared-memory files 0600 (SQLite
    creates them with the process umask, usually world-readable)."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(Path(name + suffix))
