"""Permission-scoped reads."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.transfer import rules
from kexie.transfer.enums import PUBLIC_STATES, DemandState
from kexie.transfer.models import Achievement, Demand, Docking, ServiceTeam


def demands_visible_to(user) -> QuerySet[Demand]:
    demands = Demand.objects.select_related("industry", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return demands.filter(state__in=PUBLIC_STATES)
    if rules.sees_all_demands(user):
        return demands
    condition = Q(state__in=PUBLIC_STATES) | Q(enterprise_id__in=rules.enterprise_ids(user))
    districts = rules.district_codes(user)
    if districts:
        condition |= Q(district__in=districts) & ~Q(state=DemandState.DRAFT)
    return demands.filter(condition)


def own_demands(user) -> QuerySet[Demand]:
    return Demand.objects.select_related("industry", "enterprise").filter(
        enterprise_id__in=rules.enterprise_ids(user)
    )


def public_demands() -> QuerySet[Demand]:
    return Demand.objects.select_related("industry", "enterprise").filter(state__in=PUBLIC_STATES)


def public_achievements() -> QuerySet[Achievement]:
    return Achievement.objects.select_related("industry", "owner_organization").filter(is_published=True)


def achievements_visible_to(user) -> QuerySet[Achievement]:
    if rules.can_view_registry(user):
        return Achievement.objects.select_related("industry", "owner_organization")
    return public_achievements()


def teams_visible_to(user) -> QuerySet[ServiceTeam]:
    teams = ServiceTeam.objects.select_related("lead_organization")
    return teams if rules.can_view_registry(user) else teams.none()


def dockings_visible_to(user) -> QuerySet[Docking]:
    dockings = (
        Docking.objects.select_related("demand", "demand__enterprise")
        .annotate(record_count=Count("records"))
        .order_by("-created_at", "-pk")
    )
    if rules.sees_all_demands(user):
        return dockings
    condition = Q(demand__enterprise_id__in=rules.enterprise_ids(user))
    districts = rules.district_codes(user)
    if districts:
        condition |= Q(demand__district__in=districts)
    return dockings.filter(condition)


def past_dockings(kind: str, ids: list[str]) -> dict[str, tuple[int, int]]:
    """Per target id: (dockings, signed) — one query for a whole list of hits."""
    rows = (
        Docking.objects.filter(target_kind=kind, target_id__in=ids)
        .values("target_id")
        .annotate(n=Count("pk"), signed=Count("pk", filter=Q(outcome="signed")))
    )
    return {row["target_id"]: (row["n"], row["signed"]) for row in rows}


# --- one access rule per object (kexie.core.access): fetch and check at once, 404 when invisible ------


def access_demand(user, pk) -> Demand:
    return access(demands_visible_to(user), pk)


def access_achievement(user, pk) -> Achievement:
    return access(achievements_visible_to(user), pk)


def access_docking(user, pk) -> Docking:
    return access(dockings_visible_to(user).select_related("created_by"), pk)


def access_team(user, pk) -> ServiceTeam:
    return access(teams_visible_to(user), pk)


access_rules.register(
    "transfer.demand", visible=demands_visible_to, access=access_demand, can_view=rules.can_view_demand
)
access_rules.register("transfer.achievement", visible=achievements_visible_to, access=access_achievement)
access_rules.register(
    "transfer.docking", visible=dockings_visible_to, access=access_docking, can_view=rules.can_view_docking
)
access_rules.register("transfer.team", visible=teams_visible_to, access=access_team)
