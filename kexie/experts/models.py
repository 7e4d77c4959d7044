from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.accounts.enums import OrganizationKind
from kexie.core.fields import EncryptedTextField
from kexie.experts.enums import (
    Availability,
    Honour,
    ProfessionalTitle,
    Sex,
    VerificationState,
    WorkKind,
    WorkRole,
)


class Discipline(models.Model):
    """An NSFC application code (A01 > A0101 > A010101), loaded from the seed file."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Expert(models.Model):
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization in the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    organization_name = models.CharField(_("organization"), max_length=120, blank=True)
    organization_kind = models.CharField(
        _("organization kind"), max_length=30, choices=OrganizationKind.choices, blank=True
    )
    title = models.CharField(_("professional title"), max_length=40, choices=ProfessionalTitle.choices)
    honours = models.JSONField(_("honours"), default=list, blank=True)
    disciplines = models.ManyToManyField(
        Discipline, verbose_name=_("disciplines"), blank=True, related_name="experts"
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    research_areas = models.TextField(_("research areas"), blank=True)
    biography = models.TextField(_("biography"), blank=True)
    district = models.CharField(_("district"), max_length=12, blank=True, db_index=True)
    overseas = models.BooleanField(_("overseas expert (Haizhi)"), default=False)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.AVAILABLE
    )
    channel = models.CharField(_("nominating channel"), max_length=120, blank=True)
    mobile = EncryptedTextField(_("mobile number"), blank=True, default="")
    id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    # Keyed hash of the ID number: duplicates are found without decrypting every row.
    id_number_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    state = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationState.choices,
        default=VerificationState.UNVERIFIED,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        indexes = [models.Index(fields=["name", "organization_name"], name="expert_name_org")]

    def __str__(self) -> str:
        return self.name

    @property
    def organization_display(self) -> str:
        if self.organization_id and not self.organization_name:
            return self.organization.name
        return self.organization_name

    def honour_labels(self) -> list[str]:
        labels = dict(Honour.choices)
        return [str(labels.get(h, h)) for h in self.honours]


class Work(models.Model):
    """A publication, project or patent; co-authors and co-PIs are names (they need not be experts)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="works"
    )
    kind = models.CharField(_("kind of work"), max_length=20, choices=WorkKind.choices)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=WorkRole.choices, blank=True)
    coauthors = models.JSONField(_("co-authors / co-investigators"), default=list, blank=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self) -> str:
        return self.title


class Affiliation(models.Model):
    """A past (or earlier concurrent) organization of an expert, for conflict-of-interest checks."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization_name = models.CharField(_("organization"), max_length=120)
    start_year = models.PositiveSmallIntegerField(_("from"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-end_year", "pk"]
        verbose_name = _("past affiliation")
        verbose_name_plural = _("past affiliations")

    def __str__(self) -> str:
        return self.organization_name


class Mentorship(models.Model):
    """An advisor–student link; either side is an expert of the library or just a name."""

    advisor = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.CASCADE, related_name="students_links"
    )
    advisor_name = models.CharField(_("advisor"), max_length=60, blank=True)
    student = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.CASCADE, related_name="advisor_links"
    )
    student_name = models.CharField(_("student"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("advisor–student link")
        verbose_name_plural = _("advisor–student links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(advisor__isnull=False) | models.Q(student__isnull=False),
                name="mentorship_has_an_expert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor_display} → {self.student_display}"

    @property
    def advisor_display(self) -> str:
        return self.advisor.name if self.advisor_id else self.advisor_name

    @property
    def student_display(self) -> str:
        return self.student.name if self.student_id else self.student_name


class DistinctPair(models.Model):
    """Two profiles of one name that staff checked and found to be different people (namesakes):
    the list of possible duplicates stops offering them. ``first`` is the lower id."""

    first = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pair of different experts")
        verbose_name_plural = _("pairs of different experts")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="experts_distinct_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="experts_distinct_pair_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
