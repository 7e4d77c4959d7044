"""Volunteers: registration, sign-up, QR check-in and out, confirmation of hours, ledger and stars."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kexie.core.models import AuditEvent
from kexie.outreach import queries, services
from kexie.outreach.enums import SignUpState
from kexie.outreach.models import SignUp, StarLevel, Volunteer

pytestmark = pytest.mark.django_db


def test_register_volunteer_refuses_a_wrong_id_number(make_user):
    user = make_user("v", role=None)
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(
            user=user,
            real_name="李四",
            id_number="500103199508152220",
            mobile="13800000000",
            district="500103",
            skills=[],
        )
    assert "id_number" in exc.value.error_dict
    assert Volunteer.objects.count() == 0


def test_register_volunteer_stores_identity_encrypted_and_masks_it(make_volunteer):
    volunteer = make_volunteer("王小明")
    volunteer.refresh_from_db()
    assert volunteer.id_number == "110101199003076712"
    assert volunteer.masked_id_number == "1101**********6712"
    assert volunteer.masked_mobile == "138****0000"


def test_sign_up_then_check_in_and_out_records_hours(make_activity, make_volunteer):
    activity = make_activity()
    volunteer = make_volunteer()
    services.sign_up(activity=activity, volunteer=volunteer, by=volunteer.user)
    token_in = services.checkin_token(activity, "in")
    start = activity.starts_at + timedelta(minutes=5)
    signup = services.scan(token=token_in, volunteer=volunteer, now=start)
    assert signup.state == SignUpState.CHECKED_IN
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=volunteer,
        now=start + timedelta(hours=2, minutes=50),
    )
    assert (signup.state, signup.hours) == (SignUpState.CHECKED_OUT, Decimal("3.0"))


def test_second_check_in_is_refused_and_changes_nothing(make_activity, make_volunteer):
    activity = make_activity(starts_in=timedelta(minutes=-10))
    volunteer = make_volunteer()
    token = services.checkin_token(activity, "in")
    first = services.scan(token=token, volunteer=volunteer)
    with pytest.raises(ValidationError) as exc:
        services.scan(token=token, volunteer=volunteer)
    assert exc.value.code == "duplicate"
    assert SignUp.objects.filter(activity=activity).count() == 1
    assert SignUp.objects.get().checked_in_at == first.checked_in_at


def test_forged_qr_code_is_refused(make_activity, make_volunteer):
    activity = make_activity(starts_in=timedelta(minutes=-10))
    volunteer = make_volunteer()
    forged = signing.dumps({"a": activity.pk, "d": "in"}, salt="another-salt")
    with pytest.raises(ValidationError) as exc:
        services.scan(token=forged, volunteer=volunteer)
    assert exc.value.code == "forged"
    tampered = services.checkin_token(activity, "in")[:-2] + "xx"
    with pytest.raises(ValidationError):
        services.scan(token=tampered, volunteer=volunteer)
    assert SignUp.objects.count() == 0


def test_expired_qr_code_is_refused(make_activity, make_volunteer, monkeypatch):
    activity = make_activity(starts_in=timedelta(minutes=-10))
    volunteer = make_volunteer()
    token = services.checkin_token(activity, "in")
    later = timezone.now().timestamp() + services.TOKEN_MAX_AGE.total_seconds() + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(ValidationError) as exc:
        services.scan(token=token, volunteer=volunteer)
    assert exc.value.code == "expired"
    assert "已过期" in exc.value.messages[0]
    assert SignUp.objects.count() == 0


def test_confirm_hours_twice_is_refused(make_activity, make_volunteer, district_user):
    activity = make_activity(starts_in=timedelta(hours=-3))
    volunteer = make_volunteer()
    signup = services.scan(
        token=services.checkin_token(activity, "in"), volunteer=volunteer, now=activity.starts_at
    )
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=volunteer,
        now=activity.starts_at + timedelta(hours=2),
    )
    services.confirm_hours(signup=signup, by=district_user)
    events = AuditEvent.objects.filter(action="outreach.signup.confirm").count()
    with pytest.raises(ValidationError) as exc:
        services.confirm_hours(signup=SignUp.objects.get(pk=signup.pk), by=district_user, hours=Decimal("5"))
    assert "已确认" in exc.value.messages[0]
    signup.refresh_from_db()
    assert (signup.confirmed_hours, AuditEvent.objects.filter(action="outreach.signup.confirm").count()) == (
        Decimal("2.0"),
        events,
    )


def test_confirm_hours_refused_to_another_district(make_activity, make_volunteer, other_district_user):
    activity = make_activity(starts_in=timedelta(hours=-3))
    volunteer = make_volunteer()
    services.scan(token=services.checkin_token(activity, "in"), volunteer=volunteer, now=activity.starts_at)
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=volunteer,
        now=activity.starts_at + timedelta(hours=1),
    )
    with pytest.raises(PermissionDenied):
        services.confirm_hours(signup=signup, by=other_district_user)
    assert SignUp.objects.get(pk=signup.pk).state == SignUpState.CHECKED_OUT


def test_ledger_and_star_level_follow_confirmed_hours(make_activity, make_volunteer, district_user):
    StarLevel.objects.create(stars=1, name="一星志愿者", min_hours=Decimal("2"))
    StarLevel.objects.create(stars=2, name="二星志愿者", min_hours=Decimal("100"))
    activity = make_activity(starts_in=timedelta(hours=-4))
    volunteer = make_volunteer()
    services.scan(token=services.checkin_token(activity, "in"), volunteer=volunteer, now=activity.starts_at)
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=volunteer,
        now=activity.starts_at + timedelta(hours=2, minutes=30),
    )
    assert queries.confirmed_hours(volunteer) == 0
    services.confirm_hours(signup=signup, by=district_user)
    hours = queries.confirmed_hours(volunteer)
    assert (hours, queries.star_level(hours).name, queries.next_star_level(hours).name) == (
        Decimal("2.5"),
        "一星志愿者",
        "二星志愿者",
    )


def test_sign_up_refused_when_places_are_taken(make_activity, make_volunteer):
    activity = make_activity(volunteers_needed=1)
    first, second = make_volunteer("甲"), make_volunteer("乙")
    services.sign_up(activity=activity, volunteer=first, by=first.user)
    with pytest.raises(ValidationError):
        services.sign_up(activity=activity, volunteer=second, by=second.user)
    assert activity.signups.count() == 1
