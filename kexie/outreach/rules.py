"""Who may do what in outreach: one predicate per action, used by pages and the API alike.

- Managers: the association's department heads and staff (科普部 and the others the notice names)
  run campaigns, the registries, bulletins and evaluations; leaders, auditors and supervisors read.
- District staff register, report and import activities of their district, keep its teaching points,
  courtyards and 农技协, read and acknowledge bulletins.
- Venue staff (any staff membership in a venue's operating unit) report for their venues.
- Volunteers sign up, check in and out, read their ledger.
"""

from __future__ import annotations

from kexie.accounts.enums import GLOBAL_ROLES, STAFF_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.outreach.models import Venue

MANAGER_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})


def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_manager(user) -> bool:
    return bool(roles_of(user) & MANAGER_ROLES)


def sees_all(user) -> bool:
    return bool(roles_of(user) & (MANAGER_ROLES | GLOBAL_ROLES))


def district_codes(user) -> set[str]:
    return {
        m.organization.code
        for m in active_memberships(user)
        if m.role == Role.DISTRICT_STAFF and m.organization.code
    }


def staff_organization_ids(user) -> set[int]:
    """Organizations in which the user holds a staff role (the receivers of bulletins, the organizers
    of activities, the operators of venues)."""
    return {m.organization_id for m in active_memberships(user) if m.role in STAFF_ROLES}


def venue_organization_ids(user) -> set[int]:

    ids = staff_organization_ids(user)
    if not ids:
        return set()
    cached = getattr(user, "_outreach_venue_orgs", None)
    if cached is None:
        cached = set(Venue.objects.filter(organization_id__in=ids).values_list("organization_id", flat=True))
        user._outreach_venue_orgs = cached
    return cached


def is_venue_staff(user) -> bool:
    return bool(venue_organization_ids(user))


def is_district_staff(user) -> bool:
    return bool(district_codes(user))


def is_volunteer(user) -> bool:
    return is_authenticated(user) and hasattr(user, "volunteer")


# --- outreach workspace ----------------------------------------------------------------------------


def can_open_workspace(user) -> bool:
    return sees_all(user) or is_district_staff(user) or is_venue_staff(user)


# --- campaigns and activities ------------------------------------------------------------------------


def can_manage_campaigns(user) -> bool:
    return is_manager(user)


def can_register_activities(user) -> bool:
    return is_manager(user) or is_district_staff(user) or is_venue_staff(user)


def can_manage_activity(user, activity) -> bool:
    """Edit, report and confirm hours: managers, staff of the district, staff of the organizing unit."""
    if is_manager(user):
        return True
    return activity.district in district_codes(user) or activity.organizer_id in staff_organization_ids(user)


def can_view_completeness(user) -> bool:
    return sees_all(user) or is_district_staff(user)


def can_import_activities(user) -> bool:
    return is_manager(user) or is_district_staff(user)


# --- volunteers --------------------------------------------------------------------------------------


def can_view_volunteers(user) -> bool:
    return sees_all(user) or is_district_staff(user)


def can_manage_teams(user) -> bool:
    return is_manager(user) or is_district_staff(user)


def can_see_volunteer_identity(user, volunteer) -> bool:
    """Unmasked ID and mobile numbers: managers and the volunteer's district staff; admin too."""
    return is_manager(user) or Role.ADMIN in roles_of(user) or volunteer.district in district_codes(user)


def can_confirm_hours(user, activity) -> bool:
    return can_manage_activity(user, activity)


# --- registries (university, venues, rural) ----------------------------------------------------------


def can_view_registry(user) -> bool:
    return can_open_workspace(user)


def can_manage_district_record(user, district: str) -> bool:
    return is_manager(user) or district in district_codes(user)


def can_manage_registry(user) -> bool:
    """Records not tied to a district (courses, teachers, star levels, templates, 九个一)."""
    return is_manager(user)


def can_manage_venue(user, venue) -> bool:
    return is_manager(user) or venue.organization_id in venue_organization_ids(user)


# --- bulletins ---------------------------------------------------------------------------------------


def can_publish_bulletins(user) -> bool:
    return is_manager(user)


def can_view_bulletins(user) -> bool:
    return sees_all(user) or bool(staff_organization_ids(user))


def can_acknowledge(user, delivery) -> bool:
    return delivery.organization_id in staff_organization_ids(user)


# --- evaluations -------------------------------------------------------------------------------------


def can_manage_evaluations(user) -> bool:
    return is_manager(user)
