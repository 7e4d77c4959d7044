"""Fixtures of the outreach tests: a district, a manager, volunteers, an activity under way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.outreach import search as outreach_search
from kexie.outreach import services
from kexie.outreach.models import Activity, Campaign
from kexie.search import index
from kexie.search.backends.tantivy_backend import TantivyBackend

# Valid GB 11643 numbers (check digits computed), one per volunteer in the tests.
ID_NUMBERS = ["110101199003076712", "500103199508152229", "500101198812013314", "500102199207212025"]


@pytest.fixture
def manager(make_user):
    return make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部", full_name="何科普")


@pytest.fixture
def district_user(make_user):
    return make_user("yz", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会", full_name="赵敏")


@pytest.fixture
def other_district_user(make_user):
    return make_user("jb", role=Role.DISTRICT_STAFF, org_name="江北区科学技术协会", full_name="钱江")


@pytest.fixture
def make_volunteer(make_user):
    counter = {"n": 0}

    def factory(name: str = "张志愿", district: str = "500103"):
        n = counter["n"]
        counter["n"] += 1
        user = make_user(f"vol{n}", role=None, full_name=name)
        return services.register_volunteer(
            user=user,
            real_name=name,
            id_number=ID_NUMBERS[n % len(ID_NUMBERS)],
            mobile=f"1380000{n:04d}",
            district=district,
            skills=["讲解"],
        )

    return factory


@pytest.fixture
def campaign(db):
    today = timezone.localdate()
    return Campaign.objects.create(
        name="2025年全国科普日",
        kind="science_day",
        year=today.year,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )


@pytest.fixture
def make_activity(district_user, orgs, campaign):
    def factory(*, starts_in=timedelta(days=2), hours: int = 3, **extra) -> Activity:
        starts = timezone.now() + starts_in
        values = {
            "campaign": campaign,
            "title": "全国科普日·解放碑科普集市",
            "kind": "fair",
            "audience": "public",
            "district": "500103",
            "organizer": orgs["渝中区科学技术协会"],
            "place": "解放碑步行街",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours),
            "volunteers_needed": 10,
        }
        values.update(extra)
        return services.register_activity(by=district_user, **values)

    return factory


@pytest.fixture
def activity_search(tmp_path):
    """A fresh search index holding the activities (the registered source), for the test only."""
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    index.set_backend(backend)
    index.register_source(outreach_search.ACTIVITY_KIND, outreach_search.activity_documents)
    yield backend
    index.set_backend(None)


@pytest.fixture
def activity_form_values(orgs, campaign):
    """What the activity form posts: a 渝中区 fair in three days, two hours long."""

    def values(title: str) -> dict:
        start = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
        return {
            "campaign": campaign.pk,
            "title": title,
            "kind": "fair",
            "audience": "public",
            "district": "500103",
            "organizer": orgs["渝中区科学技术协会"].pk,
            "place": "解放碑",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "volunteers_needed": 5,
        }

    return values
