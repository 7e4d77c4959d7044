"""The leaders' dashboard of the notice's measures, the measure pages, and manual indicator values."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kexie.accounts.models import Organization
from kexie.core import menus
from kexie.core.forms import add_service_errors
from kexie.core.versioned import VersionedCache
from kexie.policy import dashboard_queries as dq
from kexie.policy import indicators, rules, services
from kexie.policy.dashboard_cache import cached_build_dashboard
from kexie.policy.enums import Light, TaskState
from kexie.policy.forms.dashboard import DashboardFilterForm, IndicatorValueForm, selected_notice
from kexie.policy.models import IndicatorValue, Measure, MeasureDepartment, ProgressReport, Target
from kexie.policy.queries import cases_visible_to, tasks_visible_to, with_cooperating

LEDGER_PAGE_SIZE = 20


def _require_supervision(user) -> None:
    if not rules.can_view_dashboard(user):
        raise PermissionDenied


def _scorecard_labels() -> dict[str, str]:
    return {
        "on_time": _("completed on time"),
        "late": _("completed late"),
        "open_on_track": _("open, on track"),
        "report_missing": _("report missing"),
        "overdue": _("overdue"),
    }


@login_required
def dashboard_view(request):
    user = request.user
    _require_supervision(user)
    notices = dq.confirmed_notices()
    notice = selected_notice(notices, request.GET.get("notice"))
    if notice is None:
        return render(
            request,
            "policy/dashboard.html",
            {
                "notice": None,
                "can_import": rules.can_import_notice(user),
                "import_url": reverse("policy:notice_import"),
            },
        )
    form = DashboardFilterForm(
        request.GET,
        notices=notices,
        notice=notice,
        sections=list(notice.sections.all()),
        leads=dq.lead_choices(user, notice),
    )
    filters = form.filters()
    board = cached_build_dashboard(user, notice, filters, request=request)
    measure_urls = {
        row.measure.pk: reverse("policy:measure_detail", args=[row.measure.pk]) for row in board.rows
    }
    task_query = urlencode(
        {key: value for key, value in (("lead", filters.lead_id), ("light", filters.light)) if value}
    )
    # The notice's closing order (typical cases, good practice publicised) serves every measure: the
    # indicators an app registers for all of them are shown once, beside the measures.
    measures = list(notice.measures.all())
    whole_notice = [
        indicator
        for indicator in indicators.registered()
        if measures and all(indicator.applies_to(measure) for measure in measures)
    ]
    closing = [(indicator, *indicators.indicator_reading(indicator)) for indicator in whole_notice]
    closing.sort(key=lambda row: bool(row[1] and row[1].breakdown))  # single figures first
    return render(
        request,
        "policy/dashboard.html",
        {
            "notice": notice,
            "notices": notices,
            "notice_url": reverse("policy:notice_detail", args=[notice.pk]),
            "form": form,
            "filters": filters,
            "board": board,
            "closing": closing,
            "sees_all": rules.sees_all_tasks(user),
            # The board's part of the page is the same for every reader of one scope: kept per scope.
            "scope": rules.task_scope(user),
            "light_tiles": [
                (
                    light.value,
                    # Cancelled tasks are counted apart (dashboard_queries.counted): grey is "not started".
                    pgettext("light tile", "not started") if light == Light.GREY else light.label,
                    board.totals["lights"][light.value],
                )
                for light in dq.LIGHTS
            ],
            "state_tiles": [
                (state.value, state.label, board.totals["states"][state.value])
                for state in (TaskState.IN_PROGRESS, TaskState.COMPLETION_REQUESTED, TaskState.COMPLETED)
            ],
            "cancelled": board.totals["cancelled"],
            "scope_names": "、".join(
                o.display_name for o in Organization.objects.filter(pk__in=rules.department_ids(user))
            ),
            "task_query": task_query,
            "charts": {
                "lights": dq.lights_chart(board.groups),
                "progress": dq.progress_chart(board.rows, measure_urls),
                "scorecard": dq.scorecard_chart(board.scorecard, _scorecard_labels()),
            },
        },
    )


# A measure's targets with their statuses and its indicators with their readings and charts are the
# same for every reader: kept per measure, day and language until the next audited write (a value
# recorded by hand is audited), like the readings themselves.
_measure_parts = VersionedCache("policy.measure_indicators", max_entries=128)


def _indicator_parts(measure: Measure) -> tuple[list, list[dict]]:
    targets = list(
        Target.objects.filter(measure=measure).prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("recorded_by"))
        )
    )
    statuses = [indicators.target_status(target, entries=target.values.all()) for target in targets]
    bound_keys = {target.indicator_key for target in targets if target.indicator_key}
    computed = []
    for indicator in indicators.indicators_for(measure):
        if indicator.key in bound_keys:
            continue
        reading, error = indicators.indicator_reading(indicator)
        computed.append(
            {
                "indicator": indicator,
                "reading": reading,
                "error": error,
                "chart_id": f"indicator-{indicator.key.replace('.', '-')}",
                "chart": indicators.reading_chart(indicator, reading) if reading else None,
            }
        )
    return statuses, computed


def _measure_context(
    request, measure: Measure, *, bound: dict[int, IndicatorValueForm] | None = None
) -> dict:
    user = request.user
    visible = tasks_visible_to(user).filter(measure=measure)
    tasks = list(with_cooperating(visible).order_by("pk"))
    reports = (
        ProgressReport.objects.filter(task__in=visible.values("pk"))
        .select_related("task", "organization", "author")
        .prefetch_related("evidence")
        .order_by("-created_at", "-pk")
    )
    ledger = Paginator(reports, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = rules.can_record_indicator(user)
    bound = bound or {}
    if bound:  # a form with errors: computed afresh, shown with its errors
        statuses, computed = _indicator_parts(measure)
    else:
        key = (measure.pk, timezone.localdate(), translation.get_language())
        statuses, computed = _measure_parts.get(
            key, lambda: _indicator_parts(measure), timeout=indicators.READING_SECONDS, request=request
        )
    target_rows = []
    for status in statuses:
        target = status.target
        form = bound.get(target.pk)
        if form is None and status.source == "manual" and can_record:
            form = IndicatorValueForm(prefix=f"target-{target.pk}", unit=target.unit)
        target_rows.append({"status": status, "form": form})
    return {
        "measure": measure,
        "notice": measure.notice,
        "section_label": dq.section_label(measure.section.number, measure.section.title)
        if measure.section
        else "",
        "notice_url": reverse("policy:notice_detail", args=[measure.notice_id]),
        "departments": list(measure.department_links.all()),
        "tasks": tasks,
        "light": dq.measure_light(tasks),
        "percent": dq.mean_percent(tasks),
        "ledger": ledger,
        "targets": target_rows,
        "computed": computed,
        # Without a form carrying errors, the section is the same for every reader with the same right
        # to record values: kept per measure and right.
        "indicators_key": None if bound else (measure.pk, can_record),
        "cases": list(cases_visible_to(user).filter(task__measure=measure).order_by("-created_at")),
        "sees_all": rules.sees_all_tasks(user),
        # The tasks and the ledger are the same for every reader of one scope: kept per scope.
        "scope": rules.task_scope(user),
        "today": timezone.localdate(),
        # The pages that serve this measure, from the menu registry: linked when the user may open them.
        "modules": [(entry, entry.visible(user)) for entry in menus.entries_for_measure(measure.number)],
    }


def _measure(pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("notice", "section").prefetch_related(
            Prefetch("department_links", queryset=MeasureDepartment.objects.select_related("organization"))
        ),
        pk=pk,
    )


@login_required
def measure_detail_view(request, pk: int):
    _require_supervision(request.user)
    measure = _measure(pk)
    context = _measure_context(request, measure)
    context["light_label"] = Light(context["light"]).label
    return render(request, "policy/measure_detail.html", context)


@login_required
@require_POST
def indicator_record_view(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("measure"), pk=pk)
    if not rules.can_record_indicator(request.user):
        raise PermissionDenied
    form = IndicatorValueForm(request.POST, prefix=f"target-{target.pk}", unit=target.unit)
    if form.is_valid():
        try:
            services.record_indicator_value(
                target=target,
                value=form.cleaned_data["value"],
                as_of=form.cleaned_data["as_of"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The value of “%(metric)s” has been recorded.") % {"metric": target.metric}
            )
            return redirect(
                f"{reverse('policy:measure_detail', args=[target.measure_id])}#target-{target.pk}"
            )
    measure = _measure(target.measure_id)
    context = _measure_context(request, measure, bound={target.pk: form})
    context["light_label"] = Light(context["light"]).label
    return render(request, "policy/measure_detail.html", context, status=400)


urlpatterns = [
    path("", dashboard_view, name="dashboard"),
    path("measures/<int:pk>/", measure_detail_view, name="measure_detail"),
    path("targets/<int:pk>/values/", indicator_record_view, name="indicator_record"),
]
