"""Dockings (对接) of a demand with an expert, achievement or team, their records and outcome."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.services import record_event, snapshot
from kexie.transfer import notifications as notices
from kexie.transfer import rules
from kexie.transfer.enums import DemandState, Outcome, SearchKind, TargetKind
from kexie.transfer.models import (
    Achievement,
    Demand,
    Docking,
    DockingRecord,
    ServiceTeam,
)
from kexie.transfer.services.demands import STATE_FIELDS, transition_demand
from kexie.transfer.services.indexing import reindex


@transaction.atomic
def create_docking(
    *, demand: Demand, target_kind: str, target_id: str, target_name: str, by: User
) -> Docking:
    """Follow up a match. The first docking moves a published demand into docking."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if not rules.can_create_docking(by, demand):
        raise PermissionDenied
    if target_kind not in TargetKind.values:
        raise ValidationError({"target_kind": _("Unknown kind of match.")})
    target_id, target_name = str(target_id).strip(), target_name.strip()
    if target_kind == TargetKind.ACHIEVEMENT:
        target = Achievement.objects.filter(pk=target_id).first() if target_id.isdigit() else None
        target_name = target.title if target else ""
    elif target_kind == TargetKind.TEAM:
        target = ServiceTeam.objects.filter(pk=target_id).first() if target_id.isdigit() else None
        target_name = target.name if target else ""
    if not target_id or not target_name:
        raise ValidationError({"target_id": _("The match no longer exists.")})
    if Docking.objects.filter(demand=demand, target_kind=target_kind, target_id=target_id).exists():
        raise ValidationError(_("A docking with this match already exists."))
    docking = Docking.objects.create(
        demand=demand,
        target_kind=target_kind,
        target_id=target_id,
        target_name=target_name[:200],
        created_by=by,
    )
    if demand.state == DemandState.PUBLISHED:
        transition_demand(demand, expected=(DemandState.PUBLISHED,), values={"state": DemandState.DOCKING})
        reindex(SearchKind.DEMAND, demand.pk)
    record_event(
        docking,
        "transfer.docking.create",
        actor=by,
        organization_id=demand.enterprise_id,
        after={"demand": demand.pk, "target_kind": target_kind, "target_id": target_id},
    )
    notices.docking_created(docking)
    return docking


@transaction.atomic
def add_docking_record(*, docking: Docking, kind: str, on: date, note: str, by: User) -> DockingRecord:
    if not rules.can_update_docking(by, docking):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Write what happened.")})
    record = DockingRecord.objects.create(
        docking=docking, kind=kind, date=on, note=note.strip(), created_by=by
    )
    record_event(
        record,
        "transfer.docking.record",
        actor=by,
        organization_id=docking.demand.enterprise_id,
        after={"docking": docking.pk, "kind": kind, "date": on.isoformat()},
    )
    return record


@transaction.atomic
def record_outcome(
    *,
    docking: Docking,
    outcome: str,
    by: User,
    amount: Decimal | None = None,
    signed_on: date | None = None,
    note: str = "",
) -> Docking:
    """No deal, or a signed contract (amount in 10,000 yuan and date), which moves the demand to signed."""
    docking = Docking.objects.select_for_update().select_related("demand").get(pk=docking.pk)
    if not rules.can_update_docking(by, docking):
        raise PermissionDenied
    if docking.outcome != Outcome.PENDING:
        raise ValidationError(_("The outcome of this docking is already recorded."))
    if outcome == Outcome.SIGNED:
        errors = {}
        if amount is None or amount <= 0:
            errors["amount"] = _("Enter the contract amount.")
        if signed_on is None:
            errors["signed_on"] = _("Enter the signing date.")
        if errors:
            raise ValidationError(errors)
    elif outcome == Outcome.NO_DEAL:
        amount, signed_on = None, None
    else:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    before = snapshot(docking, ["outcome", "contract_amount", "signed_on"])
    updated = Docking.objects.filter(pk=docking.pk, outcome=Outcome.PENDING).update(
        outcome=outcome,
        contract_amount=amount,
        signed_on=signed_on,
        outcome_note=note.strip(),
        updated_at=timezone.now(),
    )
    if updated == 0:
        raise ValidationError(_("The outcome of this docking is already recorded."))
    docking.refresh_from_db()
    if outcome == Outcome.SIGNED and docking.demand.state in (DemandState.PUBLISHED, DemandState.DOCKING):
        before_demand = snapshot(docking.demand, STATE_FIELDS)
        demand = transition_demand(
            docking.demand,
            expected=(DemandState.PUBLISHED, DemandState.DOCKING),
            values={"state": DemandState.SIGNED},
        )
        record_event(
            demand,
            "transfer.demand.sign",
            actor=by,
            before=before_demand,
            after=snapshot(demand, STATE_FIELDS),
        )
        reindex(SearchKind.DEMAND, demand.pk)
    record_event(
        docking,
        "transfer.docking.outcome",
        actor=by,
        organization_id=docking.demand.enterprise_id,
        before=before,
        after=snapshot(docking, ["outcome", "contract_amount", "signed_on"]),
    )
    return docking
