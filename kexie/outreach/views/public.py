"""Public pages: the outreach home, the activity calendar and .ics, the map, the venue network."""

from __future__ import annotations

import json
from calendar import Calendar as MonthCalendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kexie.core.reference import district_choices, district_name, districts
from kexie.outreach import queries, rules
from kexie.outreach.enums import HIDDEN_ACTIVITY_STATES, TOURING_KINDS, SignUpState
from kexie.outreach.models import Campaign, Courtyard, Exhibition, TourStop, VenueReport

# The map package names two districts by their former county names.
MAP_NAMES = {"梁平区": "梁平县", "武隆区": "武隆县"}


def home(request):
    user = request.user
    context = {
        "can_work": rules.can_open_workspace(user),
        "is_volunteer": rules.is_volunteer(user),
        "can_publish": rules.can_publish_bulletins(user),
        "upcoming": queries.public_activities()
        .filter(starts_at__gte=timezone.now())
        .order_by("starts_at")[:6],
        "campaigns": Campaign.objects.filter(year__gte=timezone.localdate().year - 1)[:6],
    }
    if context["can_work"]:
        context["to_confirm"] = queries.hours_to_confirm(user).count()
        context["unread"] = queries.unread_deliveries_for(user).count()
    return render(request, "outreach/home.html", context)


def _month(request) -> date:
    try:
        first = datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()  # noqa: DTZ007 - a date only
    except ValueError:
        first = timezone.localdate().replace(day=1)
    return first


def _filtered(request, activities):
    district = request.GET.get("district", "")
    if district in districts():
        activities = activities.filter(district=district)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        activities = activities.filter(campaign_id=int(campaign))
    return activities, district, campaign


def _weeks(first: date, days: dict[date, list]) -> list[list[dict]]:
    """The month as weeks from Monday to Sunday, with the days of the neighbouring months greyed."""
    today = timezone.localdate()
    return [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "items": days.get(day, []),
            }
            for day in week
        ]
        for week in MonthCalendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]


def calendar(request):
    """A month grid (list of days on a phone): activities by their local start day, filters by
    district and campaign, previous and next month, the .ics of the same filter and the map."""
    first = _month(request)
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    grid = MonthCalendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = timezone.make_aware(datetime.combine(grid[0][0], time.min))
    end = timezone.make_aware(datetime.combine(grid[-1][-1] + timedelta(days=1), time.min))
    activities, district, campaign = _filtered(
        request, queries.public_activities().filter(starts_at__gte=start, starts_at__lt=end)
    )
    days: dict[date, list] = {}
    for activity in activities.order_by("starts_at"):
        days.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    query = "&".join(f"{k}={v}" for k, v in (("district", district), ("campaign", campaign)) if v)
    this_month = timezone.localdate().replace(day=1)
    return render(
        request,
        "outreach/calendar.html",
        {
            "month": first,
            "previous": previous.strftime("%Y-%m"),
            "next": following.strftime("%Y-%m"),
            "this_month": this_month.strftime("%Y-%m") if this_month != first else "",
            "weeks": _weeks(first, days),
            "weekdays": [WEEKDAYS_ABBR[n] for n in range(7)],
            "days": sorted((d, items) for d, items in days.items() if d.month == first.month),
            "total": sum(len(items) for d, items in days.items() if d.month == first.month),
            "districts": district_choices(),
            "campaigns": Campaign.objects.all(),
            "district": district,
            "campaign": campaign,
            "query": query,
        },
    )


def _event(activity, request) -> Event:
    event = Event()
    event.add("uid", f"outreach-activity-{activity.pk}@kexie")
    event.add("summary", activity.title)
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("dtstamp", activity.updated_at)
    event.add("location", f"{activity.district_name} {activity.place}")
    if activity.latitude is not None:
        event.add("geo", (float(activity.latitude), float(activity.longitude)))
    event.add("description", activity.description or activity.get_kind_display())
    event.add("url", request.build_absolute_uri(reverse("outreach:activity_detail", args=[activity.pk])))
    return event


def _calendar_response(events, filename: str) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//kexie//outreach//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Science activities in Chongqing"))
    for event in events:
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def calendar_ics(request):
    since = timezone.now() - timedelta(days=31)
    activities, _district, _campaign = _filtered(
        request, queries.public_activities().filter(starts_at__gte=since)
    )
    return _calendar_response((_event(a, request) for a in activities[:2000]), "kexie-activities.ics")


