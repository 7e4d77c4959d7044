"""Docking pages: start a docking from a demand, the list, the detail with records and outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.core.forms import add_service_errors
from kexie.transfer import queries, rules, services
from kexie.transfer.enums import Outcome
from kexie.transfer.forms import (
    DockingCreateForm,
    DockingRecordForm,
    OutcomeForm,
)
from kexie.transfer.models import Docking
from kexie.transfer.views.common import PAGE_SIZE
from kexie.transfer.views.demands import _demand


@login_required
@require_POST
def docking_create(request, pk: int):
    demand = _demand(request, pk)
    form = DockingCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The match could not be read; reload the page and try again."))
        return redirect("transfer:demand_matches", pk=demand.pk)
    try:
        docking = services.create_docking(demand=demand, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("transfer:demand_matches", pk=demand.pk)
    messages.success(request, _("The docking is created. Record contacts and meetings as they happen."))
    return redirect("transfer:docking_detail", pk=docking.pk)


@login_required
def docking_list(request):
    dockings = queries.dockings_visible_to(request.user)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        dockings = dockings.filter(outcome=outcome)
    page = Paginator(dockings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "transfer/docking_list.html", {"page": page, "outcome": outcome, "outcomes": Outcome}
    )


def _docking(request, pk: int) -> Docking:
    return queries.access_docking(request.user, pk)


@login_required
def docking_detail(request, pk: int):
    docking = _docking(request, pk)
    can_update = rules.can_update_docking(request.user, docking)
    record_form = DockingRecordForm(prefix="record")
    outcome_form = OutcomeForm(prefix="outcome")
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if "record-kind" in request.POST:
            record_form = DockingRecordForm(request.POST, prefix="record")
            if record_form.is_valid():
                data = record_form.cleaned_data
                try:
                    services.add_docking_record(
                        docking=docking,
                        kind=data["kind"],
                        on=data["date"],
                        note=data["note"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(record_form, exc)
                else:
                    messages.success(request, _("The record is added."))
                    return redirect("transfer:docking_detail", pk=docking.pk)
        else:
            outcome_form = OutcomeForm(request.POST, prefix="outcome")
            if outcome_form.is_valid():
                data = outcome_form.cleaned_data
                try:
                    services.record_outcome(
                        docking=docking,
                        outcome=data["outcome"],
                        amount=data["amount"],
                        signed_on=data["signed_on"],
                        note=data["note"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(outcome_form, exc)
                else:
                    messages.success(request, _("The outcome is recorded."))
                    return redirect("transfer:docking_detail", pk=docking.pk)
    return render(
        request,
        "transfer/docking_detail.html",
        {
            "docking": docking,
            "records": docking.records.select_related("created_by"),
            "can_update": can_update,
            "record_form": record_form,
            "outcome_form": outcome_form,
            "pending": docking.outcome == Outcome.PENDING,
        },
    )
