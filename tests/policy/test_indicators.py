"""The indicator registry, how a target reads, and manual values on the measure page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from kexie.core.models import AuditEvent
from kexie.policy import indicators
from kexie.policy.enums import Comparator
from kexie.policy.indicators import IndicatorReading, SeriesPoint, UnknownIndicator
from kexie.policy.models import IndicatorValue, Measure, Target
from kexie.policy.services import bind_target_indicators, record_indicator_value

CHONGQING_LITERACY = [
    (date(2015, 12, 31), "4.74"),
    (date(2018, 12, 31), "8.01"),
    (date(2020, 12, 31), "10.20"),
    (date(2022, 12, 31), "12.3"),
]


@pytest.fixture
def registry():
    """The registry, restored after the test to what it held before."""
    before = {indicator.key for indicator in indicators.registered()}
    yield indicators
    for indicator in indicators.registered():
        if indicator.key not in before:
            indicators.unregister(indicator.key)


def english(client):
    """Pages in English, so that assertions do not depend on the Chinese catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _reading(value="12.5", as_of=date(2024, 6, 30)):
    return lambda on: IndicatorReading(value=value, as_of=on or as_of, explanation="from the test")


@pytest.fixture
def target9(notice) -> Target:
    return Target.objects.get(measure__notice=notice, measure__number=9)


@pytest.fixture
def measure9(notice) -> Measure:
    return Measure.objects.get(notice=notice, number=9)


# --- the registry ------------------------------------------------------------------------------------


def test_register_then_compute_returns_the_reading(registry):
    registry.register("test.rate", label="rate", unit="%", measures=[9], compute=_reading("12.5"))

    reading = registry.compute("test.rate")

    assert reading == IndicatorReading(
        value=Decimal("12.5"), as_of=date(2024, 6, 30), explanation="from the test"
    )
    assert registry.compute("test.rate", as_of=date(2023, 1, 1)).as_of == date(2023, 1, 1)
    assert "test.rate" in {indicator.key for indicator in registry.registered()}


def test_register_as_decorator_keeps_the_function(registry):
    @registry.register("test.hours", label="hours", unit="h", measures=[10])
    def hours(as_of):
        return IndicatorReading(value=300, as_of=date(2025, 1, 1))

    assert registry.compute("test.hours").value == Decimal(300)
    assert hours(None).value == Decimal(300)


def test_register_duplicate_key_refused_and_first_kept(registry):
    registry.register("test.rate", label="first", measures=[9], compute=_reading("1"))

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        registry.register("test.rate", label="second", measures=[9], compute=_reading("2"))

    assert registry.get("test.rate").label == "first"
    assert registry.compute("test.rate").value == Decimal(1)


@pytest.mark.parametrize(
    "key", ["Rate", "rate", "test rate", "test.", ".rate", "test.rate!", "x." + "a" * 100]
)
def test_register_malformed_key_refused(registry, key):
    with pytest.raises(ImproperlyConfigured):
        registry.register(key, label="x", measures=[1], compute=_reading())

    assert key not in {indicator.key for indicator in registry.registered()}


@pytest.mark.parametrize("measures", [[], [0], [-1], ["9"], [True]])
def test_register_bad_measures_refused(registry, measures):
    with pytest.raises(ImproperlyConfigured):
        registry.register("test.bad", label="x", measures=measures, compute=_reading())

    with pytest.raises(UnknownIndicator):
        registry.get("test.bad")


def test_compute_unknown_key_raises(registry):
    with pytest.raises(UnknownIndicator):
        registry.compute("nowhere.nothing")


def test_unregister_unknown_key_raises(registry):
    with pytest.raises(UnknownIndicator):
        registry.unregister("nowhere.nothing")


def test_compute_returning_something_else_refused(registry):
    registry.register("test.wrong", label="x", measures=[1], compute=lambda as_of: 12.5)

    with pytest.raises(TypeError, match="not an IndicatorReading"):
        registry.compute("test.wrong")


