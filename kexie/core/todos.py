"""The to-do registry (我的待办): each app says what work is waiting for a user.

An app declares providers in its own ``todos.py`` module (imported automatically, as ``indicators.py``
is), so the home page lists every app's waiting work without importing any app::

    # kexie/transfer/todos.py
    from kexie.core import todos

    @todos.register("transfer.demands_to_review", label=_("Demands to review"))
    def demands_to_review(user):
        if not rules.can_review_demands(user):
            return []
        n = demands_visible_to(user).filter(state=DemandState.SUBMITTED).count()
        url = reverse("transfer:review")
        return [todos.TodoItem(label=_("Demands waiting for review"), count=n, url=url)]

A provider answers for one user, must be cheap (one or two COUNT queries), returns an empty list for a
user who has no such work, and links only to pages that user may open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules

from kexie.core.versioned import VersionedCache


@dataclass(frozen=True)
class TodoItem:
    label: object  # translated text
    count: int
    url: str
    urgent: bool = False  # overdue or due soon: shown first and highlighted
    detail: object = ""


Provider = Callable[[object], Iterable[TodoItem]]


@dataclass(frozen=True)
class TodoSource:
    key: str
    label: object
    provider: Provider = field(repr=False)
    order: int = 100


_registry: dict[str, TodoSource] = {}
_lock = threading.Lock()
_discovered = False


def register(key: str, *, label, provider: Provider | None = None, order: int = 100):
    """Register a to-do provider; without ``provider``, returns a decorator."""
    if provider is None:

        def decorator(function: Provider) -> Provider:
            register(key, label=label, provider=function, order=order)
            return function

        return decorator
    if not callable(provider):
        raise ImproperlyConfigured(f"to-do source {key!r}: provider must be callable")
    with _lock:
        if key in _registry:
            raise ImproperlyConfigured(f"a to-do source is already registered as {key!r}")
        _registry[key] = TodoSource(key=key, label=label, provider=provider, order=order)


def unregister(key: str) -> None:
    with _lock:
        _registry.pop(key, None)


def autodiscover() -> None:
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        autodiscover_modules("todos")
        _discovered = True


def sources() -> list[TodoSource]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda s: (s.order, s.key))


def _collect(user) -> list[TodoItem]:
    items = [item for source in sources() for item in source.provider(user) if item.count > 0]
    return sorted(items, key=lambda item: not item.urgent)


# The home page asked ~30 providers (~40 queries, ~40% of the page's time) on every view. The list is
# kept per user, language and day, with a version: the id of the newest audit event. Every write through
# a service leaves one in its own transaction, so a committed write changes the version and the next
# view asks again; TIMEOUT_SECONDS bounds what is not audited. In the process (a few users' short lists),
# off in the test suite, whose rolled-back transactions reuse ids; tests of the cache turn it on.
TIMEOUT_SECONDS = 0 if settings.TESTING else 30
_kept = VersionedCache("core.todos", max_entries=512)


def clear_cache() -> None:
    _kept.clear()


def items_for(user, *, request=None) -> list[TodoItem]:
    """Every waiting item of every app for ``user``: urgent first, empty counts left out."""
    if user is None or not user.is_authenticated:
        return []
    key = (user.pk, translation.get_language(), timezone.localdate())
    return list(_kept.get(key, lambda: _collect(user), timeout=TIMEOUT_SECONDS, request=request))
