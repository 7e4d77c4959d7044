"""The tantivy backend: BM25 over pre-segmented Chinese, one index per document kind.

One index per kind (``<root>/expert``, ``<root>/demand`` …) rather than one index with a kind
filter: nearly every query targets one kind ("experts for this demand"), and an index-wide filter
costs a full intersection that tripled query time at a million profiles. Separate indexes also
keep the statistics apart — IDF and the discipline prior of the expert library are not diluted by
demands. A query over several kinds runs on each and merges by score.

A document in an index:

* ``key`` "kind:id" (raw): the identity used to replace and delete.
* ``title``, ``keywords``, ``body``: the segmented text (whitespace tokenizer), not stored.
* ``district``, ``discipline``, ``industry``, ``flag``, ``org`` (raw, fast): filters, facet counts
  and priors. Discipline and industry codes are indexed with all their ancestors.
* ``year``: numeric, for the range filter and ordering.
* ``payload``: the original text and facets as JSON, stored only, for result lists, snippets and
  the matching priors. The database stays the system of record; this is a display copy.

Any number of processes may read; one writes (tantivy's lock file enforces it). Each write opens
the writer, commits and releases it, so `kexie reindex` and the job-queue consumer take turns.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from kexie.search import ranking
from kexie.search.backends.base import SearchRequest, SearchUnavailable
from kexie.search.backends.common import (
    body_terms,
    candidate_of,
    discipline_codes,
    facet_list,
    facet_size,
    industry_codes,
    make_hit,
    rerank_matches,
    stored_payload,
)
from kexie.search.documents import (
    TEXT_FIELDS,
    DocumentKey,
    Explanation,
    Filters,
    Hit,
    SearchDocument,
    SearchResults,
    TermScore,
)
from kexie.search.enums import Facet
from kexie.search.segment import Segmenter, get_segmenter

# Bump when the schema changes: a new version lives in a new directory, which `kexie reindex`
# fills, so an upgrade never opens an index with fields it does not know.
SCHEMA_VERSION = 1

_FACET_FIELDS = {
    Facet.DISTRICT: "district",
    Facet.DISCIPLINE: "discipline",
    Facet.INDUSTRY: "industry",
    Facet.FLAG: "flag",
    Facet.ORG: "org",
    Facet.YEAR: "year",
}
_KIND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

_EXPLAIN_TERM = re.compile(r'Term=Term\(field=(\d+), type=Str, "(.*)"\)')
_EXPLAIN_BOOST = re.compile(r"^Boost x([0-9.eE+-]+) of")
_DEBUG_ESCAPE = re.compile(r"\\(.)")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    for name in ("district", "discipline", "industry", "flag", "org"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


# Field ids in the order build_schema() adds them, for reading tantivy's explanations.
_FIELD_NAMES = ["key", *TEXT_FIELDS, "district", "discipline", "industry", "flag", "org", "year", "payload"]


@dataclass(slots=True)
class _Match:
    """A candidate hit: where it lives, what it scored, what it holds."""

    kind: str
    searcher: tantivy.Searcher
    address: tantivy.DocAddress
    payload: dict[str, Any]
    candidate: ranking.Candidate
    # The text query this match was found with, kept to explain it once it makes the page.
    text_query: tantivy.Query | None = None


@dataclass(slots=True)
class _KindResult:
    """What one kind's index contributed to a search."""

    terms: dict[str, float]
    matches: list[_Match]
    predictions: dict[str, list[tuple[str, float]]]
    total: int
    text_query: tantivy.Query | None


