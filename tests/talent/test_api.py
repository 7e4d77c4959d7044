"""The talent API: the same scoping and refusals as the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kexie.talent.enums import RoundState
from kexie.talent.services import awards, programme
from tests.talent.conftest import PERSON

pytestmark = pytest.mark.django_db


def test_public_rounds_and_vote_once_a_day(client, catalogue, xuanchuan, zuzhi, citizen):
    today = timezone.localdate()
    hidden = awards.open_round(award=catalogue["qiushi"], year=2026, by=zuzhi)
    r = awards.open_round(
        award=catalogue["most_beautiful_engineer"],
        year=2026,
        by=xuanchuan,
        voting_opens=today,
        voting_closes=today + timedelta(days=2),
    )
    awards.advance_round(round=r, by=xuanchuan, to=RoundState.NOMINATING)
    a = awards.add_nomination(round=r, by=xuanchuan, **PERSON)
    awards.advance_round(round=r, by=xuanchuan, to=RoundState.REVIEWING)
    rows = client.get("/api/v1/talent/rounds").json()
    assert [(row["id"], row["voting_open"]) for row in rows] == [(r.pk, True)]
    assert client.get(f"/api/v1/talent/rounds/{hidden.pk}/nominations").status_code == 404
    client.force_login(citizen)
    assert client.post(f"/api/v1/talent/nominations/{a.pk}/vote").status_code == 201
    again = client.post(f"/api/v1/talent/nominations/{a.pk}/vote")
    assert again.status_code == 422
    assert "今天已经投过票" in again.json()["detail"]
    listed = client.get(f"/api/v1/talent/rounds/{r.pk}/nominations").json()
    assert [(n["name"], n["votes"], n["supported"]) for n in listed] == [("林晓", 1, False)]


def test_report_filed_through_the_api_by_its_person_only(client, zuzhi, make_user, make_expert):
    own = make_user("linxiao", role=None)
    cohort = programme.create_cohort(name="2025年度托举", year=2025, starts_on=date(2025, 9, 1), by=zuzhi)
    person = programme.add_supported_person(
        cohort=cohort,
        by=zuzhi,
        expert=make_expert("林晓", user=own),
        project_title="p",
        mentors=[{"name": "m"}],
        **PERSON,
    )
    report = person.reports.first()
    client.force_login(make_user("other", role=None))
    assert (
        client.post(
            f"/api/v1/talent/reports/{report.pk}", {"progress": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(own)
    assert [r["support_year"] for r in client.get("/api/v1/talent/reports").json()] == [1, 2, 3]
    empty = client.post(
        f"/api/v1/talent/reports/{report.pk}", {"progress": " "}, content_type="application/json"
    )
    assert empty.status_code == 422
    done = client.post(
        f"/api/v1/talent/reports/{report.pk}", {"progress": "完成"}, content_type="application/json"
    )
    assert done.json()["state"] == "submitted"
