"""With REDIS_URL set, jobs and the cache run on Redis (the scale-out configuration)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[1]
REDIS = ("127.0.0.1", 6379)


def _redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def test_redis_url_puts_huey_and_cache_on_redis(tmp_path):
    require_service(_redis_running(), "Redis is not running on 127.0.0.1:6379 (an optional service)")
    script = """
import django, uuid
django.setup()
from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
key = "kexie-test-" + uuid.uuid4().hex
cache.set(key, "ok", 30)
HUEY.storage.conn.ping()
print(type(HUEY).__name__, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1], cache.get(key))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEXIE_", "HUEY_", "DJANGO_ALLOW_ASYNC"))}
    env.update(
        {
            "KEXIE_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "kexie.settings",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "KEXIE_TESTING": "0",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisHuey", "RedisCache", "ok"]


def test_without_redis_url_jobs_use_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEXIE_", "HUEY_", "REDIS_URL"))}
    env.update(
        {"KEXIE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kexie.settings", "KEXIE_TESTING": "0"}
    )
    script = "import django; django.setup(); from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "SqliteHuey", result.stderr
