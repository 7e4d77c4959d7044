"""The PostgreSQL backend: BM25 over the same segmented terms, in the database's own tables.

For deployments with several application machines and no shared index directory: every machine
reads and writes the same database, so nothing has to be copied or locked on a file system. The
tables are in search/models.py; this module fills and queries them with SQL.

It ranks as the tantivy backend does, term for term: the text is segmented in Python by the same
segmenter; BM25 uses tantivy's constants, per-field document frequencies, average field lengths
and its quantised field lengths, so the text scores agree to float precision (tantivy computes in
32 bits); the matching priors come from ranking.py like there. PostgreSQL's own full-text search
was measured first and left aside: its ts_rank is not BM25 (up to 7 nDCG points lost) and it
answered a median 428 ms at a million documents.

What it costs (docs/search.md has the figures): a query reads a common term's postings best impact
first and stops when what it read proves the exact answer (_top_pruned: the threshold algorithm
over impacts stored per posting), but a term of middling frequency with a real weight is still read
whole, as SQL has no block-max skipping: a matching query takes about 35 ms at 100,000 profiles
(tantivy: 9 ms) and a few hundred at a million. Counts and facets still pass over every match.

Writes take one transaction-scoped advisory lock, so, as with tantivy, one writer works at a time
across all machines; readers never wait for it and see the state of the last commit.
"""

from __future__ import annotations

import json
import math
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from kexie.search import ranking
from kexie.search.backends.base import SearchRequest, SearchUnavailable
from kexie.search.backends.common import (
    VALUE_FIELDS,
    body_terms,
    candidate_of,
    facet_list,
    facet_size,
    facet_values,
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

# tantivy's BM25 constants (src/query/bm25.rs).
K1 = 1.2
B = 0.75

# Facets whose values are counted per term on write (SearchTermFacetStat): the trees the matching
# ranking's "terms" priors predict.
TERM_FACETS = (Facet.DISCIPLINE.value, Facet.INDUSTRY.value)

# One writer at a time, across every machine: the key of the advisory lock writes take.
WRITE_LOCK_KEY = 0x6B65786965  # "kexie"

ENTRY = "search_searchentry"
POSTING = "search_searchposting"
TERM_STAT = "search_searchtermstat"
TERM_FACET_STAT = "search_searchtermfacetstat"
KIND_STAT = "search_searchkindstat"


def _field_norms() -> tuple[int, ...]:
    """tantivy's (and Lucene's) one-byte field lengths: exact up to 40, then eight steps per
    doubling of the step (tantivy's FIELD_NORMS_TABLE, 256 values up to 2,013,265,944)."""
    norms = list(range(41))
    step = 2
    while len(norms) < 256:
        for _ in range(8):
            if len(norms) < 256:
                norms.append(norms[-1] + step)
        step *= 2
    return tuple(norms)


FIELD_NORMS = _field_norms()


def field_norm(length: int) -> int:
    """The field length BM25 sees: rounded down to the nearest value a byte can hold."""
    return FIELD_NORMS[bisect_right(FIELD_NORMS, length) - 1]


def bm25_part(tf: int, norm: int, avg_length: float) -> float:
    """The term-frequency part of BM25, in the same operations as the SQL of PostgresBackend._top."""
    return tf / (tf + K1 * (1 - B) + K1 * B / avg_length * norm)


# A posting's impact: bm25_part with the kind's reference length, in units of 1 / IMPACT_SCALE
# (a smallint: in the index it fills the alignment padding after the field).
IMPACT_SCALE = 32767

# Per query term and field, the postings a matching query reads first, best impact first; every
# posting of a term held by no more (see PostgresBackend._top_pruned).
TOP_POSTINGS = 1000

# When fewer entries than asked were read (a narrow filter), the next attempt reads this many times
# more postings of each truncated clause; after MAX_ATTEMPTS, every posting.
WIDEN = 4
MAX_ATTEMPTS = 5

# An entry's truncated clauses are bits of a bigint: a longer query reads every posting.
MAX_CLAUSES = 63

# When θ does not prove the answer, the next attempt keeps truncated the clauses whose bounds add up
# to at most this share of θ (any share below 1 proves it): the smaller, the fewer entries have to
# be scored exactly, the more postings are read.
KEEP_SHARE = 0.5

# Slack for float rounding in the proofs of _top_pruned: a bound is never taken at its exact value.
EPSILON = 1e-9


def impact(tf: int, norm: int, reference: float) -> int:
    """What a posting stores to be read in order: bm25_part at the reference length, rounded down."""
    return int(bm25_part(tf, norm, reference if reference > 0 else 1.0) * IMPACT_SCALE)


def impact_bound(stored: int, reference: float, avg_length: float) -> float:
    """The largest bm25_part (at today's ``avg_length``) of a posting whose stored impact is at most
    ``stored`` (computed at ``reference``).

    With x = (k1 (1 - b)) / tf ≥ 0 and y = norm / tf: 1 / part = 1 + x + (k1 b / L) y. A stored
    impact bounds part at the reference, r = (stored + 1) / IMPACT_SCALE. With ρ = reference /
    avg_length ≥ 1 the length penalty has grown since, and part ≤ r; with ρ < 1 it has shrunk, and
    1 / part = (1 - ρ)(1 + x) + ρ / part_ref ≥ (1 - ρ) + ρ / r.
    """
    r = min(1.0, (stored + 1) / IMPACT_SCALE)
    rho = (reference if reference > 0 else 1.0) / avg_length
    return r if rho >= 1 else 1 / (rho / r + 1 - rho)


@dataclass(slots=True)
class _Analyzed:
    kind: str
    ident: str
    payload: dict[str, Any]
    facets: dict[str, list[str]]
    year: int | None
    terms: tuple[Counter[str], ...]
    lengths: tuple[int, ...]


@dataclass(slots=True)
class _Deltas:
    """What a write adds to (or takes from) the statistics tables."""

    # (kind, term, field) → documents
    terms: Counter = field(default_factory=Counter)
    # (kind, facet, term, value) → documents; None when the write recounts them in SQL
    term_facets: Counter | None = None
    # kind → [documents, title tokens, keywords tokens, body tokens]
    kinds: dict[str, list[int]] = field(default_factory=dict)
    # kind → the reference length per text field the impacts are computed with (0: not yet set)
    references: dict[str, list[float]] = field(default_factory=dict)

    def add_kind(self, kind: str, docs: int, lengths: Sequence[int]) -> None:
        totals = self.kinds.setdefault(kind, [0, 0, 0, 0])
        totals[0] += docs
        for index, length in enumerate(lengths):
            totals[index + 1] += docs * length

    def add_term_facets(self, kind: str, terms: set[str], facets: dict[str, list[str]], sign: int) -> None:
        assert self.term_facets is not None  # noqa: S101 - callers check
        for facet in TERM_FACETS:
            for value in facets.get(facet, ()):
                for term in terms:
                    self.term_facets[kind, facet, term, value] += sign


@dataclass(slots=True)
class _KindStats:
    docs: int
    tokens: tuple[int, ...]
    # The lengths the postings' impacts were computed with, per text field.
    references: tuple[float, ...] = (0.0, 0.0, 0.0)
    # term → documents holding it, per text field
    doc_freqs: dict[str, list[int]] = field(default_factory=dict)

    def doc_freq(self, term: str) -> int:
        """As tantivy's backend counts it for term selection: the largest per-field count."""
        return max(self.doc_freqs.get(term, (0,)))


@dataclass(slots=True)
class _Clause:
    """One (term, field) of the text query: BM25's weight (IDF × (k1 + 1) × boost) and the
    field's average length in this kind."""

    term: str
    field: int
    weight: float
    avg_length: float
    # Documents holding the term in the field, and the length its postings' impacts assume.
    doc_freq: int = 0
    reference: float = 0.0

    @property
    def norm_factor(self) -> float:
        """What one token of field length adds to BM25's denominator."""
        return K1 * B / self.avg_length


@dataclass(slots=True)
class _Match:
    kind: str
    entry_id: int
    payload: dict[str, Any]
    candidate: ranking.Candidate
    clauses: list[_Clause] | None = None


@dataclass(slots=True)
class _KindResult:
    terms: dict[str, float]
    matches: list[_Match]
    predictions: dict[str, list[tuple[str, float]]]
    clauses: list[_Clause] | None
    # No entry can match: every term unknown to this kind, or only in fields weighed zero.
    nothing: bool = False
    # Every text field weighs in the ranking profile: a term matches in any of them.
    any_field: bool = True


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str | bytes) else value


