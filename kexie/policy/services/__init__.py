"""Every write of the supervision ledger, by domain noun: notices, tasks, changes, lights, reminders,
typical cases and manual indicator values. The public names are re-exported here, so
`from kexie.policy.services import create_task` is the import other modules use."""

from kexie.policy.enums import OPEN_STATES
from kexie.policy.services.cases import publish_case, submit_case, write_case
from kexie.policy.services.changes import decide_change, request_change
from kexie.policy.services.indicator_values import record_indicator_value
from kexie.policy.services.lights import LightInputs, compute_light, refresh_light, refresh_lights
from kexie.policy.services.notices import (
    confirm_notice,
    create_notice_draft,
    draft_unit_names,
    match_organizations,
    update_notice_draft,
)
from kexie.policy.services.reminders import send_due_reminders, send_reminder
from kexie.policy.services.targets import bind_target_indicators
from kexie.policy.services.tasks import (
    EVIDENCE_EXTENSIONS,
    TASK_FIELDS,
    add_milestone,
    approve_completion,
    complete_milestone,
    create_task,
    record_progress,
    request_completion,
    return_task,
    start_task,
    update_task,
)

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "OPEN_STATES",
    "TASK_FIELDS",
    "LightInputs",
    "add_milestone",
    "approve_completion",
    "bind_target_indicators",
    "complete_milestone",
    "compute_light",
    "confirm_notice",
    "create_notice_draft",
    "create_task",
    "decide_change",
    "draft_unit_names",
    "match_organizations",
    "publish_case",
    "record_indicator_value",
    "record_progress",
    "refresh_light",
    "refresh_lights",
    "request_change",
    "request_completion",
    "return_task",
    "send_due_reminders",
    "send_reminder",
    "start_task",
    "submit_case",
    "update_notice_draft",
    "update_task",
    "write_case",
]
