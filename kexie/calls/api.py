"""JSON API of the calls app: the same scoping, masking and rules as its pages."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
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


# ----------------------------------------------------------------------------------- staff API
# Creating and running calls: the same access rules as the staff pages (an invisible call answers
# 404, a call the user may read but not run 403) and the same services (audit, validation, Chinese
# messages in ``detail`` on 422).


class CallIn(Schema):
    kind: str
    title: str
    organiser_id: int
    year: int
    description: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    check_until: date | None = None
    needs_code: bool | None = None
    publicity_days: int = 5
    form_schema: dict = {}
    eligibility: list = []
    endorsement_chain: list[str] | None = None
    decision_rule: dict = {}


class CallPatch(Schema):
    title: str | None = None
    description: str | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    check_until: date | None = None
    needs_code: bool | None = None
    publicity_days: int | None = None
    form_schema: dict | None = None
    eligibility: list | None = None
    endorsement_chain: list[str] | None = None
    decision_rule: dict | None = None


class ChannelIn(Schema):
    organization_id: int
    quota: int
    admins: list[str] = []


class QuotaIn(Schema):
    quota: int


class ChannelOut(Schema):
    id: int
    call_id: int
    organization: str
    quota: int
    used: int
    admins: list[str]


class CodesIn(Schema):
    count: int


class CodeOut(Schema):
    code: str
    batch: int


class RoundIn(Schema):
    name: str = ""
    kind: str = "remote"
    rubric: list = []
    blind: bool = True
    reviewers_per_submission: int = 3
    max_load: int = 10
    comment_below: float | None = None
    pass_rule: dict | None = None
    disciplines: list[str] = []
    aggregation: str = "zscore"
    due: date | None = None


class RoundOut(Schema):
    id: int
    call_id: int
    number: int
    name: str
    kind: str
    state: str
    blind: bool
    reviewers_per_submission: int
    max_load: int
    aggregation: str
    rubric: list
    reviewers: int
    assignments: int


class InviteIn(Schema):
    expert_ids: list[int]


class PairIn(Schema):
    submission_id: int
    expert_id: int
    kind: str | None = None  # "pin", "forbid" or null to clear


class AssignIn(Schema):
    method: str = "auto"


class ResultOut(Schema):
    submission_id: int
    title: str
    n: int
    mean: float | None
    trimmed: float | None
    normalised: float | None
    score: float | None
    votes_yes: int
    votes_total: int
    passed: bool | None
    rank: int | None
    tied: bool


class DecideIn(Schema):
    rule: dict | None = None
    selections: dict[str, list[str]] | None = None
    note: str = ""


def _run_call(request, call_id: int) -> Call:
    """The call if the user runs it: 404 when not visible as staff, 403 when only readable."""
    call = queries.access_managed_call(request.auth, call_id)
    if not rules.is_call_staff(request.auth, call):
        raise HttpError(403, "You may not do this.")
    return call


def _round_of_staff(request, round_id: int):
    review_round = queries.access_round(request.auth, round_id)
    if not rules.is_call_staff(request.auth, review_round.call):
        raise HttpError(403, "You may not do this.")
    return review_round


def _channel_out(channel) -> ChannelOut:
    return ChannelOut(
        id=channel.pk,
        call_id=channel.call_id,
        organization=channel.organization.name,
        quota=channel.quota,
        used=services.channel_used(channel),
        admins=sorted(channel.admins.values_list("username", flat=True)),
    )


def _round_out(r) -> RoundOut:
    return RoundOut(
        id=r.pk,
        call_id=r.call_id,
        number=r.number,
        name=r.name,
        kind=r.kind,
        state=r.state,
        blind=r.blind,
        reviewers_per_submission=r.reviewers_per_submission,
        max_load=r.max_load,
        aggregation=r.aggregation,
        rubric=r.rubric,
        reviewers=r.reviewers.count(),
        assignments=r.assignments.filter(active=True).count(),
    )


def _results_out(review_round) -> list[ResultOut]:
    return [
        ResultOut(
            submission_id=r.submission_id,
            title=r.submission.title,
            n=r.n,
            mean=r.mean,
            trimmed=r.trimmed,
            normalised=r.normalised,
            score=r.score,
            votes_yes=r.votes_yes,
            votes_total=r.votes_total,
            passed=r.passed,
            rank=r.rank,
            tied=r.tied,
        )
        for r in review_round.results.select_related("submission").order_by("rank", "pk")
    ]


@router.get("/manage/calls", response=list[CallOut])
def managed_calls(request, limit: int = 50, offset: int = 0):
    """The calls you run or (leaders, supervisors, auditors) read, drafts included."""
    if not rules.can_see_any_staff_page(request.auth):
        raise HttpError(403, "You may not do this.")
    rows = queries.managed_calls(request.auth).select_related("organiser")
    return [_call_out(c) for c in rows[offset : offset + min(limit, 200)]]


@router.post("/manage/calls", response={201: CallOut})
def create_call(request, payload: CallIn):
    from kexie.accounts.models import Organization

    if not rules.can_create_call(request.auth):
        raise HttpError(403, "You may not do this.")
    organiser = Organization.objects.filter(pk=payload.organiser_id, is_active=True).first()
    if organiser is None:
        raise HttpError(422, _("Unknown organiser."))
    data = payload.dict()
    data.pop("organiser_id")
    call = _service(lambda: services.create_call(by=request.auth, organiser=organiser, **data))
    return Status(201, _call_out(call))


@router.get("/manage/calls/{call_id}", response=CallOut)
def get_managed_call(request, call_id: int):
    return _call_out(queries.access_managed_call(request.auth, call_id))


@router.patch("/manage/calls/{call_id}", response=CallOut)
def update_call(request, call_id: int, payload: CallPatch):
    call = _run_call(request, call_id)
    values = payload.dict(exclude_unset=True)
    return _call_out(_service(lambda: services.update_call(call, by=request.auth, **values)))


def _step(request, call_id: int, verb) -> CallOut:
    call = _run_call(request, call_id)
    return _call_out(_service(lambda: verb(call, by=request.auth)))


@router.post("/manage/calls/{call_id}/open", response=CallOut)
def open_call(request, call_id: int):
    return _step(request, call_id, services.open_call)


@router.post("/manage/calls/{call_id}/close", response=CallOut)
def close_call(request, call_id: int):
    return _step(request, call_id, services.close_call)


@router.post("/manage/calls/{call_id}/publicity", response=CallOut)
def start_publicity(request, call_id: int):
    """Start 公示 (the window in working days)."""
    return _step(request, call_id, services.open_publicity)


@router.post("/manage/calls/{call_id}/finalise", response=CallOut)
def finalise(request, call_id: int):
    """Publish the results (closes review rounds still open)."""
    return _step(request, call_id, services.finalise)


@router.get("/manage/calls/{call_id}/channels", response=list[ChannelOut])
def list_channels(request, call_id: int):
    call = queries.access_managed_call(request.auth, call_id)
    return [_channel_out(c) for c in call.channels.select_related("organization")]


@router.post("/manage/calls/{call_id}/channels", response={201: ChannelOut})
def add_channel(request, call_id: int, payload: ChannelIn):
    from django.contrib.auth import get_user_model

    from kexie.accounts.models import Organization

    call = _run_call(request, call_id)
    organization = Organization.objects.filter(pk=payload.organization_id, is_active=True).first()
    if organization is None:
        raise HttpError(422, _("Unknown channel organization."))
    admins = list(get_user_model().objects.filter(username__in=payload.admins))
    missing = set(payload.admins) - {u.username for u in admins}
    if missing:
        raise HttpError(422, _("Unknown user names: %(names)s") % {"names": "、".join(sorted(missing))})
    channel = _service(
        lambda: services.add_channel(call, organization, payload.quota, by=request.auth, admins=admins)
    )
    return Status(201, _channel_out(channel))


def _staff_channel(request, channel_id: int):
    from django.shortcuts import get_object_or_404

    from kexie.calls.models import Channel

    channel = get_object_or_404(Channel.objects.select_related("call", "organization"), pk=channel_id)
    if not (
        rules.is_channel_admin(request.auth, channel)
        or rules.can_view_staff_pages(request.auth, channel.call)
    ):
        raise HttpError(404, "Not found.")
    return channel


@router.patch("/manage/channels/{channel_id}", response=ChannelOut)
def set_quota(request, channel_id: int, payload: QuotaIn):
    channel = _staff_channel(request, channel_id)
    if not rules.is_call_staff(request.auth, channel.call):
        raise HttpError(403, "You may not do this.")
    return _channel_out(_service(lambda: services.set_quota(channel, payload.quota, by=request.auth)))


@router.post("/manage/channels/{channel_id}/codes", response={201: list[CodeOut]})
def issue_codes(request, channel_id: int, payload: CodesIn):
    """A batch of single-use nomination codes (the channel's administrators or the call's staff)."""
    channel = _staff_channel(request, channel_id)
    codes = _service(lambda: services.issue_codes(channel, payload.count, by=request.auth))
    return Status(201, [CodeOut(code=c.code, batch=c.batch) for c in codes])


@router.get("/manage/calls/{call_id}/rounds", response=list[RoundOut])
def list_rounds(request, call_id: int):
    call = queries.access_managed_call(request.auth, call_id)
    return [_round_out(r) for r in call.rounds.all()]


@router.post("/manage/calls/{call_id}/rounds", response={201: RoundOut})
def add_round(request, call_id: int, payload: RoundIn):
    call = _run_call(request, call_id)
    data = payload.dict()
    return Status(201, _round_out(_service(lambda: services.add_round(call, by=request.auth, **data))))


@router.post("/manage/rounds/{round_id}/reviewers", response=RoundOut)
def invite_reviewers(request, round_id: int, payload: InviteIn):
    """Invite experts of the round's pool (ids outside the pool are refused)."""
    review_round = _round_of_staff(request, round_id)
    experts = list(services.pool_candidates(review_round).filter(pk__in=payload.expert_ids))
    outside = set(payload.expert_ids) - {e.pk for e in experts}
    if outside:
        raise HttpError(
            422,
            _("These experts are not in the round's reviewer pool: %(ids)s")
            % {"ids": "、".join(str(pk) for pk in sorted(outside))},
        )
    _service(lambda: services.invite_reviewers(review_round, experts, by=request.auth))
    return _round_out(review_round)


