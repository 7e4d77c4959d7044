"""Search index updates after a write, queued on commit."""

from __future__ import annotations

from django.db import transaction

from kexie.search.tasks import update_search_index


def reindex(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: update_search_index(str(kind), [str(pk)]))
