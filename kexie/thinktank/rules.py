"""Who may see and do what in the think tank: one predicate per action, used by pages, exports and API.

- 战略发展部 (head and staff) runs the think tank: the network, the question bank, guides, projects,
  results, briefs and feedback. Its *head* is the editor who reviews a brief; a *leader* signs it off.
- 宣传文化部 shares the dissemination work (measure 15): the public column and meetings.
- Internal results, draft briefs and projects stay with the association's staff (STAFF_ROLES);
  the public (anyone, signed in or not) sees public results only, through the column, the feed,
  the search page and the public export.
- Anyone signed in proposes questions and sees their own; a project's account sees its project and
  its own deliverables (internal ones too).
"""

from __future__ import annotations

from kexie.accounts.enums import STAFF_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.thinktank.enums import OPEN_PROJECT_STATES, Access, BriefState

THINKTANK_DEPARTMENT = "战略发展部"
DISSEMINATION_DEPARTMENTS = frozenset({THINKTANK_DEPARTMENT, "宣传文化部"})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})


def _in_departments(user, names, roles=DEPARTMENT_ROLES) -> bool:
    return any(m.role in roles and m.organization.name in names for m in active_memberships(user))


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage(user) -> bool:
    """Run the think tank: 战略发展部's head and staff."""
    return _in_departments(user, {THINKTANK_DEPARTMENT})


def is_editor(user) -> bool:
    """Review briefs (编辑审核): the head of 战略发展部."""
    return _in_departments(user, {THINKTANK_DEPARTMENT}, roles={Role.DEPARTMENT_HEAD})


def is_leader(user) -> bool:
    return Role.LEADER in roles_of(user)


def can_oversee(user) -> bool:
    """See all of the think tank's internal work: its managers and the leaders."""
    return can_manage(user) or is_leader(user)


def can_view_internal(user) -> bool:
    """Internal results and issued briefs: the association's staff roles."""
    return bool(roles_of(user) & STAFF_ROLES)


def can_disseminate(user) -> bool:
    """Put results in the public column, record meetings and their viewpoints."""
    return _in_departments(user, DISSEMINATION_DEPARTMENTS)


# --- questions -----------------------------------------------------------------------------------------


def can_propose_question(user) -> bool:
    return is_signed_in(user)


def can_curate_questions(user) -> bool:
    return can_manage(user)


# --- results ----------------------------------------------------------------------------------------


def can_view_result(user, result) -> bool:
    if result.access == Access.PUBLIC or can_view_internal(user):
        return True
    return result.project_id is not None and is_signed_in(user) and result.project.owner_id == user.pk


def can_edit_result(user, result) -> bool:
    return can_manage(user) or (
        result.project_id is not None and is_signed_in(user) and result.project.owner_id == user.pk
    )


# --- projects ---------------------------------------------------------------------------------------------


def can_view_project(user, project) -> bool:
    return can_view_internal(user) or (is_signed_in(user) and project.owner_id == user.pk)


def can_deliver(user, project) -> bool:
    """Upload a deliverable: the project's account or the managers, while the project runs."""
    return project.state in OPEN_PROJECT_STATES and (
        can_manage(user) or (is_signed_in(user) and project.owner_id == user.pk)
    )


# --- briefs --------------------------------------------------------------------------------------------


def can_view_brief(user, brief) -> bool:
    if can_oversee(user) or is_editor(user):
        return True
    return brief.state == BriefState.ISSUED and can_view_internal(user)


def can_write_brief(user) -> bool:
    return can_manage(user)


def can_review_brief(user, brief) -> bool:
    return brief.state == BriefState.IN_REVIEW and is_editor(user)


def can_sign_off(user, brief) -> bool:
    return brief.state == BriefState.AWAITING_SIGNOFF and is_leader(user)


def can_issue(user, brief) -> bool:
    return brief.state == BriefState.SIGNED and can_manage(user)


def can_record_feedback(user, brief) -> bool:
    return brief.state == BriefState.ISSUED and can_manage(user)
