"""Items of the public information section, their versions under 三审三校, and the workflow as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core.models import AuthoredModel
from kexie.news.enums import Column, Decision, ReviewerRole, VersionState

# 三审三校 as shipped (migration 0002 writes the same rows); staff may rename the steps.
DEFAULT_STEPS = [
    (1, "first", "初审（编辑）", ReviewerRole.EDITOR),
    (2, "second", "复审（部门负责人）", ReviewerRole.DEPARTMENT_HEAD),
    (3, "final", "终审（领导）", ReviewerRole.LEADER),
]


class WorkflowStep(models.Model):
    """One review step (初审, 复审, 终审): kept as rows so that staff can see and rename them; the last
    step by ``order`` publishes."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    reviewer = models.CharField(_("reviewer"), max_length=20, choices=ReviewerRole.choices)

    class Meta:
        ordering = ["order"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def first(cls) -> WorkflowStep:
        step = cls.objects.order_by("order").first()
        if step is None:  # a flushed database (the migration's rows are gone): the default steps
            for order, code, name, reviewer in DEFAULT_STEPS:
                cls.objects.get_or_create(
                    code=code, defaults={"order": order, "name": name, "reviewer": reviewer}
                )
            step = cls.objects.order_by("order").first()
        return step

    def next(self) -> WorkflowStep | None:
        return WorkflowStep.objects.filter(order__gt=self.order).order_by("order").first()


class SensitiveWord(AuthoredModel):
    word = models.CharField(_("word"), max_length=40, unique=True)
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")

    def __str__(self) -> str:
        return self.word


class NewsItem(AuthoredModel):
    column = models.CharField(_("column"), max_length=10, choices=Column.choices, db_index=True)
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        "self",
        verbose_name=_("special topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"column": Column.TOPIC},
    )
    # Where a 典型案例 came from: the ledger's case or a completed task (read only; policy is not changed).
    source_case = models.ForeignKey(
        "policy.TypicalCase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_task = models.ForeignKey(
        "policy.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A 典型人物 is an expert or an outreach volunteer (exactly one) who has consented to be publicised.
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    volunteer = models.ForeignKey(
        "outreach.Volunteer",
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_note = models.CharField(_("how consent was given"), max_length=200, blank=True)
    # Items handed over by other apps through kexie.news.sources.
    source_kind = models.CharField(_("source"), max_length=40, blank=True, db_index=True)
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)
    external_url = models.CharField(_("link"), max_length=300, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    published_version = models.ForeignKey(
        "ItemVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Withdrawn because the source app no longer shows it (sources.sync_sources): restored if it does again.
    withdrawn_by_source = models.BooleanField(_("withdrawn at the source"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_ref"],
                condition=~models.Q(source_kind=""),
                name="news_one_item_per_source",
            ),
            # A typical person links exactly one of expert / volunteer; other items link neither.
            models.CheckConstraint(
                condition=(
                    models.Q(column=Column.PERSON, expert__isnull=False, volunteer__isnull=True)
                    | models.Q(column=Column.PERSON, expert__isnull=True, volunteer__isnull=False)
                    | (
                        ~models.Q(column=Column.PERSON)
                        & models.Q(expert__isnull=True, volunteer__isnull=True)
                    )
                ),
                name="news_person_links_expert_or_volunteer",
            ),
        ]

    def __str__(self) -> str:
        version = self.published_version or self.latest_version
        return version.title if version else f"#{self.pk}"

    @property
    def latest_version(self) -> ItemVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def expired(self) -> bool:
        """A notice past its validity period: still public (it was said), marked as expired."""
        return bool(self.valid_until and self.valid_until < timezone.localdate())

    @property
    def is_public(self) -> bool:
        v = self.published_version
        return bool(v and self.withdrawn_at is None and v.published_at and v.published_at <= timezone.now())


class ItemVersion(models.Model):
    """One version of an item. A published version is frozen: services refuse to edit it and a change
    starts a new version with its own review."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    state = models.CharField(
        _("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT
    )
    step = models.ForeignKey(WorkflowStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    screen_hits = models.JSONField(_("sensitive words found"), default=list, blank=True)
    # None for an item a source app handed over on no one's behalf (sources.sync_sources).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="news_version_number")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Review(models.Model):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="reviews")
    step = models.ForeignKey(WorkflowStep, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    acknowledged_hits = models.JSONField(default=list, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step} {self.decision}"


class Attachment(models.Model):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="news/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
