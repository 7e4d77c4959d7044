"""The public information section on the portal (kexie.core.portal): the latest 通知公告, 新闻动态 and
典型案例, and links to every column."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kexie.core.portal import portal
from kexie.news import queries
from kexie.news.enums import Column


def _public(request) -> dict | None:
    notices = list(queries.public_items(Column.NOTICE)[:4])
    news = list(queries.public_items(Column.NEWS)[:4])
    cases = list(queries.public_items(Column.CASE)[:3])
    if not notices and not news and not cases:
        return None
    return {"notices": notices, "news": news, "cases": cases, "columns": list(Column)}


portal.register(
    "news.latest",
    title=_("Public information"),
    template="news/_portal.html",
    context=_public,
    order=25,
)
