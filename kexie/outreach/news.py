"""What outreach hands over to the public information section (kexie.news.sources): the public
activities of its campaigns (全国科普日, 科技活动周 …) — open to the public, not cancelled — as 新闻动态,
reviewed there like any news item and answered for by 科学技术普及部, which runs the campaigns.
A cancelled activity leaves the public lists at once and the next sync withdraws it.

Emergency bulletins (应急科普) are not handed over: every audience they have (all districts and units,
chosen organizations) is internal, and their access rule shows them only to their receivers.
"""

from __future__ import annotations

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.news.enums import Column
from kexie.news.people import register_volunteers
from kexie.news.sources import Handover, register_source
from kexie.outreach import queries
from kexie.outreach.enums import Audience
from kexie.outreach.models import Activity

CAMPAIGN_DEPARTMENT = "科学技术普及部"


def _campaign_activities() -> QuerySet[Activity]:
    return queries.public_activities().filter(campaign__isnull=False, audience=Audience.PUBLIC)


def _items() -> list[Handover]:
    department = Organization.objects.filter(name=CAMPAIGN_DEPARTMENT).order_by("pk").first()
    if department is None:
        return []
    return [
        Handover(
            ref=str(a.pk),
            title=a.title,
            summary=_("%(campaign)s · %(place)s · %(day)s")
            % {
                "campaign": a.campaign.name,
                "place": a.place,
                "day": timezone.localtime(a.starts_at).date().isoformat(),
            },
            url=reverse("outreach:activity_detail", args=[a.pk]),
            publish_date=None,
            organization=department,
            author=a.created_by,
        )
        for a in _campaign_activities().order_by("pk")
    ]


def _live():
    return _campaign_activities().order_by().annotate(ref=Cast("pk", CharField())).values("ref")


register_source(
    "outreach.activity",
    label=gettext_lazy("Activities of science campaigns"),
    column=Column.NEWS,
    items=_items,
    live=_live,
)


# 典型人物 may be a volunteer: the publishing form offers the volunteers its user may see here.
register_volunteers(visible=queries.volunteers_visible_to)
