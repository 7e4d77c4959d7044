"""Reads of the literacy module: leaderboards, participation by district, the literacy-rate series."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from kexie.accounts.models import Organization
from kexie.accounts.queries import district_associations
from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.literacy import rules
from kexie.literacy.enums import EstimateSource, PublishState
from kexie.literacy.models import (
    Assessment,
    AssessmentAttempt,
    Chapter,
    Contest,
    ContestAttempt,
    ContestBest,
    LiteracyEstimate,
    LiteracySurvey,
    Question,
    ReaderVisit,
)


def published_chapters() -> QuerySet[Chapter]:
    return Chapter.objects.filter(state=PublishState.PUBLISHED).order_by("number", "pk")


def open_assessments() -> QuerySet[Assessment]:
    """Published papers anyone signed in may take: not those that are an annual survey's instrument."""
    return Assessment.objects.filter(state=PublishState.PUBLISHED, surveys__isnull=True).order_by("-pk")


def questions_visible_to(user) -> QuerySet[Question]:
    questions = Question.objects.select_related("dimension", "created_by", "reviewed_by")
    return questions if rules.is_literacy_editor(user) else questions.none()


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Editors see every paper; a signed-in reader the open ones (open_assessments)."""
    if rules.can_manage_assessments(user):
        return Assessment.objects.select_related("rule")
    if getattr(user, "is_authenticated", False):
        return open_assessments().select_related("rule")
    return Assessment.objects.none()


def access_question(user, pk) -> Question:
    """One question, fetched and checked at once (kexie.core.access): 404 when not visible."""
    return access(questions_visible_to(user), pk)


def access_assessment(user, pk) -> Assessment:
    return access(assessments_visible_to(user), pk)


access_rules.register(
    "literacy.question",
    visible=questions_visible_to,
    access=access_question,
    can_view=rules.can_view_question,
)
access_rules.register(
    "literacy.assessment",
    visible=assessments_visible_to,
    access=access_assessment,
    can_view=rules.can_view_assessment,
)


def running_contests(*, on: date) -> QuerySet[Contest]:
    return Contest.objects.filter(state=PublishState.PUBLISHED, starts_on__lte=on, ends_on__gte=on)


def leaderboard(contest: Contest, *, limit: int = 20) -> list[ContestBest]:
    return list(
        ContestBest.objects.filter(contest=contest)
        .select_related("user", "district")
        .order_by("-best_score", "best_at", "pk")[:limit]
    )


# A district or organization with fewer contestants is listed but not ranked: one lucky person must
# not top a board that compares groups.
MIN_RANKED_PEOPLE = 5


def _ranked(rows: list[dict]) -> list[dict]:
    """Groups by the mean of their contestants' best scores (ties: more contestants first); groups
    under MIN_RANKED_PEOPLE follow, unranked (``rank`` None)."""
    board = [
        {"name": name, "people": people, "mean": round(total / people, 1), "top": top}
        for name, people, total, top in rows
    ]
    board.sort(key=lambda r: (r["people"] < MIN_RANKED_PEOPLE, -r["mean"], -r["people"], r["name"]))
    for position, row in enumerate(board, start=1):
        row["rank"] = position if row["people"] >= MIN_RANKED_PEOPLE else None
    return board


def district_leaderboard(contest: Contest) -> list[dict]:
    rows = (
        ContestBest.objects.filter(contest=contest)
        .values("district_id", "district__short_name", "district__name")
        .annotate(people=Count("pk"), total=Sum("best_score"), top=Max("best_score"))
    )
    return _ranked(
        [(r["district__short_name"] or r["district__name"], r["people"], r["total"], r["top"]) for r in rows]
    )


def organization_leaderboard(contest: Contest) -> list[dict]:
    rows = (
        ContestBest.objects.filter(contest=contest, organization__isnull=False)
        .values("organization_id", "organization__short_name", "organization__name")
        .annotate(people=Count("pk"), total=Sum("best_score"), top=Max("best_score"))
    )
    return _ranked(
        [
            (r["organization__short_name"] or r["organization__name"], r["people"], r["total"], r["top"])
            for r in rows
        ]
    )


districts = district_associations


def contest_takers(*, year: int, district: Organization) -> int:
    """People of one district who took at least one contest round in `year`."""
    return ContestAttempt.objects.filter(day__year=year, district=district).values("user").distinct().count()


def participation_by_district(*, year: int | None = None) -> list[dict]:
    """Contest takers, assessment attempts and reader visits per district: the leading indicators."""
    contest = ContestAttempt.objects.all()
    assess = AssessmentAttempt.objects.all()
    visits = ReaderVisit.objects.all()
    if year:
        contest = contest.filter(day__year=year)
        assess = assess.filter(submitted_at__year=year)
        visits = visits.filter(day__year=year)
    takers = dict(
        contest.values("district_id").annotate(n=Count("user", distinct=True)).values_list("district_id", "n")
    )
    rounds = dict(contest.values("district_id").annotate(n=Count("pk")).values_list("district_id", "n"))
    attempts = dict(assess.values("district_id").annotate(n=Count("pk")).values_list("district_id", "n"))
    reads = dict(visits.values("district_id").annotate(n=Sum("count")).values_list("district_id", "n"))
    return [
        {
            "district": d,
            "takers": takers.get(d.pk, 0),
            "rounds": rounds.get(d.pk, 0),
            "assessments": attempts.get(d.pk, 0),
            "visits": reads.get(d.pk, 0) or 0,
        }
        for d in districts()
    ]


# Which source wins when a year has more than one city figure: a survey, then a release, then assessments.
SOURCE_PRIORITY = {EstimateSource.SURVEY: 0, EstimateSource.PUBLISHED: 1, EstimateSource.ASSESSMENT: 2}


def city_series(
    *, up_to: date | None = None, sources=(EstimateSource.SURVEY, EstimateSource.PUBLISHED)
) -> list[LiteracyEstimate]:
    """One city estimate per year (the best source), oldest first."""
    rows = LiteracyEstimate.objects.filter(district__isnull=True, source__in=sources)
    return _best_per_year(rows, up_to=up_to)


def district_series(
    district: Organization,
    *,
    up_to: date | None = None,
    sources=(EstimateSource.SURVEY, EstimateSource.PUBLISHED),
) -> list[LiteracyEstimate]:
    """One estimate per year for one district association (the best source), oldest first."""
    rows = LiteracyEstimate.objects.filter(district=district, source__in=sources)
    return _best_per_year(rows, up_to=up_to)


def _best_per_year(rows: QuerySet[LiteracyEstimate], *, up_to: date | None) -> list[LiteracyEstimate]:
    if up_to:
        rows = rows.filter(year__lte=up_to.year)
    best: dict[int, LiteracyEstimate] = {}
    for row in rows:
        held = best.get(row.year)
        if held is None or SOURCE_PRIORITY[row.source] < SOURCE_PRIORITY[held.source]:
            best[row.year] = row
    return [best[year] for year in sorted(best)]


def district_estimates() -> QuerySet[LiteracyEstimate]:
    return (
        LiteracyEstimate.objects.filter(district__isnull=False)
        .select_related("district")
        .order_by("-year", "district__code")
    )


def literacy_surveys() -> QuerySet[LiteracySurvey]:
    return LiteracySurvey.objects.select_related("survey", "assessment").order_by("-year")


def survey_response_counts(surveys: list[LiteracySurvey]) -> dict[int, int]:
    """Submitted responses per literacy survey (by its id), in one query."""
    submitted = Q(survey__responses__submitted_at__isnull=False)
    return dict(
        LiteracySurvey.objects.filter(pk__in=[s.pk for s in surveys])
        .annotate(n=Count("survey__responses", filter=submitted))
        .values_list("pk", "n")
    )


def estimates(*, year: int | None = None, source: str = "", district: str = "") -> QuerySet[LiteracyEstimate]:
    """Every estimate, newest year first, the city before its districts; filtered by year, source and
    scope ("city" or a district's organization code)."""
    rows = LiteracyEstimate.objects.select_related("district")
    if year:
        rows = rows.filter(year=year)
    if source:
        rows = rows.filter(source=source)
    if district == "city":
        rows = rows.filter(district__isnull=True)
    elif district:
        rows = rows.filter(district__code=district)
    return rows.order_by("-year", "source", F("district__code").asc(nulls_first=True))


def survey_estimates(year: int) -> list[LiteracyEstimate]:
    """The year's survey estimates: the city first, then the districts in code order."""
    return list(
        LiteracyEstimate.objects.filter(year=year, source=EstimateSource.SURVEY)
        .select_related("district")
        .order_by(F("district__code").asc(nulls_first=True))
    )


def own_rank(contest: Contest, user) -> tuple[int, ContestBest] | None:
    """The person's place on the contest's leaderboard (ties broken by who reached the score first, as the
    board is ordered), with their best; None when they have not finished a round."""
    if not getattr(user, "is_authenticated", False):
        return None
    mine = ContestBest.objects.filter(contest=contest, user=user).first()
    if mine is None:
        return None
    ahead = (
        ContestBest.objects.filter(contest=contest)
        .filter(
            Q(best_score__gt=mine.best_score)
            | Q(best_score=mine.best_score, best_at__lt=mine.best_at)
            | Q(best_score=mine.best_score, best_at=mine.best_at, pk__lt=mine.pk)
        )
        .count()
    )
    return ahead + 1, mine
