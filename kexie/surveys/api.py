"""JSON API of surveys: the surveys a user may see, and a survey's results summary. The same rules
and scoped queries as the pages; respondents answer through the pages, not the API."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError

from kexie.core.access import access
from kexie.surveys import rules
from kexie.surveys.models import Survey, WeightingRun
from kexie.surveys.queries import surveys_visible_to, with_counts
from kexie.surveys.results import add_weighted, question_results

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    title: str
    version: int
    state: str
    organization: str
    requires_sign_in: bool
    closes_at: datetime | None
    questions: int
    responses: int


class EstimateOut(Schema):
    value: float
    se: float
    ci_low: float
    ci_high: float
    deff: float | None


class OptionOut(Schema):
    value: str
    label: str
    count: int
    percent: float
    weighted: EstimateOut | None = None


class QuestionOut(Schema):
    code: str
    text: str
    kind: str
    answered: int
    options: list[OptionOut]
    mean: float | None = None
    weighted_mean: EstimateOut | None = None


class ResultsOut(Schema):
    survey: SurveyOut
    weighting_run: int | None
    questions: list[QuestionOut]


def _survey_out(s: Survey) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "version": s.version,
        "state": s.state,
        "organization": s.organization.name,
        "requires_sign_in": s.requires_sign_in,
        "closes_at": s.closes_at,
        "questions": s.question_count,
        "responses": s.submitted_count,
    }


def _estimate(e) -> dict | None:
    if e is None:
        return None
    return {"value": e.value, "se": e.se, "ci_low": e.ci_low, "ci_high": e.ci_high, "deff": e.deff}


@router.get("/", response=list[SurveyOut], summary="Surveys the user may see")
def list_surveys(request):
    surveys = with_counts(surveys_visible_to(request.user)).order_by("-created_at", "-pk")
    return [_survey_out(s) for s in surveys]


@router.get("/{survey_id}/results", response=ResultsOut, summary="Counts, percentages and weighted estimates")
def survey_results(request, survey_id: int, run: int | None = None):
    survey = access(with_counts(surveys_visible_to(request.user)), survey_id)
    if not rules.can_view_results(request.user, survey):
        raise HttpError(403, "You may not see this survey's results.")
    results = question_results(survey)
    runs = WeightingRun.objects.filter(scheme__survey=survey).select_related("scheme", "scheme__survey")
    weighting = (runs.filter(pk=run) if run else runs.order_by("-pk")).first()
    if weighting is not None:
        try:
            add_weighted(results, weighting)
        except ValidationError as exc:
            raise HttpError(409, " ".join(exc.messages)) from None
    return {
        "survey": _survey_out(survey),
        "weighting_run": weighting.pk if weighting else None,
        "questions": [
            {
                "code": r.question.code,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "options": [
                    {
                        "value": o.value,
                        "label": o.label,
                        "count": o.count,
                        "percent": o.percent,
                        "weighted": _estimate(o.weighted),
                    }
                    for o in r.options
                ],
                "mean": r.mean,
                "weighted_mean": _estimate(r.weighted_mean),
            }
            for r in results
        ],
    }
