"""The expert library's search source (kind "expert"): what the index holds of each profile.

Contract for other apps (transfer matching, think tank): title = name (found by the search box,
never by matching: the matching ranking gives an expert's title no weight, so 张智慧 does not match
智慧); body = biography and research areas; works = work titles (searched with the body and, for
matching, each scored on its own); keywords = keywords and research areas; disciplines = NSFC
codes; district = division code; flags = "verified" (staff checked the profile), "overseas" (海智),
"available"; org_id = the platform organization if any; year = latest work year; activity = number of works.
No personal data (mobile, ID number, e-mail) goes into the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from django.db.models import Prefetch

from kexie.experts.enums import Availability, ProfessionalTitle, SearchKind, VerificationState
from kexie.experts.models import Discipline, Expert, Work
from kexie.search.documents import SearchDocument

FLAG_VERIFIED = "verified"
FLAG_OVERSEAS = "overseas"
FLAG_AVAILABLE = "available"

_SPLIT = re.compile(r"[；;，,、\n]+")
BATCH = 2000


def split_terms(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


# 职称 level: 正高 senior, 副高 associate, 中级 intermediate.
TITLE_LEVELS = {
    ProfessionalTitle.PROFESSOR: "senior",
    ProfessionalTitle.RESEARCHER: "senior",
    ProfessionalTitle.PROFESSOR_ENGINEER: "senior",
    ProfessionalTitle.CHIEF_PHYSICIAN: "senior",
    ProfessionalTitle.ASSOCIATE_PROFESSOR: "associate",
    ProfessionalTitle.ASSOCIATE_RESEARCHER: "associate",
    ProfessionalTitle.SENIOR_ENGINEER: "associate",
    ProfessionalTitle.ASSOCIATE_CHIEF_PHYSICIAN: "associate",
    ProfessionalTitle.LECTURER: "intermediate",
    ProfessionalTitle.ASSISTANT_RESEARCHER: "intermediate",
    ProfessionalTitle.ENGINEER: "intermediate",
}


def expert_document(expert: Expert) -> SearchDocument:
    works = list(expert.works.all())
    years = [w.year for w in works if w.year]
    flags = []
    if expert.state == VerificationState.VERIFIED:
        flags.append(FLAG_VERIFIED)
    if expert.overseas:
        flags.append(FLAG_OVERSEAS)
    if expert.availability == Availability.AVAILABLE:
        flags.append(FLAG_AVAILABLE)
    level = TITLE_LEVELS.get(expert.title)
    if level:
        # The matching page filters by title level (transfer.matching.TITLE_FLAG).
        flags.append(f"title:{level}")
    body = "\n".join(part for part in [expert.biography, expert.research_areas] if part)
    return SearchDocument(
        kind=SearchKind.EXPERT,
        id=expert.pk,
        title=expert.name,
        body=body,
        works=[w.title for w in works if w.title],
        keywords=[*expert.keywords, *split_terms(expert.research_areas)],
        district=expert.district,
        disciplines=[d.code for d in expert.disciplines.all()],
        flags=flags,
        org_id=expert.organization_id,
        year=max(years) if years else None,
        activity=len(works),
    )


def expert_documents(ids: Sequence[str] | None) -> Iterator[SearchDocument]:
    """The registered loader: documents for ``ids`` (all experts when None); missing ids are skipped."""
    queryset = Expert.objects.order_by("pk").prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.only("code")),
        Prefetch("works", queryset=Work.objects.only("expert_id", "title", "year")),
    )
    if ids is not None:
        wanted = [int(i) for i in ids if str(i).isdigit()]
        queryset = queryset.filter(pk__in=wanted)
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for expert in batch:
            yield expert_document(expert)
        last = batch[-1].pk
