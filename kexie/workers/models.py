"""Services for sci-tech workers (科技工作者之家): needs (诉求, measure 6) routed to departments as 督办
tasks and rated by the scientist; joint meetings (联席会议) whose decisions become tasks; the old
scientists' archive (老科学家学术成长资料采集工程, measure 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kexie.core.fields import EncryptedTextField
from kexie.core.models import AuthoredModel
from kexie.workers.enums import AccessLevel, ItemType, NeedState, Rating, SessionKind, TalkState


class NeedCategory(models.Model):
    """诉求类别, kept as data (staff may add one; the seed has the notice's eight)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")

    def __str__(self) -> str:
        return self.name


class Need(AuthoredModel):
    receipt = models.CharField(_("receipt number"), max_length=20, unique=True)
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="needs"
    )
    category = models.ForeignKey(NeedCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    anonymous = models.BooleanField(_("anonymous towards the department"), default=False)
    contact_mobile = EncryptedTextField(_("contact mobile"), blank=True)
    contact_email = EncryptedTextField(_("contact e-mail"), blank=True)
    district = models.CharField(_("district"), max_length=12, blank=True)
    organization_name = models.CharField(_("work unit"), max_length=120, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=NeedState.choices, default=NeedState.SUBMITTED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    routed_to = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routed_needs",
    )
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    task = models.ForeignKey(
        "policy.Task", verbose_name=_("supervision task"), on_delete=models.SET_NULL, null=True, blank=True
    )
    reopened = models.BooleanField(_("reopened once"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["state"]), models.Index(fields=["routed_to", "state"])]

    def __str__(self) -> str:
        return f"{self.receipt} {self.title}"


class NeedAttachment(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="needs/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class NeedReply(models.Model):
    """A department's reply, then the scientist's rating of it (one reply per round; two rounds at most)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    text = models.TextField(_("reply"))
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("replied at"), auto_now_add=True)
    on_time = models.BooleanField(_("on time"), default=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_reason = models.TextField(_("reason"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        ordering = ["need", "round"]
        constraints = [models.UniqueConstraint(fields=["need", "round"], name="workers_one_reply_per_round")]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.need_id}#{self.round}"


class JointMeetingMember(models.Model):
    """A member unit of the joint meeting (联席会议成员单位), kept as an organization."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, related_name="joint_meeting_membership"
    )
    contact_role = models.CharField(_("liaison"), max_length=60, blank=True)
    joined = models.DateField(_("joined"), null=True, blank=True)

    class Meta:
        ordering = ["organization__sort_order", "organization__name"]
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")

    def __str__(self) -> str:
        return self.organization.name


class JointMeeting(AuthoredModel):
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(JointMeetingMember, verbose_name=_("units present"), blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")

    def __str__(self) -> str:
        return self.title


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    responsible = models.ForeignKey(
        JointMeetingMember,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    due_date = models.DateField(_("due date"))
    task = models.ForeignKey(
        "policy.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self) -> str:
        return self.text[:40]


class ArchiveCollection(AuthoredModel):
    """One old scientist's collection (采集对象): the person and the materials collected about them."""

    scientist_name = models.CharField(_("scientist"), max_length=60)
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("expert profile"), on_delete=models.SET_NULL, null=True, blank=True
    )
    born = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    field = models.CharField(_("field"), max_length=120, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    access = models.CharField(
        _("access level"), max_length=12, choices=AccessLevel.choices, default=AccessLevel.INTERNAL
    )

    class Meta:
        ordering = ["scientist_name"]
        verbose_name = _("archive collection")
        verbose_name_plural = _("archive collections")

    def __str__(self) -> str:
        return self.scientist_name


class ArchiveItem(AuthoredModel):
    """A catalogued item, Dublin Core style; the file is stored with its SHA-256 and re-verified."""

    collection = models.ForeignKey(ArchiveCollection, on_delete=models.PROTECT, related_name="items")
    identifier = models.CharField(_("identifier"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    creator = models.CharField(_("creator"), max_length=120)
    date = models.CharField(_("date"), max_length=20, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    item_type = models.CharField(_("type"), max_length=20, choices=ItemType.choices)
    extent = models.CharField(_("extent"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    subject = models.CharField(_("subject keywords"), max_length=200, blank=True)
    rights = models.CharField(_("rights"), max_length=200)
    provenance = models.CharField(_("provenance"), max_length=200)
    access = models.CharField(_("access level"), max_length=12, choices=AccessLevel.choices)
    file = models.FileField(_("file"), upload_to="archive/%Y/")
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=80)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verify_failed = models.BooleanField(_("checksum mismatch"), default=False)

    class Meta:
        ordering = ["collection", "identifier"]
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        indexes = [models.Index(fields=["access"])]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"


class SpiritSpeaker(AuthoredModel):
    """A member of the 科学家精神报告团, linked to the expert library when the person is in it."""

    name = models.CharField(_("name"), max_length=60)
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("expert profile"), on_delete=models.SET_NULL, null=True, blank=True
    )
    title = models.CharField(_("title or position"), max_length=120, blank=True)
    topics = models.CharField(_("talk topics"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class SpiritTalk(AuthoredModel):
    """A talk requested by a unit or district, scheduled with a speaker, then delivered and reported."""

    requester = models.ForeignKey(
        "accounts.Organization", verbose_name=_("requesting unit"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=120)
    preferred_date = models.DateField(_("preferred date"))
    expected_audience = models.PositiveIntegerField(_("expected audience"))
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=TalkState.choices, default=TalkState.REQUESTED
    )
    speaker = models.ForeignKey(
        SpiritSpeaker,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
    )
    scheduled_at = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="talks/%Y/", blank=True)
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-preferred_date"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")

    def __str__(self) -> str:
        return self.topic


class SpiritBase(AuthoredModel):
    """科学家精神教育基地."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    district = models.CharField(_("district"), max_length=12)
    host = models.CharField(_("host unit"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    designated_year = models.PositiveSmallIntegerField(_("designated in"))

    class Meta:
        ordering = ["designated_year", "name"]
        verbose_name = _("education base")
        verbose_name_plural = _("education bases")

    def __str__(self) -> str:
        return self.name


class SpiritBaseReport(AuthoredModel):
    base = models.ForeignKey(SpiritBase, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    activities = models.PositiveIntegerField(_("activities held"))
    visitors = models.PositiveIntegerField(_("visitors"))
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["base", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["base", "year"], name="workers_one_base_report_a_year")
        ]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self) -> str:
        return f"{self.base} {self.year}"


class TrainingSession(AuthoredModel):
    """A training or lecture session (研修班, 讲堂, 宣讲, 辩论赛) with enrolment and QR check-in."""

    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"))
    enrol_until = models.DateTimeField(_("enrolment closes"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    attended_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    feedback_score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        ordering = ["session", "enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="workers_enrol_once")]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.session_id}:{self.user_id}"
