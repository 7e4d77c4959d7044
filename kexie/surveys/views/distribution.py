"""Distribution: the public link and its QR code, invitation code batches, progress per station."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.core.qr import qr_svg_bytes
from kexie.surveys import rules, services
from kexie.surveys.exports import to_csv
from kexie.surveys.forms import BatchForm
from kexie.surveys.models import InvitationBatch
from kexie.surveys.queries import daily_completions, station_progress
from kexie.surveys.views.common import visible_survey


@login_required
def distribution_view(request, pk: int):
    survey = visible_survey(request, pk)
    can_issue = rules.can_issue_invitations(request.user, survey)
    form = BatchForm(request.POST or None) if can_issue else None
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied
        if form.is_valid():
            try:
                batch = services.issue_invitations(survey=survey, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(count)s invitation codes issued to %(station)s.")
                    % {"count": batch.quota, "station": batch.organization.name},
                )
                return redirect("surveys:distribution", pk=survey.pk)
    public_url = request.build_absolute_uri(reverse("surveys:public_start", args=[survey.public_token]))
    submitted = survey.responses.filter(submitted_at__isnull=False)
    return render(
        request,
        "surveys/distribution.html",
        {
            "survey": survey,
            "form": form,
            "public_url": public_url,
            "code_url": request.build_absolute_uri(reverse("surveys:code")),
            "batches": survey.batches.select_related("organization").order_by("pk"),
            "progress": station_progress(survey),
            "daily": daily_completions(survey),
            "submitted": submitted.count(),
            "public_submitted": submitted.filter(invitation__isnull=True).count(),
            "is_open": services.is_open(survey),
            "can_manage": rules.can_manage_survey(request.user, survey),
            "can_view_results": rules.can_view_results(request.user, survey),
        },
    )


@login_required
def qr_view(request, pk: int):
    survey = visible_survey(request, pk)
    url = request.build_absolute_uri(reverse("surveys:public_start", args=[survey.public_token]))
    response = HttpResponse(qr_svg_bytes(url, scale=6), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.svg"'
    return response


@login_required
def batch_codes_view(request, pk: int):
    batch = get_object_or_404(InvitationBatch.objects.select_related("survey", "organization"), pk=pk)
    if not rules.can_manage_survey(request.user, batch.survey):
        raise PermissionDenied
    code_url = request.build_absolute_uri(reverse("surveys:code"))
    rows = [
        [
            inv.code,
            batch.organization.name,
            _("used") if inv.used_at else _("unused"),
            f"{code_url}?code={inv.code}",
        ]
        for inv in services.export_invitation_codes(batch=batch, by=request.user)
    ]
    response = HttpResponse(
        to_csv([_("Invitation code"), _("Station"), _("State"), _("Link")], rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{batch.survey_id}-batch-{batch.pk}-codes.csv"'
    )
    return response
