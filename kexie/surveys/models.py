"""Questionnaires, their versions, distribution (public link, invitation codes), responses, and
the weighting of responses to population margins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.surveys.enums import ConditionOperator, QuestionKind, SurveyState


class Survey(models.Model):
    """One version of a questionnaire. Publishing freezes its questions; editing a published survey
    creates the next version as a new draft (``previous`` points back)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("owner organization")
    )
    requires_sign_in = models.BooleanField(_("respondents sign in"), default=False)
    closes_at = models.DateTimeField(_("closing date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=SurveyState.choices, default=SurveyState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )
    public_token = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question. ``code`` is its variable name in exports and margins (e.g. Q3 or district).

    Skip logic is data: the question is shown only if the answer to ``condition_question`` (an
    earlier question) equals, or for a multiple choice contains, ``condition_value`` (an option
    value). It is evaluated on the server.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("variable name"), max_length=40)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    scale_min = models.IntegerField(_("scale from"), default=1)
    scale_max = models.IntegerField(_("scale to"), default=5)
    rows = models.JSONField(_("matrix rows"), default=list, blank=True)
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("shown only if"),
    )
    condition_operator = models.CharField(
        _("condition"), max_length=20, choices=ConditionOperator.choices, default=ConditionOperator.EQUALS
    )
    condition_value = models.CharField(_("condition value"), max_length=100, blank=True)

    class Meta:
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="surveys_question_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    value = models.CharField(_("value"), max_length=100)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="surveys_option_value_unique")
        ]

    def __str__(self) -> str:
        return self.label


class InvitationBatch(models.Model):
    """Single-use invitation codes (填答码) issued to a station (e.g. a district association)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    quota = models.PositiveIntegerField(_("quota"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.organization} × {self.quota}"


class Invitation(models.Model):
    batch = models.ForeignKey(InvitationBatch, on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(_("invitation code"), max_length=8, unique=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """One respondent's answers: one per invitation code, or per session (resume token) or signed-in
    user for the public link. Partial answers are kept until ``submitted_at`` is set."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    station = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resume_token = models.CharField(max_length=32, unique=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="surveys_response_user_unique",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Answer(models.Model):
    """An answer: an option value (single), a list of values (multiple), a number (rating, number),
    a string (text), or {row: value} (matrix)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="surveys_answer_unique")]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value}"


class WeightingScheme(models.Model):
    """Population margins staff uploaded for a survey, each variable mapped to a question."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="schemes")
    name = models.CharField(_("name"), max_length=200)
    source_name = models.CharField(_("source file"), max_length=200, blank=True)
    # {variable: question id}
    mapping = models.JSONField(default=dict)
    total = models.FloatField(_("population total"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.name


class MarginRow(models.Model):
    scheme = models.ForeignKey(WeightingScheme, on_delete=models.CASCADE, related_name="margin_rows")
    variable = models.CharField(_("variable"), max_length=40)
    category = models.CharField(_("category"), max_length=100)
    population = models.FloatField(_("population"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "variable", "category"], name="surveys_margin_unique")
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.population:g}"


class WeightingRun(models.Model):
    """One raking of the submitted responses: its settings, convergence report and the weights,
    so that results are reproducible."""

    scheme = models.ForeignKey(WeightingScheme, on_delete=models.CASCADE, related_name="runs")
    parameters = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    # {response id: weight}
    weights = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.scheme} #{self.pk}"
