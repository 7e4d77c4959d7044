"""Pages of the society registry, the yearly inspection and founding requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.core.views import run_transition
from kexie.societies import queries, rules, services
from kexie.societies.enums import FoundingState, InspectionState
from kexie.societies.forms import (
    DecisionForm,
    FoundingForm,
    InspectionForm,
    InspectionReviewForm,
    SocietyEditForm,
    SocietyForm,
)
from kexie.societies.services.societies import INSPECTION_FIELDS
from kexie.societies.views.common import PAGE_SIZE, form_page, require


@login_required
def home(request):
    """Staff see the registry's state; a society's secretary lands on their own society."""
    user = request.user
    if not rules.sees_all(user):
        own = list(queries.own_societies(user)[:2])
        require(bool(own))
        if len(own) == 1:
            return redirect("societies:society_detail", pk=own[0].pk)
        return redirect("societies:society_list")
    year = timezone.localdate().year - 1
    inspections = queries.inspections_visible_to(user)
    context = {
        "year": year,
        "n_societies": queries.societies_visible_to(user).filter(is_active=True).count(),
        "n_submitted": inspections.filter(state=InspectionState.SUBMITTED).count(),
        "n_reviewed": inspections.filter(year=year, state=InspectionState.APPROVED).count(),
        "n_founding": queries.founding_requests_visible_to(user)
        .filter(state=FoundingState.SUBMITTED)
        .count(),
        "n_events": queries.events_visible_to(user).filter(state="applied").count(),
        "can_manage": rules.can_manage_societies(user),
    }
    return render(request, "societies/home.html", context)


@login_required
def society_list(request):
    require(rules.can_view_societies(request.user))
    societies = queries.societies_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        societies = societies.filter(organization__name__icontains=q)
    page = Paginator(societies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "societies/society_list.html",
        {"page": page, "q": q, "can_manage": rules.can_manage_societies(request.user)},
    )


@login_required
def society_create(request):
    require(rules.can_manage_societies(request.user))
    form = SocietyForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.register_society(by=request.user, **data),
        title=_("Register a society"),
        success_message=_("The society is registered."),
        success_url=lambda society: reverse("societies:society_detail", args=[society.pk]),
        back_url=reverse("societies:society_list"),
    )


@login_required
def society_detail(request, pk: int):
    society = queries.access_society(request.user, pk)
    user = request.user
    return render(
        request,
        "societies/society_detail.html",
        {
            "society": society,
            "inspections": society.inspections.all(),
            "events": society.events.all()[:10],
            "journals": society.journals.all(),
            "can_edit": rules.can_edit_society(user, society),
            "report_year": timezone.localdate().year - 1,
        },
    )


@login_required
def society_edit(request, pk: int):
    society = queries.access_society(request.user, pk)
    require(rules.can_edit_society(request.user, society))
    initial = {field: getattr(society, field) for field in SocietyEditForm.base_fields if field != "council"}
    initial["council"] = "\n".join(f"{row['name']} | {row.get('post', '')}" for row in society.council)
    form = SocietyEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.update_society(society=society, by=request.user, **data),
        title=_("Edit %(name)s") % {"name": society.name},
        success_message=_("The society's data is saved."),
        success_url=reverse("societies:society_detail", args=[society.pk]),
        back_url=reverse("societies:society_detail", args=[society.pk]),
    )


# --- yearly inspection ---


@login_required
def inspection_list(request):
    require(rules.can_view_societies(request.user))
    inspections = queries.inspections_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in InspectionState.values:
        inspections = inspections.filter(state=state)
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "societies/inspection_list.html",
        {"page": page, "state": state, "states": InspectionState.choices},
    )


@login_required
@require_POST
def inspection_start(request, pk: int):
    """Open (or create) the society's report of a year, then its page."""
    society = queries.access_society(request.user, pk)
    require(rules.can_edit_society(request.user, society))
    try:
        year = int(request.POST.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    try:
        inspection = services.save_inspection(society=society, year=year, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("societies:society_detail", pk=society.pk)
    return redirect("societies:inspection_detail", pk=inspection.pk)


@login_required
def inspection_detail(request, pk: int):
    inspection = queries.access_inspection(request.user, pk)
    user = request.user
    can_edit = rules.can_edit_inspection(user, inspection)
    initial = {field: getattr(inspection, field) for field in INSPECTION_FIELDS}
    form = InspectionForm(request.POST or None, initial=initial) if can_edit else None
    review = InspectionReviewForm() if rules.can_review_inspection(user, inspection) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if "submit" in request.POST:
                services.save_and_submit_inspection(inspection=inspection, by=user, **form.cleaned_data)
            else:
                services.save_inspection(
                    society=inspection.society,
                    year=inspection.year,
                    by=user,
                    inspection=inspection,
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if "submit" in request.POST:
                messages.success(request, _("The report is submitted for review."))
            else:
                messages.success(request, _("The draft is saved."))
            return redirect("societies:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "societies/inspection_detail.html",
        {"inspection": inspection, "form": form, "review": review, "can_edit": can_edit},
    )


@login_required
@require_POST
def inspection_review(request, pk: int):
    inspection = queries.access_inspection(request.user, pk)
    require(rules.is_manager(request.user))
    form = InspectionReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.review_inspection(
                inspection=inspection,
                by=request.user,
                approve=data["decision"] == "approve",
                rating=data["rating"],
                score=data["score"],
                grade=data["grade"],
                comment=data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("societies:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "societies/inspection_detail.html",
        {"inspection": inspection, "form": None, "review": form, "can_edit": False},
        status=400,
    )


# --- founding requests ---

FOUNDING_DECISIONS = [
    ("approve", _("Approve")),
    ("return", _("Return for revision")),
    ("reject", _("Reject")),
]


@login_required
def founding_list(request):
    require(rules.can_request_founding(request.user) or rules.sees_all(request.user))
    requests = queries.founding_requests_visible_to(request.user)
    return render(
        request,
        "societies/founding_list.html",
        {"requests": requests, "can_request": rules.can_request_founding(request.user)},
    )


@login_required
def founding_create(request):
    require(rules.can_request_founding(request.user))
    form = FoundingForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.save_founding_request(by=request.user, **data),
        title=_("Propose a new society"),
        success_message=_("The request is saved as a draft."),
        success_url=lambda r: reverse("societies:founding_detail", args=[r.pk]),
        back_url=reverse("societies:founding_list"),
    )


@login_required
def founding_detail(request, pk: int):
    founding = queries.access_founding_request(request.user, pk)
    decide = DecisionForm(request.POST or None, choices=FOUNDING_DECISIONS)
    if request.method == "POST":
        require(rules.can_review_founding(request.user, founding))
        if decide.is_valid():
            try:
                services.decide_founding_request(
                    request=founding,
                    by=request.user,
                    decision=decide.cleaned_data["decision"],
                    comment=decide.cleaned_data["comment"],
                )
            except ValidationError as exc:
                add_service_errors(decide, exc)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("societies:founding_detail", pk=founding.pk)
    return render(
        request,
        "societies/founding_detail.html",
        {
            "founding": founding,
            "decide": decide if rules.can_review_founding(request.user, founding) else None,
            "can_submit": rules.can_edit_founding(request.user, founding),
        },
    )


@login_required
@require_POST
def founding_submit(request, pk: int):
    founding = queries.access_founding_request(request.user, pk)
    return run_transition(
        request,
        lambda: services.submit_founding_request(request=founding, by=request.user),
        success_message=_("The request is submitted for review."),
        redirect_to=reverse("societies:founding_detail", args=[founding.pk]),
    )