@router.post("/manage/rounds/{round_id}/pairs", response=RoundOut)
def set_pair(request, round_id: int, payload: PairIn):
    """Pin or forbid a reviewer for a dossier before the assignment runs."""
    from django.shortcuts import get_object_or_404

    from kexie.experts.models import Expert

    review_round = _round_of_staff(request, round_id)
    submission = get_object_or_404(review_round.call.submissions, pk=payload.submission_id)
    expert = get_object_or_404(Expert, pk=payload.expert_id)
    _service(
        lambda: services.set_pair(
            review_round, submission=submission, expert=expert, kind=payload.kind, by=request.auth
        )
    )
    return _round_out(review_round)


@router.post("/manage/rounds/{round_id}/assign")
def assign(request, round_id: int, payload: AssignIn):
    """Run the assignment (min-cost flow, or ``greedy``); the answer is the assignment report."""
    review_round = _round_of_staff(request, round_id)
    if payload.method not in ("auto", "greedy"):
        raise HttpError(422, _("The method is auto or greedy."))
    return _service(lambda: services.assign(review_round, by=request.auth, method=payload.method))


@router.get("/manage/rounds/{round_id}/results", response=list[ResultOut])
def round_results(request, round_id: int):
    return _results_out(queries.access_round(request.auth, round_id))


