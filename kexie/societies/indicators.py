"""Indicators of measures 3, 12 and 1 computed from live societies data (registered with policy)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.policy.indicators import IndicatorReading, register
from kexie.societies.countries import is_belt_and_road
from kexie.societies.enums import (
    AllianceKind,
    CooperationKind,
    DirectoryState,
    EventKind,
    EventState,
    InspectionState,
)
from kexie.societies.models import (
    Alliance,
    CooperationProject,
    Directory,
    Event,
    Exchange,
    Inspection,
    OverseasExpert,
    Position,
    PositionRecommendation,
    Society,
)


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _end_of(day: date):
    return timezone.make_aware(datetime.combine(day, time.max))


@register(
    "societies.inspected",
    label=gettext_lazy("Societies inspected"),
    unit=gettext_lazy("societies"),
    measures=[3],
    description=gettext_lazy("Yearly reports (年检) of the last year that staff reviewed, by rating."),
)
def inspected(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    year = day.year - 1
    reviewed = Inspection.objects.filter(
        year=year, state=InspectionState.APPROVED, reviewed_at__lte=_end_of(day)
    )
    rows = reviewed.values("rating").annotate(n=Count("pk")).order_by("rating")
    labels = dict(Inspection._meta.get_field("rating").choices)
    total = Society.objects.filter(is_active=True).count()
    return IndicatorReading(
        value=reviewed.count(),
        as_of=day,
        explanation=_("Reports of %(year)s reviewed, of %(total)s societies in the registry.")
        % {"year": year, "total": total},
        breakdown=[(str(labels.get(r["rating"], r["rating"])), r["n"]) for r in rows],
    )


@register(
    "societies.new_societies",
    label=gettext_lazy("New societies founded"),
    unit=gettext_lazy("societies"),
    measures=[3],
)
def new_societies(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = Society.objects.filter(registered_on__year=day.year, registered_on__lte=day).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Societies registered this year."))


@register(
    "societies.events_held",
    label=gettext_lazy("Academic events held"),
    unit=gettext_lazy("events"),
    measures=[2, 3],
    description=gettext_lazy("Events of this year whose host filed the post-event report, by kind."),
)
def events_held(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    held = Event.objects.filter(
        state=EventState.REPORTED, starts_on__year=day.year, report__filed_at__lte=_end_of(day)
    )
    labels = dict(EventKind.choices)
    rows = held.values("kind").annotate(n=Count("pk")).order_by("kind")
    return IndicatorReading(
        value=held.count(),
        as_of=day,
        explanation=_("Counted from post-event reports."),
        breakdown=[(str(labels[r["kind"]]), r["n"]) for r in rows],
    )


@register(
    "societies.directory_journals",
    label=gettext_lazy("Journals in the directory"),
    unit=gettext_lazy("journals"),
    measures=[3],
)
def directory_journals(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    latest = (
        Directory.objects.filter(state=DirectoryState.PUBLISHED, published_at__lte=_end_of(day))
        .order_by("-published_at")
        .first()
    )
    if latest is None:
        return IndicatorReading(value=None, as_of=day, explanation=_("No directory is published yet."))
    rows = latest.entries.values("tier").annotate(n=Count("pk"))
    order = {tier: i for i, tier in enumerate(latest.tiers)}
    return IndicatorReading(
        value=latest.entries.count(),
        as_of=day,
        explanation=_("Journals in %(title)s.") % {"title": latest.title},
        breakdown=[(r["tier"], r["n"]) for r in sorted(rows, key=lambda r: order.get(r["tier"], 99))],
    )


# --- measure 12 ---


@register(
    "societies.positions_held",
    label=gettext_lazy("Posts held in international organizations"),
    unit=gettext_lazy("posts"),
    measures=[12],
)
def positions_held(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    current = Position.objects.filter(term_start__lte=day).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=day)
    )
    return IndicatorReading(
        value=current.count(),
        as_of=day,
        explanation=_("Posts whose term includes this day, held by %(n)s experts.")
        % {"n": current.values("expert").distinct().count()},
    )


@register(
    "societies.recommendations",
    label=gettext_lazy("Recommendations for international posts"),
    unit=gettext_lazy("recommendations"),
    measures=[12],
)
def recommendations(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = PositionRecommendation.objects.filter(
        recommended_on__year=day.year, recommended_on__lte=day
    ).count()
    return IndicatorReading(value=count, as_of=day, explanation=_("Recommendations (推送) made this year."))


@register(
    "societies.exchanges",
    label=gettext_lazy("International exchanges"),
    unit=gettext_lazy("exchanges"),
    measures=[12],
    description=gettext_lazy(
        "Exchanges of this year; the breakdown shows those with Belt and Road countries."
    ),
)
def exchanges(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = list(
        Exchange.objects.filter(starts_on__year=day.year, starts_on__lte=day).values_list(
            "countries", flat=True
        )
    )
    bri = sum(1 for countries in rows if any(is_belt_and_road(c) for c in countries))
    return IndicatorReading(
        value=len(rows),
        as_of=day,
        explanation=_("Delegations, international science popularization and youth exchanges this year."),
        breakdown=[(_("With Belt and Road countries"), bri), (_("Others"), len(rows) - bri)],
    )


@register(
    "societies.overseas_experts",
    label=gettext_lazy("Overseas experts engaged"),
    unit=gettext_lazy("experts"),
    measures=[12],
)
def overseas_experts(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    engaged = OverseasExpert.objects.filter(last_engaged_on__year=day.year, last_engaged_on__lte=day)
    return IndicatorReading(
        value=engaged.count(),
        as_of=day,
        explanation=_("Overseas experts engaged this year, %(n)s of them Haizhi experts.")
        % {"n": engaged.filter(haizhi_expert=True).count()},
    )


# --- measure 1 (and 2) ---


@register(
    "societies.alliances",
    label=gettext_lazy("Alliances"),
    unit=gettext_lazy("alliances"),
    measures=[1, 3],
)
def alliances(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    rows = (
        Alliance.objects.filter(established_on__lte=day)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    labels = dict(AllianceKind.choices)
    breakdown = [(str(labels[r["kind"]]), r["n"]) for r in rows]
    return IndicatorReading(
        value=sum(n for _label, n in breakdown),
        as_of=day,
        explanation=_("Alliances with their member organizations, by kind."),
        breakdown=breakdown,
    )


def cooperation_projects_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """The projects signed with this district (会地合作 names the district by its division code)."""
    return _cooperation_projects(CooperationProject.objects.filter(district=district.code), as_of)


@register(
    "societies.cooperation_projects",
    label=gettext_lazy("Society–district and society–enterprise projects"),
    unit=gettext_lazy("projects"),
    measures=[1, 2, 3],
    description=gettext_lazy(
        "会地合作 and 会企协作 projects signed, with their outcomes; beside the dockings."
    ),
    by_district=cooperation_projects_in,
)
def cooperation_projects(as_of: date | None) -> IndicatorReading:
    return _cooperation_projects(CooperationProject.objects.all(), as_of)


def _cooperation_projects(projects, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    projects = projects.filter(signed_on__lte=day)
    totals = projects.aggregate(outcomes=Sum("outcomes"), value=Sum("value"))
    labels = dict(CooperationKind.choices)
    rows = projects.values("kind").annotate(n=Count("pk")).order_by("kind")
    return IndicatorReading(
        value=projects.count(),
        as_of=day,
        explanation=_("%(outcomes)s outcomes, worth %(value)s ten thousand yuan.")
        % {"outcomes": totals["outcomes"] or 0, "value": totals["value"] or 0},
        breakdown=[(str(labels[r["kind"]]), r["n"]) for r in rows],
    )
