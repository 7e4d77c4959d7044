"""Start-up check: the PostgreSQL search backend needs a PostgreSQL database."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error
from django.db import connections


def check_search_backend(**kwargs: Any) -> list[Error]:
    if getattr(settings, "SEARCH_BACKEND", "tantivy") != "postgres":
        return []
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        return []
    return [
        Error(
            "KEXIE_SEARCH_BACKEND=postgres needs DATABASE_URL to point at PostgreSQL "
            f"(the database is {vendor}).",
            hint="Unset KEXIE_SEARCH_BACKEND to search with tantivy, or move the database to PostgreSQL.",
            id="search.E001",
        )
    ]
