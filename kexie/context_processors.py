from __future__ import annotations

from kexie.accounts import rules
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
    }
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
        context["can_manage_users"] = rules.can_manage_users(user)
        context["can_view_audit"] = rules.can_view_audit(user)
        context["policy_can_decide"] = policy_rules.can_decide(user)
    return context
