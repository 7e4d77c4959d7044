"""What only the tantivy backend does: its lock file and its index directory."""

from __future__ import annotations

import pytest
import tantivy

from kexie.search import index as search
from kexie.search.backends.base import SearchUnavailable
from kexie.search.backends.tantivy_backend import TantivyBackend
from tests.search.conftest import expert


@pytest.fixture
def library(tantivy_backend, library_documents):
    search.index_documents(library_documents)
    return tantivy_backend


def test_write_while_locked_raises_and_changes_nothing(library):
    other_writer = tantivy.Index.open(str(library.root / "expert")).writer(15_000_000, 1)
    try:
        with pytest.raises(SearchUnavailable):
            search.index_documents([expert(8, "量子计算")])
    finally:
        other_writer.rollback()
        other_writer.wait_merging_threads()

    assert search.query("量子计算").hits == []


def test_reopened_backend_reads_committed_index(library):
    reopened = TantivyBackend(library.root)

    assert reopened.kinds() == ["demand", "expert"]
    assert reopened.count() == 5
