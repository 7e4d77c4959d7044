"""Survey responses as an indicator, city-wide and per district association (by the station)."""

from __future__ import annotations

from django.utils import timezone

from kexie.policy.indicators import get as get_indicator
from kexie.surveys.models import Response


def test_responses_counted_per_district_by_their_station(published, orgs):
    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    now = timezone.now()
    for n, (station, submitted) in enumerate(
        [(yuzhong, now), (yuzhong, now), (yuzhong, None), (jiangbei, now), (None, now)]
    ):
        Response.objects.create(
            survey=published, station=station, resume_token=f"t{n}", submitted_at=submitted
        )
    indicator = get_indicator("surveys.responses_submitted")

    assert indicator.compute(None).value == 4
    assert indicator.compute_for_district(yuzhong).value == 2  # the unfinished one does not count
    assert indicator.compute_for_district(jiangbei).value == 1
