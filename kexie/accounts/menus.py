"""The account menu (kexie.core.menus, section ``account``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.accounts import rules
from kexie.accounts.queries import active_memberships
from kexie.core import menus


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _member(user) -> bool:
    return bool(active_memberships(user))


menus.register(
    "accounts.profile",
    section="account",
    label=_("My account"),
    url_name="accounts:profile",
    visible=_signed_in,
)
menus.register(
    "accounts.notification_settings",
    section="account",
    label=_("E-mail settings"),
    url_name="notification_preferences",
    visible=_signed_in,
    order=110,
)
menus.register(
    "accounts.organizations",
    section="account",
    label=pgettext_lazy("menu", "Organizations"),
    url_name="accounts:organization_list",
    visible=_member,
    order=120,
)
menus.register(
    "accounts.users",
    section="account",
    label=_("User administration"),
    url_name="accounts:user_list",
    visible=rules.can_manage_users,
    order=130,
)
menus.register(
    "accounts.audit",
    section="account",
    label=_("Audit trail"),
    url_name="accounts:audit_list",
    visible=rules.can_view_audit,
    order=140,
)
