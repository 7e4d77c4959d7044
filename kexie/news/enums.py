from django.db import models
from django.utils.translation import gettext_lazy as _


class Column(models.TextChoices):
    NOTICE = "notice", _("Notices and announcements")
    NEWS = "news", _("News and updates")
    CASE = "case", _("Typical cases")
    PERSON = "person", _("Typical people")
    TOPIC = "topic", _("Special topics")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ReviewerRole(models.TextChoices):
    """Who acts at a workflow step (rules.can_act_at_step maps each to the memberships it needs)."""

    EDITOR = "editor", _("editor (publicity department)")
    DEPARTMENT_HEAD = "department_head", _("head of the writing department")
    LEADER = "leader", _("leader")


class Decision(models.TextChoices):
    PASS = "pass", _("passed")
    RETURN = "return", _("returned")
