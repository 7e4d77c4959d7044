"""Writes of the community science university, the venues and the rural registries that are more than
a plain record: enrolment, attendance, monthly venue reports, the 九个一 progress ledger."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.core.validators import validate_mobile
from kexie.outreach import rules
from kexie.outreach.models import (
    ClassSession,
    CourseClass,
    Enrolment,
    NineMeasure,
    NineMeasureProgress,
    Venue,
    VenueReport,
)


@transaction.atomic
def enrol(
    *, course_class: CourseClass, by, learner_name: str, mobile: str, age: int | None = None
) -> Enrolment:
    if not rules.can_manage_district_record(by, course_class.teaching_point.district):
        raise PermissionDenied
    if not (learner_name or "").strip():
        raise ValidationError({"learner_name": _("Give the learner's name.")})
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        raise ValidationError({"mobile": exc.messages}) from None
    CourseClass.objects.select_for_update().filter(pk=course_class.pk).first()
    if course_class.enrolments.count() >= course_class.capacity:
        raise ValidationError(_("This class is full (%(n)s places).") % {"n": course_class.capacity})
    if any(e.mobile == mobile.strip() for e in course_class.enrolments.all()):
        raise ValidationError({"mobile": _("A learner with this mobile number is already enrolled.")})
    if age is not None and not 10 <= age <= 110:
        raise ValidationError({"age": _("Give an age between 10 and 110.")})
    enrolment = Enrolment.objects.create(
        course_class=course_class, learner_name=learner_name.strip(), mobile=mobile.strip(), age=age
    )
    record_event(enrolment, "outreach.enrolment.create", actor=by, after={"class": course_class.pk})
    return enrolment


@transaction.atomic
def record_lesson(
    *, course_class: CourseClass, by, held_on: date, topic: str, present: list[int]
) -> ClassSession:
    if not rules.can_manage_district_record(by, course_class.teaching_point.district):
        raise PermissionDenied
    if not (topic or "").strip():
        raise ValidationError({"topic": _("Give the topic of the lesson.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Attendance is recorded for lessons already held.")})
    enrolled = set(course_class.enrolments.values_list("pk", flat=True))
    if not set(present) <= enrolled:
        raise ValidationError({"present": _("Only learners enrolled in this class can be marked present.")})
    lesson = ClassSession.objects.create(course_class=course_class, held_on=held_on, topic=topic.strip())
    lesson.present.set(present)
    record_event(
        lesson, "outreach.lesson.record", actor=by, after={"present": len(present), "enrolled": len(enrolled)}
    )
    return lesson


@transaction.atomic
def report_month(
    *, venue: Venue, by, month: date, visitors: int, youth_visitors: int, activities: int, note: str = ""
) -> VenueReport:
    """A venue's monthly figures; reporting the same month again corrects it."""
    if not rules.can_manage_venue(by, venue):
        raise PermissionDenied
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("A month can be reported once it has begun.")})
    if youth_visitors > visitors:
        raise ValidationError({"youth_visitors": _("Youth visitors cannot exceed all visitors.")})
    report, created = VenueReport.objects.update_or_create(
        venue=venue,
        month=month,
        defaults={
            "visitors": visitors,
            "youth_visitors": youth_visitors,
            "activities": activities,
            "note": note,
            "submitted_by": by,
        },
    )
    record_event(
        report,
        "outreach.venue.report" if created else "outreach.venue.report_correct",
        actor=by,
        after={"visitors": visitors, "activities": activities},
        organization_id=venue.organization_id,
    )
    return report


@transaction.atomic
def report_nine_progress(
    *, measure: NineMeasure, by, progress: int, note: str, reported_on: date | None = None
) -> NineMeasureProgress:
    if not rules.can_manage_registry(by):
        raise PermissionDenied
    if progress is None or not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was done.")})
    measure = NineMeasure.objects.select_for_update().get(pk=measure.pk)
    if progress < measure.progress:
        raise ValidationError(
            {"progress": _("Progress cannot go back (it is %(n)s%% now).") % {"n": measure.progress}}
        )
    report = NineMeasureProgress.objects.create(
        measure=measure,
        reported_on=reported_on or timezone.localdate(),
        progress=progress,
        note=note.strip(),
        reported_by=by,
    )
    before = measure.progress
    measure.progress = progress
    measure.updated_by = by
    measure.save(update_fields=["progress", "updated_by", "updated_at"])
    record_event(
        measure, "outreach.nine.progress", actor=by, before={"progress": before}, after={"progress": progress}
    )
    return report
