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


class TalkState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    SCHEDULED = "scheduled", _("scheduled")
    DELIVERED = "delivered", _("delivered")
    DECLINED = "declined", _("declined")


class SessionKind(models.TextChoices):
    SEMINAR = "seminar", _("科技英才专题研修班")
    LEADERS_LECTURE = "leaders_lecture", _("重庆领导干部科技讲堂")
    TALENT_LECTURE = "talent_lecture", _("英才讲堂")
    CAMPAIGN = "campaign", _("主题大宣讲")
    DEBATE = "debate", _("科学道德和学风建设辩论赛")
