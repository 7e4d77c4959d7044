"""Indicators of measures 4, 10, 11 and 9's events, computed from live outreach data (registered with
policy)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.core.reference import districts
from kexie.outreach.enums import HIDDEN_ACTIVITY_STATES, BulletinState, SignUpState
from kexie.outreach.models import (
    Activity,
    BulletinDelivery,
    CourseClass,
    Courtyard,
    FarmerAssociation,
    NineMeasure,
    ServiceLog,
    SignUp,
    Venue,
    VenueReport,
    Volunteer,
)
from kexie.policy.indicators import IndicatorReading, register


def _day(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def _end_of(day: date):
    return timezone.make_aware(datetime.combine(day, time.max))


# --- measure 4 ---------------------------------------------------------------------------------------


def courtyards_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    yards, associations = Courtyard.objects.all(), FarmerAssociation.objects.all()
    if district is not None:
        yards, associations = (
            yards.filter(district=district.code),
            associations.filter(district=district.code),
        )
    yards = yards.filter(created_at__lte=_end_of(day)).count()
    associations = associations.filter(created_at__lte=_end_of(day)).count()
    return IndicatorReading(
        value=yards,
        as_of=day,
        explanation=_("Science courtyards in the registry (rural technology associations beside them)."),
        breakdown=[(_("Science courtyards"), yards), (_("Rural technology associations"), associations)],
    )


@register(
    "outreach.courtyards",
    label=gettext_lazy("Science courtyards and rural technology associations"),
    unit=gettext_lazy("units"),
    measures=[4],
    by_district=courtyards_in,
)
def courtyards(as_of: date | None) -> IndicatorReading:
    return courtyards_in(None, as_of)


@register(
    "outreach.farmers_reached",
    label=gettext_lazy("Farmers reached by science courtyards"),
    unit=gettext_lazy("people"),
    measures=[4],
)
def farmers_reached(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    logs = ServiceLog.objects.filter(held_on__lte=day, held_on__year=day.year)
    row = logs.aggregate(n=Count("pk"), farmers=Sum("farmers_reached"))
    return IndicatorReading(
        value=row["farmers"] or 0,
        as_of=day,
        explanation=_("Sum over %(n)s service logs of this year.") % {"n": row["n"]},
        breakdown=[
            (str(label), logs.filter(kind=kind).count())
            for kind, label in ServiceLog._meta.get_field("kind").choices
        ],
    )


@register(
    "outreach.nine_measures",
    label=gettext_lazy("Henghe township: progress of the nine ones"),
    unit="%",
    measures=[4],
)
def nine_measures(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    measures = list(NineMeasure.objects.order_by("number"))
    value = round(sum(m.progress for m in measures) / len(measures)) if measures else None
    return IndicatorReading(
        value=value,
        as_of=day,
        explanation=_("Average progress of the nine measures in the ledger."),
        breakdown=[(m.title, m.progress) for m in measures],
    )


# --- measure 10 --------------------------------------------------------------------------------------


def volunteers_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """The volunteers registered in this district association's district."""
    return _volunteers(Volunteer.objects.filter(district=district.code), as_of)


@register(
    "outreach.volunteers",
    label=gettext_lazy("Registered science volunteers"),
    unit=gettext_lazy("people"),
    measures=[10],
    by_district=volunteers_in,
)
def volunteers(as_of: date | None) -> IndicatorReading:
    return _volunteers(Volunteer.objects.all(), as_of)


