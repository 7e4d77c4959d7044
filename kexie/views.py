"""Project-level pages: home, notifications, health and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kexie.accounts.queries import active_memberships, has_global_scope
from kexie.core.models import Notification
from kexie.core.services import mark_notifications_read


@login_required
def home_view(request):
    return render(
        request,
        "home.html",
        {
            "memberships": active_memberships(request.user),
            "global_scope": has_global_scope(request.user),
            "notifications": Notification.objects.filter(user=request.user, read_at__isnull=True)[:5],
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


def health_view(request):
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied_view(request, exception=None):
    return render(request, "403.html", status=403)


def not_found_view(request, exception=None):
    return render(request, "404.html", status=404)
