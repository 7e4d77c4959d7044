"""The outreach demo: every part has data, through the services, and the two demo logins exist."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kexie.accounts.models import User
from kexie.calls.models import Call
from kexie.literacy.demo import load_demo as load_literacy_demo
from kexie.outreach import models
from kexie.outreach.demo import load_demo
from kexie.site.demo import DEMO_USERS, load_demo_users

pytestmark = pytest.mark.django_db


def test_demo_fills_every_part_and_creates_the_logins():
    load_demo_users()
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    load_literacy_demo(users)  # the youth evaluation draws its paper from the reviewed question bank
    printed = dict(load_demo(users))
    assert {"volunteer_demo", "venue_demo"} <= set(printed)
    counts = {
        name: getattr(models, name).objects.count()
        for name in [
            "Campaign",
            "Activity",
            "Volunteer",
            "Team",
            "SignUp",
            "StarLevel",
            "TeachingPoint",
            "Course",
            "Teacher",
            "CourseClass",
            "Enrolment",
            "ClassSession",
            "Venue",
            "VenueReport",
            "Exhibition",
            "TourStop",
            "BulletinTemplate",
            "Bulletin",
            "BulletinDelivery",
            "Courtyard",
            "ServiceLog",
            "CourtyardOutcome",
            "FarmerAssociation",
            "NineMeasure",
            "NineMeasureProgress",
            "YouthEvaluation",
            "YouthResult",
        ]
    }
    assert [name for name, n in counts.items() if n == 0] == []
    assert models.Team.objects.filter(name__contains="恒合乡", kind="expert_team").count() == 1
    # 科普示范 named through a published call; this year's title evaluation open with a dossier
    assert models.DemonstrationSite.objects.filter(is_final=True).count() == 3
    assert Call.objects.get(kind="outreach.title").submissions.filter(state="submitted").count() == 1
    # one draft, seen by 渝中区 (its organiser) only
    draft = models.Activity.objects.get(state="draft")
    assert draft.district == "500103" and draft.starts_at > timezone.now()
    volunteer = User.objects.get(username="volunteer_demo").volunteer
    assert volunteer.signups.filter(state="confirmed").exists()
    assert dict(load_demo(users)) == printed  # a second run changes nothing
    assert models.Activity.objects.count() == counts["Activity"]
