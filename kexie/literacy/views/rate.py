"""The literacy rate against measure 9's target, participation figures and the sampling planner."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.forms import add_service_errors
from kexie.literacy import queries, rules, services
from kexie.literacy.enums import EstimateSource
from kexie.literacy.forms import (
    EstimateForm,
    PlannerForm,
)
from kexie.literacy.models import LiteracyEstimate
from kexie.literacy.views.common import TARGET_RATE
from kexie.surveys.stats import WeightingError, allocate, required_sample_sizes


@login_required
def rate_view(request):
    form = EstimateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.estimate_from_assessments(year=form.cleaned_data["year"], by=request.user)
            messages.success(request, _("The estimates from assessments are updated."))
            return redirect("literacy:rate")
        except ValidationError as exc:
            add_service_errors(form, exc)
    city = list(LiteracyEstimate.objects.filter(district__isnull=True).order_by("year", "source"))
    chart = {
        "target": TARGET_RATE,
        "target_label": _("Target > 15% (2025)"),
        "series": [
            {
                "name": label,
                "points": [
                    [
                        e.year,
                        float(e.rate),
                        float(e.ci_low) if e.ci_low is not None else None,
                        float(e.ci_high) if e.ci_high is not None else None,
                    ]
                    for e in city
                    if e.source == source
                ],
            }
            for source, label in EstimateSource.choices
        ],
    }
    return render(
        request,
        "literacy/rate.html",
        {
            "city": city,
            "districts": queries.district_estimates(),
            "chart": chart,
            "form": form,
            "can_manage": rules.can_manage_estimates(request.user),
        },
    )


@login_required
def participation_view(request):
    if not rules.can_view_statistics(request.user):
        raise PermissionDenied
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    rows = queries.participation_by_district(year=year)
    totals = {key: sum(r[key] for r in rows) for key in ("takers", "rounds", "assessments", "visits")}
    return render(request, "literacy/participation.html", {"rows": rows, "year": year, "totals": totals})


def _populations(text: str, districts) -> tuple[dict, list[str]]:
    by_name = {}
    for d in districts:
        by_name[d.code] = d
        by_name[d.name] = d
        by_name[d.display_name] = d
        by_name[d.display_name.removesuffix("科协")] = d  # 渝中区科协 → 渝中区, as people write it
    populations, errors = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace("，", ",").replace("\t", ",").split(",")
        district = by_name.get(parts[0].strip())
        try:
            value = float(parts[1]) if len(parts) > 1 else -1
        except ValueError:
            value = -1
        if district is None:
            errors.append(
                _("Line %(line)s: unknown district “%(name)s”.") % {"line": number, "name": parts[0].strip()}
            )
        elif value <= 0:
            errors.append(_("Line %(line)s: the population must be a positive number.") % {"line": number})
        else:
            populations[district.pk] = int(value) if value.is_integer() else value
    return populations, errors


@login_required
def planner_view(request):
    if not rules.can_view_statistics(request.user):
        raise PermissionDenied
    form = PlannerForm(request.GET or None)
    districts = list(queries.districts())
    populations_text = request.GET.get("populations", "")
    rows, errors, total = [], [], 0
    if form.is_valid():
        data = form.cleaned_data
        entered, errors = _populations(populations_text, districts)
        # A district without an entered population counts as large (no finite-population correction).
        populations = {d.pk: entered.get(d.pk, 1_000_000.0) for d in districts}
        if not errors:
            try:
                sizes = required_sample_sizes(
                    populations=populations,
                    proportion=float(data["proportion"]) / 100,
                    margin_of_error=float(data["margin"]) / 100,
                    deff=float(data["deff"]),
                    response_rate=float(data["response_rate"]) / 100,
                )
                total = sum(sizes.values())
                city = allocate(total=total, populations=populations, method="proportional")
            except WeightingError as exc:
                errors = [str(exc)]
            else:
                rows = [
                    {
                        "district": d,
                        "population": entered.get(d.pk),
                        "size": sizes[d.pk],
                        "proportional": city[d.pk],
                    }
                    for d in districts
                ]
    return render(
        request,
        "literacy/planner.html",
        {"form": form, "rows": rows, "errors": errors, "total": total, "populations": populations_text},
    )
