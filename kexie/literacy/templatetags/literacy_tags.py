from django import template

from kexie.literacy import rules

register = template.Library()


@register.filter
def literacy_staff(user) -> bool:
    return rules.can_view_statistics(user)


@register.filter
def option_letter(index: int) -> str:
    return "ABCDEFGH"[index] if 0 <= index < 8 else "?"


@register.filter
def literacy_editor(user) -> bool:
    return rules.is_literacy_editor(user)
