"""Results (counts, percentages, cross-tabs, weighted estimates), exports, and weighting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.surveys import exports, rules, services
from kexie.surveys.forms import CrosstabForm, MarginsForm, WeightingForm
from kexie.surveys.models import Survey, WeightingRun
from kexie.surveys.results import add_weighted, crosstab, crosstab_questions, question_results
from kexie.surveys.views.common import visible_survey


def _results_survey(request, pk: int) -> Survey:
    survey = visible_survey(request, pk)
    if not rules.can_view_results(request.user, survey):
        raise PermissionDenied
    return survey


def _latest_run(survey: Survey, run_id: str | None) -> WeightingRun | None:
    runs = WeightingRun.objects.filter(scheme__survey=survey).select_related("scheme", "scheme__survey")
    if run_id:
        return runs.filter(pk=run_id).first()
    return runs.order_by("-pk").first()


@login_required
def results_view(request, pk: int):
    survey = _results_survey(request, pk)
    rows = services.responses_frame(survey)
    results = question_results(survey, rows=rows)
    run = _latest_run(survey, request.GET.get("run"))
    weighting = None
    if run is not None and request.GET.get("weighted", "1") == "1":
        try:
            weighting = add_weighted(results, run)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            run = None
    candidates = crosstab_questions(survey)
    table = None
    form = CrosstabForm(request.GET if "row" in request.GET else None, questions=candidates)
    if form.is_bound and form.is_valid():
        by_code = {q.code: q for q in candidates}
        table = crosstab(
            survey, by_code[form.cleaned_data["row"]], by_code[form.cleaned_data["column"]], rows=rows
        )
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": results,
            "charts": [r.chart for r in results if r.chart],
            "submitted": len(rows),
            "run": run,
            "weighting": weighting,
            "crosstab_form": form if len(candidates) >= 2 else None,
            "crosstab": table,
            "can_view_results": True,  # _results_survey admitted the user
        },
    )


EXPORT_KINDS = {"responses", "tables"}
EXPORT_FORMATS = {"xlsx", "csv"}


@login_required
def export_view(request, pk: int, kind: str, fmt: str):
    survey = _results_survey(request, pk)
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise Http404
    if kind == "responses":
        header, body = exports.response_table(survey)
        title = _("Responses")
    else:
        results = question_results(survey)
        run = _latest_run(survey, request.GET.get("run"))
        if run is not None:
            add_weighted(results, run)
        header, body = exports.results_table(results)
        title = _("Results")
    services.record_export(survey=survey, kind=kind, fmt=fmt, by=request.user)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(header, body), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(header, body, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-{kind}.{fmt}"'
    return response


@login_required
def weighting_view(request, pk: int):
    survey = _results_survey(request, pk)
    can_weight = rules.can_weight_survey(request.user, survey)
    upload = MarginsForm() if can_weight else None
    run_form = (
        WeightingForm(survey=survey, initial={"scheme": survey.schemes.first()}) if can_weight else None
    )
    if request.method == "POST":
        if not can_weight:
            raise PermissionDenied
        upload = MarginsForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                scheme = services.upload_margins(
                    survey=survey,
                    file=upload.cleaned_data["file"],
                    name=upload.cleaned_data["name"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(upload, exc)
            else:
                messages.success(request, _("Margins “%(name)s” uploaded.") % {"name": scheme.name})
                return redirect("surveys:weighting", pk=survey.pk)
    schemes = list(survey.schemes.prefetch_related("margin_rows"))
    for scheme in schemes:
        scheme.variables = sorted({row.variable for row in scheme.margin_rows.all()})
    return render(
        request,
        "surveys/weighting.html",
        {
            "survey": survey,
            "upload": upload,
            "run_form": run_form,
            "schemes": schemes,
            "runs": WeightingRun.objects.filter(scheme__survey=survey).select_related("scheme", "created_by")[
                :20
            ],
            "can_weight": can_weight,
            "can_view_results": True,  # _results_survey admitted the user
        },
    )


@login_required
@require_POST
def weighting_run_view(request, pk: int):
    survey = _results_survey(request, pk)
    if not rules.can_weight_survey(request.user, survey):
        raise PermissionDenied
    form = WeightingForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            run = services.run_weighting(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            report = run.report
            if report["converged"]:
                messages.success(
                    request,
                    _("Weighting converged in %(n)s iterations (largest margin error %(error).2e).")
                    % {"n": report["iterations"], "error": report["max_margin_error"]},
                )
            else:
                messages.warning(request, _("Weighting did not converge: see the report."))
            return redirect("surveys:weighting", pk=survey.pk)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''} {error}".strip()
                )
    return redirect("surveys:weighting", pk=survey.pk)
