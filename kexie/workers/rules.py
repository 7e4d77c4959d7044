"""Who may do what with needs, joint meetings and the archive (the views, API and services ask here)."""

from __future__ import annotations

from kexie.accounts.enums import Role
from kexie.accounts.queries import organizations_of, roles_of

# The department that triages needs and runs the joint meeting's office (measure 6 names it first).
TRIAGE_UNIT = "组织人事部"
# The units that collect and curate the old scientists' archive (measure 5).
ARCHIVE_UNITS = frozenset({"组织人事部", "院士工作服务中心", "宣传文化部"})
UNIT_ROLES = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF)
# Staff roles of the association who may read internal material (not the administrator: 三员分立).
INTERNAL_READERS = frozenset(
    {Role.LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.SUPERVISOR, Role.DISTRICT_STAFF}
)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _unit_names(user) -> set[str]:
    return {org.name for org in organizations_of(user, *UNIT_ROLES)}


def can_file_need(user) -> bool:
    return _signed_in(user)


def can_triage(user) -> bool:
    """Merge, route and see every need with its filer: 组织人事部 and the leader."""
    if not _signed_in(user):
        return False
    return Role.LEADER in roles_of(user) or TRIAGE_UNIT in _unit_names(user)


def can_read_all_needs(user) -> bool:
    return can_triage(user) or (_signed_in(user) and Role.SUPERVISOR in roles_of(user))


def reply_units(user) -> list:
    """The units whose routed needs ``user`` may answer."""
    return organizations_of(user, *UNIT_ROLES) if _signed_in(user) else []


def can_reply(user, need) -> bool:
    if need.routed_to_id is None:
        return False
    return can_triage(user) or any(org.pk == need.routed_to_id for org in reply_units(user))


def can_see_filer(user, need) -> bool:
    """The association's triage staff always see who filed; the department only when not anonymous."""
    if not _signed_in(user):
        return False
    if need.filer_id == user.pk or can_read_all_needs(user):
        return True
    return not need.anonymous and can_reply(user, need)


def can_rate(user, need) -> bool:
    return _signed_in(user) and need.filer_id == user.pk


def can_manage_meetings(user) -> bool:
    return can_triage(user)


def can_view_meetings(user) -> bool:
    return _signed_in(user) and bool(roles_of(user) & INTERNAL_READERS)


def can_manage_archive(user) -> bool:
    if not _signed_in(user):
        return False
    return Role.LEADER in roles_of(user) or bool(ARCHIVE_UNITS & _unit_names(user))


def can_read_internal(user) -> bool:
    return _signed_in(user) and bool(roles_of(user) & INTERNAL_READERS)


# The departments the notice makes responsible for measure 5.
SPIRIT_UNITS = frozenset({"宣传文化部", "组织人事部", "科学技术创新部", "战略发展部", "院士工作服务中心"})
REQUESTER_ROLES = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.DISTRICT_STAFF, Role.SOCIETY_STAFF)


def can_manage_spirit(user) -> bool:
    """Speakers, talk scheduling, education bases and training sessions."""
    if not _signed_in(user):
        return False
    return Role.LEADER in roles_of(user) or bool(SPIRIT_UNITS & _unit_names(user))


def requesting_units(user) -> list:
    """The units (departments, district associations, societies) for which ``user`` may request a talk."""
    return organizations_of(user, *REQUESTER_ROLES) if _signed_in(user) else []


def can_request_talk(user) -> bool:
    return bool(requesting_units(user))
