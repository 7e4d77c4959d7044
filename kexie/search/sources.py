"""The search-source registry: what each app brings to the global search page.

An app that owns searchable objects registers one ``SearchSource`` per kind, in its own module
(``<app>/search.py``, imported from its ``AppConfig.ready()``)::

    sources.register(
        SearchSource(
            kind=SearchKind.EXPERT,
            label=SearchKind.EXPERT.label,
            loader=expert_documents,                  # ids → SearchDocuments, for indexing
            scope=expert_scope,                       # user → SourceScope, or None: kind hidden
            url=lambda expert: reverse("experts:detail", args=[expert.pk]),
            summary=lambda expert: [expert.organization_display, expert.get_title_display()],
            facets=(Facet.DISTRICT, Facet.DISCIPLINE),
        )
    )

The page, its tabs, its facets and the re-check of the hits shown iterate this registry; ``search``
imports no domain app. Registering a source also registers its loader with the index
(``kexie.search.index.register_source``), so indexing and the page cannot disagree on a kind.

Facets are registered the same way (``register_facet``): a name the index counts by, a title and
a function that names a value. Discipline and industry are named from search's own taxonomy;
whoever owns another code list (districts) registers its facet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kexie.search import index
from kexie.search.enums import Facet
from kexie.search.taxonomy import discipline_name, industry_name


@dataclass(frozen=True)
class SourceScope:
    """What one reader may find of one kind: the rows they may open (the re-check of every hit
    shown) and the index flags a hit must carry (e.g. "published" for the public)."""

    rows: QuerySet
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str
    loader: index.SourceLoader
    # The reader → their scope, or None when the kind is hidden from them (never queried then).
    scope: Callable[[object], SourceScope | None]
    # An object of `scope().rows` → its detail page.
    url: Callable[[object], str]
    # An object → the short facts shown under its title (organization, state …), joined by " · ".
    summary: Callable[[object], Sequence[str]] = field(default=lambda row: ())
    facets: tuple[str, ...] = (Facet.DISTRICT, Facet.DISCIPLINE, Facet.INDUSTRY)


@dataclass(frozen=True)
class FacetDefinition:
    name: str
    title: str
    # A value the index counts → its name; "" leaves the label the backend gives.
    label: Callable[[str], str]
    order: int = 100


_sources: dict[str, SearchSource] = {}
_facets: dict[str, FacetDefinition] = {}


def register(source: SearchSource) -> None:
    """Called from an app's ``ready()``. Tabs follow the order of registration (INSTALLED_APPS)."""
    _sources[str(source.kind)] = source
    index.register_source(source.kind, source.loader)


def sources() -> list[SearchSource]:
    """The registered sources whose loader is registered with the index, in tab order."""
    loaded = set(index.registered_kinds())
    return [source for kind, source in _sources.items() if kind in loaded]


def get(kind: str) -> SearchSource | None:
    return _sources.get(str(kind))


def scopes_for(user) -> dict[str, tuple[SearchSource, SourceScope]]:
    """The kinds ``user`` may find, in tab order, with their scope. A kind absent here is never
    queried."""
    found = {}
    for source in sources():
        scope = source.scope(user)
        if scope is not None:
            found[str(source.kind)] = (source, scope)
    return found


def register_facet(name: str, *, title: str, label: Callable[[str], str], order: int = 100) -> None:
    _facets[str(name)] = FacetDefinition(name=str(name), title=title, label=label, order=order)


def facets() -> list[FacetDefinition]:
    """The facets the page offers, by ``order``."""
    return sorted(_facets.values(), key=lambda facet: facet.order)


register_facet(Facet.DISCIPLINE, title=_("Discipline"), label=discipline_name, order=20)
register_facet(Facet.INDUSTRY, title=_("Industry"), label=industry_name, order=30)
