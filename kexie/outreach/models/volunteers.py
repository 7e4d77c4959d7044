"""Volunteers, teams, sign-ups with check-in and out, confirmed hours and star levels (measure 10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.fields import EncryptedTextField
from kexie.core.masking import mask_id_number, mask_mobile
from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name
from kexie.outreach.enums import SignUpState, TeamKind
from kexie.outreach.models.activities import Activity


class Volunteer(AuthoredModel):
    """A registered science volunteer: real name (ID number encrypted), skills and district."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer")
    real_name = models.CharField(_("real name"), max_length=40)
    id_number = EncryptedTextField(_("ID number"))
    mobile = EncryptedTextField(_("mobile"))
    district = models.CharField(_("district"), max_length=6, db_index=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("work unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_volunteers",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.real_name

    @property
    def district_name(self) -> str:
        return district_name(self.district)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Team(AuthoredModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=TeamKind.choices, default=TeamKind.VOLUNTEER_TEAM
    )
    district = models.CharField(_("district"), max_length=6, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organizing unit"),
        on_delete=models.PROTECT,
        related_name="outreach_teams",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(Volunteer, through="TeamMember", related_name="teams")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="team_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.volunteer_id}"


class SignUp(models.Model):
    """One volunteer at one activity: signed up, checked in and out by QR, hours confirmed."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    state = models.CharField(
        _("state"), max_length=12, choices=SignUpState.choices, default=SignUpState.SIGNED_UP, db_index=True
    )
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours recorded"), max_digits=5, decimal_places=1, null=True, blank=True)
    confirmed_hours = models.DecimalField(
        _("hours confirmed"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], name="unique_signup")]

    def __str__(self) -> str:
        return f"{self.volunteer_id}@{self.activity_id}"


class StarLevel(models.Model):
    """A star level reached at a number of confirmed hours: data staff may change."""

    stars = models.PositiveSmallIntegerField(_("stars"), unique=True)
    name = models.CharField(_("name"), max_length=40)
    min_hours = models.DecimalField(_("minimum confirmed hours"), max_digits=7, decimal_places=1)

    class Meta:
        ordering = ["min_hours"]
        verbose_name = _("star level")
        verbose_name_plural = _("star levels")

    def __str__(self) -> str:
        return self.name
