"""Pages through the client: content and state changes, scoping (404 / 403), the .ics and the PDF."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.outreach import services
from kexie.outreach.enums import SignUpState
from kexie.outreach.models import Bulletin, SignUp, Venue
from tests.outreach.test_activities import _workbook

pytestmark = pytest.mark.django_db


def test_public_calendar_map_and_ics(client, make_activity):
    activity = make_activity()
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    page = client.get(reverse("outreach:calendar"), {"month": month}).content.decode()
    assert activity.title in page
    page = client.get(reverse("outreach:map")).content.decode()
    assert "渝中区" in page and "vendor/echarts/chongqing.js" in page
    ics = client.get(reverse("outreach:calendar_ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.content.decode() and activity.title in ics.content.decode()


def _local(*args):
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 - local wall time, made aware here


def test_calendar_is_a_month_grid_with_a_day_list(client, make_activity):
    # March 2026 starts on a Sunday: the Monday-first grid runs from 23 February to 5 April.
    early = make_activity(
        title="三月科普讲座", starts_at=_local(2026, 3, 2, 10), ends_at=_local(2026, 3, 2, 12)
    )
    late = make_activity(title="月末观星夜", starts_at=_local(2026, 3, 31, 23), ends_at=_local(2026, 4, 1, 1))
    april = make_activity(
        title="四月科普集市", starts_at=_local(2026, 4, 1, 9), ends_at=_local(2026, 4, 1, 11)
    )
    response = client.get(reverse("outreach:calendar"), {"month": "2026-03"})
    weeks = response.context["weeks"]
    assert (weeks[0][0]["day"], weeks[-1][-1]["day"]) == (date(2026, 2, 23), date(2026, 4, 5))
    cells = {cell["day"]: cell for week in weeks for cell in week}
    assert cells[date(2026, 3, 2)]["items"] == [early] and cells[date(2026, 3, 2)]["in_month"]
    assert cells[date(2026, 3, 31)]["items"] == [late]  # by its local start day
    assert cells[date(2026, 4, 1)]["items"] == [april] and not cells[date(2026, 4, 1)]["in_month"]
    # the phone's day list and the count hold March only; prev/next months link with the filter
    assert [d for d, _items in response.context["days"]] == [date(2026, 3, 2), date(2026, 3, 31)]
    assert response.context["total"] == 2
    page = response.content.decode()
    assert 'data-testid="month-grid"' in page and 'data-testid="day-list"' in page
    assert "?month=2026-02" in page and "?month=2026-04" in page
    filtered = client.get(reverse("outreach:calendar"), {"month": "2026-03", "district": "500105"})
    assert filtered.context["total"] == 0 and "?month=2026-04&district=500105" in filtered.content.decode()
    assert client.get(reverse("outreach:calendar"), {"month": "2026-13"}).status_code == 200


def test_district_registers_an_activity_through_the_form(login, district_user, activity_form_values):
    client = login(district_user)
    response = client.post(reverse("outreach:activity_create"), activity_form_values("科普日集市"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "科普日集市" in page and "签到二维码" in page


def test_volunteer_scans_a_forged_code_and_sees_a_chinese_error(client, make_activity, make_volunteer):
    make_activity(starts_in=timedelta(minutes=-5))
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    response = client.get(reverse("outreach:scan", args=["forged:token"]))
    assert "该二维码无效" in response.content.decode()


def test_scan_page_checks_in_once(client, make_activity, make_volunteer):
    activity = make_activity(starts_in=timedelta(minutes=-5))
    volunteer = make_volunteer()
    client.force_login(volunteer.user)
    url = reverse("outreach:scan", args=[services.checkin_token(activity, "in")])
    assert "已于" in client.post(url).content.decode()
    second = client.post(url)
    assert second.status_code == 400 and "您已签到" in second.content.decode()
    assert SignUp.objects.get().state == SignUpState.CHECKED_IN


def test_confirm_twice_through_the_page_shows_the_refusal(
    login, district_user, make_activity, make_volunteer
):
    activity = make_activity(starts_in=timedelta(hours=-3))
    volunteer = make_volunteer()
    services.scan(token=services.checkin_token(activity, "in"), volunteer=volunteer, now=activity.starts_at)
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=volunteer,
        now=activity.starts_at + timedelta(hours=2),
    )
    client = login(district_user)
    client.post(reverse("outreach:confirm", args=[signup.pk]), {"hours": "2"})
    response = client.post(reverse("outreach:confirm", args=[signup.pk]), {"hours": "3"}, follow=True)
    assert "已确认，不能重复确认" in response.content.decode()
    signup.refresh_from_db()
    assert str(signup.confirmed_hours) == "2.0"


def test_ledger_and_certificate_pdf(client, district_user, make_activity, make_volunteer):
    activity = make_activity(starts_in=timedelta(hours=-3))
    volunteer = make_volunteer("周晓燕")
    services.scan(token=services.checkin_token(activity, "in"), volunteer=volunteer, now=activity.starts_at)
    signup = services.scan(
        token=services.checkin_token(activity, "out"),
        volunteer=volunteer,
        now=activity.starts_at + timedelta(hours=2),
    )
    services.confirm_hours(signup=signup, by=district_user)
    client.force_login(volunteer.user)
    page = client.get(reverse("outreach:my_volunteering")).content.decode()
    assert activity.title in page and "2.0" in page
    pdf = client.get(reverse("outreach:certificate"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_other_district_cannot_open_the_codes_page(login, other_district_user, make_activity):
    activity = make_activity()
    assert (
        login(other_district_user).get(reverse("outreach:checkin_codes", args=[activity.pk])).status_code
        == 403
    )


def test_bulletin_to_an_empty_audience_shows_a_message(login, manager):
    client = login(manager)
    bulletin = services.save_bulletin(
        by=manager,
        title="提示",
        topic="heat",
        content="防暑",
        audience="chosen",
        is_drill=True,
        read_within_hours=2,
    )
    response = client.post(reverse("outreach:bulletin_publish", args=[bulletin.pk]), follow=True)
    assert "发送范围为空" in response.content.decode()
    assert Bulletin.objects.get(pk=bulletin.pk).state == "draft"


def test_district_reads_a_bulletin_through_the_page(login, manager, district_user):
    bulletin = services.publish_bulletin(
        bulletin=services.save_bulletin(
            by=manager,
            title="提示",
            topic="heat",
            content="防暑",
            audience="districts",
            is_drill=False,
            read_within_hours=2,
        ),
        by=manager,
    )
    client = login(district_user)
    delivery = bulletin.deliveries.get(organization__code="500103")
    client.post(reverse("outreach:delivery_read", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.read_by == district_user
    page = (
        login(manager)
        .get(reverse("outreach:bulletin_detail", args=[bulletin.pk]), {"hours": "0"})
        .content.decode()
    )
    assert "江北区科学技术协会" in page


def test_registry_forms_for_exhibitions_and_tour_stops(login, manager, make_user, orgs):
    venue_org = orgs["重庆科技馆"]
    venue = Venue.objects.create(
        name="重庆市流动科技馆", kind="mobile_museum", district="500105", organization=venue_org
    )
    staff = make_user("venue", role=Role.SOCIETY_STAFF, org_name="重庆科技馆")
    client = login(staff)
    response = client.post(
        reverse("outreach:registry_create", args=["exhibitions"]),
        {"venue": venue.pk, "title": "航天展", "kind": "touring", "starts_on": "2025-09-01"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("outreach:registry_create", args=["stops"]),
        {
            "venue": venue.pk,
            "district": "500230",
            "place": "丰都县中心小学",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-10",
            "state": "planned",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("outreach:venue_detail", args=[venue.pk])).content.decode()
    assert "航天展" in page and "丰都县中心小学" in page


def test_import_page_lists_row_errors(login, district_user):
    data = _workbook(
        [["讲座", "讲座", "老年人", "渝东区", "某地", "2025-09-20 09:00", "2025-09-20 11:00", "", "", "", ""]]
    )
    response = login(district_user).post(
        reverse("outreach:activity_import"), {"file": SimpleUploadedFile("a.xlsx", data)}
    )
    page = response.content.decode()
    assert "未导入任何数据" in page and "第 2 行“区县”" in page
