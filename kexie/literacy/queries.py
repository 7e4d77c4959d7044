"""Reads of the literacy module: leaderboards, participation by district, the literacy-rate series."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, QuerySet, Sum

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.literacy.enums import EstimateSource, PublishState
from kexie.literacy.models import (
    AssessmentAttempt,
    Chapter,
    Contest,
    ContestAttempt,
    ContestBest,
    LiteracyEstimate,
    ReaderVisit,
)


def published_chapters() -> QuerySet[Chapter]:
    return Chapter.objects.filter(state=PublishState.PUBLISHED).order_by("number", "pk")


def running_contests(*, on: date) -> QuerySet[Contest]:
    return Contest.objects.filter(state=PublishState.PUBLISHED, starts_on__lte=on, ends_on__gte=on)


def leaderboard(contest: Contest, *, limit: int = 20) -> list[ContestBest]:
    return list(
        ContestBest.objects.filter(contest=contest)
        .select_related("user", "district")
        .order_by("-best_score", "best_at", "pk")[:limit]
    )


def district_leaderboard(contest: Contest) -> list[dict]:
    """Districts by the mean of their contestants' best scores (ties: more contestants first)."""
    rows = (
        ContestBest.objects.filter(contest=contest)
        .values("district_id", "district__short_name", "district__name")
        .annotate(people=Count("pk"), total=Sum("best_score"), top=Max("best_score"))
    )
    board = [
        {
            "name": r["district__short_name"] or r["district__name"],
            "people": r["people"],
            "mean": round(r["total"] / r["people"], 1),
            "top": r["top"],
        }
        for r in rows
    ]
    return sorted(board, key=lambda r: (-r["mean"], -r["people"], r["name"]))


def organization_leaderboard(contest: Contest) -> list[dict]:
    rows = (
        ContestBest.objects.filter(contest=contest, organization__isnull=False)
        .values("organization_id", "organization__short_name", "organization__name")
        .annotate(people=Count("pk"), total=Sum("best_score"), top=Max("best_score"))
    )
    board = [
        {
            "name": r["organization__short_name"] or r["organization__name"],
            "people": r["people"],
            "mean": round(r["total"] / r["people"], 1),
            "top": r["top"],
        }
        for r in rows
    ]
    return sorted(board, key=lambda r: (-r["mean"], -r["people"], r["name"]))


def districts() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION).order_by("code")


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
