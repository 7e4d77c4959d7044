"""Pages and API: staff create a call and a round through the pages, the nominee works on a phone
form, scoping answers 404/403, and bad input comes back in Chinese on the page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kexie.calls import services
from kexie.calls.enums import CallState, SubmissionState
from kexie.calls.models import Call, ReviewRound

from .conftest import ANSWERS, SCHEMA

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def test_staff_create_call_and_round_through_the_pages(login, staff, orgs):
    client = login(staff)
    page = client.get(reverse("calls:call_create"))
    assert page.status_code == 200
    bad = {
        "kind": "award",
        "title": "坏表单",
        "organiser": orgs["组织人事部"].pk,
        "year": 2026,
        "publicity_days": 5,
        "form_schema": json.dumps(
            {"sections": [{"title": "甲", "fields": [{"key": "x", "label": "数", "type": "nope"}]}]}
        ),
        "eligibility": "[]",
        "endorsement_chain": "unit, organiser",
    }
    response = client.post(reverse("calls:call_create"), bad)
    assert response.status_code == 200 and "未知类型" in response.content.decode()
    assert not Call.objects.filter(title="坏表单").exists()
    response = client.post(reverse("calls:call_create"), {**bad, "form_schema": "{not json"})
    assert "不是有效的 JSON" in response.content.decode()
    good = {
        **bad,
        "title": "2026年度测试奖",
        "form_schema": json.dumps(SCHEMA, ensure_ascii=False),
        "closes_at": (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(reverse("calls:call_create"), good)
    call = Call.objects.get(title="2026年度测试奖")
    assert response.status_code == 302 and call.endorsement_chain == ["unit", "organiser"]
    response = client.post(
        reverse("calls:call_manage", args=[call.pk]),
        {"action": "channel", "organization": orgs["渝中区科学技术协会"].pk, "quota": 2, "admins": "nobody"},
    )
    assert "未知的用户名" in response.content.decode()
    client.post(
        reverse("calls:call_manage", args=[call.pk]),
        {"action": "channel", "organization": orgs["渝中区科学技术协会"].pk, "quota": 2, "admins": ""},
    )
    assert call.channels.count() == 1
    client.post(reverse("calls:call_manage", args=[call.pk]), {"action": "open"})
    call.refresh_from_db()
    assert call.state == CallState.OPEN
    response = client.post(
        reverse("calls:round_create", args=[call.pk]),
        {
            "name": "通讯评审",
            "kind": "remote",
            "blind": "on",
            "reviewers_per_submission": 3,
            "max_load": 10,
            "aggregation": "zscore",
            "rubric": json.dumps([{"key": "a", "label": "事迹", "min": 10, "max": 5}]),
        },
    )
    assert "最高分须大于最低分" in response.content.decode()
    response = client.post(
        reverse("calls:round_create", args=[call.pk]),
        {
            "name": "通讯评审",
            "kind": "remote",
            "blind": "on",
            "reviewers_per_submission": 3,
            "max_load": 10,
            "aggregation": "zscore",
            "rubric": json.dumps([{"key": "a", "label": "事迹", "min": 0, "max": 100}]),
        },
    )
    review_round = ReviewRound.objects.get(call=call)
    assert response.status_code == 302
    assert client.get(reverse("calls:round", args=[review_round.pk])).status_code == 200
    assert client.get(reverse("calls:ranking", args=[review_round.pk])).status_code == 200


def test_other_users_cannot_open_staff_pages_or_foreign_dossiers(
    client, login, call, dossier, other_staff, make_user
):
    stranger = make_user("stranger", role=None)
    login(stranger)
    assert client.get(reverse("calls:dossier", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("calls:call_manage", args=[call.pk])).status_code == 404
    assert client.get(reverse("calls:manage")).status_code == 403
    login(other_staff)
    assert client.get(reverse("calls:call_manage", args=[call.pk])).status_code == 404
    assert client.get(reverse("calls:dossier", args=[dossier.pk])).status_code == 404
    assert client.get(f"/api/v1/calls/submissions/{dossier.pk}").status_code == 404


def test_nominee_fills_the_dossier_and_sees_errors_in_chinese(client, login, dossier, nominee):
    login(nominee)
    url = reverse("calls:dossier_edit", args=[dossier.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": dossier.title, "papers": "900", "action": "save"})
    assert "代表性论文数" in response.content.decode() and "200" in response.content.decode()
    response = client.post(
        url,
        {
            "title": dossier.title,
            **{k: v for k, v in ANSWERS.items() if k != "team"},
            "team": "周海，重庆大学",
            "evidence": SimpleUploadedFile("x.exe", b"MZ"),
            "action": "save",
        },
    )
    assert "文件类型不被接受" in response.content.decode()
    response = client.post(
        url,
        {
            "title": dossier.title,
            **{k: v for k, v in ANSWERS.items() if k != "team"},
            "team": "周海，重庆大学",
            "evidence": SimpleUploadedFile("e.pdf", PDF),
            "action": "submit",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == SubmissionState.SUBMITTED and dossier.data["team"] == [
        {"name": "周海", "unit": "重庆大学"}
    ]


def test_channel_admin_issues_codes_and_endorses(
    client, login, channel, channel_admin, dossier, nominee, unit_staff
):
    login(channel_admin)
    response = client.post(reverse("calls:channel", args=[channel.pk]), {"count": 3})
    assert response.status_code == 302 and channel.codes.count() == 4
    xlsx = client.get(reverse("calls:channel", args=[channel.pk]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    services.attach_file(dossier, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=nominee)
    services.submit(dossier, by=nominee)
    services.endorse(dossier, by=unit_staff)
    assert client.get(reverse("calls:my_channels")).status_code == 200
    client.post(reverse("calls:endorse", args=[dossier.pk]), {"comment": "同意推荐"})
    dossier.refresh_from_db()
    assert dossier.endorsed_levels == 2


def test_public_calls_and_api(client, call, dossier):
    assert client.get(reverse("calls:index")).status_code == 200
    assert client.get(reverse("calls:call", args=[call.pk])).status_code == 200
    data = client.get("/api/v1/calls/calls").json()
    assert [c["title"] for c in data] == [call.title]
    assert client.get("/api/v1/calls/submissions").status_code == 401


def test_api_nominee_flow(client, login, dossier, nominee):
    login(nominee)
    response = client.put(
        f"/api/v1/calls/submissions/{dossier.pk}/draft",
        {"data": {"papers": 999}},
        content_type="application/json",
    )
    assert response.status_code == 422 and "代表性论文数" in response.json()["detail"]
    mine = client.get("/api/v1/calls/submissions").json()
    assert [s["id"] for s in mine] == [dossier.pk]
