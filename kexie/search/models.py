"""Tables of the PostgreSQL search backend (``KEXIE_SEARCH_BACKEND=postgres``).

They hold a derived copy, like the tantivy index directory: the apps' own tables stay the system of
record and ``kexie reindex`` rebuilds these from them. They exist on PostgreSQL only
(``required_db_vendor``): a SQLite deployment searches with tantivy and has no use for them.

BM25 needs, per document and field, how often each term occurs and how long the field is, and per
kind, how many documents hold each term. A tsvector keeps positions but neither a cheap term
frequency nor a field length, so the backend keeps its own postings (one row per document, field
and term) and the statistics, maintained on every write in the same transaction.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchEntry(models.Model):
    """One indexed document: its display copy and its filter values."""

    kind = models.CharField(max_length=40)
    ident = models.CharField(max_length=200)
    # What SearchDocument gave, for hits and snippets (see backends.common.stored_payload).
    payload = models.JSONField()
    # Filter and facet values: {"district": [...], "discipline": [codes with ancestors], ...,
    # "year": ["2023"]}; filters are containment queries (@>) over a GIN index.
    facets = models.JSONField(default=dict)
    year = models.IntegerField(null=True)
    # Tokens per text field, kept to take a replaced document out of the kind's totals.
    title_length = models.PositiveIntegerField(default=0)
    keywords_length = models.PositiveIntegerField(default=0)
    body_length = models.PositiveIntegerField(default=0)

    class Meta:
        required_db_vendor = "postgresql"
        constraints = [models.UniqueConstraint(fields=["kind", "ident"], name="search_entry_unique_key")]
        indexes = [
            models.Index(fields=["kind", "-year", "id"], name="search_entry_kind_year"),
            GinIndex(fields=["facets"], name="search_entry_facets", opclasses=["jsonb_path_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}"


class SearchPosting(models.Model):
    """A term in one text field of one entry: how often, and the field's length (as tantivy
    stores it: exact up to 40 tokens, then in widening buckets)."""

    pk = models.CompositePrimaryKey("entry_id", "field", "term")
    # Rows are deleted with raw SQL before their entry (a rebuild drops millions at once), so no
    # constraint: checking one per row would double the cost of bulk loading. The primary key,
    # which starts with the entry, serves the deletes.
    entry = models.ForeignKey(
        SearchEntry, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    kind = models.CharField(max_length=40)
    term = models.CharField(max_length=64)
    # Index into documents.TEXT_FIELDS: 0 title, 1 keywords, 2 body.
    field = models.PositiveSmallIntegerField()
    tf = models.PositiveIntegerField()
    norm = models.PositiveIntegerField()
    # BM25's term-frequency part, tf / (tf + k1 (1 - b) + k1 b norm / L) with L the kind's
    # reference length for the field (SearchKindStat.impact_*_length), in units of 1 / 32767
    # (postgres_backend.IMPACT_SCALE), rounded down: a query reads a common term's best postings
    # first, in this order.
    impact = models.PositiveSmallIntegerField(default=0)

    class Meta:
        required_db_vendor = "postgresql"
        indexes = [
            # A query reads the postings of its terms only, a common term's best first (by impact):
            # an index-only scan once vacuumed.
            models.Index(
                fields=["kind", "term", "field", "-impact", "entry"],
                include=["tf", "norm"],
                name="search_posting_impact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term}@{self.field}"


class SearchTermStat(models.Model):
    """Documents of a kind holding a term in a field: BM25's document frequency."""

    pk = models.CompositePrimaryKey("kind", "term", "field")
    kind = models.CharField(max_length=40)
    term = models.CharField(max_length=64)
    field = models.PositiveSmallIntegerField()
    doc_freq = models.IntegerField()

    class Meta:
        required_db_vendor = "postgresql"

    def __str__(self) -> str:
        return f"{self.kind} {self.term}@{self.field}: {self.doc_freq}"


class SearchTermFacetStat(models.Model):
    """Documents of a kind holding a term (in any text field) and filed under a facet value: what
    the matching ranking's discipline and industry priors learn from, kept up to date on write
    instead of counted over the term's postings at every query."""

    pk = models.CompositePrimaryKey("kind", "facet", "term", "value")
    kind = models.CharField(max_length=40)
    facet = models.CharField(max_length=20)
    term = models.CharField(max_length=64)
    value = models.CharField(max_length=64)
    doc_freq = models.IntegerField()

    class Meta:
        required_db_vendor = "postgresql"

    def __str__(self) -> str:
        return f"{self.kind} {self.term} {self.facet}={self.value}: {self.doc_freq}"


class SearchKindStat(models.Model):
    """Per kind: documents and tokens per text field (BM25's average field length)."""

    kind = models.CharField(max_length=40, primary_key=True)
    docs = models.BigIntegerField(default=0)
    title_tokens = models.BigIntegerField(default=0)
    keywords_tokens = models.BigIntegerField(default=0)
    body_tokens = models.BigIntegerField(default=0)
    # The average field length the postings' impacts were computed with (0: none yet). Set by the
    # first write that holds the field, kept until the kind is rebuilt: the average itself moves
    # with every write, and a query bounds what that does to the impacts it has not read.
    impact_title_length = models.FloatField(default=0)
    impact_keywords_length = models.FloatField(default=0)
    impact_body_length = models.FloatField(default=0)

    class Meta:
        required_db_vendor = "postgresql"

    def __str__(self) -> str:
        return f"{self.kind}: {self.docs}"