class TantivyBackend:
    """Search backend over tantivy indexes under ``root`` (one sub-directory per kind)."""

    def __init__(
        self,
        root: str | Path,
        *,
        segmenter: Segmenter | None = None,
        writer_heap_bytes: int = 128_000_000,
        writer_threads: int = 1,
        lock_timeout: float = 30.0,
    ) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._segmenter = segmenter
        self._writer_heap_bytes = writer_heap_bytes
        self._writer_threads = writer_threads
        self._lock_timeout = lock_timeout
        self._indexes: dict[str, tantivy.Index] = {}
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            self._segmenter = get_segmenter()
        return self._segmenter

    # --- indexes -------------------------------------------------------------------------------

    def kinds(self) -> list[str]:
        """Kinds with an index on disk (another process may have created one since we looked)."""
        return sorted(
            path.name
            for path in self.root.iterdir()
            if path.is_dir() and _KIND_NAME.match(path.name) and tantivy.Index.exists(str(path))
        )

    def _index(self, kind: str, *, create: bool = False) -> tantivy.Index | None:
        index = self._indexes.get(kind)
        if index is not None:
            return index
        if not _KIND_NAME.match(kind):
            raise ValueError(f"Document kind {kind!r} must be lower-case letters, digits or underscores.")
        path = self.root / kind
        with self._open_lock:
            if kind in self._indexes:
                return self._indexes[kind]
            if not (path.is_dir() and tantivy.Index.exists(str(path))):
                if not create:
                    return None
                path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(path), reuse=True)
            self._indexes[kind] = index
            return index

    def _searchers(self, kinds: Sequence[str]) -> list[tuple[str, tantivy.Searcher]]:
        chosen = [str(kind) for kind in kinds] or self.kinds()
        searchers = []
        for kind in dict.fromkeys(chosen):
            index = self._index(kind)
            if index is not None:
                searchers.append((kind, index.searcher()))
        return searchers

    # --- writing -------------------------------------------------------------------------------

    @contextmanager
    def _writer(self, kind: str, heap_bytes: int | None = None) -> Iterator[tantivy.IndexWriter]:
        """One commit on one kind's index: open the writer (waiting while another process holds
        it), yield, commit. On an exception nothing is committed and the lock is released."""
        index = self._index(kind, create=True)
        assert index is not None  # noqa: S101 - create=True always opens or makes one
        deadline = time.monotonic() + self._lock_timeout
        while True:
            try:
                writer = index.writer(heap_bytes or self._writer_heap_bytes, self._writer_threads)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise SearchUnavailable(
                        f"The search index {self.root / kind} is locked by another writer."
                    ) from exc
                time.sleep(0.2)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()
            raise
        writer.commit()
        # Consumes the writer: the lock file goes, and merges finish before readers reload.
        writer.wait_merging_threads()
        index.reload()

    def _to_tantivy(self, document: SearchDocument) -> tantivy.Document:
        analyze = self.segmenter.analyze
        doc = tantivy.Document()
        doc.add_text("key", str(document.key))
        if document.title:
            doc.add_text("title", analyze(document.title))
        if document.keywords:
            doc.add_text("keywords", analyze(list(document.keywords)))
        body, work_terms = body_terms(document, self.segmenter)
        if body:
            doc.add_text("body", " ".join(body))
        if document.district:
            doc.add_text("district", str(document.district))
        for code in {c for given in document.disciplines for c in discipline_codes(given)}:
            doc.add_text("discipline", code)
        for code in {c for given in document.industries for c in industry_codes(given)}:
            doc.add_text("industry", code)
        for flag in document.flags:
            doc.add_text("flag", str(flag))
        payload = stored_payload(document, work_terms)
        if payload["org_id"]:
            doc.add_text("org", payload["org_id"])
        if document.year:
            doc.add_integer("year", int(document.year))
        doc.add_bytes("payload", json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        return doc

    @staticmethod
    def _by_kind(documents: Iterable[SearchDocument]) -> dict[str, list[SearchDocument]]:
        grouped: dict[str, list[SearchDocument]] = {}
        for document in documents:
            grouped.setdefault(str(document.kind), []).append(document)
        return grouped

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        written = 0
        with self._write_lock:
            for kind, batch in self._by_kind(documents).items():
                with self._writer(kind) as writer:
                    for document in batch:
                        # Delete-then-add in one commit is tantivy's update: a delete only
                        # reaches documents added before it.
                        writer.delete_documents_by_term("key", str(document.key))
                        writer.add_document(self._to_tantivy(document))
                        written += 1
        return written

    def delete_documents(self, keys: Iterable[DocumentKey]) -> int:
        grouped: dict[str, list[DocumentKey]] = {}
        for document_key in keys:
            grouped.setdefault(document_key.kind, []).append(document_key)
        deleted = 0
        with self._write_lock:
            for kind, batch in grouped.items():
                if self._index(kind) is None:
                    deleted += len(batch)
                    continue
                with self._writer(kind) as writer:
                    for document_key in batch:
                        writer.delete_documents_by_term("key", str(document_key))
                        deleted += 1
        return deleted

    def rebuild(self, documents: Iterable[SearchDocument], *, kinds: Sequence[str] = ()) -> int:
        """Streams ``documents`` (any size) into fresh contents for each kind, committed together
        at the end; kinds named in ``kinds`` (or, without it, every existing kind) that receive no
        document end up empty."""
        wanted = {str(kind) for kind in kinds}
        written = 0
        with self._write_lock, ExitStack() as stack:
            writers: dict[str, tantivy.IndexWriter] = {}

            def writer_for(kind: str) -> tantivy.IndexWriter:
                if kind not in writers:
                    # A bigger heap means fewer, larger segments: faster to build and to query.
                    writers[kind] = stack.enter_context(
                        self._writer(kind, max(self._writer_heap_bytes, 512_000_000))
                    )
                    writers[kind].delete_all_documents()
                return writers[kind]

            for kind in wanted or self.kinds():
                writer_for(kind)
            for document in documents:
                kind = str(document.kind)
                if wanted and kind not in wanted:
                    continue
                writer_for(kind).add_document(self._to_tantivy(document))
                written += 1
        return written

    # --- reading -------------------------------------------------------------------------------

    def count(self, kinds: Sequence[str] = ()) -> int:
        return sum(searcher.num_docs for _, searcher in self._searchers(kinds))

    def _term(self, field: str, value: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def _any_of(self, field: str, values: Iterable[Any]) -> tantivy.Query:
        distinct = list(dict.fromkeys(str(v) for v in values))
        if len(distinct) == 1:
            return self._term(field, distinct[0])
        return tantivy.Query.term_set_query(self.schema, field, distinct)

    def _filter_clauses(self, filters: Filters) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """Filters as non-scoring clauses (constant score 0), so they never move the ranking."""
        must: list[tantivy.Query] = []
        if filters.districts:
            must.append(self._any_of("district", filters.districts))
        if filters.disciplines:
            must.append(self._any_of("discipline", (c.strip().upper() for c in filters.disciplines)))
        if filters.industries:
            must.append(self._any_of("industry", (c.strip().upper() for c in filters.industries)))
        must.extend(self._term("flag", str(flag)) for flag in filters.flags)
        if filters.org_ids:
            must.append(self._any_of("org", filters.org_ids))
        if filters.year_min is not None or filters.year_max is not None:
            must.append(
                tantivy.Query.range_query(
                    self.schema,
                    "year",
                    tantivy.FieldType.Integer,
                    lower_bound=filters.year_min if filters.year_min is not None else -(2**62),
                    upper_bound=filters.year_max if filters.year_max is not None else 2**62,
                )
            )
        clauses = [(tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)) for q in must]
        if filters.exclude:
            clauses.append((tantivy.Occur.MustNot, self._any_of("key", (str(k) for k in filters.exclude))))
        return clauses

    def _term_any_field(self, term: str) -> tantivy.Query:
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self._term(name, term)) for name in TEXT_FIELDS]
        )

    def _text_query(self, terms: dict[str, float], boosts: Mapping[str, float]) -> tantivy.Query:
        """BM25 summed over terms and fields, as one flat disjunction: tantivy prunes that with
        block-max WAND (requiring a share of the terms instead was six times slower at 300k).
        Query-term frequency becomes a boost (BM25's qtf: a term said twice in a demand counts
        twice), and so do the profile's field weights."""
        clauses = []
        for term, count in terms.items():
            for name in TEXT_FIELDS:
                boost = boosts.get(name, 1.0) * count
                if boost > 0:
                    query = self._term(name, term)
                    clauses.append(
                        (
                            tantivy.Occur.Should,
                            query if boost == 1.0 else tantivy.Query.boost_query(query, boost),
                        )
                    )
        return tantivy.Query.boolean_query(clauses)

    @staticmethod
    def _terms_counts(
        searcher: tantivy.Searcher, query: tantivy.Query, field: str, size: int
    ) -> dict[str, int]:
        result = searcher.aggregate(query, {"counts": {"terms": {"field": field, "size": size}}})
        return {str(bucket["key"]): int(bucket["doc_count"]) for bucket in result["counts"]["buckets"]}

    def _facet_counts(
        self,
        searcher: tantivy.Searcher,
        prior: ranking.FacetPrior,
        terms: Iterable[str],
        doc_freqs: dict[str, int],
    ) -> ranking.FacetCounts:
        """A "terms" prior's training data, read from the index: per term, documents per value.

        One aggregation per query term over that term's postings, so the cost follows the terms'
        document frequencies, not the size of the index, and the model is never out of date.
        """
        limit = max(prior.max_term_share * searcher.num_docs, prior.min_term_cap)
        return ranking.FacetCounts(
            by_term={
                term: (
                    doc_freqs[term],
                    self._terms_counts(searcher, self._term_any_field(term), prior.field, prior.buckets),
                )
                for term in terms
                if 0 < doc_freqs.get(term, 0) <= limit
            }
        )

    def search(self, request: SearchRequest) -> SearchResults:
        analysed = ranking.analyze_query(self.segmenter, request.text, request.ranking)
        term_counts = analysed.counts
        wanted = request.offset + request.limit
        matches: list[_Match] = []
        predictions: dict[str, list[tuple[str, float]]] = {}
        facets: dict[str, Counter[str]] = {str(name): Counter() for name in request.facets}
        total = 0
        searchers = self._searchers(request.filters.kinds)
        terms: dict[str, float] = {}
        for kind, searcher in searchers:
            found = self._search_kind(kind, searcher, request, term_counts, wanted)
            terms.update(found.terms)
            matches.extend(found.matches)
            # One kind is the usual case; over several, each kind's guesses are listed in turn.
            for name, values in found.predictions.items():
                predictions.setdefault(name, []).extend(values)
            total += found.total
            if request.facets and (found.text_query is not None or not term_counts):
                self._count_facets(kind, searcher, request, found.text_query, facets)
        if len(searchers) > 1:
            matches.sort(key=lambda match: -match.candidate.score)
        page = matches[request.offset : wanted]
        hit_terms = set(terms) or set(term_counts)
        # Snippets and explanations cost per hit, so only the page shown gets them.
        hits = [self._hit(match, hit_terms, request, analysed.words) for match in page]
        return SearchResults(
            hits=hits,
            terms=list(terms) if terms else list(term_counts),
            total=total if request.count else None,
            facets={name: facet_list(name, counts, request.facet_size) for name, counts in facets.items()},
            predictions=predictions,
        )

    def _search_kind(
        self,
        kind: str,
        searcher: tantivy.Searcher,
        request: SearchRequest,
        term_counts: dict[str, float],
        wanted: int,
    ) -> _KindResult:
        profile = request.ranking
        n_docs = max(1, searcher.num_docs)
        doc_freqs = {term: max(searcher.doc_freq(name, term) for name in TEXT_FIELDS) for term in term_counts}
        terms = ranking.select_terms(
            term_counts,
            doc_freqs,
            n_docs,
            profile.max_query_terms,
            skip=profile.stop_terms,
            common_share=profile.common_share,
            common_weight=profile.common_weight,
        )
        if term_counts and not terms:
            # Every term of the query is unknown to this index: nothing can match.
            return _KindResult(terms=terms, matches=[], predictions={}, total=0, text_query=None)
        text_query, result, matches = self._retrieve(kind, searcher, request, terms, wanted)
        searched = terms
        if text_query is not None and profile.feedback_docs > 0 and matches:

            def lookup(more: list[str]) -> dict[str, int]:
                return {t: max(searcher.doc_freq(name, t) for name in TEXT_FIELDS) for t in more}

            expansion = ranking.feedback_terms(
                profile, [match.candidate for match in matches], terms, lookup, n_docs
            )
            if expansion:
                doc_freqs.update(lookup(list(expansion)))
                searched = {**terms, **expansion}
                text_query, result, matches = self._retrieve(kind, searcher, request, searched, wanted)
        predictions: dict[str, list[tuple[str, float]]] = {}
        if text_query is not None and profile.reranks and matches:
            matches, predictions = rerank_matches(
                profile,
                matches,
                terms=terms,
                searched=searched,
                doc_freqs=doc_freqs,
                n_docs=n_docs,
                text=request.text,
                facet_counts=lambda prior: self._facet_counts(searcher, prior, terms, doc_freqs),
            )
        total = result.count if request.count and result.count is not None else 0
        return _KindResult(
            terms=terms, matches=matches[:wanted], predictions=predictions, total=total, text_query=text_query
        )

    def _retrieve(
        self,
        kind: str,
        searcher: tantivy.Searcher,
        request: SearchRequest,
        terms: dict[str, float],
        wanted: int,
    ) -> tuple[tantivy.Query | None, Any, list[_Match]]:
        """The text query for ``terms`` (with the filters), run to the ranking's depth, and its
        matches with their payloads; without terms, the filtered documents newest first."""
        profile = request.ranking
        clauses = self._filter_clauses(request.filters)
        text_query = self._text_query(terms, profile.boosts_for(kind)) if terms else None
        if text_query is not None:
            query = (
                tantivy.Query.boolean_query([*clauses, (tantivy.Occur.Must, text_query)])
                if clauses
                else text_query
            )
            depth = max(wanted, profile.rerank_depth) if profile.reranks else wanted
            result = searcher.search(query, limit=depth, count=request.count)
        else:
            # No text: list what the filters let through, newest first.
            query = tantivy.Query.boolean_query([*clauses, (tantivy.Occur.Must, tantivy.Query.all_query())])
            result = searcher.search(query, limit=wanted, count=request.count, order_by_field="year")
        matches = []
        for score, address in result.hits:
            payload = json.loads(searcher.doc(address).get_first("payload").decode("utf-8"))
            candidate = candidate_of(payload, float(score) if text_query is not None else 0.0)
            matches.append(
                _Match(
                    kind=kind,
                    searcher=searcher,
                    address=address,
                    payload=payload,
                    candidate=candidate,
                    text_query=text_query,
                )
            )
        return text_query, result, matches

    def _hit(self, match: _Match, terms: set[str], request: SearchRequest, words: frozenset[str]) -> Hit:
        return make_hit(
            match.payload,
            match.candidate,
            terms,
            request,
            self.segmenter,
            explain=(lambda: self._explain(match, words)) if match.text_query is not None else None,
        )

    def _explain(self, match: _Match, words: frozenset[str]) -> Explanation:
        """Term contributions from tantivy's own explanation of the text score; the priors as the
        re-scoring added them."""
        assert match.text_query is not None  # noqa: S101 - _hit() only explains text matches
        tree = json.loads(match.text_query.explain(match.searcher, match.address).to_json())
        contributions: dict[tuple[str, str], float] = {}
        _collect_terms(tree, 1.0, contributions)
        terms = tuple(
            TermScore(field=field, term=term, score=score)
            for (field, term), score in sorted(contributions.items(), key=lambda item: -item[1])
        )
        return Explanation(
            text_score=match.candidate.text_score,
            terms=terms,
            signals=dict(match.candidate.signals),
            words=words,
        )

    # --- facets --------------------------------------------------------------------------------

    def _count_facets(
        self,
        kind: str,
        searcher: tantivy.Searcher,
        request: SearchRequest,
        text_query: tantivy.Query | None,
        into: dict[str, Counter[str]],
    ) -> None:
        """Counts over every match of the query (the ranking's text query and the filters)."""
        clauses = self._filter_clauses(request.filters)
        clauses.append(
            (tantivy.Occur.Must, text_query if text_query is not None else tantivy.Query.all_query())
        )
        query = tantivy.Query.boolean_query(clauses)
        aggregations = {}
        for name in request.facets:
            if name == Facet.KIND:
                continue
            # Tree fields hold every level of every code; ask for enough buckets to cover them.
            size = facet_size(name, request.facet_size)
            aggregations[str(name)] = {"terms": {"field": _FACET_FIELDS[Facet(name)], "size": size}}
        if Facet.KIND in request.facets:
            into.setdefault(Facet.KIND.value, Counter())[kind] += searcher.search(
                query, limit=1, count=True
            ).count
        if not aggregations:
            return
        result = searcher.aggregate(query, aggregations)
        for name in aggregations:
            counter = into.setdefault(name, Counter())
            for bucket in result.get(name, {}).get("buckets", []):
                counter[str(bucket["key"])] += int(bucket["doc_count"])


def _collect_terms(node: dict[str, Any], multiplier: float, out: dict[tuple[str, str], float]) -> None:
    """Walk tantivy's explanation: every TermQuery leaf, times the boosts above it."""
    description = node.get("description", "")
    boost = _EXPLAIN_BOOST.match(description)
    if boost:
        multiplier *= float(boost.group(1))
    if description.startswith("TermQuery"):
        for context in node.get("context") or ():
            term = _EXPLAIN_TERM.search(context)
            if term:
                # The context is Rust's Debug form of the term: quotes and backslashes come escaped.
                key = (_FIELD_NAMES[int(term.group(1))], _DEBUG_ESCAPE.sub(r"\1", term.group(2)))
                out[key] = out.get(key, 0.0) + float(node["value"]) * multiplier
                return
    for child in node.get("details") or ():
        _collect_terms(child, multiplier, out)
