"""Demand pages: detail, an enterprise's list, create, edit, review actions and matches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import add_service_errors
from kexie.experts import rules as expert_rules
from kexie.transfer import matching, queries, rules, services
from kexie.transfer.enums import DemandState, TargetKind
from kexie.transfer.forms import (
    DemandFilterForm,
    DemandForm,
    MatchFilterForm,
    ReasonForm,
)
from kexie.transfer.models import Demand
from kexie.transfer.views.common import PAGE_SIZE


def _demand(request, pk: int) -> Demand:
    return queries.access_demand(request.user, pk)


def demand_detail(request, pk: int):
    demand = _demand(request, pk)
    user = request.user
    dockings = []
    if rules.can_manage_demand(user, demand) or rules.sees_all_demands(user) or rules.is_owner(user, demand):
        dockings = list(demand.dockings.annotate(record_count=Count("records")).order_by("-created_at"))
    return render(
        request,
        "transfer/demand_detail.html",
        {
            "demand": demand,
            "mobile": services.shown_contact_mobile(demand, user),
            "can_edit": rules.can_edit_demand(user, demand),
            "can_submit": rules.can_submit_demand(user, demand),
            "can_review": rules.can_review_demand(user, demand),
            "can_close": rules.can_close_demand(user, demand),
            "can_match": rules.can_see_suggestions(user, demand),
            "reason_form": ReasonForm(),
            "dockings": dockings,
        },
    )


@login_required
def my_demands(request):
    """Enterprises: their own demands; staff: every demand they may see, with a state filter."""
    form = DemandFilterForm(request.GET or None)
    demands = queries.demands_visible_to(request.user)
    if not rules.sees_all_demands(request.user) and not rules.district_codes(request.user):
        demands = queries.own_demands(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            demands = demands.filter(state=data["state"])
        if data["district"]:
            demands = demands.filter(district=data["district"])
        if data["q"]:
            demands = demands.filter(title__icontains=data["q"])
    page = Paginator(demands, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/my_demands.html",
        {
            "form": form,
            "page": page,
            "can_create": rules.can_create_demand(request.user),
            "is_staff_view": rules.sees_all_demands(request.user) or bool(rules.district_codes(request.user)),
            "waiting": queries.demands_visible_to(request.user).filter(state=DemandState.SUBMITTED).count()
            if rules.is_demand_manager(request.user) or rules.district_codes(request.user)
            else 0,
        },
    )


def _enterprise_for(request, form: DemandForm) -> Organization | None:
    owned = rules.enterprise_ids(request.user)
    if owned:
        return Organization.objects.get(pk=min(owned))
    enterprise_id = request.POST.get("enterprise") or request.GET.get("enterprise")
    return Organization.objects.filter(pk=enterprise_id, kind=OrganizationKind.ENTERPRISE).first()


@login_required
def demand_create(request):
    if not rules.can_create_demand(request.user):
        raise PermissionDenied
    form = DemandForm(request.POST or None)
    enterprises = (
        Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).order_by("name")
        if not rules.enterprise_ids(request.user)
        else None
    )
    if request.method == "POST" and form.is_valid():
        enterprise = _enterprise_for(request, form)
        if enterprise is None:
            form.add_error(None, _("Enterprise: choose the enterprise that posts the demand."))
        else:
            try:
                demand = services.create_demand(enterprise=enterprise, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The demand is saved as a draft. Submit it for review when it is ready.")
                )
                return redirect("transfer:demand_detail", pk=demand.pk)
    return render(request, "transfer/demand_form.html", {"form": form, "enterprises": enterprises})


@login_required
def demand_edit(request, pk: int):
    demand = _demand(request, pk)
    if not rules.can_edit_demand(request.user, demand):
        raise PermissionDenied
    initial = {field: getattr(demand, field) for field in [*services.DEMAND_FIELDS, "contact_mobile"]}
    form = DemandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_demand(demand=demand, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The demand is saved."))
            return redirect("transfer:demand_detail", pk=demand.pk)
    return render(request, "transfer/demand_form.html", {"form": form, "demand": demand})


def _act(request, pk: int, action, success: str, **extra):
    demand = _demand(request, pk)
    try:
        action(demand=demand, by=request.user, **extra)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("transfer:demand_detail", pk=demand.pk)


@login_required
@require_POST
def demand_submit(request, pk: int):
    return _act(request, pk, services.submit_demand, _("The demand is submitted for review."))


@login_required
@require_POST
def demand_publish(request, pk: int):
    return _act(request, pk, services.publish_demand, _("The demand is published."))


@login_required
@require_POST
def demand_return(request, pk: int):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request, pk, services.return_demand, _("The demand is returned to the enterprise."), reason=reason
    )


@login_required
@require_POST
def demand_close(request, pk: int):
    return _act(request, pk, services.close_demand, _("The demand is closed."))


@login_required
def demand_matches(request, pk: int):
    demand = _demand(request, pk)
    if not rules.can_see_suggestions(request.user, demand):
        raise PermissionDenied
    filter_form = MatchFilterForm(request.GET or None)
    experts = None
    filters = None
    if rules.can_match_experts(request.user, demand):
        data = filter_form.cleaned_data if filter_form.is_valid() else {}
        filters = matching.MatchFilters(
            district=data.get("district") or "",
            title=data.get("title") or "",
            overseas=bool(data.get("overseas")),
            available=bool(data.get("available")),
        )
        experts = matching.cached(
            TargetKind.EXPERT,
            demand,
            lambda: matching.match_experts(demand, filters=filters),
            filters=filters,
        )
    achievements = matching.cached(
        TargetKind.ACHIEVEMENT, demand, lambda: matching.match_achievements(demand)
    )
    teams = matching.cached(TargetKind.TEAM, demand, lambda: matching.match_teams(demand))
    docked = set(demand.dockings.values_list("target_kind", "target_id"))
    # Links only to pages the user may open: the expert library and the registry are staff pages,
    # achievements are public.
    urls = {
        TargetKind.EXPERT: "experts:detail" if expert_rules.can_view_library(request.user) else "",
        TargetKind.ACHIEVEMENT: "transfer:achievement_detail",
        TargetKind.TEAM: "transfer:team_detail" if rules.can_view_registry(request.user) else "",
    }
    for match in [*(experts or []), *achievements, *teams]:
        match.docked = (match.kind, match.id) in docked
        name = urls.get(match.kind, "")
        match.url = reverse(name, args=[int(match.id)]) if name and match.id.isdigit() else ""
    return render(
        request,
        "transfer/demand_matches.html",
        {
            "demand": demand,
            "filter_form": filter_form,
            "experts": experts,
            "achievements": achievements,
            "teams": teams,
            "can_dock": rules.can_create_docking(request.user, demand),
            "docking_url": reverse("transfer:docking_create", args=[demand.pk]),
            "bands": matching.band_legend(),
            # The lists are the same for every reader with the same links and docking right: kept per
            # demand, filters, links and dockings until the next audited write.
            "keep_key": (demand.pk, demand.updated_at, repr(filters), tuple(urls.values()), sorted(docked)),
        },
    )
