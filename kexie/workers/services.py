"""Write side of needs (measure 6), joint meetings and the archive (measure 5). Every write is atomic,
checked against the rules and recorded in the audit chain."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.core import reference, workdays
from kexie.core.services import notify, record_event, snapshot
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload, read_upload
from kexie.policy import rules as policy_rules
from kexie.policy.enums import TaskSource
from kexie.policy.services import create_task, record_progress
from kexie.workers import rules
from kexie.workers.enums import AccessLevel, NeedState, Rating
from kexie.workers.models import (
    ArchiveCollection,
    ArchiveItem,
    JointMeeting,
    JointMeetingMember,
    MeetingDecision,
    Need,
    NeedAttachment,
    NeedCategory,
    NeedReply,
)

NEED_FIELDS = [
    "receipt",
    "category_id",
    "title",
    "anonymous",
    "district",
    "state",
    "routed_to_id",
    "reply_due",
]
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
NEED_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")
ARCHIVE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".docx", ".mp3", ".wav", ".mp4")
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
DEFAULT_REPLY_WORKDAYS = 10


def _check_files(files, *, extensions, limit_bytes, limit_count, field: str) -> list[tuple[str, bytes]]:
    files = list(files or [])
    if len(files) > limit_count:
        raise ValidationError({field: _("At most %(n)s files may be attached.") % {"n": limit_count}})
    checked = []
    for upload in files:
        name = Path(getattr(upload, "name", "") or "file").name
        if Path(name).suffix.lower() not in extensions:
            raise ValidationError(
                {
                    field: _("“%(name)s”: only %(allowed)s files are accepted here.")
                    % {"name": name, "allowed": "、".join(extensions)}
                }
            )
        size = getattr(upload, "size", None)
        if size is not None and size > limit_bytes:
            raise ValidationError(
                {
                    field: _("“%(name)s” is larger than %(mb)s MB.")
                    % {"name": name, "mb": limit_bytes // 1024 // 1024}
                }
            )
        try:
            check_upload(upload, name=name)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from exc
        data = read_upload(upload)
        if len(data) > limit_bytes:
            raise ValidationError(
                {
                    field: _("“%(name)s” is larger than %(mb)s MB.")
                    % {"name": name, "mb": limit_bytes // 1024 // 1024}
                }
            )
        checked.append((name, data))
    return checked


def _clean_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip().replace(" ", "").replace("-", "")
    if mobile and not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
        raise ValidationError({"contact_mobile": _("A mobile number has 11 digits and starts with 1.")})
    return mobile


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise ValidationError({"contact_email": _("Enter a valid e-mail address.")}) from None
    return email


def _unit_members(unit: Organization):
    """The unit's staff and head, who answer its needs."""
    return [
        m
        for m in unit.memberships.select_related("user")
        if m.is_active and m.role in rules.UNIT_ROLES and m.user.is_active
    ]


NEED_CATEGORIES = [
    ("housing", "人才住房"),
    ("settling", "安家补助"),
    ("funding", "经费管理"),
    ("projects", "项目申报"),
    ("evaluation", "人才评价"),
    ("schooling", "子女入学"),
    ("titles", "职称"),
    ("other", "其他"),
]


def ensure_need_categories() -> None:
    """The notice's eight categories (also written by migration 0002; again after a database flush)."""
    for order, (code, name) in enumerate(NEED_CATEGORIES, start=1):
        NeedCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


# ---- needs ------------------------------------------------------------------------------------


