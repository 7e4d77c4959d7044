"""Every write of the publishing app: atomic, audited, refusing bad input with a Chinese message that
names the field. 三审三校: draft → the WorkflowStep rows in order → published; each step may return."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload
from kexie.news import people, rules, search
from kexie.news.enums import Column, Decision, VersionState
from kexie.news.models import Attachment, ItemVersion, NewsItem, Review, SensitiveWord, WorkflowStep
from kexie.news.screening import screen
from kexie.policy.enums import CaseState, TaskState

# Attachments: what may be offered for download, with the content type we serve (never the sender's).
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ofd": "application/ofd",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
CONTENT_FIELDS = ["title", "summary", "body", "publish_at"]


def _err(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message}) if field else ValidationError(message)


def _check_future(publish_at, field: str = "publish_at") -> None:
    if publish_at is not None and publish_at < timezone.now():
        raise _err(
            field,
            _("The scheduled publishing time %(t)s is in the past; choose a later time or leave it empty.")
            % {"t": timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M")},
        )


def _check_text(title: str, body: str) -> None:
    if not (title or "").strip():
        raise _err("title", _("The title is required."))
    if not (body or "").strip():
        raise _err("body", _("The body is required."))


@transaction.atomic
def create_item(
    user,
    *,
    column: str,
    title: str,
    body: str,
    summary: str = "",
    organization=None,
    publish_at=None,
    topic=None,
    valid_until=None,
    expert=None,
    volunteer=None,
    source_case=None,
    source_task=None,
) -> NewsItem:
    if not rules.can_write(user):
        raise PermissionDenied
    if column not in Column.values:
        raise _err("column", _("Choose a column."))
    _check_text(title, body)
    _check_future(publish_at)
    units = rules.writing_units(user)
    if organization is None:
        if not units:
            raise _err("organization", _("Choose the department that writes the item."))
        organization = units[0]
    elif not (rules.is_leader(user) or rules.is_editor(user) or organization in units):
        raise _err("organization", _("You may only write for your own department."))
    if topic is not None and topic.column != Column.TOPIC:
        raise _err("topic", _("The chosen item is not a special topic."))
    if column == Column.PERSON:
        if expert is None and volunteer is None:
            raise _err(
                "expert", _("A typical person is linked to an expert or a volunteer; choose one of them.")
            )
        if expert is not None and volunteer is not None:
            raise _err(
                "volunteer",
                _("A typical person is either an expert or a volunteer: choose only one of them."),
            )
        if volunteer is not None and not people.volunteers_visible_to(user).filter(pk=volunteer.pk).exists():
            raise _err("volunteer", _("Choose a volunteer you may see."))
    item = NewsItem.objects.create(
        column=column,
        organization=organization,
        topic=topic,
        valid_until=valid_until if column == Column.NOTICE else None,
        expert=expert if column == Column.PERSON else None,
        volunteer=volunteer if column == Column.PERSON else None,
        source_case=source_case,
        source_task=source_task,
        created_by=user,
        updated_by=user,
    )
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        title=title.strip(),
        summary=summary.strip(),
        body=body,
        publish_at=publish_at,
        created_by=user,
    )
    record_event(item, "news.item_created", actor=user, after={"column": column, "title": version.title})
    return item


@transaction.atomic
def case_from_ledger(user, *, case=None, task=None, organization=None) -> NewsItem:
    """A 典型案例 written from a typical case of the ledger or from a completed task (both read only)."""
    if case is not None:
        if case.state != CaseState.PUBLISHED and case.task.state != TaskState.COMPLETED:
            raise _err("case", _("Only a published case or the case of a completed task can be publicised."))
        if NewsItem.objects.filter(source_case=case).exists():
            raise _err("case", _("This case has already been written up as an item."))
        return create_item(
            user,
            column=Column.CASE,
            title=case.title,
            body=case.body,
            summary=case.task.title[:300],
            organization=organization,
            source_case=case,
            source_task=case.task,
        )
    if task is None:
        raise _err("task", _("Choose a completed task or a typical case."))
    if task.state != TaskState.COMPLETED:
        raise _err("task", _("The task “%(t)s” is not completed yet.") % {"t": task.title})
    body = task.description or task.title
    return create_item(
        user,
        column=Column.CASE,
        title=task.title[:200],
        body=body,
        organization=organization,
        source_task=task,
    )


@transaction.atomic
def record_consent(user, item: NewsItem, *, note: str) -> NewsItem:
    if not rules.can_edit_item(user, item):
        raise PermissionDenied
    if item.column != Column.PERSON:
        raise _err(None, _("Consent is recorded for typical people only."))
    if not (note or "").strip():
        raise _err("consent_note", _("Say how the person gave consent (e.g. signed form of 2026-03-01)."))
    item.consent_at = timezone.now()
    item.consent_note = note.strip()
    item.updated_by = user
    item.save(update_fields=["consent_at", "consent_note", "updated_by", "updated_at"])
    record_event(item, "news.consent_recorded", actor=user, after={"note": item.consent_note})
    return item


def _working_version(item: NewsItem) -> ItemVersion | None:
    return (
        item.versions.filter(state__in=[VersionState.DRAFT, VersionState.IN_REVIEW])
        .order_by("-number")
        .first()
    )


@transaction.atomic
def update_draft(user, version: ItemVersion, *, title: str, body: str, summary: str = "", publish_at=None):
    if not rules.can_edit_item(user, version.item):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        raise _err(
            None, _("Only a draft can be edited; a published version is frozen — start a new version.")
        )
    _check_text(title, body)
    _check_future(publish_at)
    version.title, version.summary, version.body, version.publish_at = (
        title.strip(),
        summary.strip(),
        body,
        publish_at,
    )
    version.save()
    record_event(
        version.item, "news.draft_updated", actor=user, after={"version": version.number, "title": title}
    )
    return version


@transaction.atomic
def new_version(user, item: NewsItem) -> ItemVersion:
    """Change a published item: a new draft copied from the published version, with its own review."""
    if not rules.can_edit_item(user, item):
        raise PermissionDenied
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if _working_version(item) is not None:
        raise _err(None, _("This item already has a version in draft or in review."))
    if item.withdrawn_at is not None:
        raise _err(None, _("A withdrawn item cannot be changed."))
    base = item.published_version or item.latest_version
    version = ItemVersion.objects.create(
        item=item,
        number=item.versions.count() + 1,
        title=base.title,
        summary=base.summary,
        body=base.body,
        created_by=user,
    )
    for att in base.attachments.all():
        Attachment.objects.create(
            version=version, file=att.file.name, name=att.name, content_type=att.content_type, size=att.size
        )
    record_event(item, "news.version_started", actor=user, after={"version": version.number})
    return version


@transaction.atomic
def submit(user, version: ItemVersion) -> ItemVersion:
    """Send a draft to the first step. The sensitive-word screen runs here; what it finds is stored on
    the version and shown to every reviewer (nothing is replaced)."""
    if not rules.can_edit_item(user, version.item):
        raise PermissionDenied
    _check_future(version.publish_at)
    item = version.item
    if item.column == Column.PERSON and item.consent_at is None:
        raise _err(
            "consent_note", _("Record the person's consent before sending a typical person to review.")
        )
    first = WorkflowStep.first()
    hits = screen(version.title, version.summary, version.body)
    version = transition(
        version,
        expected=VersionState.DRAFT,
        values={"state": VersionState.IN_REVIEW, "step": first, "screen_hits": hits},
    )
    record_event(
        version.item, "news.submitted", actor=user, after={"version": version.number, "screen_hits": hits}
    )
    return version


@transaction.atomic
def review(
    user,
    version: ItemVersion,
    *,
    decision: str,
    comment: str = "",
    acknowledge_hits: bool = False,
    publish_at=None,
) -> ItemVersion:
    """Pass or return at the version's current step. Passing the last step publishes (at ``publish_at``
    when given, which must not be in the past)."""
    item = version.item
    step = version.step
    if version.state != VersionState.IN_REVIEW or step is None:
        raise _err(None, _("This version is not waiting for a review."))
    if item.withdrawn_at is not None:
        raise _err(None, _("This item has been withdrawn: it can no longer be reviewed."))
    if not rules.can_act_at_step(user, step, item):
        raise PermissionDenied
    comment = (comment or "").strip()
    if decision == Decision.RETURN:
        if not comment:
            raise _err("comment", _("Say why the item is returned: the comment is required."))
        transition(
            version, expected=VersionState.IN_REVIEW, values={"state": VersionState.DRAFT, "step": None}
        )
        Review.objects.create(version=version, step=step, decision=decision, comment=comment, reviewer=user)
        record_event(item, "news.returned", actor=user, after={"step": step.code, "comment": comment})
        return version
    if decision != Decision.PASS:
        raise _err("decision", _("Choose pass or return."))
    # The screen runs again: the word list may have grown since submission.
    hits = screen(version.title, version.summary, version.body)
    if hits and not acknowledge_hits:
        raise _err(
            "acknowledge_hits",
            _(
                "The text contains the screened words %(w)s. Read them in context and confirm, "
                "or return the item."
            )
            % {"w": "、".join(f"“{h}”" for h in hits)},
        )
    following = step.next()
    Review.objects.create(
        version=version, step=step, decision=decision, comment=comment, reviewer=user, acknowledged_hits=hits
    )
    if following is not None:
        transition(
            version,
            expected=VersionState.IN_REVIEW,
            values={"step": following, "screen_hits": hits},
            field="state",
        )
        record_event(
            item, "news.passed", actor=user, after={"step": step.code, "next": following.code, "hits": hits}
        )
        return version
    if publish_at is None and version.publish_at and version.publish_at > timezone.now():
        publish_at = version.publish_at  # the writer's schedule, still ahead
    # A schedule the writer set that passed during review publishes now; one typed now must be ahead.
    return _publish(user, version, publish_at=publish_at)


def _publish(user, version: ItemVersion, *, publish_at=None) -> ItemVersion:
    _check_future(publish_at)
    item = NewsItem.objects.select_for_update().get(pk=version.item_id)
    when = publish_at or timezone.now()
    previous = item.published_version
    transition(
        version,
        expected=VersionState.IN_REVIEW,
        values={
            "state": VersionState.PUBLISHED,
            "step": None,
            "published_at": when,
            "publish_at": publish_at,
        },
    )
    if previous is not None and previous.pk != version.pk:
        transition(previous, expected=VersionState.PUBLISHED, values={"state": VersionState.SUPERSEDED})
    item.published_version = version
    item.updated_by = user
    item.save(update_fields=["published_version", "updated_by", "updated_at"])
    search.reindex_later(item.pk)
    record_event(item, "news.published", actor=user, after={"version": version.number, "published_at": when})
    return version


def publish(user, version: ItemVersion, *, publish_at=None, acknowledge_hits: bool = False) -> ItemVersion:
    """Publishing is the final review's pass: refused anywhere else."""
    last = WorkflowStep.objects.order_by("-order").first()
    if version.state != VersionState.IN_REVIEW or version.step_id != last.pk:
        raise _err(
            None,
            _("The item cannot be published before it has passed the final review (%(s)s).")
            % {"s": last.name},
        )
    return review(
        user, version, decision=Decision.PASS, publish_at=publish_at, acknowledge_hits=acknowledge_hits
    )


