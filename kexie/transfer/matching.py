"""Matches for a demand: experts (the expert library's index), achievements and service teams, each
explained in terms a staff member can check. One index call per kind keeps the page instant."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kexie.core.reference import district_name
from kexie.core.versioned import VersionedCache
from kexie.experts.enums import SearchKind as ExpertKind
from kexie.search import index as search
from kexie.search.documents import Filters, Hit
from kexie.search.ranking import DEMAND_MATCHING, SIGNAL_LABELS
from kexie.search.segment import get_segmenter
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

# Score bands, from a match's score relative to the first match of its list.
BAND_HIGH = 0.75
BAND_MEDIUM = 0.5
BANDS = {"high": _("High relevance"), "medium": _("Medium relevance"), "low": _("Low relevance")}
# The reasons shown for a match ranking above the next one.
AHEAD_REASONS = 3


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
    # Score relative to the first match of the list (1.0 for the first), and its band.
    relative: float = 0.0
    band: str = ""
    # Why it ranks above the next match: (label, margin) of the text score and the signals that
    # are higher than the next one's, largest first, and the matched terms the next one lacks.
    ahead: list[tuple[str, float]] = field(default_factory=list)
    ahead_terms: list[str] = field(default_factory=list)
    # Set by the page: the detail page the user may open, and whether a docking exists.
    url: str = ""
    docked: bool = False

    @property
    def band_label(self) -> str:
        return str(BANDS.get(self.band, ""))

    @property
    def percent(self) -> int:
        return round(self.relative * 100)

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


def band_legend() -> list[tuple[str, str, int]]:
    """(band, label, lowest percent of the first match's score) for the page's legend."""
    return [
        ("high", str(BANDS["high"]), round(BAND_HIGH * 100)),
        ("medium", str(BANDS["medium"]), round(BAND_MEDIUM * 100)),
        ("low", str(BANDS["low"]), 0),
    ]


def demand_words(demand: Demand) -> frozenset[str]:
    """The demand's whole words (the segmenter without the sub-words of long words)."""
    return frozenset(get_segmenter().tokens(demand_text(demand), search=False))


def whole_terms(terms, words: frozenset[str]) -> list[str]:
    """Matched terms a staff member can check: whole words of the demand, longer than one
    character, without a term that is part of another shown term (机器 next to 机器人)."""
    kept = [t for t in dict.fromkeys(terms) if len(t) > 1 and t in words]
    return [t for t in kept if not any(t != other and t in other for other in kept)]


def _terms(hit: Hit, words: frozenset[str]) -> list[str]:
    if hit.explanation is None:
        return []
    return whole_terms((t for terms in hit.explanation.matched_terms.values() for t in terms), words)


def _band(relative: float) -> str:
    if relative >= BAND_HIGH:
        return "high"
    return "medium" if relative >= BAND_MEDIUM else "low"


def _ahead(match: Match, below: Match) -> None:
    """Fill ``match.ahead``: what puts ``match`` above ``below``."""
    mine, theirs = match.hit.explanation, below.hit.explanation
    if mine is None or theirs is None:
        return
    margins = [(str(_("Text relevance")), mine.text_score - theirs.text_score)]
    for key in dict.fromkeys([*mine.signals, *theirs.signals]):
        label = SIGNAL_LABELS.get(key, key)
        margins.append((str(label), mine.signals.get(key, 0.0) - theirs.signals.get(key, 0.0)))
    match.ahead = sorted(
        ((label, round(margin, 2)) for label, margin in margins if margin >= 0.005), key=lambda x: -x[1]
    )[:AHEAD_REASONS]
    match.ahead_terms = [t for t in match.matched_terms if t not in below.matched_terms][:4]


def explain(demand: Demand, hits: list[Hit], kind: str, *, team_districts=None) -> list[Match]:
    """Turn hits into matches with their checkable reasons (one database query for past dockings)."""
    history = past_dockings(kind, [hit.id for hit in hits])
    words = demand_words(demand)
    top = hits[0].score if hits else 0.0
    matches = []
    for hit in hits:
        industry = shared_industry(demand.industry.code, hit.industries)
        districts = (team_districts or {}).get(hit.id) or ([hit.district] if hit.district else [])
        n, signed = history.get(hit.id, (0, 0))
        matches.append(
            Match(
                hit=hit,
                matched_terms=_terms(hit, words),
                linked_disciplines=[
                    (code, discipline_name(code))
                    for code in linked_disciplines(demand.industry.code, hit.disciplines)[:3]
                ],
                shared_industry=(industry, industry_name(industry)) if industry else None,
                same_district=demand.district in districts,
                district_name=district_name(hit.district),
                dockings=n,
                signed=signed,
                relative=hit.score / top if top > 0 else 0.0,
            )
        )
        matches[-1].band = _band(matches[-1].relative)
    for match, below in zip(matches, matches[1:], strict=False):
        _ahead(match, below)
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


# --- the page's cache ------------------------------------------------------------------------------
# The matching page ran three explained index searches with highlighting on every view (about a
# third of its server time). Its matches depend on the demand (pk, updated_at), the filters, the
# language (labels) and the data: the key holds the id of the newest audit event, which every write
# through a service changes (a verified expert, a published achievement, a docking), and a short
# lifetime bounds the index's own lag. In the process, like the dashboard's cache: nothing to pickle.
# Off in the test suite, whose rolled-back transactions reuse ids; tests of the cache turn it on.
TIMEOUT_SECONDS = 0 if settings.TESTING else 60
_entries = VersionedCache("transfer.matches", max_entries=256)


def clear_cache() -> None:
    _entries.clear()


def cached(kind: str, demand: Demand, compute: Callable[[], list[Match]], *, filters=None) -> list[Match]:
    """``compute()`` once per (kind, demand, filters, language, data version) and minute; the caller
    gets copies it may annotate (links, docked) for its user."""
    key = (kind, demand.pk, demand.updated_at, repr(filters), translation.get_language())
    matches = _entries.get(key, compute, timeout=TIMEOUT_SECONDS)
    return [copy.copy(match) for match in matches]
