"""What a signed-in request costs (issue 10, web load): no session write when nothing changed, the
second-factor state read from the session instead of the device tables — and a deleted, reset or newly
enrolled device still takes effect on the next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts import services
from kexie.accounts.enums import Role
from tests.conftest import verify_session


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def staff(make_user):
    return make_user("kepu1", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部")


@pytest.mark.parametrize("mode", ["required", "optional"])
def test_verified_page_view_reads_no_device_and_writes_no_session(client, staff, settings, mode):
    settings.STAFF_SECOND_FACTOR = mode
    verify_session(client, staff)
    first, _sql = _get(client, reverse("notifications"))  # the device is checked once, then remembered
    assert first.status_code == 200
    response, sql = _get(client, reverse("notifications"))
    assert response.status_code == 200
    assert not [q for q in sql if "otp_" in q]
    assert not [q for q in sql if q.startswith(("UPDATE", "INSERT", "SAVEPOINT"))]
    # Each menu entry's visibility rule runs once per page, not once per menu showing it.
    assert len(sql) == len(set(sql))


def test_optional_mode_without_device_asks_the_database_once(client, staff, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    client.force_login(staff)
    assert client.get(reverse("notifications")).status_code == 200
    response, sql = _get(client, reverse("notifications"))
    assert response.status_code == 200
    assert not [q for q in sql if "otp_" in q]


def test_deleted_device_ends_a_verified_session(client, staff, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    device = verify_session(client, staff)
    assert client.get(reverse("notifications")).status_code == 200
    assert client.get(reverse("notifications")).status_code == 200  # served from the session's state
    device.delete()
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_second_factor_reset_by_administrator_ends_a_verified_session(client, staff, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "required"
    verify_session(client, staff)
    assert client.get(reverse("notifications")).status_code == 200
    services.reset_second_factor(user=staff, by=make_user("sysadmin", role=Role.ADMIN))
    assert client.get(reverse("notifications")).status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_replaced_device_is_not_trusted_for_the_old_one(client, staff, settings):
    """The session was verified by device A; A is deleted and B enrolled elsewhere: the session must
    verify again (B never verified it)."""
    settings.STAFF_SECOND_FACTOR = "required"
    old = verify_session(client, staff)
    assert client.get(reverse("notifications")).status_code == 200
    old.delete()
    TOTPDevice.objects.create(user=staff, name="new phone", confirmed=True)
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_device_enrolled_elsewhere_makes_optional_mode_ask_for_it(client, staff, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    client.force_login(staff)
    assert client.get(reverse("notifications")).status_code == 200  # "no device" now in the session
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_session_written_only_when_its_expiry_lags(client, staff, settings):
    settings.STAFF_SECOND_FACTOR = "off"
    client.force_login(staff)
    key = client.session.session_key
    client.get(reverse("notifications"))
    stored = Session.objects.get(session_key=key).expire_date
    _response, sql = _get(client, reverse("notifications"))
    assert not [q for q in sql if "django_session" in q and q.startswith("UPDATE")]
    assert Session.objects.get(session_key=key).expire_date == stored
    # Two minutes later (more than SESSION_REFRESH_AFTER): the expiry moves on.
    Session.objects.filter(session_key=key).update(expire_date=stored - timedelta(minutes=2))
    client.get(reverse("notifications"))
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(
        seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_AFTER
    )
