"""One write for the plain registry records (teaching points, courses, teachers, venues, exhibitions,
tour stops, courtyards, service logs, outcomes, 农技协, templates, star levels, campaigns): validate
the whole record, check the rule on the values as they will be saved, save, audit."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from kexie.core.services import record_event, snapshot


@transaction.atomic
def save_record(
    *,
    instance: models.Model,
    values: dict,
    by,
    can: Callable[[object, models.Model], bool],
    action: str,
) -> models.Model:
    """Create (``instance`` unsaved) or update a record. ``can(by, instance)`` is checked before and
    after the values are applied, so a district's staff cannot move a record out of their district."""
    creating = instance.pk is None
    if not creating and not can(by, instance):
        raise PermissionDenied
    fields = [
        name for name in values if not isinstance(instance._meta.get_field(name), models.ManyToManyField)
    ]
    before = None if creating else snapshot(instance, fields)
    for name in fields:
        setattr(instance, name, values[name])
    if not can(by, instance):
        raise PermissionDenied
    if hasattr(instance, "updated_by_id"):
        instance.updated_by = by
        if creating:
            instance.created_by = by
    instance.full_clean()
    instance.save()
    for name, value in values.items():
        if isinstance(instance._meta.get_field(name), models.ManyToManyField):
            getattr(instance, name).set(value)
    record_event(
        instance,
        f"{action}.{'create' if creating else 'update'}",
        actor=by,
        before=before,
        after=snapshot(instance, fields),
    )
    return instance
