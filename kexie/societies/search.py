"""What societies bring to the global search page: societies (for staff and secretaries) and the
public journal registry."""

from __future__ import annotations

from django.urls import reverse

from kexie.search import sources
from kexie.search.sources import SearchSource, SourceScope
from kexie.societies import documents, queries, rules
from kexie.societies.enums import SearchKind


def society_scope(user) -> SourceScope | None:
    if not rules.can_view_societies(user):
        return None
    return SourceScope(rows=queries.societies_visible_to(user))


def journal_scope(user) -> SourceScope:
    return SourceScope(rows=queries.journals_visible_to(user))


def register() -> None:
    sources.register(
        SearchSource(
            kind=SearchKind.SOCIETY,
            label=SearchKind.SOCIETY.label,
            loader=documents.society_documents,
            scope=society_scope,
            url=lambda society: reverse("societies:society_detail", args=[society.pk]),
            summary=lambda society: [society.supervising_unit.name, society.get_kind_display()],
            facets=(),
        )
    )
    sources.register(
        SearchSource(
            kind=SearchKind.JOURNAL,
            label=SearchKind.JOURNAL.label,
            loader=documents.journal_documents,
            scope=journal_scope,
            url=lambda journal: reverse("societies:journal_detail", args=[journal.pk]),
            summary=lambda journal: [journal.cn_display, journal.publisher],
            facets=(),
        )
    )