@transaction.atomic
def withdraw(user, item: NewsItem, *, reason: str) -> NewsItem:
    if not rules.can_withdraw(user):
        raise PermissionDenied
    if not (reason or "").strip():
        raise _err("reason", _("The reason for withdrawal is required."))
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if item.published_version is None or item.withdrawn_at is not None:
        raise _err(None, _("Only a published item can be withdrawn."))
    transition(
        item.published_version, expected=VersionState.PUBLISHED, values={"state": VersionState.WITHDRAWN}
    )
    item.withdrawn_at = timezone.now()
    item.withdrawn_by = user
    item.withdrawal_reason = reason.strip()
    item.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
    search.reindex_later(item.pk)
    record_event(item, "news.withdrawn", actor=user, after={"reason": item.withdrawal_reason})
    return item


@transaction.atomic
def add_attachment(user, version: ItemVersion, upload) -> Attachment:
    if not rules.can_edit_item(user, version.item):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        raise _err("file", _("Attachments can only be added to a draft."))
    name = Path(getattr(upload, "name", "") or "").name
    extension = Path(name).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise _err(
            "file",
            _("“%(name)s”: only %(allowed)s files can be attached.")
            % {"name": name, "allowed": "、".join(ATTACHMENT_TYPES)},
        )
    if getattr(upload, "size", 0) > MAX_ATTACHMENT_BYTES:
        raise _err("file", _("“%(name)s” is larger than 20 MB.") % {"name": name})
    try:
        check_upload(upload, name=name)
    except ValidationError as exc:
        raise _err("file", " ".join(exc.messages)) from exc
    content_type = (
        ATTACHMENT_TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    att = Attachment(
        version=version, name=name[:200], content_type=content_type, size=getattr(upload, "size", 0)
    )
    att.file.save(name, upload, save=False)
    att.save()
    record_event(
        version.item, "news.attachment_added", actor=user, after={"name": name, "type": content_type}
    )
    return att


@transaction.atomic
def add_sensitive_word(user, *, word: str, note: str = "") -> SensitiveWord:
    if not rules.can_manage_words(user):
        raise PermissionDenied
    word = (word or "").strip()
    if not word:
        raise _err("word", _("The word is required."))
    if SensitiveWord.objects.filter(word=word).exists():
        raise _err("word", _("“%(w)s” is already on the list.") % {"w": word})
    entry = SensitiveWord.objects.create(word=word, note=note.strip(), created_by=user, updated_by=user)
    record_event(entry, "news.word_added", actor=user, after={"word": word})
    return entry


@transaction.atomic
def remove_sensitive_word(user, entry: SensitiveWord) -> None:
    if not rules.can_manage_words(user):
        raise PermissionDenied
    record_event(entry, "news.word_removed", actor=user, before={"word": entry.word})
    entry.delete()
