"""What the think tank hands over to the public information section (kexie.news.sources): the items of
its public column (智库专栏). Only a public result put in the column is listed — an internal result is
never handed over (the model's check constraint also keeps internal results out of the column). Taken
out of the column or made internal, it leaves the public lists at once and the next sync withdraws it.
The column is put together by 战略发展部 without a publicity review, so the items go through 三审三校.
"""

from __future__ import annotations

from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kexie.accounts.models import Organization
from kexie.news.enums import Column
from kexie.news.sources import Handover, register_source
from kexie.thinktank import queries
from kexie.thinktank.rules import THINKTANK_DEPARTMENT


def _column_items() -> list[Handover]:
    department = Organization.objects.filter(name=THINKTANK_DEPARTMENT).order_by("pk").first()
    if department is None:  # no think-tank department, no one answers for the items
        return []
    return [
        Handover(
            ref=str(result.pk),
            title=result.title,
            summary=(result.summary or "")[:300],
            url=reverse("thinktank:result_detail", args=[result.pk]),
            publish_date=result.column_published_at,
            organization=department,
            author=result.updated_by,
        )
        for result in queries.column_results()
    ]


def _live():
    return queries.column_results().order_by().annotate(ref=Cast("pk", CharField())).values("ref")


register_source(
    "thinktank.column",
    label=gettext_lazy("Think-tank column"),
    column=Column.NEWS,
    items=_column_items,
    live=_live,
)
