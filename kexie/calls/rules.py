"""Who may do what in calls and review.

- Call staff: heads and staff of the organiser department (or a department above it in the tree)
  create calls, edit forms and rounds, run the formal check, assignment, ranking, decisions, 公示 and
  objections. Any department head or staff member may create a call for their own department.
- Leaders, supervisors and auditors read every call's staff pages; they change nothing.
- Channel administrators (named on the channel) issue codes, see their channel's dossiers and
  endorse at the channel step; members of a district association or society that is the channel's
  organization may do the same.
- The unit step is endorsed by a member of the nominee's unit (any staff role there).
- Nominees see and edit their own dossiers; reviewers see only what is assigned to them (blind
  rounds hide the nominee's name, unit and private fields).
"""

from __future__ import annotations

from kexie.accounts.enums import GLOBAL_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of

CALL_STAFF_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})
UNIT_ROLES = frozenset(
    {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.DISTRICT_STAFF, Role.SOCIETY_STAFF, Role.ENTERPRISE}
)
READ_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.AUDITOR})


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def staff_organizations(user) -> list:
    return [m.organization for m in active_memberships(user) if m.role in CALL_STAFF_ROLES]


def can_create_call(user) -> bool:
    return bool(staff_organizations(user))


def is_call_staff(user, call) -> bool:
    """Runs this call: a department member at or above the organiser in the tree."""
    organiser_path = call.organiser.path
    return any(organiser_path.startswith(org.path) for org in staff_organizations(user))


def reads_all_calls(user) -> bool:
    return bool(roles_of(user) & (GLOBAL_ROLES - {Role.ADMIN}))


def can_view_staff_pages(user, call) -> bool:
    return is_call_staff(user, call) or reads_all_calls(user)


def can_see_any_staff_page(user) -> bool:
    return can_create_call(user) or reads_all_calls(user)


def is_channel_admin(user, channel) -> bool:
    if not _authenticated(user) or channel is None:
        return False
    if channel.admins.filter(pk=user.pk).exists():
        return True
    return any(
        m.organization_id == channel.organization_id and m.role in (Role.DISTRICT_STAFF, Role.SOCIETY_STAFF)
        for m in active_memberships(user)
    )


def administers_channels(user) -> bool:
    from kexie.calls.models import Channel

    if not _authenticated(user):
        return False
    if Channel.objects.filter(admins=user).exists():
        return True
    orgs = [
        m.organization_id
        for m in active_memberships(user)
        if m.role in (Role.DISTRICT_STAFF, Role.SOCIETY_STAFF)
    ]
    return Channel.objects.filter(organization_id__in=orgs).exists()


def is_unit_member(user, organization_id) -> bool:
    return organization_id is not None and any(
        m.organization_id == organization_id and m.role in UNIT_ROLES for m in active_memberships(user)
    )


def is_applicant(user, submission) -> bool:
    return _authenticated(user) and submission.applicant_id == user.pk


def can_endorse_step(user, submission, step: str) -> bool:
    """May ``user`` endorse ``submission`` at the chain step ``step``?"""
    if step == "unit":
        if submission.organization_id and submission.organization.memberships.filter(is_active=True).exists():
            return is_unit_member(user, submission.organization_id)
        # A unit without accounts in the platform: the channel endorses for it (paper seal attached).
        return is_channel_admin(user, submission.channel)
    if step == "channel":
        return is_channel_admin(user, submission.channel)
    if step == "organiser":
        return is_call_staff(user, submission.call)
    return False


def is_reviewer_user(user, reviewer) -> bool:
    return _authenticated(user) and reviewer.expert.user_id == user.pk


def can_object(user) -> bool:
    return _authenticated(user)


def is_expert_user(user) -> bool:
    from kexie.experts.models import Expert

    return _authenticated(user) and Expert.objects.filter(user=user).exists()
