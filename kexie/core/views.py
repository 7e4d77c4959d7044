"""View helpers every app's thin views share: "form → service → message → redirect" and a POST
button that runs one state transition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kexie.core.forms import add_service_errors


def submit_form(
    request: HttpRequest,
    form,
    service: Callable[[dict], Any],
    *,
    success_message: str,
    success_url: str | Callable[[Any], str],
    render_form: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A valid POST goes to ``service(cleaned_data)``; its ValidationError lands on the form's fields
    (the rest on top) and the page is shown again through ``render_form(form)``; success adds
    ``success_message`` and redirects to ``success_url`` (or ``success_url(result)``)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = service(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render_form(form)


def run_transition(
    request: HttpRequest, action: Callable[[], Any], *, success_message: str, redirect_to: str
) -> HttpResponse:
    """A POST button that moves an object with one service call: a refusal (ValidationError) comes
    back as error messages on the page it redirects to, never as an exception page."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect(redirect_to)


def safe_next(request, fallback: str) -> str:
    """The ``next`` parameter when it points into this site, else the URL of ``fallback`` (a URL name):
    never an open redirect to another host (``?next=https://evil.example``)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)
