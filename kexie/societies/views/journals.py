"""Pages of the journal registry, the directory (compose, publish; public page, .xlsx and .pdf) and
the journal-cluster showcase."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.exports import XLSX_TYPE, table_xlsx
from kexie.core.forms import add_service_errors
from kexie.core.views import run_transition
from kexie.societies import queries, rules, services
from kexie.societies.enums import DirectoryState
from kexie.societies.forms import DirectoryEntryForm, DirectoryForm, ImpactForm, JournalForm
from kexie.societies.models import DirectoryEntry, Journal
from kexie.societies.views.common import PAGE_SIZE, form_page, require


def journal_list(request):
    journals = queries.journals_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        journals = (
            journals.filter(title__icontains=q)
            | journals.filter(cn__icontains=q)
            | journals.filter(issn__icontains=q)
        )
    page = Paginator(journals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "societies/journal_list.html",
        {"page": page, "q": q, "can_manage": rules.can_manage_journals(request.user)},
    )


@login_required
def journal_create(request):
    require(rules.can_manage_journals(request.user))
    form = JournalForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.register_journal(by=request.user, **data),
        title=_("Register a journal"),
        success_message=_("The journal is registered."),
        success_url=lambda journal: reverse("societies:journal_detail", args=[journal.pk]),
        back_url=reverse("societies:journal_list"),
    )


@login_required
def journal_edit(request, pk: int):
    journal = queries.access_journal(request.user, pk)
    require(rules.can_edit_journal(request.user, journal))
    initial = {f: getattr(journal, f) for f in JournalForm.base_fields if f != "indexing"}
    initial["indexing"] = list(journal.indexing.all())
    form = JournalForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.update_journal(journal=journal, by=request.user, **data),
        title=_("Edit %(title)s") % {"title": journal.title},
        success_message=_("The journal is saved."),
        success_url=reverse("societies:journal_detail", args=[journal.pk]),
        back_url=reverse("societies:journal_detail", args=[journal.pk]),
    )


def journal_detail(request, pk: int):
    journal = queries.access_journal(request.user, pk)
    can_edit = request.user.is_authenticated and rules.can_edit_journal(request.user, journal)
    form = ImpactForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            try:
                services.record_impact(journal=journal, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The impact figure is recorded."))
                return redirect("societies:journal_detail", pk=journal.pk)
    entries = journal.directory_entries.filter(directory__state=DirectoryState.PUBLISHED).select_related(
        "directory"
    )
    return render(
        request,
        "societies/journal_detail.html",
        {
            "journal": journal,
            "impacts": journal.impacts.all(),
            "form": form,
            "can_edit": can_edit,
            "entries": entries,
        },
    )


# --- directory: staff ---


@login_required
def directory_list(request):
    require(rules.sees_all(request.user))
    directories = queries.directories_visible_to(request.user)
    form = DirectoryForm(request.POST or None)
    if request.method == "POST":
        require(rules.can_manage_directory(request.user))
        if form.is_valid():
            try:
                directory = services.create_directory(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The directory is created: add its journals, then publish it."))
                return redirect("societies:directory_compose", pk=directory.pk)
    return render(
        request,
        "societies/directory_list.html",
        {"directories": directories, "form": form if rules.can_manage_directory(request.user) else None},
    )


@login_required
def directory_compose(request, pk: int):
    directory = queries.access_directory(request.user, pk)
    require(rules.sees_all(request.user))
    manage = rules.can_manage_directory(request.user) and directory.state == DirectoryState.DRAFT
    form = DirectoryEntryForm(request.POST or None, tiers=directory.tiers) if manage else None
    if request.method == "POST":
        require(manage)
        if form.is_valid():
            try:
                services.add_directory_entry(directory=directory, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The journal is added."))
                return redirect("societies:directory_compose", pk=directory.pk)
    entries = directory.entries.select_related("journal")
    return render(
        request,
        "societies/directory_compose.html",
        {"directory": directory, "entries": entries, "form": form, "manage": manage},
    )


@login_required
@require_POST
def directory_remove(request, pk: int, entry: int):
    directory = queries.access_directory(request.user, pk)
    row = get_object_or_404(DirectoryEntry, directory=directory, pk=entry)
    return run_transition(
        request,
        lambda: services.remove_directory_entry(entry=row, by=request.user),
        success_message=_("The journal is removed from the directory."),
        redirect_to=reverse("societies:directory_compose", args=[directory.pk]),
    )


@login_required
@require_POST
def directory_publish(request, pk: int):
    directory = queries.access_directory(request.user, pk)
    return run_transition(
        request,
        lambda: services.publish_directory(directory=directory, by=request.user),
        success_message=_("The directory is published."),
        redirect_to=reverse("societies:directory_compose", args=[directory.pk]),
    )


# --- directory: public ---


def _published(pk: int):
    return queries.access_directory(None, pk)


def _grouped(entries) -> OrderedDict:
    groups: OrderedDict[str, list] = OrderedDict()
    for entry in entries:
        groups.setdefault(entry.discipline, []).append(entry)
    return groups


def public_directories(request):
    directories = queries.directories_visible_to(None)
    latest = directories.first()
    if latest is not None and "all" not in request.GET:
        return redirect("societies:public_directory", pk=latest.pk)
    return render(request, "societies/public_directories.html", {"directories": directories})


def _entries(directory, request):
    entries = directory.entries.select_related("journal").prefetch_related("journal__indexing")
    discipline = request.GET.get("discipline", "").strip()
    q = request.GET.get("q", "").strip()
    if discipline:
        entries = entries.filter(discipline=discipline)
    if q:
        entries = (
            entries.filter(journal__title__icontains=q)
            | entries.filter(journal__cn__icontains=q)
            | entries.filter(journal__issn__icontains=q)
        )
    return entries, discipline, q


def public_directory(request, pk: int):
    directory = _published(pk)
    entries, discipline, q = _entries(directory, request)
    disciplines = list(
        directory.entries.order_by("discipline").values_list("discipline", flat=True).distinct()
    )
    return render(
        request,
        "societies/public_directory.html",
        {
            "directory": directory,
            "groups": _grouped(entries),
            "disciplines": disciplines,
            "discipline": discipline,
            "q": q,
            "n_found": len(entries),
            "others": queries.directories_visible_to(None).exclude(pk=directory.pk),
        },
    )


HEADER = ["学科", "等级", "刊名", "CN", "ISSN", "主办/出版单位", "收录"]


def _rows(entries):
    for e in entries:
        yield [
            e.discipline,
            e.tier,
            e.journal.title,
            e.journal.cn_display,
            e.journal.issn or "",
            e.journal.publisher,
            "、".join(db.name for db in e.journal.indexing.all()),
        ]


def directory_xlsx(request, pk: int):
    directory = _published(pk)
    entries, _discipline, _q = _entries(directory, request)
    data = table_xlsx(HEADER, _rows(entries), title=str(directory.year))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="journal-directory-{directory.year}.xlsx"'
    return response


def directory_pdf(request, pk: int):
    from weasyprint import HTML  # noqa: PLC0415 - heavy import, only for this download

    directory = _published(pk)
    entries, _discipline, _q = _entries(directory, request)
    html = render_to_string(
        "societies/directory_pdf.html", {"directory": directory, "groups": _grouped(entries)}
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="journal-directory-{directory.year}.pdf"'
    return response


def showcase(request):
    """The journal cluster (期刊集群) showcase: Chongqing's journals by discipline, indexing and impact."""
    journals = Journal.objects.select_related("society__organization").prefetch_related(
        "indexing", Prefetch("impacts")
    )
    clusters: OrderedDict[str, list] = OrderedDict()
    for journal in journals:
        clusters.setdefault(journal.discipline, []).append(journal)
    indexing = (
        Journal.objects.values("indexing__name")
        .exclude(indexing__name=None)
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return render(
        request,
        "societies/showcase.html",
        {"clusters": clusters, "n_journals": len(journals), "indexing": indexing},
    )
