"""Permission-scoped reads of outreach, and the access rule of each main object type."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.core.reference import districts
from kexie.outreach import rules
from kexie.outreach.enums import HIDDEN_ACTIVITY_STATES, ActivityState, BulletinState, SignUpState
from kexie.outreach.models import (
    Activity,
    Bulletin,
    BulletinDelivery,
    SignUp,
    StarLevel,
    Venue,
    Volunteer,
)

# --- activities -------------------------------------------------------------------------------------


def public_activities() -> QuerySet[Activity]:
    return Activity.objects.select_related("campaign", "organizer").exclude(state__in=HIDDEN_ACTIVITY_STATES)


def activities_visible_to(user) -> QuerySet[Activity]:
    activities = Activity.objects.select_related("campaign", "organizer")
    if not rules.is_authenticated(user):
        return activities.exclude(state__in=HIDDEN_ACTIVITY_STATES)
    if rules.sees_all(user):
        return activities
    condition = ~Q(state__in=HIDDEN_ACTIVITY_STATES)
    condition |= Q(district__in=rules.district_codes(user))
    condition |= Q(organizer_id__in=rules.staff_organization_ids(user))
    return activities.filter(condition)


def activities_managed_by(user) -> QuerySet[Activity]:
    activities = Activity.objects.select_related("campaign", "organizer")
    if rules.is_manager(user):
        return activities
    return activities.filter(
        Q(district__in=rules.district_codes(user)) | Q(organizer_id__in=rules.staff_organization_ids(user))
    )


def can_view_activity(user, activity: Activity) -> bool:
    if activity.state not in HIDDEN_ACTIVITY_STATES or rules.sees_all(user):
        return True
    return rules.is_authenticated(user) and rules.can_manage_activity(user, activity)


def access_activity(user, pk) -> Activity:
    return access(activities_visible_to(user), pk)


def completeness(*, campaign=None, year: int | None = None) -> list[dict]:
    """Per district (all 38, in code order): activities registered, reported, the share reported and
    the attendance reported."""
    activities = Activity.objects.exclude(state__in=HIDDEN_ACTIVITY_STATES)
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
    if year is not None:
        activities = activities.filter(starts_at__year=year)
    rows = {
        row["district"]: row
        for row in activities.values("district").annotate(
            registered=Count("pk"),
            reported=Count("pk", filter=Q(state=ActivityState.REPORTED)),
            due=Count("pk", filter=Q(ends_at__lt=timezone.now())),
            attendance=Sum("attendance"),
        )
    }
    result = []
    for code, name in districts().items():
        row = rows.get(code, {})
        registered, reported = row.get("registered", 0), row.get("reported", 0)
        due = row.get("due", 0)
        result.append(
            {
                "district": code,
                "name": name,
                "registered": registered,
                "reported": reported,
                "due": due,
                "share": round(100 * reported / due) if due else None,
                "attendance": row.get("attendance") or 0,
            }
        )
    return result


def activities_by_district(queryset=None) -> dict[str, int]:
    queryset = public_activities() if queryset is None else queryset
    names = districts()
    return {
        names.get(row["district"], row["district"]): row["n"]
        for row in queryset.values("district").annotate(n=Count("pk")).order_by("district")
    }


# --- volunteers -------------------------------------------------------------------------------------


def volunteers_visible_to(user) -> QuerySet[Volunteer]:
    volunteers = Volunteer.objects.select_related("user", "organization")
    if not rules.is_authenticated(user):
        return volunteers.none()
    if rules.sees_all(user):
        return volunteers
    return volunteers.filter(Q(district__in=rules.district_codes(user)) | Q(user=user))


def can_view_volunteer(user, volunteer: Volunteer) -> bool:
    if not rules.is_authenticated(user):
        return False
    return (
        rules.sees_all(user)
        or volunteer.district in rules.district_codes(user)
        or volunteer.user_id == user.pk
    )


def access_volunteer(user, pk) -> Volunteer:
    return access(volunteers_visible_to(user), pk)


def confirmed_hours(volunteer: Volunteer) -> Decimal:
    total = volunteer.signups.filter(state=SignUpState.CONFIRMED).aggregate(t=Sum("confirmed_hours"))["t"]
    return total or Decimal("0")


def star_level(hours: Decimal) -> StarLevel | None:
    return StarLevel.objects.filter(min_hours__lte=hours).order_by("-min_hours").first()


def next_star_level(hours: Decimal) -> StarLevel | None:
    return StarLevel.objects.filter(min_hours__gt=hours).order_by("min_hours").first()


def ledger(volunteer: Volunteer) -> QuerySet[SignUp]:
    return volunteer.signups.select_related("activity", "activity__organizer").order_by(
        "-activity__starts_at"
    )


def hours_to_confirm(user) -> QuerySet[SignUp]:
    return SignUp.objects.filter(
        state=SignUpState.CHECKED_OUT, activity__in=activities_managed_by(user).values("pk")
    ).select_related("activity", "volunteer")


def volunteer_statistics(*, year: int | None = None) -> list[dict]:
    """Per organization that runs activities: volunteers serving, sign-ups, confirmed hours."""
    signups = SignUp.objects.filter(state=SignUpState.CONFIRMED)
    if year:
        signups = signups.filter(activity__starts_at__year=year)
    rows = (
        signups.values("activity__organizer__name")
        .annotate(
            volunteers=Count("volunteer", distinct=True),
            services=Count("pk"),
            hours=Sum("confirmed_hours"),
        )
        .order_by("-hours", "activity__organizer__name")
    )
    return [
        {
            "organization": row["activity__organizer__name"],
            "volunteers": row["volunteers"],
            "services": row["services"],
            "hours": row["hours"] or Decimal("0"),
        }
        for row in rows
    ]


# --- venues -----------------------------------------------------------------------------------------


def venues_visible_to(user) -> QuerySet[Venue]:
    venues = Venue.objects.select_related("organization")
    if rules.is_authenticated(user) and (rules.sees_all(user) or rules.is_venue_staff(user)):
        if rules.sees_all(user):
            return venues
        return venues.filter(Q(is_active=True) | Q(organization_id__in=rules.venue_organization_ids(user)))
    return venues.filter(is_active=True)


def access_venue(user, pk) -> Venue:
    return access(venues_visible_to(user), pk)


def venues_managed_by(user) -> QuerySet[Venue]:
    if rules.is_manager(user):
        return Venue.objects.select_related("organization")
    return Venue.objects.select_related("organization").filter(
        organization_id__in=rules.venue_organization_ids(user)
    )


# --- bulletins --------------------------------------------------------------------------------------


def bulletins_visible_to(user) -> QuerySet[Bulletin]:
    bulletins = Bulletin.objects.all()
    if not rules.is_authenticated(user):
        return bulletins.none()
    if rules.sees_all(user):
        return bulletins
    orgs = rules.staff_organization_ids(user)
    if not orgs:
        return bulletins.none()
    return bulletins.filter(
        state=BulletinState.PUBLISHED,
        pk__in=BulletinDelivery.objects.filter(organization_id__in=orgs).values("bulletin_id"),
    )


def access_bulletin(user, pk) -> Bulletin:
    return access(bulletins_visible_to(user), pk)


def deliveries_of(bulletin: Bulletin) -> QuerySet[BulletinDelivery]:
    return bulletin.deliveries.select_related("organization", "read_by")


def unread_after(bulletin: Bulletin, *, hours: int | None = None, now=None) -> QuerySet[BulletinDelivery]:
    """Deliveries still unread ``hours`` (default: the bulletin's own limit) after publication; none
    before that time has passed."""
    hours = bulletin.read_within_hours if hours is None else hours
    now = now or timezone.now()
    deliveries = deliveries_of(bulletin).filter(read_at__isnull=True)
    if bulletin.published_at is None or bulletin.published_at + timedelta(hours=hours) > now:
        return deliveries.none()
    return deliveries


def unread_deliveries_for(user) -> QuerySet[BulletinDelivery]:
    return BulletinDelivery.objects.filter(
        organization_id__in=rules.staff_organization_ids(user),
        read_at__isnull=True,
        bulletin__state=BulletinState.PUBLISHED,
    ).select_related("bulletin", "organization")


def bulletin_figures(bulletin: Bulletin) -> dict:
    row = bulletin.deliveries.aggregate(
        total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)), forwarded=Sum("forwarded")
    )
    total = row["total"] or 0
    return {
        "total": total,
        "read": row["read"],
        "unread": total - row["read"],
        "rate": round(100 * row["read"] / total, 1) if total else None,
        "forwarded": row["forwarded"] or 0,
    }


access_rules.register(
    "outreach.activity", visible=activities_visible_to, access=access_activity, can_view=can_view_activity
)
access_rules.register(
    "outreach.volunteer", visible=volunteers_visible_to, access=access_volunteer, can_view=can_view_volunteer
)
access_rules.register("outreach.venue", visible=venues_visible_to, access=access_venue)
access_rules.register("outreach.bulletin", visible=bulletins_visible_to, access=access_bulletin)
