"""Pages of measure 5 besides the archive: the talks calendar and requests, education bases, training
sessions with enrolment, QR check-in and feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core import reference
from kexie.core.qr import qr_svg
from kexie.core.views import submit_form
from kexie.workers import rules, spirit
from kexie.workers.enums import TalkState
from kexie.workers.forms import (
    BaseForm,
    BaseReportForm,
    DeclineForm,
    FeedbackForm,
    ScheduleForm,
    SessionForm,
    SpeakerForm,
    TalkReportForm,
    TalkRequestForm,
)
from kexie.workers.models import Enrolment, SpiritBase, SpiritSpeaker, SpiritTalk, TrainingSession


def _messages_from(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def spirit_view(request: HttpRequest) -> HttpResponse:
    """Public calendar of talks, the speakers and the bases; requests and scheduling for staff."""
    user = request.user
    manage = rules.can_manage_spirit(user)
    units = rules.requesting_units(user)
    request_form = TalkRequestForm(request.POST or None, units=units) if units else None
    speaker_form = SpeakerForm(request.POST or None) if manage else None
    if request.method == "POST":
        if request.POST.get("form") == "speaker":
            if speaker_form is None:
                raise PermissionDenied
            return submit_form(
                request,
                speaker_form,
                lambda d: spirit.add_speaker(by=user, **d),
                success_message=_("The speaker was added."),
                success_url=reverse("workers:spirit"),
                render_form=lambda f: _spirit(
                    request, request_form and TalkRequestForm(units=units), f, manage
                ),
            )
        if request_form is None:
            raise PermissionDenied
        return submit_form(
            request,
            request_form,
            lambda d: spirit.request_talk(by=user, **d),
            success_message=_("Your request was sent; you will be told when it is scheduled."),
            success_url=reverse("workers:spirit"),
            render_form=lambda f: _spirit(request, f, speaker_form and SpeakerForm(), manage),
        )
    return _spirit(request, request_form, speaker_form, manage)


def _spirit(request, request_form, speaker_form, manage):
    calendar = (
        SpiritTalk.objects.filter(state__in=[TalkState.SCHEDULED, TalkState.DELIVERED])
        .select_related("speaker", "requester")
        .order_by("-scheduled_at")[:50]
    )
    pending = (
        SpiritTalk.objects.filter(state=TalkState.REQUESTED).select_related("requester") if manage else []
    )
    return render(
        request,
        "workers/spirit.html",
        {
            "calendar": calendar,
            "pending": pending,
            "speakers": SpiritSpeaker.objects.filter(active=True),
            "bases": SpiritBase.objects.prefetch_related("reports"),
            "districts": reference.districts(),
            "request_form": request_form,
            "speaker_form": speaker_form,
            "manage": manage,
            "schedule_form": ScheduleForm() if manage else None,
            "decline_form": DeclineForm() if manage else None,
            "report_form": TalkReportForm() if manage else None,
            "base_form": BaseForm() if manage else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def talk_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not rules.can_manage_spirit(request.user):
        raise PermissionDenied
    talk = get_object_or_404(SpiritTalk, pk=pk)
    forms = {"schedule": ScheduleForm, "decline": DeclineForm, "report": TalkReportForm}
    if action not in forms:
        raise PermissionDenied
    form = forms[action](request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in errors:
                messages.error(request, f"{label}：{text}" if label else text)
        return redirect("workers:spirit")
    data = form.cleaned_data
    try:
        if action == "schedule":
            spirit.schedule_talk(talk=talk, by=request.user, **data)
        elif action == "decline":
            spirit.decline_talk(talk=talk, by=request.user, **data)
        else:
            spirit.report_talk(
                talk=talk,
                by=request.user,
                audience=data["audience"],
                summary=data["summary"],
                photo=request.FILES.get("photo"),
            )
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("workers:spirit")


@login_required
@require_POST
def base_create_view(request: HttpRequest) -> HttpResponse:
    if not rules.can_manage_spirit(request.user):
        raise PermissionDenied
    form = BaseForm(request.POST)
    if form.is_valid():
        try:
            spirit.register_base(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("The base was registered."))
    else:
        for field, errors in form.errors.items():
            for text in errors:
                messages.error(request, f"{form.fields[field].label}：{text}")
    return redirect("workers:spirit")


def base_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    base = get_object_or_404(SpiritBase, pk=pk)
    manage = rules.can_manage_spirit(request.user)
    form = BaseReportForm(request.POST or None) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        return submit_form(
            request,
            form,
            lambda d: spirit.report_base_year(base=base, by=request.user, **d),
            success_message=_("The yearly report was filed."),
            success_url=reverse("workers:base_detail", args=[base.pk]),
            render_form=lambda f: render(
                request,
                "workers/base_detail.html",
                {"base": base, "form": f, "district": reference.districts().get(base.district, "")},
            ),
        )
    return render(
        request,
        "workers/base_detail.html",
        {"base": base, "form": form, "district": reference.districts().get(base.district, "")},
    )


@login_required
def session_list_view(request: HttpRequest) -> HttpResponse:
    manage = rules.can_manage_spirit(request.user)
    form = SessionForm(request.POST or None) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        return submit_form(
            request,
            form,
            lambda d: spirit.create_session(by=request.user, **d),
            success_message=_("The session was created."),
            success_url=lambda s: reverse("workers:session_detail", args=[s.pk]),
            render_form=lambda f: _sessions(request, f),
        )
    return _sessions(request, form)


def _sessions(request, form):
    sessions = TrainingSession.objects.all()
    mine = set(Enrolment.objects.filter(user=request.user).values_list("session_id", flat=True))
    return render(
        request,
        "workers/session_list.html",
        {"sessions": sessions, "form": form, "mine": mine, "now": timezone.now()},
    )


@login_required
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    manage = rules.can_manage_spirit(request.user)
    enrolment = Enrolment.objects.filter(session=session, user=request.user).first()
    context = {
        "session": session,
        "enrolment": enrolment,
        "manage": manage,
        "enrolled": session.enrolments.count(),
        "feedback_form": FeedbackForm()
        if enrolment and enrolment.attended_at and enrolment.feedback_score is None
        else None,
    }
    if manage:
        url = request.build_absolute_uri(
            reverse("workers:session_checkin", args=[session.pk, spirit.checkin_token(session)])
        )
        context["qr_svg"] = qr_svg(url, scale=4)
        context["checkin_url"] = url
        context["enrolments"] = session.enrolments.select_related("user")
    return render(request, "workers/session_detail.html", context)


@login_required
@require_POST
def session_enrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        spirit.enrol(session=session, by=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("workers:session_detail", pk=session.pk)


@login_required
def session_checkin_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Opened by scanning the QR at the door (GET shows a button; the POST checks in)."""
    session = get_object_or_404(TrainingSession, pk=pk)
    if request.method == "POST":
        try:
            spirit.check_in(session=session, token=token, by=request.user)
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("You are checked in. Welcome!"))
        return redirect("workers:session_detail", pk=session.pk)
    return render(request, "workers/session_checkin.html", {"session": session})


@login_required
@require_POST
def session_feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment, session_id=pk, user=request.user)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            spirit.give_feedback(
                enrolment=enrolment,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Choose a score from 1 to 5."))
    return redirect("workers:session_detail", pk=pk)
