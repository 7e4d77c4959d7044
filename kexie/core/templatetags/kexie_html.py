from __future__ import annotations

from django import template

from kexie.core.html import marked as _marked

register = template.Library()


@register.filter
def marked(value):
    """Search highlights: only <mark> survives, everything else is escaped (instead of ``|safe``)."""
    return _marked(value)
