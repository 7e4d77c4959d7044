"""Chinese names of this app's audited actions (kexie.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import audit_labels

audit_labels.register_many(
    {
        "experts.affiliation.add": _("Added an affiliation"),
        "experts.affiliation.remove": _("Removed an affiliation"),
        "experts.expert.create": _("Added an expert"),
        "experts.expert.delete": _("Deleted an expert"),
        "experts.expert.distinct": _("Marked two experts as different people"),
        "experts.expert.export": _("Exported experts"),
        "experts.expert.import": _("Imported experts"),
        "experts.expert.merge": _("Merged two profiles of one expert"),
        "experts.expert.reject": _("Rejected an expert registration"),
        "experts.expert.update": _("Changed an expert profile"),
        "experts.expert.verify": _("Verified an expert"),
        "experts.mentorship.add": _("Added an advisor link"),
        "experts.mentorship.remove": _("Removed an advisor link"),
        "experts.work.add": _("Added a work"),
        "experts.work.remove": _("Removed a work"),
    }
)
