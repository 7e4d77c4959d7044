from django.db import models
from django.utils.translation import gettext_lazy as _


class DemandState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    DOCKING = "docking", _("In docking")
    SIGNED = "signed", _("Contract signed")
    CLOSED = "closed", _("Closed")


# States in which a demand is public (listed, searchable, open to matching).
PUBLIC_STATES = (DemandState.PUBLISHED, DemandState.DOCKING, DemandState.SIGNED)


class BudgetRange(models.TextChoices):
    UNDER_10 = "lt10", _("Under 100,000 yuan")
    FROM_10_TO_50 = "10-50", _("100,000–500,000 yuan")
    FROM_50_TO_100 = "50-100", _("500,000–1,000,000 yuan")
    FROM_100_TO_500 = "100-500", _("1–5 million yuan")
    OVER_500 = "gt500", _("Over 5 million yuan")
    NEGOTIABLE = "negotiable", _("Negotiable")


class AchievementKind(models.TextChoices):
    PATENT = "patent", _("Patent")
    PAPER = "paper", _("Paper")
    TECHNOLOGY = "technology", _("Technology")
    SOFTWARE = "software", _("Software")
    OTHER = "other", _("Other")


class Maturity(models.TextChoices):
    LAB = "lab", _("Laboratory")
    PILOT = "pilot", _("Pilot")
    INDUSTRIALISED = "industrialised", _("Industrialised")


class WorkstationKind(models.TextChoices):
    ACADEMICIAN = "academician", _("Academician workstation")
    HAIZHI = "haizhi", _("Haizhi (overseas talent) workstation")
    SCIENCE_COURTYARD = "science_courtyard", _("Science and technology courtyard")
    EXPERT = "expert", _("Expert workstation")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class TargetKind(models.TextChoices):
    """What a docking connects the demand with."""

    EXPERT = "expert", _("Expert")
    ACHIEVEMENT = "achievement", _("Achievement")
    TEAM = "team", _("Service team")


class Outcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    NO_DEAL = "no_deal", _("No deal")
    SIGNED = "signed", _("Contract signed")


class RecordKind(models.TextChoices):
    # Not "Contact": that msgid is the demand's contact person (联系人); this is a contact made (联络).
    CONTACT = "contact", _("Contact made")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")


class SearchKind(models.TextChoices):
    """The kinds of search document this app owns (registered in transfer/search.py), in tab order."""

    ACHIEVEMENT = "achievement", _("Achievement")
    DEMAND = "demand", _("Demand")
    TEAM = "team", _("Service team")
