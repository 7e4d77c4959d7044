"""Science courtyards (科技小院), their service logs and outcomes, 农技协 and 恒合乡's nine measures
(measure 4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name
from kexie.outreach.enums import AssociationLevel, LogKind


class Courtyard(AuthoredModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    district = models.CharField(_("district"), max_length=6, db_index=True)
    town = models.CharField(_("town and village"), max_length=120)
    host = models.CharField(_("host enterprise or cooperative"), max_length=120)
    university = models.CharField(_("university"), max_length=120)
    industry = models.CharField(_("leading industry"), max_length=60)
    residents = models.JSONField(
        _("resident students"), default=list, blank=True, help_text=_("[{name, degree}] — 农博士 or 农硕士")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["district", "pk"]
        verbose_name = _("science courtyard")
        verbose_name_plural = _("science courtyards")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class ServiceLog(AuthoredModel):
    courtyard = models.ForeignKey(
        Courtyard, verbose_name=_("science courtyard"), on_delete=models.PROTECT, related_name="logs"
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=LogKind.choices)
    title = models.CharField(_("title"), max_length=160)
    technologies = models.CharField(_("technologies introduced"), max_length=300, blank=True)
    farmers_reached = models.PositiveIntegerField(_("farmers reached"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")

    def __str__(self) -> str:
        return self.title


class CourtyardOutcome(AuthoredModel):
    courtyard = models.ForeignKey(
        Courtyard, verbose_name=_("science courtyard"), on_delete=models.PROTECT, related_name="outcomes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    income_increase = models.DecimalField(
        _("income increase (ten thousand yuan)"), max_digits=10, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("courtyard outcome")
        verbose_name_plural = _("courtyard outcomes")

    def __str__(self) -> str:
        return self.title


class FarmerAssociation(AuthoredModel):
    """A rural professional technology association (农技协)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    district = models.CharField(_("district"), max_length=6, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=AssociationLevel.choices)
    industry = models.CharField(_("industry"), max_length=60)
    members = models.PositiveIntegerField(_("members"), default=0)
    chair = models.CharField(_("chair"), max_length=40, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    class Meta:
        ordering = ["district", "pk"]
        verbose_name = _("rural technology association")
        verbose_name_plural = _("rural technology associations")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class NineMeasure(AuthoredModel):
    """One of the “九个一” measures for 恒合乡 (Wanzhou), with its progress as a ledger."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=120)
    target = models.CharField(_("target"), max_length=300)
    lead = models.CharField(_("lead"), max_length=120)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("nine-ones measure")
        verbose_name_plural = _("nine-ones measures")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class NineMeasureProgress(models.Model):
    measure = models.ForeignKey(NineMeasure, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("reported on"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("what was done"))
    reported_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.progress}%"
