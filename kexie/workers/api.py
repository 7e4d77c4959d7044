"""JSON API of the sci-tech workers' services: the same rules, scoping and masking as the pages."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from kexie.workers import queries, rules, services
from kexie.workers.models import NeedCategory

router = Router(tags=["workers"])


class NeedIn(Schema):
    category: str
    title: str
    description: str
    anonymous: bool = False
    contact_mobile: str = ""
    contact_email: str = ""
    district: str = ""
    organization_name: str = ""


class NeedOut(Schema):
    id: int
    receipt: str
    category: str
    title: str
    state: str
    routed_to: str | None
    reply_due: date | None
    filer: str | None


class RatingIn(Schema):
    rating: str
    reason: str = ""


def _out(need, user) -> dict:
    return {
        "id": need.pk,
        "receipt": need.receipt,
        "category": need.category.name,
        "title": need.title,
        "state": need.state,
        "routed_to": need.routed_to.name if need.routed_to else None,
        "reply_due": need.reply_due,
        "filer": (need.filer.full_name or need.filer.username) if rules.can_see_filer(user, need) else None,
    }


def _errors(exc: ValidationError) -> HttpError:
    return HttpError(422, "；".join(exc.messages))


@router.get("/needs", response=list[NeedOut])
def list_needs(request, limit: int = 50, offset: int = 0):
    if not (1 <= limit <= 200 and offset >= 0):
        raise HttpError(422, "limit 1–200, offset ≥ 0")
    needs = queries.needs_visible_to(request.auth)[offset : offset + limit]
    return [_out(n, request.auth) for n in needs]


@router.post("/needs", response={201: NeedOut})
def file_need(request, payload: NeedIn):
    category = NeedCategory.objects.filter(code=payload.category, active=True).first()
    if category is None:
        raise HttpError(422, f"未知的诉求类别“{payload.category}”")
    try:
        need = services.file_need(by=request.auth, category=category, **payload.dict(exclude={"category"}))
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "无权操作") from exc
    return 201, _out(need, request.auth)


@router.get("/needs/{need_id}", response=NeedOut)
def get_need(request, need_id: int):
    return _out(queries.access_need(request.auth, need_id), request.auth)


@router.post("/needs/{need_id}/rating", response=NeedOut)
def rate(request, need_id: int, payload: RatingIn):
    need = queries.access_need(request.auth, need_id)
    try:
        need = services.rate_reply(need=need, rating=payload.rating, reason=payload.reason, by=request.auth)
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "无权操作") from exc
    return _out(need, request.auth)


@router.get("/statistics", auth=None)
def statistics(request):
    return queries.need_statistics()
