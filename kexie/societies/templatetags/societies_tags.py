"""Template filters for the societies pages: the same rules the views check."""

from __future__ import annotations

from django import template

from kexie.societies import rules

register = template.Library()


@register.filter
def societies_staff(user) -> bool:
    return rules.sees_all(user)


@register.filter
def societies_viewer(user) -> bool:
    return rules.can_view_societies(user)


@register.filter
def societies_international(user) -> bool:
    return rules.can_view_international(user)
