"""Talent services of measures 7 and 8: the award catalogue and its yearly rounds, nominations and
public votes; the 托举 programme (cohorts, supported people, mentors, instalments, reports, mid-term
evaluations); academician and engineer services (带培 pairs, the confidential 增选 ledger, top
talents and their engagements, the engineers' union)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.experts.enums import Sex
from kexie.talent.enums import (
    Academy,
    AwardKind,
    AwardLevel,
    CandidateState,
    CohortState,
    EngagementKind,
    EngineerField,
    EvaluationResult,
    InstalmentState,
    NominationOutcome,
    PairActivityKind,
    PairState,
    ReportState,
    RoundState,
    ServiceKind,
    SupportState,
)

# --- measure 8: awards and campaigns --------------------------------------------------------------


class Award(models.Model):
    """An award or selection campaign of the catalogue (data, loaded from talent/catalogue.py)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    level = models.CharField(_("level"), max_length=20, choices=AwardLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices, default=AwardKind.AWARD)
    organiser = models.CharField(_("organiser"), max_length=80)
    department = models.CharField(_("responsible department"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    # Age limits at the round's reference date, per sex: {"male": 40, "female": 45}; {} = no limit.
    age_limits = models.JSONField(_("age limits"), default=dict, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return self.name


class AwardRound(AuthoredModel):
    """One year of an award or campaign. ``call_id`` is the 申报评审 engine's call that runs the
    nomination and review when the round is run on the platform."""

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=20, choices=RoundState.choices, default=RoundState.PREPARING
    )
    call_id = models.PositiveBigIntegerField(_("call"), null=True, blank=True)
    quota = models.PositiveSmallIntegerField(_("places"), default=0, help_text=_("0: no limit"))
    reference_date = models.DateField(_("reference date for ages"))
    # Public voting (campaigns): the share of the final score that votes count for, and the window.
    voting_opens = models.DateField(_("voting opens"), null=True, blank=True)
    voting_closes = models.DateField(_("voting closes"), null=True, blank=True)
    vote_weight = models.DecimalField(_("weight of public votes"), max_digits=3, decimal_places=2, default=0)
    burst_limit = models.PositiveSmallIntegerField(
        _("votes from one address per hour before flagging"), default=20
    )
    results_published_on = models.DateField(_("results published on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "award__sort_order"]
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        constraints = [models.UniqueConstraint(fields=["award", "year"], name="talent_round_award_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.award.name}"

    @property
    def has_voting(self) -> bool:
        return self.voting_opens is not None and self.voting_closes is not None


class Nomination(AuthoredModel):
    """A person nominated in a round. The dossier lives in the engine's submission
    (``submission_id``); the talent app keeps the person facts its indicators and honours need."""

    round = models.ForeignKey(
        AwardRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="nominations"
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    organization_name = models.CharField(_("organization"), max_length=120)
    district = models.CharField(_("district"), max_length=12, blank=True, db_index=True)
    channel = models.CharField(_("nominating channel"), max_length=120, blank=True)
    deeds = models.TextField(_("main deeds"), blank=True)
    submission_id = models.PositiveBigIntegerField(_("submission"), null=True, blank=True, unique=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=NominationOutcome.choices, default=NominationOutcome.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "name", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.name}({self.round})"

    @property
    def age(self) -> int:
        ref = self.round.reference_date
        return (
            ref.year
            - self.birth_date.year
            - ((ref.month, ref.day) < (self.birth_date.month, self.birth_date.day))
        )


class Vote(models.Model):
    """One public vote: one per signed-in user per campaign round per day (a unique constraint)."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # A burst from one address: the vote does not count until staff clear the flag.
    flagged = models.BooleanField(_("flagged"), default=False)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "day"], name="talent_vote_once_a_day"),
        ]
        indexes = [models.Index(fields=["round", "ip", "created_at"])]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.nomination_id}/{self.day}"


# --- measure 7: the 托举 programme --------------------------------------------------------------


class Cohort(AuthoredModel):
    """One year's intake of the 青年科技人才托举工程, selected by a programme call."""

    name = models.CharField(_("name"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year of selection"), unique=True)
    call_id = models.PositiveBigIntegerField(_("call"), null=True, blank=True)
    midterm_call_id = models.PositiveBigIntegerField(_("mid-term evaluation call"), null=True, blank=True)
    support_years = models.PositiveSmallIntegerField(_("support period (years)"), default=3)
    annual_amount = models.DecimalField(
        _("support per person and year (10k yuan)"), max_digits=8, decimal_places=2, default=0
    )
    starts_on = models.DateField(_("support starts on"))
    state = models.CharField(
        _("state"), max_length=20, choices=CohortState.choices, default=CohortState.SELECTING
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name


class SupportedPerson(AuthoredModel):
    """A young scientist supported by the programme (托举对象)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="people"
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_records",
    )
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    organization_name = models.CharField(_("organization"), max_length=120)
    district = models.CharField(_("district"), max_length=12, blank=True)
    discipline = models.CharField(_("discipline"), max_length=10, blank=True)
    project_title = models.CharField(_("supported project"), max_length=200)
    starts_on = models.DateField(_("support starts on"))
    ends_on = models.DateField(_("support ends on"))
    submission_id = models.PositiveBigIntegerField(_("submission"), null=True, blank=True, unique=True)
    # The dossier of the mid-term evaluation in the engine's evaluation call.
    midterm_submission_id = models.PositiveBigIntegerField(
        _("mid-term dossier"), null=True, blank=True, unique=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SupportState.choices, default=SupportState.ACTIVE
    )

    class Meta:
        ordering = ["cohort", "name", "pk"]
        verbose_name = _("supported person")
        verbose_name_plural = _("supported people")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "expert"],
                condition=models.Q(expert__isnull=False),
                name="talent_person_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mentor(models.Model):
    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="mentors")
    expert = models.ForeignKey(
        "experts.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("mentor"), max_length=60)
    organization_name = models.CharField(_("organization"), max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self) -> str:
        return self.name


class Instalment(models.Model):
    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (10k yuan)"), max_digits=8, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=20, choices=InstalmentState.choices, default=InstalmentState.PLANNED
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["person", "number"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="talent_instalment_number")]

    def __str__(self) -> str:
        return f"{self.person} #{self.number}"


class ProgressReport(models.Model):
    """The annual progress report of a support year (年度进展报告)."""

    person = models.ForeignKey(SupportedPerson, on_delete=models.CASCADE, related_name="reports")
    support_year = models.PositiveSmallIntegerField(_("support year"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=20, choices=ReportState.choices, default=ReportState.DUE)
    progress = models.TextField(_("progress"), blank=True)
    outputs = models.TextField(_("outputs (papers, patents, awards)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["person", "support_year"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["person", "support_year"], name="talent_report_year")]

    def __str__(self) -> str:
        return f"{self.person} · {self.support_year}"


class MidtermEvaluation(models.Model):
    """The mid-term evaluation of a supported person; ``review_round_id`` is the engine's review
    round that scored it, when it was run there."""

    person = models.OneToOneField(SupportedPerson, on_delete=models.CASCADE, related_name="evaluation")
    review_round_id = models.PositiveBigIntegerField(_("review round"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=EvaluationResult.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mid-term evaluation")
        verbose_name_plural = _("mid-term evaluations")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_result_display()}"


# --- measure 7: academicians and engineers -------------------------------------------------------


class AcademicianPair(AuthoredModel):
    """院士带培计划: an academician guiding a young scientist."""

    academician = models.ForeignKey(
        "experts.Expert", verbose_name=_("academician"), on_delete=models.PROTECT, related_name="+"
    )
    scientist = models.ForeignKey(
        "experts.Expert", verbose_name=_("young scientist"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("direction of guidance"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=20, choices=PairState.choices, default=PairState.ACTIVE)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("academician pair")
        verbose_name_plural = _("academician pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["academician", "scientist"],
                condition=models.Q(state="active"),
                name="talent_pair_active_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academician} → {self.scientist}"


class PairActivity(AuthoredModel):
    pair = models.ForeignKey(AcademicianPair, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=PairActivityKind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("pair activity")
        verbose_name_plural = _("pair activities")

    def __str__(self) -> str:
        return self.title


class PairSummary(AuthoredModel):
    pair = models.ForeignKey(AcademicianPair, on_delete=models.CASCADE, related_name="summaries")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("summary"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly summary")
        verbose_name_plural = _("yearly summaries")
        constraints = [models.UniqueConstraint(fields=["pair", "year"], name="talent_pair_summary_year")]

    def __str__(self) -> str:
        return f"{self.pair} · {self.year}"


class Candidate(AuthoredModel):
    """院士增选服务: a candidate the 院士工作服务中心 serves. Confidential: only that centre sees it."""

    name = models.CharField(_("name"), max_length=60)
    expert = models.ForeignKey(
        "experts.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization_name = models.CharField(_("organization"), max_length=120)
    academy = models.CharField(_("academy"), max_length=10, choices=Academy.choices)
    division = models.CharField(_("division (学部)"), max_length=60)
    election_year = models.PositiveSmallIntegerField(_("election year"))
    state = models.CharField(
        _("state"), max_length=20, choices=CandidateState.choices, default=CandidateState.PREPARING
    )
    # The materials checklist: [{"item": "推荐书", "done": true, "on": "2025-03-01"}, ...]
    materials = models.JSONField(_("materials checklist"), default=list, blank=True)

    class Meta:
        ordering = ["-election_year", "name"]
        verbose_name = _("election candidate")
        verbose_name_plural = _("election candidates")

    def __str__(self) -> str:
        return self.name


class CandidateEvent(AuthoredModel):
    """A line of a candidate's ledger: a timeline milestone or a service given."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="events")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["happened_on", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.candidate} · {self.happened_on}"


class TopTalent(AuthoredModel):
    """百名顶尖人才智汇重庆: a top talent in the registry."""

    name = models.CharField(_("name"), max_length=60)
    expert = models.ForeignKey(
        "experts.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization_name = models.CharField(_("organization"), max_length=120)
    field = models.CharField(_("field"), max_length=80)
    honours = models.CharField(_("honours"), max_length=200, blank=True)
    joined_year = models.PositiveSmallIntegerField(_("in the registry since"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("top talent")
        verbose_name_plural = _("top talents")

    def __str__(self) -> str:
        return self.name


class Engagement(AuthoredModel):
    talent = models.ForeignKey(TopTalent, on_delete=models.CASCADE, related_name="engagements")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization_name = models.CharField(_("Chongqing organization"), max_length=120)
    district = models.CharField(_("district"), max_length=12, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return self.title


class UnionMember(AuthoredModel):
    """A member organization of the 重庆工程师联合体."""

    organization_name = models.CharField(_("organization"), max_length=120, unique=True)
    district = models.CharField(_("district"), max_length=12, blank=True)
    joined_on = models.DateField(_("joined on"))

    class Meta:
        ordering = ["organization_name"]
        verbose_name = _("union member")
        verbose_name_plural = _("union members")

    def __str__(self) -> str:
        return self.organization_name


class Engineer(AuthoredModel):
    member = models.ForeignKey(UnionMember, on_delete=models.PROTECT, related_name="engineers")
    expert = models.ForeignKey(
        "experts.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    field = models.CharField(_("field"), max_length=20, choices=EngineerField.choices)
    title = models.CharField(_("professional title"), max_length=40, blank=True)
    excellent_year = models.PositiveSmallIntegerField(
        _("excellent engineer since"),
        null=True,
        blank=True,
        help_text=_("empty: not (yet) an excellent engineer"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("engineer")
        verbose_name_plural = _("engineers")

    def __str__(self) -> str:
        return self.name
