"""Scheduled jobs of the site: the nightly backup with retention."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kexie.env import env_bool
from kexie.site.backup import create_backup


# Every night at 02:30 Asia/Shanghai: Huey evaluates crontabs in UTC (its default), so 18:30 UTC.
# KEXIE_BACKUP_SCHEDULE=0 turns it off (e.g. where the database
# is backed up by other means). Retention: KEXIE_BACKUP_KEEP newest backups (default 14).
@db_periodic_task(crontab(minute="30", hour="18"))
def nightly_backup_job() -> str:
    if not env_bool("KEXIE_BACKUP_SCHEDULE", True):
        return ""
    return str(create_backup())