def test_indicators_for_matches_numbers_and_predicates(registry, notice):
    registry.register("test.nine", label="nine", measures=[9, 10], compute=_reading())
    registry.register(
        "test.thinktank",
        label="think tank",
        compute=_reading(),
        measures=lambda measure: measure.section.number == 4,
    )
    by_number = {m.number: m for m in Measure.objects.filter(notice=notice).select_related("section")}

    def keys(number):
        return {i.key for i in registry.indicators_for(by_number[number]) if i.key.startswith("test.")}

    assert keys(9) == {"test.nine"}
    assert keys(10) == {"test.nine"}
    assert keys(14) == {"test.thinktank"}
    assert keys(1) == set()


def test_reading_normalises_numbers_and_sorts_series():
    reading = IndicatorReading(
        value=12.3,
        as_of=date(2022, 12, 31),
        breakdown={"渝中区": 13.9, "江北区": "13.1"},
        series=[(date(2020, 12, 31), 10.2), SeriesPoint(as_of=date(2015, 12, 31), value=Decimal("4.74"))],
    )

    assert reading.value == Decimal("12.3")
    assert reading.breakdown == (("渝中区", Decimal("13.9")), ("江北区", Decimal("13.1")))
    assert reading.breakdown_rows == [("渝中区", "13.9"), ("江北区", "13.1")]
    assert [p.as_of.year for p in reading.series] == [2015, 2020]
    assert reading.series[1].value == Decimal("10.2")


def test_reading_with_a_non_number_refused():
    with pytest.raises(TypeError):
        IndicatorReading(value="twelve", as_of=None)


@pytest.mark.parametrize(
    ("value", "comparator", "met"),
    [
        ("15", Comparator.GT, False),
        ("15.01", Comparator.GT, True),
        ("15", Comparator.GE, True),
        ("14.99", Comparator.GE, False),
        ("3", Comparator.LT, True),
        ("5", Comparator.LT, False),
        ("5", Comparator.LE, True),
        ("5", Comparator.EQ, True),
        ("5.1", Comparator.EQ, False),
        ("5.2", Comparator.ABOUT, True),
        ("5.3", Comparator.ABOUT, False),
    ],
)
def test_meets_each_comparator(value, comparator, met):
    target = Decimal(15) if comparator in (Comparator.GT, Comparator.GE) else Decimal(5)
    assert indicators.meets(Decimal(value), comparator, target) is met


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.3000"), "12.3"),
        (Decimal("15.0000"), "15"),
        (Decimal(100), "100"),
        (Decimal("0.0000"), "0"),
    ],
)
def test_plain_number(value, text):
    assert indicators.plain_number(value) == text


# --- how a target reads --------------------------------------------------------------------------------


def test_target_status_manual_uses_latest_by_date_and_orders_history(target9, supervisor):
    # Entered out of order, and 2020 corrected by a second entry on the same day.
    for as_of, value in [
        (date(2020, 12, 31), "10.00"),
        (date(2022, 12, 31), "12.3"),
        (date(2015, 12, 31), "4.74"),
        (date(2020, 12, 31), "10.20"),
    ]:
        record_indicator_value(target=target9, value=Decimal(value), as_of=as_of, by=supervisor)

    status = indicators.target_status(target9)

    assert status.source == "manual"
    assert status.value == Decimal("12.3")
    assert status.as_of == date(2022, 12, 31)
    assert [(p.as_of.year, p.value) for p in status.history] == [
        (2015, Decimal("4.74")),
        (2020, Decimal("10.20")),
        (2022, Decimal("12.3")),
    ]
    assert [(e.as_of.year, e.value) for e in status.entries] == [
        (2022, Decimal("12.3")),
        (2020, Decimal("10.20")),
        (2020, Decimal("10.00")),
        (2015, Decimal("4.74")),
    ]
    assert status.met is False
    assert status.fill == 82
    assert status.gap == Decimal("2.7")
    assert status.value_display == "12.3%"
    assert status.target_display == "> 15%"


