"""Permission predicates for accounts: one place, used by views and the API alike."""

from __future__ import annotations

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization
from kexie.accounts.queries import active_memberships, has_global_scope, organizations_visible_to, roles_of


def can_view_organization(user, organization: Organization) -> bool:
    if has_global_scope(user):
        return True
    return organizations_visible_to(user).filter(pk=organization.pk).exists()


def can_manage_users(user) -> bool:
    return Role.ADMIN in roles_of(user)


def can_manage_organizations(user) -> bool:
    return Role.ADMIN in roles_of(user)


def can_view_audit(user) -> bool:
    # Separation of duties (等保 三员分立): the auditor reads the trail, the administrator does not.
    return Role.AUDITOR in roles_of(user)


def can_view_personal_data(user, organization: Organization | None = None) -> bool:
    """Unmasked mobile and ID numbers: administrators, and heads of the organization that holds them."""
    if Role.ADMIN in roles_of(user):
        return True
    if organization is None:
        return False
    return any(
        m.role == Role.DEPARTMENT_HEAD and organization.path.startswith(m.organization.path)
        for m in active_memberships(user)
    )
