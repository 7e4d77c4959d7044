"""What the calls engine decides for outreach: demonstration sites and science communication titles
(measure 10), and the youth literacy evaluations run on the literacy engine (measure 11)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name
from kexie.outreach.enums import EvaluationState, SiteKind, TitleLevel


class DemonstrationSite(models.Model):
    """A 科普示范区县/社区/基地, named by a decision of a call (kind ``outreach.demonstration``)."""

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=SiteKind.choices)
    district = models.CharField(_("district"), max_length=6, blank=True)
    year = models.PositiveSmallIntegerField(_("year named"))
    submission_id = models.PositiveBigIntegerField(_("call submission"), unique=True, null=True, blank=True)
    is_final = models.BooleanField(_("final"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("demonstration site")
        verbose_name_plural = _("demonstration sites")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class ScienceTitle(models.Model):
    """A 科普专业技术职称 granted by a decision of a call (kind ``outreach.title``)."""

    holder = models.CharField(_("holder"), max_length=80)
    level = models.CharField(_("level"), max_length=16, choices=TitleLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    submission_id = models.PositiveBigIntegerField(_("call submission"), unique=True, null=True, blank=True)
    is_final = models.BooleanField(_("final"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("science communication title")
        verbose_name_plural = _("science communication titles")

    def __str__(self) -> str:
        return f"{self.holder} {self.get_level_display()}"


class YouthEvaluation(AuthoredModel):
    """A youth science-literacy evaluation: its own blueprint and tiers, its paper assembled and scored
    by the literacy app's assessment engine."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    school_year = models.CharField(_("school year"), max_length=20)
    grade_band = models.CharField(_("grades"), max_length=40)
    assessment = models.OneToOneField(
        "literacy.Assessment", on_delete=models.PROTECT, related_name="youth_evaluation"
    )
    tiers = models.JSONField(_("tiers"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.OPEN
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("youth literacy evaluation")
        verbose_name_plural = _("youth literacy evaluations")

    def __str__(self) -> str:
        return self.title


class YouthResult(models.Model):
    evaluation = models.ForeignKey(YouthEvaluation, on_delete=models.CASCADE, related_name="results")
    attempt = models.OneToOneField("literacy.AssessmentAttempt", on_delete=models.CASCADE, related_name="+")
    school = models.CharField(_("school"), max_length=120)
    grade = models.CharField(_("grade"), max_length=20)
    district = models.CharField(_("district"), max_length=6)
    tier = models.CharField(_("tier"), max_length=40)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("youth result")
        verbose_name_plural = _("youth results")

    def __str__(self) -> str:
        return f"{self.school} {self.tier}"

    @property
    def district_name(self) -> str:
        return district_name(self.district)