@router.post("/manage/rounds/{round_id}/aggregate", response=list[ResultOut])
def aggregate(request, round_id: int):
    review_round = _round_of_staff(request, round_id)
    _service(lambda: services.aggregate(review_round, by=request.auth))
    return _results_out(review_round)


@router.post("/manage/rounds/{round_id}/close", response=list[ResultOut])
def close_round(request, round_id: int):
    review_round = _round_of_staff(request, round_id)
    _service(lambda: services.close_round(review_round, by=request.auth))
    return _results_out(review_round)


@router.post("/manage/calls/{call_id}/decide", response=list[SubmissionOut])
def decide(request, call_id: int, payload: DecideIn):
    """Decide by a rule as data (``{"top_n": 10}``, ``{"min_score": 80}``, ``{"panel_pass": true}``)
    or individually (``{"<submission id>": ["selected", "一等奖"]}`` with a ``note``)."""
    call = _run_call(request, call_id)
    if payload.selections and not all(str(pk).isdigit() for pk in payload.selections):
        raise HttpError(422, _("Decisions are keyed by dossier number."))
    selections = {int(pk): tuple(v) for pk, v in payload.selections.items()} if payload.selections else None
    decided = _service(
        lambda: services.decide(
            call, by=request.auth, rule=payload.rule, selections=selections, note=payload.note
        )
    )
    return [_submission_out(s) for s in decided]
