"""Community science university: teaching points, courses, classes, teachers, enrolment, attendance."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.fields import EncryptedTextField
from kexie.core.masking import mask_mobile
from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name


class TeachingPoint(AuthoredModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    district = models.CharField(_("district"), max_length=6, db_index=True)
    address = models.CharField(_("address"), max_length=200)
    host = models.CharField(_("host (community or street)"), max_length=120, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    class Meta:
        ordering = ["district", "pk"]
        verbose_name = _("teaching point")
        verbose_name_plural = _("teaching points")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class Course(AuthoredModel):
    title = models.CharField(_("title"), max_length=120, unique=True)
    subject = models.CharField(_("subject"), max_length=60)
    lessons = models.PositiveSmallIntegerField(_("lessons"), default=8)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Teacher(AuthoredModel):
    name = models.CharField(_("name"), max_length=40)
    title = models.CharField(_("professional title"), max_length=60, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=120, blank=True)
    mobile = EncryptedTextField(_("mobile"), blank=True)
    district = models.CharField(_("district"), max_length=6, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class CourseClass(AuthoredModel):
    teaching_point = models.ForeignKey(
        TeachingPoint, verbose_name=_("teaching point"), on_delete=models.PROTECT, related_name="classes"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="classes"
    )
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="classes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=40)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return f"{self.course.title}（{self.teaching_point.name}，{self.year}）"


class Enrolment(models.Model):
    course_class = models.ForeignKey(CourseClass, on_delete=models.CASCADE, related_name="enrolments")
    learner_name = models.CharField(_("learner"), max_length=40)
    mobile = EncryptedTextField(_("mobile"))
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return self.learner_name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class ClassSession(models.Model):
    """One lesson of a class, with the learners present."""

    course_class = models.ForeignKey(CourseClass, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=120)
    present = models.ManyToManyField(Enrolment, related_name="attended", blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"
