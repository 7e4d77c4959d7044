"""Indicators of measures 3, 12 and 1 read the live data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from kexie.policy.indicators import get as get_indicator
from kexie.societies import services
from kexie.societies.enums import CooperationKind

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def _value(key):
    return get_indicator(key).compute(None)


def test_inspected_counts_reviewed_reports_by_rating(society, secretary, staff, other_society):
    assert _value("societies.inspected").value == 0
    report = services.save_inspection(
        society=society,
        year=LAST_YEAR,
        by=secretary,
        individual_members=1,
        unit_members=1,
        council_meetings=1,
        academic_events=1,
        income=Decimal(1),
        expense=Decimal(1),
        summary="x",
    )
    services.submit_inspection(inspection=report, by=secretary)
    assert _value("societies.inspected").value == 0
    services.review_inspection(inspection=report, by=staff, approve=True, rating="basic")
    reading = _value("societies.inspected")
    assert reading.value == 1
    assert [n for _label, n in reading.breakdown] == [1]


def test_exchanges_split_belt_and_road(staff):
    today = timezone.localdate()
    services.record_exchange(by=staff, kind="incoming", title="a", starts_on=today, countries=["TH"])
    services.record_exchange(by=staff, kind="outgoing", title="b", starts_on=today, countries=["US"])
    reading = _value("societies.exchanges")
    assert reading.value == 2
    assert [n for _label, n in reading.breakdown] == [1, 1]


def test_cooperation_projects_and_directory(society, secretary, staff):
    assert _value("societies.directory_journals").value is None
    services.record_project(
        by=secretary,
        kind=CooperationKind.ENTERPRISE,
        society=society,
        title="x",
        signed_on=timezone.localdate(),
        partner="长安汽车",
    )
    assert _value("societies.cooperation_projects").value == 1
    journal = services.register_journal(
        by=staff, title="重庆医学", cn="50-1097/R", issn="1671-8348", publisher="x", discipline="医药卫生"
    )
    directory = services.create_directory(by=staff, title="目录", year=2025, tiers="T1、T2")
    services.add_directory_entry(directory=directory, journal=journal, tier="T2", by=staff)
    assert _value("societies.directory_journals").value is None  # not published yet
    services.publish_directory(directory=directory, by=staff)
    reading = _value("societies.directory_journals")
    assert (reading.value, list(reading.breakdown)) == (1, [("T2", 1)])


def test_cooperation_projects_read_per_district(society, secretary, orgs):
    yuzhong, jiangbei = orgs["渝中区科学技术协会"], orgs["江北区科学技术协会"]
    for district in ("500103", "500103", "500105"):
        services.record_project(
            by=secretary,
            kind=CooperationKind.DISTRICT,
            society=society,
            title=f"会地合作 {district}",
            signed_on=timezone.localdate(),
            district=district,
        )
    services.record_project(
        by=secretary,
        kind=CooperationKind.ENTERPRISE,
        society=society,
        title="会企",
        signed_on=timezone.localdate(),
        partner="长安汽车",
    )
    indicator = get_indicator("societies.cooperation_projects")

    assert indicator.compute(None).value == 4
    assert indicator.compute_for_district(yuzhong).value == 2
    assert indicator.compute_for_district(jiangbei).value == 1