def test_target_status_as_of_ignores_later_values(target9, supervisor):
    for as_of, value in CHONGQING_LITERACY:
        record_indicator_value(target=target9, value=Decimal(value), as_of=as_of, by=supervisor)

    status = indicators.target_status(target9, as_of=date(2019, 1, 1))

    assert status.value == Decimal("8.01")
    assert [p.as_of.year for p in status.history] == [2015, 2018]


def test_target_status_met_when_value_exceeds_target(target9, supervisor):
    record_indicator_value(target=target9, value=Decimal("15.2"), as_of=date(2025, 12, 31), by=supervisor)

    status = indicators.target_status(target9)

    assert status.met is True
    assert status.fill == 100
    assert status.gap is None


def test_target_status_without_values_has_no_reading(target9):
    status = indicators.target_status(target9)

    assert (status.source, status.reading, status.met, status.fill, status.history) == (
        "manual",
        None,
        None,
        0,
        [],
    )


def test_target_status_bound_to_registered_key_is_computed(registry, target9):
    registry.register(
        "test.literacy",
        label="literacy",
        unit="%",
        measures=[9],
        compute=lambda as_of: IndicatorReading(
            value="15.6", as_of=date(2025, 12, 31), series=[(date(2022, 12, 31), "12.3")]
        ),
    )
    Target.objects.filter(pk=target9.pk).update(indicator_key="test.literacy")
    target9.refresh_from_db()

    status = indicators.target_status(target9)

    assert status.source == "computed"
    assert status.value == Decimal("15.6")
    assert status.met is True
    assert [(p.as_of.year, p.value) for p in status.history] == [
        (2022, Decimal("12.3")),
        (2025, Decimal("15.6")),
    ]


def test_target_status_bound_to_unknown_key_is_unavailable(target9):
    Target.objects.filter(pk=target9.pk).update(indicator_key="nowhere.nothing")
    target9.refresh_from_db()

    status = indicators.target_status(target9)

    assert (status.source, status.reading) == ("unavailable", None)
    with override("en"):
        assert indicators.target_status(target9).error == (
            "The indicator “nowhere.nothing” is not available: its module is not installed."
        )


def test_target_status_failing_computation_gives_a_message(registry, target9):
    def broken(as_of):
        raise ZeroDivisionError

    registry.register("test.broken", label="broken", measures=[9], compute=broken)
    Target.objects.filter(pk=target9.pk).update(indicator_key="test.broken")
    target9.refresh_from_db()

    with override("en"):
        status = indicators.target_status(target9)

    assert (status.source, status.reading) == ("computed", None)
    assert status.error == "The indicator could not be computed just now."


# --- on the measure page -------------------------------------------------------------------------------


def test_measure9_page_shows_latest_value_against_15_percent(target9, measure9, supervisor, leader, login):
    for as_of, value in CHONGQING_LITERACY:
        record_indicator_value(
            target=target9, value=Decimal(value), as_of=as_of, by=supervisor, note="重庆市公民科学素质调查"
        )
    client = english(login(leader))

    response = client.get(reverse("policy:measure_detail", args=[measure9.pk]))

    content = response.content.decode()
    status = response.context["targets"][0]["status"]
    assert (status.value, status.target.value, status.met) == (Decimal("12.3"), Decimal(15), False)
    assert '<span class="fs-2 fw-bold" data-testid="latest-value">12.3%</span>' in content
    assert "target &gt; 15%" in content
    assert 'data-met="no"' in content
    assert "Target not met" in content
    assert "2.7 percentage points to go" in content
    assert 'aria-valuenow="82"' in content
    assert "latest value, as of 2022-12-31" in content
    chart = response.context["targets"][0]["status"].chart()
    assert chart["points"] == [
        ["2015-12-31", 4.74],
        ["2018-12-31", 8.01],
        ["2020-12-31", 10.2],
        ["2022-12-31", 12.3],
    ]
    assert (chart["target"], chart["target_year"]) == (15.0, 2025)
    assert f'id="{status.chart_id}"' in content


