"""What the societies pages share: the staff check and the one generic form page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from kexie.core.views import submit_form

PAGE_SIZE = 25


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def form_page(request, form, service, *, title, success_message, success_url, back_url, intro=""):
    """A page with one form whose valid POST goes to ``service(cleaned_data)``."""
    return submit_form(
        request,
        form,
        service,
        success_message=success_message,
        success_url=success_url,
        render_form=lambda f: render(
            request,
            "societies/form.html",
            {"form": f, "title": title, "back_url": back_url, "intro": intro},
        ),
    )
