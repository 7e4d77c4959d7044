"""Public pages: published demands and achievements, enterprise registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.core.ratelimit import registration_refused
from kexie.transfer import queries, rules, services
from kexie.transfer.enums import SearchKind
from kexie.transfer.forms import (
    EnterpriseRegistrationForm,
    SearchForm,
)
from kexie.transfer.views.common import PAGE_SIZE, _searched


def public_demand_list(request):
    form = SearchForm(request.GET or None)
    rows, results = _searched(queries.public_demands(), kind=SearchKind.DEMAND, form=form)
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
        queries.public_achievements(), kind=SearchKind.ACHIEVEMENT, form=form, flags=("published",)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/public_achievement_list.html",
        {"form": form, "page": page, "searched": results is not None},
    )


def achievement_detail(request, pk: int):
    achievement = queries.access_achievement(request.user, pk)
    return render(request, "transfer/achievement_detail.html", {"achievement": achievement})


def register_enterprise(request):
    if request.user.is_authenticated:
        return redirect("transfer:my_demands")
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and registration_refused(request):
        form.add_error(None, _("Too many registrations from your network. Please try again in an hour."))
        return render(request, "transfer/register.html", {"form": form}, status=429)
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
