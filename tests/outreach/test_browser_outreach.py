"""Browser journeys of outreach (Playwright driving Debian's chromium):

1. a district registers an activity for 全国科普日 → volunteers sign up on a phone → check in and out
   by QR → the organiser confirms hours → the volunteer's ledger and certificate → measure 10 moves;
2. an emergency bulletin goes out → two districts read it → the unread list shows the rest.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.outreach.models import Campaign
from kexie.policy.indicators import compute
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"outreach-{name}.png"), full_page=True)


def _phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    return context, page


def test_activity_volunteers_qr_hours_ledger_certificate(page, browser, live_server, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=f"{today.year}年全国科普日",
        kind="science_day",
        year=today.year,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=10),
    )
    make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会", full_name="赵敏")
    make_user("vol_a", role=None, full_name="周晓燕")
    make_user("vol_b", role=None, full_name="王志强")
    hours_before = compute("outreach.confirmed_hours").value

    # 1. The district registers the activity (desktop).
    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, base, "yuzhong")
    page.goto(f"{base}/outreach/activities/new/?campaign={campaign.pk}")
    start = timezone.localtime(timezone.now() + timedelta(minutes=90)).replace(second=0, microsecond=0)
    page.fill("input[name=title]", "全国科普日·解放碑科普集市")
    page.select_option("select[name=kind]", "fair")
    page.select_option("select[name=audience]", "public")
    page.fill("input[name=place]", "解放碑步行街临江门广场")
    page.fill("input[name=longitude]", "106.575")
    page.fill("input[name=latitude]", "29.559")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=volunteers_needed]", "10")
    _shot(page, "activity-form-1366")
    page.click("[data-testid=activity-form] button[type=submit]")
    page.wait_for_selector("[data-testid=activity-title]")
    assert page.inner_text("[data-testid=activity-title]") == "全国科普日·解放碑科普集市"
    activity_url = page.url

    # 2. Two volunteers register and sign up on their phones.
    phones = []
    for username, name, id_number, mobile in [
        ("vol_a", "周晓燕", "500103199508152229", "13983001234"),
        ("vol_b", "王志强", "500101198812013314", "13983005678"),
    ]:
        context, phone = _phone(browser)
        phones.append((context, phone))
        _sign_in(phone, base, username)
        phone.goto(f"{base}/outreach/volunteer/register/")
        phone.fill("input[name=real_name]", name)
        phone.fill("input[name=id_number]", id_number)
        phone.fill("input[name=mobile]", mobile)
        phone.select_option("select[name=district]", "500103")
        phone.fill("input[name=skills]", "讲解、摄影")
        phone.click("[data-testid=submit]")
        phone.wait_for_url("**/outreach/me/")
        phone.goto(activity_url)
        phone.click("[data-testid=sign-up]")
        phone.wait_for_selector("[data-testid=my-signup]")
        assert phone.inner_text("[data-testid=my-signup]").startswith("已报名")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(phones[0][1], "activity-signed-up-390")

    # 3. The organiser shows the QR codes; the volunteers scan them (the code's link) and check in.
    page.goto(activity_url)
    page.click("[data-testid=codes]")
    page.wait_for_selector("[data-testid=code-in] svg")
    _shot(page, "checkin-codes-1366")
    link_in = page.get_attribute("[data-testid=code-link-in]", "href")
    link_out = page.get_attribute("[data-testid=code-link-out]", "href")
    for _context, phone in phones:
        phone.goto(link_in)
        phone.click("[data-testid=scan-submit]")
        assert "签到" in phone.inner_text("[data-testid=scan-done]")
    _shot(phones[0][1], "checked-in-390")
    phone = phones[0][1]
    phone.goto(link_in)
    phone.click("[data-testid=scan-submit]")
    assert phone.inner_text("[data-testid=scan-error]") == "您已签到。"
    for _context, phone in phones:
        phone.goto(link_out)
        phone.click("[data-testid=scan-submit]")
        assert "已签退" in phone.inner_text("[data-testid=scan-done]")

    # 4. The organiser confirms the hours (corrected to the three hours served).
    page.goto(activity_url)
    for _ in range(2):
        row = page.locator("[data-testid=signup-row]").filter(has=page.locator("[data-testid=confirm]")).first
        row.locator("input[name=hours]").fill("3")
        row.locator("[data-testid=confirm]").click()
        page.wait_for_selector(".alert-success")
    assert page.locator("[data-testid=signup-row]").filter(has_text="时长已确认").count() == 2
    _shot(page, "hours-confirmed-1366")

    # 5. The volunteer's ledger and certificate.
    phone = phones[0][1]
    phone.goto(f"{base}/outreach/me/")
    assert phone.inner_text("[data-testid=total-hours]") == "3.0"
    assert "全国科普日·解放碑科普集市" in phone.inner_text("[data-testid=ledger]")
    _shot(phone, "ledger-390")
    pdf = phone.request.get(f"{base}/outreach/me/certificate.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # 6. Measure 10 moves: confirmed hours grow by the six hours just confirmed.
    assert compute("outreach.confirmed_hours").value - hours_before == Decimal("6.0")
    for context, _phone_page in phones:
        context.close()


def test_bulletin_goes_out_two_districts_read_unread_list(page, browser, live_server, make_user, settings):
    settings.STAFF_SECOND_FACTOR = "optional"
    base = live_server.url
    make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部", full_name="何科普")
    make_user("yuzhong", role=Role.DISTRICT_STAFF, org_name="渝中区科学技术协会", full_name="赵敏")
    make_user("wanzhou", role=Role.DISTRICT_STAFF, org_name="万州区科学技术协会", full_name="孙万")

    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, base, "kepu")
    page.goto(f"{base}/outreach/bulletins/new/")
    page.fill("input[name=title]", "强降雨及地质灾害防范科普提示")
    page.select_option("select[name=topic]", "flood")
    page.fill("textarea[name=content]", "近期我市将出现强降雨天气，请远离河道、边坡。")
    page.select_option("select[name=audience]", "districts")
    page.check("input[name=is_drill]")
    page.fill("input[name=read_within_hours]", "2")
    page.click("[data-testid=bulletin-form] button[type=submit]")
    page.click("[data-testid=publish]")
    page.wait_for_selector(".alert-success")
    bulletin_url = page.url.split("?")[0]

    for username in ("yuzhong", "wanzhou"):
        context, phone = _phone(browser)
        _sign_in(phone, base, username)
        phone.goto(f"{base}/outreach/bulletins/")
        phone.click("[data-testid=bulletins] a")
        phone.click("[data-testid=acknowledge]")
        phone.wait_for_selector("[data-testid=read-state]")
        if username == "yuzhong":
            phone.fill("input[name=forwarded]", "36")
            phone.click("[data-testid=forwarded]")
            phone.wait_for_selector(".alert-success")
            _shot(phone, "bulletin-read-390")
        context.close()

    page.goto(f"{bulletin_url}?hours=0")
    assert page.inner_text("[data-testid=read-count]") == "2"
    unread = page.inner_text("[data-testid=unread]")
    assert "渝中区科学技术协会" not in unread and "万州区科学技术协会" not in unread
    assert "江北区科学技术协会" in unread
    assert page.locator("[data-testid=unread] li").count() == 39
    _shot(page, "bulletin-unread-1366")
