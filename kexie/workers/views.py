"""Pages of the sci-tech workers' services: thin views over queries, rules and services."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core import reference
from kexie.core.views import submit_form
from kexie.workers import queries, rules, services
from kexie.workers.enums import AccessLevel, NeedState
from kexie.workers.forms import (
    ArchiveItemForm,
    CollectionForm,
    DecisionForm,
    MeetingForm,
    MergeForm,
    NeedForm,
    RateForm,
    ReplyForm,
    RouteForm,
)
from kexie.workers.models import ArchiveItem, JointMeetingMember, Need

ROUTE_KINDS = (
    OrganizationKind.DEPARTMENT,
    OrganizationKind.AFFILIATED_UNIT,
    OrganizationKind.DECISION_DEPARTMENT,
)


def _page(request, queryset, per_page=20):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    mine = Need.objects.filter(filer=request.user).select_related("category")[:10]
    return render(
        request,
        "workers/home.html",
        {
            "mine": mine,
            "can_triage": rules.can_triage(request.user),
            "reply_units": rules.reply_units(request.user),
            "can_meetings": rules.can_view_meetings(request.user),
            "can_archive": rules.can_manage_archive(request.user),
            "statistics": queries.need_statistics(),
        },
    )


@login_required
def need_create_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_file_need(request.user):
        raise PermissionDenied
    form = NeedForm(request.POST or None, request.FILES or None)

    def service(data):
        return services.file_need(
            by=request.user,
            category=data["category"],
            title=data["title"],
            description=data["description"],
            anonymous=data["anonymous"],
            contact_mobile=data["contact_mobile"],
            contact_email=data["contact_email"],
            district=data["district"],
            organization_name=data["organization_name"],
            files=request.FILES.getlist("files"),
        )

    return submit_form(
        request,
        form,
        service,
        success_message=_("Your need was received."),
        success_url=lambda need: reverse("workers:need_detail", args=[need.pk]),
        render_form=lambda f: render(request, "workers/need_form.html", {"form": f}),
    )


@login_required
def need_list_view(request: HttpRequest) -> HttpResponse:
    needs = queries.needs_visible_to(request.user)
    scope = request.GET.get("scope") or ("all" if rules.can_read_all_needs(request.user) else "mine")
    if scope == "mine":
        needs = needs.filter(filer=request.user)
    elif scope == "unit":
        needs = needs.filter(routed_to__in=rules.reply_units(request.user))
    state = request.GET.get("state", "")
    if state in NeedState.values:
        needs = needs.filter(state=state)
    return render(
        request,
        "workers/need_list.html",
        {
            "page": _page(request, needs.order_by("-created_at")),
            "query": _query_without_page(request),
            "scope": scope,
            "state": state,
            "states": NeedState.choices,
            "can_triage": rules.can_read_all_needs(request.user),
            "has_units": bool(rules.reply_units(request.user)),
        },
    )


def _route_units():
    return Organization.objects.filter(kind__in=ROUTE_KINDS).order_by(
        "sort_order", "name"
    ) | Organization.objects.filter(joint_meeting_membership__isnull=False)


@login_required
def need_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    need = queries.access_need(request.user, pk)
    user = request.user
    context = {
        "need": need,
        "show_filer": rules.can_see_filer(user, need),
        "replies": need.replies.select_related("organization", "replied_by"),
        "attachments": need.attachments.all(),
        "district_name": reference.districts().get(need.district, ""),
        "merged": need.merged.all() if rules.can_read_all_needs(user) else [],
        "can_triage": rules.can_read_all_needs(user),
    }
    if rules.can_triage(user) and need.state == NeedState.SUBMITTED:
        from kexie.workers.search import similar_needs  # noqa: PLC0415

        similar = similar_needs(need)
        context["similar"] = similar
        context["merge_form"] = MergeForm(candidates=Need.objects.filter(pk__in=[n.pk for n, _s in similar]))
        context["route_form"] = RouteForm(units=_route_units().distinct())
    if rules.can_reply(user, need) and need.state in (NeedState.ROUTED, NeedState.REOPENED):
        context["reply_form"] = ReplyForm()
    if rules.can_rate(user, need) and need.state == NeedState.REPLIED:
        context["rate_form"] = RateForm()
    return render(request, "workers/need_detail.html", context)


def _post_form(request, need, form, service, message):
    if form.is_valid():
        try:
            service(form.cleaned_data)
        except Exception as exc:  # ValidationError from the service: shown on the page
            from django.core.exceptions import ValidationError  # noqa: PLC0415

            if not isinstance(exc, ValidationError):
                raise
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, message)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in errors:
                messages.error(request, f"{label}：{text}" if label else text)
    return redirect("workers:need_detail", pk=need.pk)


@login_required
@require_POST
def need_route_view(request: HttpRequest, pk: int) -> HttpResponse:
    need = queries.access_need(request.user, pk)
    if not rules.can_triage(request.user):
        raise PermissionDenied
    form = RouteForm(request.POST, units=_route_units().distinct())
    return _post_form(
        request,
        need,
        form,
        lambda d: services.route_need(
            need=need, unit=d["unit"], workdays_to_reply=d["workdays"], by=request.user
        ),
        _("The need was routed; a supervision task tracks the reply."),
    )


@login_required
@require_POST
def need_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    need = queries.access_need(request.user, pk)
    if not rules.can_triage(request.user):
        raise PermissionDenied
    form = MergeForm(request.POST, candidates=queries.needs_visible_to(request.user).exclude(pk=need.pk))
    return _post_form(
        request,
        need,
        form,
        lambda d: services.merge_need(need=need, into=d["into"], by=request.user),
        _("The need was merged."),
    )


@login_required
@require_POST
def need_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    need = queries.access_need(request.user, pk)
    if not rules.can_reply(request.user, need):
        raise PermissionDenied
    return _post_form(
        request,
        need,
        ReplyForm(request.POST),
        lambda d: services.reply_need(need=need, text=d["text"], by=request.user),
        _("Your reply was sent."),
    )


@login_required
@require_POST
def need_rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    need = queries.access_need(request.user, pk)
    if not rules.can_rate(request.user, need):
        raise PermissionDenied
    return _post_form(
        request,
        need,
        RateForm(request.POST),
        lambda d: services.rate_reply(need=need, rating=d["rating"], reason=d["reason"], by=request.user),
        _("Thank you for your rating."),
    )


@login_required
def need_attachment_view(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    need = queries.access_need(request.user, pk)
    attachment = get_object_or_404(need.attachments, pk=attachment_pk)
    return _download(attachment.file, attachment.name)


def _download(file, name: str) -> FileResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def statistics_view(request: HttpRequest) -> HttpResponse:
    """Public: counts by category and month, on-time reply rate, satisfaction (no personal data)."""
    return render(request, "workers/statistics.html", {"statistics": queries.need_statistics()})


# ---- joint meetings ---------------------------------------------------------------------------


@login_required
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_view_meetings(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None) if rules.can_manage_meetings(request.user) else None

    def service(data):
        return services.record_meeting(by=request.user, **data)

    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        return submit_form(
            request,
            form,
            service,
            success_message=_("The meeting was recorded."),
            success_url=lambda meeting: reverse("workers:meeting_detail", args=[meeting.pk]),
            render_form=lambda f: _meetings(request, f),
        )
    return _meetings(request, form)


def _meetings(request, form):
    return render(
        request,
        "workers/meeting_list.html",
        {
            "page": _page(
                request, queries.meetings_visible_to(request.user).prefetch_related("decisions__task")
            ),
            "query": "",
            "members": JointMeetingMember.objects.select_related("organization"),
            "form": form,
        },
    )


@login_required
def meeting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.access_meeting(request.user, pk)
    form = DecisionForm(request.POST or None) if rules.can_manage_meetings(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        return submit_form(
            request,
            form,
            lambda d: services.add_decision(meeting=meeting, by=request.user, **d),
            success_message=_("The decision was recorded and a supervision task created."),
            success_url=reverse("workers:meeting_detail", args=[meeting.pk]),
            render_form=lambda f: render(
                request, "workers/meeting_detail.html", {"meeting": meeting, "form": f}
            ),
        )
    return render(request, "workers/meeting_detail.html", {"meeting": meeting, "form": form})


# ---- archive ----------------------------------------------------------------------------------


def exhibition_view(request: HttpRequest) -> HttpResponse:
    """优秀科学家风采展: the public items, by scientist."""
    items = queries.archive_items_visible_to(request.user).filter(
        access=AccessLevel.PUBLIC, collection__access=AccessLevel.PUBLIC
    )
    people: dict = {}
    for item in items.order_by("collection__scientist_name", "date"):
        people.setdefault(item.collection, []).append(item)
    return render(request, "workers/exhibition.html", {"people": people})


@login_required
def archive_manage_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage_archive(request.user):
        raise PermissionDenied
    form = CollectionForm(request.POST or None)
    if request.method == "POST":
        return submit_form(
            request,
            form,
            lambda d: services.create_collection(by=request.user, **d),
            success_message=_("The collection was created."),
            success_url=lambda c: reverse("workers:archive_collection", args=[c.pk]),
            render_form=lambda f: _archive_manage(request, f),
        )
    return _archive_manage(request, form)


def _archive_manage(request, form):
    collections = queries.collections_visible_to(request.user).prefetch_related("items")
    failed = ArchiveItem.objects.filter(verify_failed=True).count()
    return render(
        request, "workers/archive_manage.html", {"collections": collections, "form": form, "failed": failed}
    )


@login_required
def archive_collection_view(request: HttpRequest, pk: int) -> HttpResponse:
    collection = queries.access_collection(request.user, pk)
    can_manage = rules.can_manage_archive(request.user)
    form = ArchiveItemForm(request.POST or None, request.FILES or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        return submit_form(
            request,
            form,
            lambda d: services.add_archive_item(
                collection=collection,
                by=request.user,
                upload=request.FILES.get("file"),
                **{k: v for k, v in d.items() if k != "file"},
            ),
            success_message=_("The item was catalogued."),
            success_url=lambda item: reverse("workers:archive_item", args=[item.pk]),
            render_form=lambda f: _collection(request, collection, f),
        )
    return _collection(request, collection, form)


def _collection(request, collection, form):
    items = queries.archive_items_visible_to(request.user).filter(collection=collection)
    return render(
        request, "workers/archive_collection.html", {"collection": collection, "items": items, "form": form}
    )


def archive_item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.access_archive_item(request.user, pk)
    return render(
        request,
        "workers/archive_item.html",
        {"item": item, "can_manage": rules.can_manage_archive(request.user)},
    )


def archive_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.access_archive_item(request.user, pk)
    if item.access != AccessLevel.PUBLIC and not request.user.is_authenticated:
        raise PermissionDenied
    return _download(item.file, item.file_name)
