"""The three journeys of the societies issue in a real browser (Playwright, Debian's chromium):

1. a society submits its yearly report (年检), staff review and grade it, measure 3's page moves;
2. a society applies to host a conference, staff approve, attendees register and check in (the QR
   code's link), the society files the post-event report;
3. staff publish the journal directory and the public finds a journal by discipline.

Screenshots at 390 and 1366 px go to docs/screenshots/societies-*.png."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kexie.policy.models import Measure
from kexie.policy.services import confirm_notice, create_notice_draft, draft_unit_names, match_organizations
from kexie.societies import services
from kexie.societies.enums import EventState, InspectionState
from kexie.societies.models import Event, Inspection, Registration
from tests.conftest import PASSWORD
from tests.policy.conftest import SEED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.click("[data-testid=user-menu]")
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"societies-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def indicator(page, base: str, measure_pk: int, key: str) -> str:
    page.goto(f"{base}/supervision/measures/{measure_pk}/")
    card = page.locator(f"[data-testid=indicator][data-key='{key}']")
    text = card.locator("[data-testid=indicator-value]").inner_text().strip()
    return re.match(r"^[\d.]*", text).group(0)


@pytest.fixture
def notice(make_user):
    supervisor = make_user("duban", role="supervisor")
    draft = create_notice_draft(text=SEED.read_text(encoding="utf-8"), by=supervisor)
    confirm_notice(notice=draft, mapping=match_organizations(draft_unit_names(draft.draft)), by=supervisor)


def test_yearly_report_submitted_reviewed_graded_measure_3_moves(
    page, live_server, settings, notice, staff, leader, secretary, society
):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    measure = Measure.objects.get(number=3)
    year = timezone.localdate().year - 1

    sign_in(page, base, leader)
    assert indicator(page, base, measure.pk, "societies.inspected") == "0"
    sign_out(page)

    # The secretary opens their society, starts the report, first submits it incomplete.
    sign_in(page, base, secretary)
    page.goto(f"{base}/societies/")
    expect(page.locator("[data-testid=society-name]")).to_have_text("重庆市科学技术期刊编辑学会")
    page.click("[data-testid=start-inspection]")
    page.fill("#id_individual_members", "335")
    page.click("[data-testid=submit-report]")
    page.locator(".invalid-feedback").first.wait_for()
    errors = page.locator(".invalid-feedback").all_inner_texts()
    assert any("工作总结" in e for e in errors) and any("单位会员" in e for e in errors)
    assert Inspection.objects.get().state == InspectionState.DRAFT
    assert Inspection.objects.get().individual_members is None  # nothing half-written
    for field, value in [
        ("unit_members", "42"),
        ("council_meetings", "2"),
        ("academic_events", "6"),
        ("income", "38.5"),
        ("expense", "35.2"),
    ]:
        page.fill(f"#id_{field}", value)
    page.fill("#id_summary", "全年举办学术活动6场，组织编辑业务培训2期，开展期刊评议。")
    shoot(page, "inspection-form")
    page.click("[data-testid=submit-report]")
    expect(page.locator("[data-testid=inspection-state]")).to_have_text("待审核")
    sign_out(page)

    # Staff review it, rate it and grade the society.
    sign_in(page, base, staff)
    page.goto(f"{base}/societies/inspections/?state=submitted")
    page.click("[data-testid=inspection-row]")
    page.select_option("#id_decision", "approve")
    page.select_option("#id_rating", "qualified")
    page.fill("#id_score", "93")
    page.select_option("#id_grade", "4A")
    page.fill("#id_comment", "材料齐全，工作扎实。")
    shoot(page, "inspection-review")
    page.click("[data-testid=record-review]")
    expect(page.locator("[data-testid=inspection-state]")).to_have_text("已审核")
    assert "合格" in page.locator("[data-testid=rating]").inner_text()
    page.goto(f"{base}/societies/{society.pk}/")
    assert (
        page.locator("[data-testid=society-grade]").inner_text() == f"4A 级（{year - 0} 年评估）"
        or "4A" in page.locator("[data-testid=society-grade]").inner_text()
    )
    sign_out(page)

    sign_in(page, base, leader)
    assert indicator(page, base, measure.pk, "societies.inspected") == "1"


def test_conference_applied_approved_registered_checked_in_reported(
    page, browser, live_server, settings, staff, secretary, society
):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    today = timezone.localdate()

    # The society applies to host a conference (today, so the journey can end with its report).
    sign_in(page, base, secretary)
    page.goto(f"{base}/societies/events/new/")
    page.select_option("#id_society", str(society.pk))
    page.select_option("#id_kind", "national")
    page.fill("#id_title", "2026年中国科技期刊发展论坛（重庆）")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=1)).isoformat())
    page.fill("#id_venue", "重庆科技馆学术报告厅")
    page.fill("#id_description", "聚焦科技期刊高质量发展与集群化建设。")
    page.fill("#id_capacity", "2")
    deadline = timezone.localtime() + timedelta(hours=1)
    page.fill("#id_registration_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.click("[data-testid=save]")
    assert page.locator(".invalid-feedback").all_inner_texts() == []
    page.locator("[data-testid=programme-form] input[name=starts_at]").fill(f"{today.isoformat()}T14:00")
    page.locator("[data-testid=programme-form] input[name=title]").fill("主旨报告：世界一流科技期刊建设")
    page.locator("[data-testid=programme-form] input[name=speaker]").fill("陈主编")
    page.locator("[data-testid=programme-form] button").click()
    assert "主旨报告" in page.locator("[data-testid=programme]").inner_text()
    page.click("[data-testid=apply]")
    expect(page.locator("[data-testid=event-state]")).to_have_text("已提交申请")
    event = Event.objects.get()
    sign_out(page)

    sign_in(page, base, staff)
    page.goto(f"{base}/societies/events/{event.pk}/")
    page.select_option("#id_decision", "approve")
    page.click("[data-testid=decide]")
    expect(page.locator("[data-testid=event-state]")).to_have_text("已批准")
    sign_out(page)

    # Two attendees register on the public page (a phone); a third finds it full.
    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    attendee = public.new_page()
    tickets = []
    for name, mobile in [("张明", "13902300001"), ("刘芳", "13902300002")]:
        attendee.goto(f"{base}/societies/conferences/{event.pk}/")
        attendee.fill("#id_name", name)
        attendee.fill("#id_organization", "重庆大学")
        attendee.fill("#id_mobile", mobile)
        attendee.click("[data-testid=register]")
        assert attendee.locator("[data-testid=confirmed]").inner_text() == "报名成功"
        assert attendee.locator("[data-testid=qr] svg").count() == 1
        tickets.append(attendee.locator("[data-testid=ticket-code]").inner_text())
    attendee.screenshot(path=str(SHOTS / "societies-ticket-390.png"), full_page=True)
    attendee.goto(f"{base}/societies/conferences/{event.pk}/")
    attendee.fill("#id_name", "王强")
    attendee.fill("#id_organization", "西南大学")
    attendee.fill("#id_mobile", "13902300003")
    attendee.click("[data-testid=register]")
    assert "报名已满" in attendee.locator(".alert-danger").inner_text()
    public.close()
    assert Registration.objects.count() == 2

    # The society checks them in by the QR code's link; a second scan is refused.
    sign_in(page, base, secretary)
    page.goto(f"{base}/societies/events/{event.pk}/check-in/?code={tickets[0]}")
    page.click("[data-testid=confirm-check-in]")
    assert "签到成功" in page.locator("[data-testid=checked]").inner_text()
    page.goto(f"{base}/societies/events/{event.pk}/check-in/?code={tickets[0]}")
    page.click("[data-testid=confirm-check-in]")
    assert "不能重复签到" in page.locator(".invalid-feedback").inner_text()
    page.goto(f"{base}/societies/events/{event.pk}/check-in/?code={tickets[1]}")
    page.click("[data-testid=confirm-check-in]")
    expect(page.locator("[data-testid=check-in-count]")).to_have_text("已签到 2 / 2")
    shoot(page, "check-in")

    # The post-event report: missing fields first, then complete.
    page.goto(f"{base}/societies/events/{event.pk}/")
    page.click("[data-testid=report-link]")
    page.click("[data-testid=save]")
    page.locator(".invalid-feedback").first.wait_for()
    assert page.locator(".invalid-feedback").count() >= 3
    page.fill("#id_attendance", "2")
    page.fill("#id_papers", "8")
    page.fill("#id_outcomes", "形成《重庆科技期刊集群建设倡议》。")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=event-state]")).to_have_text("已举办并报告")
    assert "8" in page.locator("[data-testid=report]").inner_text()
    shoot(page, "event")
    event.refresh_from_db()
    assert event.state == EventState.REPORTED


def test_staff_publish_directory_public_finds_journal_by_discipline(page, live_server, settings, staff, cscd):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    for title, cn, issn, discipline in [
        ("重庆大学学报", "50-1044/N", "1000-582X", "综合"),
        ("重庆医学", "50-1097/R", "1671-8348", "医药卫生"),
        ("中国药房", "50-1055/R", "1001-0408", "医药卫生"),
        ("计算机科学", "50-1075/TP", "1002-137X", "信息技术"),
    ]:
        services.register_journal(
            by=staff, title=title, cn=cn, issn=issn, publisher="重庆", discipline=discipline
        )

    sign_in(page, base, staff)
    page.goto(f"{base}/societies/directories/")
    page.fill("#id_title", "重庆市高质量科技期刊分级目录（2025年版）")
    page.fill("#id_year", "2025")
    page.fill("#id_tiers", "T1、T2、T3")
    page.click("[data-testid=create-directory]")
    for n, (label, tier) in enumerate(
        [("重庆医学", "T2"), ("中国药房", "T1"), ("计算机科学", "T1")], start=1
    ):
        page.select_option("#id_journal", label=label)
        page.select_option("#id_tier", tier)
        page.click("[data-testid=add-entry]")
        expect(page.locator("[data-testid=entries] tbody tr")).to_have_count(n)
    expect(page.locator("[data-testid=entries] tbody tr")).to_have_count(3)
    page.click("[data-testid=publish]")
    expect(page.locator("[data-testid=directory-state]")).to_have_text("已发布")
    shoot(page, "directory-compose")
    sign_out(page)

    # The public: the directory page, filtered by discipline.
    page.goto(f"{base}/societies/directory/")
    assert (
        page.locator("[data-testid=directory-title]").inner_text()
        == "重庆市高质量科技期刊分级目录（2025年版）"
    )
    page.select_option("[data-testid=discipline]", "医药卫生")
    page.click("[data-testid=find]")
    page.wait_for_url("**discipline=**")
    entries = page.locator("[data-testid=directory-entry]").all_inner_texts()
    assert len(entries) == 2
    assert entries[0].startswith("T1") and "中国药房" in entries[0] and "重庆医学" in entries[1]
    assert "计算机科学" not in page.content()
    shoot(page, "directory-public")
    with page.expect_download() as download:
        page.click("[data-testid=xlsx]")
    assert download.value.suggested_filename == "journal-directory-2025.xlsx"
    page.click("[data-testid=directory-entry] >> nth=0")
    expect(page.locator("[data-testid=journal-title]")).to_have_text("中国药房")
