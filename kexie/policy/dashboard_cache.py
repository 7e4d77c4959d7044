"""A cache around ``dashboard_queries.build_dashboard``: the dashboard was rebuilt on every view
(every indicator recomputed, ~360 model objects), ~45% of the page's server time.

The key holds what the board depends on — the reader's scope (which tasks they see), the notice, the
filters, the day, the language — and the data version (kexie.core.versioned): any committed audited
write changes it and the next view rebuilds; a short lifetime bounds what is not audited (the hourly
light refresh). The builder itself is untouched: this only decides when to call it. Readers of the
same scope (every leader; the staff of one department) share a board.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from kexie.core.versioned import VersionedCache
from kexie.policy import dashboard_queries as dq
from kexie.policy.rules import can_view_dashboard, task_scope

__all__ = ["cached_build_dashboard", "cached_home_summary", "clear"]

# Off in the test suite, whose rolled-back transactions reuse ids (the same key could then meet
# other data); tests of the cache turn it on.
TIMEOUT_SECONDS = 0 if settings.TESTING else 60

# In the process, not in Django's cache: a board holds indicator definitions (functions) that do not
# pickle, and unpickling ~360 objects would cost much of what the cache saves.
_boards = VersionedCache("policy.dashboard", max_entries=256)
_summaries = VersionedCache("policy.home_summary", max_entries=256)


def clear() -> None:
    _boards.clear()
    _summaries.clear()


def cached_home_summary(user, *, request=None) -> dict | None:
    """``dashboard_queries.home_summary`` kept per scope (and whether the reader may see the
    dashboard at all) until the next audited write."""

    if not can_view_dashboard(user):
        return None
    key = (task_scope(user), timezone.localdate().isoformat(), translation.get_language())
    return _summaries.get(key, lambda: dq.home_summary(user), timeout=TIMEOUT_SECONDS, request=request)


def cached_build_dashboard(user, notice, filters, *, today=None, request=None) -> dq.Dashboard:
    today = today or timezone.localdate()
    key = (task_scope(user), notice.pk, repr(filters), today.isoformat(), translation.get_language())
    return _boards.get(
        key,
        lambda: dq.build_dashboard(user, notice, filters, today=today),
        timeout=TIMEOUT_SECONDS,
        request=request,
    )
