"""The hand-over registry: other apps give the publishing app items for its public lists without the
publishing app knowing them.

An app registers its kind once (``register_source``) and hands items over (``hand_over``). An item
goes through 三审三校 like any other unless the kind is declared ``pre_approved`` (its source already
went through its own approval, e.g. a 公示 decided by the review engine): then it is published at
once, still audited. Handing the same (kind, ref) over again updates nothing and returns the item.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.news import search
from kexie.news.enums import Column, VersionState
from kexie.news.models import ItemVersion, NewsItem, WorkflowStep
from kexie.news.screening import screen


@dataclass(frozen=True)
class Source:
    kind: str
    label: object
    column: str
    pre_approved: bool = False


_registry: dict[str, Source] = {}
_lock = threading.Lock()


def register_source(kind: str, *, label, column: str, pre_approved: bool = False) -> Source:
    if column not in Column.values:
        raise ImproperlyConfigured(f"news source {kind!r}: unknown column {column!r}")
    source = Source(kind=kind, label=label, column=column, pre_approved=pre_approved)
    with _lock:
        if kind in _registry and _registry[kind] != source:
            raise ImproperlyConfigured(f"news source {kind!r} registered twice")
        _registry[kind] = source
    return source


def registered() -> list[Source]:
    with _lock:
        return sorted(_registry.values(), key=lambda s: s.kind)


def unregister_source(kind: str) -> None:
    with _lock:
        _registry.pop(kind, None)


@transaction.atomic
def hand_over(
    kind: str,
    *,
    ref: str,
    title: str,
    summary: str = "",
    url: str = "",
    publish_date: date | datetime | None = None,
    organization,
    author,
) -> NewsItem:
    """One item from another app. ``organization`` is the unit answering for it, ``author`` the user
    on whose behalf it is handed over (audited)."""
    with _lock:
        source = _registry.get(kind)
    if source is None:
        raise ImproperlyConfigured(f"news source {kind!r} is not registered")
    existing = NewsItem.objects.filter(source_kind=kind, source_ref=str(ref)).first()
    if existing is not None:
        return existing
    if not (title or "").strip():
        raise ValidationError({"title": _("The title is required.")})
    when = publish_date
    if isinstance(when, date) and not isinstance(when, datetime):
        when = timezone.make_aware(datetime.combine(when, time(9, 0)))
    item = NewsItem.objects.create(
        column=source.column,
        organization=organization,
        source_kind=kind,
        source_ref=str(ref),
        external_url=url,
        created_by=author,
        updated_by=author,
    )
    body = summary or title
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        title=title.strip()[:200],
        summary=(summary or "")[:300],
        body=body,
        created_by=author,
        screen_hits=screen(title, summary),
    )
    if source.pre_approved:
        version.state = VersionState.PUBLISHED
        version.published_at = when or timezone.now()
        version.save()
        item.published_version = version
        item.save(update_fields=["published_version"])
        search.reindex_later(item.pk)
        record_event(item, "news.handed_over_published", actor=author, after={"kind": kind, "ref": str(ref)})
    else:
        version.state = VersionState.IN_REVIEW
        version.step = WorkflowStep.first()
        version.publish_at = when if when and when > timezone.now() else None
        version.save()
        record_event(item, "news.handed_over_for_review", actor=author, after={"kind": kind, "ref": str(ref)})
    return item
