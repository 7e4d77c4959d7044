"""What the think tank brings to the global search page (kexie.search.sources): results for
everyone (the public finds public ones only: the index flag keeps internal results out of hits and
counts, and the scoped rows re-check every hit shown), research questions for the think tank's staff."""

from __future__ import annotations

from django.urls import reverse

from kexie.search import index, sources
from kexie.search.documents import Filters
from kexie.search.sources import SearchSource, SourceScope
from kexie.thinktank import documents, queries, rules
from kexie.thinktank.enums import SearchKind
from kexie.thinktank.models import Question


def result_scope(user) -> SourceScope:
    flags = () if rules.can_view_internal(user) else (documents.FLAG_PUBLIC,)
    return SourceScope(rows=queries.results_visible_to(user), flags=flags)


def question_scope(user) -> SourceScope | None:
    if not rules.can_oversee(user):
        return None
    return SourceScope(rows=queries.questions_visible_to(user))


def similar_questions(question: Question, *, limit: int = 5) -> list[Question]:
    """Open questions the search engine finds close to ``question`` (its near-duplicates first)."""
    results = index.query(
        f"{question.title} {question.background[:300]}",
        kinds=[SearchKind.QUESTION],
        filters=Filters(flags=(documents.FLAG_OPEN,)),
        limit=limit + 1,
        snippets=False,
    )
    ids = [int(hit.id) for hit in results.hits if str(hit.id) != str(question.pk)][:limit]
    found = {q.pk: q for q in queries.open_questions().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def register() -> None:
    sources.register(
        SearchSource(
            kind=SearchKind.RESULT,
            label=SearchKind.RESULT.label,
            loader=documents.result_documents,
            scope=result_scope,
            url=lambda result: reverse("thinktank:result_detail", args=[result.pk]),
            summary=lambda result: [result.authors, result.get_kind_display(), str(result.year)],
            facets=(),
        )
    )
    sources.register(
        SearchSource(
            kind=SearchKind.QUESTION,
            label=SearchKind.QUESTION.label,
            loader=documents.question_documents,
            scope=question_scope,
            url=lambda question: reverse("thinktank:question_detail", args=[question.pk]),
            summary=lambda question: [question.get_state_display()],
            facets=(),
        )
    )
