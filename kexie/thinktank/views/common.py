"""What the think tank's views share: the staff gate and the generic form page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from kexie.core.views import submit_form


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def form_page(
    request,
    form,
    service: Callable,
    *,
    title: str,
    success_message: str,
    success_url,
    back_url: str,
    multipart: bool = False,
    intro: str = "",
):
    """A page with one form: valid input goes to ``service(cleaned_data)``, its errors land on the form."""
    return submit_form(
        request,
        form,
        service,
        success_message=success_message,
        success_url=success_url,
        render_form=lambda bound: render(
            request,
            "thinktank/form.html",
            {"form": bound, "title": title, "back_url": back_url, "multipart": multipart, "intro": intro},
        ),
    )
