"""Emergency bulletins: publish to every district and unit in one step, read receipts, forwarding."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import STAFF_ROLES, OrganizationKind
from kexie.accounts.models import Membership, Organization
from kexie.core.models import Notification
from kexie.core.services import record_event
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload
from kexie.outreach import rules
from kexie.outreach.enums import BulletinAudience, BulletinState
from kexie.outreach.models import Bulletin, BulletinDelivery, BulletinTemplate

DISTRICT_KINDS = (OrganizationKind.DISTRICT_ASSOCIATION, OrganizationKind.DEVELOPMENT_ZONE)
UNIT_KINDS = (OrganizationKind.AFFILIATED_UNIT, OrganizationKind.SOCIETY)
ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".jpg", ".jpeg", ".png")


def audience_organizations(bulletin: Bulletin):
    organizations = Organization.objects.filter(is_active=True)
    if bulletin.audience == BulletinAudience.ALL:
        return organizations.filter(kind__in=DISTRICT_KINDS + UNIT_KINDS)
    if bulletin.audience == BulletinAudience.DISTRICTS:
        return organizations.filter(kind__in=DISTRICT_KINDS)
    if bulletin.audience == BulletinAudience.UNITS:
        return organizations.filter(kind__in=UNIT_KINDS)
    return organizations.filter(pk__in=bulletin.chosen.values("pk"))


@transaction.atomic
def save_bulletin(*, by, bulletin: Bulletin | None = None, chosen=(), **values) -> Bulletin:
    if not rules.can_publish_bulletins(by):
        raise PermissionDenied
    bulletin = bulletin or Bulletin(created_by=by)
    if bulletin.pk and bulletin.state != BulletinState.DRAFT:
        raise ValidationError(_("A published bulletin cannot be changed."))
    attachment = values.pop("attachment", None)
    if attachment:
        name = attachment.name.lower()
        if not name.endswith(ATTACHMENT_EXTENSIONS):
            raise ValidationError({"attachment": _("Attach a .pdf, .docx, .jpg or .png file.")})
        check_upload(attachment)
        bulletin.attachment = attachment
    for name, value in values.items():
        setattr(bulletin, name, value)
    bulletin.updated_by = by
    bulletin.full_clean()
    bulletin.save()
    bulletin.chosen.set(chosen)
    record_event(
        bulletin,
        "outreach.bulletin.save",
        actor=by,
        after={"title": bulletin.title, "audience": bulletin.audience},
    )
    return bulletin


@transaction.atomic
def publish_bulletin(*, bulletin: Bulletin, by, now=None) -> Bulletin:
    """Deliver to every organization of the audience at once, and notify their staff."""
    if not rules.can_publish_bulletins(by):
        raise PermissionDenied
    now = now or timezone.now()
    receivers = list(audience_organizations(bulletin))
    if not receivers:
        raise ValidationError(
            _("The audience of this bulletin is empty: choose at least one district or unit."), code="empty"
        )
    transition(
        bulletin,
        expected=BulletinState.DRAFT,
        values={"state": BulletinState.PUBLISHED, "published_at": now},
        message=_("This bulletin is already published."),
    )
    BulletinDelivery.objects.bulk_create(
        BulletinDelivery(bulletin=bulletin, organization=o, delivered_at=now) for o in receivers
    )
    url = reverse("outreach:bulletin_detail", args=[bulletin.pk])
    prefix = _("[Drill] ") if bulletin.is_drill else ""
    # Outside the f-string below: gettext calls inside one are not extracted into the catalogue.
    kind = _("Emergency bulletin")
    user_ids = set(
        Membership.objects.filter(
            organization__in=receivers, role__in=STAFF_ROLES, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    Notification.objects.bulk_create(
        Notification(user_id=uid, title=f"{prefix}{kind}：{bulletin.title}"[:200], url=url)
        for uid in sorted(user_ids)
    )
    record_event(
        bulletin,
        "outreach.bulletin.publish",
        actor=by,
        after={"receivers": len(receivers), "drill": bulletin.is_drill},
    )
    return bulletin


@transaction.atomic
def acknowledge(*, delivery: BulletinDelivery, by, now=None) -> BulletinDelivery:
    """The receiving organization confirms it has read the bulletin (once; later clicks change nothing)."""
    if not rules.can_acknowledge(by, delivery):
        raise PermissionDenied
    now = now or timezone.now()
    if BulletinDelivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now, read_by=by):
        delivery.refresh_from_db()
        record_event(
            delivery.bulletin, "outreach.bulletin.read", actor=by, organization_id=delivery.organization_id
        )
    else:
        delivery.refresh_from_db()
    return delivery


@transaction.atomic
def report_forwarding(*, delivery: BulletinDelivery, by, forwarded: int, now=None) -> BulletinDelivery:
    if not rules.can_acknowledge(by, delivery):
        raise PermissionDenied
    if forwarded is None or forwarded < 0 or forwarded > 10_000_000:
        raise ValidationError({"forwarded": _("Give how many people or groups you forwarded it to.")})
    now = now or timezone.now()
    delivery.forwarded = forwarded
    delivery.forwarded_at = now
    if delivery.read_at is None:
        delivery.read_at, delivery.read_by = now, by
    delivery.save(update_fields=["forwarded", "forwarded_at", "read_at", "read_by"])
    record_event(
        delivery.bulletin,
        "outreach.bulletin.forwarded",
        actor=by,
        after={"forwarded": forwarded},
        organization_id=delivery.organization_id,
    )
    return delivery


def from_template(template: BulletinTemplate) -> dict:
    return {
        "title": template.title,
        "topic": template.topic,
        "content": template.content,
        "template": template.pk,
    }


def search_organizations(text: str):
    return Organization.objects.filter(Q(name__contains=text) | Q(short_name__contains=text), is_active=True)
