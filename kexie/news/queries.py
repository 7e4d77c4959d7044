"""What the public and staff see of the items."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from kexie.core import access as access_rules
from kexie.news import rules, sources
from kexie.news.enums import ReviewerRole, VersionState
from kexie.news.models import ItemVersion, NewsItem, WorkflowStep


def public_items(column: str | None = None, q: str = "") -> QuerySet[NewsItem]:
    """Published, not withdrawn, its publishing time reached (a scheduled item appears by itself), and,
    for an item handed over by another app, still shown by its source."""
    qs = NewsItem.objects.filter(
        sources.live_condition(),
        published_version__isnull=False,
        withdrawn_at__isnull=True,
        published_version__published_at__lte=timezone.now(),
    ).select_related("published_version")
    if column:
        qs = qs.filter(column=column)
    if q:
        qs = qs.filter(Q(published_version__title__icontains=q) | Q(published_version__body__icontains=q))
    return qs.order_by("-published_version__published_at", "-pk")


def items_visible_to(user) -> QuerySet[NewsItem]:
    """Staff pages: every item for editors and the leader, a department's own items otherwise."""
    if rules.is_leader(user) or rules.is_editor(user):
        return NewsItem.objects.all()
    units = [o.pk for o in rules.writing_units(user)]
    return NewsItem.objects.filter(organization__in=units)


def access_item(user, pk) -> NewsItem:
    """An item's staff page (drafts, reviews): the same scope as the staff list; 404 otherwise."""
    return access_rules.access(items_visible_to(user), pk)


def waiting_for(user) -> QuerySet[ItemVersion]:
    """Versions waiting at a step this user acts at."""
    steps = list(WorkflowStep.objects.all())
    qs = ItemVersion.objects.filter(
        state=VersionState.IN_REVIEW, item__withdrawn_at__isnull=True
    ).select_related("item", "step")
    cond = Q(pk__in=[])
    for step in steps:
        if step.reviewer == ReviewerRole.DEPARTMENT_HEAD:
            from kexie.accounts.enums import Role  # noqa: PLC0415
            from kexie.accounts.queries import organizations_of  # noqa: PLC0415

            heads = (
                [o.pk for o in organizations_of(user, Role.DEPARTMENT_HEAD)] if user.is_authenticated else []
            )
            if heads:
                cond |= Q(step=step, item__organization__in=heads)
        elif rules.can_act_at_step(user, step, None):
            cond |= Q(step=step)
    return qs.filter(cond)


access_rules.register(
    "news.item", visible=items_visible_to, access=access_item, can_view=rules.can_see_drafts
)


def is_public(item: NewsItem) -> bool:
    """The single-item form of ``public_items`` (the item page and its attachments)."""
    return item.is_public and public_items().filter(pk=item.pk).exists()
