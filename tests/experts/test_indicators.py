"""The expert library's indicator, city-wide and per district association."""

from __future__ import annotations

from kexie.experts.enums import VerificationState
from kexie.policy.indicators import get as get_indicator

YUZHONG, JIANGBEI = "500103", "500105"


def test_verified_experts_counted_city_wide_and_per_district(make_expert, orgs, disciplines):
    for district in (YUZHONG, YUZHONG, JIANGBEI, ""):
        make_expert(district=district)
    make_expert(district=YUZHONG, state=VerificationState.UNVERIFIED)  # not counted before verification
    indicator = get_indicator("experts.verified")

    city = indicator.compute(None)
    assert city.value == 4
    assert list(city.breakdown) == [("渝中区", 2), ("江北区", 1)]
    assert indicator.compute_for_district(orgs["渝中区科学技术协会"]).value == 2
    assert indicator.compute_for_district(orgs["江北区科学技术协会"]).value == 1
    assert indicator.compute_for_district(orgs["沙坪坝区科学技术协会"]).value == 0
