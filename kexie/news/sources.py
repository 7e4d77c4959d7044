"""The hand-over registry: other apps give the publishing app items for its public lists without the
publishing app knowing them.

An app says what it hands over in its own ``<app>/news.py`` (imported automatically, like
``indicators.py`` and ``todos.py``): ``register_source(kind, label=, column=, pre_approved=, items=,
live=)``. ``items()`` lists what the source shows the public now, as ``Handover`` records; ``live()``
the references of those (a queryset of strings or a list), cheap enough for every public read.

- ``sync_sources()`` (a Huey job every ten minutes, the 同步 button of the publishing page, the demo)
  hands over what is new: it goes through 三审三校 like any other item unless the kind is declared
  ``pre_approved`` (the source already went through its own approval, e.g. a 公示 decided by the review
  engine): then it is published at once, still audited and screened. What the source no longer shows
  is withdrawn here too (audited, ``withdrawn_by_source``), and restored if the source shows it again.
- The public queries keep only references the source still shows (``live_condition``), so an item
  withdrawn or unpublished at the source is gone from the lists, feeds, sitemap and search at once,
  before the next sync records it.

``hand_over`` hands one item over directly (kinds without ``items``). Handing the same (kind, ref)
over again updates nothing and returns the item.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.news import search
from kexie.news.enums import Column, VersionState
from kexie.news.models import ItemVersion, NewsItem, WorkflowStep
from kexie.news.screening import screen


@dataclass(frozen=True)
class Handover:
    """One item a source shows the public now. ``organization`` is the unit answering for it (its
    department head acts at 复审), ``author`` the user on whose behalf it is handed over (or None)."""

    ref: str
    title: str
    organization: object
    summary: str = ""
    url: str = ""
    publish_date: date | datetime | None = None
    author: object = None


@dataclass(frozen=True)
class Source:
    kind: str
    label: object
    column: str
    pre_approved: bool = False
    items: Callable[[], Iterable[Handover]] | None = field(default=None, compare=False)
    live: Callable[[], Iterable[str]] | None = field(default=None, compare=False)


_registry: dict[str, Source] = {}
_lock = threading.Lock()
_discovered = False


def autodiscover() -> None:
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        autodiscover_modules("news")
        _discovered = True


def register_source(
    kind: str,
    *,
    label,
    column: str,
    pre_approved: bool = False,
    items: Callable[[], Iterable[Handover]] | None = None,
    live: Callable[[], Iterable[str]] | None = None,
) -> Source:
    if column not in Column.values:
        raise ImproperlyConfigured(f"news source {kind!r}: unknown column {column!r}")
    if live is not None and items is None:
        raise ImproperlyConfigured(f"news source {kind!r}: live= needs items=")
    source = Source(kind=kind, label=label, column=column, pre_approved=pre_approved, items=items, live=live)
    with _lock:
        if kind in _registry and _registry[kind] != source:
            raise ImproperlyConfigured(f"news source {kind!r} registered twice")
        _registry[kind] = source
    return source


def registered() -> list[Source]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda s: s.kind)


def live_refs(source: Source):
    """The references a listing source shows now (None for a kind handed over item by item)."""
    if source.items is None:
        return None
    if source.live is not None:
        return source.live()
    return [str(h.ref) for h in source.items()]


def live_condition(prefix: str = "") -> Q:
    """Items written here, items of kinds handed over one by one, and items of listing sources whose
    reference the source still shows. An item of a kind no longer registered is not shown."""
    condition = Q(**{f"{prefix}source_kind": ""})
    for source in registered():
        refs = live_refs(source)
        if refs is None:
            condition |= Q(**{f"{prefix}source_kind": source.kind})
        else:
            condition |= Q(**{f"{prefix}source_kind": source.kind, f"{prefix}source_ref__in": refs})
    return condition


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
    author=None,
) -> NewsItem:
    """One item from another app. ``organization`` is the unit answering for it, ``author`` the user
    on whose behalf it is handed over (audited)."""
    autodiscover()
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
    # The source's summary is the text of the item (shown once); the full text stays at the source's URL.
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        title=title.strip()[:200],
        summary="",
        body=(summary or "").strip() or title.strip(),
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


@dataclass
class SyncReport:
    handed_over: int = 0
    withdrawn: int = 0
    restored: int = 0
    refused: list[str] = field(default_factory=list)


def _withdraw_at_source(item: NewsItem, by) -> None:
    item.withdrawn_at = timezone.now()
    item.withdrawn_by = None
    item.withdrawn_by_source = True
    item.withdrawal_reason = _("Withdrawn or no longer public at the source.")
    item.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_by_source", "withdrawal_reason"])
    search.reindex_later(item.pk)
    record_event(
        item, "news.source_withdrawn", actor=by, after={"kind": item.source_kind, "ref": item.source_ref}
    )


def _restore(item: NewsItem, by) -> None:
    item.withdrawn_at = None
    item.withdrawn_by_source = False
    item.withdrawal_reason = ""
    item.save(update_fields=["withdrawn_at", "withdrawn_by_source", "withdrawal_reason"])
    search.reindex_later(item.pk)
    record_event(
        item, "news.source_restored", actor=by, after={"kind": item.source_kind, "ref": item.source_ref}
    )


def sync_sources(*, kinds: Iterable[str] | None = None, by=None) -> SyncReport:
    """Follow every listing source: hand over what it shows and we lack, withdraw what it no longer
    shows (unless withdrawn here already), restore what it shows again after such a withdrawal. An item
    withdrawn by an editor (撤稿) stays withdrawn. One transaction per source; a record the registry
    refuses (no title) is reported and skipped, the others go on."""
    report = SyncReport()
    wanted = set(kinds) if kinds is not None else None
    # Titles and reasons are stored text: written in the site's language, whoever triggers the sync.
    with translation.override(settings.LANGUAGE_CODE):
        for source in registered():
            if source.items is None or (wanted is not None and source.kind not in wanted):
                continue
            _sync_one(source, report, by)
    return report


@transaction.atomic
def _sync_one(source: Source, report: SyncReport, by) -> None:
    current = {str(h.ref): h for h in source.items()}
    existing = {i.source_ref: i for i in NewsItem.objects.select_for_update().filter(source_kind=source.kind)}
    for ref, record in current.items():
        item = existing.get(ref)
        if item is None:
            try:
                hand_over(
                    source.kind,
                    ref=ref,
                    title=record.title,
                    summary=record.summary,
                    url=record.url,
                    publish_date=record.publish_date,
                    organization=record.organization,
                    author=record.author or by,
                )
            except ValidationError:
                report.refused.append(f"{source.kind}:{ref}")
                continue
            report.handed_over += 1
        elif item.withdrawn_by_source:
            _restore(item, by)
            report.restored += 1
    for ref, item in existing.items():
        if ref not in current and item.withdrawn_at is None:
            _withdraw_at_source(item, by)
            report.withdrawn += 1
