from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("national (nominated by the association)")
    MUNICIPAL = "municipal", _("Chongqing (run by the association)")


class AwardKind(models.TextChoices):
    AWARD = "award", _("award")
    CAMPAIGN = "campaign", _("selection campaign")


class RoundState(models.TextChoices):
    """A yearly round of an award or campaign, as the talent app sees it (the call engine runs the
    nomination and review inside it)."""

    PREPARING = "preparing", _("preparing")
    NOMINATING = "nominating", _("nominating")
    REVIEWING = "reviewing", _("in review")
    PUBLICITY = "publicity", _("in publicity")
    CLOSED = "closed", _("results published")


class NominationOutcome(models.TextChoices):
    PENDING = "pending", _("awaiting the outcome")
    RECOMMENDED = "recommended", _("recommended upwards")
    WINNER = "winner", _("winner")
    NOT_SELECTED = "not_selected", _("not selected")


class CohortState(models.TextChoices):
    SELECTING = "selecting", _("selecting")
    SUPPORTING = "supporting", _("supporting")
    FINISHED = "finished", _("finished")


class SupportState(models.TextChoices):
    ACTIVE = "active", _("supported")
    COMPLETED = "completed", _("support completed")
    TERMINATED = "terminated", _("support terminated")


class InstalmentState(models.TextChoices):
    PLANNED = "planned", _("planned")
    PAID = "paid", _("paid")
    WITHHELD = "withheld", _("withheld")


class ReportState(models.TextChoices):
    DUE = "due", _("due")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for revision")


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")


class PairState(models.TextChoices):
    ACTIVE = "active", _("active")
    ENDED = "ended", _("ended")


class PairActivityKind(models.TextChoices):
    GUIDANCE = "guidance", _("guidance session")
    LECTURE = "lecture", _("academic lecture")
    EXCHANGE = "exchange", _("academic exchange")
    JOINT_RESEARCH = "joint_research", _("joint research")
    VISIT = "visit", _("visit")


class Academy(models.TextChoices):
    CAS = "cas", _("Chinese Academy of Sciences")
    CAE = "cae", _("Chinese Academy of Engineering")


class CandidateState(models.TextChoices):
    PREPARING = "preparing", _("preparing materials")
    NOMINATED = "nominated", _("nominated")
    FIRST_ROUND = "first_round", _("passed the first round")
    ELECTED = "elected", _("elected")
    NOT_ELECTED = "not_elected", _("not elected")


class ServiceKind(models.TextChoices):
    MATERIALS = "materials", _("materials review")
    CONSULTATION = "consultation", _("consultation")
    COORDINATION = "coordination", _("coordination with units")
    TRAINING = "training", _("defence rehearsal")
    OTHER = "other", _("other service")


class EngagementKind(models.TextChoices):
    CONSULTING = "consulting", _("consulting")
    JOINT_LAB = "joint_lab", _("joint laboratory or platform")
    PROJECT = "project", _("research project")
    LECTURE = "lecture", _("lecture or forum")
    POST = "post", _("part-time post")


class EngineerField(models.TextChoices):
    MECHANICAL = "mechanical", _("mechanical and automotive")
    ELECTRONIC = "electronic", _("electronics and information")
    MATERIALS = "materials", _("materials and chemicals")
    CIVIL = "civil", _("civil and transport")
    ENERGY = "energy", _("energy and power")
    BIOMEDICAL = "biomedical", _("biomedicine")
    OTHER = "other", _("other field")
