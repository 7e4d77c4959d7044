"""Permission-scoped reads of the supervision ledger."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from kexie.accounts.models import Organization
from kexie.accounts.queries import district_associations
from kexie.core import access as access_rules
from kexie.core.access import NotAccessible, access
from kexie.policy import rules
from kexie.policy.enums import CaseState, NoticeState
from kexie.policy.models import Notice, Task, TypicalCase
from kexie.policy.rules import department_ids, sees_all_tasks


def tasks_visible_to(user) -> QuerySet[Task]:
    tasks = Task.objects.select_related("lead", "measure", "measure__notice")
    if sees_all_tasks(user):
        return tasks
    mine = department_ids(user)
    if not mine:
        return tasks.none()
    return tasks.filter(Q(lead_id__in=mine) | Q(cooperating__in=mine)).distinct()


def with_cooperating(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.prefetch_related(
        Prefetch("cooperating", queryset=Organization.objects.order_by("sort_order"))
    )


def current_notice() -> Notice | None:
    """The most recently confirmed notice: what the dashboard shows by default."""
    return Notice.objects.filter(state=NoticeState.CONFIRMED).order_by("-confirmed_at", "-pk").first()


def cases_visible_to(user) -> QuerySet[TypicalCase]:
    cases = TypicalCase.objects.select_related("task", "organization", "author")
    if sees_all_tasks(user):
        return cases
    mine = department_ids(user)
    return cases.filter(Q(organization_id__in=mine) | Q(state=CaseState.PUBLISHED))


def notices_visible_to(user) -> QuerySet[Notice]:
    notices = Notice.objects.select_related("created_by", "confirmed_by")
    if rules.can_import_notice(user):
        return notices
    return notices.filter(state=NoticeState.CONFIRMED)


def districts_visible_to(user) -> QuerySet[Organization]:
    """The district associations whose district view the user may open (rules.can_view_district)."""
    districts = district_associations()
    if rules.can_view_any_district(user):
        return districts
    return districts.filter(pk__in=rules.own_district_ids(user))


def access_district(user, code: str) -> Organization:
    """A district association by its division code, or NotAccessible (404) when the user may not open
    its view: another district's view answers exactly like a district that does not exist."""
    district = districts_visible_to(user).filter(code=code).first() if code else None
    if district is None:
        raise NotAccessible
    return district


def district_tasks(district: Organization) -> QuerySet[Task]:
    """The tasks a district association leads or cooperates on."""
    return (
        Task.objects.select_related("lead", "measure", "measure__notice", "measure__section")
        .filter(Q(lead=district) | Q(cooperating=district))
        .distinct()
    )


# --- one access rule per object (kexie.core.access): fetch and check at once, 404 when invisible ------


def access_task(user, pk) -> Task:
    return access(with_cooperating(tasks_visible_to(user)), pk)


def access_notice(user, pk) -> Notice:
    return access(notices_visible_to(user), pk)


def access_case(user, pk) -> TypicalCase:
    return access(cases_visible_to(user), pk)


access_rules.register(
    "policy.task", visible=tasks_visible_to, access=access_task, can_view=rules.can_view_task
)
access_rules.register(
    "policy.notice", visible=notices_visible_to, access=access_notice, can_view=rules.can_view_notice
)
access_rules.register(
    "policy.case", visible=cases_visible_to, access=access_case, can_view=rules.can_view_case
)