def test_measure_page_shows_computed_value_of_bound_target(registry, target9, measure9, leader, login):
    registry.register(
        "test.literacy",
        label="Literacy estimate",
        unit="%",
        measures=[9],
        compute=lambda as_of: IndicatorReading(
            value="15.6", as_of=date(2025, 12, 31), explanation="weighted from 1200 attempts"
        ),
    )
    Target.objects.filter(pk=target9.pk).update(indicator_key="test.literacy")
    client = english(login(leader))

    content = client.get(reverse("policy:measure_detail", args=[measure9.pk])).content.decode()

    assert '<span class="fs-2 fw-bold" data-testid="latest-value">15.6%</span>' in content
    assert "Computed: Literacy estimate" in content
    assert "weighted from 1200 attempts" in content
    assert 'data-met="yes"' in content
    # A computed indicator is never typed in: no recording form.
    assert 'data-testid="record-form"' not in content


def test_measure_page_lists_registered_indicator_not_bound_to_a_target(registry, notice, leader, login):
    registry.register(
        "test.hours",
        label="Volunteer hours",
        unit="h",
        measures=[10],
        compute=lambda as_of: IndicatorReading(
            value=1250, as_of=date(2026, 6, 30), breakdown={"渝中区": 300}
        ),
    )
    measure10 = Measure.objects.get(notice=notice, number=10)

    response = login(leader).get(reverse("policy:measure_detail", args=[measure10.pk]))

    content = response.content.decode()
    assert [
        item["indicator"].key
        for item in response.context["computed"]
        if item["indicator"].key.startswith("test.")
    ] == ["test.hours"]
    assert '<div class="fs-2 fw-bold" data-testid="indicator-value">1250h</div>' in content
    assert '<td>渝中区</td><td class="text-end">300h</td>' in content


# --- recording a manual value --------------------------------------------------------------------------


def _post_value(client, target, **data):
    payload = {f"target-{target.pk}-{key}": value for key, value in data.items()}
    return client.post(reverse("policy:indicator_record", args=[target.pk]), payload)


def test_record_value_by_supervisor_saves_audits_and_redirects(target9, measure9, supervisor, login):
    client = login(supervisor)

    response = _post_value(client, target9, value="12.3", as_of="2022-12-31", note="第六次代表大会报告")

    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('policy:measure_detail', args=[measure9.pk])}#target-{target9.pk}"
    )
    entry = IndicatorValue.objects.get(target=target9)
    assert (entry.value, entry.as_of, entry.note, entry.recorded_by) == (
        Decimal("12.3"),
        date(2022, 12, 31),
        "第六次代表大会报告",
        supervisor,
    )
    event = AuditEvent.objects.get(action="policy.indicator.record")
    assert (event.actor_id, event.after) == (
        supervisor.pk,
        {"target": target9.pk, "value": "12.3", "as_of": "2022-12-31"},
    )


def test_record_value_by_department_staff_refused_and_nothing_saved(target9, kepu_staff, login):
    client = login(kepu_staff)

    response = _post_value(client, target9, value="12.3", as_of="2022-12-31")

    assert response.status_code == 403
    assert IndicatorValue.objects.count() == 0
    assert not AuditEvent.objects.filter(action="policy.indicator.record").exists()


def test_record_form_not_shown_to_department_staff(measure9, kepu_staff, login):
    content = login(kepu_staff).get(reverse("policy:measure_detail", args=[measure9.pk])).content.decode()

    assert 'data-testid="record-form"' not in content
    assert 'data-testid="target"' in content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "115", "as_of": "2022-12-31"}, "value", "A percentage lies between 0 and 100."),
        ({"value": "abc", "as_of": "2022-12-31"}, "value", "Enter a number."),
        ({"value": "12", "as_of": "tomorrow"}, "as_of", "Enter a valid date."),
        ({"value": "12", "as_of": ""}, "as_of", "This field is required."),
    ],
)
def test_record_value_bad_input_shows_error_and_saves_nothing(
    target9, supervisor, login, data, field, message
):
    client = english(login(supervisor))

    response = _post_value(client, target9, **data)

    assert response.status_code == 400
    bound = response.context["targets"][0]["form"]
    assert bound.errors[field] == [message]
    assert 'details class="mt-2" open' in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_record_value_in_the_future_refused(target9, supervisor, login):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _post_value(english(login(supervisor)), target9, value="12", as_of=tomorrow.isoformat())

    assert response.status_code == 400
    assert response.context["targets"][0]["form"].errors["as_of"] == ["The date cannot be in the future."]
    assert IndicatorValue.objects.count() == 0


