"""The WSGI application `kexie serve` runs, with everything a first request would import loaded up
front: gunicorn loads it once in its master (``--preload``) and forks the workers from there, so no
worker pays the URL configuration, the views, the statistics engine (scipy) or the segmenter's
dictionary on its first request, and the imported code is shared copy-on-write between workers."""

from __future__ import annotations

from kexie.wsgi import application


def warm() -> None:
    from django.core.checks import ERROR, run_checks
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    import kexie.surveys.stats.estimation  # noqa: F401 - scipy, numpy

    # The system checks `kexie serve` skips before starting (a missing field key stops the start).
    errors = [message for message in run_checks() if message.level >= ERROR]
    if errors:
        raise ImproperlyConfigured("\n".join(str(message) for message in errors))
    connections.close_all()  # no connection crosses the fork


warm()

__all__ = ["application"]
