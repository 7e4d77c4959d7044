"""Change requests: due-date adjustments and cancellations of running tasks, decided by a leader."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event, snapshot
from kexie.policy import notifications as events
from kexie.policy import rules
from kexie.policy.enums import (
    OPEN_STATES,
    ChangeKind,
    ChangeState,
    Light,
    TaskState,
)
from kexie.policy.models import (
    ChangeRequest,
    Task,
)
from kexie.policy.services.lights import refresh_light
from kexie.policy.services.notifications import notify_department, notify_leaders
from kexie.policy.services.tasks import TASK_FIELDS, fresh_task, transition_task


@transaction.atomic
def request_change(
    *, task: Task, kind: str, reason: str, by, new_due_date: date | None = None
) -> ChangeRequest:
    task = fresh_task(task)
    if not rules.can_request_change(by, task):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    if kind == ChangeKind.DUE_DATE and new_due_date is None:
        raise ValidationError({"new_due_date": _("Give the new due date.")})
    if ChangeRequest.objects.filter(task=task, state=ChangeState.PENDING).exists():
        raise ValidationError(_("A change request for this task is already waiting for a decision."))
    change = ChangeRequest.objects.create(
        task=task,
        kind=kind,
        reason=reason.strip(),
        new_due_date=new_due_date if kind == ChangeKind.DUE_DATE else None,
        requested_by=by,
    )
    record_event(
        change,
        "policy.change.request",
        actor=by,
        after={"task": task.pk, "kind": kind, "new_due_date": new_due_date, "reason": change.reason},
    )
    notify_leaders(
        task,
        _("Change requested (%(kind)s): %(task)s") % {"kind": change.get_kind_display(), "task": task.title},
        event=events.CHANGE_REQUESTED,
    )
    return change


@transaction.atomic
def decide_change(*, change: ChangeRequest, approve: bool, by, note: str = "") -> ChangeRequest:
    if not rules.can_decide(by):
        raise PermissionDenied
    state = ChangeState.APPROVED if approve else ChangeState.REJECTED
    updated = ChangeRequest.objects.filter(pk=change.pk, state=ChangeState.PENDING).update(
        state=state, decided_by=by, decided_at=timezone.now(), decision_note=note.strip()
    )
    if updated == 0:
        raise ValidationError(_("This request has already been decided."))
    change.refresh_from_db()
    task = Task.objects.select_for_update(of=("self",)).get(pk=change.task_id)
    before = snapshot(task, TASK_FIELDS)
    if approve and change.kind == ChangeKind.DUE_DATE:
        task.due_date = change.new_due_date
        task.save(update_fields=["due_date", "updated_at"])
    elif approve and change.kind == ChangeKind.CANCEL:
        task = transition_task(
            task, expected=OPEN_STATES, values={"state": TaskState.CANCELLED, "light": Light.GREY}
        )
    refresh_light(task=task)
    record_event(
        change,
        "policy.change.approve" if approve else "policy.change.reject",
        actor=by,
        before=before,
        after=snapshot(task, TASK_FIELDS),
        detail=note,
    )
    notify_department(
        task,
        (_("Change approved: %(task)s") if approve else _("Change rejected: %(task)s"))
        % {"task": task.title},
        body=note,
        event=events.CHANGE_DECIDED,
    )
    return change