def test_record_value_for_computed_target_refused_and_nothing_saved(registry, target9, supervisor, login):
    registry.register("test.literacy", label="x", unit="%", measures=[9], compute=_reading("15.6"))
    Target.objects.filter(pk=target9.pk).update(indicator_key="test.literacy")

    response = _post_value(english(login(supervisor)), target9, value="12", as_of="2022-12-31")

    assert response.status_code == 400
    assert "cannot be typed in" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_measure_page_folds_a_long_breakdown_after_ten_rows(registry, notice, login, leader):
    districts = {f"区{n:02d}": n for n in range(12)}
    registry.register(
        "test.long",
        label="Long breakdown",
        unit="h",
        measures=[10],
        compute=lambda as_of: IndicatorReading(value=66, as_of=date(2026, 6, 30), breakdown=districts),
    )
    measure10 = Measure.objects.get(notice=notice, number=10)

    content = (
        english(login(leader)).get(reverse("policy:measure_detail", args=[measure10.pk])).content.decode()
    )

    shown, folded = content.split('data-testid="breakdown-more"')
    assert "<td>区09</td>" in shown and "<td>区10</td>" not in shown
    assert "Show all 12 rows" in folded
    assert "<td>区10</td>" in folded and "<td>区11</td>" in folded


# --- targets bound by the indicators that declare them ----------------------------------------------


def test_bind_target_indicators_binds_declared_targets_once(registry, notice, target9):
    measure2 = Measure.objects.get(notice=notice, number=2)
    counted = Target.objects.create(
        measure=measure2, metric="对接项目", comparator=Comparator.GE, value=10, unit="项"
    )
    share = Target.objects.create(
        measure=measure2, metric="覆盖率", comparator=Comparator.GE, value=90, unit="%"
    )
    registry.register(
        "test.dockings",
        label="Dockings",
        measures=[2],
        compute=_reading(),
        binds_target=lambda target: target.unit == "项",
    )
    registry.register("test.unbinding", label="Not declared", measures=[2], compute=_reading())

    assert bind_target_indicators() == 2

    assert {
        t.pk: t.indicator_key for t in Target.objects.filter(pk__in=[counted.pk, share.pk, target9.pk])
    } == {
        counted.pk: "test.dockings",
        share.pk: "",
        target9.pk: "literacy.rate",  # declared by the literacy module for measure 9's percentage
    }
    events = AuditEvent.objects.filter(action="policy.target.bind")
    assert {(e.object_id, e.after["indicator_key"]) for e in events} == {
        (str(counted.pk), "test.dockings"),
        (str(target9.pk), "literacy.rate"),
    }
    assert bind_target_indicators() == 0
    assert AuditEvent.objects.filter(action="policy.target.bind").count() == 2


def test_bind_target_indicators_keeps_a_target_bound_by_hand(registry, notice, target9):
    Target.objects.filter(pk=target9.pk).update(indicator_key="test.by_hand")
    assert bind_target_indicators() == 0
    assert Target.objects.get(pk=target9.pk).indicator_key == "test.by_hand"
    assert not AuditEvent.objects.filter(action="policy.target.bind").exists()


def test_bind_target_indicators_skips_draft_notices(registry, notice, target9):
    type(notice).objects.filter(pk=notice.pk).update(state="draft")
    assert bind_target_indicators() == 0
    assert Target.objects.get(pk=target9.pk).indicator_key == ""
