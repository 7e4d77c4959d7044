from django.db import models
from django.utils.translation import gettext_lazy as _


class CallState(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for applications")
    CLOSED = "closed", _("closed, checking")
    REVIEW = "review", _("in review")
    PUBLICITY = "publicity", _("in publicity")
    FINAL = "final", _("results published")
    CANCELLED = "cancelled", _("cancelled")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, awaiting endorsement")
    ENDORSED = "endorsed", _("endorsed, awaiting formal check")
    RETURNED = "returned", _("returned for correction")
    ACCEPTED = "accepted", _("passed formal check")
    IN_REVIEW = "in_review", _("in review")
    DECIDED = "decided", _("decided")
    FINAL = "final", _("final")
    WITHDRAWN = "withdrawn", _("withdrawn")


# A nominee may still change or withdraw the dossier in these states.
EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)
WITHDRAWABLE_STATES = (
    SubmissionState.DRAFT,
    SubmissionState.SUBMITTED,
    SubmissionState.ENDORSED,
    SubmissionState.RETURNED,
    SubmissionState.ACCEPTED,
)
# Counted against a channel's quota (everything submitted and not withdrawn).
QUOTA_STATES = (
    SubmissionState.SUBMITTED,
    SubmissionState.ENDORSED,
    SubmissionState.RETURNED,
    SubmissionState.ACCEPTED,
    SubmissionState.IN_REVIEW,
    SubmissionState.DECIDED,
    SubmissionState.FINAL,
)


class Decision(models.TextChoices):
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")


class RoundKind(models.TextChoices):
    REMOTE = "remote", _("remote scoring")
    PANEL = "panel", _("panel meeting")


class RoundState(models.TextChoices):
    SETUP = "setup", _("setting up")
    SCORING = "scoring", _("reviewing")
    CLOSED = "closed", _("closed")


class ReviewerState(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    REPLACED = "replaced", _("replaced")


class AssignmentSource(models.TextChoices):
    SOLVER = "solver", _("optimiser (min-cost flow)")
    GREEDY = "greedy", _("greedy fallback")
    PIN = "pin", _("pinned by staff")
    REPLACEMENT = "replacement", _("replacement")


class ConstraintKind(models.TextChoices):
    PIN = "pin", _("pin")
    FORBID = "forbid", _("forbid")


class Vote(models.TextChoices):
    YES = "yes", _("in favour")
    NO = "no", _("against")
    ABSTAIN = "abstain", _("abstain")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("mean")
    TRIMMED = "trimmed", _("trimmed mean (highest and lowest dropped)")
    ZSCORE = "zscore", _("per-reviewer z-score normalisation")


class ObjectionState(models.TextChoices):
    RECEIVED = "received", _("received")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


class FormalOutcome(models.TextChoices):
    PASS = "pass", _("passed")
    RETURN = "return", _("returned")
