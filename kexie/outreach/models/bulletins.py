"""Emergency science bulletins with one delivery (read receipt, forwarding count) per organization."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.outreach.enums import BulletinAudience, BulletinState, BulletinTopic


class BulletinTemplate(AuthoredModel):
    title = models.CharField(_("title"), max_length=120, unique=True)
    topic = models.CharField(_("topic"), max_length=20, choices=BulletinTopic.choices)
    content = models.TextField(_("content"))

    class Meta:
        ordering = ["topic", "pk"]
        verbose_name = _("bulletin template")
        verbose_name_plural = _("bulletin templates")

    def __str__(self) -> str:
        return self.title


class Bulletin(AuthoredModel):
    title = models.CharField(_("title"), max_length=160)
    topic = models.CharField(_("topic"), max_length=20, choices=BulletinTopic.choices)
    content = models.TextField(_("content"))
    attachment = models.FileField(_("attachment"), upload_to="outreach/bulletins/%Y/", blank=True)
    audience = models.CharField(_("sent to"), max_length=12, choices=BulletinAudience.choices)
    chosen = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("chosen organizations"), blank=True, related_name="+"
    )
    is_drill = models.BooleanField(
        _("drill"), default=False, help_text=_("A drill in peacetime: delivered and counted like a real one.")
    )
    read_within_hours = models.PositiveSmallIntegerField(_("read within (hours)"), default=2)
    template = models.ForeignKey(
        BulletinTemplate, verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("emergency bulletin")
        verbose_name_plural = _("emergency bulletins")

    def __str__(self) -> str:
        return self.title


class BulletinDelivery(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField()
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded = models.PositiveIntegerField(_("forwarded to"), null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization__sort_order", "organization_id"]
        verbose_name = _("bulletin delivery")
        verbose_name_plural = _("bulletin deliveries")
        constraints = [models.UniqueConstraint(fields=["bulletin", "organization"], name="unique_delivery")]

    def __str__(self) -> str:
        return f"{self.bulletin_id}→{self.organization_id}"
