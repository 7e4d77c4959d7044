"""Bulk loads (``kexie demo``) defer per-object index updates to one rebuild (issue 10: the demo left
~1,200 index jobs queued after its rebuilds)."""

from __future__ import annotations

import pytest

from kexie.search import index as search
from kexie.search.documents import SearchDocument
from kexie.search.tasks import update_search_index


@pytest.fixture
def loads(backend, monkeypatch):
    monkeypatch.setattr(search, "_sources", {})
    rows = {"1": "智能制造服务团"}
    calls: list = []

    def load(ids):
        calls.append(None if ids is None else list(ids))
        chosen = rows if ids is None else {i: rows[i] for i in ids if i in rows}
        return [SearchDocument(kind="team", id=i, title=title) for i, title in chosen.items()]

    search.register_source("team", load)
    yield rows, calls
    search.unregister_source("team")


def hits(text):
    return [hit.id for hit in search.query(text, kinds=["team"]).hits]


def test_updates_in_a_bulk_load_become_one_rebuild(loads):
    rows, calls = loads
    with search.deferred_updates():
        for i in range(2, 6):
            rows[str(i)] = f"海智服务团{i}"
            update_search_index("team", [str(i)])
        assert calls == []  # nothing queued or run one by one (the tests' queue is immediate)
    assert calls == [None]  # one rebuild of the kind at the end
    assert sorted(hits("海智")) == ["2", "3", "4", "5"]


def test_a_rebuild_inside_the_block_covers_earlier_updates(loads):
    rows, calls = loads
    with search.deferred_updates():
        rows["2"] = "海智服务团"
        update_search_index("team", ["2"])
        search.rebuild(kinds=["team"])
    assert calls == [None]
    assert hits("海智") == ["2"]


def test_outside_a_bulk_load_updates_run_as_jobs(loads):
    rows, calls = loads
    rows["2"] = "海智服务团"
    update_search_index("team", ["2"])
    assert calls == [["2"]]
    assert hits("海智") == ["2"]
