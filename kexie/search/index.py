"""The one interface the rest of kexie uses to search: ``from kexie.search import index as search``.

Writes: ``index_documents``, ``delete_documents``, ``refresh`` (re-read objects from their owning
app and index or delete them — what the job queue runs after a commit) and ``rebuild`` (everything,
from the database, for ``kexie reindex``). Reads: ``query`` (search box, lists, facets) and
``match`` (find experts, achievements or teams for a demand or project text).

Apps that own searchable objects register a *source* for their kind: a function that turns ids
(or ``None``: all of them) into ``SearchDocument``s. This keeps the dependency direction of the
design — domain apps know ``search``, ``search`` knows no domain app. The global search page's
registry (``kexie.search.sources.register``) registers the loader here too; a kind that is only
indexed (matched, listed by its app) may call ``register_source`` alone. For example::

    # experts/search.py, called from ready()
    sources.register(SearchSource(kind=SearchKind.EXPERT, loader=expert_documents, ...))

    # experts/services.py, after a write that changes what is searchable
    transaction.on_commit(lambda: update_search_index(SearchKind.EXPERT, [expert.pk]))

Only the job queue's consumer writes (one writer at a time: tantivy's lock file, or an advisory
lock with the PostgreSQL backend); web processes only read. The index holds a display copy of what
the source gives it, so a source must leave out personal data (ID and mobile numbers) and callers
still scope hits by permission (filters, or a query over the returned ids).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings

from kexie.search.backends.base import SearchBackend, SearchRequest
from kexie.search.backends.postgres_backend import PostgresBackend
from kexie.search.backends.tantivy_backend import SCHEMA_VERSION, TantivyBackend
from kexie.search.documents import DocumentKey, Filters, SearchDocument, SearchResults, make_key
from kexie.search.enums import Facet
from kexie.search.ranking import MATCHING, PROFILES, RankingProfile

# ids (as text) → documents; None → every document of the kind. Ids it does not return are gone
# from the database and get deleted from the index.
SourceLoader = Callable[[Sequence[str] | None], Iterable[SearchDocument]]

MAX_LIMIT = 200

_sources: dict[str, SourceLoader] = {}
_backend: SearchBackend | None = None
_backend_lock = threading.Lock()


def index_dir() -> Path:
    """settings.SEARCH_INDEX_DIR if set, else VAR_DIR/search; one sub-directory per schema version."""
    root = getattr(settings, "SEARCH_INDEX_DIR", None) or Path(settings.VAR_DIR) / "search"
    return Path(root) / f"v{SCHEMA_VERSION}"


def open_backend() -> SearchBackend:
    """The backend settings.SEARCH_BACKEND names: tantivy files under index_dir(), or the
    PostgreSQL tables of the default database."""
    if getattr(settings, "SEARCH_BACKEND", "tantivy") == "postgres":
        return PostgresBackend()
    return TantivyBackend(index_dir())


def get_backend() -> SearchBackend:
    """The process's backend, opened on first use."""
    global _backend  # noqa: PLW0603 - one open index per process, shared by its threads
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                _backend = open_backend()
    return _backend


def set_backend(backend: SearchBackend | None) -> None:
    """Use ``backend`` from now on (tests pass one over a temporary directory); None reopens lazily."""
    global _backend  # noqa: PLW0603 - see get_backend
    with _backend_lock:
        _backend = backend


def register_source(kind: str, loader: SourceLoader) -> None:
    """Called from an app's ``AppConfig.ready()``: how to load that kind's documents."""
    _sources[str(kind)] = loader


def unregister_source(kind: str) -> None:
    _sources.pop(str(kind), None)


def registered_kinds() -> list[str]:
    return sorted(_sources)


# --- writes (run them in the job queue's consumer: tantivy allows one writer) ----------------------


def index_documents(documents: Iterable[SearchDocument]) -> int:
    return get_backend().index_documents(documents)


def delete_documents(keys: Iterable[DocumentKey | tuple[str, object]]) -> int:
    return get_backend().delete_documents(
        k if isinstance(k, DocumentKey) else make_key(k[0], k[1]) for k in keys
    )


def refresh(*, kind: str, ids: Sequence[object]) -> tuple[int, int]:
    """Bring ``ids`` of ``kind`` in line with the database: (indexed, deleted).

    Idempotent, so the job queue may run it twice; an object deleted before the job ran is
    simply not returned by the loader and leaves the index.
    """
    loader = _sources.get(str(kind))
    if loader is None:
        raise LookupError(f"No search source is registered for kind {kind!r}.")
    wanted = [str(i) for i in dict.fromkeys(ids)]
    documents = list(loader(wanted))
    found = {str(document.id) for document in documents}
    backend = get_backend()
    indexed = backend.index_documents(documents) if documents else 0
    gone = [make_key(kind, i) for i in wanted if i not in found]
    deleted = backend.delete_documents(gone) if gone else 0
    return indexed, deleted


