"""Who hears about a demand and its dockings (kexie.core.notifications)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.enums import Role
from kexie.accounts.models import Membership
from kexie.core import notifications
from kexie.transfer.models import Demand, Docking

# The department that reviews enterprises' demands (科创中国, measure 2), beside the demand's district.
REVIEW_DEPARTMENT = "科学技术创新部"

DEMAND_SUBMITTED = notifications.register(
    "transfer.demand_submitted",
    kind=notifications.SUBMITTED,
    label=gettext_lazy("A technical demand was submitted for review"),
    order=40,
)
DEMAND_PUBLISHED = notifications.register(
    "transfer.demand_published",
    kind=notifications.PUBLISHED,
    label=gettext_lazy("My demand was published"),
    order=41,
)
DEMAND_RETURNED = notifications.register(
    "transfer.demand_returned",
    kind=notifications.RETURNED,
    label=gettext_lazy("My demand was returned for changes"),
    order=42,
)
DOCKING_CREATED = notifications.register(
    "transfer.docking_created",
    kind=notifications.ASSIGNED,
    label=gettext_lazy("A docking was started on my demand"),
    order=43,
)


def reviewers(demand: Demand) -> list:
    memberships = Membership.objects.filter(is_active=True, user__is_active=True).filter(
        Q(organization__name=REVIEW_DEPARTMENT, role__in=[Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF])
        | Q(organization__code=demand.district, role=Role.DISTRICT_STAFF)
        if demand.district
        else Q(organization__name=REVIEW_DEPARTMENT, role__in=[Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF])
    )
    return [m.user for m in memberships.select_related("user")]


def enterprise_users(demand: Demand) -> list:
    memberships = Membership.objects.filter(
        organization_id=demand.enterprise_id, role=Role.ENTERPRISE, is_active=True, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships]


def demand_submitted(demand: Demand) -> None:
    notifications.send(
        DEMAND_SUBMITTED,
        users=reviewers(demand),
        title=_("Demand to review: %(title)s") % {"title": demand.title},
        body=_("%(enterprise)s submitted a technical demand for review.") % {"enterprise": demand.enterprise},
        url=reverse("transfer:demand_detail", args=[demand.pk]),
    )


def demand_published(demand: Demand) -> None:
    notifications.send(
        DEMAND_PUBLISHED,
        users=enterprise_users(demand),
        title=_("Your demand is published: %(title)s") % {"title": demand.title},
        body=_("The demand is public now; the association looks for matching experts and achievements."),
        url=reverse("transfer:demand_detail", args=[demand.pk]),
    )


def demand_returned(demand: Demand) -> None:
    notifications.send(
        DEMAND_RETURNED,
        users=enterprise_users(demand),
        title=_("Your demand was returned: %(title)s") % {"title": demand.title},
        body=demand.return_reason,
        url=reverse("transfer:demand_detail", args=[demand.pk]),
    )


def docking_created(docking: Docking) -> None:
    demand = docking.demand
    notifications.send(
        DOCKING_CREATED,
        users=enterprise_users(demand),
        title=_("Docking request on your demand: %(match)s") % {"match": docking.target_name},
        body=_("The association started a docking between “%(demand)s” and %(match)s.")
        % {"demand": demand.title, "match": docking.target_name},
        url=reverse("transfer:docking_detail", args=[docking.pk]),
    )
