"""Registry pages: achievements, service teams and workstations with their evaluations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.experts import rules as expert_rules
from kexie.search.taxonomy import discipline_name, industry_name
from kexie.transfer import queries, rules, services
from kexie.transfer.enums import WorkstationKind
from kexie.transfer.forms import (
    AchievementForm,
    EvaluationForm,
    MemberFormSet,
    ServiceTeamForm,
    WorkstationForm,
    member_initial,
)
from kexie.transfer.models import Achievement, ServiceTeam, Workstation
from kexie.transfer.views.common import PAGE_SIZE


def _registry_viewer(request) -> None:
    if not rules.can_view_registry(request.user):
        raise PermissionDenied


@login_required
def achievement_manage(request):
    _registry_viewer(request)
    form = AchievementForm(request.POST or None)
    if request.method == "POST":
        if not rules.can_manage_registry(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                achievement = services.create_achievement(by=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The achievement is added."))
                return redirect("transfer:achievement_detail", pk=achievement.pk)
    achievements = Achievement.objects.select_related("industry")
    page = Paginator(achievements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/achievement_manage.html",
        {"form": form, "page": page, "can_manage": rules.can_manage_registry(request.user)},
    )


@login_required
def team_list(request):
    _registry_viewer(request)
    teams = ServiceTeam.objects.select_related("lead_organization")
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/team_list.html",
        {"page": page, "can_manage": rules.can_manage_registry(request.user)},
    )


def _registry_form(request, *, form, members, save, template: str, context: dict):
    """The create and edit pages of teams and workstations: the form and its member rows, one
    service call, and every error (the service's too) shown on the form."""
    if request.method == "POST" and form.is_valid() and members.is_valid():
        try:
            saved = save(**form.cleaned_data, members=members.members())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return saved
    return render(request, template, {**context, "form": form, "members": members})


def _registry_manager(request) -> None:
    if not rules.can_manage_registry(request.user):
        raise PermissionDenied


@login_required
def team_create(request):
    _registry_manager(request)
    form = ServiceTeamForm(request.POST or None)
    members = MemberFormSet(request.POST or None, prefix="members")

    def save(**values):
        team = services.create_service_team(by=request.user, **values)
        messages.success(request, _("The service team is added."))
        return redirect("transfer:team_detail", pk=team.pk)

    return _registry_form(
        request, form=form, members=members, save=save, template="transfer/team_form.html", context={}
    )


@login_required
def team_edit(request, pk: int):
    _registry_manager(request)
    team = queries.access_team(request.user, pk)
    initial = {
        "name": team.name,
        "lead_organization": team.lead_organization_id,
        "description": team.description,
        "districts": team.districts,
        "disciplines": "、".join(team.disciplines),
        "industries": "、".join(team.industries),
    }
    form = ServiceTeamForm(request.POST or None, initial=initial)
    members = MemberFormSet(request.POST or None, prefix="members", initial=member_initial(team.members))

    def save(**values):
        services.update_service_team(team=team, by=request.user, **values)
        messages.success(request, _("The service team is saved."))
        return redirect("transfer:team_detail", pk=team.pk)

    return _registry_form(
        request,
        form=form,
        members=members,
        save=save,
        template="transfer/team_form.html",
        context={"team": team},
    )


@login_required
def team_detail(request, pk: int):
    team = queries.access_team(request.user, pk)
    return render(
        request,
        "transfer/team_detail.html",
        {
            "team": team,
            "disciplines": [(code, discipline_name(code)) for code in team.disciplines],
            "industries": [(code, industry_name(code)) for code in team.industries],
            "can_manage": rules.can_manage_registry(request.user),
            "link_experts": expert_rules.can_view_library(request.user),
        },
    )


@login_required
def workstation_list(request):
    _registry_viewer(request)
    kind = request.GET.get("kind", "")
    workstations = (
        Workstation.objects.select_related("host_organization")
        .annotate(n_evaluations=Count("evaluations"))
        .order_by("kind", "name")
    )
    if kind in WorkstationKind.values:
        workstations = workstations.filter(kind=kind)
    page = Paginator(workstations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/workstation_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": WorkstationKind.choices,
            "can_manage": rules.can_manage_registry(request.user),
        },
    )


@login_required
def workstation_create(request):
    _registry_manager(request)
    form = WorkstationForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    members = MemberFormSet(request.POST or None, prefix="members")

    def save(**values):
        workstation = services.create_workstation(by=request.user, **values)
        messages.success(request, _("The workstation is added."))
        return redirect("transfer:workstation_detail", pk=workstation.pk)

    return _registry_form(
        request, form=form, members=members, save=save, template="transfer/workstation_form.html", context={}
    )


@login_required
def workstation_edit(request, pk: int):
    _registry_manager(request)
    workstation = get_object_or_404(Workstation, pk=pk)
    initial = {
        "kind": workstation.kind,
        "name": workstation.name,
        "host_organization": workstation.host_organization_id,
        "district": workstation.district,
        "established_year": workstation.established_year,
    }
    form = WorkstationForm(request.POST or None, initial=initial)
    members = MemberFormSet(
        request.POST or None, prefix="members", initial=member_initial(workstation.members)
    )

    def save(**values):
        services.update_workstation(workstation=workstation, by=request.user, **values)
        messages.success(request, _("The workstation is saved."))
        return redirect("transfer:workstation_detail", pk=workstation.pk)

    return _registry_form(
        request,
        form=form,
        members=members,
        save=save,
        template="transfer/workstation_form.html",
        context={"workstation": workstation},
    )


@login_required
def workstation_detail(request, pk: int):
    _registry_viewer(request)
    workstation = get_object_or_404(Workstation.objects.select_related("host_organization"), pk=pk)
    form = EvaluationForm(request.POST or None)
    can_manage = rules.can_manage_registry(request.user)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_evaluation(workstation=workstation, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The evaluation is recorded."))
                return redirect(reverse("transfer:workstation_detail", args=[workstation.pk]))
    return render(
        request,
        "transfer/workstation_detail.html",
        {
            "workstation": workstation,
            "evaluations": workstation.evaluations.all(),
            "form": form,
            "can_manage": can_manage,
            "link_experts": expert_rules.can_view_library(request.user),
        },
    )
