"""Targets bound to the computed indicators that declare them (`binds_target=` on register)."""

from __future__ import annotations

from django.db import transaction

from kexie.core.services import record_event
from kexie.policy import indicators
from kexie.policy.enums import NoticeState
from kexie.policy.models import Target


@transaction.atomic
def bind_target_indicators(*, by=None) -> int:
    """Bind every unbound target of a confirmed notice to the first registered indicator (by key)
    that declares it binds that target; returns how many were bound. Idempotent; a target already
    bound (by this service or by staff) is left as it is. System work: no permission check, the
    audit event names the caller or "system"."""
    binders = [indicator for indicator in indicators.registered() if indicator.binds_target]
    if not binders:
        return 0
    targets = Target.objects.filter(
        measure__notice__state=NoticeState.CONFIRMED, indicator_key=""
    ).select_related("measure")
    bound = 0
    for target in targets:
        indicator = next((i for i in binders if i.binds(target)), None)
        if indicator is None:
            continue
        # Conditional: a concurrent binding (or a staff edit) in between is not overwritten.
        if Target.objects.filter(pk=target.pk, indicator_key="").update(indicator_key=indicator.key) == 0:
            continue
        record_event(
            target,
            "policy.target.bind",
            actor=by,
            actor_name="system",
            before={"indicator_key": ""},
            after={"indicator_key": indicator.key},
        )
        bound += 1
    return bound
