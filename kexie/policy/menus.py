"""The supervision ledger's pages in the navigation (kexie.core.menus)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.core import menus
from kexie.policy import rules

menus.register(
    "policy.dashboard",
    section="supervision",
    label=_("Dashboard"),
    url_name="policy:dashboard",
    visible=rules.can_view_dashboard,
    order=10,
    description=_("Every measure of the notice with its lights and progress"),
)
menus.register(
    "policy.tasks",
    section="supervision",
    label=pgettext_lazy("menu", "Tasks"),
    url_name="policy:task_list",
    visible=rules.can_view_dashboard,
    order=20,
    description=_("The tasks you lead or cooperate on: report progress, request completion"),
)
menus.register(
    "policy.approvals",
    section="supervision",
    label=_("Approvals"),
    url_name="policy:approvals",
    visible=rules.can_decide,
    order=30,
    description=_("Completion requests and change requests waiting for a leader"),
)
menus.register(
    "policy.notices",
    section="supervision",
    label=_("Notices"),
    url_name="policy:notice_list",
    visible=rules.can_view_dashboard,
    order=40,
)
menus.register(
    "policy.breakdown",
    section="supervision",
    label=_("Breakdown table"),
    url_name="policy:export_breakdown",
    visible=rules.can_export,
    order=50,
)
menus.register(
    "policy.bulletin",
    section="supervision",
    label=_("Supervision bulletin"),
    url_name="policy:bulletin",
    visible=rules.can_remind,
    order=60,
)
menus.register(
    "policy.cases",
    section="supervision",
    label=_("Typical cases"),
    url_name="policy:case_list",
    visible=rules.can_view_dashboard,
    order=70,
)
menus.register(
    "policy.districts",
    section="supervision",
    label=_("District view"),
    url_name="policy:district_index",
    visible=rules.can_view_districts,
    order=15,
    description=_("A district association's tasks and indicators beside the city's"),
)
