"""JSON API of the literacy module: the same rules and services as the pages.

The contest endpoints serve one question at a time without its answer key; the server times each
question from when it served it, and one round a day is enforced by the same service as the pages.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kexie.core.masking import mask_name
from kexie.literacy import queries, rules, services
from kexie.literacy.enums import PublishState
from kexie.literacy.models import Contest, Dimension, LiteracyEstimate, Question

router = Router(tags=["literacy"])


class QuestionOut(Schema):
    id: int
    external_id: str | None
    dimension: str
    kind: str
    text: str
    options: list[str]
    answer: list[int]
    difficulty: int
    explanation: str
    source: str
    topic: str
    audiences: list[str]
    state: str


class QuestionIn(Schema):
    dimension: str
    kind: str
    text: str
    options: list[str] = []
    answer: list[int]
    difficulty: int = 3
    explanation: str = ""
    source: str = ""
    topic: str = ""
    audiences: list[str] = []


class ServedQuestionOut(Schema):
    finished: bool
    position: int | None = None
    total: int
    text: str = ""
    kind: str = ""
    options: list[str] = []
    seconds: int = 0
    seconds_left: float = 0
    score: int


class AnswerIn(Schema):
    position: int
    choice: list[int]


class AnswerOut(Schema):
    position: int
    correct: bool
    timed_out: bool
    points: int
    score: int
    finished: bool
    next: ServedQuestionOut


class BoardRow(Schema):
    name: str
    people: int
    mean: float
    top: int
    rank: int | None = None  # None: too few contestants to be ranked


class PersonRow(Schema):
    name: str
    district: str
    best_score: int


class LeaderboardOut(Schema):
    people: list[PersonRow]
    districts: list[BoardRow]
    organizations: list[BoardRow]


class EstimateOut(Schema):
    year: int
    district: str | None
    district_code: str | None
    rate: float
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    source: str
    note: str


def _question_out(q: Question) -> dict:
    return {
        "id": q.pk,
        "external_id": q.external_id,
        "dimension": q.dimension.code,
        "kind": q.kind,
        "text": q.text,
        "options": q.options,
        "answer": q.answer,
        "difficulty": q.difficulty,
        "explanation": q.explanation,
        "source": q.source,
        "topic": q.topic,
        "audiences": q.audiences,
        "state": q.state,
    }


@router.get("/questions", response=list[QuestionOut], summary="The question bank (literacy editors)")
def list_questions(request, state: str = "", dimension: str = ""):
    if not rules.can_manage_questions(request.user):
        raise HttpError(403, "forbidden")
    questions = Question.objects.select_related("dimension")
    if state:
        questions = questions.filter(state=state)
    if dimension:
        questions = questions.filter(dimension__code=dimension)
    return [_question_out(q) for q in questions]


@router.post("/questions", response={201: QuestionOut}, summary="Add a draft question")
def create_question(request, payload: QuestionIn):
    data = payload.dict()
    data["dimension"] = Dimension.objects.filter(code=data["dimension"]).first()
    try:
        question = services.create_question(by=request.user, **data)
    except PermissionDenied:
        raise HttpError(403, "forbidden") from None
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from None
    return Status(201, _question_out(question))


def _contest(contest_id: int) -> Contest:
    return get_object_or_404(Contest, pk=contest_id, state=PublishState.PUBLISHED)


def _served(attempt, served, now: datetime) -> dict:
    total = len(attempt.question_ids)
    if served is None:
        return {"finished": True, "total": total, "score": attempt.score}
    seconds = attempt.contest.seconds_per_question
    return {
        "finished": False,
        "position": served.position,
        "total": total,
        "text": served.question.text,
        "kind": served.question.kind,
        "options": served.question.options,
        "seconds": seconds,
        "seconds_left": max(0.0, seconds - (now - served.served_at).total_seconds()),
        "score": attempt.score,
    }


def _todays_attempt(request, contest_id: int):
    attempt = services.todays_attempt(contest=contest_id, user=request.user, published_only=True)
    if attempt is None:
        _contest(contest_id)  # 404 for an unknown or unpublished contest
        raise HttpError(404, "no round today")
    return attempt


@router.post(
    "/contests/{contest_id}/rounds", response={201: ServedQuestionOut}, summary="Start today's round"
)
def start_round(request, contest_id: int):
    contest = _contest(contest_id)
    now = timezone.now()
    try:
        attempt = services.start_round(contest=contest, user=request.user, now=now)
    except PermissionDenied:
        raise HttpError(403, "forbidden") from None
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    return Status(201, _served(attempt, services.serve_question(attempt=attempt, now=now), now))


@router.get(
    "/contests/{contest_id}/rounds/today",
    response=ServedQuestionOut,
    summary="The question to answer now (to resume a round)",
)
def current_question(request, contest_id: int):
    attempt = _todays_attempt(request, contest_id)
    now = timezone.now()
    return _served(attempt, services.serve_question(attempt=attempt, now=now), now)


@router.post(
    "/contests/{contest_id}/rounds/today/answers",
    response=AnswerOut,
    summary="Answer the served question; the response carries the next one",
)
def answer(request, contest_id: int, payload: AnswerIn):
    attempt = _todays_attempt(request, contest_id)
    try:
        result = services.answer_question(
            attempt=attempt, position=payload.position, choice=payload.choice, by=request.user
        )
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    now = timezone.now()
    return {
        "position": result.position,
        "correct": result.is_correct,
        "timed_out": result.timed_out,
        "points": result.points,
        "score": attempt.score,
        "finished": attempt.finished_at is not None,
        "next": _served(attempt, services.serve_question(attempt=attempt, now=now), now),
    }


@router.get("/contests/{contest_id}/leaderboard", response=LeaderboardOut, auth=None, summary="Leaderboards")
def leaderboard(request, contest_id: int):
    contest = _contest(contest_id)
    return {
        "people": [
            {
                "name": mask_name(b.user.display_name),
                "district": b.district.display_name,
                "best_score": b.best_score,
            }
            for b in queries.leaderboard(contest)
        ],
        "districts": queries.district_leaderboard(contest),
        "organizations": queries.organization_leaderboard(contest),
    }


@router.get("/estimates", response=list[EstimateOut], auth=None, summary="Literacy-rate estimates")
def estimates(request):
    rows = LiteracyEstimate.objects.select_related("district").order_by("year", "district__code", "source")
    return [
        {
            "year": e.year,
            "district": e.district.name if e.district else None,
            "district_code": e.district.code if e.district else None,
            "rate": float(e.rate),
            "se": float(e.se) if e.se is not None else None,
            "ci_low": float(e.ci_low) if e.ci_low is not None else None,
            "ci_high": float(e.ci_high) if e.ci_high is not None else None,
            "n": e.n,
            "source": e.source,
            "note": e.note,
        }
        for e in rows
    ]
