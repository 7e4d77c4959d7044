"""Activities: registration rules, reporting, the .xlsx import (row errors, nothing written), completeness."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook

from kexie.core.spreadsheets import ImportRefused
from kexie.outreach import queries, services
from kexie.outreach.models import Activity

pytestmark = pytest.mark.django_db

HEADER = [
    "活动名称",
    "活动类型",
    "面向人群",
    "区县",
    "活动地点",
    "开始时间",
    "结束时间",
    "经度",
    "纬度",
    "协办单位",
    "志愿者需求人数",
]


def _workbook(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = [
    "社区防诈骗讲座",
    "讲座",
    "老年人",
    "渝中区",
    "解放碑社区",
    "2025-09-20 09:00",
    "2025-09-20 11:00",
    "106.57",
    "29.55",
    "",
    "3",
]


def test_import_writes_every_row(district_user, campaign):
    data = _workbook(
        [
            GOOD,
            [
                "科普集市",
                "科普集市",
                "公众",
                "500103",
                "较场口",
                "2025-09-21 09:00",
                "2025-09-21 12:00",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    created = services.import_activities(file=data, by=district_user, name="渝中.xlsx")
    assert [a.title for a in created] == ["社区防诈骗讲座", "科普集市"]
    assert Activity.objects.filter(district="500103").count() == 2


def test_import_with_wrong_district_and_dates_writes_nothing(district_user):
    rows = [
        GOOD,
        [
            "讲座二",
            "讲座",
            "老年人",
            "渝东区",
            "某地",
            "2025-09-20 09:00",
            "2025-09-20 11:00",
            "",
            "",
            "",
            "",
        ],
        ["讲座三", "讲座", "老年人", "渝中区", "某地", "2025-13-40", "2025-09-20 11:00", "", "", "", ""],
        [
            "讲座四",
            "讲座",
            "老年人",
            "渝中区",
            "某地",
            "2025-09-20 12:00",
            "2025-09-20 11:00",
            "",
            "",
            "",
            "",
        ],
        [
            "讲座五",
            "讲座",
            "老年人",
            "江北区",
            "某地",
            "2025-09-20 09:00",
            "2025-09-20 11:00",
            "",
            "",
            "",
            "",
        ],
    ]
    with pytest.raises(ImportRefused) as exc:
        services.import_activities(file=_workbook(rows), by=district_user, name="bad.xlsx")
    assert [(e.row, e.column) for e in exc.value.errors] == [
        (3, "区县"),
        (4, "开始时间"),
        (5, "结束时间"),
        (6, "区县"),
    ]
    assert "渝东区" in exc.value.messages[0]
    assert Activity.objects.count() == 0


def test_import_refuses_a_file_that_is_not_a_workbook(district_user):
    with pytest.raises(ImportRefused):
        services.import_activities(file=b"not a workbook", by=district_user, name="x.xlsx")
    assert Activity.objects.count() == 0


def test_district_staff_cannot_register_for_another_district(other_district_user, orgs):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.register_activity(
            by=other_district_user,
            title="越权",
            kind="lecture",
            audience="public",
            district="500103",
            organizer=orgs["渝中区科学技术协会"],
            place="x",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert Activity.objects.count() == 0


def test_register_refuses_end_before_start_and_coordinates_outside(district_user, orgs):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.register_activity(
            by=district_user,
            title="讲座",
            kind="lecture",
            audience="public",
            district="500103",
            organizer=orgs["渝中区科学技术协会"],
            place="x",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
            latitude=39,
            longitude=116,
        )
    assert set(exc.value.error_dict) == {"ends_at", "latitude"}


def test_report_and_completeness(make_activity, district_user):
    past = make_activity(starts_in=timedelta(days=-2))
    make_activity(starts_in=timedelta(days=-3))
    with pytest.raises(ValidationError):
        services.report_activity(activity=make_activity(), by=district_user, attendance=10, summary="未开始")
    services.report_activity(activity=past, by=district_user, attendance=120, summary="顺利举办")
    rows = {r["district"]: r for r in queries.completeness()}
    assert len(rows) == 38
    assert (
        rows["500103"]["registered"],
        rows["500103"]["due"],
        rows["500103"]["reported"],
        rows["500103"]["share"],
    ) == (3, 2, 1, 50)
    assert rows["500105"]["registered"] == 0
