"""Staff pages of the literacy rate: the annual literacy survey and its weighted rate, the estimates
(published figures entered by hand), and the scoring thresholds. Thin: a rules predicate, a form, a
service, a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.literacy import queries, rules, services
from kexie.literacy.enums import EstimateSource, RuleKind
from kexie.literacy.forms import (
    AssessmentRuleForm,
    BenchmarkRuleForm,
    LiteracySurveyForm,
    PublishedEstimateForm,
    TierRuleForm,
)
from kexie.literacy.models import Assessment, LiteracyEstimate, LiteracySurvey, ScoringRule
from kexie.literacy.views.common import TARGET_RATE
from kexie.surveys import rules as survey_rules

ESTIMATES_PER_PAGE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- the annual literacy survey ------------------------------------------------------------------


@login_required
def survey_list_view(request):
    _require(rules.can_view_survey_results(request.user))
    can_manage = rules.can_manage_surveys(request.user)
    form = LiteracySurveyForm(request.POST or None)
    if request.method == "POST":
        _require(can_manage)
        if form.is_valid():
            try:
                created = services.create_literacy_survey(
                    year=form.cleaned_data["year"],
                    assessment=form.cleaned_data["assessment"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The literacy survey of %(year)s is published; hand out its link or invitation codes.")
                    % {"year": created.year},
                )
                return redirect("literacy:survey_detail", pk=created.pk)
    surveys = list(queries.literacy_surveys())
    counts = queries.survey_response_counts(surveys)
    rows = [(s, counts.get(s.pk, 0)) for s in surveys]
    return render(
        request,
        "literacy/survey_list.html",
        {"rows": rows, "form": form, "can_manage": can_manage},
    )


def _chart(series, districts) -> dict:
    """The data of the page's two charts: the city's rate over the years (one figure a year, the
    best source) against the target, and each district's survey rate with its interval."""
    return {
        "target": TARGET_RATE,
        "target_label": _("Target > 15% (2025)"),
        "labels": {
            "city": _("Whole city"),
            "published": _("Published figure"),
            "survey": _("Survey estimate"),
        },
        "city": [
            [
                e.year,
                float(e.rate),
                float(e.ci_low) if e.ci_low is not None else None,
                float(e.ci_high) if e.ci_high is not None else None,
                e.source,
            ]
            for e in series
        ],
        "districts": [
            [
                e.district.name.removesuffix("科学技术协会"),
                float(e.rate),
                float(e.ci_low),
                float(e.ci_high),
                e.n,
                bool(e.n is not None and e.n < services.SMALL_N),
            ]
            for e in districts
            if e.ci_low is not None and e.ci_high is not None
        ],
    }


@login_required
def survey_detail_view(request, pk: int):
    _require(rules.can_view_survey_results(request.user))
    literacy_survey = get_object_or_404(
        LiteracySurvey.objects.select_related("survey", "assessment__rule"), pk=pk
    )
    rows = queries.survey_estimates(literacy_survey.year)
    city = next((e for e in rows if e.district_id is None), None)
    districts = [e for e in rows if e.district_id is not None]
    submitted = literacy_survey.survey.responses.filter(submitted_at__isnull=False).count()
    return render(
        request,
        "literacy/survey_detail.html",
        {
            "ls": literacy_survey,
            "survey": literacy_survey.survey,
            "city": city,
            "districts": districts,
            "submitted": submitted,
            "small_n": services.SMALL_N,
            "scheme": literacy_survey.survey.schemes.order_by("-pk").first(),
            "chart": _chart(queries.city_series(), districts),
            "can_compute": rules.can_manage_estimates(request.user),
            "can_manage_survey": survey_rules.can_manage_survey(request.user, literacy_survey.survey),
        },
    )


@login_required
@require_POST
def survey_compute_view(request, pk: int):
    literacy_survey = get_object_or_404(LiteracySurvey, pk=pk)
    _require(rules.can_manage_estimates(request.user))
    try:
        saved = services.compute_survey_rate(literacy_survey=literacy_survey, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The literacy rate of %(year)s is computed: %(rate)s%% (%(rows)s estimates stored).")
            % {"year": literacy_survey.year, "rate": saved[0].rate, "rows": len(saved)},
        )
    return redirect("literacy:survey_detail", pk=pk)


# --- estimates --------------------------------------------------------------------------------------


@login_required
def estimate_list_view(request):
    _require(rules.can_manage_estimates(request.user))
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None
    source = request.GET.get("source", "")
    source = source if source in EstimateSource.values else ""
    district = request.GET.get("district", "")
    page = Paginator(
        queries.estimates(year=year, source=source, district=district), ESTIMATES_PER_PAGE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "literacy/estimate_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "years": sorted(set(LiteracyEstimate.objects.values_list("year", flat=True)), reverse=True),
            "sources": EstimateSource.choices,
            "districts": queries.districts(),
            "selected": {"year": year, "source": source, "district": district},
        },
    )


