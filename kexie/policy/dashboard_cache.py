"""A cache around ``dashboard_queries.build_dashboard``: the dashboard was rebuilt on every view
(every indicator recomputed, ~360 model objects), ~45% of the page's server time.

The key holds what the board depends on — the reader, the notice, the filters, the day — and a
version: the id of the newest audit event. Every write the platform makes through a service leaves
an audit event in its own transaction, so any committed write changes the version and the next
view rebuilds; a short lifetime bounds what is not audited (the hourly light refresh). The builder
itself is untouched: this only decides when to call it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation

from kexie.core.models import AuditEvent
from kexie.policy import dashboard_queries as dq

# Off in the test suite, whose rolled-back transactions reuse ids (the same key could then meet
# other data); tests of the cache turn it on.
TIMEOUT_SECONDS = 0 if settings.TESTING else 60


def data_version() -> int:
    """Changes with every committed audited write (one indexed MAX on the primary key)."""
    return AuditEvent.objects.aggregate(v=Max("pk"))["v"] or 0


def _key(user, notice, filters, today) -> str:
    raw = repr(
        (
            user.pk,
            notice.pk,
            repr(filters),  # a frozen dataclass: its repr lists every field
            today.isoformat(),
            translation.get_language(),
            data_version(),
        )
    )
    return "policy:dashboard:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


# In the process, not in Django's cache: a board holds indicator definitions (functions) that do not
# pickle, and unpickling ~360 objects would cost much of what the cache saves. Each worker builds a
# board once per version; the version itself is read from the shared database, so every process
# sees a write at once.
MAX_ENTRIES = 256
_boards: OrderedDict[str, tuple[float, dq.Dashboard]] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    with _lock:
        _boards.clear()


def cached_build_dashboard(user, notice, filters, *, today=None) -> dq.Dashboard:
    today = today or timezone.localdate()
    if not TIMEOUT_SECONDS:
        return dq.build_dashboard(user, notice, filters, today=today)
    key = _key(user, notice, filters, today)
    now = time.monotonic()
    with _lock:
        entry = _boards.get(key)
        if entry is not None and entry[0] > now:
            _boards.move_to_end(key)
            return entry[1]
    board = dq.build_dashboard(user, notice, filters, today=today)
    with _lock:
        _boards[key] = (now + TIMEOUT_SECONDS, board)
        _boards.move_to_end(key)
        while len(_boards) > MAX_ENTRIES:
            _boards.popitem(last=False)
    return board
