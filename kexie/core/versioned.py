"""Values kept until the next audited write: the shared kit behind kexie's page caches.

Every write the platform makes through a service leaves an audit event in its own transaction, so
the id of the newest audit event (``data_version``) changes with every committed write. A value
kept under a key that holds that version is therefore never older than the last write; a lifetime
bounds what is written without an audit event (the hourly light refresh, an index's own lag).

The caches live in the process, not in Django's cache: what they keep (boards, menu entries,
rendered fragments) needs no pickling, and each gunicorn worker builds a value once per version.
The version itself is read from the shared database, so every process sees a write at once.

    _boards = VersionedCache("policy.dashboard")
    board = _boards.get(key, lambda: build_dashboard(...), timeout=60, request=request)

A timeout of 0 turns a cache off: the test suite does that (its rolled-back transactions reuse
audit ids, so one key could meet other data); tests of a cache turn it on.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.db.models import Max

T = TypeVar("T")

# The default lifetime of kept values (seconds); 0 in the test suite.
DEFAULT_TIMEOUT = 0 if settings.TESTING else 60

_SAFE_METHODS = frozenset({"GET", "HEAD"})
_local = threading.local()


def data_version(request=None) -> int:
    """The id of the newest audit event: changes with every committed audited write (one indexed MAX).

    During a GET or HEAD request (``RequestVersionMiddleware``, or a ``request`` passed in) it is read
    once and kept for the request; a request that writes reads it again each time, so a value built
    after its own write is kept under the new version."""
    memo = getattr(_local, "memo", None)
    if memo is None and request is not None and getattr(request, "method", None) in _SAFE_METHODS:
        memo = request.__dict__.setdefault("_kexie_data_version", {})
    if memo is None:
        return _read_version()
    if "version" not in memo:
        memo["version"] = _read_version()
    return memo["version"]


class RequestVersionMiddleware:
    """Reads the data version at most once per GET or HEAD request, whoever asks (menus, to-dos,
    indicator readings, kept fragments): several caches on one page cost one query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.memo = {} if request.method in _SAFE_METHODS else None
        try:
            return self.get_response(request)
        finally:
            _local.memo = None


def _read_version() -> int:
    from kexie.core.models import AuditEvent

    return AuditEvent.objects.aggregate(v=Max("pk"))["v"] or 0


class VersionedCache:
    """A bounded, thread-safe, in-process map from (key, data version) to a value with a lifetime."""

    registry: list[VersionedCache] = []

    def __init__(self, name: str, *, max_entries: int = 256) -> None:
        self.name = name
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()
        VersionedCache.registry.append(self)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def get(
        self,
        key: Hashable,
        build: Callable[[], T],
        *,
        timeout: float | None = None,
        request=None,
        version: int | None = None,
    ) -> T:
        """The value kept for ``key`` at the current data version, or ``build()`` kept for ``timeout``."""
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        if not timeout:
            return build()
        full_key = (key, data_version(request) if version is None else version)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(full_key)
                return entry[1]  # type: ignore[return-value]
        value = build()
        with self._lock:
            self._entries[full_key] = (now + timeout, value)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


def clear_all() -> None:
    """Empty every versioned cache of the process (tests, and after a restore)."""
    for cache in VersionedCache.registry:
        cache.clear()
