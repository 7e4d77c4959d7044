"""Pages through the client: content, state changes, scoping (404 for another society's objects),
bad input shown on the form with nothing written, the exports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kexie.societies import services
from kexie.societies.enums import EventState, InspectionState
from kexie.societies.models import Event, Inspection, Journal, Registration

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def directory(staff, cscd):
    journals = [
        services.register_journal(
            by=staff,
            title="重庆大学学报",
            cn="50-1044/N",
            issn="1000-582X",
            publisher="重庆大学",
            discipline="综合",
            indexing=[cscd],
        ),
        services.register_journal(
            by=staff,
            title="重庆医学",
            cn="50-1097/R",
            issn="1671-8348",
            publisher="重庆市卫生信息中心",
            discipline="医药卫生",
        ),
    ]
    directory = services.create_directory(
        by=staff, title="重庆市高质量科技期刊分级目录（2025年版）", year=2025, tiers="T1、T2"
    )
    services.add_directory_entry(directory=directory, journal=journals[0], tier="T1", by=staff)
    services.add_directory_entry(directory=directory, journal=journals[1], tier="T2", by=staff)
    return services.publish_directory(directory=directory, by=staff)


def test_staff_pages_render(login, staff, society, approved_event, directory):
    client = login(staff)
    for name, args in [
        ("societies:home", []),
        ("societies:society_list", []),
        ("societies:society_detail", [society.pk]),
        ("societies:society_edit", [society.pk]),
        ("societies:inspection_list", []),
        ("societies:founding_list", []),
        ("societies:founding_create", []),
        ("societies:event_list", []),
        ("societies:event_create", []),
        ("societies:event_detail", [approved_event.pk]),
        ("societies:check_in", [approved_event.pk]),
        ("societies:journal_list", []),
        ("societies:journal_create", []),
        ("societies:directory_list", []),
        ("societies:directory_compose", [directory.pk]),
        ("societies:cooperation", []),
        ("societies:alliance_create", []),
        ("societies:project_create", []),
        ("societies:international", []),
        ("societies:intl_organization_create", []),
        ("societies:position_create", []),
        ("societies:exchange_create", []),
        ("societies:overseas_expert_create", []),
        ("societies:showcase", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name


def test_secretary_lands_on_own_society_and_cannot_open_another(login, secretary, society, other_society):
    client = login(secretary)
    response = client.get(reverse("societies:home"))
    assert response.url == reverse("societies:society_detail", args=[society.pk])
    assert client.get(reverse("societies:society_detail", args=[other_society.pk])).status_code == 404
    assert client.get(reverse("societies:international")).status_code == 403
    assert client.get(reverse("societies:directory_list")).status_code == 403


def test_public_cannot_see_societies_but_sees_directory(client, society, directory):
    assert client.get(reverse("societies:society_detail", args=[society.pk])).status_code == 302  # to login
    response = client.get(reverse("societies:public_directory", args=[directory.pk]) + "?discipline=医药卫生")
    assert response.status_code == 200
    assert "重庆医学" in response.content.decode() and "重庆大学学报" not in response.content.decode()


def test_directory_xlsx_and_pdf(client, directory):
    response = client.get(reverse("societies:directory_xlsx", args=[directory.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学科", "等级", "刊名")
    assert {r[2] for r in rows[1:]} == {"重庆大学学报", "重庆医学"}
    pdf = client.get(reverse("societies:directory_pdf", args=[directory.pk]) + "?discipline=综合")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_draft_directory_is_not_public(client, staff):
    draft = services.create_directory(by=staff, title="草稿", year=2026, tiers="T1")
    assert client.get(reverse("societies:public_directory", args=[draft.pk])).status_code == 404


def test_inspection_submit_with_missing_fields_shows_errors_and_saves_nothing(login, secretary, society):
    client = login(secretary)
    client.post(reverse("societies:inspection_start", args=[society.pk]), {"year": LAST_YEAR})
    report = Inspection.objects.get()
    response = client.post(
        reverse("societies:inspection_detail", args=[report.pk]), {"individual_members": "300", "submit": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作总结" in page and "invalid-feedback" in page
    report.refresh_from_db()
    assert (report.state, report.individual_members) == (InspectionState.DRAFT, None)


def test_public_registration_and_ticket(client, approved_event):
    url = reverse("societies:public_event", args=[approved_event.pk])
    response = client.post(url, {"name": "张三", "organization": "西南大学", "mobile": "13812345678"})
    registration = Registration.objects.get()
    assert response.url == reverse("societies:ticket", args=[approved_event.pk, registration.code])
    ticket = client.get(response.url).content.decode()
    assert registration.code in ticket and "<svg" in ticket
    again = client.post(
        url, {"name": "张三", "organization": "西南大学", "mobile": "13812345678"}
    ).content.decode()
    assert "已报名" in again or "already" in again
    assert Registration.objects.count() == 1


def test_registration_after_deadline_message(client, approved_event):
    Event.objects.filter(pk=approved_event.pk).update(
        registration_deadline=timezone.now() - timedelta(hours=1)
    )
    page = client.post(
        reverse("societies:public_event", args=[approved_event.pk]),
        {"name": "张三", "organization": "西南大学", "mobile": "13812345678"},
    ).content.decode()
    assert "alert-danger" in page
    assert not Registration.objects.exists()


def test_unapproved_event_has_no_public_page(client, make_event):
    event = make_event()
    assert client.get(reverse("societies:public_event", args=[event.pk])).status_code == 404


def test_double_check_in_shows_message(login, secretary, approved_event):
    registration = services.register_attendee(
        event=approved_event, name="甲", organization="重庆大学", mobile="13800000001"
    )
    client = login(secretary)
    url = reverse("societies:check_in", args=[approved_event.pk])
    client.post(url, {"code": registration.code})
    page = client.post(url, {"code": registration.code}).content.decode()
    assert "invalid-feedback" in page and "甲" in page
    assert Registration.objects.get().checked_in_at is not None


def test_journal_form_duplicate_and_bad_issn(login, staff, directory):
    client = login(staff)
    page = client.post(
        reverse("societies:journal_create"),
        {"title": "新刊", "cn": "CN 50-1044/N", "issn": "1000-5821", "publisher": "x", "discipline": "综合"},
    ).content.decode()
    assert page.count("invalid-feedback") >= 2
    assert Journal.objects.count() == 2


def test_event_apply_and_approve_through_pages(login, staff, secretary, make_event):
    event = make_event()
    login(secretary).post(reverse("societies:event_apply", args=[event.pk]))
    event.refresh_from_db()
    assert event.state == EventState.APPLIED
    login(staff).post(
        reverse("societies:event_decide", args=[event.pk]), {"decision": "approve", "comment": ""}
    )
    event.refresh_from_db()
    assert event.state == EventState.APPROVED


def test_api_scopes_and_registration(
    client, login, secretary, society, other_society, approved_event, directory
):
    api = login(secretary)
    ids = [row["id"] for row in api.get("/api/v1/societies/societies").json()]
    assert ids == [society.pk]
    assert api.get(f"/api/v1/societies/societies/{other_society.pk}").status_code == 404
    response = client.post(
        f"/api/v1/societies/events/{approved_event.pk}/registrations",
        {"name": "李四", "organization": "重庆大学", "mobile": "1381234"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "mobile" in response.json()["detail"]
    journals = client.get("/api/v1/societies/journals?discipline=综合").json()
    assert [j["cn"] for j in journals] == ["50-1044/N"]
    entries = client.get("/api/v1/societies/directories").json()[0]["entries"]
    assert {(e["journal"]["title"], e["tier"]) for e in entries} == {
        ("重庆大学学报", "T1"),
        ("重庆医学", "T2"),
    }
