"""Chinese names of this app's audited actions (kexie.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import audit_labels

audit_labels.register_many(
    {
        "policy.breakdown.export": _("Exported the breakdown table"),
        "policy.breakdown.import": _("Imported the breakdown table"),
        "policy.bulletin.export": _("Exported the supervision bulletin"),
        "policy.case.publish": _("Published a typical case"),
        "policy.case.submit": _("Submitted a typical case"),
        "policy.case.write": _("Wrote a typical case"),
        "policy.change.approve": _("Approved a change request"),
        "policy.change.reject": _("Rejected a change request"),
        "policy.change.request": _("Requested a change"),
        "policy.indicator.record": _("Recorded an indicator value"),
        "policy.milestone.add": _("Added a milestone"),
        "policy.milestone.done": _("Completed a milestone"),
        "policy.notice.confirm": _("Confirmed a notice"),
        "policy.notice.discard": _("Discarded a notice draft"),
        "policy.notice.draft": _("Imported a notice draft"),
        "policy.notice.edit_draft": _("Edited a notice draft"),
        "policy.notice.map_units": _("Matched the notice's units"),
        "policy.notice.scan": _("Uploaded a scanned notice for text recognition"),
        "policy.progress.report": _("Reported progress"),
        "policy.target.bind": _("Bound a target to an indicator"),
        "policy.task.complete": _("Approved completion (销号)"),
        "policy.task.create": _("Created a task"),
        "policy.task.remind": _("Sent a reminder"),
        "policy.task.request_completion": _("Requested completion"),
        "policy.task.return": _("Returned a task"),
        "policy.task.start": _("Started a task"),
        "policy.task.update": _("Changed a task"),
        "policy.task.cancel": _("Cancelled a task"),
    }
)
