"""Index jobs. Apps queue them with ``transaction.on_commit`` after a write, so the index follows
the database, and the job queue's single consumer is the index's single writer."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from kexie.search import index


# Retries cover the writer lock being held by `kexie reindex` for longer than the backend waits.
@db_task(retries=3, retry_delay=30)
def update_search_index(kind: str, ids: list[str]) -> tuple[int, int]:
    """Re-read ``ids`` of ``kind`` from the database and index or delete them: (indexed, deleted)."""
    return index.refresh(kind=kind, ids=ids)


@db_task()
def rebuild_search_index(kinds: list[str] | None = None) -> int:
    return index.rebuild(kinds=kinds or ())
