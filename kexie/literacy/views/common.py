"""Shapes the literacy staff pages share: the editor check, a form page, a publish action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from kexie.core.views import run_transition, submit_form
from kexie.literacy import rules

TARGET_RATE = 15  # measure 9: more than 15% by 2025


def _editor(request) -> None:
    if not rules.is_literacy_editor(request.user):
        raise PermissionDenied


def _form_page(request, form, save, *, saved: str, detail: str, title: str):
    """A staff form on literacy/form.html: a valid POST goes to ``save(cleaned_data)`` (a service call
    returning the object); the service's errors land on the form's fields, success opens ``detail``."""
    return submit_form(
        request,
        form,
        save,
        success_message=saved,
        success_url=lambda saved_object: reverse(detail, kwargs={"pk": saved_object.pk}),
        render_form=lambda form: render(request, "literacy/form.html", {"form": form, "title": title}),
    )


def _publish(request, target, publish, *, published: str, detail: str):
    """A publish button: ``publish()`` is the service call; a refusal is shown, not raised."""
    return run_transition(
        request, publish, success_message=published, redirect_to=reverse(detail, kwargs={"pk": target.pk})
    )
