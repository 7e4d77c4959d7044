"""JSON API of the public information section: what the portal shows, nothing more."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from kexie.news import queries
from kexie.news.enums import Column

router = Router(tags=["news"])


class ItemOut(Schema):
    id: int
    column: str
    title: str
    summary: str
    published_at: datetime
    url: str


def _out(item) -> dict:
    v = item.published_version
    return {
        "id": item.pk,
        "column": item.column,
        "title": v.title,
        "summary": v.summary,
        "published_at": v.published_at,
        "url": f"/news/items/{item.pk}/",
    }


@router.get("/items/", response=list[ItemOut], auth=None)
def list_items(request, column: str = "", q: str = ""):
    if column and column not in Column.values:
        raise HttpError(400, "unknown column")
    return [_out(i) for i in queries.public_items(column or None, q)[:50]]


@router.get("/items/{item_id}/", response=ItemOut, auth=None)
def get_item(request, item_id: int):
    return _out(get_object_or_404(queries.public_items(), pk=item_id))
