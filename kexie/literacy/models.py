"""Science literacy (一书一赛一测评): question bank, reader, assessments, contests and the literacy rate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.literacy.enums import Audience, EstimateSource, PublishState, QuestionKind, ReviewState, RuleKind


class Dimension(models.Model):
    """A dimension of the national grading and its share of the 100 points (data, not code)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    weight = models.PositiveSmallIntegerField(_("weight"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One item of the question bank. `answer` holds the indices of the correct options (one for true or
    false and single choice); true/false items have the options 正确/错误."""

    external_id = models.CharField(_("item number"), max_length=40, null=True, blank=True, unique=True)
    dimension = models.ForeignKey(Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list)
    answer = models.JSONField(_("answer key"), default=list)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), default=3)
    explanation = models.TextField(_("explanation"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=60, blank=True, db_index=True)
    audiences = models.JSONField(_("audience groups"), default=list, blank=True)
    state = models.CharField(
        _("review state"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["dimension__sort_order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(value, value)) for value in self.audiences]


class Chapter(models.Model):
    """A chapter of the reader (一书), linked to the questions it prepares for."""

    number = models.PositiveSmallIntegerField(_("chapter number"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=20, choices=PublishState.choices, default=PublishState.DRAFT, db_index=True
    )
    questions = models.ManyToManyField(
        Question, verbose_name=_("questions"), blank=True, related_name="chapters"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.title


class ReaderVisit(models.Model):
    """Reading counted per chapter, district and day (one row per combination, incremented)."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="visits")
    district = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("reader visit")
        verbose_name_plural = _("reader visits")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "district", "day"], name="unique_reader_visit_day"),
            models.UniqueConstraint(
                fields=["chapter", "day"],
                condition=models.Q(district=None),
                name="unique_reader_visit_day_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chapter_id} {self.district_id} {self.day} {self.count}"


class ScoringRule(models.Model):
    """How an assessment is scored. `tiers` is a list of {"min": points, "label": "...", "literate": bool},
    highest first; a score at or above `min` falls in the tier. A benchmark rule gives `points_per_item`
    points per correct item and passes at `pass_share` percent of the maximum."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    points_per_item = models.DecimalField(
        _("points per item"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    pass_share = models.DecimalField(
        _("pass share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pass_label = models.CharField(_("label when passed"), max_length=60, blank=True)
    fail_label = models.CharField(_("label when not passed"), max_length=60, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A paper (测评) assembled from a blueprint: dimension weights, difficulty mix and item count."""

    title = models.CharField(_("title"), max_length=120)
    rule = models.ForeignKey(ScoringRule, verbose_name=_("scoring rule"), on_delete=models.PROTECT)
    item_count = models.PositiveSmallIntegerField(_("number of items"), default=20)
    blueprint = models.JSONField(_("dimension weights"), default=dict)
    difficulty_mix = models.JSONField(_("difficulty mix"), default=dict)
    seed = models.PositiveIntegerField(_("seed"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=PublishState.choices, default=PublishState.DRAFT, db_index=True
    )
    questions = models.ManyToManyField(Question, through="AssessmentItem", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.title


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "position"], name="unique_assessment_position"),
            models.UniqueConstraint(fields=["assessment", "question"], name="unique_assessment_question"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} #{self.position}"


class Contestant(models.Model):
    """A citizen taking part: where they live (district association) and, optionally, their unit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contestant")
    district = models.ForeignKey(
        Organization, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contestant")
        verbose_name_plural = _("contestants")

    def __str__(self) -> str:
        return str(self.user)


class AssessmentAttempt(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(default=dict)
    correct = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=6, decimal_places=2)
    tier = models.CharField(max_length=60)
    literate = models.BooleanField(default=False)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="unique_assessment_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.user_id} {self.score}"


class Contest(models.Model):
    """The contest (一赛): daily rounds of random reviewed questions between two dates, optionally themed."""

    title = models.CharField(_("title"), max_length=120)
    topic = models.CharField(_("theme (topic filter)"), max_length=60, blank=True)
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension filter"), null=True, blank=True, on_delete=models.PROTECT
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    questions_per_round = models.PositiveSmallIntegerField(_("questions per round"), default=20)
    seconds_per_question = models.PositiveSmallIntegerField(_("seconds per question"), default=30)
    state = models.CharField(
        _("state"), max_length=20, choices=PublishState.choices, default=PublishState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")

    def __str__(self) -> str:
        return self.title


class ContestAttempt(models.Model):
    """One person's round of one day. `question_ids` is the server's order; `position` the next to serve."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    district = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question_ids = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(default=0)
    correct = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user", "day"], name="one_contest_attempt_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.user_id} {self.day}"


class ContestAnswer(models.Model):
    """A question served in a round: when it was served (server clock), and the answer if any."""

    attempt = models.ForeignKey(ContestAttempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    served_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    choice = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(default=False)
    timed_out = models.BooleanField(default=False)
    points = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_contest_answer_position"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


class ContestBest(models.Model):
    """The best score each person reached in a contest: the leaderboards read this."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="bests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    best_score = models.PositiveSmallIntegerField(default=0)
    rounds = models.PositiveIntegerField(default=0)
    best_at = models.DateTimeField()

    class Meta:
        ordering = ["-best_score", "best_at"]
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="unique_contest_best")]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.user_id} {self.best_score}"


class LiteracyEstimate(models.Model):
    """A citizen science-literacy rate (percent) for a year, for the city (district empty) or a district."""

    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        Organization,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=2)
    se = models.DecimalField(_("standard error"), max_digits=6, decimal_places=3, null=True, blank=True)
    ci_low = models.DecimalField(_("95% CI low"), max_digits=6, decimal_places=2, null=True, blank=True)
    ci_high = models.DecimalField(_("95% CI high"), max_digits=6, decimal_places=2, null=True, blank=True)
    n = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=EstimateSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("literacy estimate")
        verbose_name_plural = _("literacy estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district", "source"], name="unique_estimate_year_district"
            ),
            models.UniqueConstraint(
                fields=["year", "source"], condition=models.Q(district=None), name="unique_estimate_year_city"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.district or ''} {self.rate}%"


class LiteracySurvey(models.Model):
    """The annual citizen science-literacy survey of a year: a survey of the surveys app (demographics
    and the paper's items as questions) and the assessment whose answer key and scoring rule score it.
    The key stays here; the survey's item questions carry the variable names ``item<position>``."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    survey = models.OneToOneField(
        "surveys.Survey", verbose_name=_("survey"), on_delete=models.PROTECT, related_name="literacy"
    )
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("paper"), on_delete=models.PROTECT, related_name="surveys"
    )
    # The last computation: respondents, weighted and unweighted rates, the scheme and run used.
    report = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual literacy survey")
        verbose_name_plural = _("annual literacy surveys")

    def __str__(self) -> str:
        return f"{self.year} {self.survey_id}"
