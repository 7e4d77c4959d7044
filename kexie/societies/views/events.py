"""Pages of academic events: applications and review (staff, secretaries), the public event page with
registration, the ticket with its QR code, check-in at the door and the post-event report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.core.qr import qr_svg
from kexie.core.views import run_transition
from kexie.societies import queries, rules, services
from kexie.societies.enums import EventState, RegistrationState
from kexie.societies.forms import (
    CheckInForm,
    DecisionForm,
    EventForm,
    EventReportForm,
    ProgrammeForm,
    RegistrationForm,
)
from kexie.societies.models import Registration
from kexie.societies.views.common import PAGE_SIZE, form_page, require

EVENT_DECISIONS = [("approve", _("Approve")), ("return", _("Return for revision"))]


def _host_choices(user):
    return queries.societies_visible_to(user) if rules.is_manager(user) else queries.own_societies(user)


@login_required
def event_list(request):
    require(rules.can_apply_event(request.user) or rules.sees_all(request.user))
    events = queries.events_visible_to(request.user)
    if not rules.sees_all(request.user):
        events = events.filter(society__organization_id__in=rules.society_organization_ids(request.user))
    state = request.GET.get("state", "")
    if state in EventState.values:
        events = events.filter(state=state)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "societies/event_list.html",
        {
            "page": page,
            "state": state,
            "states": EventState.choices,
            "can_apply": rules.can_apply_event(request.user),
        },
    )


@login_required
def event_create(request):
    require(rules.can_apply_event(request.user))
    form = EventForm(request.POST or None, societies=_host_choices(request.user))
    return form_page(
        request,
        form,
        lambda data: services.create_event(by=request.user, **data),
        title=_("Apply to hold an academic event"),
        success_message=_("The application is saved as a draft: add the programme, then submit it."),
        success_url=lambda event: reverse("societies:event_detail", args=[event.pk]),
        back_url=reverse("societies:event_list"),
    )


@login_required
def event_edit(request, pk: int):
    event = queries.access_event(request.user, pk)
    require(rules.can_edit_event(request.user, event))
    fields = (
        "society",
        "kind",
        "parent",
        "title",
        "starts_on",
        "ends_on",
        "venue",
        "description",
        "expected_attendance",
        "capacity",
        "registration_deadline",
        "countries",
    )
    form = EventForm(
        request.POST or None,
        societies=_host_choices(request.user),
        initial={f: getattr(event, f) for f in fields},
    )
    form.fields["society"].disabled = True

    def save(data):
        data.pop("society", None)
        return services.update_event(event=event, by=request.user, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Edit the application"),
        success_message=_("The application is saved."),
        success_url=reverse("societies:event_detail", args=[event.pk]),
        back_url=reverse("societies:event_detail", args=[event.pk]),
    )


@login_required
def event_detail(request, pk: int):
    event = queries.access_event(request.user, pk)
    user = request.user
    manage = rules.can_manage_event(user, event)
    registrations = event.registrations.filter(state=RegistrationState.CONFIRMED) if manage else None
    return render(
        request,
        "societies/event_detail.html",
        {
            "event": event,
            "manage": manage,
            "can_edit": rules.can_edit_event(user, event),
            "decide": DecisionForm(choices=EVENT_DECISIONS) if rules.can_review_event(user, event) else None,
            "programme_form": ProgrammeForm()
            if manage and event.state not in (EventState.REPORTED,)
            else None,
            "registrations": registrations,
            "n_checked_in": registrations.filter(checked_in_at__isnull=False).count() if manage else 0,
            "report_form": EventReportForm(
                initial={"attendance": registrations.filter(checked_in_at__isnull=False).count()}
            )
            if rules.can_file_report(user, event)
            else None,
            "check_in": rules.can_check_in(user, event),
            "report": getattr(event, "report", None) if event.state == EventState.REPORTED else None,
        },
    )


@login_required
@require_POST
def event_apply(request, pk: int):
    event = queries.access_event(request.user, pk)
    require(rules.can_manage_event(request.user, event))
    return run_transition(
        request,
        lambda: services.apply_event(event=event, by=request.user),
        success_message=_("The application is submitted for review."),
        redirect_to=reverse("societies:event_detail", args=[event.pk]),
    )


@login_required
@require_POST
def event_decide(request, pk: int):
    event = queries.access_event(request.user, pk)
    require(rules.is_manager(request.user))
    form = DecisionForm(request.POST, choices=EVENT_DECISIONS)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("societies:event_detail", pk=event.pk)
    return run_transition(
        request,
        lambda: services.decide_event(
            event=event,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        ),
        success_message=_("The decision is recorded."),
        redirect_to=reverse("societies:event_detail", args=[event.pk]),
    )


@login_required
@require_POST
def programme_add(request, pk: int):
    event = queries.access_event(request.user, pk)
    require(rules.can_manage_event(request.user, event))
    form = ProgrammeForm(request.POST)
    if form.is_valid():
        try:
            services.add_programme_item(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The session is added to the programme."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}")
    return redirect("societies:event_detail", pk=event.pk)


@login_required
def event_report(request, pk: int):
    event = queries.access_event(request.user, pk)
    require(rules.can_file_report(request.user, event))
    form = EventReportForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.file_event_report(event=event, by=request.user, **data),
        title=_("Post-event report"),
        success_message=_("The report is filed."),
        success_url=reverse("societies:event_detail", args=[event.pk]),
        back_url=reverse("societies:event_detail", args=[event.pk]),
    )


@login_required
def check_in(request, pk: int):
    """The door: the QR code on a ticket opens this page with its code; staff confirm with one tap."""
    event = queries.access_event(request.user, pk)
    require(rules.can_manage_event(request.user, event))
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    checked = None
    if request.method == "POST" and form.is_valid():
        try:
            checked = services.check_in(event=event, code=form.cleaned_data["code"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = CheckInForm()  # the page says who was checked in; the next scan starts empty
    registrations = event.registrations.filter(state=RegistrationState.CONFIRMED)
    return render(
        request,
        "societies/check_in.html",
        {
            "event": event,
            "form": form,
            "checked": checked,
            "n_registered": registrations.count(),
            "n_checked_in": registrations.filter(checked_in_at__isnull=False).count(),
        },
    )


# --- public ---


def public_event_list(request):
    events = queries.public_events().filter(parent__isnull=True)
    return render(request, "societies/public_event_list.html", {"events": events[:50]})


def public_event(request, pk: int):
    event = queries.access_event(None, pk)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_attendee(
                event=event, by=request.user if request.user.is_authenticated else None, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("societies:ticket", pk=event.pk, code=registration.code)
    n_registered = event.n_registered
    return render(
        request,
        "societies/public_event.html",
        {
            "event": event,
            "form": form if event.state == EventState.APPROVED else None,
            "n_registered": n_registered,
            "full": bool(event.capacity) and n_registered >= event.capacity,
            "sub_forums": queries.public_events().filter(parent=event),
        },
    )


def ticket(request, pk: int, code: str):
    """The confirmation: the ticket code and its QR code (the check-in link). The code is the secret."""
    event = queries.access_event(None, pk)
    registration = get_object_or_404(Registration, event=event, code=code.upper())
    url = request.build_absolute_uri(
        reverse("societies:check_in", args=[event.pk]) + f"?code={registration.code}"
    )
    return render(
        request,
        "societies/ticket.html",
        {"event": event, "registration": registration, "qr_svg": qr_svg(url)},
    )
