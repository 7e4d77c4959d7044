"""What the transfer pages share: page size and search within a list."""

from __future__ import annotations

from kexie.core.queries import rows_in_rank_order
from kexie.search import index as search
from kexie.search.documents import Filters
from kexie.transfer.forms import (
    SearchForm,
)

PAGE_SIZE = 20


def _searched(queryset, *, kind: str, form: SearchForm, flags=()):
    """Free text through the search index (ranked ids), then the rows from the database in that order."""
    data = form.cleaned_data if form.is_valid() else {"q": "", "district": ""}
    if data.get("district"):
        queryset = queryset.filter(district=data["district"])
    if not data.get("q"):
        return queryset, None
    results = search.query(
        data["q"],
        kinds=[kind],
        filters=Filters(districts=(data["district"],) if data["district"] else (), flags=tuple(flags)),
        limit=100,
    )
    return rows_in_rank_order(queryset, results.hits), results
