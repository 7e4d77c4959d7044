"""Background jobs of core: anchoring the audit chain's head outside the database."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kexie.core.services import anchor_audit_head


@db_periodic_task(crontab(minute="7"))
def anchor_audit_job() -> int:
    """Every hour, append the signed head of the audit chain to the anchor file."""
    return anchor_audit_head()["seq"]
