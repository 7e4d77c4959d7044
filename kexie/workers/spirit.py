"""Measure 5 besides the archive: the 科学家精神报告团 (speakers, talks requested, scheduled, delivered),
科学家精神教育基地 with yearly reports, and training sessions with enrolment, QR check-in and feedback.
Every write is atomic, checked against the rules and audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core import reference
from kexie.core.qr import read_signed_code, signed_code
from kexie.core.services import notify, record_event
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload
from kexie.workers import rules
from kexie.workers.enums import SessionKind, TalkState
from kexie.workers.models import (
    Enrolment,
    SpiritBase,
    SpiritBaseReport,
    SpiritSpeaker,
    SpiritTalk,
    TrainingSession,
)

CHECKIN_SALT = "kexie.workers.checkin"


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


@transaction.atomic
def add_speaker(*, name: str, topics: str, by, title: str = "", expert=None) -> SpiritSpeaker:
    _require(rules.can_manage_spirit(by))
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the speaker.")
    if not (topics or "").strip():
        errors["topics"] = _("List the speaker's talk topics.")
    if errors:
        raise ValidationError(errors)
    speaker = SpiritSpeaker.objects.create(
        name=name.strip(),
        topics=topics.strip(),
        title=title.strip(),
        expert=expert,
        created_by=by,
        updated_by=by,
    )
    record_event(speaker, "workers.speaker.add", actor=by, after={"name": speaker.name})
    return speaker


@transaction.atomic
def request_talk(
    *, requester, topic: str, preferred_date: date, expected_audience: int, by, note: str = ""
) -> SpiritTalk:
    units = rules.requesting_units(by)
    _require(any(unit.pk == requester.pk for unit in units))
    errors = {}
    if not (topic or "").strip():
        errors["topic"] = _("Give the talk a topic.")
    if preferred_date < timezone.localdate():
        errors["preferred_date"] = _("The preferred date is in the past.")
    if not expected_audience or expected_audience < 1:
        errors["expected_audience"] = _("Give the expected audience (at least 1).")
    if errors:
        raise ValidationError(errors)
    talk = SpiritTalk.objects.create(
        requester=requester,
        topic=topic.strip(),
        preferred_date=preferred_date,
        expected_audience=expected_audience,
        note=note,
        created_by=by,
        updated_by=by,
    )
    record_event(
        talk, "workers.talk.request", actor=by, after={"topic": talk.topic, "requester": requester.name}
    )
    return talk


@transaction.atomic
def schedule_talk(
    *, talk: SpiritTalk, speaker: SpiritSpeaker, scheduled_at: datetime, place: str, by
) -> SpiritTalk:
    _require(rules.can_manage_spirit(by))
    if not (place or "").strip():
        raise ValidationError({"place": _("Give the place.")})
    clash = SpiritTalk.objects.filter(
        speaker=speaker,
        state=TalkState.SCHEDULED,
        scheduled_at__date=timezone.localtime(scheduled_at).date(),
    ).exclude(pk=talk.pk)
    if clash.exists():
        raise ValidationError(
            {"speaker": _("%(name)s already gives a talk that day.") % {"name": speaker.name}}
        )
    talk = transition(
        talk,
        expected=[TalkState.REQUESTED, TalkState.SCHEDULED],
        values={
            "state": TalkState.SCHEDULED,
            "speaker": speaker,
            "scheduled_at": scheduled_at,
            "place": place.strip(),
            "updated_by": by,
        },
    )
    record_event(
        talk,
        "workers.talk.schedule",
        actor=by,
        after={"speaker": speaker.name, "at": scheduled_at, "place": place},
    )
    if talk.created_by_id:
        notify(
            user=talk.created_by,
            title=_("Talk “%(topic)s” scheduled") % {"topic": talk.topic},
            body=_("%(name)s, %(when)s, %(place)s")
            % {
                "name": speaker.name,
                "when": timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M"),
                "place": place,
            },
            url="/workers/spirit/",
        )
    return talk


@transaction.atomic
def decline_talk(*, talk: SpiritTalk, reason: str, by) -> SpiritTalk:
    _require(rules.can_manage_spirit(by))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    talk = transition(
        talk,
        expected=[TalkState.REQUESTED],
        values={"state": TalkState.DECLINED, "decline_reason": reason.strip(), "updated_by": by},
    )
    record_event(talk, "workers.talk.decline", actor=by, after={"reason": reason})
    return talk


@transaction.atomic
def report_talk(*, talk: SpiritTalk, audience: int, summary: str, by, photo=None) -> SpiritTalk:
    _require(rules.can_manage_spirit(by))
    errors = {}
    if audience is None or audience < 1:
        errors["audience"] = _("Give the audience size.")
    if not (summary or "").strip():
        errors["summary"] = _("Summarise the talk.")
    if talk.scheduled_at and timezone.localtime(talk.scheduled_at).date() > timezone.localdate():
        errors["audience"] = _("The talk has not taken place yet.")
    if photo is not None:
        try:
            check_upload(photo)
        except ValidationError as exc:
            errors["photo"] = exc.messages
        if not str(getattr(photo, "name", "")).lower().endswith((".jpg", ".jpeg", ".png")):
            errors["photo"] = _("A photo is a .jpg or .png file.")
    if errors:
        raise ValidationError(errors)
    talk = transition(
        talk,
        expected=[TalkState.SCHEDULED],
        values={
            "state": TalkState.DELIVERED,
            "audience": audience,
            "summary": summary.strip(),
            "updated_by": by,
        },
        message=_("Only a scheduled talk can be reported as delivered."),
    )
    if photo is not None:
        talk.photo.save(photo.name, photo, save=True)
    record_event(talk, "workers.talk.deliver", actor=by, after={"audience": audience})
    return talk


@transaction.atomic
def register_base(
    *, name: str, district: str, host: str, designated_year: int, by, address: str = ""
) -> SpiritBase:
    _require(rules.can_manage_spirit(by))
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the base.")
    if district not in reference.districts():
        errors["district"] = _("Choose a district.")
    if not (host or "").strip():
        errors["host"] = _("Name the host unit.")
    if SpiritBase.objects.filter(name=(name or "").strip()).exists():
        errors["name"] = _("A base of this name is already registered.")
    if errors:
        raise ValidationError(errors)
    base = SpiritBase.objects.create(
        name=name.strip(),
        district=district,
        host=host.strip(),
        address=address,
        designated_year=designated_year,
        created_by=by,
        updated_by=by,
    )
    record_event(base, "workers.base.register", actor=by, after={"name": base.name})
    return base


@transaction.atomic
def report_base_year(
    *, base: SpiritBase, year: int, activities: int, visitors: int, summary: str, by
) -> SpiritBaseReport:
    _require(rules.can_manage_spirit(by))
    errors = {}
    if year < base.designated_year or year > timezone.localdate().year:
        errors["year"] = _("The year is between the designation (%(y)s) and this year.") % {
            "y": base.designated_year
        }
    if not (summary or "").strip():
        errors["summary"] = _("Summarise the year's work.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            report = SpiritBaseReport.objects.create(
                base=base,
                year=year,
                activities=activities,
                visitors=visitors,
                summary=summary.strip(),
                created_by=by,
                updated_by=by,
            )
    except IntegrityError:
        raise ValidationError({"year": _("The report for %(y)s is already filed.") % {"y": year}}) from None
    record_event(
        report,
        "workers.base.report",
        actor=by,
        after={"year": year, "activities": activities, "visitors": visitors},
    )
    return report


@transaction.atomic
def create_session(
    *,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    capacity: int,
    enrol_until: datetime,
    by,
    description: str = "",
) -> TrainingSession:
    _require(rules.can_manage_spirit(by))
    errors = {}
    if kind not in SessionKind.values:
        errors["kind"] = _("Choose the kind of session.")
    if not (title or "").strip():
        errors["title"] = _("Give the session a title.")
    if not capacity or capacity < 1:
        errors["capacity"] = _("The capacity is at least 1.")
    if enrol_until and starts_at and enrol_until > starts_at:
        errors["enrol_until"] = _("Enrolment closes before the session starts.")
    if errors:
        raise ValidationError(errors)
    session = TrainingSession.objects.create(
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        place=place,
        capacity=capacity,
        enrol_until=enrol_until,
        description=description,
        created_by=by,
        updated_by=by,
    )
    record_event(
        session, "workers.session.create", actor=by, after={"title": session.title, "capacity": capacity}
    )
    return session


@transaction.atomic
def enrol(*, session: TrainingSession, by) -> Enrolment:
    if not (by and by.is_authenticated):
        raise PermissionDenied
    if timezone.now() > session.enrol_until:
        raise ValidationError(_("Enrolment for this session has closed."))
    # Lock the session row so that two last-seat enrolments cannot both pass the capacity check.
    TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    if Enrolment.objects.filter(session=session, user=by).exists():
        raise ValidationError(_("You are already enrolled."))
    if Enrolment.objects.filter(session=session).count() >= session.capacity:
        raise ValidationError(_("The session is full."))
    enrolment = Enrolment.objects.create(session=session, user=by)
    record_event(enrolment, "workers.session.enrol", actor=by, after={"session": session.title})
    return enrolment


def checkin_token(session: TrainingSession) -> str:
    """The code shown as a QR at the door: signed, for this session only, valid on its day."""
    return signed_code({"s": session.pk}, salt=CHECKIN_SALT)


@transaction.atomic
def check_in(*, session: TrainingSession, token: str, by) -> Enrolment:
    if not (by and by.is_authenticated):
        raise PermissionDenied
    data = read_signed_code(token, salt=CHECKIN_SALT, max_age=timedelta(hours=36))
    if data.get("s") != session.pk:
        raise ValidationError(_("This check-in code belongs to another session."))
    start = session.starts_at
    now = timezone.now()
    if not start - timedelta(hours=2) <= now <= start + timedelta(hours=10):
        raise ValidationError(_("Check-in opens two hours before the session and closes the same day."))
    enrolment = Enrolment.objects.filter(session=session, user=by).first()
    if enrolment is None:
        raise ValidationError(_("You are not enrolled in this session."))
    updated = Enrolment.objects.filter(pk=enrolment.pk, attended_at__isnull=True).update(attended_at=now)
    if not updated:
        raise ValidationError(_("You have already checked in."))
    enrolment.refresh_from_db()
    record_event(enrolment, "workers.session.checkin", actor=by, after={"session": session.title})
    return enrolment


@transaction.atomic
def give_feedback(*, enrolment: Enrolment, score: int, comment: str, by) -> Enrolment:
    if enrolment.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    if enrolment.attended_at is None:
        raise ValidationError(_("Feedback is for people who attended."))
    if not 1 <= int(score or 0) <= 5:
        raise ValidationError({"score": _("Score from 1 to 5.")})
    updated = Enrolment.objects.filter(pk=enrolment.pk, feedback_score__isnull=True).update(
        feedback_score=score, feedback=(comment or "").strip()
    )
    if not updated:
        raise ValidationError(_("You have already given feedback."))
    enrolment.refresh_from_db()
    record_event(enrolment, "workers.session.feedback", actor=by, after={"score": score})
    return enrolment
