"""JSON API of the expert library: the same scoping, masking and rules as the pages."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kexie.core.services import record_personal_data_view
from kexie.experts import rules
from kexie.experts.models import Expert
from kexie.experts.queries import access_expert, experts_visible_to, shown_contact, with_lists

router = Router(tags=["experts"])

MAX_LIMIT = 200


class DisciplineOut(Schema):
    code: str
    name: str


class ExpertOut(Schema):
    id: int
    name: str
    sex: str
    birth_year: int | None
    organization: str
    organization_kind: str
    title: str
    honours: list[str]
    disciplines: list[DisciplineOut]
    keywords: list[str]
    research_areas: str
    district: str
    overseas: bool
    availability: str
    state: str
    mobile: str
    id_number: str
    email: str
    masked: bool


class ExpertFilters(Schema):
    district: str = ""
    discipline: str = ""
    state: str = ""
    overseas: bool | None = None
    limit: int = 50
    offset: int = 0


def _out(expert: Expert, *, unmasked: bool) -> dict:
    return {
        "id": expert.pk,
        "name": expert.name,
        "sex": expert.sex,
        "birth_year": expert.birth_year,
        "organization": expert.organization_display,
        "organization_kind": expert.organization_kind,
        "title": expert.title,
        "honours": list(expert.honours),
        "disciplines": [{"code": d.code, "name": d.name} for d in expert.disciplines.all()],
        "keywords": list(expert.keywords),
        "research_areas": expert.research_areas,
        "district": expert.district,
        "overseas": expert.overseas,
        "availability": expert.availability,
        "state": expert.state,
        **shown_contact(expert, unmasked=unmasked),
        "masked": not unmasked,
    }


@router.get(
    "/", response=list[ExpertOut], summary="Experts visible to the caller (contact details masked by role)"
)
def list_experts(request, filters: Query[ExpertFilters]):
    if not 1 <= filters.limit <= MAX_LIMIT or filters.offset < 0:
        raise HttpError(422, f"limit must be between 1 and {MAX_LIMIT}, offset not negative")
    experts = experts_visible_to(request.user)
    if filters.district:
        experts = experts.filter(district=filters.district)
    if filters.discipline:
        experts = experts.filter(disciplines__code__startswith=filters.discipline.upper()).distinct()
    if filters.state:
        experts = experts.filter(state=filters.state)
    if filters.overseas is not None:
        experts = experts.filter(overseas=filters.overseas)
    rows = with_lists(experts).order_by("pk")[filters.offset : filters.offset + filters.limit]
    unmasked = rules.can_see_personal_data(request.user)
    rows = list(rows)
    if unmasked and rows:
        record_personal_data_view(None, actor=request.user, fields=rules.PERSONAL_FIELDS, count=len(rows))
    return [_out(e, unmasked=unmasked or rules.is_own_profile(request.user, e)) for e in rows]


@router.get("/{expert_id}", response=ExpertOut, summary="One expert")
def get_expert(request, expert_id: int):
    expert = access_expert(request.user, expert_id)
    unmasked = rules.can_see_personal_data_of(request.user, expert)
    if unmasked and not rules.is_own_profile(request.user, expert):
        record_personal_data_view(expert, actor=request.user, fields=rules.PERSONAL_FIELDS)
    return _out(expert, unmasked=unmasked)
