"""Calls (申报), channels, codes, submissions, endorsements, review rounds, assignments, scores,
objections. The form, eligibility, endorsement chain, rubric and pass rules are data (JSON) checked by
``schema.py`` / ``eligibility.py`` when staff save them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.calls.enums import (
    Aggregation,
    AssignmentSource,
    CallState,
    ConstraintKind,
    Decision,
    FormalOutcome,
    ObjectionState,
    ReviewerState,
    RoundKind,
    RoundState,
    SubmissionState,
    Vote,
)
from kexie.core.models import AuthoredModel


class Call(AuthoredModel):
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=CallState.choices, default=CallState.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    check_until = models.DateField(_("formal check until"), null=True, blank=True)
    result_due = models.DateField(_("results due"), null=True, blank=True)
    form_schema = models.JSONField(_("application form"), default=dict, blank=True)
    eligibility = models.JSONField(_("eligibility rules"), default=list, blank=True)
    endorsement_chain = models.JSONField(_("endorsement chain"), default=list, blank=True)
    needs_code = models.BooleanField(_("nomination code required"), default=False)
    publicity_days = models.PositiveSmallIntegerField(_("publicity (working days)"), default=5)
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    publicity_note = models.CharField(_("publicity note"), max_length=200, blank=True)
    decision_rule = models.JSONField(_("decision rule"), default=dict, blank=True)
    # Extra data an owning app keeps with its calls (e.g. the award of the catalogue).
    extra = models.JSONField(_("extra data"), default=dict, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title

    @property
    def kind_info(self):
        from kexie.calls import kinds

        try:
            return kinds.get(self.kind)
        except KeyError:
            return None

    @property
    def kind_label(self) -> str:
        info = self.kind_info
        return str(info.label) if info else self.kind


class Channel(AuthoredModel):
    """A nominating channel of one call (a district, a society, a university …) with its quota."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="channels")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveIntegerField(_("quota"))
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("channel administrators"),
        blank=True,
        related_name="call_channels",
    )

    class Meta:
        ordering = ["call", "organization__sort_order", "organization__name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [models.UniqueConstraint(fields=["call", "organization"], name="calls_channel_unique")]

    def __str__(self) -> str:
        return self.organization.name


class NominationCode(models.Model):
    """A single-use nomination code (推荐码) of a channel, issued in batches."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=16, unique=True)
    batch = models.PositiveIntegerField(_("batch"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["channel", "batch", "pk"]
        verbose_name = _("nomination code")
        verbose_name_plural = _("nomination codes")

    def __str__(self) -> str:
        return self.code


class Submission(AuthoredModel):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="submissions"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="call_submissions",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_submissions",
    )
    organization_name = models.CharField(_("organization"), max_length=120, blank=True)
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    code = models.OneToOneField(
        NominationCode, null=True, blank=True, on_delete=models.PROTECT, related_name="submission"
    )
    title = models.CharField(_("title"), max_length=200)
    person_name = models.CharField(_("nominee"), max_length=60, blank=True)
    data = models.JSONField(_("answers"), default=dict, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        db_index=True,
    )
    endorsed_levels = models.PositiveSmallIntegerField(_("endorsement levels done"), default=0)
    returned_reasons = models.JSONField(_("reasons for return"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    final_score = models.FloatField(_("final score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_level = models.CharField(_("level"), max_length=60, blank=True)
    decision_rule = models.CharField(_("rule applied"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["call", "rank", "pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    @property
    def kind(self) -> str:
        return self.call.kind

    @property
    def reference(self) -> str:
        return f"{self.call.year}-{self.call_id:03d}-{self.pk:04d}"


class Endorsement(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="endorsements")
    level = models.PositiveSmallIntegerField(_("level"))
    step = models.CharField(_("step"), max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["submission", "level", "pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "level"], name="calls_endorsement_once")]

    def __str__(self) -> str:
        return f"{self.submission} · {self.step}"


class FormalCheck(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="formal_checks")
    outcome = models.CharField(_("outcome"), max_length=10, choices=FormalOutcome.choices)
    reasons = models.JSONField(_("reasons per field"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return f"{self.submission} · {self.outcome}"


class ReviewRound(AuthoredModel):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices, default=RoundKind.REMOTE)
    state = models.CharField(_("state"), max_length=10, choices=RoundState.choices, default=RoundState.SETUP)
    rubric = models.JSONField(_("rubric"), default=list, blank=True)
    comment_below = models.FloatField(_("comment required below"), null=True, blank=True)
    pass_rule = models.JSONField(_("pass rule"), default=dict, blank=True)
    blind = models.BooleanField(_("blind review"), default=True)
    reviewers_per_submission = models.PositiveSmallIntegerField(_("reviewers per submission (k)"), default=3)
    max_load = models.PositiveSmallIntegerField(_("most submissions per reviewer (L)"), default=10)
    disciplines = models.JSONField(_("disciplines of the reviewer pool"), default=list, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.ZSCORE
    )
    due = models.DateField(_("due"), null=True, blank=True)
    report = models.JSONField(_("assignment report"), default=dict, blank=True)

    class Meta:
        ordering = ["call", "number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="calls_round_number")]

    def __str__(self) -> str:
        return f"{self.call} · {self.name}"

    @property
    def max_total(self) -> float:
        return sum(float(c["max"]) * float(c.get("weight", 1)) for c in self.rubric)


class Reviewer(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviewers")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewerState.choices, default=ReviewerState.INVITED
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "expert"], name="calls_reviewer_once")]

    def __str__(self) -> str:
        return self.expert.name


class PairConstraint(models.Model):
    """A pair staff pinned or forbade before solving."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="constraints")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey("experts.Expert", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ConstraintKind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "submission", "expert"], name="calls_constraint_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.submission_id}–{self.expert_id}"


