"""Permission predicates of the literacy module, used by views and the API alike.

Who does what: the 科学技术普及部 (science popularisation department) keeps the question bank, the reader,
assessments and contests; a second member of it reviews each question. Leaders, supervisors, auditors and
district staff read the statistics (district staff their own district first). Citizens (any signed-in
account with a contestant profile) take contests and assessments.
"""

from __future__ import annotations

from kexie.accounts.enums import Role
from kexie.accounts.queries import active_memberships, is_business_staff
from kexie.literacy.enums import PublishState, ReviewState
from kexie.literacy.models import Assessment, Chapter, Contest, Question

# The department that runs 一书一赛一测评 (measure 9's lead department).
LITERACY_DEPARTMENT = "科学技术普及部"
EDITOR_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})


def is_literacy_editor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.role in EDITOR_ROLES and m.organization.name == LITERACY_DEPARTMENT
        for m in active_memberships(user)
    )


def can_manage_questions(user) -> bool:
    return is_literacy_editor(user)


def can_view_question(user, question: Question) -> bool:
    """The bank is the editors' working material: nobody else sees a question outside a paper."""
    return is_literacy_editor(user)


def can_review_question(user, question: Question) -> bool:
    # Four eyes: the author may not pass their own item.
    return (
        is_literacy_editor(user)
        and question.state == ReviewState.DRAFT
        and question.created_by_id != getattr(user, "pk", None)
    )


def can_edit_question(user, question: Question) -> bool:
    return is_literacy_editor(user) and question.state != ReviewState.REVIEWED


def can_view_chapter(user, chapter: Chapter) -> bool:
    return chapter.state == PublishState.PUBLISHED or is_literacy_editor(user)


def can_manage_chapters(user) -> bool:
    return is_literacy_editor(user)


def can_manage_assessments(user) -> bool:
    return is_literacy_editor(user)


def can_take_assessment(user, assessment: Assessment) -> bool:
    """A published paper, unless it is the instrument of an annual survey: respondents answer that one
    through the survey, and an open paper would show its answer key after submission."""
    return (
        getattr(user, "is_authenticated", False)
        and assessment.state == PublishState.PUBLISHED
        and not assessment.surveys.exists()
    )


def can_view_assessment(user, assessment: Assessment) -> bool:
    return can_manage_assessments(user) or can_take_assessment(user, assessment)


def can_manage_contests(user) -> bool:
    return is_literacy_editor(user)


def can_take_contest(user, contest: Contest) -> bool:
    return getattr(user, "is_authenticated", False) and contest.state == PublishState.PUBLISHED


def can_view_statistics(user) -> bool:
    """Participation statistics, assessment results by district, the sampling planner."""
    return is_business_staff(user)


def can_manage_estimates(user) -> bool:
    return is_literacy_editor(user)


def can_manage_surveys(user) -> bool:
    """Create the annual literacy survey (the survey's distribution and margins follow the surveys rules)."""
    return is_literacy_editor(user)


def can_view_survey_results(user) -> bool:
    return can_view_statistics(user)


def can_manage_rules(user) -> bool:
    """Scoring thresholds and which rule a paper uses."""
    return is_literacy_editor(user)
