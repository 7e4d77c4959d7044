"""The zh_Hans catalogue is complete: no untranslated or fuzzy entry, none missing from the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[1]


def test_zh_hans_catalogue_complete_and_current(tmp_path):
    require_service(shutil.which("msgfmt") is not None, "gettext is not installed (make sysdeps installs it)")
    copy = tmp_path / "kexie"
    shutil.copytree(
        ROOT / "kexie", copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "seed")
    )
    # makemessages over a copy of the code: every msgid in the code must be in the catalogue.
    result = subprocess.run(  # noqa: S603 - our own interpreter and Django's command
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats, stats
    assert "fuzzy" not in stats, stats
    # Every translation uses exactly the placeholders of its message (a wrong one fails at run time).
    sys.path.insert(0, str(ROOT / "tools"))
    from pofill import read_po

    wrong = [
        msgid
        for msgid, msgstr in read_po(po).items()
        if sorted(re.findall(r"%\((\w+)\)", msgid)) != sorted(re.findall(r"%\((\w+)\)", msgstr))
    ]
    assert wrong == []
