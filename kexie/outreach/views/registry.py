"""One list page and one form page for every plain registry (kexie/outreach/registries.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.core.views import submit_form
from kexie.outreach import rules, services
from kexie.outreach.registries import REGISTRIES, cell
from kexie.outreach.views.common import PAGE_SIZE, require


def _spec(key: str):
    spec = REGISTRIES.get(key)
    if spec is None:
        raise Http404
    return spec


def registry_list(request, key: str):
    spec = _spec(key)
    user = request.user
    if not spec.public:
        if not user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login  # noqa: PLC0415

            return redirect_to_login(request.get_full_path())
        require(rules.can_view_registry(user) or rules.is_volunteer(user))
    queryset = spec.visible(user) if rules.can_view_registry(user) else spec.model._default_manager.all()
    page = Paginator(queryset.order_by(*spec.model._meta.ordering or ["pk"]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = [spec.model._meta.get_field(name).verbose_name for name in spec.columns]
    rows = [
        {
            "obj": obj,
            "cells": [cell(obj, name) for name in spec.columns],
            "edit": user.is_authenticated and spec.can_change(user, obj),
            "url": reverse(spec.detail_url, args=[obj.pk]) if spec.detail_url else "",
        }
        for obj in page
    ]
    return render(
        request,
        "outreach/registry_list.html",
        {
            "spec": spec,
            "labels": labels,
            "rows": rows,
            "page": page,
            "can_create": user.is_authenticated and spec.can_create(user),
        },
    )


@login_required
def registry_form(request, key: str, pk: int | None = None):
    spec = _spec(key)
    user = request.user
    if pk is None:
        require(spec.can_create(user))
        instance = spec.model()
    else:
        instance = get_object_or_404(spec.visible(user), pk=pk)
        require(spec.can_change(user, instance))
    form_class = spec.form_class(user)
    form = form_class(request.POST or None, instance=instance if pk else None)
    if pk is not None and request.method != "POST":
        form = form_class(instance=instance)
    # The ModelForm validates the values; the service applies them to the record, checks the rule on
    # the result and writes with its audit event. The form's own instance is not saved.
    return submit_form(
        request,
        form,
        lambda data: services.save_record(
            instance=spec.model.objects.get(pk=pk) if pk else spec.model(),
            values=data,
            by=user,
            can=spec.can_change,
            action=f"outreach.{spec.key}",
        ),
        success_message=_("Saved."),
        success_url=reverse("outreach:registry", args=[spec.key]),
        render_form=lambda f: render(
            request,
            "outreach/registry_form.html",
            {"spec": spec, "form": f, "instance": instance if pk else None},
        ),
    )
