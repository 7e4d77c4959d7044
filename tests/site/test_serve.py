"""`kexie serve` starts fast (issue 10): the supervisor loads no Django of its own, gunicorn loads the
application once in its master and forks ready workers."""

from __future__ import annotations

import subprocess
import sys

from kexie.site import serving

PROBE = """
import sys
from kexie.cli import main
try:
    main(["kexie", "serve", "--help"])
except SystemExit:
    pass
print("SETTINGS-LOADED" if "kexie.settings" in sys.modules else "NO-SETTINGS")
"""


def test_serve_supervisor_does_not_set_django_up():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert "--no-consumer" in result.stdout
    assert result.stdout.strip().endswith("NO-SETTINGS")


def test_web_workers_are_forked_from_a_preloaded_master():
    command = serving.web_command(host="127.0.0.1", port=8107, workers=2, threads=8)
    assert "--preload" in command
    assert "kexie.site.wsgi:application" in command  # the module that imports views and scipy and runs checks
