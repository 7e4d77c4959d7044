"""Permission-scoped reads of organizations and users."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kexie.accounts.enums import BUSINESS_STAFF_ROLES, GLOBAL_ROLES, STAFF_ROLES, OrganizationKind, Role
from kexie.accounts.models import Membership, Organization, User


def active_memberships(user) -> list[Membership]:
    """The user's active memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kexie_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
            .select_related("organization")
            .order_by("organization__sort_order", "organization__name")
        )
        user._kexie_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in active_memberships(user)}


def has_global_scope(user) -> bool:
    return bool(roles_of(user) & GLOBAL_ROLES)


def is_staff_member(user) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


def is_business_staff(user) -> bool:
    """Staff who work with business data: every staff role but the two administrators."""
    return bool(roles_of(user) & BUSINESS_STAFF_ROLES)


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Leaders, administrators and auditors see every organization; everyone else sees the subtrees
    of the organizations they belong to."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    if has_global_scope(user):
        return Organization.objects.all()
    memberships = active_memberships(user)
    # Staff see the subtrees of their organizations; external roles (experts, enterprises, volunteers,
    # reviewers, decision departments) only the organizations they belong to.
    paths = {m.organization.path for m in memberships if m.role in STAFF_ROLES}
    own = {m.organization_id for m in memberships if m.role not in STAFF_ROLES}
    if not paths and not own:
        return Organization.objects.none()
    condition = Q(pk__in=own)
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organization.objects.filter(condition)


def organizations_of(user, *roles: str) -> list[Organization]:
    """The organizations in which the user holds any of `roles` (all roles when none are named)."""
    return [m.organization for m in active_memberships(user) if not roles or m.role in roles]


def users_visible_to(user) -> QuerySet[User]:
    if roles_of(user) & {Role.ADMIN, Role.SECURITY_ADMIN}:
        return User.objects.all()
    return User.objects.filter(memberships__organization__in=organizations_visible_to(user)).distinct()


def organization_tree() -> list[Organization]:
    """Every organization in tree order, with `depth` usable for indentation."""
    return sorted(Organization.objects.all(), key=_tree_key)


def _tree_key(org: Organization) -> tuple:
    return tuple(int(part) for part in org.path.strip("/").split("/") if part)


def district_associations() -> QuerySet[Organization]:
    """The 38 district and county associations, in division-code order (codes as in
    kexie.core.reference.districts())."""
    return Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION).order_by("code")
