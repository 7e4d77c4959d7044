"""JSON API of the societies app: the same scoping, masking and rules as its pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kexie.societies import queries, services
from kexie.societies.models import Directory, Event, IndexingDatabase, Inspection, Journal, Society

router = Router(tags=["societies"])


class SocietyOut(Schema):
    id: int
    name: str
    kind: str
    supervising_unit: str
    discipline: str
    individual_members: int
    unit_members: int
    student_members: int
    grade: str
    grade_year: int | None


class InspectionOut(Schema):
    id: int
    society_id: int
    year: int
    state: str
    rating: str
    score: Decimal | None
    submitted_at: datetime | None


class JournalOut(Schema):
    id: int
    title: str
    cn: str
    issn: str | None
    publisher: str
    discipline: str
    society: str | None
    indexing: list[str]


class JournalIn(Schema):
    title: str
    cn: str
    issn: str = ""
    publisher: str
    discipline: str
    title_en: str = ""
    frequency: str = ""
    founded_year: int | None = None
    indexing: list[str] = []


class EventOut(Schema):
    id: int
    kind: str
    title: str
    host: str
    starts_on: date
    ends_on: date
    venue: str
    state: str
    capacity: int
    registered: int
    registration_deadline: datetime | None


class RegistrationIn(Schema):
    name: str
    organization: str
    mobile: str


class RegistrationOut(Schema):
    event_id: int
    name: str
    code: str
    state: str


class EntryOut(Schema):
    discipline: str
    tier: str
    journal: JournalOut


class DirectoryOut(Schema):
    id: int
    title: str
    year: int
    tiers: list[str]
    entries: list[EntryOut]


def _society_out(s: Society) -> SocietyOut:
    return SocietyOut(
        id=s.pk,
        name=s.name,
        kind=s.kind,
        supervising_unit=s.supervising_unit.name,
        discipline=s.discipline,
        individual_members=s.individual_members,
        unit_members=s.unit_members,
        student_members=s.student_members,
        grade=s.grade,
        grade_year=s.grade_year,
    )


def _journal_out(j: Journal) -> JournalOut:
    return JournalOut(
        id=j.pk,
        title=j.title,
        cn=j.cn,
        issn=j.issn,
        publisher=j.publisher,
        discipline=j.discipline,
        society=j.society.name if j.society_id else None,
        indexing=[d.name for d in j.indexing.all()],
    )


def _event_out(e: Event) -> EventOut:
    return EventOut(
        id=e.pk,
        kind=e.kind,
        title=e.title,
        host=e.host_name,
        starts_on=e.starts_on,
        ends_on=e.ends_on,
        venue=e.venue,
        state=e.state,
        capacity=e.capacity,
        registered=getattr(e, "n_registered", 0),
        registration_deadline=e.registration_deadline,
    )


def _refused(exc: Exception):
    if isinstance(exc, PermissionDenied):
        return HttpError(403, "You may not do this.")
    if hasattr(exc, "message_dict"):
        return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    return HttpError(409, " ".join(exc.messages))


@router.get("/societies", response=list[SocietyOut])
def list_societies(request, limit: int = 50, offset: int = 0):
    """Staff see every society, a society's secretary their own."""
    return [
        _society_out(s) for s in queries.societies_visible_to(request.auth)[offset : offset + min(limit, 200)]
    ]


@router.get("/societies/{society_id}", response=SocietyOut)
def get_society(request, society_id: int):
    return _society_out(queries.access_society(request.auth, society_id))


@router.get("/inspections", response=list[InspectionOut])
def list_inspections(request, state: str = "", year: int | None = None, limit: int = 50, offset: int = 0):
    rows = queries.inspections_visible_to(request.auth)
    if state:
        rows = rows.filter(state=state)
    if year:
        rows = rows.filter(year=year)
    return [_inspection_out(i) for i in rows[offset : offset + min(limit, 200)]]


def _inspection_out(i: Inspection) -> InspectionOut:
    return InspectionOut(
        id=i.pk,
        society_id=i.society_id,
        year=i.year,
        state=i.state,
        rating=i.rating,
        score=i.score,
        submitted_at=i.submitted_at,
    )


@router.get("/journals", response=list[JournalOut], auth=None)
def list_journals(request, discipline: str = "", q: str = "", limit: int = 50, offset: int = 0):
    """The journal registry (public)."""
    rows = queries.journals_visible_to(None)
    if discipline:
        rows = rows.filter(discipline=discipline)
    if q:
        rows = rows.filter(title__icontains=q)
    return [_journal_out(j) for j in rows[offset : offset + min(limit, 200)]]


@router.get("/journals/{journal_id}", response=JournalOut, auth=None)
def get_journal(request, journal_id: int):
    return _journal_out(queries.access_journal(None, journal_id))


@router.post("/journals", response={201: JournalOut})
def register_journal(request, payload: JournalIn):
    data = payload.dict()
    names = data.pop("indexing")
    indexing = list(IndexingDatabase.objects.filter(name__in=names))
    if len(indexing) != len(set(names)):
        raise HttpError(422, "indexing: unknown database")
    try:
        journal = services.register_journal(by=request.auth, indexing=indexing, **data)
    except (PermissionDenied, ValidationError) as exc:
        raise _refused(exc) from None
    return Status(201, _journal_out(Journal.objects.prefetch_related("indexing").get(pk=journal.pk)))


@router.get("/directories", response=list[DirectoryOut], auth=None)
def list_directories(request):
    """Published journal directories with their entries."""
    rows = queries.directories_visible_to(None).prefetch_related(
        "entries__journal__indexing", "entries__journal__society__organization"
    )
    return [_directory_out(d) for d in rows]


def _directory_out(d: Directory) -> DirectoryOut:
    return DirectoryOut(
        id=d.pk,
        title=d.title,
        year=d.year,
        tiers=d.tiers,
        entries=[
            EntryOut(discipline=e.discipline, tier=e.tier, journal=_journal_out(e.journal))
            for e in d.entries.all()
        ],
    )


@router.get("/events", response=list[EventOut], auth=None)
def list_public_events(request, limit: int = 50, offset: int = 0):
    """Approved and held academic events (public)."""
    return [_event_out(e) for e in queries.public_events()[offset : offset + min(limit, 200)]]


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut}, auth=None)
def register(request, event_id: int, payload: RegistrationIn):
    """Sign up for an event (public): refused past capacity, after the deadline or twice."""
    event = queries.access_event(None, event_id)
    try:
        registration = services.register_attendee(event=event, **payload.dict())
    except ValidationError as exc:
        raise _refused(exc) from None
    return Status(
        201,
        RegistrationOut(
            event_id=event.pk, name=registration.name, code=registration.code, state=registration.state
        ),
    )
