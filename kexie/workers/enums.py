from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedState(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for triage")
    ROUTED = "routed", _("routed to a department")
    REPLIED = "replied", _("replied")
    REOPENED = "reopened", _("reopened")
    CLOSED = "closed", _("closed")
    MERGED = "merged", _("merged into another need")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    MOSTLY = "mostly", _("mostly satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    RESTRICTED = "restricted", _("restricted")


class ItemType(models.TextChoices):
    MANUSCRIPT = "manuscript", _("manuscript")
    LETTER = "letter", _("letter")
    CERTIFICATE = "certificate", _("certificate")
    PHOTO = "photo", _("photograph")
    AUDIO = "audio", _("audio recording")
    VIDEO = "video", _("video recording")
    ORAL_HISTORY = "oral_history", _("oral history")
    OTHER = "other", _("other")
