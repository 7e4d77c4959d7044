"""The think tank's staff home, its statistics, and the yearly survey of science and technology workers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.thinktank import forms, queries, rules, services
from kexie.thinktank.enums import BriefState, QuestionState
from kexie.thinktank.models import Brief, Question
from kexie.thinktank.views.common import form_page, require


@login_required
def home(request):
    require(rules.can_view_internal(request.user))
    user = request.user
    return render(
        request,
        "thinktank/home.html",
        {
            "can_manage": rules.can_manage(user),
            "bases": queries.bases_visible_to(user).count(),
            "questions_waiting": Question.objects.filter(state=QuestionState.SUBMITTED).count()
            if rules.can_oversee(user)
            else None,
            "guides": queries.guides_visible_to(user)[:3],
            "projects": queries.projects_visible_to(user).count(),
            "results": queries.results_visible_to(user).count(),
            "briefs_in_work": Brief.objects.exclude(state=BriefState.ISSUED).count()
            if rules.can_oversee(user)
            else None,
            "latest_briefs": queries.briefs_visible_to(user).filter(state=BriefState.ISSUED)[:5],
            "stats": queries.brief_statistics(),
        },
    )


@login_required
def statistics(request):
    require(rules.can_view_internal(request.user))
    this_year = timezone.localdate().year
    years = sorted(
        set(Brief.objects.filter(state=BriefState.ISSUED).values_list("year", flat=True)) | {this_year},
        reverse=True,
    )
    rows = [(year, queries.brief_statistics(year=year)) for year in years]
    return render(request, "thinktank/statistics.html", {"rows": rows, "total": queries.brief_statistics()})


@login_required
def worker_surveys(request):
    require(rules.can_view_internal(request.user))
    form = None
    if rules.can_manage(request.user):
        form = forms.WorkerSurveyForm(request.POST or None, initial={"year": timezone.localdate().year})
        if request.method == "POST":

            def save(data):
                linked = services.link_worker_survey(
                    by=request.user, year=data["year"], survey=data["survey"], summary=data["summary"]
                )
                if data["figures"]:
                    services.set_headline_figures(
                        worker_survey=linked, by=request.user, figures=data["figures"]
                    )
                return linked

            return form_page(
                request,
                form,
                save,
                title=_("Survey of science and technology workers"),
                success_message=_("The yearly survey is linked."),
                success_url=reverse("thinktank:worker_surveys"),
                back_url=reverse("thinktank:worker_surveys"),
            )
    return render(
        request, "thinktank/worker_surveys.html", {"surveys": queries.worker_surveys(), "form": form}
    )
