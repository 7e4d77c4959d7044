"""Read side: which needs, meetings and archive items a user may see (one access rule per object)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Q, QuerySet

from kexie.core import access as access_rules
from kexie.core.access import access
from kexie.workers import rules
from kexie.workers.enums import AccessLevel, NeedState, Rating
from kexie.workers.models import ArchiveCollection, ArchiveItem, JointMeeting, Need, NeedReply


def needs_visible_to(user) -> QuerySet[Need]:
    needs = Need.objects.select_related("category", "routed_to", "filer", "task")
    if not (user and user.is_authenticated):
        return needs.none()
    if rules.can_read_all_needs(user):
        return needs
    units = [org.pk for org in rules.reply_units(user)]
    return needs.filter(Q(filer=user) | Q(routed_to_id__in=units))


def access_need(user, pk) -> Need:
    return access(needs_visible_to(user), pk)


def meetings_visible_to(user) -> QuerySet[JointMeeting]:
    if not rules.can_view_meetings(user):
        return JointMeeting.objects.none()
    return JointMeeting.objects.all()


def access_meeting(user, pk) -> JointMeeting:
    return access(meetings_visible_to(user), pk)


def _levels_for(user) -> tuple[str, ...]:
    if rules.can_manage_archive(user):
        return (AccessLevel.PUBLIC, AccessLevel.INTERNAL, AccessLevel.RESTRICTED)
    if rules.can_read_internal(user):
        return (AccessLevel.PUBLIC, AccessLevel.INTERNAL)
    return (AccessLevel.PUBLIC,)


def archive_items_visible_to(user) -> QuerySet[ArchiveItem]:
    """An item is seen at its own level and no wider than its collection's."""
    levels = _levels_for(user)
    return ArchiveItem.objects.select_related("collection").filter(
        access__in=levels, collection__access__in=levels
    )


def access_archive_item(user, pk) -> ArchiveItem:
    return access(archive_items_visible_to(user), pk)


def collections_visible_to(user) -> QuerySet[ArchiveCollection]:
    return ArchiveCollection.objects.filter(access__in=_levels_for(user))


def access_collection(user, pk) -> ArchiveCollection:
    return access(collections_visible_to(user), pk)


access_rules.register("workers.need", visible=needs_visible_to, access=access_need)
access_rules.register("workers.meeting", visible=meetings_visible_to, access=access_meeting)
access_rules.register("workers.archive_item", visible=archive_items_visible_to, access=access_archive_item)


def need_statistics(*, year: int | None = None) -> dict:
    """Public statistics of needs (no personal data): by category and month, on-time reply rate and
    satisfaction. Merged needs count once (as the need they were merged into)."""
    needs = Need.objects.exclude(state=NeedState.MERGED)
    if year:
        needs = needs.filter(created_at__year=year)
    by_category = Counter(needs.values_list("category__name", flat=True))
    by_month = Counter(d.strftime("%Y-%m") for d in needs.values_list("created_at", flat=True))
    replies = NeedReply.objects.filter(need__in=needs)
    first = replies.filter(round=1)
    on_time = first.filter(on_time=True).count()
    rated = replies.exclude(rating="")
    satisfied = rated.filter(rating__in=[Rating.SATISFIED, Rating.MOSTLY]).count()
    return {
        "received": needs.count(),
        "replied": first.count(),
        "on_time": on_time,
        "on_time_rate": round(100 * on_time / first.count(), 1) if first.count() else None,
        "rated": rated.count(),
        "satisfied": satisfied,
        "satisfaction_rate": round(100 * satisfied / rated.count(), 1) if rated.count() else None,
        "by_category": sorted(by_category.items(), key=lambda kv: -kv[1]),
        "by_month": sorted(by_month.items()),
        "open": needs.filter(state__in=[NeedState.SUBMITTED, NeedState.ROUTED, NeedState.REOPENED]).count(),
    }


def overdue_needs(today: date) -> QuerySet[Need]:
    return Need.objects.filter(state__in=[NeedState.ROUTED, NeedState.REOPENED], reply_due__lt=today)
