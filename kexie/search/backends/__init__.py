"""Index backends behind one protocol (see base.SearchBackend), chosen by KEXIE_SEARCH_BACKEND.

tantivy (the default) keeps an index directory on the machine that runs the job consumer; the
PostgreSQL backend keeps the same postings and statistics in database tables, for deployments with
several application machines and no shared directory. Both segment with the same segmenter, rank
with the same BM25 and the same ranking.py, and build hits in common.py: callers never know which
one answers (docs/search.md compares them).
"""
