"""Who may do what in the supervision ledger: one predicate per action, used by pages and API."""

from __future__ import annotations

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.policy.enums import OPEN_STATES, CaseState, NoticeState, TaskState
from kexie.policy.models import Measure, Notice, Task, TypicalCase

# Roles that act for a department: they report on its tasks.
DEPARTMENT_ROLES = frozenset(
    {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.DISTRICT_STAFF, Role.SOCIETY_STAFF}
)
# Roles that oversee the whole ledger.
OVERSIGHT_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.AUDITOR})
# Roles that may open the district view of any district association: the ledger's overseers and the
# association's own departments. A district association's staff see their own district only.
ANY_DISTRICT_ROLES = OVERSIGHT_ROLES | {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}


def department_ids(user) -> set[int]:
    """Organizations for which the user acts as a department."""
    return {m.organization_id for m in active_memberships(user) if m.role in DEPARTMENT_ROLES}


def sees_all_tasks(user) -> bool:
    return bool(roles_of(user) & OVERSIGHT_ROLES)


def task_scope(user) -> str | tuple[int, ...]:
    """What decides which tasks ``user`` sees (``queries.tasks_visible_to``): everything, or the tasks of
    these departments. Pages kept for one reader may be shown to every reader of the same scope."""
    return "all" if sees_all_tasks(user) else tuple(sorted(department_ids(user)))


def _cooperating_ids(task: Task) -> set[int]:
    cached = getattr(task, "_prefetched_objects_cache", {}).get("cooperating")
    if cached is not None:
        return {o.pk for o in cached}
    return set(task.cooperating.values_list("pk", flat=True))


def own_district_ids(user) -> set[int]:
    """District associations in which the user works as district staff."""
    return {
        m.organization_id
        for m in active_memberships(user)
        if m.role == Role.DISTRICT_STAFF and m.organization.kind == OrganizationKind.DISTRICT_ASSOCIATION
    }


def can_view_any_district(user) -> bool:
    return bool(roles_of(user) & ANY_DISTRICT_ROLES)


def can_view_districts(user) -> bool:
    """Whether the district view is open to the user at all (any district, or their own)."""
    return can_view_any_district(user) or bool(own_district_ids(user))


def can_view_district(user, district) -> bool:
    """One district's view: the overseers and departments for any district, district staff for theirs."""
    if district.kind != OrganizationKind.DISTRICT_ASSOCIATION:
        return False
    return can_view_any_district(user) or district.pk in own_district_ids(user)


def can_view_dashboard(user) -> bool:
    """Leaders, supervisors and auditors see every task; a department sees its own."""
    return sees_all_tasks(user) or bool(department_ids(user))


def can_view_notice(user, notice: Notice) -> bool:
    """A confirmed notice is the ledger's; a draft only for those who import notices."""
    return notice.state == NoticeState.CONFIRMED or can_import_notice(user)


def can_view_case(user, case: TypicalCase) -> bool:
    """A published case is everyone's; otherwise the overseers' and its organization's."""
    return (
        case.state == CaseState.PUBLISHED
        or sees_all_tasks(user)
        or case.organization_id in department_ids(user)
    )


def can_view_task(user, task: Task) -> bool:
    if sees_all_tasks(user):
        return True
    mine = department_ids(user)
    return task.lead_id in mine or bool(mine & _cooperating_ids(task))


def is_lead_member(user, task: Task) -> bool:
    return task.lead_id in department_ids(user)


def is_cooperating_member(user, task: Task) -> bool:
    return bool(department_ids(user) & _cooperating_ids(task))


def can_report(user, task: Task) -> bool:
    return task.state in OPEN_STATES and (is_lead_member(user, task) or is_cooperating_member(user, task))


def can_request_completion(user, task: Task) -> bool:
    return task.state == TaskState.IN_PROGRESS and is_lead_member(user, task)


def can_request_change(user, task: Task) -> bool:
    return task.state in OPEN_STATES and (is_lead_member(user, task) or can_break_down(user, task.measure))


def can_decide(user) -> bool:
    """Approve completion, return a task, decide due-date changes and cancellations: leaders."""
    return Role.LEADER in roles_of(user)


def can_import_notice(user) -> bool:
    return bool(roles_of(user) & {Role.LEADER, Role.SUPERVISOR})


def can_break_down(user, measure: Measure | None) -> bool:
    """Create and split tasks, set due dates and milestones: supervisors, leaders, and the head of the
    measure's lead department."""
    if roles_of(user) & {Role.LEADER, Role.SUPERVISOR}:
        return True
    if measure is None:
        return False
    heads = {m.organization_id for m in active_memberships(user) if m.role == Role.DEPARTMENT_HEAD}
    return measure.department_links.filter(is_lead=True, organization_id__in=heads).exists()


def can_edit_task(user, task: Task) -> bool:
    return task.state in OPEN_STATES and (can_break_down(user, task.measure) or is_lead_member(user, task))


def can_remind(user) -> bool:
    return bool(roles_of(user) & {Role.LEADER, Role.SUPERVISOR})


def can_record_indicator(user) -> bool:
    return bool(roles_of(user) & {Role.LEADER, Role.SUPERVISOR})


def can_write_case(user, task: Task) -> bool:
    return is_lead_member(user, task) or is_cooperating_member(user, task)


def can_publish_case(user, case: TypicalCase) -> bool:
    return Role.LEADER in roles_of(user) and case.state == CaseState.SUBMITTED


def can_import_breakdown(user) -> bool:
    """Who may bring an edited breakdown table back at all; each changed row is then checked against
    can_break_down / can_edit_task for its own measure and task."""
    return bool(roles_of(user) & {Role.LEADER, Role.SUPERVISOR, Role.DEPARTMENT_HEAD})


def can_export(user) -> bool:
    return sees_all_tasks(user) or bool(department_ids(user))
