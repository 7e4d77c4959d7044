"""Who may see and change expert profiles: one predicate per action, used by pages, exports and API.

- The library (list, detail, search) is open to the association's staff roles (BUSINESS_STAFF_ROLES:
  not the administrators; district associations and societies included, they look for experts too).
- Curators create, edit, verify, import and export: the members (head or staff)
  of the departments that run the library — 科学技术创新部, 组织人事部 and 战略发展部.
- Full mobile and ID numbers: the *heads* of those three departments; everyone
  else sees them masked (lists, detail, export, API). An expert always sees their own.
- An expert with an account edits only their own profile.
"""

from __future__ import annotations

from kexie.accounts.enums import BUSINESS_STAFF_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of
from kexie.experts.models import Expert

# The personal data shown unmasked only to those allowed, and then audited.
PERSONAL_FIELDS = ["mobile", "id_number", "email"]
CURATING_DEPARTMENTS = frozenset({"科学技术创新部", "组织人事部", "战略发展部"})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})


def can_view_library(user) -> bool:
    return bool(roles_of(user) & BUSINESS_STAFF_ROLES)


def can_curate(user) -> bool:
    """Create, edit any profile, verify, import and export (the administrators manage accounts, not
    the library)."""
    return any(
        m.role in DEPARTMENT_ROLES and m.organization.name in CURATING_DEPARTMENTS
        for m in active_memberships(user)
    )


def can_see_personal_data(user) -> bool:
    """Unmasked mobile and ID numbers of any expert."""
    return any(
        m.role == Role.DEPARTMENT_HEAD and m.organization.name in CURATING_DEPARTMENTS
        for m in active_memberships(user)
    )


def is_own_profile(user, expert: Expert) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and expert.user_id == user.pk


def can_view_expert(user, expert: Expert) -> bool:
    return can_view_library(user) or is_own_profile(user, expert)


def can_see_personal_data_of(user, expert: Expert) -> bool:
    return can_see_personal_data(user) or is_own_profile(user, expert)


def can_edit_expert(user, expert: Expert) -> bool:
    return can_curate(user) or is_own_profile(user, expert)


def can_verify_expert(user, expert: Expert) -> bool:
    """Staff decide on a profile; nobody verifies their own."""
    return can_curate(user) and not is_own_profile(user, expert)


def can_export(user) -> bool:
    return can_curate(user)


def can_import(user) -> bool:
    return can_curate(user)


def can_check_conflicts(user) -> bool:
    return can_view_library(user)


def can_keep_own_profile(user) -> bool:
    """Users registered as experts create and edit their own profile (then staff verify it)."""
    return Role.EXPERT in roles_of(user)
