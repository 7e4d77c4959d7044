"""The contract every search backend keeps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from kexie.search.documents import DocumentKey, Filters, SearchDocument, SearchResults
from kexie.search.ranking import RELEVANCE, RankingProfile


class SearchUnavailable(RuntimeError):
    """The index cannot be written right now (another process holds the writer lock)."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    facets: Sequence[str] = ()
    facet_size: int = 50
    limit: int = 10
    offset: int = 0
    ranking: RankingProfile = RELEVANCE
    explain: bool = False
    snippets: bool = True
    # Counting every match costs a full pass over the postings; list pages that show a total ask.
    count: bool = False


@runtime_checkable
class SearchBackend(Protocol):
    """Writes are applied in batches and visible to queries once the call returns.

    Only one process may write at a time (for tantivy it is a lock file): production sends every
    write through the job queue, whose single consumer is that writer.
    """

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents by (kind, id); returns how many were written."""
        ...

    def delete_documents(self, keys: Iterable[DocumentKey]) -> int:
        """Remove documents by (kind, id); unknown keys are ignored. Returns keys processed."""
        ...

    def rebuild(self, documents: Iterable[SearchDocument], *, kinds: Sequence[str] = ()) -> int:
        """Replace the index (or only the documents of ``kinds``) with ``documents`` in one commit.

        Readers see the old index or the new one, never a half-built one.
        """
        ...

    def search(self, request: SearchRequest) -> SearchResults: ...

    def count(self, kinds: Sequence[str] = ()) -> int: ...
