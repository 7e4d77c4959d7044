from __future__ import annotations

from kexie.accounts import rules
from kexie.accounts.enums import Role
from kexie.accounts.queries import is_business_staff, roles_of
from kexie.core import menus
from kexie.core.models import Notification
from kexie.core.navigation import SECTIONS
from kexie.policy import rules as policy_rules


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    context = {
        "nav_sections": SECTIONS,
        "unread_notifications": 0,
        "can_manage_users": False,
        "can_view_audit": False,
        # Pages that apps register (kexie.core.menus), filtered by the same rule their views check.
        "menu_entries": [e for e in menus.entries_for(user) if e.section not in ("account", "public")]
        if user is not None
        else [],
        "account_menu_entries": menus.entries_for(user, section="account") if user is not None else [],
    }
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
        context["can_manage_users"] = rules.can_manage_users(user)
        context["can_view_audit"] = rules.can_view_audit(user)
        context["policy_can_decide"] = policy_rules.can_decide(user)
        if is_business_staff(user):
            context["experts_nav"] = "experts:list"
        elif Role.EXPERT in roles_of(user):
            context["experts_nav"] = "experts:my_profile"
    return context
