"""State transitions as conditional UPDATEs: ``UPDATE … SET … WHERE pk = %s AND state IN (expected)``.

Two concurrent requests that both read "submitted" and both try to approve cannot both apply: the
second UPDATE matches no row and the caller gets a ValidationError asking to reload. Services use
:func:`transition` instead of ``obj.state = …; obj.save()`` for every state change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


def transition(
    obj: M,
    *,
    expected: Iterable[str] | str,
    values: dict,
    field: str = "state",
    message: str | None = None,
) -> M:
    """Apply ``values`` to ``obj``'s row only while its ``field`` is one of ``expected``; refresh and
    return ``obj``, or raise ValidationError(``message``) when another writer got there first. An
    ``updated_at`` field, when the model has one, is set to now."""
    expected = (expected,) if isinstance(expected, str) else tuple(expected)
    values = dict(values)
    names = {f.name for f in obj._meta.concrete_fields}
    if "updated_at" in names:
        values.setdefault("updated_at", timezone.now())
    updated = type(obj)._base_manager.filter(pk=obj.pk, **{f"{field}__in": expected}).update(**values)
    if updated == 0:
        raise ValidationError(
            message or _("This item has changed in the meantime; reload the page and try again."),
            code="stale_state",
        )
    obj.refresh_from_db()
    return obj
