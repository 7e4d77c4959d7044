from django import template

from kexie.thinktank import rules

register = template.Library()


@register.filter
def tt_staff(user) -> bool:
    return rules.can_view_internal(user)
