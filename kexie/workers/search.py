"""What the workers app brings to search: needs (kind "need", triage staff only, used to find
duplicates) and archive items (kind "archive", by access level: flag "public" for everyone, "internal"
for the association's staff; restricted items are never indexed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.search import sources
from kexie.search.documents import SearchDocument
from kexie.search.enums import Facet
from kexie.search.sources import SearchSource, SourceScope
from kexie.search.tasks import update_search_index
from kexie.workers import rules
from kexie.workers.enums import AccessLevel, NeedState
from kexie.workers.models import ArchiveItem, Need

NEED_KIND = "need"
ARCHIVE_KIND = "archive"
FLAG_OPEN = "open"


def need_documents(ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
    needs = Need.objects.select_related("category").exclude(state=NeedState.MERGED)
    if ids is not None:
        needs = needs.filter(pk__in=[int(i) for i in ids])
    for need in needs.iterator():
        flags = (
            [FLAG_OPEN] if need.state in (NeedState.SUBMITTED, NeedState.ROUTED, NeedState.REOPENED) else []
        )
        yield SearchDocument(
            kind=NEED_KIND,
            id=need.pk,
            title=need.title,
            body=need.description,
            keywords=[need.category.name],
            district=need.district,
            flags=flags,
            year=need.created_at.year,
        )


def item_documents(ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
    items = ArchiveItem.objects.select_related("collection").exclude(access=AccessLevel.RESTRICTED)
    items = items.exclude(collection__access=AccessLevel.RESTRICTED)
    if ids is not None:
        items = items.filter(pk__in=[int(i) for i in ids])
    for item in items.iterator():
        public = item.access == AccessLevel.PUBLIC and item.collection.access == AccessLevel.PUBLIC
        yield SearchDocument(
            kind=ARCHIVE_KIND,
            id=item.pk,
            title=item.title,
            body=" ".join(
                [
                    item.collection.scientist_name,
                    item.creator,
                    item.description,
                    item.collection.field,
                    item.provenance,
                ]
            ),
            keywords=[k for k in item.subject.replace("，", ",").replace("；", ",").split(",") if k.strip()],
            flags=["public" if public else "internal"],
            year=int(item.date[:4]) if item.date[:4].isdigit() else None,
        )


def reindex_needs_later(ids: Iterable[int]) -> None:
    wanted = [str(i) for i in ids]
    transaction.on_commit(lambda: update_search_index(NEED_KIND, wanted))


def reindex_items_later(ids: Iterable[int]) -> None:
    wanted = [str(i) for i in ids]
    transaction.on_commit(lambda: update_search_index(ARCHIVE_KIND, wanted))


def need_scope(user) -> SourceScope | None:
    if not rules.can_triage(user):
        return None
    from kexie.workers.queries import needs_visible_to  # noqa: PLC0415

    return SourceScope(rows=needs_visible_to(user))


def archive_scope(user) -> SourceScope | None:
    from kexie.workers.queries import archive_items_visible_to  # noqa: PLC0415

    rows = archive_items_visible_to(user)
    if rules.can_read_internal(user) or rules.can_manage_archive(user):
        return SourceScope(rows=rows)
    return SourceScope(rows=rows, flags=("public",))


def register() -> None:
    sources.register(
        SearchSource(
            kind=NEED_KIND,
            label=_("Sci-tech workers' needs"),
            loader=need_documents,
            scope=need_scope,
            url=lambda need: reverse("workers:need_detail", args=[need.pk]),
            summary=lambda need: [need.receipt, need.get_state_display()],
            facets=(Facet.DISTRICT,),
        )
    )
    sources.register(
        SearchSource(
            kind=ARCHIVE_KIND,
            label=_("Scientists' archive"),
            loader=item_documents,
            scope=archive_scope,
            url=lambda item: reverse("workers:archive_item", args=[item.pk]),
            summary=lambda item: [item.collection.scientist_name, item.get_item_type_display(), item.date],
            facets=(),
        )
    )


def similar_needs(need: Need, *, limit: int = 5) -> list[tuple[Need, float]]:
    """Open needs whose text is close to ``need``'s (the matching ranking of the search engine)."""
    from kexie.search import index  # noqa: PLC0415
    from kexie.search.documents import Filters, make_key  # noqa: PLC0415

    results = index.match(
        f"{need.title} {need.description}",
        kinds=[NEED_KIND],
        filters=Filters(flags=(FLAG_OPEN,), exclude=(make_key(NEED_KIND, need.pk),)),
        limit=limit,
        explain=False,
    )
    scores = {int(hit.id): hit.score for hit in results.hits}
    ids = list(scores)
    found = Need.objects.filter(pk__in=ids).exclude(pk=need.pk).exclude(state=NeedState.MERGED)
    return sorted(((n, scores[n.pk]) for n in found), key=lambda pair: -pair[1])[:limit]
