"""The 科技馆 network: venues, monthly reports, exhibitions and tour stops (measure 11)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name
from kexie.outreach.enums import ExhibitionKind, TourStopState, VenueKind


class Venue(AuthoredModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=VenueKind.choices)
    district = models.CharField(_("district"), max_length=6, db_index=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("operating unit"),
        on_delete=models.PROTECT,
        related_name="outreach_venues",
        help_text=_("Staff of this organization report for the venue."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    floor_area = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class VenueReport(models.Model):
    """A venue's figures for one month (the first day of the month stands for it)."""

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="reports")
    month = models.DateField(_("month"))
    visitors = models.PositiveIntegerField(_("visitors"))
    youth_visitors = models.PositiveIntegerField(_("of whom youth"), default=0)
    activities = models.PositiveIntegerField(_("activities held"), default=0)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "venue_id"]
        verbose_name = _("monthly venue report")
        verbose_name_plural = _("monthly venue reports")
        constraints = [models.UniqueConstraint(fields=["venue", "month"], name="unique_venue_month")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.month:%Y-%m}"


class Exhibition(AuthoredModel):
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="exhibitions"
    )
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=ExhibitionKind.choices)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")

    def __str__(self) -> str:
        return self.title


class TourStop(AuthoredModel):
    """A stop of a mobile science museum or a science caravan."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("touring venue"), on_delete=models.PROTECT, related_name="stops"
    )
    district = models.CharField(_("district"), max_length=6)
    place = models.CharField(_("place"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    visitors = models.PositiveIntegerField(_("visitors"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=TourStopState.choices, default=TourStopState.PLANNED
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")

    def __str__(self) -> str:
        return f"{self.place} {self.starts_on}"

    @property
    def district_name(self) -> str:
        return district_name(self.district)
