"""Pages of alliances and cooperation projects, and of international exchange (measure 12)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.societies import queries, rules, services
from kexie.societies.countries import country_name, is_belt_and_road
from kexie.societies.forms import (
    AllianceForm,
    DutySupportForm,
    ExchangeForm,
    IntlOrganizationForm,
    OutcomeForm,
    OverseasExpertForm,
    PositionForm,
    ProjectForm,
)
from kexie.societies.models import (
    IntlOrganization,
    OffshoreBase,
    OverseasExpert,
    OverseasPartner,
    PositionRecommendation,
)
from kexie.societies.views.common import form_page, require


def _societies_for(user):
    return queries.societies_visible_to(user) if rules.is_manager(user) else queries.own_societies(user)


@login_required
def cooperation(request):
    require(rules.can_view_cooperation(request.user))
    return render(
        request,
        "societies/cooperation.html",
        {
            "alliances": queries.alliances_visible_to(request.user),
            "projects": queries.projects_visible_to(request.user),
            "can_manage": rules.can_manage_cooperation(request.user),
        },
    )


@login_required
def alliance_create(request):
    require(rules.can_manage_cooperation(request.user))
    form = AllianceForm(request.POST or None, societies=_societies_for(request.user))
    return form_page(
        request,
        form,
        lambda data: services.create_alliance(by=request.user, **data),
        title=_("New alliance"),
        success_message=_("The alliance is recorded."),
        success_url=lambda a: reverse("societies:alliance_detail", args=[a.pk]),
        back_url=reverse("societies:cooperation"),
    )


@login_required
def alliance_detail(request, pk: int):
    alliance = queries.access_alliance(request.user, pk)
    return render(
        request, "societies/alliance_detail.html", {"alliance": alliance, "members": alliance.members.all()}
    )


@login_required
def project_create(request):
    require(rules.can_manage_cooperation(request.user))
    form = ProjectForm(request.POST or None, societies=_societies_for(request.user))
    return form_page(
        request,
        form,
        lambda data: services.record_project(by=request.user, **data),
        title=_("New cooperation project"),
        success_message=_("The project is recorded."),
        success_url=lambda p: reverse("societies:project_detail", args=[p.pk]),
        back_url=reverse("societies:cooperation"),
    )


@login_required
def project_detail(request, pk: int):
    project = queries.access_project(request.user, pk)
    can_edit = rules.is_manager(request.user) or rules.keeps(request.user, project.society)
    form = None
    if can_edit:
        form = OutcomeForm(
            request.POST or None,
            initial={
                "state": project.state,
                "outcomes": project.outcomes,
                "value": project.value,
                "outcome_note": project.outcome_note,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.update_project_outcome(project=project, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The outcome is saved."))
                return redirect("societies:project_detail", pk=project.pk)
    return render(request, "societies/project_detail.html", {"project": project, "form": form})


# --- international ---


@login_required
def international(request):
    require(rules.can_view_international(request.user))
    user = request.user
    exchanges = list(queries.exchanges_visible_to(user))
    by_country: Counter = Counter()
    for exchange in exchanges:
        by_country.update(exchange.countries)
    breakdown = [
        {"code": code, "name": country_name(code), "n": n, "bri": is_belt_and_road(code)}
        for code, n in by_country.most_common()
    ]
    return render(
        request,
        "societies/international.html",
        {
            "organizations": IntlOrganization.objects.all(),
            "positions": queries.positions_visible_to(user),
            "recommendations": PositionRecommendation.objects.select_related("organization", "expert"),
            "overseas": OverseasExpert.objects.select_related("expert"),
            "bases": OffshoreBase.objects.select_related("host"),
            "partners": OverseasPartner.objects.select_related("workstation", "base"),
            "exchanges": exchanges,
            "breakdown": breakdown,
            "n_bri": sum(1 for e in exchanges if e.belt_and_road),
            "can_manage": rules.can_manage_international(user),
        },
    )


def _intl_form(request, form, service, *, title, message):
    require(rules.can_manage_international(request.user))
    return form_page(
        request,
        form,
        service,
        title=title,
        success_message=message,
        success_url=reverse("societies:international"),
        back_url=reverse("societies:international"),
    )


@login_required
def intl_organization_create(request):
    return _intl_form(
        request,
        IntlOrganizationForm(request.POST or None),
        lambda data: services.create_intl_organization(by=request.user, **data),
        title=_("New international organization"),
        message=_("The organization is recorded."),
    )


@login_required
def position_create(request):
    return _intl_form(
        request,
        PositionForm(request.POST or None),
        lambda data: services.record_position(by=request.user, **data),
        title=_("Record a position held"),
        message=_("The position is recorded."),
    )


@login_required
def duty_support_create(request, pk: int):
    position = queries.access_position(request.user, pk)
    return _intl_form(
        request,
        DutySupportForm(request.POST or None),
        lambda data: services.record_duty_support(by=request.user, position=position, **data),
        title=_("Duty support for %(who)s") % {"who": position},
        message=_("The support is recorded."),
    )


@login_required
def exchange_create(request):
    return _intl_form(
        request,
        ExchangeForm(request.POST or None),
        lambda data: services.record_exchange(by=request.user, **data),
        title=_("Record an international exchange"),
        message=_("The exchange is recorded."),
    )


@login_required
def overseas_expert_create(request):
    return _intl_form(
        request,
        OverseasExpertForm(request.POST or None),
        lambda data: services.record_overseas_expert(by=request.user, **data),
        title=_("Overseas expert"),
        message=_("The overseas expert is saved."),
    )
