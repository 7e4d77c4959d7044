"""JSON API of technology transfer: the same rules and scoped queries as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from kexie.transfer import queries, services
from kexie.transfer.models import Achievement, Demand, Docking

# Paging: a negative offset or a limit out of range is a 422 naming the parameter, never a 500.
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]

router = Router(tags=["transfer"])


class DemandOut(Schema):
    id: int
    title: str
    description: str
    industry: str
    industry_name: str
    district: str
    district_name: str
    budget: str
    deadline: date | None
    enterprise: str
    state: str
    contact_name: str
    contact_mobile: str
    published_at: datetime | None


class AchievementOut(Schema):
    id: int
    title: str
    abstract: str
    keywords: list[str]
    kind: str
    maturity: str
    owner_name: str
    industry: str
    district: str
    year: int | None
    is_published: bool


class DockingOut(Schema):
    id: int
    demand_id: int
    target_kind: str
    target_id: str
    target_name: str
    outcome: str
    contract_amount: Decimal | None
    signed_on: date | None
    records: int
    created_at: datetime


class DockingIn(Schema):
    target_kind: str
    target_id: str
    target_name: str = ""


def _demand_out(demand: Demand, user) -> DemandOut:
    return DemandOut(
        id=demand.pk,
        title=demand.title,
        description=demand.description,
        industry=demand.industry.code,
        industry_name=demand.industry.name,
        district=demand.district,
        district_name=demand.district_name,
        budget=demand.budget,
        deadline=demand.deadline,
        enterprise=demand.enterprise.name,
        state=demand.state,
        contact_name=demand.contact_name,
        contact_mobile=services.shown_contact_mobile(demand, user),
        published_at=demand.published_at,
    )


def _achievement_out(a: Achievement) -> AchievementOut:
    return AchievementOut(
        id=a.pk,
        title=a.title,
        abstract=a.abstract,
        keywords=list(a.keywords),
        kind=a.kind,
        maturity=a.maturity,
        owner_name=a.owner_name,
        industry=a.industry.code,
        district=a.district,
        year=a.year,
        is_published=a.is_published,
    )


def _docking_out(k: Docking) -> DockingOut:
    return DockingOut(
        id=k.pk,
        demand_id=k.demand_id,
        target_kind=k.target_kind,
        target_id=k.target_id,
        target_name=k.target_name,
        outcome=k.outcome,
        contract_amount=k.contract_amount,
        signed_on=k.signed_on,
        records=getattr(k, "record_count", 0),
        created_at=k.created_at,
    )


@router.get("/public/demands", response=list[DemandOut], auth=None)
def public_demands(request, limit: Limit = 50, offset: Offset = 0):
    """Published demands, contacts masked (no sign-in needed)."""
    rows = queries.public_demands()[offset : offset + limit]
    return [_demand_out(d, None) for d in rows]


@router.get("/public/achievements", response=list[AchievementOut], auth=None)
def public_achievements(request, limit: Limit = 50, offset: Offset = 0):
    return [_achievement_out(a) for a in queries.public_achievements()[offset : offset + limit]]


@router.get("/demands", response=list[DemandOut])
def list_demands(request, state: str = "", limit: Limit = 50, offset: Offset = 0):
    """Enterprises see their own and published demands, staff see all."""
    demands = queries.demands_visible_to(request.auth)
    if state:
        demands = demands.filter(state=state)
    return [_demand_out(d, request.auth) for d in demands[offset : offset + limit]]


@router.get("/demands/{demand_id}", response=DemandOut)
def get_demand(request, demand_id: int):
    demand = queries.access_demand(request.auth, demand_id)
    return _demand_out(demand, request.auth)


@router.post("/demands/{demand_id}/publish", response=DemandOut)
def publish_demand(request, demand_id: int):
    demand = queries.access_demand(request.auth, demand_id)
    try:
        demand = services.publish_demand(demand=demand, by=request.auth)
    except PermissionDenied:
        raise HttpError(403, "You may not publish this demand.") from None
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return _demand_out(demand, request.auth)


@router.get("/achievements", response=list[AchievementOut])
def list_achievements(request, limit: Limit = 50, offset: Offset = 0):
    rows = queries.achievements_visible_to(request.auth)[offset : offset + limit]
    return [_achievement_out(a) for a in rows]


@router.get("/dockings", response=list[DockingOut])
def list_dockings(request, limit: Limit = 50, offset: Offset = 0):
    return [_docking_out(k) for k in queries.dockings_visible_to(request.auth)[offset : offset + limit]]


@router.post("/demands/{demand_id}/dockings", response={201: DockingOut})
def create_docking(request, demand_id: int, payload: DockingIn):
    demand = queries.access_demand(request.auth, demand_id)
    try:
        docking = services.create_docking(demand=demand, by=request.auth, **payload.dict())
    except PermissionDenied:
        raise HttpError(403, "You may not create a docking for this demand.") from None
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return Status(201, _docking_out(docking))
