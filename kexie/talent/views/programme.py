"""托举 programme pages: cohorts and people (staff), a person's record (staff, the person and the
mentors), reports filed and reviewed, instalments paid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.queries import active_memberships
from kexie.core.views import run_transition, submit_form
from kexie.talent import queries, rules
from kexie.talent.enums import ReportState
from kexie.talent.forms import ProgrammeCallForm, ReportForm, ReviewForm
from kexie.talent.models import Cohort, Instalment, ProgressReport
from kexie.talent.services import engine, programme


@login_required
def cohort_list(request):
    """Staff see every cohort; a supported person or mentor sees their own records."""
    people = queries.people_visible_to(request.user).prefetch_related("mentors").select_related("evaluation")
    cohorts = Cohort.objects.all() if rules.can_view_programme(request.user) else Cohort.objects.none()
    return render(
        request,
        "talent/cohort_list.html",
        {
            "cohorts": cohorts,
            "people": people,
            "staff": rules.can_view_programme(request.user),
            "can_manage": rules.can_manage_programme(request.user),
        },
    )


def _programme_department(user):
    """The department the user runs the programme in (the organiser of its calls)."""
    for membership in active_memberships(user):
        if (
            membership.role in rules.DEPARTMENT_ROLES
            and membership.organization.name in rules.PROGRAMME_DEPARTMENTS
        ):
            return membership.organization
    raise PermissionDenied


@login_required
def programme_call_new(request):
    """Staff start the year's 托举 selection: a call of the engine (kind ``programme``); the rest of
    the selection (applications, endorsement, formal check, review, decision, 公示) runs on the
    engine's pages, and the decision creates the cohort."""
    if not rules.can_manage_programme(request.user):
        raise PermissionDenied
    organiser = _programme_department(request.user)
    form = ProgrammeCallForm(request.POST or None, initial={"year": timezone.localdate().year})
    return submit_form(
        request,
        form,
        lambda data: engine.create_programme_call(organiser=organiser, by=request.user, **data),
        success_message=_("The programme call is created as a draft; open it when it is ready."),
        success_url=lambda call: reverse("calls:call_manage", args=[call.pk]),
        render_form=lambda f: render(request, "talent/programme_call_form.html", {"form": f}),
    )


@login_required
@require_POST
def cohort_midterm(request, pk: int):
    """Start the cohort's mid-term evaluation: an engine call (kind ``talent.midterm``) with one
    dossier per supported person, reviewed in the engine's review rounds."""
    if not rules.can_view_programme(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    if not rules.can_manage_programme(request.user):
        raise PermissionDenied
    organiser = _programme_department(request.user)
    try:
        call = engine.start_midterm(cohort=cohort, organiser=organiser, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("talent:cohort_list")
    messages.success(
        request, _("The mid-term evaluation is open: each supported person files a mid-term report.")
    )
    return redirect("calls:call_manage", call.pk)


@login_required
def person_detail(request, pk: int):
    person = queries.access_person(request.user, pk)
    return render(
        request,
        "talent/person_detail.html",
        {
            "person": person,
            "mentors": person.mentors.all(),
            "instalments": person.instalments.all(),
            "reports": person.reports.all(),
            "evaluation": getattr(person, "evaluation", None),
            "can_manage": rules.can_manage_programme(request.user),
            "can_file": rules.can_file_report(request.user, person),
            "open_states": (ReportState.DUE, ReportState.RETURNED),
        },
    )


def _report(request, pk: int) -> ProgressReport:
    report = get_object_or_404(ProgressReport, pk=pk)
    queries.access_person(request.user, report.person_id)  # 404 when the person is not visible
    return report


@login_required
def report_submit(request, pk: int):
    report = _report(request, pk)
    if not rules.can_file_report(request.user, report.person):
        raise PermissionDenied
    form = ReportForm(request.POST or None, initial={"progress": report.progress, "outputs": report.outputs})
    return submit_form(
        request,
        form,
        lambda data: programme.submit_report(report=report, by=request.user, **data),
        success_message=_("The report is submitted."),
        success_url=reverse("talent:person_detail", args=[report.person_id]),
        render_form=lambda f: render(request, "talent/report_form.html", {"form": f, "report": report}),
    )


@login_required
@require_POST
def report_review(request, pk: int):
    report = _report(request, pk)
    if not rules.can_manage_programme(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return run_transition(
        request,
        lambda: programme.review_report(
            report=report, by=request.user, accept=request.POST.get("accept") == "1", comment=comment
        ),
        success_message=_("The review is recorded."),
        redirect_to=reverse("talent:person_detail", args=[report.person_id]),
    )


@login_required
@require_POST
def instalment_pay(request, pk: int):
    instalment = get_object_or_404(Instalment, pk=pk)
    queries.access_person(request.user, instalment.person_id)
    if not rules.can_manage_programme(request.user):
        raise PermissionDenied
    return run_transition(
        request,
        lambda: programme.pay_instalment(instalment=instalment, by=request.user),
        success_message=_("The instalment is recorded as paid."),
        redirect_to=reverse("talent:person_detail", args=[instalment.person_id]),
    )
