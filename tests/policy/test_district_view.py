"""The district view: per-district indicator readings in the registry, and the page a district
association (its own district only) and the association's leaders and departments (any district) open."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kexie.accounts.enums import Role
from kexie.core import menus
from kexie.policy import indicators
from kexie.policy.indicators import IndicatorReading, NoDistrictReading
from kexie.policy.models import Measure
from kexie.policy.services import create_task

YUZHONG, JIANGBEI = "渝中区科学技术协会", "江北区科学技术协会"


@pytest.fixture
def registry():
    """The registry, restored after the test to what it held before."""
    before = {indicator.key for indicator in indicators.registered()}
    yield indicators
    for indicator in indicators.registered():
        if indicator.key not in before:
            indicators.unregister(indicator.key)


@pytest.fixture
def by_district(registry):
    """A measure-9 indicator read per district: 100 + the district's division code's last two digits."""

    def local(district, as_of):
        return IndicatorReading(
            value=100 + int(district.code[-2:]), as_of=date(2026, 6, 30), explanation="本区"
        )

    registry.register(
        "test.hours",
        label="服务时长测试",
        unit="h",
        measures=[9],
        compute=lambda as_of: IndicatorReading(value=9999, as_of=date(2026, 6, 30)),
        by_district=local,
    )
    registry.register(
        "test.city_only", label="仅全市测试", measures=[9], compute=lambda as_of: IndicatorReading(1, None)
    )
    return registry


@pytest.fixture
def district_tasks(notice, supervisor, orgs):
    """Two tasks of 渝中区 (one led, one cooperated on under 科学技术普及部), one of 江北区."""
    measure9 = Measure.objects.get(notice=notice, number=9)
    return {
        "led": create_task(
            title="渝中区科普示范社区建设", lead=orgs[YUZHONG], by=supervisor, measure=measure9
        ),
        "cooperating": create_task(
            title="全域科普联动",
            lead=orgs["科学技术普及部"],
            cooperating=[orgs[YUZHONG]],
            by=supervisor,
            measure=measure9,
        ),
        "other": create_task(title="江北区科普大篷车", lead=orgs[JIANGBEI], by=supervisor, measure=measure9),
    }


@pytest.fixture
def yuzhong_staff(make_user):
    return make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name=YUZHONG)


# --- the registry ------------------------------------------------------------------------------------


def test_by_district_reading_gets_the_district_and_the_date(registry, orgs):
    seen = []

    def local(district, as_of):
        seen.append((district.code, as_of))
        return IndicatorReading(value="3.5", as_of=as_of)

    indicator = registry.register(
        "test.rate",
        label="rate",
        unit="%",
        measures=[9],
        compute=lambda on: IndicatorReading(7, on),
        by_district=local,
    )

    reading = indicator.compute_for_district(orgs[YUZHONG], date(2026, 3, 1))

    assert reading == IndicatorReading(value=Decimal("3.5"), as_of=date(2026, 3, 1))
    assert seen == [("500103", date(2026, 3, 1))]
    assert indicator.has_district_reading is True
    assert registry.get("test.rate").compute(None).value == 7  # the city-wide reading is unchanged


def test_indicator_without_by_district_has_no_district_reading(registry, orgs):
    indicator = registry.register(
        "test.count", label="count", measures=[9], compute=lambda on: IndicatorReading(1, on)
    )

    assert indicator.has_district_reading is False
    with pytest.raises(NoDistrictReading):
        indicator.compute_for_district(orgs[YUZHONG])
    assert indicators.district_reading(indicator, orgs[YUZHONG]) == (None, "")


def test_by_district_not_callable_refused(registry):
    with pytest.raises(ImproperlyConfigured):
        registry.register(
            "test.bad", label="bad", measures=[9], compute=lambda on: IndicatorReading(1, on), by_district=3
        )
    assert "test.bad" not in {i.key for i in registry.registered()}


def test_failing_or_malformed_district_reading_gives_a_message(registry, orgs):
    def broken(district, as_of):
        raise ZeroDivisionError

    failing = registry.register(
        "test.broken", label="b", measures=[9], compute=lambda on: IndicatorReading(1, on), by_district=broken
    )
    malformed = registry.register(
        "test.malformed",
        label="m",
        measures=[9],
        compute=lambda on: IndicatorReading(1, on),
        by_district=lambda d, on: 5,
    )

    reading, error = indicators.district_reading(failing, orgs[YUZHONG])
    assert reading is None and error
    with pytest.raises(TypeError):
        malformed.compute_for_district(orgs[YUZHONG])


# --- the pages ---------------------------------------------------------------------------------------


def test_district_user_lands_on_own_district_with_tasks_and_indicators(
    by_district, district_tasks, yuzhong_staff, login
):
    client = login(yuzhong_staff)

    index = client.get("/supervision/districts/")
    assert index.status_code == 302 and index["Location"] == "/supervision/districts/500103/"
    html = client.get("/supervision/districts/500103/").content.decode()

    assert "渝中区科普示范社区建设" in html and "全域科普联动" in html
    assert "江北区科普大篷车" not in html
    assert 'data-total="tasks">2<' in html
    # Each measure's indicators: the district's reading beside the city's; city-only ones listed apart.
    row = html[html.index('data-key="test.hours"') :]
    row = row[: row.index("</li>")]
    assert "103h" in row and "9999h" in row
    city_only = html[html.index('data-testid="city-only"') :]
    assert "仅全市测试" in city_only[: city_only.index("</details>")]
    # Both tasks open for the district (it leads one and cooperates on the other).
    for task in (district_tasks["led"], district_tasks["cooperating"]):
        assert f'href="/supervision/tasks/{task.pk}/"' in html


def test_district_user_cannot_open_another_district(district_tasks, yuzhong_staff, login):
    client = login(yuzhong_staff)

    assert client.get("/supervision/districts/500105/").status_code == 404
    assert client.get("/supervision/districts/?district=500105").status_code == 404
    assert client.get("/supervision/districts/nonsense/").status_code == 404


def test_leader_picks_any_district(by_district, district_tasks, leader, login):
    client = login(leader)

    index = client.get("/supervision/districts/")
    html = index.content.decode()
    assert index.status_code == 200
    assert html.count('<option value="50') == 38
    jiangbei_row = html[html.index('data-district="500105"') :]
    assert "江北区" in jiangbei_row[: jiangbei_row.index("</tr>")]
    picked = client.get("/supervision/districts/?district=500105")
    assert picked.status_code == 302 and picked["Location"] == "/supervision/districts/500105/"
    page = client.get("/supervision/districts/500105/").content.decode()
    assert "江北区科普大篷车" in page and "渝中区科普示范社区建设" not in page
    assert "105h" in page
    assert client.get("/supervision/districts/999999/").status_code == 404


def test_department_staff_sees_a_district_but_links_only_tasks_they_may_open(
    district_tasks, kepu_staff, zhanlue_staff, login
):
    client = login(kepu_staff)

    html = client.get("/supervision/districts/500103/").content.decode()

    assert "渝中区科普示范社区建设" in html
    assert f'href="/supervision/tasks/{district_tasks["cooperating"].pk}/"' in html  # 科普部 leads it
    assert f'href="/supervision/tasks/{district_tasks["led"].pk}/"' not in html
    assert client.get(f"/supervision/tasks/{district_tasks['led'].pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.EXPERT, Role.SOCIETY_STAFF, Role.VOLUNTEER])
def test_roles_outside_the_ledger_refused(role, notice, make_user, login):
    client = login(make_user("outsider", role=role))

    assert client.get("/supervision/districts/").status_code == 403
    assert client.get("/supervision/districts/500103/").status_code == 403


def test_menu_entry_follows_the_rule(yuzhong_staff, leader, kepu_staff, make_user):
    enterprise = make_user("qiye", role=Role.ENTERPRISE)
    shown = {
        user.username: "policy.districts" in {e.key for e in menus.entries_for(user, section="supervision")}
        for user in (yuzhong_staff, leader, kepu_staff, enterprise)
    }
    assert shown == {"yuzhong": True, "leader": True, "kepu": True, "qiye": False}


def test_district_page_queries_do_not_grow_with_tasks(district_tasks, yuzhong_staff, supervisor, orgs, login):
    client = login(yuzhong_staff)
    client.get("/supervision/districts/500103/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as two:
        client.get("/supervision/districts/500103/")
    measure = district_tasks["led"].measure
    for n in range(3):
        create_task(title=f"渝中区任务{n}", lead=orgs[YUZHONG], by=supervisor, measure=measure)
    with CaptureQueriesContext(connection) as five:
        html = client.get("/supervision/districts/500103/").content.decode()
    assert 'data-total="tasks">5<' in html
    assert len(five) == len(two)


def test_an_indicator_of_several_measures_is_read_once_and_shown_under_the_first(registry, notice, orgs):
    from kexie.policy.district_view import district_indicators

    calls = []

    def local(district, as_of):
        calls.append(district.code)
        return IndicatorReading(value=1, as_of=None)

    registry.register(
        "test.shared",
        label="共享",
        measures=[9, 10],
        compute=lambda on: IndicatorReading(2, None),
        by_district=local,
    )
    measures = list(Measure.objects.filter(notice=notice).order_by("number"))

    grouped, _city_only = district_indicators(orgs[YUZHONG], measures)

    shown = [(item.measure.number, row.key, row.other_measures) for item in grouped for row in item.rows]
    assert [entry for entry in shown if entry[1] == "test.shared"] == [(9, "test.shared", [10])]
    assert calls == ["500103"]
