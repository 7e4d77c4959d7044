"""What every think-tank service shares: the permission check and the search index update."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kexie.search.tasks import update_search_index


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def reindex(kind: str, *pks: int) -> None:
    """Bring the search index in line once the write is committed (the job queue is its writer)."""
    ids = [str(pk) for pk in pks]
    transaction.on_commit(lambda: update_search_index(str(kind), ids))
