"""JSON API of the talent app: the same scoping, masking and rules as its pages."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kexie.core.context import current_context
from kexie.talent import queries, rules
from kexie.talent.models import ProgressReport
from kexie.talent.services import awards, programme

router = Router(tags=["talent"])


class RoundOut(Schema):
    id: int
    award: str
    level: str
    kind: str
    year: int
    state: str
    nominations: int
    voting_open: bool


class NominationOut(Schema):
    id: int
    round_id: int
    name: str
    organization_name: str
    outcome: str
    votes: int
    supported: bool  # a 托举 person, favoured in award review


class ReportOut(Schema):
    id: int
    person_id: int
    support_year: int
    due_on: date
    state: str
    on_time: bool | None


class ReportIn(Schema):
    progress: str
    outputs: str = ""


def _refused(exc: ValidationError):
    return HttpError(422, "；".join(exc.messages))


@router.get("/rounds", response=list[RoundOut], auth=None)
def list_rounds(request):
    """Rounds the reader may see (the public: rounds past preparation)."""
    return [
        RoundOut(
            id=r.pk,
            award=r.award.name,
            level=r.award.level,
            kind=r.award.kind,
            year=r.year,
            state=r.state,
            nominations=r.n_nominations,
            voting_open=awards.voting_open(r),
        )
        for r in queries.rounds_visible_to(request.user)[:200]
    ]


@router.get("/rounds/{round_id}/nominations", response=list[NominationOut], auth=None)
def list_nominations(request, round_id: int):
    round_ = queries.access_round(request.user, round_id)
    tally = queries.vote_tally(round_)
    supported = (
        queries.supported_expert_ids(on=round_.reference_date)
        if rules.can_view_awards(request.user)
        else set()
    )
    return [
        NominationOut(
            id=n.pk,
            round_id=n.round_id,
            name=n.name,
            organization_name=n.organization_name,
            outcome=n.outcome,
            votes=tally.get(n.pk, (0, 0))[0],
            supported=n.expert_id in supported,
        )
        for n in queries.nominations_visible_to(request.user).filter(round=round_)
    ]


@router.post("/nominations/{nomination_id}/vote", response={201: dict})
def vote(request, nomination_id: int):
    nomination = queries.access_nomination(request.auth, nomination_id)
    try:
        cast = awards.cast_vote(nomination=nomination, user=request.auth, ip=current_context().ip)
    except ValidationError as exc:
        raise _refused(exc) from None
    return Status(201, {"counted": not cast.flagged})


@router.get("/reports", response=list[ReportOut])
def my_reports(request):
    """The reader's own progress reports (a supported person), or every report for programme staff."""
    people = queries.people_visible_to(request.auth)
    return [
        ReportOut(
            id=r.pk,
            person_id=r.person_id,
            support_year=r.support_year,
            due_on=r.due_on,
            state=r.state,
            on_time=r.on_time,
        )
        for p in people.prefetch_related("reports")
        for r in p.reports.all()
    ]


@router.post("/reports/{report_id}", response=ReportOut)
def file_report(request, report_id: int, payload: ReportIn):
    report = (
        ProgressReport.objects.select_related("person__expert")
        .filter(pk=report_id, person__in=queries.people_visible_to(request.auth))
        .first()
    )
    if report is None:
        raise HttpError(404, "Not Found")
    if not rules.can_file_report(request.auth, report.person):
        raise PermissionDenied
    try:
        report = programme.submit_report(
            report=report, by=request.auth, progress=payload.progress, outputs=payload.outputs
        )
    except ValidationError as exc:
        raise _refused(exc) from None
    return ReportOut(
        id=report.pk,
        person_id=report.person_id,
        support_year=report.support_year,
        due_on=report.due_on,
        state=report.state,
        on_time=report.on_time,
    )
