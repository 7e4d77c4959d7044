"""What technology transfer brings to the global search page (kexie.search.sources): achievements,
demands and service teams, and the district facet (the district list is this app's reference data
until it moves to core)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.core.reference import district_name
from kexie.search import sources
from kexie.search.enums import Facet
from kexie.search.sources import SearchSource, SourceScope
from kexie.transfer import documents, queries, rules
from kexie.transfer.enums import SearchKind


def achievement_scope(user) -> SourceScope:
    # The public finds published achievements only: the index flag keeps the rest out of the counts.
    flags = () if rules.can_view_registry(user) else ("published",)
    return SourceScope(rows=queries.achievements_visible_to(user), flags=flags)


def demand_scope(user) -> SourceScope:
    return SourceScope(rows=queries.demands_visible_to(user))


def team_scope(user) -> SourceScope | None:
    if not rules.can_view_registry(user):
        return None
    return SourceScope(rows=queries.teams_visible_to(user))


def register() -> None:
    sources.register_facet(Facet.DISTRICT, title=_("District"), label=district_name, order=10)
    sources.register(
        SearchSource(
            kind=SearchKind.ACHIEVEMENT,
            label=SearchKind.ACHIEVEMENT.label,
            loader=documents.achievement_documents,
            scope=achievement_scope,
            url=lambda achievement: reverse("transfer:achievement_detail", args=[achievement.pk]),
            summary=lambda achievement: [achievement.owner_name, achievement.get_maturity_display()],
        )
    )
    sources.register(
        SearchSource(
            kind=SearchKind.DEMAND,
            label=SearchKind.DEMAND.label,
            loader=documents.demand_documents,
            scope=demand_scope,
            url=lambda demand: reverse("transfer:demand_detail", args=[demand.pk]),
            summary=lambda demand: [demand.enterprise.name, demand.get_state_display()],
        )
    )
    sources.register(
        SearchSource(
            kind=SearchKind.TEAM,
            label=SearchKind.TEAM.label,
            loader=documents.team_documents,
            scope=team_scope,
            url=lambda team: reverse("transfer:team_detail", args=[team.pk]),
            summary=lambda team: [team.lead_organization.name],
        )
    )
