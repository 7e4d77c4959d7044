"""The think tank's search documents.

Result (kind "thinktank_result"): title; body = summary and the text extracted from its .docx/.pdf;
keywords; flag "public" for a public result (the only ones the public may find) and "column" when it
is in the public column. Question (kind "thinktank_question"): title and background, for the
near-duplicate check of the question bank; staff only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kexie.search.documents import SearchDocument
from kexie.thinktank.enums import Access, QuestionState, SearchKind
from kexie.thinktank.models import Question, Result

FLAG_PUBLIC = "public"
FLAG_COLUMN = "column"
FLAG_OPEN = "open"
BODY_CHARS = 50_000


def _wanted(ids: Sequence[str] | None) -> list[int] | None:
    if ids is None:
        return None
    return [int(i) for i in ids if str(i).isdigit()]


def result_document(result: Result) -> SearchDocument:
    flags = []
    if result.access == Access.PUBLIC:
        flags.append(FLAG_PUBLIC)
        if result.column_published_at is not None:
            flags.append(FLAG_COLUMN)
    return SearchDocument(
        kind=SearchKind.RESULT,
        id=result.pk,
        title=result.title,
        body="\n".join(part for part in [result.summary, result.full_text[:BODY_CHARS]] if part),
        keywords=list(result.keywords),
        flags=flags,
        year=result.year,
    )


def result_documents(ids: Sequence[str] | None) -> Iterator[SearchDocument]:
    queryset = Result.objects.order_by("pk")
    wanted = _wanted(ids)
    if wanted is not None:
        queryset = queryset.filter(pk__in=wanted)
    for result in queryset.iterator(chunk_size=200):
        yield result_document(result)


def question_documents(ids: Sequence[str] | None) -> Iterator[SearchDocument]:
    queryset = Question.objects.order_by("pk")
    wanted = _wanted(ids)
    if wanted is not None:
        queryset = queryset.filter(pk__in=wanted)
    for question in queryset.iterator(chunk_size=500):
        open_ = question.state in (QuestionState.SUBMITTED, QuestionState.ACCEPTED)
        yield SearchDocument(
            kind=SearchKind.QUESTION,
            id=question.pk,
            title=question.title,
            body=question.background,
            flags=[FLAG_OPEN] if open_ else [],
        )
