"""What the search index holds of transfer's objects (kinds "demand", "achievement", "team").

Contacts never go into the index: it keeps a display copy readable by anyone who can query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kexie.search.documents import SearchDocument
from kexie.transfer.enums import PUBLIC_STATES, SearchKind
from kexie.transfer.models import Achievement, Demand, ServiceTeam


def _by_ids(queryset, ids: Sequence[str] | None):
    if ids is None:
        return queryset.iterator(chunk_size=2000)
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return queryset.filter(pk__in=wanted)


def demand_documents(ids: Sequence[str] | None) -> Iterable[SearchDocument]:
    """Only public demands are indexed: a demand leaving them leaves the index."""
    demands = Demand.objects.select_related("industry", "enterprise").filter(state__in=PUBLIC_STATES)
    for demand in _by_ids(demands, ids):
        yield SearchDocument(
            kind=SearchKind.DEMAND,
            id=demand.pk,
            title=demand.title,
            body=demand.description,
            keywords=[demand.industry.name],
            district=demand.district,
            industries=[demand.industry.code],
            flags=[demand.state],
            org_id=demand.enterprise_id,
            year=(demand.published_at or demand.created_at).year,
        )


def achievement_documents(ids: Sequence[str] | None) -> Iterable[SearchDocument]:
    achievements = Achievement.objects.select_related("industry")
    for achievement in _by_ids(achievements, ids):
        flags = [achievement.kind, achievement.maturity]
        if achievement.is_published:
            flags.append("published")
        yield SearchDocument(
            kind=SearchKind.ACHIEVEMENT,
            id=achievement.pk,
            title=achievement.title,
            body=f"{achievement.abstract}\n{achievement.owner_name}",
            keywords=list(achievement.keywords),
            district=achievement.district,
            industries=[achievement.industry.code],
            flags=flags,
            org_id=achievement.owner_organization_id,
            year=achievement.year,
            activity=1,
        )


def team_documents(ids: Sequence[str] | None) -> Iterable[SearchDocument]:
    teams = ServiceTeam.objects.all()
    for team in _by_ids(teams, ids):
        expertise = [str(member.get("expertise", "")) for member in team.members]
        yield SearchDocument(
            kind=SearchKind.TEAM,
            id=team.pk,
            title=team.name,
            body="\n".join([team.description, *expertise]),
            keywords=[word for word in expertise if word][:20],
            district=team.districts[0] if team.districts else "",
            disciplines=list(team.disciplines),
            industries=list(team.industries),
            flags=["published"],
            org_id=team.lead_organization_id,
            activity=len(team.members),
        )
