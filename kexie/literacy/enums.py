from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    TRUE_FALSE = "true_false", _("true or false")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")
    REJECTED = "rejected", _("rejected in review")


class Audience(models.TextChoices):
    YOUTH = "youth", _("youth")
    FARMERS = "farmers", _("farmers")
    WORKERS = "workers", _("workers")
    ELDERLY = "elderly", _("elderly")
    OFFICIALS = "officials", _("officials")


class PublishState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class RuleKind(models.TextChoices):
    GRADED = "graded", _("graded (100 points, tiers)")
    BENCHMARK = "benchmark", _("benchmark (points per item, pass share)")


class EstimateSource(models.TextChoices):
    PUBLISHED = "published", _("published")
    SURVEY = "survey", _("sample survey")
    ASSESSMENT = "assessment", _("assessment")
