"""Template helpers shared by every page: page links that keep one ``page``, numbers for people, kept
fragments."""

from __future__ import annotations

from django import template
from django.urls import get_urlconf
from django.utils import translation
from django.utils.safestring import mark_safe

from kexie.core import versioned
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


# --- kept fragments ------------------------------------------------------------------------------
# A part of a page that every viewer of the same scope sees alike (a table of rows, a board) is
# rendered once per data version and kept in the process (kexie.core.versioned):
#
#     {% keep "policy.tasks" scope query %} … {% endkeep %}
#
# The key is the name, the listed values, the language and the URL configuration; the data version
# is added by the cache. What is inside must depend on nothing else: no per-user buttons or data
# beyond what the listed values say (pass the reader's scope, not the reader). A ``{% csrf_token %}``
# inside is kept as a placeholder and filled with the reader's own token on every view.
KEEP_SECONDS = versioned.DEFAULT_TIMEOUT
_fragments = versioned.VersionedCache("core.fragments", max_entries=512)
_CSRF_PLACEHOLDER = "\x00kexie-csrf-token\x00"


class KeepNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        values = tuple(repr(value.resolve(context)) for value in self.values)
        key = (self.name.resolve(context), values, translation.get_language(), get_urlconf())

        def build() -> str:
            with context.push(csrf_token=_CSRF_PLACEHOLDER):
                return str(self.nodelist.render(context))

        html = _fragments.get(key, build, timeout=KEEP_SECONDS, request=context.get("request"))
        if _CSRF_PLACEHOLDER in html:
            html = html.replace(_CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - the output of Django's autoescaping renderer


@register.tag
def keep(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% keep %} needs a name: {% keep "app.part" value … %}')
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    return KeepNode(nodelist, parser.compile_filter(bits[1]), values)
