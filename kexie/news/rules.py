"""Who may write, review, publish and withdraw items (views, API and services ask here)."""

from __future__ import annotations

from kexie.accounts.enums import Role
from kexie.accounts.queries import organizations_of, roles_of
from kexie.news.enums import ReviewerRole

# The department that edits everything the association publishes (初审, sensitive words, 撤稿).
EDITOR_UNIT = "宣传文化部"
WRITER_ROLES = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def writing_units(user) -> list:
    return organizations_of(user, *WRITER_ROLES) if _signed_in(user) else []


def can_write(user) -> bool:
    return bool(writing_units(user)) or is_leader(user)


def is_leader(user) -> bool:
    return _signed_in(user) and Role.LEADER in roles_of(user)


def is_editor(user) -> bool:
    return any(org.name == EDITOR_UNIT for org in writing_units(user))


def can_manage_words(user) -> bool:
    return is_editor(user) or is_leader(user)


def can_withdraw(user) -> bool:
    return is_editor(user) or is_leader(user)


def can_edit_item(user, item) -> bool:
    return (
        is_leader(user) or is_editor(user) or any(o.pk == item.organization_id for o in writing_units(user))
    )


def can_act_at_step(user, step, item) -> bool:
    if not _signed_in(user) or step is None:
        return False
    if step.reviewer == ReviewerRole.EDITOR:
        return is_editor(user)
    if step.reviewer == ReviewerRole.DEPARTMENT_HEAD:
        return any(o.pk == item.organization_id for o in organizations_of(user, Role.DEPARTMENT_HEAD))
    if step.reviewer == ReviewerRole.LEADER:
        return is_leader(user)
    return False


def can_see_drafts(user, item) -> bool:
    """Internal pages of an item: its department, the editors, the leader, a head of its department."""
    return can_edit_item(user, item)


def is_staff_writer(user) -> bool:
    return can_write(user)
