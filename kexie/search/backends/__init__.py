"""Index backends behind one protocol (see base.SearchBackend).

tantivy is the default and the only one built so far; a PostgreSQL backend (full-text search over
the pre-segmented text, for deployments that must not keep files outside the database) can be
added beside it without callers changing.
"""
