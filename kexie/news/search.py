"""What the publishing app brings to the portal search: published items (kind "news"), for everyone.

Only items with a published version that is not withdrawn are indexed; the reader's scope is the same
public query as the lists, so a scheduled item is found only once its time has come. Publishing,
a new version and withdrawal re-read the item after commit (``reindex_later``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.news.models import NewsItem
from kexie.search import sources
from kexie.search.documents import SearchDocument
from kexie.search.sources import SearchSource, SourceScope

KIND = "news"


def item_documents(ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
    items = NewsItem.objects.filter(published_version__isnull=False, withdrawn_at__isnull=True)
    items = items.select_related("published_version")
    if ids is not None:
        items = items.filter(pk__in=[int(i) for i in ids])
    for item in items.iterator():
        v = item.published_version
        yield SearchDocument(
            kind=KIND,
            id=item.pk,
            title=v.title,
            body=f"{v.summary}\n{v.body}",
            keywords=[item.get_column_display()],
            flags=["public"],
            year=v.published_at.year if v.published_at else None,
        )


def reindex_later(item_id: int) -> None:
    from kexie.search.tasks import update_search_index  # noqa: PLC0415

    transaction.on_commit(lambda: update_search_index(KIND, [str(item_id)]))


def scope(user) -> SourceScope:
    from kexie.news.queries import public_items  # noqa: PLC0415

    return SourceScope(rows=public_items(), flags=("public",))


def register() -> None:
    sources.register(
        SearchSource(
            kind=KIND,
            label=_("Public information"),
            loader=item_documents,
            scope=scope,
            url=lambda item: reverse("news:item", args=[item.pk]),
            summary=lambda item: [
                item.get_column_display(),
                f"{item.published_version.published_at:%Y-%m-%d}",
            ],
            facets=(),
        )
    )
