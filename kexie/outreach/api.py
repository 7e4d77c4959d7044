"""JSON API of the outreach app: the same scoping, masking and rules as its pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from kexie.outreach import queries, rules, services
from kexie.outreach.models import Activity, Bulletin, BulletinDelivery, Campaign

router = Router(tags=["outreach"])


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    audience: str
    district: str
    district_name: str
    organizer: str
    place: str
    latitude: Decimal | None
    longitude: Decimal | None
    starts_at: datetime
    ends_at: datetime
    campaign: str | None
    state: str
    attendance: int | None


class DistrictRow(Schema):
    district: str
    name: str
    registered: int
    reported: int
    due: int
    share: int | None
    attendance: int


class ScanIn(Schema):
    token: str


class SignUpOut(Schema):
    id: int
    activity_id: int
    state: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    hours: Decimal | None
    confirmed_hours: Decimal | None


class LedgerOut(Schema):
    volunteer: str
    district: str
    confirmed_hours: Decimal
    star_level: str | None
    services: list[SignUpOut]


class BulletinOut(Schema):
    id: int
    title: str
    topic: str
    content: str
    is_drill: bool
    state: str
    published_at: datetime | None
    read_at: datetime | None = None


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    district: str
    district_name: str
    latitude: Decimal | None
    longitude: Decimal | None


def _activity_out(a: Activity) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "audience": a.audience,
        "district": a.district,
        "district_name": a.district_name,
        "organizer": a.organizer.name,
        "place": a.place,
        "latitude": a.latitude,
        "longitude": a.longitude,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "campaign": a.campaign.name if a.campaign else None,
        "state": a.state,
        "attendance": a.attendance,
    }


@router.get("/public/activities", response=list[ActivityOut], auth=None)
def public_activities(request, district: str = "", limit: int = 50, offset: int = 0):
    activities = queries.public_activities().order_by("starts_at", "pk")
    if district:
        activities = activities.filter(district=district)
    return [_activity_out(a) for a in activities[offset : offset + min(limit, 200)]]


@router.get("/activities", response=list[ActivityOut])
def list_activities(request, state: str = "", limit: int = 50, offset: int = 0):
    activities = queries.activities_visible_to(request.auth).order_by("-starts_at", "-pk")
    if state:
        activities = activities.filter(state=state)
    return [_activity_out(a) for a in activities[offset : offset + min(limit, 200)]]


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: int):
    return _activity_out(queries.access_activity(request.auth, activity_id))


@router.get("/completeness", response=list[DistrictRow])
def completeness(request, campaign: int | None = None):
    if not rules.can_view_completeness(request.auth):
        raise HttpError(403, "You may not see reporting completeness.")
    chosen = Campaign.objects.filter(pk=campaign).first() if campaign else None
    rows = queries.completeness(campaign=chosen)
    if not rules.sees_all(request.auth):
        rows = [r for r in rows if r["district"] in rules.district_codes(request.auth)]
    return rows


@router.post("/scan", response=SignUpOut)
def scan(request, payload: ScanIn):
    """A volunteer's app posts the token read from the QR code: check in or out."""
    volunteer = getattr(request.auth, "volunteer", None)
    if volunteer is None:
        raise HttpError(403, "Only registered volunteers can check in.")
    try:
        signup = services.scan(token=payload.token, volunteer=volunteer)
    except ValidationError as exc:
        raise HttpError(409 if exc.code == "duplicate" else 400, " ".join(exc.messages)) from None
    return signup


@router.get("/me/ledger", response=LedgerOut)
def my_ledger(request):
    volunteer = getattr(request.auth, "volunteer", None)
    if volunteer is None:
        raise HttpError(404, "You are not registered as a volunteer.")
    hours = queries.confirmed_hours(volunteer)
    level = queries.star_level(hours)
    return {
        "volunteer": volunteer.real_name,
        "district": volunteer.district,
        "confirmed_hours": hours,
        "star_level": level.name if level else None,
        "services": list(queries.ledger(volunteer)),
    }


def _bulletin_out(b: Bulletin, user) -> dict:
    mine = BulletinDelivery.objects.filter(
        bulletin=b, organization_id__in=rules.staff_organization_ids(user)
    ).first()
    return {
        "id": b.pk,
        "title": b.title,
        "topic": b.topic,
        "content": b.content,
        "is_drill": b.is_drill,
        "state": b.state,
        "published_at": b.published_at,
        "read_at": mine.read_at if mine else None,
    }


@router.get("/bulletins", response=list[BulletinOut])
def list_bulletins(request, limit: int = 50, offset: int = 0):
    bulletins = queries.bulletins_visible_to(request.auth).order_by("-published_at", "-pk")
    return [_bulletin_out(b, request.auth) for b in bulletins[offset : offset + min(limit, 200)]]


@router.get("/bulletins/{bulletin_id}", response=BulletinOut)
def get_bulletin(request, bulletin_id: int):
    return _bulletin_out(queries.access_bulletin(request.auth, bulletin_id), request.auth)


@router.post("/bulletins/{bulletin_id}/read", response=BulletinOut)
def read_bulletin(request, bulletin_id: int):
    bulletin = queries.access_bulletin(request.auth, bulletin_id)
    delivery = BulletinDelivery.objects.filter(
        bulletin=bulletin, organization_id__in=rules.staff_organization_ids(request.auth)
    ).first()
    if delivery is None:
        raise HttpError(403, "This bulletin was not delivered to your organization.")
    try:
        services.acknowledge(delivery=delivery, by=request.auth)
    except PermissionDenied:
        raise HttpError(403, "You may not confirm this bulletin.") from None
    return _bulletin_out(bulletin, request.auth)


@router.get("/venues", response=list[VenueOut], auth=None)
def list_venues(request):
    return list(queries.venues_visible_to(request.user))


@router.get("/venues/{venue_id}", response=VenueOut)
def get_venue(request, venue_id: int):
    return queries.access_venue(request.auth, venue_id)
