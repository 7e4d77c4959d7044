from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kexie.search import index as search
from kexie.search.backends.tantivy_backend import SCHEMA_VERSION
from kexie.search.documents import SearchDocument
from kexie.search.tasks import update_search_index


class FakeTable:
    """Stands in for an app's database table: the source the index is rebuilt from."""

    def __init__(self, rows: dict[str, str]) -> None:
        self.rows = rows
        self.loaded: list[list[str] | None] = []

    def load(self, ids):
        self.loaded.append(None if ids is None else list(ids))
        chosen = self.rows if ids is None else {i: self.rows[i] for i in ids if i in self.rows}
        return [SearchDocument(kind="team", id=i, title=title) for i, title in chosen.items()]


@pytest.fixture
def teams(backend, monkeypatch):
    # Only this test's source: the apps' own sources (experts, transfer) read the database.
    monkeypatch.setattr(search, "_sources", {})
    table = FakeTable({"1": "智能制造服务团", "2": "乡村振兴科技服务团"})
    search.register_source("team", table.load)
    yield table
    search.unregister_source("team")


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_rebuild_reads_registered_sources(teams):
    written = search.rebuild()

    assert written == 2
    assert teams.loaded == [None]
    assert set(ids(search.query("服务团", kinds=["team"]))) == {"1", "2"}


def test_refresh_indexes_found_and_deletes_missing(teams):
    search.rebuild()
    teams.rows["1"] = "工业互联网服务团"
    del teams.rows["2"]

    indexed, deleted = search.refresh(kind="team", ids=[1, 2])

    assert (indexed, deleted) == (1, 1)
    assert teams.loaded[-1] == ["1", "2"]
    assert ids(search.query("工业互联网")) == ["1"]
    assert ids(search.query("乡村振兴")) == []


def test_refresh_of_unregistered_kind_is_refused(backend):
    with pytest.raises(LookupError):
        search.refresh(kind="nothing", ids=[1])


def test_update_task_refreshes_index(teams):
    teams.rows["3"] = "海智服务团"

    update_search_index.call_local("team", ["3"])

    assert ids(search.query("海智")) == ["3"]


def test_reindex_command_rebuilds_and_reports(teams):
    out = StringIO()

    with translation.override("en"):
        call_command("reindex", "--kind", "team", stdout=out)

    assert out.getvalue().startswith("Indexed 2 documents in ")
    assert search.get_backend().count(["team"]) == 2


def test_reindex_command_refuses_unknown_kind(teams):
    with pytest.raises(CommandError):
        call_command("reindex", "--kind", "nothing", stdout=StringIO())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"limit": 0}, "limit must be between 1 and 200."),
        ({"limit": 201}, "limit must be between 1 and 200."),
        ({"offset": -1}, "offset must not be negative."),
        (
            {"ranking": "magic"},
            "Unknown ranking 'magic'; expected one of ['demand', 'matching', 'plain', 'relevance'].",
        ),
        ({"facets": ["colour"]}, "'colour' is not a valid Facet"),
    ],
)
def test_query_rejects_bad_arguments(backend, arguments, message):
    with pytest.raises(
        ValueError, match="^" + message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")
    ):
        search.query("智能制造", **arguments)


def test_index_dir_follows_setting(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "elsewhere"

    assert search.index_dir() == tmp_path / "elsewhere" / f"v{SCHEMA_VERSION}"


def test_index_dir_defaults_under_var_dir(settings):
    settings.SEARCH_INDEX_DIR = None

    assert search.index_dir() == Path(settings.VAR_DIR) / "search" / f"v{SCHEMA_VERSION}"


def test_document_rejects_kind_with_colon():
    with pytest.raises(ValueError, match="must be non-empty and contain no colon"):
        SearchDocument(kind="a:b", id=1)
