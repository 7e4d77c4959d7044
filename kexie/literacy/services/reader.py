"""Literacy services: reader."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization, User
from kexie.core.services import record_event, snapshot
from kexie.literacy import rules
from kexie.literacy.enums import PublishState
from kexie.literacy.models import (
    Chapter,
    ReaderVisit,
)


@transaction.atomic
def save_chapter(
    *, by: User, chapter: Chapter | None = None, number: int, title: str, summary: str, body: str, questions
) -> Chapter:
    if not rules.can_manage_chapters(by):
        raise PermissionDenied
    if not title.strip() or not body.strip():
        raise ValidationError({"title": _("Enter a title and the text.")})
    created = chapter is None
    chapter = chapter or Chapter(created_by=by)
    chapter.number, chapter.title, chapter.summary, chapter.body = (
        number,
        title.strip(),
        summary.strip(),
        body.strip(),
    )
    chapter.save()
    chapter.questions.set(questions)
    record_event(
        chapter,
        "literacy.chapter.create" if created else "literacy.chapter.update",
        actor=by,
        after=snapshot(chapter, ["number", "title", "state"]),
    )
    return chapter


@transaction.atomic
def publish_chapter(*, chapter: Chapter, by: User) -> Chapter:
    if not rules.can_manage_chapters(by):
        raise PermissionDenied
    if not Chapter.objects.filter(pk=chapter.pk, state=PublishState.DRAFT).update(
        state=PublishState.PUBLISHED, published_at=timezone.now()
    ):
        raise ValidationError(_("The chapter is already published."))
    chapter.refresh_from_db()
    record_event(chapter, "literacy.chapter.publish", actor=by)
    return chapter


def record_reader_visit(*, chapter: Chapter, district: Organization | None, day: date | None = None) -> None:
    """Count a reading. A page view is a counter, not an act with business meaning: no audit event."""
    day = day or timezone.localdate()
    with transaction.atomic():
        visit, _created = ReaderVisit.objects.get_or_create(chapter=chapter, district=district, day=day)
        ReaderVisit.objects.filter(pk=visit.pk).update(count=F("count") + 1)
