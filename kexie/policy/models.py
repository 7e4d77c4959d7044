from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.accounts.models import Organization
from kexie.policy.enums import (
    CaseState,
    ChangeKind,
    ChangeState,
    Comparator,
    Light,
    NoticeState,
    ScanState,
    TaskSource,
    TaskState,
)


class Notice(models.Model):
    """An official notice. A draft holds the parse as staff edit it; confirming creates the
    sections, measures, targets and one task per measure."""

    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issuer"), max_length=120, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    source_text = models.TextField(_("source text"))
    source_name = models.CharField(_("source file"), max_length=200, blank=True)
    draft = models.JSONField(_("parsed draft"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=models.Q(state="confirmed") & ~models.Q(doc_number=""),
                name="unique_confirmed_doc_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}".strip()


class NoticeScan(models.Model):
    """A scanned notice (PDF without text layer, image) waiting for or going through text recognition
    in a background job. The file is kept only until the job ends; a job that succeeds creates the
    draft notice and keeps each page's confidence and the low-confidence lines for the draft page."""

    source_name = models.CharField(_("source file"), max_length=200, blank=True)
    data = models.BinaryField(_("file"), blank=True, default=b"")
    state = models.CharField(_("state"), max_length=20, choices=ScanState.choices, default=ScanState.QUEUED)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    pages_done = models.PositiveIntegerField(_("pages recognised"), default=0)
    error = models.TextField(_("error"), blank=True)
    # {"engine", "threshold", "pages": [{"number", "confidence", "lines", "low_lines": [...]}]}, each low
    # line {"text", "confidence"}
    quality = models.JSONField(_("recognition quality"), default=dict, blank=True)
    language = models.CharField(max_length=20, blank=True)
    notice = models.OneToOneField(
        Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="scan"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scanned notice")
        verbose_name_plural = _("scanned notices")

    def __str__(self) -> str:
        return self.source_name or f"scan {self.pk}"


class Section(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["notice", "number"]
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="unique_section_number")]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="measures")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="measures", null=True, blank=True
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    clause_start = models.PositiveIntegerField(default=0)
    clause_end = models.PositiveIntegerField(default=0)
    departments = models.ManyToManyField(Organization, through="MeasureDepartment", related_name="measures")

    class Meta:
        ordering = ["notice", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="unique_measure_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeasureDepartment(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="department_links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["measure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "organization"], name="unique_measure_department")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}:{self.organization}"


class Target(models.Model):
    """A declared quantitative target of a measure; `indicator_key` binds it to a computed indicator
    registered by a module (see kexie/policy/indicators.py); without one, values are recorded by hand."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    metric = models.CharField(_("metric"), max_length=200)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    indicator_key = models.CharField(_("indicator"), max_length=100, blank=True)

    class Meta:
        ordering = ["measure", "year", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return (
            f"{self.year or ''} {self.metric} {self.comparator} {self.value.normalize()}{self.unit}".strip()
        )


class IndicatorValue(models.Model):
    """A manually recorded value of a target's indicator; the history is the list of these."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    as_of = models.DateField(_("as of"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.target_id} {self.as_of} {self.value}"


class Task(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="tasks", null=True, blank=True
    )
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=TaskSource.choices, default=TaskSource.NOTICE
    )
    source_ref = models.CharField(_("source reference"), max_length=300, blank=True)
    lead = models.ForeignKey(
        Organization, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    cooperating = models.ManyToManyField(
        Organization, verbose_name=_("cooperating departments"), blank=True, related_name="cooperating_tasks"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=30, choices=TaskState.choices, default=TaskState.DRAFT)
    light = models.CharField(_("status light"), max_length=10, choices=Light.choices, default=Light.GREY)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["measure__number", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["state", "light"]), models.Index(fields=["lead", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def organization_id(self) -> int:
        """The organization an audit event of this task belongs to."""
        return self.lead_id


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(
        Organization, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("by the lead department"), default=True)
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task_id} {self.created_at:%Y-%m-%d}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"policy/evidence/{instance.report.task_id}/{filename}"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class ChangeRequest(models.Model):
    """A due-date adjustment or a cancellation, asked by the lead department and decided by a leader."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    new_due_date = models.DateField(_("new due date"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=20, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(state="pending"), name="one_pending_change_per_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.state}"

    @property
    def organization_id(self) -> int:
        return self.task.lead_id


class Reminder(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    message = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    automatic = models.BooleanField(_("automatic"), default=False)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.task_id} {self.sent_at:%Y-%m-%d}"


class TypicalCase(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="cases")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def __str__(self) -> str:
        return self.title


class SupervisionSettings(models.Model):
    """Thresholds staff may change (a single row): they are data, not deployment settings."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    amber_days = models.PositiveSmallIntegerField(_("amber within (days)"), default=7)
    report_interval_days = models.PositiveSmallIntegerField(_("report due every (days)"), default=30)
    reminder_interval_days = models.PositiveSmallIntegerField(_("automatic reminder every (days)"), default=3)

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")

    def __str__(self) -> str:
        return "supervision settings"

    @classmethod
    def current(cls) -> SupervisionSettings:
        return cls.objects.get_or_create(pk=1)[0]
