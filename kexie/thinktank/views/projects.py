"""Projects (topic research, evaluations, consultations) and the results library."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.exports import csv_bytes
from kexie.core.views import run_transition
from kexie.thinktank import forms, queries, rules, services
from kexie.thinktank.enums import Access, ProjectKind
from kexie.thinktank.models import ProjectMilestone
from kexie.thinktank.views.common import form_page, require

PAGE_SIZE = 30


@login_required
def project_list(request):
    projects = queries.projects_visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in ProjectKind.values:
        projects = projects.filter(kind=kind)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "thinktank/project_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": ProjectKind.choices,
            "can_manage": rules.can_manage(request.user),
        },
    )


@login_required
def project_new(request):
    require(rules.can_manage(request.user))
    form = forms.ProjectForm(
        request.POST or None, initial={"kind": request.GET.get("kind", ProjectKind.EVALUATION)}
    )
    return form_page(
        request,
        form,
        lambda data: services.create_project(by=request.user, **data),
        title=_("New project"),
        success_message=_("The project is registered."),
        success_url=lambda project: reverse("thinktank:project_detail", args=[project.pk]),
        back_url=reverse("thinktank:project_list"),
    )


@login_required
def project_detail(request, pk: int):
    project = queries.access_project(request.user, pk)
    can_manage = rules.can_manage(request.user)
    return render(
        request,
        "thinktank/project_detail.html",
        {
            "project": project,
            "milestones": project.milestones.all(),
            "reviews": project.reviews.all(),
            "deliverables": queries.results_visible_to(request.user).filter(project=project),
            "can_manage": can_manage,
            "can_deliver": rules.can_deliver(request.user, project),
            "milestone_form": forms.MilestoneForm() if can_manage else None,
            "review_form": forms.ReviewForm() if can_manage else None,
            "contract_form": forms.ContractForm(
                initial={
                    "contract_number": project.contract_number,
                    "amount": project.amount,
                    "start_date": project.start_date,
                    "end_date": project.end_date,
                }
            )
            if can_manage
            else None,
        },
    )


def _project_action(request, pk: int, form_class, service, *, title: str, message: str):
    project = queries.access_project(request.user, pk)
    require(rules.can_manage(request.user))
    form = form_class(request.POST or None)
    back = reverse("thinktank:project_detail", args=[project.pk])
    return form_page(
        request,
        form,
        lambda data: service(project=project, by=request.user, **data),
        title=title,
        success_message=message,
        success_url=back,
        back_url=back,
    )


@login_required
def project_contract(request, pk: int):
    return _project_action(
        request,
        pk,
        forms.ContractForm,
        services.set_contract,
        title=_("Contract"),
        message=_("The contract data are saved."),
    )


@login_required
def project_milestone(request, pk: int):
    return _project_action(
        request,
        pk,
        forms.MilestoneForm,
        services.add_milestone,
        title=_("Add a milestone"),
        message=_("The milestone is added."),
    )


@login_required
def project_review(request, pk: int):
    return _project_action(
        request,
        pk,
        forms.ReviewForm,
        services.record_review,
        title=_("Record a review"),
        message=_("The review is recorded."),
    )


@login_required
@require_POST
def milestone_done(request, pk: int, milestone: int):
    project = queries.access_project(request.user, pk)
    item = ProjectMilestone.objects.get(project=project, pk=milestone)
    return run_transition(
        request,
        lambda: services.complete_milestone(milestone=item, by=request.user),
        success_message=_("The milestone is done."),
        redirect_to=reverse("thinktank:project_detail", args=[pk]),
    )


@login_required
def project_deliver(request, pk: int):
    project = queries.access_project(request.user, pk)
    require(rules.can_deliver(request.user, project))
    form = forms.ResultForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "title": project.title,
            "authors": project.principal,
            "access": Access.INTERNAL,
            "year": project.start_date.year if project.start_date else None,
        },
    )
    back = reverse("thinktank:project_detail", args=[project.pk])
    return form_page(
        request,
        form,
        lambda data: services.add_result(by=request.user, project=project, upload=data.pop("file"), **data),
        title=_("Deliver a result"),
        success_message=_("The result is delivered and indexed."),
        success_url=back,
        back_url=back,
        multipart=True,
    )


# --- results library ----------------------------------------------------------------------------------


@login_required
def result_list(request):
    require(rules.can_view_internal(request.user))
    results = queries.results_visible_to(request.user)
    access = request.GET.get("access", "")
    if access in Access.values:
        results = results.filter(access=access)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "thinktank/result_list.html",
        {
            "page": page,
            "access": access,
            "accesses": Access.choices,
            "can_manage": rules.can_manage(request.user),
        },
    )


@login_required
def result_new(request):
    require(rules.can_manage(request.user))
    form = forms.ResultForm(request.POST or None, request.FILES or None, initial={"access": Access.INTERNAL})
    return form_page(
        request,
        form,
        lambda data: services.add_result(by=request.user, upload=data.pop("file"), **data),
        title=_("New result"),
        success_message=_("The result is in the library and indexed."),
        success_url=lambda result: reverse("thinktank:result_detail", args=[result.pk]),
        back_url=reverse("thinktank:result_list"),
        multipart=True,
    )


@login_required
def result_export(request):
    """The library as CSV for staff (internal results included: staff only)."""
    require(rules.can_view_internal(request.user))
    rows = [
        (
            r.title,
            r.authors,
            r.get_kind_display(),
            r.year,
            r.get_access_display(),
            r.project.title if r.project else "",
        )
        for r in queries.results_visible_to(request.user)
    ]
    header = [_("Title"), _("Authors"), _("Kind"), _("Year"), _("Access level"), _("Project")]
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thinktank-results.csv"'
    return response


@login_required
@require_POST
def result_action(request, pk: int, action: str):
    result = queries.access_result(request.user, pk)
    actions = {
        "public": (
            lambda: services.set_access(result=result, by=request.user, access=Access.PUBLIC),
            _("The result is public."),
        ),
        "internal": (
            lambda: services.set_access(result=result, by=request.user, access=Access.INTERNAL),
            _("The result is internal."),
        ),
        "column": (
            lambda: services.publish_to_column(result=result, by=request.user),
            _("The result is in the think-tank column."),
        ),
        "withdraw": (
            lambda: services.withdraw_from_column(result=result, by=request.user),
            _("The result is withdrawn from the column."),
        ),
        "recommend": (
            lambda: services.recommend_result_to_cast(result=result, by=request.user),
            _("The recommendation to CAST is recorded."),
        ),
    }
    if action not in actions:
        require(False)
    run, message = actions[action]
    return run_transition(
        request,
        run,
        success_message=message,
        redirect_to=reverse("thinktank:result_detail", args=[result.pk]),
    )
