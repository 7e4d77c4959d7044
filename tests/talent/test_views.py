"""Talent pages through the client: content, state changes, refusals and 404s."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kexie.talent.enums import NominationOutcome, ReportState, RoundState
from kexie.talent.models import Vote
from kexie.talent.services import academicians, awards, programme
from tests.conftest import verify_session
from tests.talent.conftest import PERSON

pytestmark = pytest.mark.django_db


def _open(award, by, **kw):
    r = awards.open_round(award=award, year=2026, by=by, **kw)
    awards.advance_round(round=r, by=by, to=RoundState.NOMINATING)
    return r


def test_round_page_flags_supported_people_and_records_outcomes(client, catalogue, zuzhi, make_expert):
    expert = make_expert("林晓")
    cohort = programme.create_cohort(name="2024年度托举", year=2024, starts_on=date(2024, 7, 1), by=zuzhi)
    programme.add_supported_person(
        cohort=cohort, by=zuzhi, expert=expert, project_title="p", mentors=[{"name": "m"}], **PERSON
    )
    r = _open(catalogue["cq_top_ten_youth"], zuzhi)
    flagged = awards.add_nomination(round=r, by=zuzhi, expert=expert, **PERSON)
    awards.add_nomination(round=r, by=zuzhi, **{**PERSON, "name": "王川"})
    awards.advance_round(round=r, by=zuzhi, to=RoundState.REVIEWING)
    verify_session(client, zuzhi)
    page = client.get(reverse("talent:round_detail", args=[r.pk])).content.decode()
    assert page.count('data-testid="supported-flag"') == 1
    response = client.post(reverse("talent:nomination_decide", args=[flagged.pk]), {"outcome": "winner"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.outcome == NominationOutcome.WINNER


def test_round_page_is_staff_only(client, catalogue, zuzhi, kepu, citizen):
    r = _open(catalogue["qiushi"], zuzhi)
    verify_session(client, citizen)
    assert client.get(reverse("talent:round_detail", args=[r.pk])).status_code == 403


def test_vote_twice_a_day_shows_a_message(client, catalogue, xuanchuan, citizen):
    today = timezone.localdate()
    r = _open(
        catalogue["most_beautiful_worker"],
        xuanchuan,
        voting_opens=today - timedelta(days=1),
        voting_closes=today + timedelta(days=1),
        vote_weight=Decimal("0.3"),
    )
    a = awards.add_nomination(round=r, by=xuanchuan, **PERSON)
    awards.advance_round(round=r, by=xuanchuan, to=RoundState.REVIEWING)
    client.force_login(citizen)
    page = client.get(reverse("talent:campaign", args=[r.pk])).content.decode()
    assert 'data-testid="vote"' in page
    client.post(reverse("talent:campaign_vote", args=[a.pk]))
    response = client.post(reverse("talent:campaign_vote", args=[a.pk]), follow=True)
    assert "今天已经投过票" in response.content.decode()
    assert Vote.objects.count() == 1


def test_anonymous_sees_campaign_but_cannot_vote(client, catalogue, xuanchuan):
    today = timezone.localdate()
    r = _open(
        catalogue["most_beautiful_worker"],
        xuanchuan,
        voting_opens=today,
        voting_closes=today + timedelta(days=1),
    )
    a = awards.add_nomination(round=r, by=xuanchuan, **PERSON)
    awards.advance_round(round=r, by=xuanchuan, to=RoundState.REVIEWING)
    page = client.get(reverse("talent:campaign", args=[r.pk])).content.decode()
    assert "林晓" in page and 'data-testid="vote"' not in page
    assert client.post(reverse("talent:campaign_vote", args=[a.pk])).status_code == 302
    assert Vote.objects.count() == 0


def test_supported_person_files_report_and_stranger_gets_404(client, zuzhi, make_user, make_expert):
    own = make_user("linxiao", role=None)
    expert = make_expert("林晓", user=own)
    cohort = programme.create_cohort(name="2025年度托举", year=2025, starts_on=date(2025, 9, 1), by=zuzhi)
    person = programme.add_supported_person(
        cohort=cohort, by=zuzhi, expert=expert, project_title="p", mentors=[{"name": "m"}], **PERSON
    )
    report = person.reports.first()
    client.force_login(own)
    response = client.post(reverse("talent:report_submit", args=[report.pk]), {"progress": "", "outputs": ""})
    assert "请描述本年度的研究进展" in response.content.decode()
    client.post(reverse("talent:report_submit", args=[report.pk]), {"progress": "完成样机", "outputs": ""})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    client.force_login(make_user("other", role=None))
    assert client.get(reverse("talent:person_detail", args=[person.pk])).status_code == 404


def test_candidate_ledger_answers_404_or_403_to_everyone_but_the_centre(client, centre, zuzhi, leader):
    candidate = academicians.create_candidate(
        by=centre,
        name="陈某",
        organization_name="重庆大学",
        academy="cae",
        division="学部",
        election_year=2027,
    )
    verify_session(client, centre)
    assert "陈某" in client.get(reverse("talent:candidate_detail", args=[candidate.pk])).content.decode()
    for other in (zuzhi, leader):
        verify_session(client, other)
        assert client.get(reverse("talent:candidate_list")).status_code == 403
        assert client.get(reverse("talent:candidate_detail", args=[candidate.pk])).status_code == 404
