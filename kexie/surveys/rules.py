"""Who may do what with surveys: one predicate per action, used by pages and API alike.

Survey owners are the department staff and heads of the owning organization, and leaders (not the
administrators, who manage accounts). Supervisors and auditors read every survey's distribution and
results; a station
(e.g. a district association) reads the progress of the surveys it holds invitation codes for.
"""

from __future__ import annotations

from kexie.accounts.enums import Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.surveys.enums import SurveyState
from kexie.surveys.models import Survey

OWNER_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})
# Not the administrators: they manage accounts, not survey results (三员分立).
ALL_SURVEYS_ROLES = frozenset({Role.LEADER})
READ_ALL_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.AUDITOR})


def owner_organization_ids(user) -> set[int]:
    return {m.organization_id for m in active_memberships(user) if m.role in OWNER_ROLES}


def station_organization_ids(user) -> set[int]:
    return {m.organization_id for m in active_memberships(user)}


def can_create_survey(user) -> bool:
    return bool(roles_of(user) & ALL_SURVEYS_ROLES) or bool(owner_organization_ids(user))


def can_manage_survey(user, survey: Survey) -> bool:
    """Build, publish, close, distribute, upload margins and weight."""
    return bool(roles_of(user) & ALL_SURVEYS_ROLES) or survey.organization_id in owner_organization_ids(user)


def can_edit_questions(user, survey: Survey) -> bool:
    return survey.state == SurveyState.DRAFT and can_manage_survey(user, survey)


def can_publish_survey(user, survey: Survey) -> bool:
    return survey.state == SurveyState.DRAFT and can_manage_survey(user, survey)


def can_close_survey(user, survey: Survey) -> bool:
    return survey.state == SurveyState.PUBLISHED and can_manage_survey(user, survey)


def can_revise_survey(user, survey: Survey) -> bool:
    """Start the next version of a published or closed survey."""
    return survey.state != SurveyState.DRAFT and can_manage_survey(user, survey)


def can_issue_invitations(user, survey: Survey) -> bool:
    return survey.state == SurveyState.PUBLISHED and can_manage_survey(user, survey)


def can_view_results(user, survey: Survey) -> bool:
    return bool(roles_of(user) & READ_ALL_ROLES) or can_manage_survey(user, survey)


def can_view_survey(user, survey: Survey, station_ids: set[int] | None = None) -> bool:
    """See the survey and its distribution progress. ``station_ids``: the organizations the survey
    has invitation batches for, when the caller has them at hand."""
    if can_view_results(user, survey):
        return True
    if station_ids is None:
        station_ids = set(survey.batches.values_list("organization_id", flat=True))
    return bool(station_ids & station_organization_ids(user))


def can_weight_survey(user, survey: Survey) -> bool:
    return survey.state != SurveyState.DRAFT and can_manage_survey(user, survey)
