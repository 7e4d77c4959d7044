from __future__ import annotations

from kexie.core.models import Notification
from kexie.core.navigation import nav_groups, visible_entries


def navigation(request) -> dict:
    """The layout's navigation, built only from the menu registry (kexie.core.menus)."""
    user = getattr(request, "user", None)
    if user is None:
        return {
            "nav_groups": [],
            "nav_key": None,
            "public_menu_entries": [],
            "account_menu_entries": [],
            "unread_notifications": 0,
        }
    visible = visible_entries(request)  # every entry's visibility rule once per request
    groups = nav_groups(user, request.path, visible=visible)
    context = {
        "nav_groups": groups,
        # What the main menu's markup depends on: it is rendered once per such key (base.html, {% keep %}).
        "nav_key": (
            tuple(entry.key for entry in visible),
            next((group.key for group in groups if group.active), ""),
            user.is_authenticated,
        ),
        "public_menu_entries": [entry for entry in visible if entry.section == "public"],
        "account_menu_entries": [entry for entry in visible if entry.section == "account"],
        "unread_notifications": 0,
    }
    if user.is_authenticated:
        context["unread_notifications"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return context
