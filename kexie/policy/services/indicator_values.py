"""Indicator values typed in by hand for targets no module computes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.policy import rules
from kexie.policy.models import (
    IndicatorValue,
    Target,
)


@transaction.atomic
def record_indicator_value(
    *, target: Target, value: Decimal, as_of: date, by, note: str = ""
) -> IndicatorValue:
    if not rules.can_record_indicator(by):
        raise PermissionDenied
    if target.indicator_key:
        raise ValidationError(_("This target's indicator is computed by its module and cannot be typed in."))
    entry = IndicatorValue.objects.create(
        target=target, value=value, as_of=as_of, note=note.strip()[:300], recorded_by=by
    )
    record_event(
        entry,
        "policy.indicator.record",
        actor=by,
        after={"target": target.pk, "value": str(value), "as_of": as_of.isoformat()},
    )
    return entry
