"""Shapes the literacy staff pages share: the editor check, a form page, a publish action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from kexie.core.forms import add_service_errors
from kexie.literacy import rules

TARGET_RATE = 15  # measure 9: more than 15% by 2025


def _editor(request) -> None:
    if not rules.is_literacy_editor(request.user):
        raise PermissionDenied


def _form_page(request, form, save, *, saved: str, detail: str, title: str):
    """A staff form on literacy/form.html: a valid POST goes to ``save(cleaned_data)`` (a service call
    returning the object); the service's errors land on the form's fields, success opens ``detail``."""
    if request.method == "POST" and form.is_valid():
        try:
            saved_object = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect(detail, pk=saved_object.pk)
    return render(request, "literacy/form.html", {"form": form, "title": title})


def _publish(request, target, publish, *, published: str, detail: str):
    """A publish button: ``publish()`` is the service call; a refusal is shown, not raised."""
    try:
        publish()
        messages.success(request, published)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(detail, pk=target.pk)
