"""Societies and their yearly inspection, founding requests, alliances and cooperation projects,
academic events with registration, journals and the journal directory, and international exchange
(measures 1–3 and 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.fields import EncryptedTextField
from kexie.core.masking import mask_mobile
from kexie.core.models import AuthoredModel
from kexie.core.reference import district_name
from kexie.societies.countries import country_name, is_belt_and_road
from kexie.societies.enums import (
    AllianceKind,
    CooperationKind,
    CooperationState,
    DirectoryState,
    EventKind,
    EventState,
    ExchangeKind,
    FoundingState,
    InspectionRating,
    InspectionState,
    PartnerHost,
    PositionLevel,
    RecommendationState,
    RegistrationState,
    SocietyGrade,
    SocietyKind,
    SupportKind,
)

# --- societies --------------------------------------------------------------------------------------


class Society(AuthoredModel):
    """A 市级学会 (society, association or research society): one organization of kind "society" in the
    organization tree, whose secretaries (society staff) keep its data."""

    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="society",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=SocietyKind.choices, default=SocietyKind.SOCIETY
    )
    supervising_unit = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("supervising unit"),
        on_delete=models.PROTECT,
        related_name="supervised_societies",
    )
    party_office = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("party-building office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    discipline = models.CharField(_("discipline"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    president = models.CharField(_("president"), max_length=60, blank=True)
    secretary_general = models.CharField(_("secretary general"), max_length=60, blank=True)
    council = models.JSONField(_("council"), default=list, blank=True)  # [{"name", "post"}]
    secretariat_staff = models.PositiveIntegerField(_("secretariat staff"), default=0)
    individual_members = models.PositiveIntegerField(_("individual members"), default=0)
    unit_members = models.PositiveIntegerField(_("unit members"), default=0)
    student_members = models.PositiveIntegerField(_("student members"), default=0)
    grade = models.CharField(_("evaluation grade"), max_length=2, choices=SocietyGrade.choices, blank=True)
    grade_year = models.PositiveSmallIntegerField(_("grade year"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organization__sort_order", "organization__name"]
        verbose_name = _("society")
        verbose_name_plural = _("societies")

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def total_members(self) -> int:
        return self.individual_members + self.unit_members + self.student_members


class Inspection(AuthoredModel):
    """The yearly inspection (年检 / 年度工作报告): the society fills the form, staff review, rate it
    and may set the society's evaluation grade."""

    society = models.ForeignKey(Society, on_delete=models.PROTECT, related_name="inspections")
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=InspectionState.choices,
        default=InspectionState.DRAFT,
        db_index=True,
    )
    individual_members = models.PositiveIntegerField(_("individual members"), null=True, blank=True)
    unit_members = models.PositiveIntegerField(_("unit members"), null=True, blank=True)
    council_meetings = models.PositiveIntegerField(_("council meetings held"), null=True, blank=True)
    academic_events = models.PositiveIntegerField(_("academic events held"), null=True, blank=True)
    income = models.DecimalField(
        _("income (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    expense = models.DecimalField(
        _("expense (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    party_activities = models.TextField(_("party-building work"), blank=True)
    summary = models.TextField(_("work summary"), blank=True)
    problems = models.TextField(_("problems and plans"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rating = models.CharField(_("rating"), max_length=12, choices=InspectionRating.choices, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["-year", "society__organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["society", "year"], name="societies_inspection_one_per_year")
        ]
        verbose_name = _("yearly inspection")
        verbose_name_plural = _("yearly inspections")

    def __str__(self) -> str:
        return f"{self.society} {self.year}"


class FoundingRequest(AuthoredModel):
    """A request to found a new society (策划发起成立), reviewed by staff; approval registers it."""

    name = models.CharField(_("proposed name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=12, choices=SocietyKind.choices, default=SocietyKind.SOCIETY
    )
    discipline = models.CharField(_("discipline or industry"), max_length=60)
    supervising_unit = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("supervising unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    initiators = models.TextField(_("initiating units and persons"))
    founding_members = models.PositiveIntegerField(_("founding members"))
    rationale = models.TextField(_("rationale"))
    state = models.CharField(
        _("state"), max_length=10, choices=FoundingState.choices, default=FoundingState.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    society = models.OneToOneField(
        Society, on_delete=models.SET_NULL, null=True, blank=True, related_name="founding_request"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("founding request")
        verbose_name_plural = _("founding requests")

    def __str__(self) -> str:
        return self.name


# --- alliances and cooperation ---------------------------------------------------------------------


class Alliance(AuthoredModel):
    """A 联合体: cross-discipline alliance, industry–academia organization, "科创中国" overseas or youth
    innovation alliance, or a technology innovation alliance (with overseas teams)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AllianceKind.choices)
    lead_society = models.ForeignKey(
        Society,
        verbose_name=_("lead society"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliances",
    )
    established_on = models.DateField(_("established on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-established_on", "name"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("member organization"), max_length=150)
    country = models.CharField(_("country or region"), max_length=2, default="CN")
    role = models.CharField(_("role"), max_length=40, blank=True)

    class Meta:
        ordering = ["alliance", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="societies_alliance_member_once")
        ]
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return "中国" if self.country == "CN" else country_name(self.country)


class CooperationProject(AuthoredModel):
    """会地合作 (a society with a district) or 会企协作 (with an enterprise), with its outcomes."""

    kind = models.CharField(_("kind"), max_length=10, choices=CooperationKind.choices)
    society = models.ForeignKey(
        Society, verbose_name=_("society"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    district = models.CharField(_("district"), max_length=6, blank=True)
    partner = models.CharField(_("partner enterprise or unit"), max_length=150, blank=True)
    signed_on = models.DateField(_("signing date"))
    state = models.CharField(
        _("state"), max_length=10, choices=CooperationState.choices, default=CooperationState.RUNNING
    )
    outcomes = models.PositiveIntegerField(_("outcomes (achievements transferred, services)"), default=0)
    value = models.DecimalField(_("value (10,000 yuan)"), max_digits=12, decimal_places=2, default=0)
    outcome_note = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")

    def __str__(self) -> str:
        return self.title

    @property
    def district_name(self) -> str:
        return district_name(self.district) if self.district else ""


# --- academic events -------------------------------------------------------------------------------


class Event(AuthoredModel):
    """An academic event a society hosts (a conference it brings to Chongqing, a symposium, a salon,
    the bimonthly forum) or the association's annual meeting with its sub-forums (``parent``)."""

    kind = models.CharField(_("kind"), max_length=14, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    society = models.ForeignKey(
        Society,
        verbose_name=_("host society"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("annual meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_forums",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=150)
    description = models.TextField(_("description"))
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), default=0)
    capacity = models.PositiveIntegerField(_("registration capacity"), default=0)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    countries = models.JSONField(_("participating countries"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=EventState.choices, default=EventState.DRAFT, db_index=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    support_amount = models.DecimalField(
        _("support granted (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    support_reference = models.CharField(_("support decision"), max_length=120, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("academic event")
        verbose_name_plural = _("academic events")

    def __str__(self) -> str:
        return self.title

    @property
    def host_name(self) -> str:
        return self.society.name if self.society_id else str(_("the association"))


class ProgrammeItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.DateTimeField(_("time"))
    title = models.CharField(_("session"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """An attendee's sign-up: confirmed at once while there is room before the deadline; ``code`` is the
    ticket shown as a QR code and scanned at the door (check-in once)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(_("name"), max_length=60)
    organization = models.CharField(_("organization"), max_length=120)
    mobile = EncryptedTextField(_("mobile number"))
    mobile_index = models.CharField(max_length=64, editable=False)
    code = models.CharField(_("ticket code"), max_length=16, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices, default=RegistrationState.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mobile_index"], name="societies_registration_once_per_mobile"
            )
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class EventReport(models.Model):
    """The post-event report the host files: attendance, papers, outcomes."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="report")
    attendance = models.PositiveIntegerField(_("attendance"))
    papers = models.PositiveIntegerField(_("papers"))
    international_attendees = models.PositiveIntegerField(_("attendees from abroad"), default=0)
    outcomes = models.TextField(_("outcomes"))
    filed_at = models.DateTimeField(auto_now_add=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")

    def __str__(self) -> str:
        return f"{self.event}"


# --- journals -------------------------------------------------------------------------------------


class IndexingDatabase(models.Model):
    """An indexing database or core list (CSCD, 北大核心, EI, Scopus …): data, so staff add one."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("indexing database")
        verbose_name_plural = _("indexing databases")

    def __str__(self) -> str:
        return self.name


class Journal(AuthoredModel):
    title = models.CharField(_("title"), max_length=150)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    cn = models.CharField(_("CN number"), max_length=20, unique=True)
    issn = models.CharField(_("ISSN"), max_length=9, unique=True, null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=150)
    society = models.ForeignKey(
        Society,
        verbose_name=_("sponsoring society"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journals",
    )
    discipline = models.CharField(_("discipline"), max_length=40, db_index=True)
    frequency = models.CharField(_("frequency"), max_length=20, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    indexing = models.ManyToManyField(
        IndexingDatabase, verbose_name=_("indexed in"), blank=True, related_name="journals"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["discipline", "title"]
        verbose_name = _("journal")
        verbose_name_plural = _("journals")

    def __str__(self) -> str:
        return self.title

    @property
    def cn_display(self) -> str:
        return f"CN {self.cn}"


class JournalImpact(models.Model):
    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="impacts")
    year = models.PositiveSmallIntegerField(_("year"))
    impact_factor = models.DecimalField(_("impact factor"), max_digits=6, decimal_places=3)
    citations = models.PositiveIntegerField(_("citations"), default=0)

    class Meta:
        ordering = ["journal", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "year"], name="societies_impact_one_per_year")
        ]
        verbose_name = _("impact figure")
        verbose_name_plural = _("impact figures")

    def __str__(self) -> str:
        return f"{self.journal} {self.year}"


class Directory(AuthoredModel):
    """The journal directory (目录发布): staff compose graded entries by discipline and publish it."""

    title = models.CharField(_("title"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    tiers = models.JSONField(_("tiers"), default=list)  # names in rank order, e.g. ["T1", "T2", "T3"]
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DirectoryState.choices, default=DirectoryState.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("journal directory")
        verbose_name_plural = _("journal directories")

    def __str__(self) -> str:
        return self.title


class DirectoryEntry(models.Model):
    directory = models.ForeignKey(Directory, on_delete=models.CASCADE, related_name="entries")
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="directory_entries")
    discipline = models.CharField(_("discipline"), max_length=40)
    tier = models.CharField(_("tier"), max_length=20)
    tier_rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["discipline", "tier_rank", "journal__title"]
        constraints = [
            models.UniqueConstraint(fields=["directory", "journal"], name="societies_directory_journal_once")
        ]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")

    def __str__(self) -> str:
        return f"{self.journal} · {self.tier}"


# --- international ---------------------------------------------------------------------------------


class IntlOrganization(AuthoredModel):
    """An international science organization (国际科技组织)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    country = models.CharField(_("headquarters country"), max_length=2, blank=True)
    founded_by_chongqing = models.BooleanField(_("initiated by Chongqing scientists"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("international organization")
        verbose_name_plural = _("international organizations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class Position(AuthoredModel):
    """A post a Chongqing scientist holds in an international organization (任职)."""

    organization = models.ForeignKey(IntlOrganization, on_delete=models.PROTECT, related_name="positions")
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("post"), max_length=120)
    level = models.CharField(_("level"), max_length=12, choices=PositionLevel.choices)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)

    class Meta:
        ordering = ["-term_start", "-pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.expert} · {self.organization} · {self.title}"


class DutySupport(AuthoredModel):
    """A service to a position holder (履职服务)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("kind"), max_length=10, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=10, decimal_places=2, default=0)
    note = models.TextField(_("note"))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("duty support")
        verbose_name_plural = _("duty support")

    def __str__(self) -> str:
        return f"{self.position} {self.date}"


class PositionRecommendation(AuthoredModel):
    """A recommendation (推送) of an expert for a post, recorded when the call's decision approves it."""

    organization = models.ForeignKey(
        IntlOrganization, on_delete=models.PROTECT, related_name="recommendations"
    )
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post sought"), max_length=120)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RecommendationState.choices,
        default=RecommendationState.RECOMMENDED,
    )
    recommended_on = models.DateField(_("recommended on"))
    source_ref = models.CharField(_("call submission"), max_length=60, blank=True, unique=True, null=True)

    class Meta:
        ordering = ["-recommended_on", "-pk"]
        verbose_name = _("position recommendation")
        verbose_name_plural = _("position recommendations")

    def __str__(self) -> str:
        return f"{self.expert} → {self.organization}"


class OverseasExpert(AuthoredModel):
    """The overseas side of an expert in the expert library: country and 海智 flags (the expert model
    has only an ``overseas`` flag, so these live here, linked one-to-one)."""

    expert = models.OneToOneField("experts.Expert", on_delete=models.CASCADE, related_name="overseas_profile")
    country = models.CharField(_("country or region"), max_length=2)
    haizhi_expert = models.BooleanField(_("Haizhi expert"), default=False)
    haizhi_plan = models.BooleanField(_("in the Haizhi plan"), default=False)
    last_engaged_on = models.DateField(_("last engaged"), null=True, blank=True)
    engagement = models.TextField(_("engagement"), blank=True)

    class Meta:
        ordering = ["country", "pk"]
        verbose_name = _("overseas expert")
        verbose_name_plural = _("overseas experts")

    def __str__(self) -> str:
        return f"{self.expert} ({self.country_name})"

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class OffshoreBase(AuthoredModel):
    """A 国家海外人才离岸创新创业基地 (the transfer registry holds workstations, not these bases)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    host = models.ForeignKey(
        "accounts.Organization", verbose_name=_("host"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.CharField(_("district"), max_length=6, blank=True)
    established_year = models.PositiveSmallIntegerField(_("established year"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("offshore innovation base")
        verbose_name_plural = _("offshore innovation bases")

    def __str__(self) -> str:
        return self.name


class OverseasPartner(AuthoredModel):
    """An overseas partner of a 海智工作站 (a transfer workstation of kind "haizhi") or an offshore base."""

    host_kind = models.CharField(_("partner of"), max_length=14, choices=PartnerHost.choices)
    workstation = models.ForeignKey(
        "transfer.Workstation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="overseas_partners",
    )
    base = models.ForeignKey(
        OffshoreBase, on_delete=models.CASCADE, null=True, blank=True, related_name="partners"
    )
    name = models.CharField(_("partner"), max_length=150)
    country = models.CharField(_("country or region"), max_length=2)
    since = models.PositiveSmallIntegerField(_("since"))
    projects = models.PositiveIntegerField(_("projects brought in"), default=0)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("overseas partner")
        verbose_name_plural = _("overseas partners")

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)


class Exchange(AuthoredModel):
    """An international exchange: delegations in and out, international 科普 activities, youth
    exchanges, cooperation of a society with an overseas organization."""

    kind = models.CharField(_("kind"), max_length=16, choices=ExchangeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    society = models.ForeignKey(
        Society, verbose_name=_("society"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("date"))
    countries = models.JSONField(_("countries"), default=list)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("international exchange")
        verbose_name_plural = _("international exchanges")

    def __str__(self) -> str:
        return self.title

    @property
    def country_names(self) -> list[str]:
        return [country_name(code) for code in self.countries]

    @property
    def belt_and_road(self) -> bool:
        return any(is_belt_and_road(code) for code in self.countries)


class JournalFunding(models.Model):
    """Support funding a journal received through a call (kexie.calls, kind "societies.journal_funding")."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="fundings")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=10, decimal_places=2)
    source_ref = models.CharField(_("call submission"), max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("journal funding")
        verbose_name_plural = _("journal funding")

    def __str__(self) -> str:
        return f"{self.journal} {self.year}"
