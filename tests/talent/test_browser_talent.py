"""The talent journey in a real browser: staff see a 托举 person flagged in award review and record
the outcome, a citizen votes on a phone (once a day), a supported scientist files a report on a
phone, the 院士工作服务中心 opens its ledger, and measure 8's page shows the indicators moving."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kexie.accounts.enums import Role
from kexie.policy.models import Measure
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations
from kexie.talent.enums import ReportState, RoundState
from kexie.talent.models import ProgressReport, Vote
from kexie.talent.services import academicians, awards, programme
from tests.conftest import load_reference_data
from tests.policy.conftest import SEED
from tests.talent.conftest import PERSON
from tests.transfer.test_journey import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def indicator(page, base: str, measure_pk: int, key: str) -> str:
    page.goto(f"{base}/supervision/measures/{measure_pk}/")
    card = page.locator(f"[data-testid=indicator][data-key='{key}']")
    text = card.locator("[data-testid=indicator-value]").inner_text().strip()
    return re.match(r"^[\d.]*", text).group(0)


def test_award_review_vote_report_ledger_and_measure_8_moves(
    page, phone_page, live_server, make_user, catalogue, zuzhi, xuanchuan, centre, make_expert
):
    load_reference_data()  # NSFC disciplines (a transactional test may start after another's flush)
    supervisor = make_user("duban", role=Role.SUPERVISOR)
    leader = make_user("leader", role=Role.LEADER)
    for staff in (leader, zuzhi, centre):
        TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    draft = create_notice_draft(text=SEED.read_text(encoding="utf-8"), by=supervisor)
    confirm_notice(notice=draft, mapping=match_organizations(draft_unit_names(draft.draft)), by=supervisor)
    measure8 = Measure.objects.get(number=8)
    # A supported young scientist with an account, in a cohort of last year.
    scientist = make_user("linxiao", role=None, full_name="林晓")
    expert = make_expert("林晓", user=scientist, sex="female")
    cohort = programme.create_cohort(name="2025年度托举工程", year=2025, starts_on=date(2025, 9, 1), by=zuzhi)
    person = programme.add_supported_person(
        cohort=cohort,
        by=zuzhi,
        expert=expert,
        project_title="柔性电子",
        mentors=[{"name": "潘复生"}],
        **PERSON,
    )
    # A Chongqing award round with two nominations; a campaign with its vote open.
    round_ = awards.open_round(award=catalogue["cq_top_ten_youth"], year=2026, by=zuzhi, quota=1)
    awards.advance_round(round=round_, by=zuzhi, to=RoundState.NOMINATING)
    awards.add_nomination(round=round_, by=zuzhi, expert=expert, **PERSON)
    awards.add_nomination(round=round_, by=zuzhi, **{**PERSON, "name": "王川", "sex": "male"})
    today = timezone.localdate()
    campaign = awards.open_round(
        award=catalogue["most_beautiful_worker"],
        year=2026,
        by=xuanchuan,
        voting_opens=today - timedelta(days=1),
        voting_closes=today + timedelta(days=5),
        vote_weight="0.30",
    )
    awards.advance_round(round=campaign, by=xuanchuan, to=RoundState.NOMINATING)
    awards.add_nomination(round=campaign, by=xuanchuan, **{**PERSON, "deeds": "扎根库区科普二十年"})
    awards.advance_round(round=campaign, by=xuanchuan, to=RoundState.REVIEWING)
    academicians.create_candidate(
        by=centre,
        name="冯建国",
        organization_name="重庆大学",
        academy="cae",
        division="机械与运载工程学部",
        election_year=2027,
    )
    base = live_server.url

    sign_in(page, base, leader)
    assert indicator(page, base, measure8.pk, "talent.winners") == "0"
    assert indicator(page, base, measure8.pk, "talent.nominations") == "3"
    sign_out(page)

    # Staff: the 托举 person is flagged in award review; the round moves on; the outcome recorded.
    sign_in(page, base, zuzhi)
    page.goto(f"{base}/talent/rounds/{round_.pk}/")
    assert page.locator("[data-testid=supported-flag]").count() == 1
    page.click("[data-testid=advance]")
    assert page.locator("[data-testid=round-state]").inner_text() == "评审中"
    row = page.locator("[data-testid=nomination-row]", has=page.locator("[data-testid=supported-flag]"))
    row.locator("[data-testid=decide-winner]").click()
    assert row.locator("[data-testid=outcome]").inner_text() == "获奖"
    other = page.locator("[data-testid=nomination-row]").filter(has_text="王川")
    other.locator("[data-testid=decide-winner]").click()
    assert "名额已满" in page.locator(".alert").first.inner_text()
    page.screenshot(path=str(SHOTS / "talent-round-1366.png"), full_page=True)
    sign_out(page)

    # A citizen votes on a phone; a second vote the same day is not offered, and refused.
    citizen = make_user("citizen", role=None)
    sign_in(phone_page, base, citizen)
    phone_page.goto(f"{base}/talent/campaigns/{campaign.pk}/")
    phone_page.click("[data-testid=vote]")
    assert "投票已计入" in phone_page.locator(".alert").first.inner_text()
    assert phone_page.locator("[data-testid=voted-today]").is_visible()
    assert phone_page.locator("[data-testid=vote]").count() == 0
    assert phone_page.locator("[data-testid=votes]").first.inner_text() == "1"
    phone_page.screenshot(path=str(SHOTS / "talent-campaign-390.png"), full_page=True)
    assert Vote.objects.count() == 1

    # The supported scientist files the year's report on a phone (an empty one is refused first).
    phone_page.context.clear_cookies()
    sign_in(phone_page, base, scientist)
    phone_page.goto(f"{base}/talent/programme/people/{person.pk}/")
    phone_page.locator("[data-testid=file-report]").first.click()
    phone_page.click("[data-testid=submit-report]")
    assert "请描述本年度的研究进展" in phone_page.content()
    phone_page.fill("textarea[name=progress]", "完成柔性电极样品制备,发表论文1篇。")
    phone_page.click("[data-testid=submit-report]")
    assert phone_page.locator("[data-testid=report-state]").first.inner_text() == "已报送"
    phone_page.screenshot(path=str(SHOTS / "talent-report-390.png"), full_page=True)
    assert ProgressReport.objects.get(person=person, support_year=1).state == ReportState.SUBMITTED

    # The 院士工作服务中心 opens its confidential ledger; other staff cannot.
    sign_in(page, base, centre)
    page.goto(f"{base}/talent/academicians/candidates/")
    assert page.locator("[data-testid=candidate-row]").count() == 1
    page.screenshot(path=str(SHOTS / "talent-ledger-1366.png"), full_page=True)
    sign_out(page)

    # Results published: measure 8's indicators moved.
    awards.advance_round(round=round_, by=zuzhi, to=RoundState.PUBLICITY)
    awards.decide_nomination(nomination=round_.nominations.get(name="王川"), outcome="not_selected", by=zuzhi)
    awards.advance_round(round=round_, by=zuzhi, to=RoundState.CLOSED)
    sign_in(page, base, leader)
    assert indicator(page, base, measure8.pk, "talent.winners") == "1"
    page.goto(f"{base}/supervision/measures/{measure8.pk}/")
    page.screenshot(path=str(SHOTS / "talent-measure8-1366.png"), full_page=True)
    expert.refresh_from_db()
    assert expert.honours == ["2026年重庆市十佳科技青年奖"]
