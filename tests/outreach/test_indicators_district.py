"""District readings of outreach's indicators (the district view, /supervision/districts/<code>/):
volunteers by their district, hours and activities by the activity's district."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from kexie.outreach import services
from kexie.policy import indicators
from tests.conftest import district_value


def test_outreach_indicators_read_per_district(
    make_activity, make_volunteer, district_user, other_district_user, orgs
):
    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    activity = make_activity(starts_in=timedelta(hours=-3))  # 渝中
    services.register_activity(
        by=other_district_user,
        campaign=activity.campaign,
        title="江北科普讲座",
        kind="lecture",
        audience="public",
        district="500105",
        organizer=jiangbei,
        place="江北区图书馆",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        volunteers_needed=2,
    )
    here = make_volunteer("渝中志愿者", district="500103")
    make_volunteer("江北志愿者", district="500105")
    services.scan(token=services.checkin_token(activity, "in"), volunteer=here, now=activity.starts_at)
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=here,
        now=activity.starts_at + timedelta(hours=2),
    )
    services.confirm_hours(signup=signup, by=district_user)

    assert (
        district_value("outreach.volunteers", yuzhong),
        district_value("outreach.volunteers", jiangbei),
    ) == (1, 1)
    assert district_value("outreach.confirmed_hours", yuzhong) == Decimal("2")
    assert district_value("outreach.confirmed_hours", jiangbei) == 0
    assert district_value("outreach.activities_by_district", yuzhong) == 1
    assert district_value("outreach.activities_by_district", jiangbei) == 1
    # The city-wide readings still count everything.
    assert indicators.get("outreach.volunteers").compute(None).value == 2
    assert indicators.get("outreach.activities_by_district").compute(None).value == 2


def test_courtyards_venues_and_visitors_read_per_district(orgs):
    from django.utils import timezone

    from kexie.outreach.models import Courtyard, Venue, VenueReport

    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    for n, district in enumerate(("500103", "500105", "500105")):
        Courtyard.objects.create(
            name=f"科技小院{n}",
            district=district,
            town="某镇",
            host="合作社",
            university="西南大学",
            industry="柑橘",
        )
    venue = Venue.objects.create(
        name="渝中科技馆", kind="district_museum", district="500103", organization=yuzhong
    )
    Venue.objects.create(
        name="江北科普基地", kind="district_museum", district="500105", organization=jiangbei
    )
    VenueReport.objects.create(venue=venue, month=timezone.localdate().replace(day=1), visitors=1200)

    assert district_value("outreach.courtyards", yuzhong) == 1
    assert district_value("outreach.courtyards", jiangbei) == 2
    assert district_value("outreach.venues", yuzhong) == district_value("outreach.venues", jiangbei) == 1
    assert district_value("outreach.visitors", yuzhong) == 1200
    assert district_value("outreach.visitors", jiangbei) == 0
    assert indicators.get("outreach.courtyards").compute(None).value == 3
