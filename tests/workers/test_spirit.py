"""Measure 5: talks requested, scheduled and delivered; education bases with yearly reports; training
sessions with capacity, enrolment deadline, signed QR check-in once, feedback once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.policy.indicators import registered
from kexie.workers import spirit
from kexie.workers.enums import SessionKind, TalkState


def MORNING():  # noqa: N802 - 09:00 local today: the same day as 15:00 whenever the suite runs
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(9)))


@pytest.fixture
def xuanchuan(make_user):
    return make_user("xuanchuan", role=Role.DEPARTMENT_STAFF, org_name="宣传文化部")


@pytest.fixture
def district(make_user, orgs):
    return make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会")


def test_talk_from_request_to_delivery_moves_measure_5(xuanchuan, district, orgs):
    speaker = spirit.add_speaker(name="陈守仁", topics="科学家故事", by=xuanchuan)
    talk = spirit.request_talk(
        requester=orgs["渝中区科学技术协会"],
        topic="科学家精神进校园",
        preferred_date=timezone.localdate(),
        expected_audience=300,
        by=district,
    )
    with pytest.raises(PermissionDenied):
        spirit.schedule_talk(
            talk=talk, speaker=speaker, scheduled_at=timezone.now(), place="礼堂", by=district
        )
    talk = spirit.schedule_talk(
        talk=talk,
        speaker=speaker,
        scheduled_at=MORNING(),
        place="礼堂",
        by=xuanchuan,
    )
    other = spirit.request_talk(
        requester=orgs["渝中区科学技术协会"],
        topic="另一场",
        preferred_date=timezone.localdate(),
        expected_audience=50,
        by=district,
    )
    with pytest.raises(ValidationError) as info:  # one talk a day per speaker
        spirit.schedule_talk(
            talk=other,
            speaker=speaker,
            scheduled_at=MORNING() + timedelta(hours=6),
            place="礼堂",
            by=xuanchuan,
        )
    assert "陈守仁" in info.value.message_dict["speaker"][0]
    talk = spirit.report_talk(talk=talk, audience=280, summary="互动热烈", by=xuanchuan)
    assert talk.state == TalkState.DELIVERED
    reading = {i.key: i for i in registered()}["workers.talks_delivered"].function(None)
    assert reading.value == 1 and "280" in str(reading.explanation)


def test_request_only_for_own_unit_and_not_in_the_past(district, orgs):
    with pytest.raises(PermissionDenied):
        spirit.request_talk(
            requester=orgs["江北区科学技术协会"],
            topic="x",
            preferred_date=timezone.localdate(),
            expected_audience=1,
            by=district,
        )
    with pytest.raises(ValidationError) as info:
        spirit.request_talk(
            requester=orgs["渝中区科学技术协会"],
            topic="x",
            preferred_date=timezone.localdate() - timedelta(days=1),
            expected_audience=1,
            by=district,
        )
    assert "preferred_date" in info.value.message_dict


def test_base_report_once_a_year(xuanchuan):
    base = spirit.register_base(
        name="某教育基地", district="500103", host="某研究院", designated_year=2023, by=xuanchuan
    )
    spirit.report_base_year(
        base=base, year=2024, activities=3, visitors=100, summary="开展活动", by=xuanchuan
    )
    with pytest.raises(ValidationError) as info:
        spirit.report_base_year(
            base=base, year=2024, activities=3, visitors=100, summary="重复", by=xuanchuan
        )
    assert "2024" in info.value.message_dict["year"][0]
    with pytest.raises(ValidationError):
        spirit.register_base(
            name="某教育基地", district="500103", host="x", designated_year=2023, by=xuanchuan
        )


@pytest.fixture
def session(make_user):
    organiser = make_user("zuzhi", role=Role.DEPARTMENT_STAFF, org_name="组织人事部")
    return spirit.create_session(
        kind=SessionKind.SEMINAR,
        title="科技英才专题研修班",
        starts_at=timezone.now() + timedelta(minutes=30),
        place="市科协党校",
        capacity=1,
        enrol_until=timezone.now() + timedelta(minutes=10),
        by=organiser,
    )


def test_enrol_capacity_checkin_once_and_feedback_once(session, make_user):
    first, second = make_user("a", role=None), make_user("b", role=None)
    spirit.enrol(session=session, by=first)
    with pytest.raises(ValidationError) as info:
        spirit.enrol(session=session, by=second)
    assert "已满" in str(info.value.messages) or "full" in str(info.value.messages)
    token = spirit.checkin_token(session)
    with pytest.raises(ValidationError):
        spirit.check_in(session=session, token=token, by=second)  # not enrolled
    with pytest.raises(ValidationError):
        spirit.check_in(session=session, token=token + "x", by=first)  # forged
    enrolment = spirit.check_in(session=session, token=token, by=first)
    assert enrolment.attended_at is not None
    with pytest.raises(ValidationError):
        spirit.check_in(session=session, token=token, by=first)  # twice
    spirit.give_feedback(enrolment=enrolment, score=5, comment="很有收获", by=first)
    with pytest.raises(ValidationError):
        spirit.give_feedback(enrolment=enrolment, score=4, comment="", by=first)


def test_expired_and_foreign_codes_are_refused(session, make_user, monkeypatch):
    user = make_user("a", role=None)
    spirit.enrol(session=session, by=user)
    foreign = signing.dumps({"s": session.pk + 1}, salt=spirit.CHECKIN_SALT, compress=True)
    with pytest.raises(ValidationError) as info:
        spirit.check_in(session=session, token=foreign, by=user)
    assert info.value.messages
    old = spirit.checkin_token(session)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 3 * 86400)
    with pytest.raises(ValidationError):
        spirit.check_in(session=session, token=old, by=user)


def test_late_enrolment_is_refused(session, make_user, monkeypatch):
    from kexie.workers.models import TrainingSession

    TrainingSession.objects.filter(pk=session.pk).update(enrol_until=timezone.now() - timedelta(minutes=1))
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        spirit.enrol(session=session, by=make_user("late", role=None))


def test_qr_page_and_checkin_through_pages(session, make_user, login):
    organiser = make_user("zz", role=Role.DEPARTMENT_STAFF, org_name="组织人事部")
    body = login(organiser).get(reverse("workers:session_detail", args=[session.pk])).content.decode()
    assert "<svg" in body and "/checkin/" in body
    user = make_user("p", role=None)
    client = login(user)
    client.post(reverse("workers:session_enrol", args=[session.pk]))
    token = spirit.checkin_token(session)
    client.post(reverse("workers:session_checkin", args=[session.pk, token]))
    assert session.enrolments.get(user=user).attended_at is not None
    assert client.get(reverse("workers:spirit")).status_code == 200
