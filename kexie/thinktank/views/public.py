"""Pages everyone may open: the network, the public column with its feed and export, public results,
published topic guides, meetings and their viewpoint collections."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.core.exports import csv_bytes
from kexie.core.reference import district_name
from kexie.thinktank import forms, layout, queries, rules, services
from kexie.thinktank.views.common import form_page, require

COLUMN_SIZE = 50


def network(request):
    bases = queries.bases_visible_to(request.user).order_by("kind", "name")
    return render(
        request, "thinktank/network.html", {"bases": bases, "can_manage": rules.can_manage(request.user)}
    )


def base_detail(request, pk: int):
    base = queries.access_base(request.user, pk)
    return render(
        request,
        "thinktank/base_detail.html",
        {
            "base": base,
            "district": district_name(base.district) if base.district else "",
            "members": base.members.select_related("organization").order_by("name"),
            "outputs": base.outputs.all(),
            "can_manage": rules.can_manage(request.user),
        },
    )


@login_required
def base_form(request, pk: int | None = None):
    require(rules.can_manage(request.user))
    base = queries.access_base(request.user, pk) if pk else None
    initial = {}
    if base is not None:
        initial = {
            "name": base.name,
            "kind": base.kind,
            "district": base.district,
            "areas": base.areas,
            "description": base.description,
            "agreement": base.agreement,
            "agreement_until": base.agreement_until,
            "members": list(base.members.all()),
        }
    form = forms.BaseForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.save_base(by=request.user, base=base, **data),
        title=_("Edit research base") if base else _("New research base"),
        success_message=_("The research base is saved."),
        success_url=lambda saved: reverse("thinktank:base_detail", args=[saved.pk]),
        back_url=reverse("thinktank:network"),
    )


def column(request):
    results = list(queries.column_results()[:COLUMN_SIZE])
    return render(request, "thinktank/column.html", {"results": results})


def column_feed(request):
    results = list(queries.column_results()[:COLUMN_SIZE])
    body = layout.column_feed(
        results,
        site_url=request.build_absolute_uri("/").rstrip("/"),
        feed_url=request.build_absolute_uri(reverse("thinktank:column_feed")),
        column_url=request.build_absolute_uri(reverse("thinktank:column")),
        url_of=lambda result: reverse("thinktank:result_detail", args=[result.pk]),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def column_export(request):
    """The column's list as CSV, for the press (重庆科技报) and anyone: public results only."""
    rows = [
        (
            r.title,
            r.authors,
            r.get_kind_display(),
            r.year,
            r.summary,
            r.column_published_at.date().isoformat(),
        )
        for r in queries.column_results()
    ]
    header = [_("Title"), _("Authors"), _("Kind"), _("Year"), _("Summary"), _("In the column since")]
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thinktank-column.csv"'
    return response


def result_detail(request, pk: int):
    result = queries.access_result(request.user, pk)
    context = {
        "result": result,
        "can_manage": rules.can_manage(request.user),
        "can_disseminate": rules.can_disseminate(request.user),
        "briefs": queries.briefs_visible_to(request.user).filter(result=result),
    }
    return render(request, "thinktank/result_detail.html", context)


def result_file(request, pk: int):
    result = queries.access_result(request.user, pk)
    if not result.file:
        raise Http404
    return FileResponse(result.file.open("rb"), as_attachment=True, filename=result.file_name or "result")


def guide_list(request):
    guides = queries.guides_visible_to(request.user)
    return render(
        request, "thinktank/guide_list.html", {"guides": guides, "can_manage": rules.can_manage(request.user)}
    )


def event_list(request):
    events = queries.events_visible_to(request.user)
    return render(
        request,
        "thinktank/event_list.html",
        {"events": events, "can_manage": rules.can_disseminate(request.user)},
    )


def event_detail(request, pk: int):
    event = queries.access_event(request.user, pk)
    form = None
    if rules.can_disseminate(request.user):
        form = forms.ViewpointForm(request.POST or None)
        if request.method == "POST":
            return form_page(
                request,
                form,
                lambda data: services.add_viewpoint(event=event, by=request.user, **data),
                title=_("Add a viewpoint"),
                success_message=_("The viewpoint is added."),
                success_url=reverse("thinktank:event_detail", args=[event.pk]),
                back_url=reverse("thinktank:event_detail", args=[event.pk]),
            )
    return render(
        request,
        "thinktank/event_detail.html",
        {"event": event, "viewpoints": event.viewpoints.all(), "form": form},
    )


@login_required
def event_new(request):
    require(rules.can_disseminate(request.user))
    form = forms.EventForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.create_event(by=request.user, **data),
        title=_("New meeting"),
        success_message=_("The meeting is recorded."),
        success_url=lambda event: reverse("thinktank:event_detail", args=[event.pk]),
        back_url=reverse("thinktank:event_list"),
    )


def event_compilation(request, pk: int):
    event = queries.access_event(request.user, pk)
    if not event.viewpoints.exists():
        return redirect("thinktank:event_detail", pk=event.pk)
    response = HttpResponse(
        layout.compilation_docx(event),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="viewpoints-{event.pk}.docx"'
    return response
