"""Search fixtures: each backend in turn, installed as the process's backend.

``backend`` runs a test on tantivy (an index in a temporary directory) and on PostgreSQL (the
search tables of the test database, rolled back after the test). The PostgreSQL run is skipped
when the tests run on SQLite; CI runs the suite again with DATABASE_URL pointing at PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from kexie.search import index as search
from kexie.search.backends.base import SearchBackend
from kexie.search.backends.postgres_backend import PostgresBackend
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.search.documents import SearchDocument

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend needs DATABASE_URL=postgres://…"
)


# Both depend on ``db``: asked for late (getfixturevalue), pytest-django would not set the test
# database up when a test file runs alone, and the backend would read the development database.
@pytest.fixture(params=["tantivy", pytest.param("postgres", marks=on_postgres)])
def backend(request, tmp_path, db) -> Iterator[SearchBackend]:
    if request.param == "postgres":
        chosen: SearchBackend = PostgresBackend(lock_timeout=0.5)
    else:
        chosen = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(chosen)
    yield chosen
    search.set_backend(None)


@pytest.fixture
def tantivy_backend(tmp_path) -> Iterator[TantivyBackend]:
    chosen = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(chosen)
    yield chosen
    search.set_backend(None)


@pytest.fixture
def postgres_backend(db) -> Iterator[PostgresBackend]:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend needs DATABASE_URL=postgres://…")
    chosen = PostgresBackend(lock_timeout=0.5)
    search.set_backend(chosen)
    yield chosen
    search.set_backend(None)


def expert(ident: int, title: str, **fields) -> SearchDocument:
    return SearchDocument(kind="expert", id=ident, title=title, **fields)


@pytest.fixture
def library_documents() -> list[SearchDocument]:
    """Four experts and one demand, filed under different districts, trees, flags and years."""
    return [
        expert(
            1,
            "人工智能在智能制造中的应用",
            body="工业机器人视觉检测与深度学习。",
            keywords=["机器视觉"],
            district="500112",
            disciplines=["F0201"],
            industries=["3491"],
            flags=["available"],
            org_id=10,
            year=2022,
            activity=4,
        ),
        expert(
            2,
            "智能制造装备可靠性",
            body="数控机床故障诊断。",
            district="500101",
            disciplines=["E0510"],
            industries=["3421"],
            flags=["available", "overseas"],
            org_id=11,
            year=2016,
            activity=2,
        ),
        expert(
            3,
            "水稻种植与土壤肥力",
            body="稻谷种植技术推广。",
            district="500101",
            disciplines=["C1301"],
            industries=["0111"],
            org_id=12,
            year=2019,
            activity=1,
        ),
        expert(4, "区域经济发展研究", district="500103", disciplines=["G0301"], org_id=10, year=2010),
        SearchDocument(
            kind="demand",
            id=1,
            title="智能制造产线视觉检测",
            body="需要缺陷检测方案",
            district="500112",
            industries=["3491"],
            year=2023,
        ),
    ]