@transaction.atomic
def file_need(
    *,
    by,
    category: NeedCategory,
    title: str,
    description: str,
    anonymous: bool = False,
    contact_mobile: str = "",
    contact_email: str = "",
    district: str = "",
    organization_name: str = "",
    files=(),
) -> Need:
    """A sci-tech worker files a need; the receipt number is returned on the need."""
    if not rules.can_file_need(by):
        raise PermissionDenied
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the need a short title.")
    if len((description or "").strip()) < 10:
        errors["description"] = _("Describe the need in at least 10 characters.")
    if category is None or not category.active:
        errors["category"] = _("Choose a category.")
    if district and district not in reference.districts():
        errors["district"] = _("Unknown district code “%(code)s”.") % {"code": district}
    if errors:
        raise ValidationError(errors)
    mobile = _clean_mobile(contact_mobile)
    email = _clean_email(contact_email)
    if anonymous and not (mobile or email):
        raise ValidationError(
            {
                "contact_mobile": _(
                    "An anonymous need still needs a way to reach you: give a mobile number or an e-mail "
                    "address (only the association's staff see them)."
                )
            }
        )
    checked = _check_files(
        files,
        extensions=NEED_EXTENSIONS,
        limit_bytes=MAX_ATTACHMENT_BYTES,
        limit_count=MAX_ATTACHMENTS,
        field="files",
    )
    need = Need.objects.create(
        receipt=f"tmp{uuid.uuid4().hex[:16]}",  # replaced by the receipt number below
        filer=by,
        category=category,
        title=title.strip()[:120],
        description=description.strip(),
        anonymous=anonymous,
        contact_mobile=mobile,
        contact_email=email,
        district=district,
        organization_name=organization_name.strip()[:120],
        created_by=by,
        updated_by=by,
    )
    need.receipt = f"SQ{timezone.localdate().year}{need.pk:06d}"
    need.save(update_fields=["receipt"])
    for name, data in checked:
        attachment = NeedAttachment(
            need=need, name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        attachment.file.save(name, ContentFile(data), save=False)
        attachment.save()
    record_event(need, "workers.need.file", actor=by, after=snapshot(need, NEED_FIELDS))
    _reindex(need)
    return need


def _reindex(need: Need) -> None:
    from kexie.workers.search import reindex_needs_later  # noqa: PLC0415 - search imports models

    reindex_needs_later([need.pk])


@transaction.atomic
def merge_need(*, need: Need, into: Need, by) -> Need:
    """A duplicate is merged into an earlier need: its filer follows the earlier one's answer."""
    if not rules.can_triage(by):
        raise PermissionDenied
    if need.pk == into.pk:
        raise ValidationError({"into": _("A need cannot be merged into itself.")})
    if into.state == NeedState.MERGED:
        raise ValidationError(
            {
                "into": _("Need %(receipt)s was itself merged; merge into the need it was merged into.")
                % {"receipt": into.receipt}
            }
        )
    before = snapshot(need, NEED_FIELDS)
    need = transition(
        need,
        expected=[NeedState.SUBMITTED],
        values={"state": NeedState.MERGED, "merged_into": into, "updated_by": by},
        message=_("Only a need waiting for triage can be merged."),
    )
    record_event(
        need,
        "workers.need.merge",
        actor=by,
        before=before,
        after={**snapshot(need, NEED_FIELDS), "into": into.receipt},
    )
    notify(
        user=need.filer,
        title=_("Your need %(receipt)s was merged with %(other)s")
        % {"receipt": need.receipt, "other": into.receipt},
        body=_("You will be informed of the reply to the need it was merged with."),
        url=f"/workers/needs/{need.pk}/",
    )
    _reindex(need)
    return need


@transaction.atomic
def route_need(
    *, need: Need, unit: Organization, by, workdays_to_reply: int = DEFAULT_REPLY_WORKDAYS
) -> Need:
    """Send a need to the responsible unit with a reply deadline in working days; a 督办 task of that
    unit (source: need) makes the deadline visible in the supervision ledger."""
    if not rules.can_triage(by):
        raise PermissionDenied
    if not 1 <= workdays_to_reply <= 60:
        raise ValidationError({"workdays": _("The reply period is 1 to 60 working days.")})
    today = timezone.localdate()
    due = workdays.add_workdays(today, workdays_to_reply)
    before = snapshot(need, NEED_FIELDS)
    need = transition(
        need,
        expected=[NeedState.SUBMITTED],
        values={
            "state": NeedState.ROUTED,
            "routed_to": unit,
            "routed_at": timezone.now(),
            "reply_due": due,
            "updated_by": by,
        },
        message=_("Only a need waiting for triage can be routed."),
    )
    task = create_task(
        title=_("Reply to need %(receipt)s: %(title)s") % {"receipt": need.receipt, "title": need.title},
        lead=unit,
        by=by,
        due_date=due,
        description=_("A sci-tech worker's need (%(category)s). Reply on the need's page: %(url)s")
        % {"category": need.category.name, "url": f"/workers/needs/{need.pk}/"},
        source=TaskSource.NEED,
        source_ref=need.receipt,
    )
    Need.objects.filter(pk=need.pk).update(task=task)
    need.refresh_from_db()
    record_event(need, "workers.need.route", actor=by, before=before, after=snapshot(need, NEED_FIELDS))
    for member in _unit_members(unit):
        notify(
            user=member.user,
            title=_("Need %(receipt)s to answer by %(due)s")
            % {"receipt": need.receipt, "due": due.isoformat()},
            url=f"/workers/needs/{need.pk}/",
        )
    notify(
        user=need.filer,
        title=_("Your need %(receipt)s was sent to %(unit)s") % {"receipt": need.receipt, "unit": unit.name},
        body=_("Reply due by %(due)s.") % {"due": due.isoformat()},
        url=f"/workers/needs/{need.pk}/",
    )
    return need


@transaction.atomic
def reply_need(*, need: Need, text: str, by) -> NeedReply:
    if not rules.can_reply(by, need):
        raise PermissionDenied
    if len((text or "").strip()) < 10:
        raise ValidationError({"text": _("Write a reply of at least 10 characters.")})
    round_ = 2 if need.reopened else 1
    before = snapshot(need, NEED_FIELDS)
    need = transition(
        need,
        expected=[NeedState.ROUTED, NeedState.REOPENED],
        values={"state": NeedState.REPLIED, "updated_by": by},
        message=_("This need is not waiting for a reply."),
    )
    on_time = need.reply_due is None or timezone.localdate() <= need.reply_due
    reply = NeedReply.objects.create(
        need=need,
        round=round_,
        text=text.strip(),
        replied_by=by,
        organization=need.routed_to,
        on_time=on_time,
    )
    if need.task_id and policy_rules.can_report(by, need.task):
        record_progress(
            task=need.task, text=_("Replied: %(text)s") % {"text": text.strip()[:500]}, files=[], by=by
        )
    record_event(
        need,
        "workers.need.reply",
        actor=by,
        before=before,
        after={**snapshot(need, NEED_FIELDS), "round": round_, "on_time": on_time},
    )
    notify(
        user=need.filer,
        title=_("Your need %(receipt)s has a reply") % {"receipt": need.receipt},
        body=_("Please rate the reply."),
        url=f"/workers/needs/{need.pk}/",
    )
    return reply


@transaction.atomic
def rate_reply(*, need: Need, rating: str, reason: str = "", by) -> Need:
    """The filer rates the latest reply. 不满意 reopens the need once (a second reply is due in the
    same number of working days); after that the need closes whatever the rating."""
    if not rules.can_rate(by, need):
        raise PermissionDenied
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    if rating == Rating.UNSATISFIED and len((reason or "").strip()) < 4:
        raise ValidationError({"reason": _("Tell us why you are not satisfied (at least 4 characters).")})
    reply = need.replies.order_by("-round").first()
    if reply is None or need.state != NeedState.REPLIED:
        raise ValidationError(_("There is no reply to rate."))
    if reply.rating:
        raise ValidationError(_("You have already rated this reply."))
    updated = NeedReply.objects.filter(pk=reply.pk, rating="").update(
        rating=rating, rating_reason=(reason or "").strip(), rated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("You have already rated this reply."))
    before = snapshot(need, NEED_FIELDS)
    if rating == Rating.UNSATISFIED and not need.reopened:
        period = DEFAULT_REPLY_WORKDAYS
        if need.routed_at and need.reply_due:
            period = max(
                1, workdays.workdays_between(timezone.localtime(need.routed_at).date(), need.reply_due)
            )
        due = workdays.add_workdays(timezone.localdate(), period)
        need = transition(
            need,
            expected=[NeedState.REPLIED],
            values={"state": NeedState.REOPENED, "reopened": True, "reply_due": due, "updated_by": by},
        )
        for member in _unit_members(need.routed_to):
            notify(
                user=member.user,
                title=_("Need %(receipt)s reopened: the scientist is not satisfied")
                % {"receipt": need.receipt},
                body=reason,
                url=f"/workers/needs/{need.pk}/",
            )
    else:
        need = transition(
            need,
            expected=[NeedState.REPLIED],
            values={"state": NeedState.CLOSED, "closed_at": timezone.now(), "updated_by": by},
        )
    record_event(
        need,
        "workers.need.rate",
        actor=by,
        before=before,
        after={**snapshot(need, NEED_FIELDS), "rating": rating},
    )
    return need


# ---- joint meetings ---------------------------------------------------------------------------


@transaction.atomic
def add_member_unit(*, organization: Organization, by, contact_role: str = "") -> JointMeetingMember:
    if not rules.can_manage_meetings(by):
        raise PermissionDenied
    member, created = JointMeetingMember.objects.get_or_create(
        organization=organization, defaults={"contact_role": contact_role, "joined": timezone.localdate()}
    )
    if created:
        record_event(member, "workers.member.add", actor=by, after={"organization": organization.name})
    return member


@transaction.atomic
def record_meeting(
    *, title: str, held_on: date, by, place: str = "", minutes: str = "", attendees=()
) -> JointMeeting:
    if not rules.can_manage_meetings(by):
        raise PermissionDenied
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the meeting a title.")})
    meeting = JointMeeting.objects.create(
        title=title.strip(), held_on=held_on, place=place, minutes=minutes, created_by=by, updated_by=by
    )
    meeting.attendees.set(attendees)
    record_event(
        meeting, "workers.meeting.record", actor=by, after={"title": meeting.title, "held_on": held_on}
    )
    return meeting


@transaction.atomic
def add_decision(
    *, meeting: JointMeeting, text: str, responsible: JointMeetingMember, due_date: date, by
) -> MeetingDecision:
    """A decision of the joint meeting, and the 督办 task (source: meeting) of the member unit."""
    if not rules.can_manage_meetings(by):
        raise PermissionDenied
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the decision.")})
    if due_date < meeting.held_on:
        raise ValidationError({"due_date": _("The due date cannot be before the meeting.")})
    decision = MeetingDecision.objects.create(
        meeting=meeting, text=text.strip(), responsible=responsible, due_date=due_date
    )
    task = create_task(
        title=text.strip()[:300],
        lead=responsible.organization,
        by=by,
        due_date=due_date,
        description=_("Decision of the joint meeting “%(meeting)s” (%(date)s).")
        % {"meeting": meeting.title, "date": meeting.held_on},
        source=TaskSource.MEETING,
        source_ref=f"{meeting.title} #{decision.pk}",
    )
    MeetingDecision.objects.filter(pk=decision.pk).update(task=task)
    decision.refresh_from_db()
    record_event(
        decision,
        "workers.meeting.decision",
        actor=by,
        after={"meeting": meeting.title, "responsible": responsible.organization.name},
    )
    return decision


# ---- archive ----------------------------------------------------------------------------------

REQUIRED_ITEM_FIELDS = {
    "title": "题名",
    "creator": "责任者",
    "date": "日期",
    "item_type": "类型",
    "rights": "权利",
    "provenance": "来源",
    "access": "开放级别",
}


@transaction.atomic
def create_collection(
    *,
    scientist_name: str,
    by,
    born=None,
    field: str = "",
    biography: str = "",
    access: str = AccessLevel.INTERNAL,
    expert=None,
) -> ArchiveCollection:
    if not rules.can_manage_archive(by):
        raise PermissionDenied
    if not (scientist_name or "").strip():
        raise ValidationError({"scientist_name": _("Name the scientist.")})
    if access not in AccessLevel.values:
        raise ValidationError({"access": _("Choose an access level.")})
    collection = ArchiveCollection.objects.create(
        scientist_name=scientist_name.strip(),
        born=born,
        field=field,
        biography=biography,
        access=access,
        expert=expert,
        created_by=by,
        updated_by=by,
    )
    record_event(
        collection,
        "workers.archive.collection",
        actor=by,
        after={"scientist": collection.scientist_name, "access": access},
    )
    return collection


def _valid_date(text: str) -> bool:
    parts = (text or "").split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return False
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        date(year, month, day)
    except ValueError:
        return False
    return 1800 <= year <= 2100 and len(parts[0]) == 4


@transaction.atomic
def add_archive_item(*, collection: ArchiveCollection, by, upload, **metadata) -> ArchiveItem:
    """Catalogue one item: required Dublin Core metadata, the file checked and stored with its SHA-256."""
    if not rules.can_manage_archive(by):
        raise PermissionDenied
    errors = {}
    for field, label in REQUIRED_ITEM_FIELDS.items():
        if not str(metadata.get(field) or "").strip():
            errors[field] = _("%(field)s is required in the catalogue record.") % {"field": label}
    if metadata.get("date") and not _valid_date(metadata["date"]):
        errors["date"] = _("Write the date as YYYY, YYYY-MM or YYYY-MM-DD.")
    if metadata.get("access") and metadata["access"] not in AccessLevel.values:
        errors["access"] = _("Choose an access level.")
    if upload is None:
        errors["file"] = _("Attach the digitised file.")
    if errors:
        raise ValidationError(errors)
    [(name, data)] = _check_files(
        [upload], extensions=ARCHIVE_EXTENSIONS, limit_bytes=MAX_ARCHIVE_BYTES, limit_count=1, field="file"
    )
    year = timezone.localdate().year
    item = ArchiveItem(
        collection=collection,
        identifier=f"tmp{uuid.uuid4().hex[:16]}",
        title=metadata["title"].strip(),
        creator=metadata["creator"].strip(),
        date=metadata["date"].strip(),
        item_type=metadata["item_type"],
        extent=(metadata.get("extent") or "").strip(),
        description=(metadata.get("description") or "").strip(),
        subject=(metadata.get("subject") or "").strip(),
        rights=metadata["rights"].strip(),
        provenance=metadata["provenance"].strip(),
        access=metadata["access"],
        file_name=name,
        file_format=Path(name).suffix.lower().lstrip(".").upper(),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        verified_at=timezone.now(),
        created_by=by,
        updated_by=by,
    )
    item.file.save(name, ContentFile(data), save=False)
    item.save()
    item.identifier = f"LKX-{year}-{item.pk:05d}"
    item.save(update_fields=["identifier"])
    record_event(
        item,
        "workers.archive.item",
        actor=by,
        after={
            "identifier": item.identifier,
            "title": item.title,
            "access": item.access,
            "sha256": item.sha256,
        },
    )
    from kexie.workers.search import reindex_items_later  # noqa: PLC0415

    reindex_items_later([item.pk])
    return item


@transaction.atomic
def set_item_access(*, item: ArchiveItem, access: str, by) -> ArchiveItem:
    if not rules.can_manage_archive(by):
        raise PermissionDenied
    if access not in AccessLevel.values:
        raise ValidationError({"access": _("Choose an access level.")})
    before = {"access": item.access}
    ArchiveItem.objects.filter(pk=item.pk).update(access=access, updated_by=by, updated_at=timezone.now())
    item.refresh_from_db()
    record_event(item, "workers.archive.access", actor=by, before=before, after={"access": access})
    from kexie.workers.search import reindex_items_later  # noqa: PLC0415

    reindex_items_later([item.pk])
    return item


def verify_archive(*, by=None) -> dict:
    """Re-read every stored file and compare its SHA-256 (the scheduled fixity check)."""
    checked = failed = 0
    for item in ArchiveItem.objects.order_by("pk").iterator():
        digest = hashlib.sha256()
        try:
            with item.file.open("rb") as handle:
                for chunk in iter(lambda handle=handle: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
            ok = digest.hexdigest() == item.sha256
        except OSError:
            ok = False
        checked += 1
        if not ok:
            failed += 1
        ArchiveItem.objects.filter(pk=item.pk).update(verified_at=timezone.now(), verify_failed=not ok)
    with transaction.atomic():
        record_event(
            None,
            "workers.archive.verify",
            actor=by,
            actor_name="" if by else "scheduler",
            after={"checked": checked, "failed": failed},
            success=failed == 0,
        )
    return {"checked": checked, "failed": failed}
