"""One access rule per object: fetch and check at once (Zulip's ``access_stream_by_id``).

Each app defines, in its ``queries.py``, ``<model>s_visible_to(user)`` (the list) and
``access_<model>(user, pk)`` built on that same queryset, and registers the pair here::

    def access_task(user, pk) -> Task:
        return access(with_cooperating(tasks_visible_to(user)), pk)

    access_rules.register("policy.task", visible=tasks_visible_to, access=access_task,
                          can_view=rules.can_view_task)

Decision: an object the reader may not see is answered exactly like one that does not exist — 404,
on pages and in the API alike (``NotAccessible`` is an ``Http404``, which Django and django-ninja
both turn into 404), so an id reveals nothing. 403 stays for what a reader may see but not do
(an action, a whole page of staff tools). Pages, API endpoints, commands and services that take an
id from outside call ``access_<model>``; ``tests/test_access.py`` checks, for every registered
object type and several roles, that the list and the single-object access agree, and with the
optional in-memory predicate ``can_view`` (rules.py) too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.module_loading import autodiscover_modules


class NotAccessible(Http404):
    """The object does not exist, or the reader may not see it: one answer for both."""


def access(queryset: QuerySet, pk) -> Model:
    """The object ``pk`` of ``queryset`` (a reader's scoped queryset), or NotAccessible."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise NotAccessible from None


@dataclass(frozen=True)
class AccessRule:
    name: str
    visible: Callable[[object], QuerySet]
    access: Callable[[object, object], Model]
    can_view: Callable[[object, Model], bool] | None = None


_rules: dict[str, AccessRule] = {}
_discovered = False


def register(
    name: str,
    *,
    visible: Callable[[object], QuerySet],
    access: Callable[[object, object], Model],
    can_view: Callable[[object, Model], bool] | None = None,
) -> None:
    """Declare an object type's list and single-object access (at import of the app's queries)."""
    _rules[name] = AccessRule(name=name, visible=visible, access=access, can_view=can_view)


def registered() -> list[AccessRule]:
    """Every registered rule; imports each installed app's ``queries`` module once."""
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        autodiscover_modules("queries")
        _discovered = True
    return sorted(_rules.values(), key=lambda rule: rule.name)
