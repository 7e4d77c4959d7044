"""Permission-scoped reads of surveys, and the counts their pages show."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from kexie.accounts.queries import roles_of
from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.surveys import rules
from kexie.surveys.models import Question, Response, Survey


def surveys_visible_to(user) -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("organization")
    if roles_of(user) & rules.READ_ALL_ROLES:
        return surveys
    owned = rules.owner_organization_ids(user)
    stations = rules.station_organization_ids(user)
    return surveys.filter(Q(organization_id__in=owned) | Q(batches__organization_id__in=stations)).distinct()


def access_survey(user, pk) -> Survey:
    """One survey, fetched and checked at once (kexie.core.access): 404 when not visible."""
    return access(surveys_visible_to(user), pk)


access_rules.register(
    "surveys.survey", visible=surveys_visible_to, access=access_survey, can_view=rules.can_view_survey
)


def _count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of ``queryset`` (filtered on OuterRef("pk")) as a scalar subquery."""
    return Subquery(
        queryset.order_by().values(_group=Value(1)).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def with_counts(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    """Question and submitted-response counts: one indexed subquery each, not a DISTINCT count over a
    questions × responses join (which grew with every response: ~100 ms at 3,000 responses)."""
    return surveys.annotate(
        question_count=Coalesce(_count_of(Question.objects.filter(survey=OuterRef("pk"))), 0),
        submitted_count=Coalesce(
            _count_of(Response.objects.filter(survey=OuterRef("pk"), submitted_at__isnull=False)), 0
        ),
    )


def station_progress(survey: Survey) -> list[dict]:
    """Per station: codes issued (quota), responses submitted and started."""
    stations: dict[int, dict] = {}
    for batch in survey.batches.select_related("organization").order_by(
        "organization__sort_order", "organization__name"
    ):
        entry = stations.setdefault(
            batch.organization_id,
            {"organization": batch.organization, "quota": 0, "submitted": 0, "started": 0},
        )
        entry["quota"] += batch.quota
    rows = (
        Response.objects.filter(survey=survey, station__isnull=False)
        .values("station_id")
        .annotate(started=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    )
    for row in rows:
        if row["station_id"] in stations:
            stations[row["station_id"]]["submitted"] = row["submitted"]
            stations[row["station_id"]]["started"] = row["started"]
    for entry in stations.values():
        entry["percent"] = round(100 * entry["submitted"] / entry["quota"], 1) if entry["quota"] else 0
    return list(stations.values())


def daily_completions(survey: Survey) -> dict:
    """Submitted responses per day and station (public link as its own series), for a chart."""
    rows = (
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at"))
        .values("day", "station__name")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    days = sorted({r["day"] for r in rows})
    series: dict[str, dict] = {}
    for r in rows:
        series.setdefault(r["station__name"] or "", {})[r["day"]] = r["n"]
    return {
        "days": [d.isoformat() for d in days],
        "series": [
            {"name": name, "data": [by_day.get(d, 0) for d in days]}
            for name, by_day in sorted(series.items())
        ],
    }
