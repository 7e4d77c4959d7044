"""Chinese names of this app's audited actions (kexie.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import audit_labels

audit_labels.register_many(
    {
        "literacy.assessment.create": _("Created an assessment"),
        "literacy.assessment.demo_attempts": _("Generated demo attempts"),
        "literacy.assessment.publish": _("Published an assessment"),
        "literacy.assessment.set_rule": _("Set a scoring rule"),
        "literacy.assessment.submit": _("Submitted an assessment"),
        "literacy.chapter.create": _("Created a reader chapter"),
        "literacy.chapter.publish": _("Published a reader chapter"),
        "literacy.chapter.update": _("Changed a reader chapter"),
        "literacy.contest.create": _("Created a contest"),
        "literacy.contest.demo_rounds": _("Generated demo contest rounds"),
        "literacy.contest.finish": _("Finished a contest round"),
        "literacy.contest.publish": _("Published a contest"),
        "literacy.contest.start": _("Started a contest round"),
        "literacy.contest.update": _("Changed a contest"),
        "literacy.contestant.profile": _("Changed a contestant profile"),
        "literacy.contestant.register": _("Registered for contests"),
        "literacy.estimate.compute": _("Computed a literacy estimate"),
        "literacy.estimate.delete": _("Deleted a literacy estimate"),
        "literacy.estimate.record": _("Recorded a literacy estimate"),
        "literacy.estimate.update": _("Changed a literacy estimate"),
        "literacy.question.create": _("Added a question"),
        "literacy.question.import": _("Imported questions"),
        "literacy.question.update": _("Changed a question"),
        "literacy.question.approve": _("Approved a question"),
        "literacy.question.reject": _("Rejected a question"),
        "literacy.reference.load": _("Loaded reference data"),
        "literacy.rule.update": _("Changed a scoring rule"),
        "literacy.survey.compute": _("Computed the literacy survey"),
        "literacy.survey.create": _("Created the literacy survey"),
        "literacy.survey.demo_responses": _("Generated demo survey responses"),
    }
)
