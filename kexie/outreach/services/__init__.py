"""Every write of the outreach app: verbs with keyword-only arguments, one transaction each, an audit
event on every write with business meaning. A refused action raises and changes nothing."""

from kexie.outreach.services.activities import (
    IMPORT_COLUMNS,
    cancel_activity,
    import_activities,
    import_template_rows,
    organizers_for,
    publish_activity,
    register_activity,
    report_activity,
    update_activity,
)
from kexie.outreach.services.bulletins import (
    acknowledge,
    audience_organizations,
    publish_bulletin,
    report_forwarding,
    save_bulletin,
)
from kexie.outreach.services.places import enrol, record_lesson, report_month, report_nine_progress
from kexie.outreach.services.recognition import start_recognition_call
from kexie.outreach.services.records import save_record
from kexie.outreach.services.volunteers import (
    TOKEN_MAX_AGE,
    cancel_sign_up,
    checkin_token,
    confirm_all,
    confirm_hours,
    join_team,
    read_token,
    register_volunteer,
    scan,
    sign_up,
)
from kexie.outreach.services.youth import create_evaluation, submit_evaluation, youth_tier

__all__ = [
    "IMPORT_COLUMNS",
    "TOKEN_MAX_AGE",
    "acknowledge",
    "audience_organizations",
    "cancel_activity",
    "cancel_sign_up",
    "checkin_token",
    "confirm_all",
    "confirm_hours",
    "create_evaluation",
    "enrol",
    "import_activities",
    "import_template_rows",
    "join_team",
    "organizers_for",
    "publish_bulletin",
    "read_token",
    "record_lesson",
    "publish_activity",
    "register_activity",
    "register_volunteer",
    "report_activity",
    "report_forwarding",
    "report_month",
    "report_nine_progress",
    "save_bulletin",
    "save_record",
    "start_recognition_call",
    "scan",
    "sign_up",
    "submit_evaluation",
    "update_activity",
    "youth_tier",
]