def _all_documents(kinds: Sequence[str]) -> Iterator[SearchDocument]:
    for kind in kinds:
        yield from _sources[kind](None)


def rebuild(*, kinds: Sequence[str] = ()) -> int:
    """Re-create the index from the registered sources (the database); returns documents written.

    With ``kinds``, only those kinds are replaced and the rest of the index is kept.
    """
    unknown = [kind for kind in kinds if str(kind) not in _sources]
    if unknown:
        raise LookupError(f"No search source is registered for {', '.join(map(str, unknown))}.")
    chosen = [str(kind) for kind in kinds] or registered_kinds()
    pending = _deferred_kinds.get()
    if pending is not None:
        pending.difference_update(chosen)  # this rebuild covers the updates noted so far
    return get_backend().rebuild(_all_documents(chosen), kinds=[str(kind) for kind in kinds])


# --- bulk loads: one rebuild instead of a job per object -----------------------------------------

_deferred_kinds: ContextVar[set[str] | None] = ContextVar("kexie_search_deferred_kinds", default=None)


@contextmanager
def deferred_updates() -> Iterator[set[str]]:
    """Within the block, per-object index updates (``kexie.search.tasks.update_search_index``) are not
    queued: the kinds they were for are noted, and when the block ends without an error those kinds are
    rebuilt once, here (a rebuild inside the block covers the updates noted before it). For bulk loads
    run as a command while no consumer writes the index, such as ``kexie demo``: it used to leave
    ~1,200 jobs re-indexing objects one by one after its rebuilds."""
    pending: set[str] = set()
    token = _deferred_kinds.set(pending)
    try:
        yield pending
    finally:
        _deferred_kinds.reset(token)
    if pending:
        rebuild(kinds=sorted(pending))


def defer_update(kind: str) -> bool:
    """Note an update of ``kind`` if updates are deferred (see ``deferred_updates``): True if noted."""
    pending = _deferred_kinds.get()
    if pending is None:
        return False
    pending.add(str(kind))
    return True


# --- reads -------------------------------------------------------------------------------------------


def _profile(ranking: str | RankingProfile) -> RankingProfile:
    if isinstance(ranking, RankingProfile):
        return ranking
    try:
        return PROFILES[ranking]
    except KeyError:
        raise ValueError(f"Unknown ranking {ranking!r}; expected one of {sorted(PROFILES)}.") from None


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def query(
    text: str = "",
    *,
    kinds: Sequence[str] = (),
    filters: Filters | None = None,
    facets: Sequence[str] = (),
    facet_size: int = 50,
    limit: int = 10,
    offset: int = 0,
    ranking: str | RankingProfile = "relevance",
    explain: bool = False,
    snippets: bool = True,
    count: bool = False,
) -> SearchResults:
    """Free text + filters → ranked hits with snippets, optional facet counts and explanations.

    ``kinds`` is a shortcut for ``filters.kinds``. An empty ``text`` lists the filtered documents,
    newest first. ``count`` asks for the number of matches, which costs a full pass.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}.")
    if offset < 0:
        raise ValueError("offset must not be negative.")
    if text.strip() and not _has_word(text):
        # Only punctuation such as % ' ": a search for those characters as text finds nothing, rather
        # than an empty query listing every document.
        return SearchResults(hits=[], terms=[], total=0 if count else None)
    facet_names = [Facet(name).value for name in facets]
    filters = filters or Filters()
    if kinds:
        filters = dataclasses.replace(filters, kinds=tuple(kinds))
    request = SearchRequest(
        text=text,
        filters=filters,
        facets=facet_names,
        facet_size=facet_size,
        limit=limit,
        offset=offset,
        ranking=_profile(ranking),
        explain=explain,
        snippets=snippets,
        count=count,
    )
    return get_backend().search(request)


def match(
    text: str,
    *,
    kinds: Sequence[str],
    filters: Filters | None = None,
    limit: int = 10,
    explain: bool = True,
    ranking: RankingProfile = MATCHING,
) -> SearchResults:
    """Who (or what) can answer ``text``: the matching ranking, explained by default."""
    return query(text, kinds=kinds, filters=filters, limit=limit, ranking=ranking, explain=explain)
