"""The think tank: network, question bank, topic guides, projects, results, briefs and feedback,
events with viewpoints, and the yearly survey of science and technology workers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.thinktank.enums import (
    Access,
    BaseKind,
    BriefState,
    EventKind,
    FeedbackKind,
    FeedbackLevel,
    Field,
    GuideState,
    ProjectKind,
    ProjectState,
    QuestionState,
    ResultKind,
    ReviewConclusion,
    ReviewStage,
)


def result_path(instance, filename: str) -> str:
    return f"thinktank/results/{instance.pk or 'new'}/{filename}"


# --- network (measure 13) ---------------------------------------------------------------------------


class ResearchBase(AuthoredModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BaseKind.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization in the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district = models.CharField(_("district"), max_length=12, blank=True)
    areas = models.JSONField(_("fields"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    agreement = models.CharField(_("agreement"), max_length=200, blank=True)
    agreement_until = models.DateField(_("agreement valid until"), null=True, blank=True)
    members = models.ManyToManyField(
        "experts.Expert", verbose_name=_("members"), blank=True, related_name="research_bases"
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("research base")
        verbose_name_plural = _("research bases")

    def __str__(self) -> str:
        return self.name

    def field_labels(self) -> list[str]:
        labels = dict(Field.choices)
        return [str(labels.get(f, f)) for f in self.areas]


class BaseOutput(models.Model):
    """A research base's output in one year."""

    base = models.ForeignKey(ResearchBase, on_delete=models.CASCADE, related_name="outputs")
    year = models.PositiveSmallIntegerField(_("year"))
    reports = models.PositiveIntegerField(_("research reports"), default=0)
    briefs = models.PositiveIntegerField(_("briefs adopted"), default=0)
    projects = models.PositiveIntegerField(_("projects"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["base", "year"], name="thinktank_output_year")]

    def __str__(self) -> str:
        return f"{self.base} {self.year}"


# --- question bank and topic guide (measure 16, 14) ---------------------------------------------------


