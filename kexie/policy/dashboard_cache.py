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

from django.conf import settings
from django.core.cache import cache
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


def cached_build_dashboard(user, notice, filters, *, today=None) -> dq.Dashboard:
    today = today or timezone.localdate()
    if not TIMEOUT_SECONDS:
        return dq.build_dashboard(user, notice, filters, today=today)
    key = _key(user, notice, filters, today)
    board = cache.get(key)
    if board is None:
        board = dq.build_dashboard(user, notice, filters, today=today)
        cache.set(key, board, TIMEOUT_SECONDS)
    return board
