"""Project-level pages: the public portal, role homes, notifications, health and error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.enums import Role
from kexie.accounts.queries import active_memberships, has_global_scope
from kexie.core import notifications as kit
from kexie.core import todos
from kexie.core.models import Notification
from kexie.core.navigation import section_modules, visible_entries
from kexie.core.portal import homes, portal
from kexie.core.services import mark_notifications_read
from kexie.policy.dashboard_cache import cached_home_summary
from kexie.policy.rules import can_decide, task_scope

# What each role's home leads with, most specific first.
ROLE_INTROS = (
    (Role.LEADER, "leader"),
    (Role.SUPERVISOR, "supervisor"),
    (Role.ADMIN, "admin"),
    (Role.AUDITOR, "auditor"),
    (Role.DEPARTMENT_HEAD, "staff"),
    (Role.DEPARTMENT_STAFF, "staff"),
    (Role.DISTRICT_STAFF, "district"),
    (Role.SOCIETY_STAFF, "staff"),
    (Role.ENTERPRISE, "enterprise"),
    (Role.EXPERT, "expert"),
    (Role.DECISION_MAKER, "decision"),
    (Role.REVIEWER, "expert"),
    (Role.VOLUNTEER, "citizen"),
)


def home_kind(user) -> str:
    """The role a home page is built for: the first of ROLE_INTROS the user holds, else citizen."""
    roles = {m.role for m in active_memberships(user)}
    for role, kind in ROLE_INTROS:
        if role in roles:
            return kind
    return "citizen"


def home_view(request):
    if not request.user.is_authenticated:
        return portal_view(request)
    user = request.user
    kind = home_kind(user)
    summary = (
        cached_home_summary(user, request=request)
        if kind in ("leader", "supervisor", "staff", "district", "auditor")
        else None
    )
    visible = visible_entries(request)
    return render(
        request,
        "home.html",
        {
            "kind": kind,
            "memberships": active_memberships(user),
            "global_scope": has_global_scope(user),
            "todo_items": todos.items_for(user, request=request),
            "panels": homes.render(request),
            "sections": section_modules(user, visible=visible),
            "account_entries": [entry for entry in visible if entry.section == "account"],
            "supervision_entries": [entry for entry in visible if entry.section == "supervision"],
            "supervision_summary": summary,
            "summary_scope": task_scope(user) if summary else None,
            "can_decide": can_decide(user),
            "notifications": Notification.objects.filter(user=user, read_at__isnull=True)[:5],
        },
    )


def portal_view(request):
    """The public portal for anonymous visitors: the blocks apps register, sign in and register."""
    return render(
        request,
        "portal.html",
        {
            "blocks": portal.render(request),
            "sections": section_modules(request.user, visible=visible_entries(request)),
            "register_entries": [entry for entry in visible_entries(request) if entry.section == "account"],
        },
    )


@login_required
def notification_list_view(request):
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications.html", {"page": page})


@login_required
@require_POST
def notification_read_view(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    mark_notifications_read(user=request.user, ids=ids)
    return redirect("notifications")


@login_required
def notification_preferences_view(request):
    """Which event types also come by e-mail (the in-app message always arrives)."""
    rows = kit.email_preferences(request.user)
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        kit.set_email_preferences(
            user=request.user, choices={event.key: event.key in chosen for event, _on in rows}
        )
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "notification_preferences.html",
        {"rows": rows, "has_email": bool(request.user.email)},
    )


def health_view(request):
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied_view(request, exception=None):
    return render(request, "403.html", status=403)


def not_found_view(request, exception=None):
    return render(request, "404.html", status=404)
