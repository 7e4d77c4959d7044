"""What the expert library brings to the global search page (kexie.search.sources)."""

from __future__ import annotations

from django.urls import reverse

from kexie.experts import rules
from kexie.experts.documents import expert_documents
from kexie.experts.enums import SearchKind
from kexie.experts.queries import experts_visible_to
from kexie.search import sources
from kexie.search.enums import Facet
from kexie.search.sources import SearchSource, SourceScope


def expert_scope(user) -> SourceScope | None:
    if not rules.can_view_library(user):
        return None
    return SourceScope(rows=experts_visible_to(user).select_related("organization"))


def register() -> None:
    sources.register(
        SearchSource(
            kind=SearchKind.EXPERT,
            label=SearchKind.EXPERT.label,
            loader=expert_documents,
            scope=expert_scope,
            url=lambda expert: reverse("experts:detail", args=[expert.pk]),
            summary=lambda expert: [
                expert.organization_display or "",
                expert.get_title_display() if expert.title else "",
            ],
            facets=(Facet.DISTRICT, Facet.DISCIPLINE, Facet.INDUSTRY),
        )
    )
