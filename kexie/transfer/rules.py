"""Who may do what with demands, achievements, registries and dockings."""

from __future__ import annotations

from kexie.accounts.enums import BUSINESS_GLOBAL_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.transfer.enums import PUBLIC_STATES, DemandState
from kexie.transfer.models import Demand

# The association's department staff: they keep the registries (achievements, teams, workstations).
MANAGER_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})
# The departments that run 科创中国 (measure 2 of the notice: 责任部室 科学技术创新部): their staff review
# enterprise demands, see the contacts, run matching and follow dockings. Other departments see
# published demands only, like the public.
KECHUANG_DEPARTMENTS = frozenset({"科学技术创新部"})
# Editable by the enterprise that owns the demand.
OWNER_EDITABLE = (DemandState.DRAFT,)


def is_manager(user) -> bool:
    return bool(roles_of(user) & MANAGER_ROLES)


def is_demand_manager(user) -> bool:
    """Staff of a department that runs 科创中国."""
    return any(
        m.role in MANAGER_ROLES and m.organization.name in KECHUANG_DEPARTMENTS
        for m in active_memberships(user)
    )


def district_codes(user) -> set[str]:
    """Division codes of the district associations the user works for."""
    return {
        m.organization.code
        for m in active_memberships(user)
        if m.role == Role.DISTRICT_STAFF and m.organization.code
    }


def enterprise_ids(user) -> set[int]:
    return {m.organization_id for m in active_memberships(user) if m.role == Role.ENTERPRISE}


def is_enterprise(user) -> bool:
    return bool(enterprise_ids(user))


def sees_all_demands(user) -> bool:
    """Every demand, drafts included: the 科创中国 departments, and leaders, supervisors and auditors
    (read only)."""
    return is_demand_manager(user) or bool(roles_of(user) & BUSINESS_GLOBAL_ROLES)


def is_owner(user, demand: Demand) -> bool:
    return demand.enterprise_id in enterprise_ids(user)


def can_view_demand(user, demand: Demand) -> bool:
    if demand.state in PUBLIC_STATES:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_owner(user, demand) or sees_all_demands(user):
        return True
    return demand.state != DemandState.DRAFT and demand.district in district_codes(user)


def can_manage_demand(user, demand: Demand | None = None) -> bool:
    """Review, publish, return, match and dock: the 科创中国 departments, and district staff for
    demands of their district."""
    if is_demand_manager(user):
        return True
    return demand is not None and demand.district in district_codes(user)


def can_create_demand(user) -> bool:
    return is_enterprise(user) or is_demand_manager(user)


def can_edit_demand(user, demand: Demand) -> bool:
    if demand.state in OWNER_EDITABLE and is_owner(user, demand):
        return True
    return demand.state in (DemandState.DRAFT, DemandState.SUBMITTED) and can_manage_demand(user, demand)


def can_submit_demand(user, demand: Demand) -> bool:
    return demand.state == DemandState.DRAFT and (is_owner(user, demand) or can_manage_demand(user, demand))


def can_review_demand(user, demand: Demand) -> bool:
    return demand.state == DemandState.SUBMITTED and can_manage_demand(user, demand)


def can_close_demand(user, demand: Demand) -> bool:
    return demand.state in PUBLIC_STATES and (is_owner(user, demand) or can_manage_demand(user, demand))


def can_see_contact(user, demand: Demand) -> bool:
    """The unmasked contact mobile: the owning enterprise and the reviewer (the 科创中国 department, or
    the district association of the demand's district); leaders, supervisors and auditors see it
    masked. Showing it to anyone but the owner is audited (``record_contact_view``)."""
    return is_owner(user, demand) or can_manage_demand(user, demand)


def can_see_suggestions(user, demand: Demand) -> bool:
    """Suggested achievements and teams: the owner and staff (the public sees none)."""
    return demand.state in PUBLIC_STATES and (is_owner(user, demand) or can_manage_demand(user, demand))


def can_match_experts(user, demand: Demand) -> bool:
    return demand.state in PUBLIC_STATES and can_manage_demand(user, demand)


def can_create_docking(user, demand: Demand) -> bool:
    return demand.state in (DemandState.PUBLISHED, DemandState.DOCKING) and can_manage_demand(user, demand)


def can_view_docking(user, docking) -> bool:
    return can_manage_demand(user, docking.demand) or sees_all_demands(user) or is_owner(user, docking.demand)


def can_update_docking(user, docking) -> bool:
    return can_manage_demand(user, docking.demand)


def can_manage_registry(user) -> bool:
    """Achievements, service teams, workstations and their evaluations."""
    return is_manager(user)


def can_view_registry(user) -> bool:
    return sees_all_demands(user) or is_manager(user) or bool(district_codes(user))
