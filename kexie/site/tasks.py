"""Scheduled jobs of the site: nightly backup with retention; catch-up after the consumer was down."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

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


# The consumer was down (deploy, crash, a machine restart): queued jobs wait in the queue (SQLite file
# or Redis) and run when it returns, but periodic jobs whose minute passed meanwhile are not replayed
# by Huey. On start, catch up the two the ledger depends on; both are idempotent (lights are
# recomputed; a task reminded within the reminder interval is not reminded again).
@HUEY.on_startup()
def _catch_up_on_start() -> None:
    catch_up_job()


@db_task()
def catch_up_job() -> dict:
    from kexie.policy import services

    lights = services.refresh_lights()
    now = timezone.localtime()
    reminded = services.send_due_reminders() if now.weekday() < 5 and now.hour >= 9 else 0
    return {"lights": lights, "reminded": reminded}
