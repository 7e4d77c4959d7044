"""Permission predicates for accounts: one place, used by views and the API alike."""

from __future__ import annotations

from kexie.accounts.enums import PRIVILEGED_ROLES, Role
from kexie.accounts.models import Membership, Organization
from kexie.accounts.queries import active_memberships, has_global_scope, organizations_visible_to, roles_of


def can_view_organization(user, organization: Organization) -> bool:
    if has_global_scope(user):
        return True
    return organizations_visible_to(user).filter(pk=organization.pk).exists()


def is_security_admin(user) -> bool:
    return Role.SECURITY_ADMIN in roles_of(user)


def can_manage_users(user) -> bool:
    """The user administration pages: the system administrator, and the security administrator
    (who grants the three separated roles and acts on the accounts that hold them)."""
    return bool(roles_of(user) & {Role.ADMIN, Role.SECURITY_ADMIN})


def can_create_users(user) -> bool:
    return Role.ADMIN in roles_of(user)


def can_manage_organizations(user) -> bool:
    return Role.ADMIN in roles_of(user)


def privileged_roles_of(target) -> set[str]:
    """The separated roles (administrator, security administrator, auditor) `target` holds."""
    return set(
        Membership.objects.filter(user=target, is_active=True, role__in=PRIVILEGED_ROLES).values_list(
            "role", flat=True
        )
    )


def can_grant_role(user, target, role: str) -> bool:
    """Add or remove `role` on `target`'s account: never on one's own account; the three separated
    roles only by a security administrator, the others by the system administrator."""
    if getattr(target, "pk", None) == getattr(user, "pk", None):
        return False
    if role in PRIVILEGED_ROLES:
        return is_security_admin(user)
    return Role.ADMIN in roles_of(user)


def grantable_roles(user) -> list[str]:
    """The roles `user` may grant to another account, in declaration order."""
    roles = roles_of(user)
    return [
        role
        for role in Role.values
        if (role in PRIVILEGED_ROLES and Role.SECURITY_ADMIN in roles)
        or (role not in PRIVILEGED_ROLES and Role.ADMIN in roles)
    ]


def can_act_on_account(user, target) -> bool:
    """Reset the password or second factor, lift a lockout, disable or enable: not one's own account;
    an account holding a separated role only by a security administrator (so that the administrator
    cannot take over the auditor's account), any other by the system administrator."""
    if getattr(target, "pk", None) == getattr(user, "pk", None):
        return False
    if privileged_roles_of(target):
        return is_security_admin(user)
    return Role.ADMIN in roles_of(user)


def can_view_audit(user) -> bool:
    # Separation of duties (等保 三员分立): the auditor reads the trail, the administrators do not.
    return Role.AUDITOR in roles_of(user)


def can_view_personal_data(user, organization: Organization | None = None) -> bool:
    """Unmasked mobile and ID numbers: heads of the organization that holds them. The administrators
    manage accounts, not personal data: they see them masked."""
    if organization is None:
        return False
    return any(
        m.role == Role.DEPARTMENT_HEAD and organization.path.startswith(m.organization.path)
        for m in active_memberships(user)
    )
