"""States and kinds of the think tank (TextChoices only)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BaseKind(models.TextChoices):
    RESEARCH_CENTRE = "research_centre", _("research centre")
    CAST_BRANCH = "cast_branch", _("branch of a CAST institute")
    DISTRICT_PLATFORM = "district_platform", _("district think-tank platform")
    UNIVERSITY = "university", _("university or institute")
    SOCIETY = "society", _("society doing decision consulting")
    PRIVATE_NONPROFIT = "private_nonprofit", _("private non-enterprise research unit")


class Field(models.TextChoices):
    """Research fields of questions, topics, bases and results."""

    STRATEGY = "strategy", _("science and technology strategy")
    INNOVATION = "innovation", _("regional innovation")
    TALENT = "talent", _("science and technology talent")
    ORGANIZATION = "organization", _("science and technology organizations")
    INDUSTRY = "industry", _("industry and economy")
    SOCIETY = "society", _("society and livelihood")
    ECOLOGY = "ecology", _("ecology and environment")


class QuestionState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    MERGED = "merged", _("merged into another")
    IN_GUIDE = "in_guide", _("in the topic guide")
    DECLINED = "declined", _("declined")


class GuideState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", pgettext_lazy("guide", "published")


class ProjectKind(models.TextChoices):
    TOPIC = "topic", _("topic research")
    EVALUATION = "evaluation", _("third-party evaluation")
    CONSULTATION = "consultation", _("science and technology consultation")


class ProjectState(models.TextChoices):
    UNDER_WAY = "under_way", _("under way")
    MIDTERM_PASSED = "midterm_passed", _("mid-term review passed")
    COMPLETED = "completed", _("completed")
    TERMINATED = "terminated", _("terminated")


OPEN_PROJECT_STATES = (ProjectState.UNDER_WAY, ProjectState.MIDTERM_PASSED)


class ReviewStage(models.TextChoices):
    MIDTERM = "midterm", _("mid-term review")
    FINAL = "final", _("final review")


class ReviewConclusion(models.TextChoices):
    PASSED = "passed", _("passed")
    REVISE = "revise", _("revise and resubmit")
    FAILED = "failed", _("failed")


class ResultKind(models.TextChoices):
    REPORT = "report", _("research report")
    PAPER = "paper", _("paper")
    BRIEF = "brief", _("brief")
    EVALUATION = "evaluation", _("evaluation report")
    OTHER = "other", _("other")


class Access(models.TextChoices):
    INTERNAL = "internal", _("internal")
    PUBLIC = "public", _("public")


class BriefState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("editor review")
    AWAITING_SIGNOFF = "awaiting_signoff", _("awaiting leader sign-off")
    SIGNED = "signed", _("signed off")
    ISSUED = "issued", _("issued")


class FeedbackKind(models.TextChoices):
    INSTRUCTION = "instruction", _("leader's instruction")
    ADOPTION = "adoption", _("adoption into a policy document")
    TRANSFER = "transfer", _("transfer to a department")


class FeedbackLevel(models.TextChoices):
    CITY_LEADER = "city_leader", _("city leader")
    DEPARTMENT = "department", _("department")


class EventKind(models.TextChoices):
    ANNUAL_MEETING = "annual_meeting", _("annual meeting")
    SEMINAR = "seminar", _("seminar")


class SearchKind(models.TextChoices):
    """The kinds of search document this app owns (registered in thinktank/search.py)."""

    RESULT = "thinktank_result", _("Think-tank result")
    QUESTION = "thinktank_question", _("Research question")
