"""Emergency bulletins: one-step publication, read receipts, forwarding, the unread list, empty audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.core.models import Notification
from kexie.outreach import queries, services
from kexie.outreach.models import BulletinDelivery

pytestmark = pytest.mark.django_db


def _draft(manager, **extra):
    values = {
        "title": "暴雨防范科普提示",
        "topic": "flood",
        "content": "远离河道",
        "audience": "districts",
        "is_drill": False,
        "read_within_hours": 2,
    }
    values.update(extra)
    return services.save_bulletin(by=manager, **values)


def test_publish_delivers_to_every_district_at_once_and_notifies(manager, district_user):
    bulletin = services.publish_bulletin(bulletin=_draft(manager), by=manager)
    assert bulletin.deliveries.count() == 41  # 38 districts and 3 development zones
    notices = Notification.objects.filter(user=district_user, url__contains=f"/bulletins/{bulletin.pk}/")
    # The whole title in Chinese (the kind word once sat in an f-string, outside the catalogue).
    assert [n.title for n in notices] == ["应急科普：暴雨防范科普提示"]


def test_empty_audience_is_refused_and_nothing_is_delivered(manager):
    bulletin = _draft(manager, audience="chosen")
    with pytest.raises(ValidationError) as exc:
        services.publish_bulletin(bulletin=bulletin, by=manager)
    assert exc.value.error_list[0].code == "empty"
    bulletin.refresh_from_db()
    assert (bulletin.state, BulletinDelivery.objects.count()) == ("draft", 0)


def test_read_receipts_and_unread_after_hours(manager, district_user, other_district_user, make_user):
    published = timezone.now() - timedelta(hours=3)
    bulletin = services.publish_bulletin(bulletin=_draft(manager), by=manager, now=published)
    for user in (district_user, other_district_user):
        delivery = queries.unread_deliveries_for(user).get()
        services.acknowledge(delivery=delivery, by=user)
    again = services.acknowledge(
        delivery=BulletinDelivery.objects.get(bulletin=bulletin, organization__code="500103"),
        by=district_user,
    )
    assert again.read_by == district_user
    figures = queries.bulletin_figures(bulletin)
    assert (figures["read"], figures["unread"]) == (2, 39)
    unread = queries.unread_after(bulletin, hours=2)
    assert unread.count() == 39
    assert not unread.filter(organization__code__in=["500103", "500105"]).exists()
    assert queries.unread_after(bulletin, hours=5).count() == 0  # not yet 5 hours


def test_forwarding_count_is_reported_by_the_receiver_only(manager, district_user, other_district_user):
    bulletin = services.publish_bulletin(bulletin=_draft(manager), by=manager)
    mine = BulletinDelivery.objects.get(bulletin=bulletin, organization__code="500103")
    with pytest.raises(PermissionDenied):
        services.report_forwarding(delivery=mine, by=other_district_user, forwarded=10)
    services.report_forwarding(delivery=mine, by=district_user, forwarded=35)
    assert queries.bulletin_figures(bulletin)["forwarded"] == 35


def test_a_volunteer_sees_no_bulletins(manager, make_user):
    services.publish_bulletin(bulletin=_draft(manager), by=manager)
    assert (
        queries.bulletins_visible_to(
            make_user("v", role=Role.VOLUNTEER, org_name="渝中区科学技术协会")
        ).count()
        == 0
    )
