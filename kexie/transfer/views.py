"""Thin views: permission, form, service, redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.forms import add_service_errors
from kexie.core.queries import rows_in_rank_order
from kexie.experts import rules as expert_rules
from kexie.search import index as search
from kexie.search.documents import Filters
from kexie.search.enums import DocumentKind
from kexie.search.taxonomy import discipline_name, industry_name
from kexie.transfer import matching, queries, rules, services
from kexie.transfer.enums import DemandState, Outcome, TargetKind, WorkstationKind
from kexie.transfer.forms import (
    AchievementForm,
    DemandFilterForm,
    DemandForm,
    DockingCreateForm,
    DockingRecordForm,
    EnterpriseRegistrationForm,
    EvaluationForm,
    MatchFilterForm,
    MemberFormSet,
    OutcomeForm,
    ReasonForm,
    SearchForm,
    ServiceTeamForm,
    WorkstationForm,
    member_initial,
)
from kexie.transfer.models import Achievement, Demand, Docking, ServiceTeam, Workstation

PAGE_SIZE = 20


def _searched(queryset, *, kind: str, form: SearchForm, flags=()):
    """Free text through the search index (ranked ids), then the rows from the database in that order."""
    data = form.cleaned_data if form.is_valid() else {"q": "", "district": ""}
    if data.get("district"):
        queryset = queryset.filter(district=data["district"])
    if not data.get("q"):
        return queryset, None
    results = search.query(
        data["q"],
        kinds=[kind],
        filters=Filters(districts=(data["district"],) if data["district"] else (), flags=tuple(flags)),
        limit=100,
    )
    return rows_in_rank_order(queryset, results.hits), results


# --- public pages -----------------------------------------------------------------------------------


def public_demand_list(request):
    form = SearchForm(request.GET or None)
    rows, results = _searched(queries.public_demands(), kind=DocumentKind.DEMAND, form=form)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/public_demand_list.html",
        {
            "form": form,
            "page": page,
            "searched": results is not None,
            "can_post": rules.can_create_demand(request.user),
        },
    )


def public_achievement_list(request):
    form = SearchForm(request.GET or None)
    rows, results = _searched(
        queries.public_achievements(), kind=DocumentKind.ACHIEVEMENT, form=form, flags=("published",)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/public_achievement_list.html",
        {"form": form, "page": page, "searched": results is not None},
    )


def achievement_detail(request, pk: int):
    achievement = get_object_or_404(queries.achievements_visible_to(request.user), pk=pk)
    return render(request, "transfer/achievement_detail.html", {"achievement": achievement})


def register_enterprise(request):
    if request.user.is_authenticated:
        return redirect("transfer:my_demands")
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _enterprise = services.register_enterprise(
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                mobile=data["mobile"],
                enterprise_name=data["enterprise_name"],
                district=data["district"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Your enterprise is registered. You can now post a technical demand.")
            )
            return redirect("transfer:demand_create")
    return render(request, "transfer/register.html", {"form": form})


# --- demands ----------------------------------------------------------------------------------------


def _demand(request, pk: int) -> Demand:
    demand = get_object_or_404(Demand.objects.select_related("industry", "enterprise"), pk=pk)
    if not rules.can_view_demand(request.user, demand):
        if request.user.is_authenticated:
            raise PermissionDenied
        raise Http404
    return demand


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
            "mobile": demand.contact_mobile if rules.can_see_contact(user, demand) else demand.masked_mobile,
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
            if rules.is_manager(request.user) or rules.district_codes(request.user)
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
    if rules.can_match_experts(request.user, demand):
        data = filter_form.cleaned_data if filter_form.is_valid() else {}
        experts = matching.match_experts(
            demand,
            filters=matching.MatchFilters(
                district=data.get("district") or "",
                title=data.get("title") or "",
                overseas=bool(data.get("overseas")),
                available=bool(data.get("available")),
            ),
        )
    docked = set(demand.dockings.values_list("target_kind", "target_id"))
    return render(
        request,
        "transfer/demand_matches.html",
        {
            "demand": demand,
            "filter_form": filter_form,
            "experts": experts,
            "achievements": matching.match_achievements(demand),
            "teams": matching.match_teams(demand),
            "docked": {f"{kind}:{ident}" for kind, ident in docked},
            "can_dock": rules.can_create_docking(request.user, demand),
            "kinds": TargetKind,
        },
    )


# --- dockings ---------------------------------------------------------------------------------------


@login_required
@require_POST
def docking_create(request, pk: int):
    demand = _demand(request, pk)
    form = DockingCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The match could not be read; reload the page and try again."))
        return redirect("transfer:demand_matches", pk=demand.pk)
    try:
        docking = services.create_docking(demand=demand, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("transfer:demand_matches", pk=demand.pk)
    messages.success(request, _("The docking is created. Record contacts and meetings as they happen."))
    return redirect("transfer:docking_detail", pk=docking.pk)


@login_required
def docking_list(request):
    dockings = queries.dockings_visible_to(request.user)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        dockings = dockings.filter(outcome=outcome)
    page = Paginator(dockings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "transfer/docking_list.html", {"page": page, "outcome": outcome, "outcomes": Outcome}
    )


def _docking(request, pk: int) -> Docking:
    docking = get_object_or_404(
        Docking.objects.select_related("demand", "demand__enterprise", "created_by"), pk=pk
    )
    if not rules.can_view_docking(request.user, docking):
        raise PermissionDenied
    return docking


@login_required
def docking_detail(request, pk: int):
    docking = _docking(request, pk)
    can_update = rules.can_update_docking(request.user, docking)
    record_form = DockingRecordForm(prefix="record")
    outcome_form = OutcomeForm(prefix="outcome")
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if "record-kind" in request.POST:
            record_form = DockingRecordForm(request.POST, prefix="record")
            if record_form.is_valid():
                data = record_form.cleaned_data
                try:
                    services.add_docking_record(
                        docking=docking,
                        kind=data["kind"],
                        on=data["date"],
                        note=data["note"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(record_form, exc)
                else:
                    messages.success(request, _("The record is added."))
                    return redirect("transfer:docking_detail", pk=docking.pk)
        else:
            outcome_form = OutcomeForm(request.POST, prefix="outcome")
            if outcome_form.is_valid():
                data = outcome_form.cleaned_data
                try:
                    services.record_outcome(
                        docking=docking,
                        outcome=data["outcome"],
                        amount=data["amount"],
                        signed_on=data["signed_on"],
                        note=data["note"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(outcome_form, exc)
                else:
                    messages.success(request, _("The outcome is recorded."))
                    return redirect("transfer:docking_detail", pk=docking.pk)
    return render(
        request,
        "transfer/docking_detail.html",
        {
            "docking": docking,
            "records": docking.records.select_related("created_by"),
            "can_update": can_update,
            "record_form": record_form,
            "outcome_form": outcome_form,
            "pending": docking.outcome == Outcome.PENDING,
        },
    )


# --- registries -------------------------------------------------------------------------------------


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
    team = get_object_or_404(ServiceTeam, pk=pk)
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
    _registry_viewer(request)
    team = get_object_or_404(ServiceTeam.objects.select_related("lead_organization"), pk=pk)
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
