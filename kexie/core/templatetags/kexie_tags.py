"""Template helpers shared by every page: page links that keep one ``page``, numbers for people."""

from __future__ import annotations

from django import template

from kexie.core.numbers import SMALL_SAMPLE, human_number, is_small_sample

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """The current query string with ``page`` set to ``number`` (once, whatever was there before)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    query.pop("page", None)
    query["page"] = str(number)
    return query.urlencode()


@register.filter
def human(value, digits: int = 2) -> str:
    """A number as people read it: no exponent, grouped thousands, trailing zeros kept to ``digits``."""
    return human_number(value, digits)


@register.filter
def small_sample(n) -> bool:
    """Fewer answers than SMALL_SAMPLE (or none known): a rate from them is flagged, not published."""
    return n is not None and n != "" and is_small_sample(n)


@register.simple_tag
def small_sample_threshold() -> int:
    return SMALL_SAMPLE
