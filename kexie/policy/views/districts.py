"""The district view: a district association's tasks and its indicators next to the city's.

District staff open their own district only (another district answers 404, as a missing one would);
leaders, supervisors, auditors and the association's departments pick any district.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse

from kexie.policy import rules
from kexie.policy.district_view import build_district_view
from kexie.policy.enums import Light, TaskState
from kexie.policy.models import Task
from kexie.policy.queries import access_district, districts_visible_to


def _require_districts(user) -> None:
    if not rules.can_view_districts(user):
        raise PermissionDenied


@login_required
def district_index_view(request):
    """The district picker; a district user with one district goes straight to it."""
    user = request.user
    _require_districts(user)
    code = request.GET.get("district", "").strip()
    if code:
        return redirect("policy:district_detail", code=access_district(user, code).code)
    districts = list(districts_visible_to(user))
    if len(districts) == 1 and not rules.can_view_any_district(user):
        return redirect("policy:district_detail", code=districts[0].code)
    # Per district: tasks led or cooperated on, and the red ones among them (cancelled ones left out).
    led: Counter[int] = Counter()
    cooperating: Counter[int] = Counter()
    red: Counter[int] = Counter()
    ids = {district.pk for district in districts}
    open_tasks = Task.objects.exclude(state=TaskState.CANCELLED).filter(measure__notice__state="confirmed")
    for lead_id, light in open_tasks.filter(lead_id__in=ids).values_list("lead_id", "light"):
        led[lead_id] += 1
        red[lead_id] += light == Light.RED
    through = Task.cooperating.through.objects.filter(organization_id__in=ids, task__in=open_tasks)
    for organization_id, light in through.values_list("organization_id", "task__light"):
        cooperating[organization_id] += 1
        red[organization_id] += light == Light.RED
    return render(
        request,
        "policy/district_index.html",
        {
            "districts": districts,
            "rows": [(d, led[d.pk], cooperating[d.pk], red[d.pk]) for d in districts],
        },
    )


@login_required
def district_detail_view(request, code: str):
    user = request.user
    _require_districts(user)
    district = access_district(user, code)
    view = build_district_view(district)
    return render(
        request,
        "policy/district_detail.html",
        {
            "view": view,
            "district": district,
            "districts": list(districts_visible_to(user)),
            "picker_url": reverse("policy:district_index"),
            # Link a task only for those who may open it (department staff see the district's summary).
            "task_links": {task.pk for task in view.tasks if rules.can_view_task(user, task)},
            "sees_any": rules.can_view_any_district(user),
        },
    )


urlpatterns = [
    path("districts/", district_index_view, name="district_index"),
    path("districts/<str:code>/", district_detail_view, name="district_detail"),
]
