"""Indicators of measures 7 and 8 computed from live talent data (registered with policy).

Measure 7: people supported by the 托举 programme, reports filed on time, mid-term results, active
academician pairs, top talents' engagements. Measure 8: nominations by award and year, winners, the
share of women and of under-40s among nominees, nominations by district."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.core.reference import district_name
from kexie.policy.indicators import IndicatorReading, register
from kexie.talent.enums import EngagementKind, EvaluationResult, NominationOutcome, PairState
from kexie.talent.models import (
    AcademicianPair,
    Engagement,
    MidtermEvaluation,
    Nomination,
    ProgressReport,
    SupportedPerson,
)


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _end_of(day: date):
    return timezone.make_aware(datetime.combine(day, time.max))


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


# --- measure 7 ---------------------------------------------------------------------------------


@register(
    "talent.people_supported",
    label=gettext_lazy("Young scientists supported"),
    unit=gettext_lazy("people"),
    measures=[7],
    description=gettext_lazy("People of the young talent support programme whose support has begun."),
)
def people_supported(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    people = SupportedPerson.objects.filter(starts_on__lte=day)
    rows = people.values("cohort__name").annotate(n=Count("pk")).order_by("cohort__name")
    return IndicatorReading(
        value=people.count(),
        as_of=day,
        explanation=_("Counted from the cohorts of the programme."),
        breakdown=[(row["cohort__name"], row["n"]) for row in rows],
    )


@register(
    "talent.reports_on_time",
    label=gettext_lazy("Progress reports filed on time"),
    unit="%",
    measures=[7],
    description=gettext_lazy("Annual progress reports due so far that were filed by their due date."),
)
def reports_on_time(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    due = ProgressReport.objects.filter(due_on__lte=day)
    total = due.count()
    on_time = due.filter(on_time=True, submitted_at__lte=_end_of(day)).count()
    return IndicatorReading(
        value=_share(on_time, total),
        as_of=day,
        explanation=_("%(on_time)s of %(total)s reports due were filed on time.")
        % {"on_time": on_time, "total": total},
        breakdown=[(_("on time"), on_time), (_("late or missing"), total - on_time)],
    )


@register(
    "talent.midterm_results",
    label=gettext_lazy("Mid-term evaluations"),
    unit=gettext_lazy("people"),
    measures=[7],
    description=gettext_lazy("Mid-term evaluation results of supported people."),
)
def midterm_results(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    done = MidtermEvaluation.objects.filter(decided_on__lte=day)
    counts = dict(done.values_list("result").annotate(n=Count("pk")))
    return IndicatorReading(
        value=done.count(),
        as_of=day,
        explanation=_("Results of the mid-term evaluations recorded so far."),
        breakdown=[(str(label), counts.get(value, 0)) for value, label in EvaluationResult.choices],
    )


@register(
    "talent.pairs_active",
    label=gettext_lazy("Academician guidance pairs active"),
    unit=gettext_lazy("pairs"),
    measures=[7],
)
def pairs_active(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    pairs = AcademicianPair.objects.filter(state=PairState.ACTIVE, starts_on__lte=day, ends_on__gte=day)
    with_activity = pairs.filter(activities__held_on__year=day.year).distinct().count()
    return IndicatorReading(
        value=pairs.count(),
        as_of=day,
        explanation=_("Pairs of the academician guidance plan running on this day."),
        breakdown=[(_("with an activity this year"), with_activity)],
    )


@register(
    "talent.engagements",
    label=gettext_lazy("Top talents' engagements in Chongqing"),
    unit=gettext_lazy("engagements"),
    measures=[7],
)
def engagements(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = Engagement.objects.filter(starts_on__lte=day)
    kinds = rows.values("kind").annotate(n=Count("pk")).order_by("kind")
    labels = dict(EngagementKind.choices)
    return IndicatorReading(
        value=rows.count(),
        as_of=day,
        explanation=_("Engagements of the hundred top talents with Chongqing organizations."),
        breakdown=[(str(labels.get(r["kind"], r["kind"])), r["n"]) for r in kinds],
    )


# --- measure 8 ---------------------------------------------------------------------------------


def _nominations(day: date):
    return Nomination.objects.filter(created_at__lte=_end_of(day))


@register(
    "talent.nominations",
    label=gettext_lazy("Nominations for awards and campaigns"),
    unit=gettext_lazy("nominations"),
    measures=[8],
    description=gettext_lazy("Nominations by award and year."),
)
def nominations(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = (
        _nominations(day)
        .values("round__year", "round__award__name", "round__award__sort_order")
        .annotate(n=Count("pk"))
        .order_by("-round__year", "round__award__sort_order")
    )
    return IndicatorReading(
        value=_nominations(day).count(),
        as_of=day,
        explanation=_("Counted from the nominations of every round."),
        breakdown=[(f"{r['round__year']}年{r['round__award__name']}", r["n"]) for r in rows],
    )


@register(
    "talent.winners",
    label=gettext_lazy("Winners and people recommended upwards"),
    unit=gettext_lazy("people"),
    measures=[8],
)
def winners(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    decided = _nominations(day).filter(decided_at__lte=_end_of(day))
    won = decided.filter(outcome=NominationOutcome.WINNER).count()
    recommended = decided.filter(outcome=NominationOutcome.RECOMMENDED).count()
    return IndicatorReading(
        value=won,
        as_of=day,
        explanation=_("Winners recorded, besides the people recommended for national awards."),
        breakdown=[(_("winners"), won), (_("recommended upwards, result pending"), recommended)],
    )


@register(
    "talent.nominee_diversity",
    label=gettext_lazy("Share of women among nominees"),
    unit="%",
    measures=[8],
    description=gettext_lazy("Women and people under 40 among nominees and winners."),
)
def nominee_diversity(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    people = list(
        _nominations(day)
        .select_related("round")
        .only("sex", "birth_date", "outcome", "round__reference_date")
    )
    total = len(people)
    women = sum(1 for n in people if n.sex == "female")
    young = sum(1 for n in people if n.age < 40)
    won = [n for n in people if n.outcome == NominationOutcome.WINNER]
    return IndicatorReading(
        value=_share(women, total),
        as_of=day,
        explanation=_("%(n)s nominees; ages at each round's reference date.") % {"n": total},
        breakdown=[
            (_("women among nominees (%)"), _share(women, total) or 0),
            (_("under 40 among nominees (%)"), _share(young, total) or 0),
            (_("women among winners (%)"), _share(sum(1 for n in won if n.sex == "female"), len(won)) or 0),
            (_("under 40 among winners (%)"), _share(sum(1 for n in won if n.age < 40), len(won)) or 0),
        ],
    )


def nominations_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """The nominations of nominees from this district association's district."""
    day = _day(as_of)
    row = (
        _nominations(day)
        .filter(district=district.code)
        .aggregate(n=Count("pk"), won=Count("pk", filter=Q(outcome=NominationOutcome.WINNER)))
    )
    return IndicatorReading(
        value=row["n"],
        as_of=day,
        explanation=_("Nominations by the nominee's district."),
        breakdown=[(_("winners"), row["won"])],
    )


@register(
    "talent.nominations_by_district",
    label=gettext_lazy("Nominations by district"),
    unit=gettext_lazy("nominations"),
    measures=[8],
    by_district=nominations_in,
)
def nominations_by_district(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = (
        _nominations(day)
        .exclude(district="")
        .values("district")
        .annotate(n=Count("pk"), won=Count("pk", filter=Q(outcome=NominationOutcome.WINNER)))
        .order_by("-n", "district")
    )
    return IndicatorReading(
        value=sum(r["n"] for r in rows),
        as_of=day,
        explanation=_("Nominations by the nominee's district."),
        breakdown=[(district_name(r["district"]) or r["district"], r["n"]) for r in rows],
    )
