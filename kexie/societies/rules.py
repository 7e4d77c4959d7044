"""Who may do what with societies, inspections, events, journals and the international registry.

Association staff (department heads and staff, administrators) manage everything; leaders, auditors
and supervisors read everything; a society's secretaries (society staff of that society's
organization) keep their own society's data, yearly reports, events and journals."""

from __future__ import annotations

from django.utils import timezone

from kexie.accounts.enums import GLOBAL_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.societies.enums import EventState, FoundingState, InspectionState

MANAGER_ROLES = frozenset({Role.ADMIN, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})
EDITABLE_INSPECTION = (InspectionState.DRAFT, InspectionState.RETURNED)
EDITABLE_EVENT = (EventState.DRAFT, EventState.RETURNED)
EDITABLE_FOUNDING = (FoundingState.DRAFT, FoundingState.RETURNED)


def is_manager(user) -> bool:
    return bool(roles_of(user) & MANAGER_ROLES)


def sees_all(user) -> bool:
    return bool(roles_of(user) & (MANAGER_ROLES | GLOBAL_ROLES))


def society_organization_ids(user) -> set[int]:
    """The organizations whose society the user keeps as its secretary."""
    return {m.organization_id for m in active_memberships(user) if m.role == Role.SOCIETY_STAFF}


def is_secretary(user) -> bool:
    """Society staff of an organization that is a registered society (society staff of another kind of
    unit, e.g. a science museum's staff, are not secretaries)."""
    ids = society_organization_ids(user)
    if not ids:
        return False
    from kexie.societies.models import Society  # noqa: PLC0415 - rules load before models

    return Society.objects.filter(organization_id__in=ids).exists()


def keeps(user, society) -> bool:
    return society is not None and society.organization_id in society_organization_ids(user)


def can_view_societies(user) -> bool:
    return sees_all(user) or is_secretary(user)


def can_manage_societies(user) -> bool:
    return is_manager(user)


def can_view_society(user, society) -> bool:
    return sees_all(user) or keeps(user, society)


def can_edit_society(user, society) -> bool:
    return is_manager(user) or keeps(user, society)


def can_grade_society(user) -> bool:
    return is_manager(user)


# --- inspections ---


def can_view_inspection(user, inspection) -> bool:
    return can_view_society(user, inspection.society)


def can_edit_inspection(user, inspection) -> bool:
    return inspection.state in EDITABLE_INSPECTION and can_edit_society(user, inspection.society)


def can_review_inspection(user, inspection) -> bool:
    return inspection.state == InspectionState.SUBMITTED and is_manager(user)


# --- founding requests ---


def can_request_founding(user) -> bool:
    return is_manager(user) or is_secretary(user)


def can_edit_founding(user, request) -> bool:
    owner = request.created_by_id == getattr(user, "pk", None)
    return request.state in EDITABLE_FOUNDING and (owner or is_manager(user))


def can_review_founding(user, request) -> bool:
    return request.state == FoundingState.SUBMITTED and is_manager(user)


# --- events ---


def can_apply_event(user) -> bool:
    return is_manager(user) or is_secretary(user)


def can_manage_event(user, event) -> bool:
    """The host's secretaries and staff: programme, registrations, check-in, report."""
    return is_manager(user) or keeps(user, event.society)


def can_edit_event(user, event) -> bool:
    return event.state in EDITABLE_EVENT and can_manage_event(user, event)


def can_review_event(user, event) -> bool:
    return event.state == EventState.APPLIED and is_manager(user)


def can_file_report(user, event) -> bool:
    started = event.starts_on <= timezone.localdate()
    return event.state == EventState.APPROVED and started and can_manage_event(user, event)


def can_check_in(user, event) -> bool:
    return event.state == EventState.APPROVED and can_manage_event(user, event)


def can_see_attendee_contacts(user, event) -> bool:
    return can_manage_event(user, event)


# --- journals ---


def can_manage_journals(user) -> bool:
    return is_manager(user)


def can_edit_journal(user, journal) -> bool:
    return is_manager(user) or keeps(user, journal.society)


def can_manage_directory(user) -> bool:
    return is_manager(user)


# --- alliances, cooperation, international ---


def can_view_cooperation(user) -> bool:
    return sees_all(user) or is_secretary(user)


def can_manage_cooperation(user) -> bool:
    return is_manager(user) or is_secretary(user)


def can_view_international(user) -> bool:
    return sees_all(user)


def can_manage_international(user) -> bool:
    return is_manager(user)