class Exclusion(models.Model):
    """A conflict of interest (回避) found before assignment: a hard exclusion, with the reason."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="exclusions")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="exclusions")
    expert = models.ForeignKey("experts.Expert", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["submission", "expert"]

    def __str__(self) -> str:
        return self.reason


class Assignment(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="assignments")
    affinity = models.FloatField(_("affinity"), default=0)
    source = models.CharField(_("source"), max_length=12, choices=AssignmentSource.choices)
    why = models.CharField(_("why"), max_length=300, blank=True)
    active = models.BooleanField(default=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.FloatField(_("total"), null=True, blank=True)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "submission", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission", "reviewer"], name="calls_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.reviewer_id}"


class RoundResult(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="results")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="round_results")
    n = models.PositiveSmallIntegerField(default=0)
    mean = models.FloatField(null=True, blank=True)
    trimmed = models.FloatField(null=True, blank=True)
    normalised = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    votes_yes = models.PositiveSmallIntegerField(default=0)
    votes_total = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(null=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    tied = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "submission"], name="calls_result_once")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.submission_id}: {self.score}"


class Objection(models.Model):
    """A real-name objection (异议) during 公示, with its handling record."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="objections")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    real_name = models.CharField(_("real name"), max_length=60)
    contact = models.CharField(_("contact"), max_length=60)
    body = models.TextField(_("objection"))
    state = models.CharField(
        _("state"), max_length=12, choices=ObjectionState.choices, default=ObjectionState.RECEIVED
    )
    handling = models.TextField(_("handling record"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.real_name} · {self.submission}"


def _attachment_path(instance, filename: str) -> str:
    return f"calls/{instance.submission.call_id}/{instance.submission_id}/{instance.field_key}/{filename}"


class Attachment(models.Model):
    """A file answering a form field of type ``file``; checked (type, size, signature) on upload."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    field_key = models.CharField(max_length=40)
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "field_key", "pk"]

    def __str__(self) -> str:
        return self.name
