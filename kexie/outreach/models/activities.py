"""Campaigns and the activities districts and units register under them, then report (measures 9, 10)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name
from kexie.outreach.enums import ActivityKind, ActivityState, Audience, CampaignKind


class Campaign(AuthoredModel):
    """A brand campaign (全国科普日, 科技活动周, 新时代文明实践中心“讲科技”) of one year."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-year", "starts_on", "pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class Activity(AuthoredModel):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    audience = models.CharField(_("target group"), max_length=20, choices=Audience.choices)
    district = models.CharField(_("district"), max_length=6, db_index=True)
    organizer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organizing unit"),
        on_delete=models.PROTECT,
        related_name="outreach_activities",
    )
    co_organizers = models.CharField(_("co-organizers"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    volunteers_needed = models.PositiveIntegerField(_("volunteers needed"), default=0)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ActivityState.choices, default=ActivityState.REGISTERED
    )
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="outreach/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.caption or self.image.name