def activity_ics(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    return _calendar_response([_event(activity, request)], f"activity-{activity.pk}.ics")


def activity_map(request):
    year = request.GET.get("year", "")
    activities = queries.public_activities()
    if year.isdigit():
        activities = activities.filter(starts_at__year=int(year))
    counts = queries.activities_by_district(activities)
    data = [{"name": MAP_NAMES.get(name, name), "value": n} for name, n in counts.items()]
    points = [
        {
            "name": a.title,
            "value": [float(a.longitude), float(a.latitude)],
            "url": reverse("outreach:activity_detail", args=[a.pk]),
        }
        for a in activities.filter(latitude__isnull=False).order_by("-starts_at")[:300]
    ]
    ranking = sorted(counts.items(), key=lambda kv: -kv[1])
    return render(
        request,
        "outreach/map.html",
        {
            "map_data": json.dumps({"areas": data, "points": points}, ensure_ascii=False),
            "ranking": ranking,
            "total": sum(counts.values()),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        },
    )


def activity_detail(request, pk: int):
    activity = queries.access_activity(request.user, pk)
    user = request.user
    can_manage = rules.is_authenticated(user) and rules.can_manage_activity(user, activity)
    volunteer = getattr(user, "volunteer", None) if rules.is_authenticated(user) else None
    my_signup = activity.signups.filter(volunteer=volunteer).first() if volunteer else None
    signups = activity.signups.select_related("volunteer").order_by("pk") if can_manage else None
    taken = activity.signups.exclude(state=SignUpState.CANCELLED).count()
    return render(
        request,
        "outreach/activity_detail.html",
        {
            "activity": activity,
            "can_manage": can_manage,
            "volunteer": volunteer,
            "my_signup": my_signup,
            "signups": signups,
            "taken": taken,
            "can_sign_up": volunteer is not None
            and activity.state not in HIDDEN_ACTIVITY_STATES
            and activity.starts_at > timezone.now()
            and (my_signup is None or my_signup.state == SignUpState.CANCELLED),
            "photos": activity.photos.all(),
        },
    )


def network(request):
    venues = queries.venues_visible_to(request.user).annotate(exhibition_count=Count("exhibitions"))
    year = timezone.localdate().year
    visitors = dict(
        VenueReport.objects.filter(month__year=year).values_list("venue_id").annotate(v=Sum("visitors"))
    )
    points = [
        {
            "name": v.name,
            "value": [float(v.longitude), float(v.latitude)],
            "kind": v.get_kind_display(),
            "url": reverse("outreach:venue_detail", args=[v.pk]),
        }
        for v in venues
        if v.latitude is not None
    ]
    stops = (
        TourStop.objects.select_related("venue")
        .filter(ends_on__gte=timezone.localdate())
        .order_by("starts_on")[:20]
    )
    return render(
        request,
        "outreach/network.html",
        {
            "venues": [(v, visitors.get(v.pk, 0)) for v in venues],
            "map_data": json.dumps({"areas": [], "points": points}, ensure_ascii=False),
            "stops": stops,
            "year": year,
            "total_visitors": sum(visitors.values()),
        },
    )


def venue_detail(request, pk: int):
    venue = queries.access_venue(request.user, pk)
    can_manage = rules.is_authenticated(request.user) and rules.can_manage_venue(request.user, venue)
    return render(
        request,
        "outreach/venue_detail.html",
        {
            "venue": venue,
            "can_manage": can_manage,
            "exhibitions": Exhibition.objects.filter(venue=venue),
            "stops": venue.stops.all() if venue.kind in TOURING_KINDS else None,
            "reports": venue.reports.all()[:24],
        },
    )


def courtyard_detail(request, pk: int):
    courtyard = get_object_or_404(Courtyard, pk=pk)
    logs = courtyard.logs.all()[:50]
    return render(
        request,
        "outreach/courtyard_detail.html",
        {
            "courtyard": courtyard,
            "logs": logs,
            "outcomes": courtyard.outcomes.all(),
            "farmers": courtyard.logs.aggregate(n=Sum("farmers_reached"))["n"] or 0,
            "can_manage": rules.is_authenticated(request.user)
            and rules.can_manage_district_record(request.user, courtyard.district),
            "district": district_name(courtyard.district),
        },
    )