def _figure(data: dict) -> dict:
    return {key: data.get(key) for key in ("rate", "ci_low", "ci_high", "n")} | {
        "note": data.get("note") or "",
        "source_url": data.get("source_url") or "",
    }


@login_required
def estimate_create_view(request):
    _require(rules.can_manage_estimates(request.user))
    form = PublishedEstimateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            estimate = services.enter_published_estimate(
                by=request.user,
                year=form.cleaned_data["year"],
                district=form.cleaned_data["district"],
                **_figure(form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The published figure of %(year)s is saved.") % {"year": estimate.year}
            )
            return redirect("literacy:estimate_list")
    return render(request, "literacy/estimate_form.html", {"form": form, "estimate": None})


@login_required
def estimate_edit_view(request, pk: int):
    _require(rules.can_manage_estimates(request.user))
    estimate = get_object_or_404(LiteracyEstimate.objects.select_related("district"), pk=pk)
    initial = {
        "rate": estimate.rate,
        "ci_low": estimate.ci_low,
        "ci_high": estimate.ci_high,
        "n": estimate.n,
        "note": estimate.note,
        "source_url": estimate.source_url,
    }
    form = PublishedEstimateForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_estimate(estimate=estimate, by=request.user, **_figure(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The estimate is updated."))
            return redirect("literacy:estimate_list")
    return render(request, "literacy/estimate_form.html", {"form": form, "estimate": estimate})


@login_required
def estimate_delete_view(request, pk: int):
    _require(rules.can_manage_estimates(request.user))
    estimate = get_object_or_404(LiteracyEstimate.objects.select_related("district"), pk=pk)
    if request.method == "POST":
        services.delete_estimate(estimate=estimate, by=request.user)
        messages.success(request, _("The estimate is deleted."))
        return redirect("literacy:estimate_list")
    return render(request, "literacy/estimate_delete.html", {"estimate": estimate})


# --- scoring thresholds -------------------------------------------------------------------------------


@login_required
def rule_list_view(request):
    _require(rules.can_manage_rules(request.user))
    assessments = list(Assessment.objects.select_related("rule").order_by("-created_at", "-pk"))
    return render(
        request,
        "literacy/rule_list.html",
        {
            "rules": ScoringRule.objects.all(),
            "assessments": [
                (a, AssessmentRuleForm(initial={"rule": a.rule_id}, prefix=f"a{a.pk}")) for a in assessments
            ],
        },
    )


@login_required
def rule_edit_view(request, pk: int):
    _require(rules.can_manage_rules(request.user))
    rule = get_object_or_404(ScoringRule, pk=pk)
    graded = rule.kind == RuleKind.GRADED
    if graded:
        form = TierRuleForm(request.POST or None, rule=rule)
    else:
        form = BenchmarkRuleForm(request.POST or None, instance=ScoringRule.objects.get(pk=rule.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if graded:
                services.update_scoring_rule(
                    rule=rule, by=request.user, fail_label=data["fail_label"], tiers=form.tiers()
                )
            else:
                services.update_scoring_rule(
                    rule=rule,
                    by=request.user,
                    fail_label=data["fail_label"],
                    points_per_item=data["points_per_item"],
                    pass_share=data["pass_share"],
                    pass_label=data["pass_label"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The thresholds of %(rule)s are saved.") % {"rule": rule.name})
            return redirect("literacy:rule_list")
    return render(request, "literacy/rule_form.html", {"form": form, "rule": rule, "graded": graded})


@login_required
@require_POST
def assessment_rule_view(request, pk: int):
    _require(rules.can_manage_rules(request.user))
    assessment = get_object_or_404(Assessment, pk=pk)
    form = AssessmentRuleForm(request.POST, prefix=f"a{assessment.pk}")
    if form.is_valid():
        try:
            services.set_assessment_rule(
                assessment=assessment, rule=form.cleaned_data["rule"], by=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"{assessment.title}: {message}")
        else:
            messages.success(
                request,
                _("%(paper)s is now scored with %(rule)s.")
                % {"paper": assessment.title, "rule": form.cleaned_data["rule"].name},
            )
    else:
        messages.error(request, _("Choose a scoring rule."))
    return redirect("literacy:rule_list")


urlpatterns = [
    path("surveys/", survey_list_view, name="survey_list"),
    path("surveys/<int:pk>/", survey_detail_view, name="survey_detail"),
    path("surveys/<int:pk>/compute/", survey_compute_view, name="survey_compute"),
    path("estimates/", estimate_list_view, name="estimate_list"),
    path("estimates/new/", estimate_create_view, name="estimate_new"),
    path("estimates/<int:pk>/edit/", estimate_edit_view, name="estimate_edit"),
    path("estimates/<int:pk>/delete/", estimate_delete_view, name="estimate_delete"),
    path("rules/", rule_list_view, name="rule_list"),
    path("rules/<int:pk>/", rule_edit_view, name="rule_edit"),
    path("assessments/<int:pk>/rule/", assessment_rule_view, name="assessment_rule"),
]
