"""What every backend does alike: the stored display copy, facet values, facet lists, hits.

A backend's own work is finding and scoring candidates; turning a stored document into a hit
(snippets, tree labels) is shared, so the two backends cannot drift apart on what a caller sees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from typing import Any

from kexie.search import ranking
from kexie.search.backends.base import SearchRequest
from kexie.search.documents import Explanation, FacetCount, Hit, SearchDocument
from kexie.search.enums import Facet
from kexie.search.highlight import highlight
from kexie.search.segment import Segmenter
from kexie.search.taxonomy import (
    discipline_level,
    discipline_name,
    discipline_path,
    industry_name,
    industry_path,
)

# The stored copy of a body only feeds snippets; past this length it is cut.
STORED_BODY_CHARS = 4000

# Codes repeat across documents; expanding each once per process saves a regex per document.
discipline_codes = lru_cache(maxsize=16384)(lambda code: tuple(discipline_path(code)))
industry_codes = lru_cache(maxsize=16384)(lambda code: tuple(industry_path(code)))

# Works scored one by one for matching (the most recent first, as sources list them); a profile
# with more keeps them in its body text, where the profile-centric score still sees them.
MAX_SCORED_WORKS = 50


def body_terms(document: SearchDocument, segmenter: Segmenter) -> tuple[list[str], list[str]]:
    """The ``body`` field's terms (body, then works) and each work's terms as one space-joined
    string (what the payload keeps for the document-centric score); works are segmented once."""
    terms = segmenter.tokens(document.body) if document.body else []
    works: list[str] = []
    for work in document.works:
        work_terms = segmenter.tokens(work)
        terms.extend(work_terms)
        if len(works) < MAX_SCORED_WORKS and work_terms:
            works.append(" ".join(work_terms))
    return terms, works


# Facet fields of a stored document, in the order facet_values() gives them.
VALUE_FIELDS: tuple[str, ...] = ("discipline", "industry", "org", "district", "flag")


def stored_payload(document: SearchDocument, work_terms: Sequence[str] = ()) -> dict[str, Any]:
    """The display copy a backend keeps of a document: original text (for snippets) and facets,
    and the terms of each work (``body_terms``) for the document-centric score."""
    payload = {
        "kind": str(document.kind),
        "id": str(document.id),
        "title": document.title,
        # The works too: a snippet shows the work that matched.
        "body": document.body_text[:STORED_BODY_CHARS],
        "keywords": list(document.keywords),
        "district": document.district,
        "disciplines": list(document.disciplines),
        "industries": list(document.industries),
        "flags": list(document.flags),
        "org_id": "" if document.org_id is None else str(document.org_id),
        "year": document.year,
        "activity": document.activity,
    }
    if work_terms:
        payload["work_terms"] = list(work_terms)
    return payload


def facet_values(payload: dict[str, Any]) -> dict[str, set[str]]:
    """The facet values a stored document is indexed with (codes with their ancestors)."""
    return {
        "discipline": {c for code in payload.get("disciplines") or () for c in discipline_codes(code)},
        "industry": {c for code in payload.get("industries") or () for c in industry_codes(code)},
        "org": {payload["org_id"]} if payload.get("org_id") else set(),
        "district": {payload["district"]} if payload.get("district") else set(),
        "flag": set(payload.get("flags") or ()),
    }


def candidate_of(payload: dict[str, Any], text_score: float) -> ranking.Candidate:
    return ranking.Candidate(
        text_score=text_score,
        values=facet_values(payload),
        year=payload.get("year"),
        activity=int(payload.get("activity") or 0),
        works=tuple(tuple(work.split(" ")) for work in payload.get("work_terms") or ()),
        key=str(payload.get("id") or ""),
        text=" ".join([payload.get("body") or "", *(payload.get("keywords") or ())]),
    )


def facet_size(name: str, size: int) -> int:
    """Tree fields hold every level of every code: they list more values."""
    return size * (4 if name in (Facet.DISCIPLINE, Facet.INDUSTRY) else 1)


def facet_list(name: str, counts: Counter[str], size: int) -> list[FacetCount]:
    facet_counts = []
    for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[
        : facet_size(name, size)
    ]:
        if name == Facet.DISCIPLINE:
            facet_counts.append(FacetCount(value, count, discipline_name(value), discipline_level(value)))
        elif name == Facet.INDUSTRY:
            facet_counts.append(FacetCount(value, count, industry_name(value), len(industry_codes(value))))
        else:
            facet_counts.append(FacetCount(value, count))
    return facet_counts


def rerank_matches(
    profile: ranking.RankingProfile,
    matches: list,
    *,
    terms: dict[str, float],
    searched: dict[str, float],
    doc_freqs: dict[str, int],
    n_docs: int,
    text: str,
    facet_counts: Callable[[ranking.FacetPrior], Any],
) -> tuple[list, dict[str, list[tuple[str, float]]]]:
    """The profile's second stage over a backend's first-stage ``matches`` (each with a ``candidate``),
    the same for every backend: the priors' term predictions (``facet_counts(prior)`` reads the
    index's counts of a prior's field for the query terms) and ``ranking.rerank``. Returns the matches
    in their new order and the predictions."""
    weight = ranking.query_weight(terms, doc_freqs, n_docs)
    term_weights = {term: ranking.idf(doc_freqs[term], n_docs) for term in terms}
    # A prior only ever rewards values the candidates hold: when none holds any (no industries filed
    # in this index), its counts need not be read at all.
    held = {name for match in matches for name, values in match.candidate.values.items() if values}
    term_predictions = {
        prior.field: ranking.predict_from_terms(prior, facet_counts(prior), term_weights)
        for prior in profile.priors
        if prior.source == "terms" and prior.field in held
    }
    by_candidate = {id(match.candidate): match for match in matches}
    candidates = [match.candidate for match in matches]
    predictions = ranking.rerank(
        profile,
        candidates,
        weight,
        term_predictions,
        terms=searched,
        idfs={term: ranking.idf(doc_freqs[term], n_docs) for term in searched},
        text=text,
    )
    return [by_candidate[id(candidate)] for candidate in candidates], predictions


def make_hit(
    payload: dict[str, Any],
    candidate: ranking.Candidate,
    terms: Collection[str],
    request: SearchRequest,
    segmenter: Segmenter,
    *,
    explain: Callable[[], Explanation] | None = None,
) -> Hit:
    """A hit from a stored payload; ``explain`` is only called when the request asks for it."""
    title = payload.get("title") or ""
    title_html = body_html = ""
    if request.snippets:
        title_html = highlight(title, terms, segmenter, max_chars=200)
        body_html = highlight(payload.get("body") or "", terms, segmenter)
    return Hit(
        kind=payload["kind"],
        id=payload["id"],
        score=candidate.score,
        title=title,
        title_html=title_html,
        snippet_html=body_html,
        district=payload.get("district") or "",
        disciplines=tuple(payload.get("disciplines") or ()),
        industries=tuple(payload.get("industries") or ()),
        flags=tuple(payload.get("flags") or ()),
        org_id=payload.get("org_id") or "",
        year=payload.get("year"),
        explanation=explain() if request.explain and explain is not None else None,
    )