def _volunteers(queryset, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    count = queryset.filter(created_at__lte=_end_of(day)).count()
    return IndicatorReading(
        value=count, as_of=day, explanation=_("Volunteers registered with their real name.")
    )


def confirmed_hours_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """The hours served at activities held in this district association's district."""
    return _confirmed_hours(SignUp.objects.filter(activity__district=district.code), as_of)


@register(
    "outreach.confirmed_hours",
    label=gettext_lazy("Confirmed volunteer service hours"),
    unit=gettext_lazy("hours"),
    measures=[10],
    by_district=confirmed_hours_in,
)
def confirmed_hours(as_of: date | None) -> IndicatorReading:
    return _confirmed_hours(SignUp.objects.all(), as_of)


def _confirmed_hours(queryset, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    signups = queryset.filter(state=SignUpState.CONFIRMED, confirmed_at__lte=_end_of(day))
    row = signups.aggregate(h=Sum("confirmed_hours"), n=Count("pk"))
    return IndicatorReading(
        value=row["h"] or 0,
        as_of=day,
        explanation=_("Hours confirmed by organisers after QR check-in and out (%(n)s services).")
        % {"n": row["n"]},
    )


def activities_in(district: Organization, as_of: date | None) -> IndicatorReading:
    """This year's activities held in this district association's district."""
    return _activities(Activity.objects.filter(district=district.code), as_of)


@register(
    "outreach.activities_by_district",
    label=gettext_lazy("Science activities by district"),
    unit=gettext_lazy("activities"),
    measures=[9, 10],
    by_district=activities_in,
)
def activities_by_district(as_of: date | None) -> IndicatorReading:
    return _activities(Activity.objects.all(), as_of)


def _activities(queryset, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    activities = queryset.exclude(state__in=HIDDEN_ACTIVITY_STATES).filter(
        starts_at__lte=_end_of(day), starts_at__year=day.year
    )
    names = districts()
    rows = activities.values("district").annotate(n=Count("pk")).order_by("-n", "district")
    return IndicatorReading(
        value=activities.count(),
        as_of=day,
        explanation=_("Activities registered by districts and units this year."),
        breakdown=[(names.get(r["district"], r["district"]), r["n"]) for r in rows],
    )


def university_classes_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    """This year's classes; for a district, those of its teaching points."""
    day = _day(as_of)
    classes = CourseClass.objects.filter(year=day.year, starts_on__lte=day)
    if district is not None:
        classes = classes.filter(teaching_point__district=district.code)
    row = classes.aggregate(n=Count("pk", distinct=True), learners=Count("enrolments"))
    return IndicatorReading(
        value=row["n"],
        as_of=day,
        explanation=_("Classes of this year with %(n)s learners enrolled.") % {"n": row["learners"]},
    )


@register(
    "outreach.university_classes",
    label=gettext_lazy("Community science university classes"),
    unit=gettext_lazy("classes"),
    measures=[10],
    by_district=university_classes_in,
)
def university_classes(as_of: date | None) -> IndicatorReading:
    return university_classes_in(None, as_of)


# --- measure 11 --------------------------------------------------------------------------------------


def venues_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    active = Venue.objects.filter(is_active=True, created_at__lte=_end_of(day))
    if district is not None:
        active = active.filter(district=district.code)
    labels = dict(Venue._meta.get_field("kind").choices)
    rows = active.values("kind").annotate(n=Count("pk")).order_by("kind")
    return IndicatorReading(
        value=active.count(),
        as_of=day,
        explanation=_("Active venues of the network by kind."),
        breakdown=[(str(labels[r["kind"]]), r["n"]) for r in rows],
    )


@register(
    "outreach.venues",
    label=gettext_lazy("Science museum network"),
    unit=gettext_lazy("venues"),
    measures=[11],
    by_district=venues_in,
)
def venues(as_of: date | None) -> IndicatorReading:
    return venues_in(None, as_of)


def visitors_in(district: Organization | None, as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    reports = VenueReport.objects.filter(month__year=day.year, month__lte=day)
    if district is not None:
        reports = reports.filter(venue__district=district.code)
    row = reports.aggregate(v=Sum("visitors"), y=Sum("youth_visitors"), n=Count("venue", distinct=True))
    return IndicatorReading(
        value=row["v"] or 0,
        as_of=day,
        explanation=_("From the monthly reports of %(n)s venues.") % {"n": row["n"]},
        breakdown=[(_("of whom youth"), row["y"] or 0)],
    )


@register(
    "outreach.visitors",
    label=gettext_lazy("Venue visitors this year"),
    unit=gettext_lazy("visits"),
    measures=[11],
    by_district=visitors_in,
)
def visitors(as_of: date | None) -> IndicatorReading:
    return visitors_in(None, as_of)


@register(
    "outreach.bulletin_read_rate",
    label=gettext_lazy("Emergency bulletins: read rate"),
    unit="%",
    measures=[11],
)
def bulletin_read_rate(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    deliveries = BulletinDelivery.objects.filter(
        bulletin__state=BulletinState.PUBLISHED,
        bulletin__published_at__year=day.year,
        delivered_at__lte=_end_of(day),
    )
    row = deliveries.aggregate(
        total=Count("pk"),
        read=Count("pk", filter=Q(read_at__lte=_end_of(day))),
        bulletins=Count("bulletin", distinct=True),
        drills=Count("bulletin", distinct=True, filter=Q(bulletin__is_drill=True)),
    )
    rate = round(100 * row["read"] / row["total"], 1) if row["total"] else None
    return IndicatorReading(
        value=rate,
        as_of=day,
        explanation=_("%(n)s bulletins this year (%(d)s drills), read receipts over deliveries.")
        % {"n": row["bulletins"], "d": row["drills"]},
    )


# --- measure 9's events -----------------------------------------------------------------------------


@register(
    "outreach.campaign_participants",
    label=gettext_lazy("Campaign activities and participants"),
    unit=gettext_lazy("people"),
    measures=[9],
)
def campaign_participants(as_of: date | None) -> IndicatorReading:
    day = _day(as_of)
    activities = Activity.objects.filter(
        campaign__isnull=False, campaign__year=day.year, starts_at__lte=_end_of(day)
    ).exclude(state__in=HIDDEN_ACTIVITY_STATES)
    rows = (
        activities.values("campaign__name")
        .annotate(n=Count("pk"), people=Sum("attendance"))
        .order_by("campaign__name")
    )
    total = activities.aggregate(p=Sum("attendance"))["p"] or 0
    return IndicatorReading(
        value=total,
        as_of=day,
        explanation=_("Participants reported by %(n)s activities of this year's campaigns.")
        % {"n": activities.count()},
        breakdown=[(f"{r['campaign__name']}（{r['n']}）", r["people"] or 0) for r in rows],
    )
