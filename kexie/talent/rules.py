"""Who may do what in the talent services of measures 7 and 8.

- Awards and campaigns are run by the departments the notice names for measure 8 (组织人事部,
  宣传文化部, 科学技术创新部, 科学技术普及部 for the mayor's award, 市科协科技服务中心, 重庆科技报).
- The 托举 programme, 带培 pairs, top talents and the engineers' union are run by the units of
  measure 7 (组织人事部, 科学技术创新部, 院士工作服务中心).
- Leaders, auditors, supervision officers and administrators read them (GLOBAL_ROLES).
- The 院士增选 ledger is confidential: only the members of 院士工作服务中心 see it — not leaders,
  not auditors (the audit trail records ids only), not the other departments.
- A supported person sees their own record and files their reports; an academician and a young
  scientist of a pair see their pair and record its activities.
- Any signed-in user may vote in a campaign while its voting is open.
"""

from __future__ import annotations

from kexie.accounts.enums import GLOBAL_ROLES, Role
from kexie.accounts.queries import active_memberships, roles_of

AWARD_DEPARTMENTS = frozenset(
    {"组织人事部", "宣传文化部", "科学技术创新部", "科学技术普及部", "市科协科技服务中心", "重庆科技报"}
)
PROGRAMME_DEPARTMENTS = frozenset({"组织人事部", "科学技术创新部", "院士工作服务中心"})
ACADEMY_CENTRE = "院士工作服务中心"
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF})


def _works_in(user, names) -> bool:
    return any(m.role in DEPARTMENT_ROLES and m.organization.name in names for m in active_memberships(user))


def reads_everything(user) -> bool:
    return bool(roles_of(user) & GLOBAL_ROLES)


def can_manage_awards(user) -> bool:
    return _works_in(user, AWARD_DEPARTMENTS)


def can_view_awards(user) -> bool:
    """The staff pages of rounds and nominations (the public sees campaigns and winners)."""
    return can_manage_awards(user) or reads_everything(user)


def can_manage_programme(user) -> bool:
    return _works_in(user, PROGRAMME_DEPARTMENTS)


def can_view_programme(user) -> bool:
    return can_manage_programme(user) or reads_everything(user)


def is_academy_centre(user) -> bool:
    return _works_in(user, {ACADEMY_CENTRE})


def can_view_candidates(user) -> bool:
    return is_academy_centre(user)


def can_vote(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_supported_person(user, person) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        person.expert_id is not None and person.expert.user_id == user.pk
    )


def can_file_report(user, person) -> bool:
    return is_supported_person(user, person) or can_manage_programme(user)


def is_pair_member(user, pair) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (pair.academician.user_id, pair.scientist.user_id)


def can_record_pair_activity(user, pair) -> bool:
    return can_manage_programme(user) or is_pair_member(user, pair)


def can_view_mine(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))
