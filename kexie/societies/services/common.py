"""Small helpers the societies services share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kexie.search.tasks import update_search_index


def reindex(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: update_search_index(str(kind), [str(pk)]))


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
