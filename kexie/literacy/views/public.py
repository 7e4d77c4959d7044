"""Public pages: the literacy home, registration and the contestant's profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.core.ratelimit import registration_refused
from kexie.core.views import safe_next
from kexie.literacy import queries, rules, services
from kexie.literacy.forms import (
    ProfileForm,
    RegisterForm,
)
from kexie.literacy.models import Contestant


def home_view(request):
    today = timezone.localdate()
    return render(
        request,
        "literacy/home.html",
        {
            "chapters": queries.published_chapters()[:6],
            "contests": queries.running_contests(on=today),
            "assessments": queries.open_assessments()[:5],
            "is_editor": rules.is_literacy_editor(request.user),
            "series": queries.city_series(),
        },
    )


def register_view(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and registration_refused(request):
        form.add_error(None, _("Too many registrations from your network. Please try again in an hour."))
        return render(request, "literacy/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_citizen(
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                district=data["district"],
                organization=data["organization"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. You can take part in the contest now."))
            return redirect(safe_next(request, "literacy:home"))
    return render(request, "literacy/register.html", {"form": form})


@login_required
def profile_view(request):
    contestant = Contestant.objects.filter(user=request.user).first()
    initial = (
        {"district": contestant.district_id, "organization": contestant.organization_id}
        if contestant
        else None
    )
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_contestant_profile(
                user=request.user,
                district=form.cleaned_data["district"],
                organization=form.cleaned_data["organization"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your district is saved."))
            return redirect(safe_next(request, "literacy:home"))
    return render(request, "literacy/profile.html", {"form": form})
