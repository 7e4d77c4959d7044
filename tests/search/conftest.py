"""Search fixtures: a backend over a temporary directory, installed as the process's backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend


@pytest.fixture
def backend(tmp_path) -> Iterator[TantivyBackend]:
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    yield backend
    search.set_backend(None)
