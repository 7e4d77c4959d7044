from datetime import date
from decimal import Decimal

from kexie.literacy import services
from kexie.literacy.enums import EstimateSource
from kexie.literacy.models import LiteracyEstimate
from kexie.policy import indicators
from kexie.policy.models import Target
from kexie.policy.services import bind_target_indicators


def test_literacy_rate_reads_latest_published_with_history(reference):
    reading = indicators.compute("literacy.rate")
    assert (reading.value, reading.as_of) == (Decimal("12.30"), date(2022, 12, 31))
    assert [(p.as_of.year, p.value) for p in reading.series] == [
        (2015, Decimal("4.74")),
        (2018, Decimal("8.01")),
        (2020, Decimal("10.20")),
    ]


def test_literacy_rate_prefers_survey_and_shows_ci(reference, reviewer):
    services.record_estimate(
        by=reviewer,
        year=2025,
        district=None,
        rate=Decimal("15.4"),
        source=EstimateSource.SURVEY,
        se=Decimal("0.4"),
        ci_low=Decimal("14.6"),
        ci_high=Decimal("16.2"),
        n=20000,
    )
    LiteracyEstimate.objects.create(year=2026, rate=Decimal("50"), source=EstimateSource.ASSESSMENT)
    reading = indicators.compute("literacy.rate")
    assert (reading.value, reading.as_of.year) == (Decimal("15.40"), 2025)
    assert "14.60–16.20" in reading.explanation
    assert indicators.compute("literacy.rate", date(2021, 6, 1)).value == Decimal("10.20")


def test_literacy_rate_empty_has_no_value(db):
    assert indicators.compute("literacy.rate").value is None


def test_literacy_rate_binds_measure_9_target_and_shows_computed_value(notice, reference):
    assert bind_target_indicators() == 1
    target = Target.objects.get(measure__notice=notice, measure__number=9)
    assert target.indicator_key == "literacy.rate"
    status = indicators.target_status(target)
    assert (status.source, status.value, status.met) == ("computed", Decimal("12.30"), False)
    assert bind_target_indicators() == 0


def test_indicators_registered_for_measure_9():
    keys = {i.key for i in indicators.registered() if 9 in (i.measure_numbers or ())}
    assert {"literacy.rate", "literacy.participation"} <= keys


def test_literacy_rate_per_district_reads_its_own_estimates_and_flags_small_samples(
    reference, reviewer, orgs
):
    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    rate = indicators.get("literacy.rate")
    # The published 2018 district figure of the seed.
    assert (rate.compute_for_district(yuzhong).value, rate.compute_for_district(yuzhong).as_of.year) == (
        Decimal("13.90"),
        2018,
    )
    for district, value, n in [(yuzhong, "16.1", 800), (jiangbei, "0", 3)]:
        services.record_estimate(
            by=reviewer,
            year=2025,
            district=district,
            rate=Decimal(value),
            source=EstimateSource.SURVEY,
            ci_low=Decimal(value),
            ci_high=Decimal(value) + 2,
            n=n,
        )

    own = rate.compute_for_district(yuzhong)
    assert (own.value, own.as_of.year) == (Decimal("16.10"), 2025)
    assert [(p.as_of.year, p.value) for p in own.series] == [(2018, Decimal("13.90"))]
    small = rate.compute_for_district(jiangbei)
    assert (small.value, small.as_of.year) == (None, 2025)  # 0.00% from 3 answers is not published
    assert "3" in small.explanation and "30" in small.explanation
    assert rate.compute_for_district(orgs["沙坪坝区科学技术协会"], as_of=date(2019, 6, 1)).value == Decimal(
        "14.80"
    )
