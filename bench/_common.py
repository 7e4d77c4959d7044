"""Shared set-up for the bench scripts: Django settings for gettext, data paths, JSON output."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# shared/ sits beside the work tree (on developers' machines and in CI alike).
SHARED = Path(os.environ.get("KEXIE_SHARED", REPO.parent / "shared"))


def setup_django() -> None:
    """The statistics engine translates its error messages: give gettext settings to read.

    The engine needs no app, model or database, so a bench does not import the project's settings
    (which would tie its run to every app being importable).
    """
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def emit(result: dict[str, Any]) -> None:
    """The last line a bench prints: one JSON object."""
    print(json.dumps(result, ensure_ascii=False, sort_keys=False))
