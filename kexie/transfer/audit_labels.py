"""Chinese names of this app's audited actions (kexie.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from kexie.core import audit_labels

audit_labels.register_many(
    {
        "transfer.achievement.create": _("Added an achievement"),
        "transfer.achievement.publish": _("Published an achievement"),
        "transfer.demand.close": _("Closed a demand"),
        "transfer.demand.create": _("Posted a demand"),
        "transfer.demand.publish": _("Published a demand"),
        "transfer.demand.return": _("Returned a demand"),
        "transfer.demand.sign": _("Recorded a signed agreement"),
        "transfer.demand.submit": _("Submitted a demand for review"),
        "transfer.demand.update": _("Changed a demand"),
        "transfer.docking.create": _("Started a docking"),
        "transfer.docking.outcome": _("Recorded a docking outcome"),
        "transfer.docking.record": _("Recorded a docking contact"),
        "transfer.enterprise.register": _("Registered an enterprise"),
        "transfer.evaluation.create": _("Recorded an annual evaluation"),
        "transfer.team.create": _("Added a service team"),
        "transfer.team.update": _("Changed a service team"),
        "transfer.workstation.create": _("Added a workstation"),
        "transfer.workstation.update": _("Changed a workstation"),
    }
)
