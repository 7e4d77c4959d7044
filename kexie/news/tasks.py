"""Background jobs of the public information section."""

from __future__ import annotations

from dataclasses import asdict

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kexie.news import sources


# Every ten minutes: hand over what the other apps newly show the public and record what they stopped
# showing (the public lists already hide the latter at once: sources.live_condition).
@db_periodic_task(crontab(minute="*/10"))
def sync_sources_job() -> dict:
    return asdict(sources.sync_sources())
