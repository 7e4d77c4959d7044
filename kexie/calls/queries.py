"""Permission-scoped reads of calls, dossiers, review assignments and objections."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kexie.accounts.enums import Role
from kexie.accounts.queries import active_memberships
from kexie.calls import rules
from kexie.calls.enums import CallState, SubmissionState
from kexie.calls.models import Assignment, Call, Objection, ReviewRound, Submission
from kexie.core import access as access_rules
from kexie.core.access import access

PUBLIC_CALL_STATES = (
    CallState.OPEN,
    CallState.CLOSED,
    CallState.REVIEW,
    CallState.PUBLICITY,
    CallState.FINAL,
)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff_condition(user, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for org in rules.staff_organizations(user):
        condition |= Q(**{f"{prefix}organiser__path__startswith": org.path})
    return condition


def managed_calls(user) -> QuerySet[Call]:
    """Calls whose staff pages ``user`` may open (run, or read as leader/supervisor/auditor)."""
    if rules.reads_all_calls(user):
        return Call.objects.all()
    if not _authenticated(user):
        return Call.objects.none()
    return Call.objects.filter(_staff_condition(user))


def calls_visible_to(user) -> QuerySet[Call]:
    """Published calls for everyone; drafts only to their staff."""
    public = Q(state__in=PUBLIC_CALL_STATES)
    if not _authenticated(user):
        return Call.objects.filter(public).select_related("organiser")
    return Call.objects.filter(public | Q(pk__in=managed_calls(user).values("pk"))).select_related(
        "organiser"
    )


def access_call(user, pk) -> Call:
    return access(calls_visible_to(user), pk)


def access_managed_call(user, pk) -> Call:
    return access(managed_calls(user).select_related("organiser"), pk)


def _channel_orgs(user) -> list[int]:
    return [
        m.organization_id
        for m in active_memberships(user)
        if m.role in (Role.DISTRICT_STAFF, Role.SOCIETY_STAFF)
    ]


def _unit_orgs(user) -> list[int]:
    return [m.organization_id for m in active_memberships(user) if m.role in rules.UNIT_ROLES]


def submissions_visible_to(user) -> QuerySet[Submission]:
    """Own dossiers; the call staff's calls (not drafts); a channel's dossiers for its administrators;
    a unit's submitted dossiers for its members. Reviewers reach dossiers through their assignments."""
    if not _authenticated(user):
        return Submission.objects.none()
    not_draft = ~Q(state=SubmissionState.DRAFT)
    condition = Q(applicant=user)
    condition |= not_draft & Q(call__in=managed_calls(user).values("pk"))
    condition |= Q(channel__admins=user) | Q(channel__organization_id__in=_channel_orgs(user))
    condition |= not_draft & Q(organization_id__in=_unit_orgs(user))
    return Submission.objects.filter(pk__in=Submission.objects.filter(condition).values("pk")).select_related(
        "call", "call__organiser", "channel", "channel__organization", "applicant", "organization"
    )


def access_submission(user, pk) -> Submission:
    return access(submissions_visible_to(user), pk)


def can_view_submission(user, submission: Submission) -> bool:
    return submissions_visible_to(user).filter(pk=submission.pk).exists()


def rounds_visible_to(user) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(call__in=managed_calls(user).values("pk")).select_related("call")


def access_round(user, pk) -> ReviewRound:
    return access(rounds_visible_to(user), pk)


def assignments_of(user) -> QuerySet[Assignment]:
    """A reviewer's own active assignments."""
    if not _authenticated(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(reviewer__expert__user=user, active=True).select_related(
        "round", "round__call", "submission", "submission__call", "reviewer", "reviewer__expert"
    )


def access_assignment(user, pk) -> Assignment:
    return access(assignments_of(user), pk)


def objections_visible_to(user) -> QuerySet[Objection]:
    """Call staff see the objections of their calls; everyone else their own."""
    if not _authenticated(user):
        return Objection.objects.none()
    condition = Q(by=user) | Q(submission__call__in=managed_calls(user).values("pk"))
    return Objection.objects.filter(condition).select_related("submission", "submission__call")


def access_objection(user, pk) -> Objection:
    return access(objections_visible_to(user), pk)


def publicity_list(call: Call) -> QuerySet[Submission]:
    """What the public page shows during 公示: the selected dossiers, no personal data beyond name,
    unit and title."""
    return (
        call.submissions.filter(
            state__in=[SubmissionState.DECIDED, SubmissionState.FINAL], decision="selected"
        )
        .select_related("channel__organization")
        .order_by("rank", "pk")
    )


access_rules.register("calls.call", visible=calls_visible_to, access=access_call)
access_rules.register(
    "calls.submission", visible=submissions_visible_to, access=access_submission, can_view=can_view_submission
)
access_rules.register("calls.assignment", visible=assignments_of, access=access_assignment)
access_rules.register("calls.objection", visible=objections_visible_to, access=access_objection)
