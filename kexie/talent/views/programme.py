"""托举 programme pages: cohorts and people (staff), a person's record (staff, the person and the
mentors), reports filed and reviewed, instalments paid."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.views import run_transition, submit_form
from kexie.talent import queries, rules
from kexie.talent.enums import ReportState
from kexie.talent.forms import ReportForm, ReviewForm
from kexie.talent.models import Cohort, Instalment, ProgressReport
from kexie.talent.services import programme


@login_required
def cohort_list(request):
    """Staff see every cohort; a supported person or mentor sees their own records."""
    people = queries.people_visible_to(request.user).prefetch_related("mentors").select_related("evaluation")
    cohorts = Cohort.objects.all() if rules.can_view_programme(request.user) else Cohort.objects.none()
    return render(
        request,
        "talent/cohort_list.html",
        {"cohorts": cohorts, "people": people, "staff": rules.can_view_programme(request.user)},
    )


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
