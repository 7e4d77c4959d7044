"""JSON API of the thinktank app: the same scoping, rules and services as its pages."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kexie.thinktank import queries, rules, services
from kexie.thinktank.models import Brief, Question, Result

router = Router(tags=["thinktank"])


class ResultOut(Schema):
    id: int
    title: str
    kind: str
    authors: str
    year: int
    summary: str
    keywords: list[str]
    access: str
    in_column: bool
    column_published_at: datetime | None


class QuestionIn(Schema):
    title: str
    background: str
    field: str = ""


class QuestionOut(Schema):
    id: int
    title: str
    background: str
    field: str
    state: str
    importance: int | None
    support: int
    merged_into: int | None


class BriefOut(Schema):
    id: int
    title: str
    authors: str
    state: str
    issue: str
    issued_at: datetime | None
    feedback: int
    tasks: list[dict]


class BaseOut(Schema):
    id: int
    name: str
    kind: str
    district: str
    fields: list[str]
    members: int


class StatisticsOut(Schema):
    issued: int
    with_instruction: int
    instruction_rate: float | None
    adoptions: int
    mean_days_to_instruction: float | None
    tasks: int
    tasks_done: int


def _result(result: Result) -> ResultOut:
    return ResultOut(
        id=result.pk,
        title=result.title,
        kind=result.kind,
        authors=result.authors,
        year=result.year,
        summary=result.summary,
        keywords=list(result.keywords),
        access=result.access,
        in_column=result.in_column,
        column_published_at=result.column_published_at,
    )


def _question(question: Question) -> QuestionOut:
    return QuestionOut(
        id=question.pk,
        title=question.title,
        background=question.background,
        field=question.field,
        state=question.state,
        importance=question.importance,
        support=question.support,
        merged_into=question.merged_into_id,
    )


def _brief(brief: Brief) -> BriefOut:
    return BriefOut(
        id=brief.pk,
        title=brief.title,
        authors=brief.authors,
        state=brief.state,
        issue=brief.issue_label,
        issued_at=brief.issued_at,
        feedback=brief.feedback.count(),
        tasks=[
            {"id": t.pk, "lead": t.lead.name, "state": t.state, "light": t.light}
            for t in queries.brief_tasks(brief)
        ],
    )


@router.get("/column", response=list[ResultOut], auth=None)
def column(request):
    """The public think-tank column: public results only."""
    return [_result(r) for r in queries.column_results()[:100]]


@router.get("/network", response=list[BaseOut], auth=None)
def network(request):
    return [
        BaseOut(
            id=b.pk,
            name=b.name,
            kind=b.kind,
            district=b.district,
            fields=list(b.areas),
            members=b.member_count,
        )
        for b in queries.bases_visible_to(request.user)
    ]


@router.get("/results", response=list[ResultOut])
def results(request, limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 500))
    return [_result(r) for r in queries.results_visible_to(request.auth)[offset : offset + limit]]


@router.get("/results/{pk}", response=ResultOut)
def result(request, pk: int):
    return _result(queries.access_result(request.auth, pk))


@router.get("/questions", response=list[QuestionOut])
def questions(request, limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 500))
    return [_question(q) for q in queries.questions_visible_to(request.auth)[offset : offset + limit]]


@router.post("/questions", response={201: QuestionOut})
def propose(request, payload: QuestionIn):
    try:
        question = services.propose_question(by=request.auth, **payload.dict())
    except PermissionDenied:
        raise HttpError(403, "forbidden") from None
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
    return Status(201, _question(question))


@router.get("/briefs", response=list[BriefOut])
def briefs(request, limit: int = 50, offset: int = 0):
    if not rules.can_view_internal(request.auth):
        raise HttpError(403, "forbidden")
    limit = max(1, min(limit, 200))
    rows = queries.briefs_visible_to(request.auth).prefetch_related("feedback")[offset : offset + limit]
    return [_brief(b) for b in rows]


@router.get("/briefs/{pk}", response=BriefOut)
def brief(request, pk: int):
    return _brief(queries.access_brief(request.auth, pk))


@router.get("/statistics", response=StatisticsOut)
def statistics(request, year: int | None = None):
    if not rules.can_view_internal(request.auth):
        raise HttpError(403, "forbidden")
    return queries.brief_statistics(year=year)