class Question(AuthoredModel):
    title = models.CharField(_("question"), max_length=200)
    background = models.TextField(_("background"))
    proposer_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("proposing organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, blank=True)
    importance = models.PositiveSmallIntegerField(_("importance (1-5)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=QuestionState.choices, default=QuestionState.SUBMITTED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    # How many proposals this question stands for (itself and those merged into it).
    support = models.PositiveIntegerField(_("proposals"), default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("research question")
        verbose_name_plural = _("research questions")

    def __str__(self) -> str:
        return self.title

    @property
    def organization_id(self) -> int | None:
        return self.proposer_organization_id


class TopicGuide(AuthoredModel):
    """课题指南: the year's topics, published from chosen questions."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=GuideState.choices, default=GuideState.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("topic guide")
        verbose_name_plural = _("topic guides")

    def __str__(self) -> str:
        return self.title


class GuideTopic(models.Model):
    guide = models.ForeignKey(TopicGuide, on_delete=models.CASCADE, related_name="topics")
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("research content"), blank=True)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("guide topic")
        verbose_name_plural = _("guide topics")

    def __str__(self) -> str:
        return self.title


# --- projects (measure 14) -------------------------------------------------------------------------------


class Project(AuthoredModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.TOPIC)
    title = models.CharField(_("title"), max_length=200)
    topic = models.ForeignKey(
        GuideTopic,
        verbose_name=_("guide topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    # A topic call's application this project was awarded from (kexie.calls), as "call:application".
    call_ref = models.CharField(_("call application"), max_length=60, blank=True, db_index=True)
    client = models.CharField(_("commissioned by"), max_length=120, blank=True)
    lead_organization = models.CharField(_("lead organization"), max_length=120)
    principal = models.CharField(_("principal investigator"), max_length=60)
    principal_expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("principal in the expert library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thinktank_projects",
    )
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    amount = models.DecimalField(_("funding (10k yuan)"), max_digits=10, decimal_places=2, default=0)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ProjectState.choices, default=ProjectState.UNDER_WAY
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("think-tank project")
        verbose_name_plural = _("think-tank projects")

    def __str__(self) -> str:
        return self.title


class ProjectMilestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class ProjectReview(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=20, choices=ReviewStage.choices)
    held_on = models.DateField(_("held on"))
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=ReviewConclusion.choices)
    comments = models.TextField(_("comments"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"


# --- results (measure 16, 15) ------------------------------------------------------------------------


class Result(AuthoredModel):
    """成果库: a report, paper or brief with its file; internal results never leave the staff."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ResultKind.choices, default=ResultKind.REPORT)
    authors = models.CharField(_("authors"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
    )
    access = models.CharField(
        _("access level"), max_length=20, choices=Access.choices, default=Access.INTERNAL
    )
    file = models.FileField(_("file"), upload_to=result_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    full_text = models.TextField(_("full text"), blank=True, editable=False)
    # In the public column (智库专栏) since; only a public result may be there.
    column_published_at = models.DateTimeField(_("in the column since"), null=True, blank=True)
    recommended_to_cast_on = models.DateField(_("recommended to CAST on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("think-tank result")
        verbose_name_plural = _("think-tank results")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(column_published_at__isnull=True) | models.Q(access="public"),
                name="thinktank_column_only_public",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_column(self) -> bool:
        return self.access == Access.PUBLIC and self.column_published_at is not None


# --- briefs and feedback (measure 14, 16) -----------------------------------------------------------


class Brief(AuthoredModel):
    """《院士专家建议》: one issue, numbered per year when issued."""

    title = models.CharField(_("title"), max_length=200)
    authors = models.CharField(_("authors"), max_length=200)
    summary = models.TextField(_("editor's note"), blank=True)
    body = models.TextField(_("text"))
    result = models.ForeignKey(
        Result,
        verbose_name=_("based on result"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="briefs",
    )
    distribution = models.CharField(_("distribution"), max_length=300, default="市委、市政府领导")
    state = models.CharField(_("state"), max_length=20, choices=BriefState.choices, default=BriefState.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    recommended_to_cast_on = models.DateField(_("recommended to CAST on"), null=True, blank=True)
    recommendation_note = models.CharField(_("recommendation note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "-number", "-created_at", "-pk"]
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="thinktank_brief_number"),
            models.CheckConstraint(
                condition=~models.Q(state="issued") | models.Q(number__isnull=False, signed_at__isnull=False),
                name="thinktank_issued_is_signed_and_numbered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def issue_label(self) -> str:
        if self.number is None:
            return ""
        return f"{self.year}年第{self.number}期"


class BriefCounter(models.Model):
    """The last issue number of a year: issuing locks this row, so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Feedback(AuthoredModel):
    """A decision maker's response to a brief: 批示, adoption or transfer."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    given_by = models.CharField(_("given by"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=FeedbackLevel.choices)
    given_on = models.DateField(_("date"))
    text = models.TextField(_("text"), blank=True)
    document = models.CharField(_("policy document"), max_length=200, blank=True)
    reference = models.CharField(_("document reference"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    tasks = models.ManyToManyField(
        "policy.Task", verbose_name=_("supervised tasks"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["given_on", "pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_by}"


# --- events (measure 15) ---------------------------------------------------------------------------------


class Event(AuthoredModel):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    theme = models.TextField(_("theme"), blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class Viewpoint(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="viewpoints")
    speaker = models.CharField(_("speaker"), max_length=60)
    affiliation = models.CharField(_("affiliation"), max_length=120, blank=True)
    expert = models.ForeignKey(
        "experts.Expert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("viewpoint"), max_length=200)
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


# --- survey of science and technology workers (measure 16) --------------------------------------------


class WorkerSurvey(AuthoredModel):
    """科技工作者状况调查 of one year: run in the surveys app, its headline figures kept here."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("survey of science and technology workers")

    def __str__(self) -> str:
        return f"{self.year}"


class HeadlineFigure(models.Model):
    worker_survey = models.ForeignKey(WorkerSurvey, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("figure"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label
