"""Exports and imports: the breakdown table (.xlsx) out and back in, and the supervision bulletin
(.docx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from kexie.policy import rules
from kexie.policy.exports.breakdown import breakdown_rows, breakdown_tasks, export_breakdown
from kexie.policy.exports.breakdown_import import BreakdownImportError, apply_breakdown_import
from kexie.policy.exports.bulletin import (
    DEFAULT_CLOSING,
    compose_bulletin,
    default_bulletin_number,
    export_bulletin,
)
from kexie.policy.forms.exports import XLSX_TYPE, BreakdownExportForm, BreakdownImportForm, BulletinForm
from kexie.policy.queries import current_notice

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _export_form(request) -> BreakdownExportForm:
    """The filters, bound to the query string; the notice defaults to the current one."""
    data = request.GET.copy()
    if not data.get("notice"):
        notice = current_notice()
        data["notice"] = notice.pk if notice else ""
    return BreakdownExportForm(data)


def _export_page(request, form: BreakdownExportForm, rows: list, status: int = 200):
    return render(
        request,
        "policy/export_breakdown.html",
        {
            "form": form,
            "rows": rows,
            "query": request.GET.urlencode(),
            "has_notice": bool(form.data.get("notice")),
            "can_import": rules.can_import_breakdown(request.user),
            "can_bulletin": rules.can_remind(request.user),
        },
        status=status,
    )


@login_required
def breakdown_export_view(request):
    """The breakdown table as it will be exported, with filters and the download."""
    if not rules.can_export(request.user):
        raise PermissionDenied
    form = _export_form(request)
    if not form.is_valid():
        return _export_page(request, form, [], status=400 if form.data.get("notice") else 200)
    data = form.cleaned_data
    rows = breakdown_rows(
        breakdown_tasks(
            user=request.user, notice=data["notice"], department=data["department"], light=data["light"]
        )
    )
    return _export_page(request, form, rows)


@login_required
def breakdown_xlsx_view(request):
    if not rules.can_export(request.user):
        raise PermissionDenied
    form = _export_form(request)
    if not form.is_valid():
        return _export_page(request, form, [], status=400)
    data = form.cleaned_data
    content = export_breakdown(
        notice=data["notice"], by=request.user, department=data["department"], light=data["light"]
    )
    notice = data["notice"]
    filename = f"任务分解表-{notice.doc_number or notice.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    return _download(content, content_type=XLSX_TYPE, filename=filename)


@login_required
def breakdown_import_view(request):
    if not rules.can_import_breakdown(request.user):
        raise PermissionDenied
    notice = current_notice()
    form = BreakdownImportForm(
        request.POST or None, request.FILES or None, initial={"notice": notice.pk if notice else None}
    )
    context = {"form": form, "errors": [], "result": None}
    if request.method != "POST":
        return render(request, "policy/export_import.html", context)
    if not form.is_valid():
        return render(request, "policy/export_import.html", context, status=400)
    data = form.cleaned_data
    upload = data["file"]
    try:
        result = apply_breakdown_import(
            notice=data["notice"],
            data=upload.read(),
            by=request.user,
            name=upload.name,
            reason=data["reason"],
            dry_run=data["dry_run"],
        )
    except BreakdownImportError as exc:
        context["errors"] = [str(error) for error in exc.errors]
        return render(request, "policy/export_import.html", context, status=400)
    counts = result.counts
    if result.dry_run:
        messages.info(
            request,
            _(
                "The table is valid; nothing has been written. Importing it would update "
                "%(updated)s, create %(created)s, request due-date adjustments for "
                "%(change_requests)s and leave %(unchanged)s tasks unchanged."
            )
            % counts,
        )
    else:
        messages.success(
            request,
            _(
                "The table has been imported. Tasks updated: %(updated)s; created: "
                "%(created)s; due-date adjustments requested: %(change_requests)s; "
                "unchanged: %(unchanged)s."
            )
            % counts,
        )
    context.update(result=result, form=BreakdownImportForm(initial={"notice": data["notice"].pk}))
    return render(request, "policy/export_import.html", context)


def _bulletin_form(request) -> BulletinForm:
    if request.method == "POST":
        return BulletinForm(request.POST)
    notice = current_notice()
    today = timezone.localdate()
    initial = {
        "notice": notice.pk if notice else None,
        "number": default_bulletin_number(on=today),
        "as_of": today.isoformat(),
        "closing": DEFAULT_CLOSING,
    }
    return BulletinForm({**initial, **request.GET.dict()})


@login_required
def bulletin_view(request):
    """Choose the notice, number, date and closing text; preview the bulletin; download it (POST, as the
    export is audited)."""
    if not rules.can_remind(request.user):
        raise PermissionDenied
    form = _bulletin_form(request)
    template = "policy/export_bulletin_preview.html" if _is_htmx(request) else "policy/export_bulletin.html"
    if not form.is_valid():
        asked = request.method == "POST" or bool(request.GET)
        return render(request, template, {"form": form, "bulletin": None}, status=400 if asked else 200)
    data = form.cleaned_data
    if request.method == "POST":
        bulletin, content = export_bulletin(
            notice=data["notice"],
            number=data["number"],
            as_of=data["as_of"],
            by=request.user,
            closing=data["closing"],
        )
        return _download(content, content_type=DOCX_TYPE, filename=f"督办通报-{bulletin.number}.docx")
    bulletin = compose_bulletin(
        notice=data["notice"], number=data["number"], as_of=data["as_of"], closing=data["closing"]
    )
    return render(request, template, {"form": form, "bulletin": bulletin})


urlpatterns = [
    path("exports/", breakdown_export_view, name="export_breakdown"),
    path("exports/breakdown.xlsx", breakdown_xlsx_view, name="export_breakdown_xlsx"),
    path("exports/breakdown/import/", breakdown_import_view, name="import_breakdown"),
    path("exports/bulletin/", bulletin_view, name="bulletin"),
]
