"""Template helpers of the transfer pages."""

from __future__ import annotations

from django import template

from kexie.transfer import rules

register = template.Library()


@register.filter
def views_registry(user) -> bool:
    """The registry tabs (achievement registry, service teams, workstations) lead to pages that
    admit only ``rules.can_view_registry``: show them to those users only, never a tab to a 403."""
    return rules.can_view_registry(user)
