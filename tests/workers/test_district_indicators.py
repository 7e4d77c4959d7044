"""The needs ledger's and the talks' indicators read per district association (the district view)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kexie.policy.indicators import get as get_indicator
from kexie.workers.enums import NeedState, Rating, TalkState
from kexie.workers.models import Need, NeedReply, SpiritTalk

pytestmark = pytest.mark.django_db

YUZHONG, JIANGBEI = "500103", "500105"


def _need(n, *, district, filer, category, state=NeedState.SUBMITTED):
    return Need.objects.create(
        receipt=f"SQ{n:04d}",
        filer=filer,
        category=category,
        title=f"诉求 {n}",
        description="x",
        district=district,
        state=state,
    )


def test_needs_replies_and_ratings_read_per_district(orgs, scientist, triage, categories):
    category = next(iter(categories.values()))
    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    own = [_need(n, district=YUZHONG, filer=scientist, category=category) for n in range(3)]
    _need(3, district=YUZHONG, filer=scientist, category=category, state=NeedState.MERGED)
    other = _need(4, district=JIANGBEI, filer=scientist, category=category)
    _need(5, district="", filer=scientist, category=category)
    department = orgs["组织人事部"]
    now = timezone.now()
    for need, on_time, rating in [(own[0], True, Rating.SATISFIED), (own[1], False, ""), (other, True, "")]:
        NeedReply.objects.create(
            need=need,
            text="答复",
            replied_by=triage,
            organization=department,
            on_time=on_time,
            rating=rating,
            rated_at=now if rating else None,
        )

    received = get_indicator("workers.needs_received")
    assert received.compute(None).value == 5  # the merged duplicate counts once, in the need it joined
    assert received.compute_for_district(yuzhong).value == 3
    assert received.compute_for_district(jiangbei).value == 1
    on_time = get_indicator("workers.replied_on_time")
    assert on_time.compute(None).value == Decimal("66.7")
    assert on_time.compute_for_district(yuzhong).value == 50
    satisfied = get_indicator("workers.satisfaction")
    assert satisfied.compute_for_district(yuzhong).value == 100
    assert satisfied.compute_for_district(jiangbei).value is None  # nothing rated there yet


def test_talks_delivered_count_for_the_requesting_district(orgs):
    yuzhong = orgs["渝中区科学技术协会"]
    at = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    for requester, state in [
        (yuzhong, TalkState.DELIVERED),
        (yuzhong, TalkState.REQUESTED),
        (orgs["江北区科学技术协会"], TalkState.DELIVERED),
    ]:
        SpiritTalk.objects.create(
            requester=requester,
            topic="科学家精神",
            preferred_date=at.date(),
            expected_audience=50,
            state=state,
            scheduled_at=at,
            audience=40,
        )

    talks = get_indicator("workers.talks_delivered")
    assert talks.compute(None).value == 2
    assert talks.compute_for_district(yuzhong).value == 1
