"""What the search index holds of societies and journals (kinds "society", "journal"). Both are
public registry facts: names, disciplines, publishers, CN/ISSN; no contacts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kexie.search.documents import SearchDocument
from kexie.societies.enums import SearchKind
from kexie.societies.models import Journal, Society


def _by_ids(queryset, ids: Sequence[str] | None):
    if ids is None:
        return queryset.iterator(chunk_size=2000)
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return queryset.filter(pk__in=wanted)


def society_documents(ids: Sequence[str] | None) -> Iterable[SearchDocument]:
    societies = Society.objects.select_related("organization", "supervising_unit")
    for society in _by_ids(societies, ids):
        yield SearchDocument(
            kind=SearchKind.SOCIETY,
            id=society.pk,
            title=society.name,
            body="\n".join(
                filter(None, [society.discipline, society.supervising_unit.name, society.president])
            ),
            keywords=[k for k in [society.discipline, society.organization.short_name] if k],
            flags=["published"] if society.is_active else [],
            org_id=society.organization_id,
            activity=society.total_members,
        )


def journal_documents(ids: Sequence[str] | None) -> Iterable[SearchDocument]:
    journals = Journal.objects.prefetch_related("indexing")
    for journal in _by_ids(journals, ids):
        indexing = [db.name for db in journal.indexing.all()]
        yield SearchDocument(
            kind=SearchKind.JOURNAL,
            id=journal.pk,
            title=journal.title,
            body="\n".join(
                filter(
                    None, [journal.title_en, journal.publisher, journal.description, journal.cn, journal.issn]
                )
            ),
            keywords=[journal.discipline, *indexing],
            flags=["published"],
            year=journal.founded_year,
            activity=len(indexing),
        )
