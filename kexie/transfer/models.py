"""Technical demands, achievements, service teams, workstations and dockings (measures 1, 2, 4, 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.fields import EncryptedTextField
from kexie.core.masking import mask_mobile
from kexie.core.reference import district_name
from kexie.transfer.enums import (
    AchievementKind,
    BudgetRange,
    DemandState,
    Grade,
    Maturity,
    Outcome,
    RecordKind,
    TargetKind,
    WorkstationKind,
)


class Industry(models.Model):
    """One node of GB/T 4754-2017: a section (A), division (01), group (011) or class (0111)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    section = models.CharField(_("section"), max_length=1)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["section", "code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Demand(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="demands"
    )
    district = models.CharField(_("district"), max_length=6)
    budget = models.CharField(_("budget range"), max_length=12, choices=BudgetRange.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_mobile = EncryptedTextField(_("contact mobile"))
    enterprise = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=DemandState.choices, default=DemandState.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self) -> str:
        return self.title

    @property
    def district_name(self) -> str:
        return district_name(self.district)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.contact_mobile)


class Achievement(models.Model):
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"))
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AchievementKind.choices)
    maturity = models.CharField(_("maturity"), max_length=16, choices=Maturity.choices)
    owner_name = models.CharField(
        _("owner"), max_length=100, help_text=_("An expert's name or an organization.")
    )
    owner_expert_id = models.CharField(_("owner expert id"), max_length=20, blank=True)
    owner_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievements",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="achievements"
    )
    district = models.CharField(_("district"), max_length=6, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")

    def __str__(self) -> str:
        return self.title

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class ServiceTeam(models.Model):
    """科技服务团: a society-led team serving districts. ``members`` is a list of
    {"name": ..., "expertise": ...}; ``districts`` a list of division codes."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    lead_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("lead society or organization"),
        on_delete=models.PROTECT,
        related_name="service_teams",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.JSONField(_("members"), default=list, blank=True)
    districts = models.JSONField(_("districts served"), default=list, blank=True)
    disciplines = models.JSONField(_("discipline focus"), default=list, blank=True)
    industries = models.JSONField(_("industry focus"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name

    @property
    def district_names(self) -> list[str]:
        return [district_name(code) for code in self.districts]


class Workstation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=WorkstationKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    host_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("host organization"),
        on_delete=models.PROTECT,
        related_name="workstations",
    )
    district = models.CharField(_("district"), max_length=6)
    members = models.JSONField(_("members"), default=list, blank=True)
    established_year = models.PositiveSmallIntegerField(_("established year"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")

    def __str__(self) -> str:
        return self.name

    @property
    def district_name(self) -> str:
        return district_name(self.district)


class Evaluation(models.Model):
    """A workstation's annual evaluation: one per year."""

    workstation = models.ForeignKey(Workstation, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workstation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["workstation", "year"], name="transfer_evaluation_one_per_year")
        ]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.workstation} {self.year}"


class Docking(models.Model):
    """The follow-up of a demand with one match: an expert (by the expert library's id), an
    achievement or a service team, until its outcome."""

    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="dockings")
    target_kind = models.CharField(_("matched with"), max_length=12, choices=TargetKind.choices)
    target_id = models.CharField(_("match id"), max_length=20)
    target_name = models.CharField(_("match"), max_length=200)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    contract_amount = models.DecimalField(
        _("contract amount (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "target_kind", "target_id"], name="transfer_docking_once_per_match"
            )
        ]
        verbose_name = _("docking")
        verbose_name_plural = _("dockings")

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.target_name}"


class DockingRecord(models.Model):
    docking = models.ForeignKey(Docking, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=10, choices=RecordKind.choices)
    date = models.DateField(_("record date"))
    note = models.TextField(_("note"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("docking record")
        verbose_name_plural = _("docking records")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"
