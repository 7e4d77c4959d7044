"""Index jobs. Apps queue them with ``transaction.on_commit`` after a write, so the index follows
the database, and the job queue's single consumer is the index's single writer."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from kexie.search import index


# Retries cover the writer lock being held by `kexie reindex` for longer than the backend waits.
@db_task(retries=3, retry_delay=30, name="update_search_index")
def _update_search_index_job(kind: str, ids: list[str]) -> tuple[int, int]:
    """Re-read ``ids`` of ``kind`` from the database and index or delete them: (indexed, deleted)."""
    return index.refresh(kind=kind, ids=ids)


class _UpdateSearchIndex:
    """``update_search_index(kind, ids)`` queues the job, unless a bulk load defers updates
    (``index.deferred_updates``: one rebuild at its end). Everything else (``call_local``, ``s``, ...)
    is the huey task's."""

    def __init__(self, job):
        self._job = job

    def __call__(self, kind: str, ids: list[str]):
        if index.defer_update(kind):
            return None
        return self._job(kind, ids)

    def __getattr__(self, name):
        return getattr(self._job, name)


update_search_index = _UpdateSearchIndex(_update_search_index_job)


@db_task()
def rebuild_search_index(kinds: list[str] | None = None) -> int:
    return index.rebuild(kinds=kinds or ())