class PostgresBackend:
    """Search backend over the search_* tables of a PostgreSQL database."""

    def __init__(
        self,
        *,
        using: str = "default",
        segmenter: Segmenter | None = None,
        lock_timeout: float = 30.0,
        batch_size: int = 2000,
        vacuum_after_rebuild: bool = True,
        top_postings: int | None = TOP_POSTINGS,
    ) -> None:
        vendor = connections[using].vendor
        if vendor != "postgresql":
            raise ImproperlyConfigured(
                "KEXIE_SEARCH_BACKEND=postgres needs DATABASE_URL to point at PostgreSQL "
                f"(the database is {vendor}); use the tantivy backend with SQLite."
            )
        self.using = using
        self._segmenter = segmenter
        self._lock_timeout = lock_timeout
        self._batch_size = batch_size
        self._vacuum_after_rebuild = vacuum_after_rebuild
        # None: every query reads every posting of its terms (no pruning).
        self._top_postings = top_postings

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            self._segmenter = get_segmenter()
        return self._segmenter

    @property
    def connection(self):  # noqa: ANN201 - Django's connection wrapper has no public type
        return connections[self.using]

    # --- writing -------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """One transaction holding the write lock; waits up to lock_timeout for another writer."""
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            deadline = time.monotonic() + self._lock_timeout
            while True:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise SearchUnavailable("The search tables are locked by another writer.")
                time.sleep(0.2)
            yield cursor

    def _analyze(self, document: SearchDocument) -> _Analyzed:
        tokens = self.segmenter.tokens
        body, work_terms = body_terms(document, self.segmenter)
        fields = (
            tokens(document.title) if document.title else [],
            tokens("\n".join(document.keywords)) if document.keywords else [],
            body,
        )
        payload = stored_payload(document, work_terms)
        values = facet_values(payload)
        facets = {name: sorted(values[name]) for name in VALUE_FIELDS if values[name]}
        year = int(document.year) if document.year else None
        if year is not None:
            facets[Facet.YEAR.value] = [str(year)]
        return _Analyzed(
            kind=str(document.kind),
            ident=str(document.id),
            payload=payload,
            facets=facets,
            year=year,
            terms=tuple(Counter(terms) for terms in fields),
            lengths=tuple(len(terms) for terms in fields),
        )

    def _insert(self, cursor: Any, batch: list[_Analyzed], deltas: _Deltas) -> None:
        """COPY a batch of entries and their postings; count what the statistics gain."""
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [ENTRY, len(batch)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor
        with raw.copy(
            "COPY search_searchentry (id, kind, ident, payload, facets, year, title_length, keywords_length, "
            "body_length) FROM STDIN"
        ) as copy:
            for entry_id, item in zip(ids, batch, strict=True):
                copy.write_row(
                    (
                        entry_id,
                        item.kind,
                        item.ident,
                        json.dumps(item.payload, ensure_ascii=False),
                        json.dumps(item.facets, ensure_ascii=False),
                        item.year,
                        *item.lengths,
                    )
                )
        self._set_references(batch, deltas)
        with raw.copy(
            "COPY search_searchposting (entry_id, kind, term, field, tf, norm, impact) FROM STDIN"
        ) as copy:
            for entry_id, item in zip(ids, batch, strict=True):
                references = deltas.references[item.kind]
                for index, (counts, length) in enumerate(zip(item.terms, item.lengths, strict=True)):
                    norm = field_norm(length)
                    for term, tf in counts.items():
                        copy.write_row(
                            (entry_id, item.kind, term, index, tf, norm, impact(tf, norm, references[index]))
                        )
                        deltas.terms[item.kind, term, index] += 1
        for item in batch:
            deltas.add_kind(item.kind, 1, item.lengths)
            if deltas.term_facets is not None:
                deltas.add_term_facets(item.kind, set().union(*item.terms), item.facets, 1)

    @staticmethod
    def _set_references(batch: list[_Analyzed], deltas: _Deltas) -> None:
        """A field's reference length is set once per kind, by the first batch that holds it: the
        average length there. Every posting of the field is then stored at that length."""
        by_kind: dict[str, list[_Analyzed]] = {}
        for item in batch:
            by_kind.setdefault(item.kind, []).append(item)
        for kind, items in by_kind.items():
            references = deltas.references.setdefault(kind, [0.0] * len(TEXT_FIELDS))
            for index, reference in enumerate(references):
                if reference <= 0:
                    references[index] = sum(item.lengths[index] for item in items) / len(items)

    @staticmethod
    def _load_references(cursor: Any, kinds: Iterable[str], deltas: _Deltas) -> None:
        cursor.execute(
            "SELECT kind, impact_title_length, impact_keywords_length, impact_body_length "
            "FROM search_searchkindstat WHERE kind = ANY(%s)",
            [sorted(set(kinds))],
        )
        for kind, *references in cursor.fetchall():
            deltas.references[kind] = [float(reference) for reference in references]

    def _remove(self, cursor: Any, kind: str, idents: Sequence[str], deltas: _Deltas) -> None:
        """Delete entries by ident and count what the statistics lose."""
        cursor.execute(
            "DELETE FROM search_searchentry WHERE kind = %s AND ident = ANY(%s) "
            "RETURNING id, facets, title_length, keywords_length, body_length",
            [kind, list(idents)],
        )
        gone = {entry_id: (_json(facets), lengths) for entry_id, facets, *lengths in cursor.fetchall()}
        if not gone:
            return
        cursor.execute(
            "DELETE FROM search_searchposting WHERE entry_id = ANY(%s) RETURNING entry_id, term, field",
            [list(gone)],
        )
        terms: dict[int, set[str]] = {entry_id: set() for entry_id in gone}
        for entry_id, term, index in cursor.fetchall():
            deltas.terms[kind, term, index] -= 1
            terms[entry_id].add(term)
        for entry_id, (facets, lengths) in gone.items():
            deltas.add_kind(kind, -1, lengths)
            if deltas.term_facets is not None:
                deltas.add_term_facets(kind, terms[entry_id], facets, -1)

    @staticmethod
    def _apply_deltas(cursor: Any, deltas: _Deltas) -> None:
        rows = sorted((key, delta) for key, delta in deltas.terms.items() if delta)
        if rows:
            columns = [list(column) for column in zip(*(key for key, _ in rows), strict=True)]
            cursor.execute(
                "INSERT INTO search_searchtermstat AS s (kind, term, field, doc_freq) "
                "SELECT * FROM unnest(%s::text[], %s::text[], %s::smallint[], %s::int[]) "
                "ON CONFLICT (kind, term, field) DO UPDATE SET doc_freq = s.doc_freq + EXCLUDED.doc_freq",
                [*columns, [delta for _, delta in rows]],
            )
            cursor.execute(
                "DELETE FROM search_searchtermstat WHERE doc_freq <= 0 AND (kind, term) IN "
                "(SELECT * FROM unnest(%s::text[], %s::text[]))",
                columns[:2],
            )
        rows = sorted((key, delta) for key, delta in (deltas.term_facets or {}).items() if delta)
        if rows:
            columns = [list(column) for column in zip(*(key for key, _ in rows), strict=True)]
            cursor.execute(
                "INSERT INTO search_searchtermfacetstat AS s (kind, facet, term, value, doc_freq) "
                "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int[]) "
                "ON CONFLICT (kind, facet, term, value) "
                "DO UPDATE SET doc_freq = s.doc_freq + EXCLUDED.doc_freq",
                [*columns, [delta for _, delta in rows]],
            )
            cursor.execute(
                "DELETE FROM search_searchtermfacetstat WHERE doc_freq <= 0 AND (kind, facet, term) IN "
                "(SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]))",
                columns[:3],
            )
        # A reference length, once set, stays until the kind is rebuilt (the stored impacts assume it).
        keep = ", ".join(
            f"impact_{name}_length = CASE WHEN s.impact_{name}_length > 0 THEN s.impact_{name}_length "
            f"ELSE EXCLUDED.impact_{name}_length END"
            for name in TEXT_FIELDS
        )
        for kind in sorted(deltas.kinds.keys() | deltas.references.keys()):
            docs, *tokens = deltas.kinds.get(kind, [0, 0, 0, 0])
            references = deltas.references.get(kind, [0.0] * len(TEXT_FIELDS))
            cursor.execute(
                "INSERT INTO search_searchkindstat AS s (kind, docs, title_tokens, keywords_tokens, "  # noqa: S608
                "body_tokens, impact_title_length, impact_keywords_length, impact_body_length) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (kind) DO UPDATE SET docs = s.docs + EXCLUDED.docs, "
                "title_tokens = s.title_tokens + EXCLUDED.title_tokens, "
                "keywords_tokens = s.keywords_tokens + EXCLUDED.keywords_tokens, "
                f"body_tokens = s.body_tokens + EXCLUDED.body_tokens, {keep}",
                [kind, docs, *tokens, *references],
            )

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        # Segment before taking the lock: it is the slow part and needs no database.
        analyzed = [self._analyze(document) for document in documents]
        if not analyzed:
            return 0
        # A key given twice is written once, as its last version (an update replaces).
        latest = list({(item.kind, item.ident): item for item in analyzed}.values())
        deltas = _Deltas(term_facets=Counter())
        with self._writing() as cursor:
            by_kind: dict[str, list[str]] = {}
            for item in latest:
                by_kind.setdefault(item.kind, []).append(item.ident)
            self._load_references(cursor, by_kind, deltas)
            for kind, idents in sorted(by_kind.items()):
                self._remove(cursor, kind, idents, deltas)
            for start in range(0, len(latest), self._batch_size):
                self._insert(cursor, latest[start : start + self._batch_size], deltas)
            self._apply_deltas(cursor, deltas)
        return len(analyzed)

    def delete_documents(self, keys: Iterable[DocumentKey]) -> int:
        grouped: dict[str, list[str]] = {}
        for key in keys:
            grouped.setdefault(key.kind, []).append(key.id)
        if not grouped:
            return 0
        deltas = _Deltas(term_facets=Counter())
        with self._writing() as cursor:
            for kind, idents in sorted(grouped.items()):
                self._remove(cursor, kind, idents, deltas)
            self._apply_deltas(cursor, deltas)
        return sum(len(idents) for idents in grouped.values())

    def rebuild(self, documents: Iterable[SearchDocument], *, kinds: Sequence[str] = ()) -> int:
        """One transaction: delete the kinds' rows, stream the documents in, write the statistics.
        Readers see the previous contents until it commits (MVCC), and all of it if it fails."""
        wanted = sorted({str(kind) for kind in kinds})
        written = 0
        # Term × facet counts come from one SQL aggregation at the end: in Python they would
        # take gigabytes at a million documents.
        deltas = _Deltas(term_facets=None)
        with self._writing() as cursor:
            # Not TRUNCATE: its lock would make readers wait for the whole rebuild.
            scope, params = ("WHERE kind = ANY(%s)", [wanted]) if wanted else ("", [])
            for table in (POSTING, ENTRY, TERM_STAT, TERM_FACET_STAT, KIND_STAT):
                cursor.execute(f"DELETE FROM {table} {scope}", params)  # noqa: S608 - constant names
            chosen = (d for d in documents if not wanted or str(d.kind) in wanted)
            while batch := list(islice(chosen, self._batch_size)):
                self._insert(cursor, [self._analyze(document) for document in batch], deltas)
                written += len(batch)
            for kind in wanted:
                deltas.kinds.setdefault(kind, [0, 0, 0, 0])
            with cursor.cursor.copy(
                "COPY search_searchtermstat (kind, term, field, doc_freq) FROM STDIN"
            ) as copy:
                for (kind, term, index), doc_freq in deltas.terms.items():
                    copy.write_row((kind, term, index, doc_freq))
            if deltas.kinds:
                cursor.execute(
                    "INSERT INTO search_searchtermfacetstat (kind, facet, term, value, doc_freq) "
                    "SELECT t.kind, f.key, t.term, v.value, count(*) "
                    "FROM (SELECT DISTINCT kind, term, entry_id FROM search_searchposting "
                    "WHERE kind = ANY(%s)) t "
                    "JOIN search_searchentry e ON e.id = t.entry_id "
                    "CROSS JOIN LATERAL jsonb_each(e.facets) f "
                    "CROSS JOIN LATERAL jsonb_array_elements_text(f.value) v "
                    "WHERE f.key = ANY(%s) GROUP BY 1, 2, 3, 4",
                    [sorted(deltas.kinds), list(TERM_FACETS)],
                )
            self._apply_deltas(
                cursor, _Deltas(term_facets=None, kinds=deltas.kinds, references=deltas.references)
            )
        if self._vacuum_after_rebuild and not self.connection.in_atomic_block:
            # Fresh statistics for the planner, and a visibility map so that queries read the
            # postings index alone. VACUUM cannot run inside a transaction: only after the commit.
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM (ANALYZE) search_searchposting, search_searchentry, search_searchtermstat, "
                    "search_searchtermfacetstat"
                )
        return written

    # --- reading -------------------------------------------------------------------------------

    def kinds(self) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT kind FROM search_searchkindstat ORDER BY kind")
            return [row[0] for row in cursor.fetchall()]

    def count(self, kinds: Sequence[str] = ()) -> int:
        with self.connection.cursor() as cursor:
            if kinds:
                cursor.execute(
                    "SELECT coalesce(sum(docs), 0) FROM search_searchkindstat WHERE kind = ANY(%s)",
                    [[str(kind) for kind in kinds]],
                )
            else:
                cursor.execute("SELECT coalesce(sum(docs), 0) FROM search_searchkindstat")
            return int(cursor.fetchone()[0])

    def _stats(self, cursor: Any, kinds: Sequence[str], terms: Sequence[str]) -> dict[str, _KindStats]:
        cursor.execute(
            "SELECT kind, docs, title_tokens, keywords_tokens, body_tokens, impact_title_length, "
            "impact_keywords_length, impact_body_length FROM search_searchkindstat WHERE kind = ANY(%s)",
            [list(kinds)],
        )
        stats = {
            kind: _KindStats(docs=docs, tokens=tuple(values[:3]), references=tuple(values[3:]))
            for kind, docs, *values in cursor.fetchall()
        }
        if terms and stats:
            cursor.execute(
                "SELECT kind, term, field, doc_freq FROM search_searchtermstat "
                "WHERE kind = ANY(%s) AND term = ANY(%s)",
                [list(stats), list(terms)],
            )
            for kind, term, index, doc_freq in cursor.fetchall():
                stats[kind].doc_freqs.setdefault(term, [0] * len(TEXT_FIELDS))[index] = doc_freq
        return stats

    @staticmethod
    def _filter_sql(kind: str, filters: Filters) -> tuple[list[str], list[Any]]:
        """Conditions on the entry ``e``, as SQL fragments and their parameters."""
        parts, params = ["e.kind = %s"], [kind]

        def any_of(name: str, values: Iterable[Any]) -> None:
            distinct = list(dict.fromkeys(str(value) for value in values))
            parts.append("(" + " OR ".join(["e.facets @> %s::jsonb"] * len(distinct)) + ")")
            params.extend(json.dumps({name: [value]}, ensure_ascii=False) for value in distinct)

        if filters.districts:
            any_of("district", filters.districts)
        if filters.disciplines:
            any_of("discipline", (code.strip().upper() for code in filters.disciplines))
        if filters.industries:
            any_of("industry", (code.strip().upper() for code in filters.industries))
        if filters.flags:
            parts.append("e.facets @> %s::jsonb")
            params.append(
                json.dumps({"flag": sorted({str(flag) for flag in filters.flags})}, ensure_ascii=False)
            )
        if filters.org_ids:
            any_of("org", filters.org_ids)
        if filters.year_min is not None:
            parts.append("e.year >= %s")
            params.append(filters.year_min)
        if filters.year_max is not None:
            parts.append("e.year <= %s")
            params.append(filters.year_max)
        excluded = [key.id for key in filters.exclude if key.kind == kind]
        if excluded:
            parts.append("NOT (e.ident = ANY(%s))")
            params.append(excluded)
        return parts, params

    @staticmethod
    def _clauses(stats: _KindStats, terms: dict[str, float], boosts: Mapping[str, float]) -> list[_Clause]:
        """The text query: every (term, field) pair the profile weighs and the kind holds."""
        n_docs = max(1, stats.docs)
        clauses = []
        for term, count in terms.items():
            for index, name in enumerate(TEXT_FIELDS):
                boost = boosts.get(name, 1.0) * count
                doc_freq = stats.doc_freqs.get(term, [0] * len(TEXT_FIELDS))[index]
                if boost > 0 and doc_freq > 0:
                    clauses.append(
                        _Clause(
                            term=term,
                            field=index,
                            weight=boost * ranking.idf(doc_freq, n_docs) * (1 + K1),
                            avg_length=stats.tokens[index] / n_docs,
                            doc_freq=doc_freq,
                            reference=stats.references[index],
                        )
                    )
        return clauses

    @staticmethod
    def _query_values(clauses: list[_Clause]) -> tuple[str, list[Any]]:
        rows = ", ".join(["(%s::text, %s::smallint, %s::float8, %s::float8)"] * len(clauses))
        params: list[Any] = []
        for clause in clauses:
            params.extend([clause.term, clause.field, clause.weight, clause.norm_factor])
        return f"q(term, field, weight, norm_factor) AS (VALUES {rows})", params

    def _top(
        self, cursor: Any, kind: str, clauses: list[_Clause], filters: Filters, depth: int
    ) -> list[tuple[int, float]]:
        """The best ``depth`` entries by BM25 summed over the clauses, among those the filters let
        through; ties in insertion order, as tantivy breaks them.

        A term held by more than ``top_postings`` documents is read best impact first, and only as
        far as it takes to prove the answer (_top_pruned); the answer is the same either way.
        """
        limit = self._top_postings
        if not limit or depth <= 0 or max((clause.doc_freq for clause in clauses), default=0) <= limit:
            return self._top_all(cursor, kind, clauses, filters, depth)
        # Per clause: how many postings to read (None: all of them).
        limits = [limit if clause.doc_freq > limit else None for clause in clauses]
        for _ in range(MAX_ATTEMPTS if len(clauses) <= MAX_CLAUSES else 0):
            rows, theta, bounds, read = self._top_pruned(cursor, kind, clauses, filters, depth, limits=limits)
            if rows is not None:
                return rows
            if theta is None:
                if not read:
                    break  # the filter let nothing read through: the full query finds it fastest
                # Fewer than depth entries read (a narrow filter): read further, as much further as
                # the filter seems to need.
                limit *= max(WIDEN, math.ceil(2 * depth / read))
                limits = [limit if clause.doc_freq > limit else None for clause in clauses]
            else:
                # Keep truncated only the clauses whose bounds, smallest first, add up to at most
                # KEEP_SHARE of θ, and read the others whole: the next attempt then proves the
                # answer (it reads all it read before, so its θ is no lower).
                kept, room = set(), theta * KEEP_SHARE - EPSILON
                for index, bound in sorted(bounds.items(), key=lambda item: item[1]):
                    if bound >= room:
                        break
                    kept.add(index)
                    room -= bound
                limits = [value if index in kept else None for index, value in enumerate(limits)]
            if all(value is None for value in limits):
                break
        return self._top_all(cursor, kind, clauses, filters, depth)

    def _top_pruned(
        self,
        cursor: Any,
        kind: str,
        clauses: list[_Clause],
        filters: Filters,
        depth: int,
        *,
        limits: list[int | None],
    ) -> tuple[list[tuple[int, float]] | None, float | None, dict[int, float], int]:
        """_top, reading at most ``limits[i]`` postings of clause i (all when None), best impact
        first. Returns the answer, or None when what was read does not prove it; θ; the truncated
        clauses' bounds; and how many entries (that the filters let through) were read.

        A clause with a limit below its postings is *truncated*: a posting not read has an impact
        no larger than the last one read, so it scores at most the clause's bound (impact_bound
        times the clause's weight). Every entry read gets its partial score (``lo``) and an upper
        bound (``lo`` plus the bounds of the truncated clauses it was not read in); an entry not
        read at all scores at most ``total``, the sum of the bounds. θ is the ``depth``-th best
        partial score: at least ``depth`` entries score θ or more, so an entry whose upper bound is
        below θ is out, and when θ is above ``total`` so is every entry not read. The others are
        scored exactly (the postings they lack, looked up by key), summed clause by clause as
        _top_all's plan sums them, so that equal documents tie there as here.
        """
        rows, params = [], []
        for index, (clause, limit) in enumerate(zip(clauses, limits, strict=True)):
            rows.append(
                "(%s::int, %s::text, %s::smallint, %s::float8, %s::float8, %s::int, %s::float8, %s::int8)"
            )
            params.extend(
                [
                    index,
                    clause.term,
                    clause.field,
                    clause.weight,
                    clause.norm_factor,
                    limit,
                    (clause.reference if clause.reference > 0 else 1.0) / clause.avg_length,
                    # Which truncated clauses an entry was read in: one bit each.
                    1 << sum(1 for value in limits[:index] if value is not None) if limit is not None else 0,
                ]
            )
        parts, filter_params = self._filter_sql(kind, filters)
        if len(parts) > 1:
            where = " AND ".join(parts)
            filtered = f"f AS MATERIALIZED (SELECT e.id FROM search_searchentry e WHERE {where}), "  # noqa: S608
            join = "JOIN f ON f.id = r.entry_id "
        else:
            filtered, join, filter_params = "", "", []
        score = "q.weight * p.tf / (p.tf + %s::float8 + q.norm_factor * p.norm)"
        sql = (
            f"WITH q(i, term, field, weight, norm_factor, lim, rho, bit) AS (VALUES {', '.join(rows)}), "  # noqa: S608
            # The truncated clauses and their bounds: impact_bound in SQL at the lim-th impact
            # (x.r bounds bm25_part at the reference length).
            "b AS MATERIALIZED (SELECT q.i, q.bit, q.weight * (1 + %s::float8) * CASE WHEN q.rho >= 1 "
            "THEN x.r ELSE 1 / (q.rho / x.r + 1 - q.rho) END AS bound FROM q CROSS JOIN LATERAL "
            "(SELECT least(1.0, (p.impact + 1)::float8 / %s) AS r FROM search_searchposting p "
            "WHERE p.kind = %s AND p.term = q.term AND p.field = q.field "
            "ORDER BY p.impact DESC OFFSET q.lim - 1 LIMIT 1) x WHERE q.lim IS NOT NULL), "
            # The postings read: each clause's first lim, best impact first.
            f"r AS MATERIALIZED (SELECT q.i, p.entry_id, {score} AS s, coalesce(b.bound, 0) AS bound, "
            "coalesce(b.bit, 0) AS bit FROM q LEFT JOIN b ON b.i = q.i CROSS JOIN LATERAL "
            "(SELECT p.entry_id, p.tf, p.norm FROM search_searchposting p "
            "WHERE p.kind = %s AND p.term = q.term AND p.field = q.field "
            "ORDER BY p.impact DESC LIMIT q.lim) p), "
            f"{filtered}"
            "e AS MATERIALIZED (SELECT r.entry_id, sum(r.s) AS lo, sum(r.bound) AS seen, "
            f"bit_or(r.bit) AS mask FROM r {join}GROUP BY r.entry_id), "
            "t AS MATERIALIZED (SELECT (SELECT coalesce(sum(bound), 0) FROM b) AS total, "
            "(SELECT lo FROM e ORDER BY lo DESC OFFSET %s LIMIT 1) AS theta, (SELECT count(*) FROM e) AS n), "
            # Exact scores could prove more than θ > total, but seldom do, and scoring the many
            # candidates so loose a bound lets through costs more than reading further.
            "c AS MATERIALIZED (SELECT e.entry_id, e.mask FROM e CROSS JOIN t "
            "WHERE t.total + %s < t.theta AND e.lo + t.total - e.seen >= t.theta - %s), "
            f"m AS (SELECT c.entry_id, q.i, {score} AS s FROM c "
            "JOIN b ON c.mask & b.bit = 0 JOIN q ON q.i = b.i "
            "JOIN search_searchposting p ON p.entry_id = c.entry_id AND p.field = q.field "
            "AND p.term = q.term), "
            "x AS (SELECT r.entry_id, r.i, r.s FROM r JOIN c ON c.entry_id = r.entry_id UNION ALL "
            "SELECT m.entry_id, m.i, m.s FROM m) "
            "SELECT 0, i, bound, NULL FROM b UNION ALL SELECT 1, n, theta, total FROM t UNION ALL "
            "SELECT 2, entry_id, sum(s ORDER BY i), NULL FROM x GROUP BY entry_id"
        )
        a = K1 * (1 - B)
        cursor.execute(
            sql,
            [*params, EPSILON, IMPACT_SCALE, kind, a, kind, *filter_params, depth - 1, EPSILON, EPSILON, a],
        )
        bounds: dict[int, float] = {}
        scores: list[tuple[int, float]] = []
        theta = total = None
        read = 0
        for tag, key, value, extra in cursor.fetchall():
            if tag == 0:
                bounds[key] = float(value)
            elif tag == 1:
                theta = None if value is None else float(value)
                total, read = float(extra), int(key)
            else:
                scores.append((key, float(value)))
        ranked = sorted(scores, key=lambda item: (-item[1], item[0]))[:depth]
        if len(ranked) < depth or total is None or total + EPSILON >= ranked[-1][1]:
            return None, theta, bounds, read
        return ranked, theta, bounds, read

    def _top_all(
        self, cursor: Any, kind: str, clauses: list[_Clause], filters: Filters, depth: int
    ) -> list[tuple[int, float]]:
        """_top reading every posting of every clause."""
        values, params = self._query_values(clauses)
        parts, filter_params = self._filter_sql(kind, filters)
        scored = (
            "SELECT p.entry_id, "
            "SUM(q.weight * p.tf / (p.tf + %s::float8 + q.norm_factor * p.norm)) AS score "
            "FROM q JOIN search_searchposting p ON p.kind = %s AND p.term = q.term AND p.field = q.field "
            "GROUP BY p.entry_id"
        )
        params += [K1 * (1 - B), kind]
        if len(parts) > 1:
            # The filtered entries first, as their own set: the planner cannot tell how many
            # postings the query reads and would otherwise look every match up one by one.
            sql = (
                f"WITH {values}, f AS MATERIALIZED (SELECT e.id FROM search_searchentry e "  # noqa: S608
                f"WHERE {' AND '.join(parts)}) "
                f"SELECT s.entry_id, s.score FROM ({scored}) s JOIN f ON f.id = s.entry_id "
                "ORDER BY s.score DESC, s.entry_id LIMIT %s"
            )
            params = [*params[:-2], *filter_params, *params[-2:], depth]
        else:
            sql = f"WITH {values} {scored} ORDER BY score DESC, p.entry_id LIMIT %s"  # noqa: S608
            params.append(depth)
        cursor.execute(sql, params)
        return [(entry_id, float(score)) for entry_id, score in cursor.fetchall()]

    def _matching(
        self, kind: str, clauses: list[_Clause] | None, filters: Filters, *, any_field: bool
    ) -> tuple[str, list[Any]]:
        """FROM … WHERE … over every entry the query matches (text and filters), entries as ``e``.

        With ``any_field`` (every text field weighs), a term matches wherever it occurs, and the
        postings are selected by term alone: the planner then knows from its statistics how
        common each term is and joins the entries by hash instead of one lookup per match.
        """
        parts, params = self._filter_sql(kind, filters)
        where = " AND ".join(parts)
        if clauses is None:
            return f"FROM search_searchentry e WHERE {where}", params
        if any_field:
            sql = (
                "FROM (SELECT DISTINCT p.entry_id FROM search_searchposting p "  # noqa: S608 - built here
                "WHERE p.kind = %s AND p.term = ANY(%s)) m "
                f"JOIN search_searchentry e ON e.id = m.entry_id WHERE {where}"
            )
            return sql, [kind, sorted({clause.term for clause in clauses}), *params]
        values, value_params = self._query_values([_Clause(c.term, c.field, 0.0, 1.0) for c in clauses])
        sql = (
            f"FROM (WITH {values} SELECT DISTINCT p.entry_id FROM q JOIN search_searchposting p "  # noqa: S608
            "ON p.kind = %s AND p.term = q.term AND p.field = q.field) m "
            f"JOIN search_searchentry e ON e.id = m.entry_id WHERE {where}"
        )
        return sql, [*value_params, kind, *params]

    def _matches(
        self, cursor: Any, kind: str, rows: list[tuple[int, float]], clauses: list[_Clause] | None
    ) -> list[_Match]:
        payloads = self._payloads(cursor, [entry_id for entry_id, _ in rows]) if rows else {}
        return [
            _Match(
                kind=kind,
                entry_id=entry_id,
                payload=payloads[entry_id],
                candidate=candidate_of(payloads[entry_id], score),
                clauses=clauses,
            )
            for entry_id, score in rows
        ]

    def _payloads(self, cursor: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
        cursor.execute("SELECT id, payload FROM search_searchentry WHERE id = ANY(%s)", [ids])
        return {entry_id: _json(payload) for entry_id, payload in cursor.fetchall()}

    def search(self, request: SearchRequest) -> SearchResults:
        analysed = ranking.analyze_query(self.segmenter, request.text, request.ranking)
        term_counts = analysed.counts
        wanted = request.offset + request.limit
        matches: list[_Match] = []
        predictions: dict[str, list[tuple[str, float]]] = {}
        facets: dict[str, Counter[str]] = {str(name): Counter() for name in request.facets}
        total = 0
        terms: dict[str, float] = {}
        with self.connection.cursor() as cursor:
            chosen = list(dict.fromkeys(str(kind) for kind in request.filters.kinds))
            stats = self._stats(cursor, chosen or self.kinds(), list(term_counts))
            for kind in chosen or sorted(stats):
                if kind not in stats:
                    continue
                found = self._search_kind(cursor, kind, stats[kind], request, term_counts, wanted=wanted)
                terms.update(found.terms)
                matches.extend(found.matches)
                for name, values in found.predictions.items():
                    predictions.setdefault(name, []).extend(values)
                counts_facets = bool(request.facets) and (found.clauses is not None or not term_counts)
                if request.count or counts_facets:
                    total += self._count_facets(
                        cursor, kind, request, found, facets if counts_facets else None
                    )
            if len(stats) > 1:
                matches.sort(key=lambda match: -match.candidate.score)
            page = matches[request.offset : wanted]
            explanations = self._explanations(cursor, page) if request.explain else {}
        hit_terms = set(terms) or set(term_counts)
        hits = [self._hit(match, hit_terms, request, explanations, analysed.words) for match in page]
        return SearchResults(
            hits=hits,
            terms=list(terms) if terms else list(term_counts),
            total=total if request.count else None,
            facets={name: facet_list(name, counts, request.facet_size) for name, counts in facets.items()},
            predictions=predictions,
        )

    def _search_kind(
        self,
        cursor: Any,
        kind: str,
        stats: _KindStats,
        request: SearchRequest,
        term_counts: dict[str, float],
        *,
        wanted: int,
    ) -> _KindResult:
        profile = request.ranking
        n_docs = max(1, stats.docs)
        doc_freqs = {term: stats.doc_freq(term) for term in term_counts}
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
            return _KindResult(terms=terms, matches=[], predictions={}, clauses=None, nothing=True)
        boosts = profile.boosts_for(kind)
        clauses = self._clauses(stats, terms, boosts) if terms else None
        if clauses is None:
            parts, params = self._filter_sql(kind, request.filters)
            cursor.execute(
                f"SELECT e.id FROM search_searchentry e WHERE {' AND '.join(parts)} "  # noqa: S608 - built here
                "ORDER BY e.year DESC NULLS LAST, e.id LIMIT %s",
                [*params, wanted],
            )
            rows = [(row[0], 0.0) for row in cursor.fetchall()]
        elif clauses:
            depth = max(wanted, profile.rerank_depth) if profile.reranks else wanted
            rows = self._top(cursor, kind, clauses, request.filters, depth)
        else:
            rows = []  # known terms, but only in fields the profile gives no weight
        matches = self._matches(cursor, kind, rows, clauses)
        searched = terms
        if clauses and profile.feedback_docs > 0 and matches:

            def lookup(more: list[str]) -> dict[str, int]:
                extra = self._stats(cursor, [kind], more)[kind]
                stats.doc_freqs.update(extra.doc_freqs)
                return {term: stats.doc_freq(term) for term in more}

            expansion = ranking.feedback_terms(
                profile, [match.candidate for match in matches], terms, lookup, n_docs
            )
            if expansion:
                doc_freqs.update({term: stats.doc_freq(term) for term in expansion})
                searched = {**terms, **expansion}
                clauses = self._clauses(stats, searched, boosts)
                rows = self._top(cursor, kind, clauses, request.filters, depth)
                matches = self._matches(cursor, kind, rows, clauses)
        predictions: dict[str, list[tuple[str, float]]] = {}
        if clauses and profile.reranks and matches:
            matches, predictions = rerank_matches(
                profile,
                matches,
                terms=terms,
                searched=searched,
                doc_freqs=doc_freqs,
                n_docs=n_docs,
                text=request.text,
                facet_counts=lambda prior: self._facet_counts(
                    cursor, kind, stats, prior, terms=terms, doc_freqs=doc_freqs
                ),
            )
        return _KindResult(
            terms=terms,
            matches=matches[:wanted],
            predictions=predictions,
            clauses=clauses,
            any_field=all(boosts.get(name, 1.0) > 0 for name in TEXT_FIELDS),
        )

    def _facet_counts(
        self,
        cursor: Any,
        kind: str,
        stats: _KindStats,
        prior: ranking.FacetPrior,
        *,
        terms: Iterable[str],
        doc_freqs: dict[str, int],
    ) -> ranking.FacetCounts:
        """Per query term, documents per facet value among those holding it (in any field). For
        the trees they are kept counted (SearchTermFacetStat): one index read for all terms. Any
        other field is counted over the terms' postings."""
        limit = max(prior.max_term_share * stats.docs, prior.min_term_cap)
        counted = [term for term in terms if 0 < doc_freqs.get(term, 0) <= limit]
        if not counted:
            return ranking.FacetCounts(by_term={})
        if prior.field in TERM_FACETS:
            cursor.execute(
                "SELECT term, value, doc_freq FROM search_searchtermfacetstat "
                "WHERE kind = %s AND facet = %s AND term = ANY(%s)",
                [kind, prior.field, counted],
            )
        else:
            cursor.execute(
                "SELECT t.term, v.value, count(*) "
                "FROM (SELECT DISTINCT p.term, p.entry_id FROM search_searchposting p "
                "WHERE p.kind = %s AND p.term = ANY(%s)) t JOIN search_searchentry e ON e.id = t.entry_id "
                "CROSS JOIN LATERAL jsonb_array_elements_text(e.facets -> %s) v GROUP BY 1, 2",
                [kind, counted, prior.field],
            )
        per_term: dict[str, dict[str, int]] = {term: {} for term in counted}
        for term, value, count in cursor.fetchall():
            per_term[term][value] = count
        return ranking.FacetCounts(
            by_term={
                term: (
                    doc_freqs[term],
                    dict(sorted(values.items(), key=lambda item: (-item[1], item[0]))[: prior.buckets]),
                )
                for term, values in per_term.items()
            }
        )

    def _tally(
        self, cursor: Any, kind: str, found: _KindResult, filters: Filters, names: list[str]
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """How many entries match the query (its text clauses and the filters), and per facet in
        ``names`` how many of them hold each value: one pass over the matches."""
        sql, params = self._matching(kind, found.clauses, filters, any_field=found.any_field)
        if not names:
            cursor.execute(f"SELECT count(*) {sql}", params)
            return int(cursor.fetchone()[0]), {}
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT e.facets {sql}) "  # noqa: S608 - built here
            "SELECT NULL, NULL, count(*) FROM m UNION ALL "
            "SELECT k.name, v.value, count(*) FROM m CROSS JOIN LATERAL unnest(%s::text[]) k(name) "
            "CROSS JOIN LATERAL jsonb_array_elements_text(m.facets -> k.name) v GROUP BY 1, 2",
            [*params, names],
        )
        count = 0
        per_facet: dict[str, list[tuple[str, int]]] = {}
        for name, value, n in cursor.fetchall():
            if name is None:
                count = int(n)
            else:
                per_facet.setdefault(name, []).append((value, int(n)))
        return count, per_facet

    def _count_facets(
        self,
        cursor: Any,
        kind: str,
        request: SearchRequest,
        found: _KindResult,
        into: dict[str, Counter[str]] | None,
    ) -> int:
        """Matches of one kind, and (into ``into``, unless None) its facet counts; returns the count."""
        names = [str(name) for name in request.facets if name != Facet.KIND] if into is not None else []
        if found.nothing or found.clauses == []:
            count, per_facet = 0, {}
        else:
            count, per_facet = self._tally(cursor, kind, found, request.filters, names)
        if into is None:
            return count
        if Facet.KIND in request.facets:
            into.setdefault(Facet.KIND.value, Counter())[kind] += count
        for name in names:
            counter = into.setdefault(name, Counter())
            # Like tantivy's terms aggregation: each kind contributes its top values only.
            ranked = sorted(per_facet.get(name, ()), key=lambda item: (-item[1], item[0]))
            for value, n in ranked[: facet_size(name, request.facet_size)]:
                counter[value] += n
        return count

    def _explanations(self, cursor: Any, page: list[_Match]) -> dict[tuple[str, int], list[TermScore]]:
        """Per page hit, the contribution of every (field, term) that matched, from its postings
        and the same arithmetic as the query."""
        out: dict[tuple[str, int], list[TermScore]] = {}
        by_kind: dict[str, list[_Match]] = {}
        for match in page:
            if match.clauses:
                by_kind.setdefault(match.kind, []).append(match)
        for kind, matches in by_kind.items():
            clauses = {(c.term, c.field): c for c in matches[0].clauses or ()}
            cursor.execute(
                "SELECT entry_id, term, field, tf, norm FROM search_searchposting "
                "WHERE kind = %s AND entry_id = ANY(%s) AND term = ANY(%s)",
                [kind, [m.entry_id for m in matches], sorted({term for term, _ in clauses})],
            )
            for entry_id, term, index, tf, norm in cursor.fetchall():
                clause = clauses.get((term, index))
                if clause is not None:
                    score = clause.weight * bm25_part(tf, norm, clause.avg_length)
                    out.setdefault((kind, entry_id), []).append(TermScore(TEXT_FIELDS[index], term, score))
        return out

    def _hit(
        self,
        match: _Match,
        terms: set[str],
        request: SearchRequest,
        explanations: dict[tuple[str, int], list[TermScore]],
        words: frozenset[str],
    ) -> Hit:
        def explain() -> Explanation:
            scores = explanations.get((match.kind, match.entry_id), [])
            return Explanation(
                text_score=match.candidate.text_score,
                terms=tuple(sorted(scores, key=lambda item: -item.score)),
                signals=dict(match.candidate.signals),
                words=words,
            )

        return make_hit(
            match.payload,
            match.candidate,
            terms,
            request,
            self.segmenter,
            explain=explain if match.clauses else None,
        )
