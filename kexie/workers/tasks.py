"""Scheduled work: the archive's fixity check (every stored file re-read against its SHA-256)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kexie.workers.services import verify_archive


@db_periodic_task(crontab(day_of_week="0", hour="3", minute="30"))
def verify_archive_weekly() -> dict:
    return verify_archive()
