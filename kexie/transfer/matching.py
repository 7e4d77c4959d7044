"""Matches for a demand: experts (the expert library's index), achievements and service teams, each
explained in terms a staff member can check. One index call per kind keeps the page instant."""

from __future__ import annotations

from dataclasses import dataclass, field

from kexie.core.reference import district_name
from kexie.experts.enums import SearchKind as ExpertKind
from kexie.search import index as search
from kexie.search.documents import Filters, Hit
from kexie.search.ranking import DEMAND_MATCHING
from kexie.search.taxonomy import discipline_name, industry_name
from kexie.transfer.enums import SearchKind
from kexie.transfer.linking import linked_disciplines, shared_industry
from kexie.transfer.models import Demand, ServiceTeam
from kexie.transfer.queries import past_dockings

# Flags the expert library sets on expert documents, used as filters.
FLAG_VERIFIED = "verified"
FLAG_OVERSEAS = "overseas"
FLAG_AVAILABLE = "available"
TITLE_FLAG = "title:{}"


@dataclass
class Match:
    hit: Hit
    matched_terms: list[str]
    linked_disciplines: list[tuple[str, str]] = field(default_factory=list)
    shared_industry: tuple[str, str] | None = None
    same_district: bool = False
    district_name: str = ""
    dockings: int = 0
    signed: int = 0

    @property
    def kind(self) -> str:
        return self.hit.kind

    @property
    def id(self) -> str:
        return self.hit.id


@dataclass
class MatchFilters:
    district: str = ""
    title: str = ""
    overseas: bool = False
    available: bool = False

    def expert_filters(self) -> Filters:
        # Only profiles staff have verified are offered for docking.
        flags = [FLAG_VERIFIED]
        if self.overseas:
            flags.append(FLAG_OVERSEAS)
        if self.available:
            flags.append(FLAG_AVAILABLE)
        if self.title:
            flags.append(TITLE_FLAG.format(self.title))
        return Filters(districts=(self.district,) if self.district else (), flags=tuple(flags))


def demand_text(demand: Demand) -> str:
    return f"{demand.title}\n{demand.description}"


def _terms(hit: Hit) -> list[str]:
    if hit.explanation is None:
        return []
    seen: dict[str, None] = {}
    for terms in hit.explanation.matched_terms.values():
        for term in terms:
            seen.setdefault(term, None)
    return list(seen)


def explain(demand: Demand, hits: list[Hit], kind: str, *, team_districts=None) -> list[Match]:
    """Turn hits into matches with their checkable reasons (one database query for past dockings)."""
    history = past_dockings(kind, [hit.id for hit in hits])
    matches = []
    for hit in hits:
        industry = shared_industry(demand.industry.code, hit.industries)
        districts = (team_districts or {}).get(hit.id) or ([hit.district] if hit.district else [])
        n, signed = history.get(hit.id, (0, 0))
        matches.append(
            Match(
                hit=hit,
                matched_terms=_terms(hit),
                linked_disciplines=[
                    (code, discipline_name(code))
                    for code in linked_disciplines(demand.industry.code, hit.disciplines)[:3]
                ],
                shared_industry=(industry, industry_name(industry)) if industry else None,
                same_district=demand.district in districts,
                district_name=district_name(hit.district),
                dockings=n,
                signed=signed,
            )
        )
    return matches


def match_experts(demand: Demand, *, filters: MatchFilters | None = None, limit: int = 10) -> list[Match]:
    filters = filters or MatchFilters()
    results = search.match(
        demand_text(demand),
        kinds=(ExpertKind.EXPERT,),
        filters=filters.expert_filters(),
        limit=limit,
        ranking=DEMAND_MATCHING,
    )
    return explain(demand, results.hits, ExpertKind.EXPERT)


def match_achievements(demand: Demand, *, limit: int = 10) -> list[Match]:
    results = search.match(
        demand_text(demand),
        kinds=(SearchKind.ACHIEVEMENT,),
        filters=Filters(flags=("published",)),
        limit=limit,
        ranking=DEMAND_MATCHING,
    )
    return explain(demand, results.hits, SearchKind.ACHIEVEMENT)


def match_teams(demand: Demand, *, limit: int = 10) -> list[Match]:
    results = search.match(
        demand_text(demand), kinds=(SearchKind.TEAM,), limit=limit, ranking=DEMAND_MATCHING
    )
    served = dict(
        ServiceTeam.objects.filter(
            pk__in=[int(hit.id) for hit in results.hits if hit.id.isdigit()]
        ).values_list("pk", "districts")
    )
    return explain(
        demand,
        results.hits,
        SearchKind.TEAM,
        team_districts={str(pk): codes for pk, codes in served.items()},
    )
