"""JSON API of the calls app: the same scoping, masking and rules as its pages."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from kexie.calls import queries, rules, services
from kexie.calls.enums import SubmissionState
from kexie.calls.models import Call, Submission

router = Router(tags=["calls"])


class CallOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    organiser: str
    year: int
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    publicity_start: date | None
    publicity_end: date | None
    needs_code: bool


class SubmissionOut(Schema):
    id: int
    call_id: int
    kind: str
    title: str
    person_name: str
    organization: str
    channel: str
    state: str
    endorsed_levels: int
    returned_reasons: dict
    final_score: float | None
    rank: int | None
    decision: str
    decision_level: str
    decision_rule: str
    data: dict


class PublicityItem(Schema):
    id: int
    person_name: str
    organization: str
    title: str
    level: str


class AssignmentOut(Schema):
    id: int
    round: str
    submission_id: int
    title: str
    rubric: list
    scores: dict
    total: float | None
    vote: str
    comment: str
    scored_at: datetime | None


class DraftIn(Schema):
    data: dict
    title: str | None = None


class StartIn(Schema):
    title: str
    code: str | None = None
    organization_name: str = ""


class ScoreIn(Schema):
    scores: dict = {}
    vote: str = ""
    comment: str = ""


class FormalCheckIn(Schema):
    outcome: str
    reasons: dict = {}


def _call_out(c: Call) -> CallOut:
    return CallOut(
        id=c.pk,
        kind=c.kind,
        kind_label=c.kind_label,
        title=c.title,
        organiser=c.organiser.name,
        year=c.year,
        state=c.state,
        opens_at=c.opens_at,
        closes_at=c.closes_at,
        publicity_start=c.publicity_start,
        publicity_end=c.publicity_end,
        needs_code=c.needs_code,
    )


def _submission_out(s: Submission) -> SubmissionOut:
    return SubmissionOut(
        id=s.pk,
        call_id=s.call_id,
        kind=s.call.kind,
        title=s.title,
        person_name=s.person_name,
        organization=s.organization_name,
        channel=s.channel.organization.name if s.channel_id else "",
        state=s.state,
        endorsed_levels=s.endorsed_levels,
        returned_reasons=s.returned_reasons,
        final_score=s.final_score,
        rank=s.rank,
        decision=s.decision,
        decision_level=s.decision_level,
        decision_rule=s.decision_rule,
        data=s.data,
    )


def _service(call):
    try:
        return call()
    except PermissionDenied:
        raise HttpError(403, "You may not do this.") from None
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None


@router.get("/calls", response=list[CallOut], auth=None)
def list_calls(request, state: str = "", kind: str = "", limit: int = 50, offset: int = 0):
    """Published calls (and, signed in, the drafts of calls you run)."""
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    rows = queries.calls_visible_to(user)
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    return [_call_out(c) for c in rows[offset : offset + min(limit, 200)]]


@router.get("/calls/{call_id}/publicity", response=list[PublicityItem], auth=None)
def publicity(request, call_id: int):
    call = queries.access_call(None, call_id)
    if call.state not in ("publicity", "final"):
        raise HttpError(404, "Not in publicity.")
    return [
        PublicityItem(
            id=s.pk,
            person_name=s.person_name,
            organization=s.organization_name,
            title=s.title,
            level=s.decision_level,
        )
        for s in queries.publicity_list(call)
    ]


@router.get("/submissions", response=list[SubmissionOut])
def list_submissions(request, call_id: int | None = None, state: str = "", limit: int = 50, offset: int = 0):
    """Your dossiers, your channel's and unit's, and (staff) those of the calls you run."""
    rows = queries.submissions_visible_to(request.auth)
    if call_id:
        rows = rows.filter(call_id=call_id)
    if state:
        rows = rows.filter(state=state)
    return [_submission_out(s) for s in rows.order_by("pk")[offset : offset + min(limit, 200)]]


@router.post("/calls/{call_id}/submissions", response={201: SubmissionOut})
def start_submission(request, call_id: int, payload: StartIn):
    call = queries.access_call(request.auth, call_id)
    s = _service(
        lambda: services.create_submission(
            call=call,
            applicant=request.auth,
            title=payload.title,
            code=payload.code,
            organization_name=payload.organization_name,
        )
    )
    return 201, _submission_out(s)


@router.get("/submissions/{submission_id}", response=SubmissionOut)
def get_submission(request, submission_id: int):
    return _submission_out(queries.access_submission(request.auth, submission_id))


@router.put("/submissions/{submission_id}/draft", response=SubmissionOut)
def save_draft(request, submission_id: int, payload: DraftIn):
    s = queries.access_submission(request.auth, submission_id)
    return _submission_out(
        _service(lambda: services.save_draft(s, by=request.auth, data=payload.data, title=payload.title))
    )


@router.post("/submissions/{submission_id}/submit", response=SubmissionOut)
def submit(request, submission_id: int):
    s = queries.access_submission(request.auth, submission_id)
    verb = services.resubmit if s.state == SubmissionState.RETURNED else services.submit
    return _submission_out(_service(lambda: verb(s, by=request.auth)))


@router.post("/submissions/{submission_id}/endorse", response=SubmissionOut)
def endorse(request, submission_id: int):
    s = queries.access_submission(request.auth, submission_id)
    return _submission_out(_service(lambda: services.endorse(s, by=request.auth)))


@router.post("/submissions/{submission_id}/formal-check", response=SubmissionOut)
def formal_check(request, submission_id: int, payload: FormalCheckIn):
    s = queries.access_submission(request.auth, submission_id)
    if not rules.is_call_staff(request.auth, s.call):
        raise HttpError(403, "You may not do this.")
    return _submission_out(
        _service(
            lambda: services.formal_check(
                s, by=request.auth, outcome=payload.outcome, reasons=payload.reasons
            )
        )
    )


@router.get("/reviews", response=list[AssignmentOut])
def my_reviews(request):
    """Your review assignments (blind rounds: no names in the title line beyond the dossier's)."""
    rows = queries.assignments_of(request.auth).order_by("pk")
    return [
        AssignmentOut(
            id=a.pk,
            round=str(a.round),
            submission_id=a.submission_id,
            title=a.submission.title,
            rubric=a.round.rubric,
            scores=a.scores,
            total=a.total,
            vote=a.vote,
            comment=a.comment,
            scored_at=a.scored_at,
        )
        for a in rows
    ]


@router.post("/reviews/{assignment_id}", response=AssignmentOut)
def score(request, assignment_id: int, payload: ScoreIn):
    a = queries.access_assignment(request.auth, assignment_id)
    if a.round.kind == "panel":
        _service(lambda: services.vote(a, by=request.auth, vote=payload.vote, comment=payload.comment))
    else:
        _service(lambda: services.score(a, by=request.auth, scores=payload.scores, comment=payload.comment))
    a.refresh_from_db()
    return AssignmentOut(
        id=a.pk,
        round=str(a.round),
        submission_id=a.submission_id,
        title=a.submission.title,
        rubric=a.round.rubric,
        scores=a.scores,
        total=a.total,
        vote=a.vote,
        comment=a.comment,
        scored_at=a.scored_at,
    )
