"""The staff JSON API: calls, channels and quotas, codes, rounds, assignment, decisions, 公示 and
publication — the same access rules as the staff pages (404 invisible, 403 read-only), the same
services (audit events, Chinese messages on bad input, nothing half-written)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.calls import services
from kexie.calls.enums import CallState, FormalOutcome, RoundState, SubmissionState
from kexie.calls.models import Assignment, Call, Channel, ReviewRound, Submission
from kexie.core.models import AuditEvent

from .conftest import ANSWERS, SCHEMA

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
API = "/api/v1/calls/manage"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_staff_run_a_call_through_the_api(  # noqa: PLR0915 - one journey
    client, login, staff, other_staff, orgs, make_user, university, reviewers, channel_admin
):
    stranger = make_user("plain", role=None)
    login(stranger)
    assert client.get(f"{API}/calls").status_code == 403
    assert (
        _post(
            client, f"{API}/calls", {"kind": "award", "title": "x", "organiser_id": 1, "year": 2026}
        ).status_code
        == 403
    )

    login(staff)
    closes = (timezone.now() + dt.timedelta(days=10)).isoformat()
    payload = {
        "kind": "award",
        "title": "2026年度接口测试奖",
        "organiser_id": orgs["组织人事部"].pk,
        "year": 2026,
        "closes_at": closes,
        "needs_code": False,
        "endorsement_chain": ["organiser"],
    }
    bad = _post(
        client,
        f"{API}/calls",
        {
            **payload,
            "form_schema": {
                "sections": [{"title": "甲", "fields": [{"key": "x", "label": "数", "type": "nope"}]}]
            },
        },
    )
    assert bad.status_code == 422 and "未知类型" in bad.json()["detail"]
    foreign = _post(
        client, f"{API}/calls", {**payload, "organiser_id": orgs["科学技术普及部"].pk, "form_schema": SCHEMA}
    )
    assert foreign.status_code == 403
    assert not Call.objects.exists()
    created = _post(client, f"{API}/calls", {**payload, "form_schema": SCHEMA})
    assert created.status_code == 201, created.content
    call_id = created.json()["id"]
    assert created.json()["state"] == CallState.DRAFT
    assert AuditEvent.objects.filter(action="calls.call.create", object_id=str(call_id)).exists()
    patched = client.patch(f"{API}/calls/{call_id}", {"publicity_days": 40}, content_type="application/json")
    assert patched.status_code == 422 and "1 至 30 个工作日" in patched.json()["detail"]
    patched = client.patch(f"{API}/calls/{call_id}", {"publicity_days": 3}, content_type="application/json")
    assert patched.status_code == 200 and Call.objects.get(pk=call_id).publicity_days == 3

    # Another department does not see the call (404); a leader reads it but may not run it (403).
    login(other_staff)
    assert client.get(f"{API}/calls/{call_id}").status_code == 404
    assert _post(client, f"{API}/calls/{call_id}/open").status_code == 404
    leader = make_user("leader", role=Role.LEADER)
    login(leader)
    assert client.get(f"{API}/calls/{call_id}").status_code == 200
    assert _post(client, f"{API}/calls/{call_id}/open").status_code == 403

    # Channels and quotas; codes by the channel's administrator.
    login(staff)
    district = orgs["渝中区科学技术协会"].pk
    response = _post(
        client,
        f"{API}/calls/{call_id}/channels",
        {"organization_id": district, "quota": 2, "admins": ["nobody"]},
    )
    assert response.status_code == 422 and "nobody" in response.json()["detail"]
    response = _post(client, f"{API}/calls/{call_id}/channels", {"organization_id": district, "quota": 0})
    assert response.status_code == 422 and "名额至少为 1" in response.json()["detail"]
    response = _post(
        client,
        f"{API}/calls/{call_id}/channels",
        {"organization_id": district, "quota": 2, "admins": [channel_admin.username]},
    )
    assert response.status_code == 201 and response.json()["admins"] == [channel_admin.username]
    channel_id = response.json()["id"]
    response = client.patch(f"{API}/channels/{channel_id}", {"quota": 5}, content_type="application/json")
    assert response.status_code == 200 and response.json()["quota"] == 5
    login(channel_admin)
    assert (
        client.patch(
            f"{API}/channels/{channel_id}", {"quota": 9}, content_type="application/json"
        ).status_code
        == 403
    )
    response = _post(client, f"{API}/channels/{channel_id}/codes", {"count": 501})
    assert response.status_code == 422
    response = _post(client, f"{API}/channels/{channel_id}/codes", {"count": 2})
    assert response.status_code == 201 and len(response.json()) == 2
    assert Channel.objects.get(pk=channel_id).codes.count() == 2

    login(staff)
    assert _post(client, f"{API}/calls/{call_id}/open").json()["state"] == CallState.OPEN
    call = Call.objects.get(pk=call_id)
    dossiers = []
    for n, name in enumerate(["林晓雨", "周可"]):
        user = make_user(f"nominee{n}", role=None)
        s = services.create_submission(
            call=call, applicant=user, organization=university, title=f"页岩气研究{n}"
        )
        services.save_draft(s, by=user, data={**ANSWERS, "name": name})
        services.attach_file(s, field_key="evidence", upload=SimpleUploadedFile("a.pdf", PDF), by=user)
        s = services.endorse(services.submit(s, by=user), by=staff)
        dossiers.append(services.formal_check(s, by=staff, outcome=FormalOutcome.PASS))

    # A round: a bad rubric is refused; then invite, pin/forbid, assign with the conflict excluded.
    response = _post(
        client,
        f"{API}/calls/{call_id}/rounds",
        {"rubric": [{"key": "a", "label": "事迹", "min": 10, "max": 5}]},
    )
    assert response.status_code == 422 and "最高分须大于最低分" in response.json()["detail"]
    assert not ReviewRound.objects.exists()
    response = _post(
        client,
        f"{API}/calls/{call_id}/rounds",
        {
            "name": "通讯评审",
            "rubric": [{"key": "merit", "label": "事迹", "max": 100}],
            "reviewers_per_submission": 2,
            "max_load": 2,
        },
    )
    assert response.status_code == 201
    round_id = response.json()["id"]
    response = _post(client, f"{API}/rounds/{round_id}/reviewers", {"expert_ids": [999999]})
    assert response.status_code == 422 and "999999" in response.json()["detail"]
    response = _post(client, f"{API}/rounds/{round_id}/reviewers", {"expert_ids": [e.pk for e in reviewers]})
    assert response.status_code == 200 and response.json()["reviewers"] == 3
    response = _post(client, f"{API}/rounds/{round_id}/assign", {"method": "magic"})
    assert response.status_code == 422
    response = _post(client, f"{API}/rounds/{round_id}/assign")
    assert response.status_code == 200
    wang = reviewers[2]
    assert not Assignment.objects.filter(round_id=round_id, reviewer__expert=wang).exists()
    assert ReviewRound.objects.get(pk=round_id).exclusions.filter(expert=wang).count() == 2
    login(other_staff)
    assert _post(client, f"{API}/rounds/{round_id}/assign").status_code == 404

    # Reviewers score (their own API, tested elsewhere); staff aggregate, decide, publish.
    for a in Assignment.objects.filter(round_id=round_id, active=True).select_related("reviewer__expert"):
        services.score(
            a, by=a.reviewer.expert.user, scores={"merit": 90 if a.submission_id == dossiers[0].pk else 70}
        )
    login(staff)
    results = _post(client, f"{API}/rounds/{round_id}/aggregate").json()
    assert [r["submission_id"] for r in results] == [dossiers[0].pk, dossiers[1].pk]
    response = _post(client, f"{API}/calls/{call_id}/decide", {"selections": {"abc": ["selected", ""]}})
    assert response.status_code == 422
    response = _post(client, f"{API}/calls/{call_id}/decide", {"rule": {"top_n": 1}})
    assert response.status_code == 200
    assert {s["id"]: s["decision"] for s in response.json()} == {
        dossiers[0].pk: "selected",
        dossiers[1].pk: "not_selected",
    }
    response = _post(client, f"{API}/calls/{call_id}/finalise")
    assert response.status_code == 422 and "公示" in response.json()["detail"]
    assert _post(client, f"{API}/calls/{call_id}/publicity").json()["state"] == CallState.PUBLICITY
    Call.objects.filter(pk=call_id).update(publicity_end=timezone.localdate() - dt.timedelta(days=1))
    response = _post(client, f"{API}/calls/{call_id}/finalise")
    assert response.status_code == 200 and response.json()["state"] == CallState.FINAL
    # Publishing closed the round that was still open, without aggregating again.
    assert ReviewRound.objects.get(pk=round_id).state == RoundState.CLOSED
    assert set(Submission.objects.filter(call_id=call_id).values_list("state", flat=True)) == {
        SubmissionState.FINAL
    }
    assert client.get(f"{API}/rounds/{round_id}/results").json()[0]["rank"] == 1
    assert AuditEvent.objects.filter(action="calls.round.close", object_id=str(round_id)).exists()
