"""The optional services the full run checks against: in CI (KEXIE_REQUIRE_SERVICES=1 or CI=true) a
missing one fails here, at the start, instead of its tests skipping."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

from tests.conftest import require_service


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize(
    ("available", "reason"),
    [
        (
            lambda: _listening(5432),
            "PostgreSQL is not running on 127.0.0.1:5432",
        ),
        (lambda: _listening(6379), "Redis is not running on 127.0.0.1:6379"),
        (lambda: os.path.exists("/usr/bin/chromium"), "Debian's chromium is not installed"),
        (lambda: shutil.which("msgfmt") is not None, "gettext (msgfmt) is not installed"),
    ],
    ids=["postgresql", "redis", "chromium", "msgfmt"],
)
def test_optional_service_present(available, reason):
    require_service(available(), reason)
