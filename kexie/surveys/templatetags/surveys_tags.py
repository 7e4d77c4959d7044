from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A proportion as a percentage with two decimals (0.1234 → 12.34)."""
    if value is None:
        return ""
    return f"{float(value) * 100:.2f}"
