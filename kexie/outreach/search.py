"""What outreach brings to search: the public science activities (kind "activity").

Only activities the public calendar shows are indexed (registered or reported, never cancelled:
a cancelled activity is withdrawn from publication and leaves the index when it is cancelled). Every
reader, signed in or not, finds them; the page re-checks each hit against ``activities_visible_to``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.outreach.enums import HIDDEN_ACTIVITY_STATES
from kexie.outreach.models import Activity
from kexie.search import sources
from kexie.search.documents import SearchDocument
from kexie.search.enums import Facet
from kexie.search.sources import SearchSource, SourceScope
from kexie.search.tasks import update_search_index

ACTIVITY_KIND = "activity"
FLAG_PUBLIC = "public"


def activity_documents(ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
    activities = Activity.objects.select_related("campaign", "organizer").exclude(
        state__in=HIDDEN_ACTIVITY_STATES
    )
    if ids is not None:
        activities = activities.filter(pk__in=[int(i) for i in ids])
    for activity in activities.iterator():
        keywords = [activity.get_kind_display(), activity.get_audience_display(), activity.district_name]
        if activity.campaign_id:
            keywords.append(activity.campaign.name)
        yield SearchDocument(
            kind=ACTIVITY_KIND,
            id=activity.pk,
            title=activity.title,
            body=" ".join(
                [activity.place, activity.organizer.name, activity.co_organizers, activity.description]
            ),
            keywords=[str(k) for k in keywords if k],
            district=activity.district,
            flags=[FLAG_PUBLIC],
            org_id=activity.organizer_id,
            year=timezone.localtime(activity.starts_at).year,
        )


def reindex_activities_later(ids: Iterable[int]) -> None:
    wanted = [str(i) for i in ids]
    if wanted:
        transaction.on_commit(lambda: update_search_index(ACTIVITY_KIND, wanted))


def activity_scope(user) -> SourceScope:
    from kexie.outreach.queries import activities_visible_to  # noqa: PLC0415

    return SourceScope(rows=activities_visible_to(user), flags=(FLAG_PUBLIC,))


def _summary(activity) -> list[str]:
    start = timezone.localtime(activity.starts_at)
    return [f"{start:%Y-%m-%d %H:%M}", activity.place]  # the page adds the district


def register() -> None:
    sources.register(
        SearchSource(
            kind=ACTIVITY_KIND,
            label=_("Science activities"),
            loader=activity_documents,
            scope=activity_scope,
            url=lambda activity: reverse("outreach:activity_detail", args=[activity.pk]),
            summary=_summary,
            facets=(Facet.DISTRICT,),
        )
    )
