"""Chinese names of this app's audited actions (kexie.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import audit_labels

audit_labels.register_many(
    {
        "surveys.export": _("Exported survey data"),
        "surveys.invitations.export": _("Exported invitation codes"),
        "surveys.invitations.issue": _("Issued invitation codes"),
        "surveys.margins.upload": _("Uploaded population margins"),
        "surveys.question.create": _("Added a survey question"),
        "surveys.question.delete": _("Deleted a survey question"),
        "surveys.question.move": _("Moved a survey question"),
        "surveys.question.update": _("Changed a survey question"),
        "surveys.response.submit": _("Submitted a survey response"),
        "surveys.section.create": _("Added a survey section"),
        "surveys.survey.close": _("Closed a survey"),
        "surveys.survey.create": _("Created a survey"),
        "surveys.survey.publish": _("Published a survey"),
        "surveys.survey.revise": _("Revised a survey"),
        "surveys.survey.update": _("Changed a survey"),
        "surveys.weighting.run": _("Ran weighting"),
    }
)
