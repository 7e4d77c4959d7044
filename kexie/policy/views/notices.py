"""Notice import: the list of notices, upload or paste, the editable draft with its unit mapping,
and the confirmed notice with each measure's clause anchored in the source text."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.policy import rules, services
from kexie.policy.enums import NoticeState, ScanState
from kexie.policy.models import Measure, MeasureDepartment, Notice, NoticeScan, Section, Target
from kexie.policy.notices import importing, scans
from kexie.policy.notices.forms import DraftEditor, NoticeImportForm
from kexie.policy.notices.parser import NoticeParseError
from kexie.policy.queries import access_notice, notices_visible_to

PAGE_SIZE = 30


# --- list ------------------------------------------------------------------------------------------


@login_required
def notice_list_view(request):
    can_import = rules.can_import_notice(request.user)
    notices = (
        notices_visible_to(request.user)
        .annotate(measure_count=Count("measures"))
        .defer("source_text")
        # Drafts first: they wait for someone to confirm them.
        .order_by("-state", "-created_at", "-pk")
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "notice": notice,
            "measures": notice.measure_count
            if notice.state == NoticeState.CONFIRMED
            else sum(len(s.get("measures", [])) for s in notice.draft.get("sections", [])),
        }
        for notice in page
    ]
    # The user's scans still being recognised: their drafts appear in the list when done.
    scans = (
        NoticeScan.objects.filter(created_by=request.user, state__in=[ScanState.QUEUED, ScanState.RUNNING])
        .defer("data")
        .order_by("-created_at")[:10]
        if can_import
        else []
    )
    return render(
        request,
        "policy/notice_list.html",
        {"page": page, "rows": rows, "can_import": can_import, "scans": scans},
    )


# --- import ----------------------------------------------------------------------------------------


@csrf_exempt
@login_required
def notice_import_view(request):
    """Exempt only so that a body over Django's size limits is answered with the form and a clear
    message instead of a 400 page: nothing is written on that path; every other request goes
    through `csrf_protect` below."""
    if not rules.can_import_notice(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 - parse now, to catch a body over the limit
            request.FILES  # noqa: B018
        except RequestDataTooBig:
            form = NoticeImportForm(data={}, too_big=True)
            form.is_valid()
            return render(request, "policy/notice_import.html", _import_context(form))
    return _notice_import(request)


@csrf_protect
def _notice_import(request):
    form = NoticeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("scan"):
        scan = scans.start_scan(
            data=form.cleaned_data["scan"]["data"],
            source_name=form.cleaned_data["source_name"],
            pages=form.cleaned_data["scan"]["pages"],
            by=request.user,
        )
        return redirect("policy:notice_scan", scan.pk)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.create_notice_draft(
                text=form.cleaned_data["notice_text"],
                source_name=form.cleaned_data["source_name"],
                by=request.user,
            )
        except NoticeParseError as exc:
            form.add_error(form.source_field, exc.message)
        else:
            messages.success(
                request, _("The notice has been read. Check the draft, map the units and confirm it.")
            )
            return redirect("policy:notice_draft", notice.pk)
    return render(request, "policy/notice_import.html", _import_context(form))


def _import_context(form) -> dict:
    return {"form": form, "max_mb": importing.max_upload_bytes() // (1024 * 1024)}


# --- scans: text recognition in a background job --------------------------------------------------


@login_required
def notice_scan_view(request, pk: int):
    """Progress of a scan's text recognition (the page polls it with htmx), its error if it failed,
    and, once done, the way to the draft. Only the person who uploaded the scan sees it."""
    if not rules.can_import_notice(request.user):
        raise PermissionDenied
    scan = get_object_or_404(NoticeScan.objects.defer("data"), pk=pk, created_by=request.user)
    if scan.state == ScanState.DONE:
        target = (
            reverse("policy:notice_draft", args=[scan.notice_id])
            if scan.notice_id
            else reverse("policy:notice_list")
        )
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        if scan.notice_id:
            messages.success(
                request, _("The notice has been read. Check the draft, map the units and confirm it.")
            )
        return redirect(target)
    template = (
        "policy/_scan_progress.html" if request.headers.get("HX-Request") else "policy/notice_scan.html"
    )
    return render(
        request, template, {"scan": scan, "polling": scan.state in (ScanState.QUEUED, ScanState.RUNNING)}
    )


# --- draft -----------------------------------------------------------------------------------------


def _mapping_organizations() -> list[Organization]:
    # Enterprises are never a notice's responsible unit, and may be many.
    return list(
        Organization.objects.filter(is_active=True)
        .exclude(kind=OrganizationKind.ENTERPRISE)
        .order_by("sort_order", "name")
    )


@login_required
def notice_draft_view(request, pk: int):
    if not rules.can_import_notice(request.user):
        raise PermissionDenied
    notice = get_object_or_404(Notice, pk=pk)
    if notice.state != NoticeState.DRAFT:
        return redirect("policy:notice_detail", notice.pk)
    data = request.POST if request.method == "POST" else None
    confirming = data is not None and data.get("action") == "confirm"
    editor = DraftEditor(notice, data, organizations=_mapping_organizations(), confirming=confirming)
    if editor.is_valid():
        try:
            if confirming:
                notice = importing.confirm_draft(
                    notice=notice,
                    draft=editor.draft,
                    by=request.user,
                    choices=editor.choices(),
                    due_date=editor.due_date,
                )
                messages.success(
                    request, _("The notice is confirmed: its measures and tasks are in the ledger.")
                )
                return redirect("policy:notice_detail", notice.pk)
            importing.save_draft(notice=notice, draft=editor.draft, by=request.user, choices=editor.choices())
            messages.success(request, _("The draft has been saved."))
            return redirect("policy:notice_draft", notice.pk)
        except ValidationError as exc:
            for message in exc.messages:
                editor.add_error(message)
    elif data is not None:
        editor.add_error(_("Please correct the fields marked below."))
    draft = editor.draft
    return render(
        request,
        "policy/notice_draft.html",
        {
            "notice": notice,
            "editor": editor,
            "without_departments": importing.measures_without_departments(draft),
            "scan_quality": _scan_quality(notice, draft),
            "measure_count": sum(len(s.get("measures", [])) for s in draft.get("sections", [])),
        },
    )


def _scan_quality(notice: Notice, draft: dict) -> dict | None:
    """For a draft read from a scan: each page's confidence, the low-confidence lines, and the
    numbers of the measures whose text contains one of them."""
    scan = NoticeScan.objects.filter(notice=notice).defer("data").first()
    if scan is None or not scan.quality:
        return None
    quality = scan.quality
    low_lines = [line["text"] for page in quality.get("pages", []) for line in page.get("low_lines", [])]
    measures = [
        measure["number"]
        for section in draft.get("sections", [])
        for measure in section.get("measures", [])
        if any(_clean(line) and _clean(line) in _clean(measure.get("text", "")) for line in low_lines)
    ]
    return {**quality, "low_count": len(low_lines), "low_measures": measures}


# The number a measure's first line starts with: the measure's text does not repeat it.
_LINE_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*[.．、]|[（(][^）)]{1,4}[）)]|[一二三四五六七八九十]+\s*、)")


def _clean(text: str) -> str:
    # Lines are compared without their number, spaces and punctuation: the paragraphs they were joined
    # into were normalised afterwards.
    return "".join(char for char in _LINE_NUMBER.sub("", text) if char.isalnum())


@login_required
@require_POST
def notice_discard_view(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk)
    try:
        importing.discard_draft(notice=notice, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policy:notice_detail", notice.pk)
    messages.success(request, _("The draft has been discarded."))
    return redirect("policy:notice_list")


# --- confirmed notice ------------------------------------------------------------------------------


@login_required
def notice_detail_view(request, pk: int):
    notice = access_notice(request.user, pk)
    if notice.state == NoticeState.DRAFT:
        return redirect("policy:notice_draft", notice.pk)
    measures = list(
        Measure.objects.filter(notice=notice)
        .select_related("section")
        .prefetch_related(
            Prefetch("department_links", queryset=MeasureDepartment.objects.select_related("organization")),
            Prefetch("targets", queryset=Target.objects.order_by("year", "pk")),
        )
    )
    sections = list(Section.objects.filter(notice=notice))
    by_section = {section.pk: [] for section in sections}
    for measure in measures:
        by_section.setdefault(measure.section_id, []).append(measure)
    return render(
        request,
        "policy/notice_detail.html",
        {
            "notice": notice,
            "sections": [
                {
                    "section": s,
                    "label": importing.chinese_numeral(s.number),
                    "measures": by_section.get(s.pk, []),
                }
                for s in sections
            ],
            "measures": measures,
            "segments": clause_segments(notice.source_text, measures),
            "targets": [target for measure in measures for target in measure.targets.all()],
        },
    )


def clause_segments(text: str, measures: list[Measure]) -> list[dict]:
    """The source text cut into the measures' clauses and the text between them, each as lines.
    Offsets that overlap an earlier clause or fall outside the text are not anchored."""
    segments: list[dict] = []
    position = 0
    for measure in sorted(measures, key=lambda m: (m.clause_start, m.number)):
        start, end = measure.clause_start, measure.clause_end
        if not (position <= start < end <= len(text)):
            continue
        if start > position:
            segments.append({"measure": None, "lines": _lines(text[position:start])})
        segments.append({"measure": measure, "lines": _lines(text[start:end])})
        position = end
    if position < len(text):
        segments.append({"measure": None, "lines": _lines(text[position:])})
    return [segment for segment in segments if segment["lines"]]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


urlpatterns = [
    path("notices/", notice_list_view, name="notice_list"),
    path("notices/import/", notice_import_view, name="notice_import"),
    path("notices/scans/<int:pk>/", notice_scan_view, name="notice_scan"),
    path("notices/<int:pk>/", notice_detail_view, name="notice_detail"),
    path("notices/<int:pk>/draft/", notice_draft_view, name="notice_draft"),
    path("notices/<int:pk>/discard/", notice_discard_view, name="notice_discard"),
]
