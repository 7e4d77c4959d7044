from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONFIRMED = "confirmed", _("confirmed")


class TaskState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETION_REQUESTED = "completion_requested", _("completion requested")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATES = (TaskState.DRAFT, TaskState.IN_PROGRESS, TaskState.COMPLETION_REQUESTED)


class TaskSource(models.TextChoices):
    NOTICE = "notice", _("notice measure")
    INSTRUCTION = "instruction", _("leader's instruction")
    MEETING = "meeting", _("meeting decision")
    NEED = "need", _("sci-tech worker's need")
    BRIEF = "brief", _("think-tank brief")
    OTHER = "other", _("other")


class Light(models.TextChoices):
    GREEN = "green", _("on track")
    AMBER = "amber", _("due soon")
    RED = "red", _("overdue or report missing")
    DONE = "done", _("completed")
    GREY = "grey", _("not started or cancelled")


class ChangeKind(models.TextChoices):
    DUE_DATE = "due_date", _("due-date adjustment")
    CANCEL = "cancel", _("cancellation")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class CaseState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    PUBLISHED = "published", _("published")


class Comparator(models.TextChoices):
    GT = ">", _("more than")
    GE = ">=", _("at least")
    LT = "<", _("less than")
    LE = "<=", _("at most")
    EQ = "=", _("equal to")
    ABOUT = "~", _("about")


class ScanState(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("recognising")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
